"""Chapter 7: Cholesky factorization and solving H x = g."""

import math

import pytest
from hypothesis import given, strategies as st

from logreg_pure.part1_mathematics.errors import SingularMatrixError
from logreg_pure.part1_mathematics.linalg import cholesky, inverse_spd, solve_spd
from strategies import features


def test_hand_example():
    # [[4, 2], [2, 5]] = L L^T with L = [[2, 0], [1, 2]], all exact in binary.
    assert cholesky([[4.0, 2.0], [2.0, 5.0]]) == [[2.0, 0.0], [1.0, 2.0]]
    assert solve_spd([[4.0, 2.0], [2.0, 5.0]], [10.0, 13.0]) == [1.5, 2.0]


def test_singular_matrix_names_the_column():
    with pytest.raises(SingularMatrixError, match="singular at 'b'"):
        cholesky([[1.0, 1.0], [1.0, 1.0]], names=["a", "b"])
    with pytest.raises(ValueError, match="right-hand side of length 2"):
        solve_spd([[1.0, 0.0], [0.0, 1.0]], [1.0])


@st.composite
def spd_matrices(draw):
    """A = B^T B + I for a random B: symmetric, eigenvalues >= 1."""
    d = draw(st.integers(1, 5))
    B = draw(st.lists(st.lists(features(3.0), min_size=d, max_size=d), min_size=d, max_size=d))
    return [[math.fsum(B[k][i] * B[k][j] for k in range(d)) + (1.0 if i == j else 0.0)
             for j in range(d)] for i in range(d)]


@given(spd_matrices(), st.data())
def test_solve_then_multiply_gives_back_the_right_hand_side(A, data):
    """Law: A solve(A, g) = g for symmetric positive definite A.

    Precondition: eigenvalues in [1, 1 + 5 * 9 * 5], so the condition number is
    below 250 and the residual is below 1e-10 relative to |A| |x|.
    """
    d = len(A)
    g = data.draw(st.lists(features(10.0), min_size=d, max_size=d))
    x = solve_spd(A, g)
    for i in range(d):
        row = math.fsum(A[i][j] * x[j] for j in range(d))
        size = math.fsum(abs(A[i][j] * x[j]) for j in range(d)) + abs(g[i])
        assert abs(row - g[i]) <= 1e-10 * (size + 1.0)


@given(spd_matrices())
def test_inverse_times_matrix_is_identity(A):
    """Law: inverse_spd(A) A = I (same precondition and tolerance)."""
    inverse = inverse_spd(A)
    d = len(A)
    for i in range(d):
        for j in range(d):
            entry = math.fsum(inverse[i][k] * A[k][j] for k in range(d))
            assert abs(entry - (1.0 if i == j else 0.0)) <= 1e-10 * d * 250


@given(spd_matrices())
def test_cholesky_factor_is_lower_triangular_and_reproduces_the_matrix(A):
    """Law: cholesky(A) is lower triangular (zeros above the diagonal, exactly), with a
    positive diagonal, and L L^T = A.

    Tolerance: the product's rounding, 1e-12 relative to the size of A's entries
    (eigenvalues at most 226, see spd_matrices).
    """
    L = cholesky(A)
    d = len(A)
    assert all(L[i][j] == 0.0 for i in range(d) for j in range(i + 1, d))
    assert all(L[j][j] > 0.0 for j in range(d))
    size = max(abs(v) for row in A for v in row)
    for i in range(d):
        for j in range(d):
            assert abs(math.fsum(L[i][k] * L[j][k] for k in range(d)) - A[i][j]) <= 1e-12 * size


@given(spd_matrices(), st.integers(-300, 300))
def test_solving_is_unchanged_by_the_scale_of_the_matrix(A, power):
    """Law: scaling a positive definite matrix by c = 2^k (exact in binary) never makes
    it singular, and solve(c A, g) = solve(A, g) / c: singularity is judged relative
    to the size of the diagonal, not in absolute terms.

    Tolerance: none beyond the factor's own rounding: scaling by a power of two is
    exact, so the two solutions agree to 1e-12 relative.
    """
    c = 2.0 ** power
    g = [1.0] * len(A)
    scaled = solve_spd([[c * v for v in row] for row in A], g)
    for u, v in zip(scaled, solve_spd(A, g)):
        assert math.isclose(u * c, v, rel_tol=1e-12)


def test_a_zero_column_is_singular():
    # A feature that is 0 in every row gives a zero row and column: its pivot is 0, not small.
    with pytest.raises(SingularMatrixError, match="singular at 'b'"):
        cholesky([[1.0, 0.0], [0.0, 0.0]], names=["a", "b"])
    with pytest.raises(SingularMatrixError, match="singular at column 0"):
        cholesky([[0.0]])


def test_a_pivot_is_singular_below_one_part_in_1e12_of_its_diagonal():
    # PIVOT_RTOL's documented value, written out: the second pivot of [[1, 1], [1, 1 + e]]
    # is e (to rounding), and the diagonal entry about 1.
    assert cholesky([[1.0, 1.0], [1.0, 1.0 + 1.5e-12]])[1][1] > 0.0
    with pytest.raises(SingularMatrixError):
        cholesky([[1.0, 1.0], [1.0, 1.0 + 0.5e-12]])

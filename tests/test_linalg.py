"""Chapter 5: Cholesky factorization and solving H x = g."""

import math

import pytest
from hypothesis import given, strategies as st

from logreg_pure.errors import SingularMatrixError
from logreg_pure.linalg import cholesky, inverse_spd, solve_spd
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

"""Chapter 7: the simplex method lands on a feasible vertex, and its duals prove it optimal."""

import itertools
import math
from fractions import Fraction

import pytest
from hypothesis import assume, example, given, strategies as st

from logreg_pure.lp import FLOAT_TOL, dual_bound, linear_program, simplex

from strategies import at_most


@st.composite
def bounded_programs(draw, max_rows=3, max_unknowns=5, finite=True):
    """``(c, A, b, lower, upper)`` with small integer data and a known feasible point.

    Entries of A and c in -3..3, bounds in -2..3 (upper finite unless ``finite`` is
    False), and ``b = A x0`` for an integer ``x0`` inside the bounds: feasible by
    construction, and bounded when every upper bound is finite.
    """
    m = draw(st.integers(1, max_rows))
    n = draw(st.integers(m, max_unknowns))
    lower = draw(st.lists(st.integers(-2, 0), min_size=n, max_size=n))
    upper = [low + draw(st.integers(0, 3)) for low in lower]
    if not finite:
        upper = [u if draw(st.booleans()) else math.inf for u in upper]
    x0 = [draw(st.integers(low, low + 3 if u == math.inf else u)) for low, u in zip(lower, upper)]
    A = draw(st.lists(st.lists(st.integers(-3, 3), min_size=n, max_size=n), min_size=m, max_size=m))
    c = draw(st.lists(st.integers(-3, 3), min_size=n, max_size=n))
    b = [sum(a * x for a, x in zip(row, x0)) for row in A]
    return c, A, b, lower, upper


# Beale (1955): Dantzig's rule with the smallest-index tie-break cycles on it forever.
BEALE = ([0, 0, 0, Fraction(-3, 4), 20, Fraction(-1, 2), 6],
         [[1, 0, 0, Fraction(1, 4), -8, -1, 9], [0, 1, 0, Fraction(1, 2), -12, Fraction(-1, 2), 3],
          [0, 0, 1, 0, 0, 1, 0]],
         [0, 0, 1], [0] * 7, [math.inf] * 7)


def as_floats(program):
    c, A, b, lower, upper = program
    return ([float(v) for v in c], [[float(a) for a in row] for row in A], [float(v) for v in b],
            [float(v) for v in lower], [float(v) for v in upper])


def vertices(c, A, b, lower, upper):
    """Every vertex, by brute force: m basic unknowns solve A x = b exactly, the others
    sit on a finite bound; those within all bounds are the feasible vertices."""
    m, n = len(A), len(c)
    for basis in itertools.combinations(range(n), m):
        others = [j for j in range(n) if j not in basis]
        for choice in itertools.product(*[[lower[j], upper[j]] for j in others]):
            if math.inf in choice:
                continue
            x = solve_exactly([[row[j] for j in basis] for row in A],
                              [bi - sum(row[j] * v for j, v in zip(others, choice)) for row, bi in zip(A, b)])
            if x is None:
                continue
            point = [Fraction(0)] * n
            for j, v in zip(others, choice):
                point[j] = Fraction(v)
            for j, v in zip(basis, x):
                point[j] = v
            if all(lo <= v <= up for lo, v, up in zip(lower, point, upper)):
                yield point


def solve_exactly(M, r):
    """Gauss-Jordan in Fractions; None when M is singular."""
    size = len(M)
    rows = [[Fraction(v) for v in row] + [Fraction(ri)] for row, ri in zip(M, r)]
    for k in range(size):
        pivot = next((i for i in range(k, size) if rows[i][k] != 0), None)
        if pivot is None:
            return None
        rows[k], rows[pivot] = rows[pivot], rows[k]
        rows[k] = [v / rows[k][k] for v in rows[k]]
        for i in range(size):
            if i != k and rows[i][k] != 0:
                rows[i] = [a - rows[i][k] * p for a, p in zip(rows[i], rows[k])]
    return [row[-1] for row in rows]


# ---------------------------------------------------------------------- the laws

@at_most(40)  # each example solves two small programs: about 10 ms
@given(bounded_programs(finite=False), st.booleans())
@example(([0, 0, 1, 0], [[0, 0, 1, 0]], [1], [0, 0, 0, 0], [math.inf, math.inf, 1, math.inf]), True)  # x3 = 1 at its bound
def test_the_answer_is_feasible(program, exact):
    """Law: an "optimal" answer satisfies A x = b and lower <= x <= upper: exactly for
    exact (Fraction) data; for floats to FLOAT_TOL times the data's size (each entry
    of A x is a sum of at most 5 products of numbers below 10, rounded a few times).

    Precondition: a feasible program (b = A x0); with infinite upper bounds it may be
    unbounded, and then says so instead.
    """
    c, A, b, lower, upper = program if exact else as_floats(program)
    result = simplex(linear_program(c, A, b, lower, upper))
    assert result.status in ("optimal", "unbounded")
    tol = 0 if exact else 100 * FLOAT_TOL
    for row, bi in zip(A, b):
        assert abs(sum(a * x for a, x in zip(row, result.x)) - bi) <= tol
    assert all(lo - tol <= x <= up + tol for lo, x, up in zip(lower, result.x, upper))


@at_most(40)  # exact arithmetic on at most 3 x 5: a few ms each
@given(bounded_programs(finite=False))
@example(BEALE)  # cycles under Dantzig's rule without Bland's
def test_the_duals_prove_the_answer_optimal(program):
    """Law: at an "optimal" answer the duals' bound b . y + sum_j min(d_j l_j, d_j u_j)
    equals c . x exactly. The bound is below c . x' for every feasible x' (weak
    duality), so equality proves x optimal without trusting the path that found it.

    Precondition: exact (Fraction) data, a bounded optimum.
    """
    lp = linear_program(*program)
    result = simplex(lp)
    if result.status == "optimal":
        assert dual_bound(lp, result.duals) == result.objective
    else:  # unbounded: no y bounds it, so every dual bound is -inf
        assert result.status == "unbounded" and dual_bound(lp, result.duals) == -math.inf


@at_most(40)  # brute force enumerates up to 10 bases x 4 bound choices
@given(bounded_programs())
def test_the_simplex_agrees_with_brute_force(program):
    """Law: the simplex's optimum equals the least c . x over all feasible vertices,
    found by enumerating them; exact arithmetic, so exactly equal.

    Precondition: every bound finite (the optimum exists and is at a vertex), and the
    equations independent (else no vertex has exactly m basic unknowns to enumerate).
    """
    c, A = program[0], program[1]
    assume(any(solve_exactly([[row[j] for j in basis] for row in A], [0] * len(A)) is not None
               for basis in itertools.combinations(range(len(c)), len(A))))
    result = simplex(linear_program(*program))
    best = min(sum(cj * xj for cj, xj in zip(c, x)) for x in vertices(*program))
    assert result.status == "optimal" and result.objective == best


# ----------------------------------------------------------- worked examples

def test_bounds_do_the_work_of_equations():
    # min -x1 - 2 x2, x1 + x2 = 4, 0 <= x <= 3: x2 flips to its bound 3, then x1 = 1.
    result = simplex(linear_program([-1, -2], [[1, 1]], [4], upper=[3, 3]))
    assert result.status == "optimal" and result.x == [1, 3] and result.objective == -7
    assert result.duals == [-1]  # raising b by 1 lowers the optimum by 1 (x1 takes it)


def test_beale_does_not_cycle():
    result = simplex(linear_program(*BEALE))
    assert result.status == "optimal" and result.objective == Fraction(-5, 4)


def test_infeasible_and_unbounded_are_reported():
    assert simplex(linear_program([1.0], [[1.0]], [-1.0])).status == "infeasible"  # x >= 0, x = -1
    assert simplex(linear_program([-1, 0], [[1, -1]], [0])).status == "unbounded"  # x1 = x2 -> inf
    assert simplex(linear_program([-1, 0], [[1, -1]], [0], upper=[5, 2])).objective == -2


@pytest.mark.parametrize("args, error, words", [
    (([], [[1.0]], [1.0]), ValueError, "at least one unknown"),
    (([1.0], [[1.0]], [1.0, 2.0]), ValueError, "b has 2 values but A has 1 rows"),
    (([1.0, 2.0], [[1.0]], [1.0]), ValueError, "row 0 of A has 1 values, but c has 2"),
    (([1.0], [[math.nan]], [1.0]), ValueError, r"A\[0\]\[0\] must be finite"),
    (([1.0], [["1"]], [1.0]), TypeError, r"A\[0\]\[0\] must be a number"),
    (([1.0], [[1.0]], [1.0], [2.0], [1.0]), ValueError, "lower bound 2.0 above its upper bound 1.0"),
    (([1.0], [[1.0]], [1.0], [-math.inf]), ValueError, r"lower\[0\] must be finite"),
])
def test_bad_programs_are_refused_with_a_reason(args, error, words):
    with pytest.raises(error, match=words):
        linear_program(*args)

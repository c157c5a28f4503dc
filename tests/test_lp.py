"""Chapter 8: the simplex method lands on a feasible vertex, and its duals prove it optimal."""

import itertools
import math
from fractions import Fraction

import pytest
from hypothesis import assume, example, given, strategies as st

from logreg_pure.part1_mathematics import lp
from logreg_pure.part1_mathematics.lp import FLOAT_TOL, dual_bound, linear_program, simplex

from strategies import at_least


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

@at_least(50)  # each example solves two small programs: a few ms
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


@at_least(50)  # exact arithmetic on at most 3 x 5: a few ms each
@given(bounded_programs(finite=False))
@example(BEALE)  # cycles under Dantzig's rule without Bland's
@example(([1, 2, 0], [[1, 1, 1], [1, 1, 1]], [2, 2], [0, 0, 0], [3, 3, 3]))  # a redundant row: an artificial stays basic
def test_the_duals_prove_the_answer_optimal(program):
    """Law: at an "optimal" answer the duals' bound b . y + sum_j min(d_j l_j, d_j u_j)
    equals c . x exactly. The bound is below c . x' for every feasible x' (weak
    duality), so equality proves x optimal without trusting the path that found it.

    Precondition: exact (Fraction) data, a bounded optimum.
    """
    lp = linear_program(*program)
    result = simplex(lp)
    assert result.reduced_costs == [cj - sum(yi * row[j] for yi, row in zip(result.duals, lp.A))
                                    for j, cj in enumerate(lp.c)]
    if result.status == "optimal":
        assert dual_bound(lp, result.duals) == result.objective
    else:  # unbounded: no y bounds it, so every dual bound is -inf
        assert result.status == "unbounded" and dual_bound(lp, result.duals) == -math.inf


@at_least(50)  # brute force enumerates up to 10 bases x 4 bound choices
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
    (([], [[1.0]], [1.0]), ValueError, r"^a linear program needs at least one unknown \(c\) and one equation \(A\)$"),
    (([1.0], [], []), ValueError, r"^a linear program needs at least one unknown \(c\) and one equation \(A\)$"),
    (([1.0, 2.0], [[1.0, 1.0]], [1.0], [0.0]), ValueError, r"^lower and upper need one bound per unknown \(2\)$"),
    (([1.0, 2.0], [[1.0, 1.0]], [1.0], None, [1.0, 2.0, 3.0]), ValueError,
     r"^lower and upper need one bound per unknown \(2\)$"),
    (([1.0], [[1.0]], [1.0, 2.0]), ValueError, "b has 2 values but A has 1 rows"),
    (([1.0, 2.0], [[1.0]], [1.0]), ValueError, "row 0 of A has 1 values, but c has 2"),
    (([1.0], [[math.nan]], [1.0]), ValueError, r"A\[0\]\[0\] must be finite"),
    (([math.inf], [[1.0]], [1.0]), ValueError, r"^c\[0\] must be finite, got inf$"),
    (([1.0], [[1.0]], [math.nan]), ValueError, r"^b\[0\] must be finite, got nan$"),
    (([1.0], [[1.0]], [1.0], [0.0], [-math.inf]), ValueError, r"^upper\[0\] must be finite \(or math.inf\), got -inf$"),
    (([1.0], [["1"]], [1.0]), TypeError, r"A\[0\]\[0\] must be a number"),
    (([1.0], [[1.0]], [1.0], [2.0], [1.0]), ValueError, "lower bound 2.0 above its upper bound 1.0"),
    (([1.0], [[1.0]], [1.0], [-math.inf]), ValueError, r"lower\[0\] must be finite"),
])
def test_bad_programs_are_refused_with_a_reason(args, error, words):
    with pytest.raises(error, match=words):
        linear_program(*args)


# ------------------------------------------------ issue 22: exactness, the start, the work

@st.composite
def one_entry_as_float(draw):
    """``(program, where)``: an integer program with one entry (of c, A, b, lower or a finite
    upper bound) turned into a float."""
    c, A, b, lower, upper = draw(bounded_programs())
    where = draw(st.sampled_from(["c", "A", "b", "lower", "upper"]))
    if where == "c":
        c = list(c)
        c[draw(st.integers(0, len(c) - 1))] += 0.5
    elif where == "A":
        A = [list(row) for row in A]
        A[draw(st.integers(0, len(A) - 1))][draw(st.integers(0, len(c) - 1))] += 0.5
    elif where == "b":
        b = list(b)
        b[draw(st.integers(0, len(b) - 1))] += 0.5
    elif where == "lower":
        lower = list(lower)
        j = draw(st.integers(0, len(lower) - 1))
        lower[j] = float(lower[j])
    else:
        upper = list(upper)
        j = draw(st.integers(0, len(upper) - 1))
        upper[j] = float(upper[j])
    return (c, A, b, lower, upper), where


@given(one_entry_as_float())
@example((([1.0, 1], [[1, 1]], [2], [0, 0], [3, 3]), "c"))
@example((([1, 1], [[1, 1]], [2.0], [0, 0], [3, 3]), "b"))
@example((([1, 1], [[1, 1]], [2], [0.0, 0], [3, 3]), "lower"))
@example((([1, 1], [[1, 1]], [2], [0, 0], [3, 3.0]), "upper"))
def test_one_float_anywhere_makes_the_whole_program_float(case):
    """Law: a program is exact only when every number in it (c, A, b, lower and every
    finite upper bound) is an int or a Fraction; one float anywhere makes it inexact,
    every number a float, and the simplex's tolerance FLOAT_TOL (with exact data: 0,
    every number a Fraction). Exact: types, not values."""
    (c, A, b, lower, upper), _ = case
    program = linear_program(c, A, b, lower, upper)
    numbers = program.c + program.b + program.lower + [a for row in program.A for a in row]
    numbers += [u for u in program.upper if u != math.inf]
    assert not program.exact and all(type(v) is float for v in numbers)
    exact = linear_program(*[[round(v) for v in part] if part is not A else [[round(a) for a in row] for row in A]
                             for part in (c, A, b, lower)], [u if u == math.inf else round(u) for u in upper])
    assert exact.exact and all(type(v) is Fraction for v in exact.c + exact.b + exact.lower)


HALF = ([1, 0], [[1, 1]], [Fraction(1, 2)], [0, 0], [math.inf, math.inf])  # the residual b - A lower is 1/2


@st.composite
def fractional_programs(draw):
    """``(c, A, b, lower, upper)`` as bounded_programs, but ``b = A x0`` for a point x0 of
    halves or thirds inside the bounds: feasible, with fractional residuals b - A lower."""
    c, A, _, lower, upper = draw(bounded_programs(finite=False))
    den = draw(st.integers(2, 3))
    x0 = [Fraction(draw(st.integers(den * low, den * (low + 3 if up == math.inf else up))), den)
          for low, up in zip(lower, upper)]
    b = [sum(a * x for a, x in zip(row, x0)) for row in A]
    return c, A, b, lower, upper


@at_least(50)
@given(fractional_programs())
@example(HALF)
@example(([0, 0], [[1, 1], [1, -1]], [Fraction(1, 2), Fraction(-1, 3)], [0, 0], [1, 1]))
def test_the_answer_is_feasible_for_fractional_right_hand_sides(program):
    """Law: a feasible program whose residuals b - A lower are fractions (any sign, any
    size, in (0, 1) too) is never called infeasible, and its answer satisfies A x = b
    and the bounds exactly.

    Precondition: b = A x0 for x0 inside the bounds (feasible by construction); exact data.
    """
    c, A, b, lower, upper = program
    result = simplex(linear_program(c, A, b, lower, upper))
    assert result.status in ("optimal", "unbounded")
    for row, bi in zip(A, b):
        assert sum(a * x for a, x in zip(row, result.x)) == bi
    assert all(lo <= x <= up for lo, x, up in zip(lower, result.x, upper))


@st.composite
def degenerate_programs(draw):
    """bounded_programs, often with b = A lower (every residual 0: a degenerate start, where
    steps of length 0 and ties in the ratio test are the rule)."""
    c, A, b, lower, upper = draw(bounded_programs(finite=False))
    if draw(st.booleans()):
        b = [sum(a * low for a, low in zip(row, lower)) for row in A]
    return c, A, b, lower, upper


def expected_ratio_test(tableau, j, direction):
    """The ratio test by its definition: the longest step t >= 0 that keeps every basic
    unknown within its bounds and x_j within its own; ties to the smallest index."""
    candidates = [(tableau.upper[j] - tableau.lower[j], j, None)]
    for i, row in enumerate(tableau.T):
        k, rate = tableau.basis[i], direction * row[j]  # x_k falls at this rate
        if rate > 0:
            candidates.append(((tableau.x[k] - tableau.lower[k]) / rate, k, i))
        elif rate < 0 and tableau.upper[k] != math.inf:
            candidates.append(((tableau.upper[k] - tableau.x[k]) / -rate, k, i))
    t, _, row = min(candidates, key=lambda c: (c[0], c[1]))
    return t, row


@at_least(50)
@given(degenerate_programs())
@example(BEALE)
def test_each_step_goes_as_far_as_the_bounds_allow_and_ties_go_to_the_smallest_index(program):
    """Law: the entering unknown is the improving one with the largest |d_j| (Dantzig),
    or, while the walk is stalled at a degenerate vertex, the one with the smallest
    index (Bland); every step moves it as far as every bound allows, and no further
    (the ratio test); when several unknowns reach a bound at
    once, the one with the smallest index leaves (Bland's rule, which cannot cycle),
    the entering one included (then it flips to its other bound). And the iteration
    count is the number of steps taken.

    Exact data: every ratio is a Fraction, compared exactly.
    """
    steps = []
    real_ratio_test, real_move, real_entering = lp._Tableau.ratio_test, lp._Tableau.move, lp._Tableau.entering

    def chosen(self):
        choice = real_entering(self)
        improving = [j for j in range(self.n + self.m) if self._improving(j)]
        stalled = bool(steps) and steps[-1][2] == 0  # the last step had length 0
        if choice is None:
            assert improving == []
        elif stalled:  # Bland: the smallest index
            assert choice[0] == improving[0]
        else:  # Dantzig: the largest |d_j|, the first such on a tie
            assert choice[0] == max(improving, key=lambda j: (abs(self.d[j]), -j))
        return choice

    def checked(self, j, direction):
        t, row, bound = real_ratio_test(self, j, direction)
        if t != math.inf:
            assert (t, row) == expected_ratio_test(self, j, direction)
        return t, row, bound

    def counted(self, *args):
        steps.append(args)
        return real_move(self, *args)

    lp._Tableau.ratio_test, lp._Tableau.move, lp._Tableau.entering = checked, counted, chosen
    try:
        result = simplex(linear_program(*program))
    finally:
        lp._Tableau.ratio_test, lp._Tableau.move, lp._Tableau.entering = real_ratio_test, real_move, real_entering
    assert result.iterations == len(steps)


def test_the_step_cap_is_fifty_steps_per_unknown_and_equation(monkeypatch):
    """The cap guards against a bug, not a slow program: Beale's program (7 unknowns, 3
    equations) takes 6 steps, far below 50 (7 + 3); with 1 step per unknown and equation
    allowed it still finishes; allowed 7 (6 steps and the look that finds no entering
    unknown) it finishes, allowed 6 it says it did not finish."""
    result = simplex(linear_program(*BEALE))
    assert result.iterations == 6 and lp.ITERATIONS_PER_UNKNOWN == 50
    monkeypatch.setattr(lp, "ITERATIONS_PER_UNKNOWN", 1)
    assert simplex(linear_program(*BEALE)).iterations == 6
    monkeypatch.setattr(lp, "ITERATIONS_PER_UNKNOWN", Fraction(7, 10))  # exactly enough
    assert simplex(linear_program(*BEALE)).iterations == 6
    monkeypatch.setattr(lp, "ITERATIONS_PER_UNKNOWN", Fraction(6, 10))  # one short
    with pytest.raises(ValueError, match="did not finish in 6 steps"):
        simplex(linear_program(*BEALE))


@at_least(50)
@given(st.integers(1, 4).flatmap(lambda size: st.tuples(
    st.lists(st.lists(st.integers(-3, 3), min_size=size, max_size=size), min_size=size, max_size=size),
    st.lists(st.integers(-5, 5), min_size=size, max_size=size))))
@example(([[0, 1], [1, 0]], [2, 3]))  # the first pivot is 0: a row swap is needed
@example(([[1, 2], [2, 4]], [1, 2]))  # singular
def test_the_basis_solve_solves_or_says_singular(system):
    """Law: lp's square solve (Gaussian elimination with partial pivoting) returns v with
    M v = r exactly for exact data when M is nonsingular, and None when it is singular
    (decided here by an independent Gauss-Jordan elimination).

    Exact: Fractions throughout.
    """
    M, r = [[Fraction(a) for a in row] for row in system[0]], [Fraction(v) for v in system[1]]
    v = lp._solve_square(M, r)
    if solve_exactly(M, r) is None:
        assert v is None
    else:
        assert [sum(a * x for a, x in zip(row, v)) for row in M] == r


@at_least(50)
@given(degenerate_programs())
@example(BEALE)
def test_with_every_basis_solve_refused_the_tableaus_answer_is_still_proved_optimal(program):
    """Law: if the final basis cannot be solved afresh (numerically singular: the square
    solve says None), the answer falls back to the tableau's own values and duals, and
    they are still feasible and proved optimal by the dual bound (or the program
    unbounded or infeasible, as before). Exact data: exact checks.
    """
    lp_program = linear_program(*program)
    expected = simplex(lp_program)
    real = lp._solve_square
    lp._solve_square = lambda M, r: None
    try:
        result = simplex(lp_program)
    finally:
        lp._solve_square = real
    assert result.status == expected.status
    if result.status == "optimal":
        assert result.x == expected.x and result.duals == expected.duals
        assert dual_bound(lp_program, result.duals) == result.objective


def test_a_program_and_its_answer_are_read_only():
    import dataclasses

    program = linear_program([1, 1], [[1, 1]], [2])
    result = simplex(program)
    for value, field in ((program, "c"), (result, "x")):
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(value, field, [])

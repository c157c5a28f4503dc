"""Chapter 9: separation, decided by a linear program, and the fits that respect the verdict."""

import math
import warnings
from fractions import Fraction

import pytest
from hypothesis import assume, example, given, strategies as st

from logreg_pure import LogisticRegression, SeparationWarning, summarize
from logreg_pure.part1_mathematics.lp import simplex
from logreg_pure.part2_problem.separation import (
    _separation_program,
    detect_separation,
    newton_step_certifies,
    signed_rows,
)
from logreg_pure.part6_command_line.datasets import load_endometrial
from strategies import at_least, at_most, overlapping_datasets, separable_datasets


@st.composite
def small_integer_data(draw, max_rows=8, max_features=2):
    """``(X, y)`` with integer features in -2..2 and both classes: ties and exact
    boundaries are common, so complete, quasi-complete and no separation all occur."""
    n = draw(st.integers(2, max_rows))
    d = draw(st.integers(1, max_features))
    X = draw(st.lists(st.lists(st.integers(-2, 2), min_size=d, max_size=d), min_size=n, max_size=n))
    y = draw(st.lists(st.sampled_from([0, 1]), min_size=n, max_size=n).filter(lambda ys: 0 in ys and 1 in ys))
    return X, y


@st.composite
def quasi_separated_data(draw):
    """Overlapping data plus an indicator column that is 1 only on some rows of class 1:
    its estimate is +infinity (quasi-complete separation), every other one is finite."""
    X, y = draw(overlapping_datasets(max_rows=6))
    extra = draw(st.integers(1, 3))
    rows = [x + [0.0] for x in X]
    rows += [draw(st.lists(st.floats(-3.0, 3.0), min_size=len(X[0]), max_size=len(X[0]))) + [1.0]
             for _ in range(extra)]
    return rows, list(y) + [1.0] * extra


def full_rank(X):
    """Are the columns of (1, X) linearly independent? (Exact elimination.)"""
    rows = [[Fraction(1)] + [Fraction(v) for v in x] for x in X]
    rank = 0
    for j in range(len(rows[0])):
        pivot = next((i for i in range(rank, len(rows)) if rows[i][j] != 0), None)
        if pivot is None:
            continue
        rows[rank], rows[pivot] = rows[pivot], rows[rank]
        for i in range(len(rows)):
            if i != rank and rows[i][j] != 0:
                f = rows[i][j] / rows[rank][j]
                rows[i] = [a - f * b for a, b in zip(rows[i], rows[rank])]
        rank += 1
    return rank == len(rows[0])


def margins(X, y, beta):
    return [sum(a * b for a, b in zip(row, beta)) for row in signed_rows(X, y)]


# ---------------------------------------------------------------------- the laws

@at_most(40)  # exact arithmetic on at most 8 rows: a few ms each
@given(small_integer_data())
@example(([[0], [0]], [0, 1]))  # one point with both labels: balanced, nothing separates
def test_the_verdict_carries_its_certificate(data):
    """Law: in exact arithmetic the LP's objective is 0 exactly when no separation exists.
    Separated: its direction has every margin a_i . beta >= 0 and their sum, the objective,
    is > 0 (so the likelihood rises for ever along it). Not separated: lambda = 1 + u from
    the LP has every lambda_i >= 1 and sum_i lambda_i a_i = 0 exactly (Stiemke: then no
    direction can be separating).

    Precondition: integer data, so that Fractions make every step exact.
    """
    X, y = data
    result = detect_separation(X, y, exact=True)
    scales = [max(abs(Fraction(row[j])) for row in signed_rows(X, y)) or 1 for j in range(len(X[0]) + 1)]
    rows = [[Fraction(v) / s for v, s in zip(row, scales)] for row in signed_rows(X, y)]
    if result.separated:
        beta = [Fraction(b) for b in result.beta]  # rounded to floats: margins exact to 1e-15
        assert min(margins(X, y, beta)) >= -1e-15 and sum(margins(X, y, beta)) > 0
        assert result.objective > 0
    else:
        assert result.objective == 0
        total = [sum(row[j] for row in rows) for j in range(len(rows[0]))]
        u = simplex(_separation_program(rows, total)).x[:len(rows)]
        lambdas = [1 + ui for ui in u]
        assert all(sum(l * row[j] for l, row in zip(lambdas, rows)) == 0 for j in range(len(rows[0])))


@at_most(40)  # as above
@given(small_integer_data())
def test_floats_reach_the_exact_verdict(data):
    """Law: with floats (tolerances of chapter 8 and DIRECTION_TOL) the verdict, its kind
    and every direction are those of the exact computation.

    Precondition: small integer data: every float step is then within a few ulps of
    the exact one, far inside the tolerances; columns of (1, X) independent (else a
    redundant column's direction is arbitrary, in both computations).
    """
    X, y = data
    assume(full_rank(X))
    exact, rounded = detect_separation(X, y, exact=True), detect_separation(X, y)
    assert (rounded.kind, rounded.directions) == (exact.kind, exact.directions)


@at_most(40)
@given(small_integer_data(), st.lists(st.integers(-40, 40), min_size=2, max_size=2))
@example(([[0, 0], [1, 0], [0, 0], [0, 0], [0, 1]], [0, 1, 0, 0, 0]), [-10, 20])  # units 2**30 apart
def test_separation_does_not_depend_on_the_units(data, powers):
    """Law: scaling each column of X by a positive factor leaves the verdict, its kind
    and the infinite estimates' directions unchanged (a margin keeps its sign when
    beta_j is divided by the same factor), in floating point too.

    Precondition: the factors are powers of two (2**-40 to 2**40), so that the scaled
    floats are exact.
    """
    X, y = data
    scaled = [[v * 2.0 ** powers[j] for j, v in enumerate(row)] for row in X]
    before, after = detect_separation(X, y), detect_separation(scaled, y)
    assert (after.kind, after.directions) == (before.kind, before.directions)


@at_most(30)
@given(separable_datasets())
@example(([[-1.0754716981132075, -0.2641509433962264], [0.1509433962264151, 0.5283018867924528],
           [0.0, -1.0], [2.0000000314892463, -8.996927503831977e-09]], [0.0, 1.0, 0.0, 1.0]))
def test_separable_data_are_found_completely_separated(data):
    """Law: data split by a hyperplane with a margin are completely separated, and the
    LP's direction puts every example on its side or the boundary: every margin at
    least -1e-7 (features below 10 in size; the direction is read from a tableau
    that many pivots have rounded, and a margin that is 0 exactly can come out as
    -1.6e-9, as in the pinned example).

    Precondition: separated with margin 1 / ||u|| (see separable_datasets).
    """
    X, y = data
    result = detect_separation(X, y)
    assert result.kind == "complete"
    assert min(margins(X, y, result.beta)) >= -1e-7


@at_most(30)
@given(overlapping_datasets())
def test_overlapping_data_are_not_separated(data):
    """Law: when the origin and every unit vector carry both labels, no direction can
    separate (each pair's margins cancel), so the LP's maximum is 0 and every
    estimate is finite.

    Precondition: overlapping_datasets; the objective is 0 to rounding (1e-12).
    """
    X, y = data
    result = detect_separation(X, y)
    assert not result.separated and result.directions == [0] * (len(X[0]) + 1)
    assert abs(result.objective) <= 1e-12


@at_most(40)
@given(st.lists(st.integers(-3, 3), min_size=2, max_size=8), st.data())
def test_one_feature_agrees_with_sorting(xs, data):
    """Law: with one feature the classes are separated exactly when one class's values
    all lie at or below the other's and not every value is the same (completely when
    strictly below), and then the slope's estimate is +Inf when class 1 lies above,
    -Inf when below.

    Precondition: integer values, so ties are common.
    """
    y = data.draw(st.lists(st.sampled_from([0, 1]), min_size=len(xs), max_size=len(xs)))
    assume(0 in y and 1 in y)
    zeros, ones = [x for x, t in zip(xs, y) if t == 0], [x for x, t in zip(xs, y) if t == 1]
    result = detect_separation([[x] for x in xs], y, exact=True)
    up, down = max(zeros) <= min(ones), max(ones) <= min(zeros)
    assert result.separated == ((up or down) and len(set(xs)) > 1)  # one shared value: nothing splits
    if result.separated:
        assert result.directions[1] == (1 if up else -1)
        assert result.complete == (max(zeros) < min(ones) if up else max(ones) < min(zeros))


@at_most(20)  # each example fits by Newton's method and solves the LP
@given(quasi_separated_data())
def test_quasi_separation_names_exactly_the_infinite_estimate(data):
    """Law: an indicator that is 1 only for class-1 rows has estimate +Inf and every other
    estimate is finite (quasi-complete separation); an unpenalized fit stops with
    stop_reason "separated" and a SeparationWarning that names it.

    Precondition: quasi_separated_data (the other columns overlap as in
    overlapping_datasets, so they alone are not separated).
    """
    X, y = data
    d = len(X[0])
    result = detect_separation(X, y)
    assert result.kind == "quasi-complete" and result.directions == [0] * d + [1]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model = LogisticRegression(solver="newton").fit(X, y)
    assert model.stop_reason_ == "separated" and not model.converged_
    assert any(issubclass(w.category, SeparationWarning) and f"x{d - 1} = +Inf" in str(w.message) for w in caught)


# ----------------------------------------------------------- published results

def test_endometrial_matches_detectseparation():
    """detectseparation's README: Separation TRUE (quasi-complete); (Intercept) 0, NV Inf,
    PI 0, EH 0. Heinze and Schemper (2002): NV's estimate does not exist."""
    data = load_endometrial()
    result = detect_separation(data.X, data.y, feature_names=data.feature_names)
    assert result.kind == "quasi-complete" and result.directions == [0, 1, 0, 0]
    assert result.infinite == ["NV = +Inf"]
    assert str(result).splitlines()[0] == "Separation: yes (quasi-complete)"
    assert detect_separation(data.X, data.y, exact=True).directions == [0, 1, 0, 0]


def test_the_unpenalized_endometrial_fit_stops_and_says_why():
    """The finite estimates are glm's (detectseparation's README: 4.3045178, -0.0421834,
    -2.9026056; their limits as NV -> infinity), NV is named, and summarize refuses."""
    data = load_endometrial()
    with pytest.warns(SeparationWarning, match="quasi-completely separated.*NV = \\+Inf.*penalty='firth'"):
        model = LogisticRegression(solver="newton", tol=1e-10).fit(data.X, data.y,
                                                                   feature_names=data.feature_names)
    assert model.stop_reason_ == "separated" and not model.converged_
    assert [model.intercept_] + model.coef_[1:] == pytest.approx([4.3045178, -0.0421834, -2.9026056], rel=1e-6)
    with pytest.raises(ValueError, match="do not exist.*NV = \\+Inf.*penalty='firth'"):
        summarize(model, data.X, data.y)


def test_newton_steps_certify_only_small_moves():
    assert newton_step_certifies([[1.0], [-2.0]], [0.1, 0.2])  # log-odds move by 0.3 and -0.3
    assert not newton_step_certifies([[1.0], [-2.0]], [0.1, -0.3])  # the second moves by 0.7
    assert newton_step_certifies([[1.0], [-2.0]], [0.1, -0.3], [1.0, 0.0])  # weight 0: not in the fit


def test_zero_weight_rows_are_left_out():
    X, y = [[1.0], [2.0], [3.0], [4.0]], [0, 1, 0, 1]
    assert not detect_separation(X, y).separated
    assert detect_separation(X, y, [1.0, 1.0, 0.0, 1.0]).kind == "complete"  # without row 3: 1 | 2, 4


@pytest.mark.parametrize("X, y, words", [
    ([[1.0], [2.0]], [0, 0], "only the class 0"),
    ([[1.0], [math.nan]], [0, 1], "X"),
    ([[1.0], [2.0]], [0, 1, 1], "X has 2 rows but y has 3 labels"),
])
def test_bad_data_are_refused(X, y, words):
    with pytest.raises(ValueError, match=words):
        detect_separation(X, y)


@st.composite
def data_of_many_scales(draw, smallest_power=-30):
    """``(X, y)`` whose cells are integers in -3..3 times ``2**k`` (``smallest_power <= k
    <= 0``), both classes: one column can hold 1 and 1e-9 at once, where a float tableau
    meets tiny pivots. Every cell is exact in binary, so ``Fraction`` sees the same numbers."""
    n, d = draw(st.integers(3, 8)), draw(st.integers(1, 3))
    cell = st.builds(lambda m, k: m * 2.0 ** k, st.integers(-3, 3), st.integers(smallest_power, 0))
    X = draw(st.lists(st.lists(cell, min_size=d, max_size=d), min_size=n, max_size=n))
    y = draw(st.lists(st.sampled_from([0, 1]), min_size=n, max_size=n).filter(lambda ys: 0 in ys and 1 in ys))
    return X, y


PINNED_UNBOUNDED = [  # a reduced cost of -3e-9, rounding in a tableau column of 1e7, had been taken for a ray
    ([[-3.25, 0, 0], [0, 1, 0], [0, 1, 0], [0, 1e-06, 0], [0, 1, 0], [1, 0, -2], [-1, 0, -1], [0, 0, -2]],
     [0, 1, 1, 0, 1, 0, 1, 1]),
    ([[0, 0, 1], [3, 0, 0], [0, 5.96e-08, -1], [0, -1, 0], [1, 0, 1]], [1, 1, 0, 0, 0]),
]


@at_least(50)  # a few ms each
@given(data_of_many_scales())
@example(PINNED_UNBOUNDED[0])
@example(PINNED_UNBOUNDED[1])
def test_the_separation_program_always_has_an_answer(data):
    """Law: Konis's program is feasible (beta = 0) and bounded (the box), so the float
    simplex answers "optimal" for any data, never "unbounded" or "infeasible"; here,
    whatever the spread of scales inside a column.

    Precondition: none beyond finite data (the spread reaches 2**-30 of a column's largest).
    """
    X, y = data
    assert detect_separation(X, y).kind in ("none", "quasi-complete", "complete")


@at_least(50)
@given(data_of_many_scales(smallest_power=-18))
@example(PINNED_UNBOUNDED[0])
def test_cells_of_many_scales_get_the_exact_verdict(data):
    """Law: the float computation's verdict and kind are the exact computation's, however
    the scales inside a column spread, down to 2**-18 / 3 (about 1e-6) of its largest.

    Precondition: columns of (1, X) independent; cells exact in binary (so the exact run
    sees the very same data) and at least 2**-18 / 3 of their column's largest: further
    down the tolerances (FLOAT_TOL, DIRECTION_TOL) decide, by design (with a cell of 2**-29
    in a column of 2, a margin of -2**-29 is the boundary to floats, and they report a
    quasi-separation that exact arithmetic does not; spreads of 2**-22 already differ on
    rare tables). Only the verdict is compared: a direction component as small as the
    smallest cells is below DIRECTION_TOL by design.
    """
    X, y = data
    assume(full_rank(X))
    exact, rounded = detect_separation(X, y, exact=True), detect_separation(X, y)
    assert (rounded.separated, rounded.kind) == (exact.separated, exact.kind)

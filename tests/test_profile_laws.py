"""Chapter 21, continued: the chi-square cut, restricted problems, the profile's statistics and its report, as laws.

Each law states what the chapter promises (the cut's probability, what holding a
parameter means, the statistic at every value, the count of refits, the printed
interval), not how it gets there, so that they stay true when the refits change.
"""

import copy
import math
import re
import warnings

import pytest
from hypothesis import example, given, strategies as st

from logreg_pure.part2_problem.driver import iterate
from logreg_pure.part2_problem.fixed_problem import FixedProblem
from logreg_pure.part2_problem.problem import make_problem
from logreg_pure.part2_problem.problem import Problem
from logreg_pure.part3_solvers.solvers import Newton
from logreg_pure.part5_inference import likelihood
from logreg_pure.part5_inference.likelihood import (
    MAX_DOUBLINGS,
    ProfileInterval,
    chi2_cut,
    likelihood_ratio_statistic,
    profile_interval,
    profile_statistics,
    restricted_fit,
)
from logreg_pure.part6_command_line.datasets import load_endometrial
from strategies import at_least, at_most, overlapping_datasets

EPS = 2.0 ** -52
SMALL = ([[0.0], [0.0], [1.0], [1.0], [2.0], [0.5]], [0.0, 1.0, 0.0, 1.0, 1.0, 0.0])  # overlapping


def optimum(X, y):
    problem = make_problem(X, y)
    return problem, iterate(Newton(), problem, epochs=100, tol=1e-12).theta


# ---------------------------------------------------------------------- the cut

@at_least(50)
@given(st.floats(1e-300, 1.0, exclude_max=True))
@example(0.05)
@example(1e-17)  # 1 - alpha / 2 rounds to 1 here: the upper tail would have no digits left
@example(1.0 - 2.0 ** -53)  # the largest alpha below 1
def test_the_cut_leaves_probability_alpha_above_it(alpha):
    """Law: chi2_cut(alpha) is the chi-square(1) quantile at 1 - alpha: a chi-square(1)
    variable (the square of a standard normal) exceeds it with probability alpha,
    P(Z^2 > q) = erfc(sqrt(q / 2)) = alpha, for every alpha in [1e-300, 1).

    Tolerance: the normal quantile is accurate to a few eps relative; an error e in
    z = sqrt(q) moves the tail by about z^2 e relative (z <= 37.1 here), and erfc adds
    a few eps: 1e-11 relative.
    """
    q = chi2_cut(alpha)
    assert q >= 0.0 and math.isfinite(q)
    assert math.erfc(math.sqrt(q / 2.0)) == pytest.approx(alpha, rel=1e-11)


@pytest.mark.parametrize("alpha", [0.0, 1.0, 1.5, 2.0 - EPS, -0.05, math.nan, math.inf, True, "0.05", None, 5e-324])
def test_an_alpha_outside_the_open_interval_is_a_value_error_naming_it(alpha):
    message = (r"^alpha=5e-324 is too small for floating point \(alpha / 2 underflows to 0\); use alpha >= 1e-300$"
               if alpha == 5e-324 else f"^alpha must be strictly between 0 and 1, got {re.escape(repr(alpha))}$")
    with pytest.raises(ValueError, match=message):
        chi2_cut(alpha)
    problem, theta = optimum(*SMALL)
    with pytest.raises(ValueError, match=message):
        profile_interval(problem, theta, 1, alpha)


# ------------------------------------------------------------ restricted problems

@at_least(50)
@given(overlapping_datasets(max_rows=6, max_features=2), st.data())
def test_a_fixed_problem_is_the_problem_with_those_parameters_held(data, draw):
    """Law: FixedProblem(problem, {j: v}, start) is the problem on the other parameters:
    its objective, gradient and Hessian at theta are the full problem's at theta with v
    put back in place j (with the j-th component, row and column left out); its start
    is start without j; a copy (shallow or deep) answers the same.

    Exact: the same arithmetic on the same full vector.
    """
    X, y = data
    problem = make_problem(X, y)
    d1 = len(X[0]) + 1
    j = draw.draw(st.integers(0, d1 - 1))
    v = draw.draw(st.floats(-2.0, 2.0))
    start = draw.draw(st.lists(st.floats(-1.0, 1.0), min_size=d1, max_size=d1))
    fixed = FixedProblem(problem, {j: v}, start)
    free = [k for k in range(d1) if k != j]
    assert fixed.start() == [start[k] for k in free]
    theta = [0.5 * t for t in fixed.start()]
    full = list(theta[:j]) + [v] + list(theta[j:])
    point, whole = fixed.at(theta), problem.at(full)
    assert point.objective == whole.objective == fixed.objective(theta)
    assert point.gradient == [whole.gradient[k] for k in free]
    assert fixed.hessian(point) == [[problem.hessian(whole)[a][b] for b in free] for a in free]
    assert fixed.parameter_names == [problem.parameter_names[k] for k in free]
    assert fixed.unpenalized is problem.unpenalized
    for other in (copy.copy(fixed), copy.deepcopy(fixed)):
        assert other.objective(theta) == point.objective and other.full(theta) == full


def test_a_fixed_problem_refuses_what_it_cannot_hold():
    problem = Problem([[1.0], [3.0]], [0, 1])
    FixedProblem(problem, {1: 0.0}, [0.0, 0.0])  # the last parameter: fine
    FixedProblem(problem, {0: 0.0}, [0.0, 0.0])  # the intercept: fine
    with pytest.raises(ValueError, match="start has 3 values; the problem has 2"):
        FixedProblem(problem, {1: 0.0}, [0.0, 0.0, 0.0])
    with pytest.raises(ValueError, match=r"^fixed names parameters \[2\], but they are numbered 0 to 1$"):
        FixedProblem(problem, {2: 0.0}, [0.0, 0.0])
    with pytest.raises(ValueError, match=r"^fixed names parameters \[-1\], but they are numbered 0 to 1$"):
        FixedProblem(problem, {-1: 0.0}, [0.0, 0.0])
    with pytest.raises(ValueError, match="^a restricted fit needs at least one free parameter$"):
        FixedProblem(problem, {0: 0.0, 1: 0.0}, [0.0, 0.0])


# ------------------------------------------------------------------ the profile

@at_most(10)
@given(overlapping_datasets(max_rows=6, max_features=1), st.data())
@example(SMALL, None)
def test_profile_statistics_are_the_likelihood_ratio_statistics_at_each_value(data, draw):
    """Law: profile_statistics(problem, theta_hat, j, values)[k] is the likelihood-ratio
    statistic of theta_j = values[k] (a restricted fit on its own), in the order the
    values are given, and 0 at the estimate itself.

    Precondition: overlapping_datasets (the estimate and every restricted optimum
    exist). Tolerance: each statistic is 2 S times a difference of two optima reached
    to a gradient of 1e-11 from different starts, 1e-8 absolute.
    """
    X, y = data
    problem, theta = optimum(X, y)
    j = draw.draw(st.integers(0, 1)) if draw is not None else 1
    offsets = draw.draw(st.lists(st.floats(-2.0, 2.0), min_size=1, max_size=4)) if draw is not None else [1.5, -0.5]
    values = [theta[j] + o for o in offsets] + [theta[j]]
    statistics = profile_statistics(problem, theta, j, values)
    assert len(statistics) == len(values) and abs(statistics[-1]) <= 1e-8
    for v, s in zip(values, statistics):
        assert s == pytest.approx(likelihood_ratio_statistic(problem, theta, {j: v}), abs=1e-8)


@at_most(10)
@given(overlapping_datasets(max_rows=6, max_features=1), st.integers(0, 1))
@example(SMALL, 1)
def test_an_interval_counts_the_refits_it_took(data, j):
    """Law: ProfileInterval.refits is the number of restricted fits the interval took
    (counted here by wrapping restricted_fit), its estimate is theta_hat[j], its alpha
    the one asked, and its name the parameter's.

    Exact counts.
    """
    X, y = data
    problem, theta = optimum(X, y)
    calls = []
    real = likelihood.restricted_fit
    likelihood.restricted_fit = lambda *args, **options: calls.append(1) or real(*args, **options)
    try:
        interval = profile_interval(problem, theta, j, 0.1)
    finally:
        likelihood.restricted_fit = real
    assert interval.refits == len(calls) > 0
    assert (interval.name, interval.estimate, interval.alpha) == (problem.parameter_names[j], theta[j], 0.1)


@pytest.mark.parametrize("j", [-1, 2, 1.0, "1"])
def test_the_parameter_index_must_name_a_parameter(j):
    problem, theta = optimum(*SMALL)
    with pytest.raises(ValueError, match="j must index a parameter, 0 to 1"):
        profile_interval(problem, theta, j)


def test_an_interval_prints_its_ends_level_and_why_an_end_is_open():
    both = ProfileInterval("age", 0.5, -1.25, 2.5, 0.05, 12)
    assert str(both) == "age: 0.5, 95% profile interval [-1.25, 2.5]" and both.note == ""
    above = ProfileInterval("NV", 2.0, 1.284, math.inf, 0.1, 40)
    assert str(above).startswith("NV: 2, 90% profile interval [1.284, inf]; NV: no upper end: ")
    assert above.note.startswith("NV: no upper end: ") and "separated" in above.note
    below = ProfileInterval("x", 0.0, -math.inf, 1.0, 0.05, 40)
    assert below.note == ("x: no lower end: the likelihood-ratio statistic stays below the chi-square cut however "
                          "far the parameter moves that way (the data are separated in that direction), so the "
                          "interval is open there")
    neither = ProfileInterval("x", 0.0, -math.inf, math.inf, 0.05, 60)
    assert neither.note.startswith("x: no lower and no upper end: ") and neither.note in str(neither)


def test_an_end_is_infinite_after_max_doublings_without_a_crossing():
    """The endometrial data (chapter 21's example): NV's profile rises for ever above the
    estimate; the interval says so after the first step and MAX_DOUBLINGS - 1 doublings
    of it, MAX_DOUBLINGS refits above the estimate in all, each twice as far out."""
    data = load_endometrial()
    problem = make_problem(data.X, data.y, feature_names=data.feature_names)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theta = iterate(Newton(), problem, epochs=100, tol=1e-10).theta
    calls = []
    real = likelihood.restricted_fit
    likelihood.restricted_fit = lambda *args, **options: calls.append(args[2]) or real(*args, **options)
    try:
        interval = profile_interval(problem, theta, 1)
    finally:
        likelihood.restricted_fit = real
    assert interval.upper == math.inf and math.isfinite(interval.lower)
    above = [fixed[1] - theta[1] for fixed in calls if fixed[1] > theta[1]]
    assert len(above) == MAX_DOUBLINGS
    assert all(b == pytest.approx(2.0 * a, rel=1e-12) for a, b in zip(above, above[1:]))


def test_a_hold_whose_optimum_is_at_infinity_is_refused_with_how_the_fit_ended():
    """Holding the intercept at 0 on data that x separates through the origin: the slope
    alone still separates them, its optimum is at infinity, and the refusal says so."""
    problem = make_problem([[-2.0], [-1.0], [1.0], [2.0]], [0, 0, 1, 1])
    with pytest.raises(ValueError, match=r"^the fit with intercept = 0 held did not reach its optimum .* the "
                                         r"classes are separated, .*the restricted optimum is at infinity$"):
        restricted_fit(problem, [0.0, 0.0], {0: 0.0})


def test_a_hold_that_saturates_most_rows_still_reaches_its_optimum():
    """Holding the slope at 1e6 on x = 1, 2, 3, 4 (labels 0, 1, 0, 1) puts almost every
    probability at 0 or 1 whatever the intercept b, yet J(b) has a minimum: J is
    piecewise linear in b, 250,000 = (1e6 + 0) / 4 on the stretch -3e6 < b < -2e6 where
    one row of each class is misclassified by 1e6, and higher outside it. The refit finds
    that stretch (a trial point whose curvature vanishes is a step to halve, not a
    verdict). Exact: J's terms there are whole numbers with no rounding."""
    problem = make_problem([[1.0], [2.0], [3.0], [4.0]], [0, 1, 0, 1])
    theta, J = restricted_fit(problem, [0.0, 0.0], {1: 1e6})
    assert theta[1] == 1e6 and -3e6 <= theta[0] <= -2e6
    assert J == 250000.0

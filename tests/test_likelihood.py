"""Chapter 21: likelihood-ratio tests and profile intervals, by refitting with parameters held."""

import math
import warnings

import pytest
from hypothesis import given, strategies as st

from logreg_pure import LogisticRegression, summarize
from logreg_pure.part1_mathematics.linalg import inverse_spd
from logreg_pure.part2_problem.driver import iterate
from logreg_pure.part2_problem.problem import make_problem
from logreg_pure.part3_solvers.solvers import Newton
from logreg_pure.part5_inference.inference import likelihood_ratio_test, normal_two_sided_p, observed_information
from logreg_pure.part5_inference.likelihood import chi2_cut, likelihood_ratio_statistic, profile_interval
from logreg_pure.part6_command_line.datasets import load_endometrial, load_study_hours
from strategies import at_most, overlapping_datasets

# logistf on the endometrial data, HG ~ NV + PI + EH: its profile penalized-likelihood
# 95% intervals, as pinned by the firthlogist package's tests ("logistf_ci"); intercept first.
LOGISTF_CI = [(1.0825371, 7.20928050), (0.6097244, 7.85463171), (-0.1244587, 0.04045547),
              (-4.3651832, -1.23272106)]


def newton_fit(X, y, **options):
    return LogisticRegression(solver="newton", tol=1e-10, **options).fit(X, y)


def optimum(X, y):
    problem = make_problem(X, y)
    return problem, iterate(Newton(), problem, epochs=100, tol=1e-12).theta


@pytest.fixture(scope="module")
def endometrial_firth():
    data = load_endometrial()
    model = newton_fit(data.X, data.y, penalty="firth")
    return summarize(model, data.X, data.y, data.feature_names, target_name="HG")


# ---------------------------------------------------------------------- the laws

@at_most(15)  # each example: two ends, about 20 Newton refits each
@given(overlapping_datasets(max_rows=6), st.data())
def test_profile_ends_solve_the_defining_equation(data, draw):
    """Law: for reg = 0 the profile interval contains the estimate, and at each end v the
    likelihood-ratio statistic of theta_j = v equals the chi-square cut q to 1e-6
    relative (the ends are found to 1e-10 of their size; the refits to a gradient of 1e-11).

    Precondition: overlapping_datasets, so that the estimate exists and both ends are finite.
    """
    X, y = data
    problem, theta = optimum(X, y)
    j = draw.draw(st.integers(0, len(theta) - 1))
    interval = profile_interval(problem, theta, j)
    q = chi2_cut(0.05)
    assert interval.lower < theta[j] < interval.upper
    for end in (interval.lower, interval.upper):
        assert likelihood_ratio_statistic(problem, theta, {j: end}) == pytest.approx(q, rel=1e-6)


def two_features(data):
    return len(data[0][0]) == 2


@at_most(20)
@given(overlapping_datasets(max_features=2).filter(two_features), st.integers(0, 1))
def test_the_likelihood_ratio_of_nested_models_is_not_negative(data, kept):
    """Law: the statistic 2 (log L_full - log L_restricted) of two nested fits on the same
    rows is >= 0 (to 1e-9: both fits stop at a gradient of 1e-10), since the restricted
    model's optimum is one of the full model's candidates.

    Precondition: overlapping_datasets with two features; the restricted model keeps one
    (its anchors still carry both labels, so both estimates exist).
    """
    X, y = data
    names = ["a", "b"]
    full = summarize(newton_fit(X, y), X, y, names)
    one = [[row[kept]] for row in X]
    restricted = summarize(newton_fit(one, y), one, y, [names[kept]])
    test = likelihood_ratio_test(full, restricted)
    assert test.df == 1 and test.statistic >= -1e-9 and 0.0 <= test.p_value <= 1.0


@at_most(20)
@given(overlapping_datasets(max_features=2).filter(two_features))
def test_each_parameter_test_is_the_fit_without_its_column(data):
    """Law: likelihood_ratio_tests() for feature j (held at 0, the rest refitted) equals
    2 (log L_full - log L_without_j) from a separate fit without column j, to 1e-8
    (both optima to a gradient of 1e-10).

    Precondition: overlapping_datasets with two features (one left after dropping).
    """
    X, y = data
    full = summarize(newton_fit(X, y), X, y)
    for j, test in enumerate(full.likelihood_ratio_tests()[1:]):
        dropped = [row[:j] + row[j + 1:] for row in X]
        reduced = summarize(newton_fit(dropped, y), dropped, y)
        assert test.statistic == pytest.approx(2.0 * (full.log_likelihood - reduced.log_likelihood), abs=1e-8)


# ----------------------------------------------------------- published results

def test_firth_profile_intervals_match_logistf(endometrial_firth):
    """logistf's profile penalized-likelihood intervals, to 1e-6 relative (logistf stops
    its Venzon-Moolgavkar iteration at log-likelihood changes of 1e-5)."""
    for (low, high), (ref_low, ref_high) in zip(endometrial_firth.conf_int(0.05, "profile"), LOGISTF_CI):
        assert low == pytest.approx(ref_low, rel=1e-6) and high == pytest.approx(ref_high, rel=1e-6)


def test_firth_wald_fails_where_profile_does_not(endometrial_firth):
    """The chapter's worked example: NV's Wald interval [-0.110, 5.969] crosses 0, its
    profile interval [0.610, 7.855] does not."""
    wald, profile = endometrial_firth.conf_int()[1], endometrial_firth.conf_int(method="profile")[1]
    assert [f"{v:.3f}" for v in wald + profile] == ["-0.110", "5.969", "0.610", "7.855"]
    tests = endometrial_firth.likelihood_ratio_tests()
    assert [t.hypothesis for t in tests] == ["intercept = 0", "NV = 0", "PI = 0", "EH = 0"]
    assert tests[1].p_value < 0.01 < endometrial_firth.p_values[1]  # LR: evidence; Wald: "none"


@pytest.mark.parametrize("tol, stop, se, z, p", [(1e-6, "15.84", "877", "0.018", "0.986"),
                                                 (1e-10, "24.84", "78922", "0.0003", "0.9997")])
def test_the_chapters_hauck_donner_numbers(tol, stop, se, z, p):
    """Chapter 21's worked example, as its text states it: maximum likelihood stops where
    its tolerance says; Wald's standard error grows faster than NV, so z falls; the
    likelihood-ratio test and the profile interval do not care where it stopped."""
    data = load_endometrial()
    problem = make_problem(data.X, data.y, feature_names=data.feature_names)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theta = iterate(Newton(), problem, epochs=100, tol=tol).theta
    wald_se = math.sqrt(inverse_spd(observed_information(problem, problem.at(theta)))[1][1])
    assert (f"{theta[1]:.2f}", f"{wald_se:.0f}") == (stop, se)
    assert (f"{theta[1] / wald_se:.{len(z) - 2}f}", f"{normal_two_sided_p(theta[1] / wald_se):.{len(p) - 2}f}") == (z, p)
    assert f"{likelihood_ratio_statistic(problem, theta, {1: 0.0}):.3f}" == "9.358"
    interval = profile_interval(problem, theta, 1)
    assert f"{interval.lower:.3f}" == "1.284" and interval.upper == math.inf
    assert "NV: no upper end" in interval.note and "separated" in interval.note


def test_the_study_hours_likelihood_ratio_is_the_published_one():
    """Wikipedia's study-hours example: the likelihood-ratio statistic 11.6661 (p 0.0006365)."""
    data = load_study_hours()
    result = summarize(newton_fit(data.X, data.y), data.X, data.y, data.feature_names)
    test = result.likelihood_ratio_tests()[1]
    assert f"{test.statistic:.4f}" == "11.6661" and f"{test.p_value:.4g}" == "0.0006365"
    low, high = result.conf_int(method="profile")[1]
    assert low < result.params[1] < high and result.conf_int()[1] != (low, high)


# --------------------------------------------------------------- refusals

@pytest.fixture(scope="module")
def two_models():
    # (1, 1), (2, 1) and (1, 2) carry both labels: no direction separates, with or without x1
    X = [[1.0, 1.0], [1.0, 1.0], [2.0, 1.0], [2.0, 1.0], [1.0, 2.0], [1.0, 2.0], [3.0, 2.0], [0.0, 3.0]]
    y = [0, 1, 0, 1, 0, 1, 1, 0]
    full = summarize(newton_fit(X, y), X, y)
    restricted = summarize(newton_fit([r[:1] for r in X], y), [r[:1] for r in X], y)
    return X, y, full, restricted


def test_nested_models_compare_as_anova_does(two_models):
    _, _, full, restricted = two_models
    test = likelihood_ratio_test(full, restricted)
    assert test.hypothesis == "x1 = 0" and test.df == 1
    assert test.statistic == pytest.approx(2 * (full.log_likelihood - restricted.log_likelihood))
    assert test.statistic == pytest.approx(full.likelihood_ratio_tests()[2].statistic, abs=1e-8)


def test_models_that_are_not_nested_are_refused(two_models):
    X, y, full, restricted = two_models
    with pytest.raises(ValueError, match="pass the larger model first"):
        likelihood_ratio_test(restricted, full)
    renamed = summarize(newton_fit([r[:1] for r in X], y), [r[:1] for r in X], y, ["z"])
    with pytest.raises(ValueError, match="no parameter 'z'"):
        likelihood_ratio_test(full, renamed)
    fewer = summarize(newton_fit([r[:1] for r in X[:-1]], y[:-1]), [r[:1] for r in X[:-1]], y[:-1])
    with pytest.raises(ValueError, match="different numbers of rows \\(8 and 7\\)"):
        likelihood_ratio_test(full, fewer)
    flipped = summarize(newton_fit([r[:1] for r in X], y[::-1]), [r[:1] for r in X], y[::-1])
    with pytest.raises(ValueError, match="different rows"):
        likelihood_ratio_test(full, flipped)
    ridge = summarize(newton_fit([r[:1] for r in X], y, reg=0.1), [r[:1] for r in X], y)
    with pytest.raises(ValueError, match="maximum-likelihood fits"):
        likelihood_ratio_test(full, ridge)
    with pytest.raises(ValueError, match="need an unpenalized or Firth fit"):
        ridge.conf_int(method="profile")
    with pytest.raises(ValueError, match="method must be one of 'wald', 'profile'"):
        full.conf_int(method="bootstrap")

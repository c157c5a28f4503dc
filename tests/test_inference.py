"""Chapter 22: standard errors, p-values, intervals and odds ratios."""

import math
import warnings

import pytest
from hypothesis import example, given, strategies as st

from logreg_pure import LogisticRegression, NotFittedError, SingularMatrixError, summarize
from logreg_pure.part1_mathematics.gradient import hessian
from logreg_pure.part1_mathematics.linalg import inverse_spd
from logreg_pure.part5_inference.inference import chi2_sf, normal_cdf, normal_quantile, regularized_gamma_q
from logreg_pure.part6_command_line.datasets import load_breast_cancer, load_study_hours
from strategies import EPS, at_most, finite_floats, overlapping_datasets


def newton_fit(X, y, **options):
    return LogisticRegression(solver="newton", tol=1e-10, **options).fit(X, y)


@pytest.fixture(scope="module")
def hours_summary():
    data = load_study_hours()
    model = newton_fit(data.X, data.y)
    return summarize(model, data.X, data.y, data.feature_names, target_name="passed")


# --------------------------------------------------------- the published example

def test_matches_the_published_study_hours_table(hours_summary):
    """Wikipedia, "Logistic regression", the study-hours example: every printed digit."""
    s = hours_summary
    assert [f"{v:.4f}" for v in s.params] == ["-4.0777", "1.5046"]
    assert [f"{v:.4f}" for v in s.std_errors] == ["1.7610", "0.6287"]
    assert [f"{v:.3f}" for v in s.z_values] == ["-2.316", "2.393"]
    assert [f"{v:.4f}" for v in s.p_values] == ["0.0206", "0.0167"]
    assert f"{s.log_likelihood:.4f}" == "-8.0299"
    assert s.null_log_likelihood == pytest.approx(20 * math.log(0.5), rel=1e-15)
    assert f"{s.llr_p_value:.5f}" == "0.00064"
    table = str(s)
    assert "-4.0777" in table and "1.7610" in table and "0.0167" in table
    assert max(len(line) for line in table.splitlines()) <= 80


def test_interpretation_speaks_of_odds_not_probabilities(hours_summary):
    (sentence,) = hours_summary.interpret()
    assert "multiplies the odds (not the probability)" in sentence
    assert "4.5 (95% CI 1.31 to 15.4)" in sentence
    # beta = 1.504: from 0.5 one more hour gives sigmoid(1.504) = 0.818, where the slope
    # (the divide-by-four rule) would have said 0.5 + 0.376
    assert "raises it to a probability of 0.818" in sentence and "beta/4 = 0.376 per unit" in sentence


def test_penalized_fit_is_labelled():
    data = load_study_hours()
    model = newton_fit(data.X, data.y, reg=0.1)
    assert "penalized" in str(summarize(model, data.X, data.y)).splitlines()[0]


def test_separated_data_are_refused():
    data = load_breast_cancer()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = LogisticRegression(solver="newton").fit(data.X, data.y)
    with pytest.raises(ValueError, match="do not exist"):
        summarize(model, data.X, data.y)


# ---------------------------------------------------------------------- the laws

@at_most(40)
@given(overlapping_datasets())
def test_duplicating_the_data_shrinks_errors_by_root_two(data):
    """Law: twice the data, same estimates, standard errors divided by sqrt(2).

    The mean loss is unchanged by duplication, so is its minimizer; the information
    X1^T W X1 doubles, so its inverse halves. Both fits are solved to 1e-10.
    """
    X, y = data
    once = summarize(newton_fit(X, y), X, y)
    twice = summarize(newton_fit(X + X, y + y), X + X, y + y)
    for a, b in zip(once.params, twice.params):
        assert abs(a - b) <= 1e-7 * (1 + abs(a))
    for a, b in zip(once.std_errors, twice.std_errors):
        assert abs(a / math.sqrt(2.0) - b) <= 1e-7 * a


@at_most(40)
@given(overlapping_datasets(), st.data())
def test_odds_ratio_is_the_ratio_of_fitted_odds(data, draw):
    """Law: exp(beta_j) = odds(x + e_j) / odds(x) for any x (log-odds are linear)."""
    X, y = data
    model = newton_fit(X, y)
    s = summarize(model, X, y)
    x = draw.draw(st.lists(finite_floats(3.0), min_size=len(X[0]), max_size=len(X[0])))
    j = draw.draw(st.integers(0, len(x) - 1))
    moved = [v + 1.0 if k == j else v for k, v in enumerate(x)]
    z0, z1 = model.decision_function([x, moved])
    assert s.odds_ratios[j + 1] == pytest.approx(math.exp(z1 - z0), rel=1e-9)


@at_most(40)
@given(st.lists(st.integers(1, 9), min_size=4, max_size=4))
def test_binary_feature_odds_ratio_is_the_cross_product_ratio(cells):
    """Law: for one 0/1 feature the fitted odds ratio is the 2x2 table's a d / (b c).

    With a saturated model the fitted probabilities equal the cell proportions.
    cells = (a, b, c, d): a = (x=1, y=1), b = (x=1, y=0), c = (x=0, y=1), d = (x=0, y=0).
    """
    a, b, c, d = cells
    X = [[1.0]] * (a + b) + [[0.0]] * (c + d)
    y = [1.0] * a + [0.0] * b + [1.0] * c + [0.0] * d
    s = summarize(newton_fit(X, y), X, y)
    assert s.odds_ratios[1] == pytest.approx(a * d / (b * c), rel=1e-8)


@at_most(40)
@given(overlapping_datasets())
def test_fitted_probabilities_average_to_the_base_rate(data):
    """Law: at the unpenalized optimum with an intercept, mean(p_hat) = mean(y).

    It is the first-order condition dJ/db = mean(p - y) = 0; Newton's tolerance
    1e-10 bounds the difference.
    """
    X, y = data
    model = newton_fit(X, y)
    p = model.probability(X)
    assert abs(math.fsum(p) / len(p) - math.fsum(y) / len(y)) <= 1e-10 + 8 * EPS


@at_most(40)
@given(overlapping_datasets())
def test_information_criteria_add_up(data):
    """Law: AIC and BIC charge the same deviance for k = d + 1 parameters, 2 per
    parameter and log n per parameter: BIC - AIC = k (log n - 2).

    (Each is checked against its definition in test_summary_statistics.py.)
    Tolerance: two sums of the deviance, 1e-12 relative to it.
    """
    X, y = data
    s = summarize(newton_fit(X, y), X, y)
    k = len(X[0]) + 1
    assert s.bic - s.aic == pytest.approx(k * (math.log(len(X)) - 2.0), abs=1e-12 * (s.deviance + 1.0))


@at_most(40)
@given(overlapping_datasets(), st.sampled_from([0.1, 1.0]))
def test_standard_errors_are_the_log_likelihood_curvature(data, reg):
    """Law: std error_j^2 = [(n H)^-1]_jj with H the Hessian of the *unpenalized*
    mean loss at the estimate (X1^T W X1 = n H): the data's information, even for a
    penalized fit, whose table is labelled as such.

    Checked against the reference per-example hessian; tolerance 1e-9 relative.
    """
    X, y = data
    model = newton_fit(X, y, reg=reg)
    s = summarize(model, X, y)
    n = len(X)
    information = [[n * h for h in row] for row in hessian(model.coef_, model.intercept_, X, 0.0)]
    covariance = inverse_spd(information)
    for j, se in enumerate(s.std_errors):
        assert se == pytest.approx(math.sqrt(covariance[j][j]), rel=1e-9)


@given(finite_floats(40.0), finite_floats(40.0))
def test_normal_cdf_is_monotone(a, b):
    """Law: Phi is non-decreasing: a <= b implies Phi(a) <= Phi(b), exactly (erfc is
    monotone in its correctly rounded implementation)."""
    low, high = min(a, b), max(a, b)
    assert normal_cdf(low) <= normal_cdf(high)


@given(finite_floats(40.0))
def test_normal_cdf_is_symmetric(x):
    """Law: Phi(-x) = 1 - Phi(x), to 4 eps (the subtraction from 1 rounds)."""
    assert abs(normal_cdf(-x) - (1.0 - normal_cdf(x))) <= 4 * EPS


@given(st.floats(0.0, 200.0), st.floats(0.0, 200.0), st.integers(1, 40))
def test_chi2_survival_decreases_in_x(a, b, df):
    """Law: P(X >= x) is non-increasing in x for every df (to rounding, 1e-15)."""
    low, high = min(a, b), max(a, b)
    assert chi2_sf(high, df) <= chi2_sf(low, df) + 1e-15


@given(st.floats(0.0, 100.0))
def test_chi2_survival_matches_closed_forms(x):
    """Law: for df = 1, 2, 3 the survival function has closed forms:
    erfc(sqrt(x/2)); exp(-x/2); erfc(sqrt(x/2)) + sqrt(2x/pi) exp(-x/2).

    Tolerance: 1e-13 relative, plus 1e-300 absolute for the far tail.
    """
    r = math.sqrt(x / 2.0)
    closed = {
        1: math.erfc(r),
        2: math.exp(-x / 2.0),
        3: math.erfc(r) + math.sqrt(2.0 * x / math.pi) * math.exp(-x / 2.0),
    }
    for df, expected in closed.items():
        assert chi2_sf(x, df) == pytest.approx(expected, rel=1e-13, abs=1e-300)


def poisson_below(a, x):
    """P(Poisson(x) < a) = exp(-x) sum_{k < a} x^k / k!, term by term."""
    return math.fsum(math.exp(-x) * x ** k / math.factorial(k) for k in range(a))


@given(st.integers(1, 20), st.floats(0.0, 60.0))
@example(1, 1.0)  # Q(1, 1) = 1/e
@example(3, 4.0)  # x = a + 1: where the series hands over to the continued fraction
def test_regularized_gamma_q_of_a_whole_number_is_a_poisson_probability(a, x):
    """Law: for a whole number a, Q(a, x) = P(Poisson(x) < a) = exp(-x) sum_{k<a} x^k / k!
    (the waiting time for the a-th event of a unit-rate Poisson process exceeds x
    exactly when fewer than a events happen by time x).

    Tolerance: 1e-12 relative (series and continued fraction stop at eps; the
    finite sum rounds a few times), plus 1e-300 absolute for the far tail.
    """
    assert regularized_gamma_q(float(a), x) == pytest.approx(poisson_below(a, x), rel=1e-12, abs=1e-300)


@pytest.mark.parametrize("call, words", [
    (lambda: normal_quantile(0.0), "a quantile needs 0 < q < 1"),
    (lambda: normal_quantile(1.0), "a quantile needs 0 < q < 1"),
    (lambda: normal_quantile(math.nan), "a quantile needs 0 < q < 1"),
    (lambda: regularized_gamma_q(0.0, 1.0), "needs a > 0"),
    (lambda: regularized_gamma_q(math.nan, 1.0), "needs a > 0"),
    (lambda: regularized_gamma_q(1.0, -1.0), "needs x >= 0"),
    (lambda: regularized_gamma_q(1.0, math.nan), "needs x >= 0"),
    (lambda: chi2_sf(1.0, 0), "whole number of degrees of freedom"),
    (lambda: chi2_sf(1.0, 1.5), "whole number of degrees of freedom"),
    (lambda: chi2_sf(1.0, True), "whole number of degrees of freedom"),
    (lambda: chi2_sf(math.nan, 2), "needs x >= 0"),
])
def test_distribution_functions_refuse_arguments_outside_their_domain(call, words):
    with pytest.raises(ValueError, match=words):
        call()


def test_normal_quantile_hand_value():
    assert normal_quantile(0.975) == pytest.approx(1.959963984540054, rel=1e-12)


# ------------------------------------------------------------------ bad input

def test_bad_input():
    data = load_study_hours()
    with pytest.raises(NotFittedError, match="fitted model"):
        summarize(LogisticRegression(), data.X, data.y)
    model = newton_fit(data.X, data.y)
    with pytest.raises(ValueError, match="has 2 values, but the model was fit on 1"):
        summarize(model, [[1.0, 2.0]] * 20, data.y)
    with pytest.raises(ValueError, match="X has 20 rows but y has 19"):
        summarize(model, data.X, data.y[:-1])
    with pytest.raises(ValueError, match="not the data the model was fit on"):
        summarize(model, data.X, list(reversed(data.y)))
    with pytest.raises(ValueError, match="feature_names has 2 names"):
        summarize(model, data.X, data.y, ["a", "b"])
    s = summarize(model, data.X, data.y)
    for alpha in (0.0, 1.0, -0.1, 1.5, math.nan, True, "0.05"):
        with pytest.raises(ValueError, match="alpha must be strictly between 0 and 1"):
            s.conf_int(alpha)
    with pytest.raises(ValueError, match="did not converge"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            unconverged = LogisticRegression(solver="gd", epochs=5).fit(data.X, data.y)
        summarize(unconverged, data.X, data.y)


def test_singular_information_names_the_column():
    X = [[v, 2.0 * v] for v in (0.0, 1.0, 2.0, 3.0, 0.5, 1.5)]
    y = [0, 1, 0, 1, 1, 0]
    model = LogisticRegression(solver="newton", reg=0.1, tol=1e-10).fit(X, y, feature_names=["a", "a2"])
    with pytest.raises(SingularMatrixError, match="singular at 'a2'"):
        summarize(model, X, y)

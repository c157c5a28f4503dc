"""Chapter 22: every number of the summary, computed a second way.

``summarize`` computes its statistics from the chapters before it. Each law here
recomputes one of them from its textbook definition, with the fitted coefficients
as the only shared input: probabilities by the textbook sigmoid, the
log-likelihood as a sum of log-probabilities of the observed labels, the
covariance by exact rational elimination, chi-square tail areas in closed form.
"""

import math
import re
from fractions import Fraction
from statistics import NormalDist

import pytest
from hypothesis import example, given, strategies as st, target

from logreg_pure import LogisticRegression, summarize
from logreg_pure.part5_inference.inference import chi2_sf, normal_quantile, regularized_gamma_q
from logreg_pure.part6_command_line.datasets import load_study_hours
from strategies import at_most, overlapping_datasets

# LLR 0.15 and a coefficient of 0.36: a weak signal.
WEAK_SIGNAL = ([[0.0], [0.0], [1.0], [1.0], [2.0], [2.0], [2.0]], [0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 1.0])
NO_SIGNAL = ([[0.0], [0.0], [1.0], [1.0]], [0.0, 1.0, 0.0, 1.0])  # the fit is the null model


def fitted(data):
    """The maximum-likelihood fit (Newton, to 1e-10) and its summary."""
    X, y = data
    model = LogisticRegression(solver="newton", tol=1e-10).fit(X, y)
    return model, summarize(model, X, y)


def probabilities(model, X):
    """p_i = 1 / (1 + exp(-z_i)), z_i = b + sum_j w_j x_ij: the textbook form (the fitted
    log-odds of overlapping data stay far from where it overflows)."""
    return [1.0 / (1.0 + math.exp(-(model.intercept_ + math.fsum(w * v for w, v in zip(model.coef_, x)))))
            for x in X]


def log_likelihood(model, X, y):
    """sum_i log P(y_i): log p where y = 1, log(1 - p) where y = 0."""
    return math.fsum(math.log(p) if t == 1.0 else math.log1p(-p) for p, t in zip(probabilities(model, X), y))


def null_log_likelihood(y):
    """The intercept-only model predicts the base rate n_1 / n for every row:
    n_1 log(n_1 / n) + n_0 log(n_0 / n)."""
    n, n1 = len(y), sum(1 for t in y if t == 1.0)
    return n1 * math.log(n1 / n) + (n - n1) * math.log((n - n1) / n)


def chi2_upper_tail(x, df):
    """P(chi-square_df >= x) in closed form for df = 1, 2, 3, 4."""
    r = math.sqrt(x / 2.0)
    closed = {
        1: math.erfc(r),
        2: math.exp(-x / 2.0),
        3: math.erfc(r) + math.sqrt(2.0 * x / math.pi) * math.exp(-x / 2.0),
        4: math.exp(-x / 2.0) * (1.0 + x / 2.0),
    }
    return closed[df]


def exact_inverse(matrix):
    """The inverse of a float matrix, by Gauss-Jordan elimination in exact fractions."""
    d = len(matrix)
    rows = [[Fraction(v) for v in row] + [Fraction(int(i == j)) for j in range(d)] for i, row in enumerate(matrix)]
    for col in range(d):
        pivot = next(r for r in range(col, d) if rows[r][col] != 0)
        rows[col], rows[pivot] = rows[pivot], rows[col]
        rows[col] = [v / rows[col][col] for v in rows[col]]
        for r in range(d):
            if r != col:
                rows[r] = [a - rows[r][col] * b for a, b in zip(rows[r], rows[col])]
    return [[float(v) for v in row[d:]] for row in rows]


STATISTICS_EXAMPLES = 30  # each example is a Newton fit and a summary; 30 cover the shapes


# ------------------------------------------------------------ the likelihoods

@at_most(STATISTICS_EXAMPLES)
@given(overlapping_datasets(max_features=3))
def test_log_likelihood_is_the_sum_of_log_probabilities_of_the_labels(data):
    """Law: log L = sum_i [y_i log p_i + (1 - y_i) log(1 - p_i)], p_i the fitted
    probabilities (textbook sigmoid).

    Tolerance: 1e-12 relative plus 1e-12 n: each term of the textbook form is
    accurate to a few eps times (1 + |z_i|), and the fitted |z_i| stay small.
    """
    X, y = data
    model, s = fitted(data)
    expected = log_likelihood(model, X, y)
    target(abs(s.log_likelihood - expected) / (abs(expected) + len(y)), label="relative error")
    assert s.log_likelihood == pytest.approx(expected, rel=1e-12, abs=1e-12 * len(y))


@at_most(STATISTICS_EXAMPLES)
@given(overlapping_datasets(max_features=3))
def test_null_log_likelihood_is_that_of_the_base_rate(data):
    """Law: log L0 = n_1 log(n_1 / n) + n_0 log(n_0 / n), the log-likelihood of the
    intercept-only model, whose fitted probability is the base rate n_1 / n.

    Tolerance: two logarithms and a sum of n terms, 1e-13 relative.
    """
    _, s = fitted(data)
    assert s.null_log_likelihood == pytest.approx(null_log_likelihood(data[1]), rel=1e-13)


@at_most(STATISTICS_EXAMPLES)
@given(overlapping_datasets(max_features=3))
def test_deviance_is_the_sum_of_squared_deviance_residuals(data):
    """Law: deviance = sum_i d_i^2, with the deviance residual
    d_i = sign(y_i - p_i) sqrt(-2 log P(y_i)) (and the null deviance likewise with
    the base rate for every p_i).

    Tolerance: as for the log-likelihood, 1e-12 relative plus 1e-12 n.
    """
    X, y = data
    model, s = fitted(data)

    def squared_residuals(ps):
        return math.fsum((math.copysign(math.sqrt(-2.0 * math.log(p if t == 1.0 else 1.0 - p)), t - p)) ** 2
                         for p, t in zip(ps, y))

    base_rate = sum(y) / len(y)
    assert s.deviance == pytest.approx(squared_residuals(probabilities(model, X)), rel=1e-12, abs=1e-12 * len(y))
    assert s.null_deviance == pytest.approx(squared_residuals([base_rate] * len(y)), rel=1e-12)


@at_most(STATISTICS_EXAMPLES)
@given(overlapping_datasets(max_features=3))
def test_aic_is_minus_twice_log_l_plus_twice_the_parameter_count(data):
    """Law: AIC = -2 log L + 2 k with k = d + 1 (the intercept counts), log L
    recomputed from the textbook probabilities.

    Tolerance: as for log L, 1e-12 relative plus 1e-12 n.
    """
    X, y = data
    model, s = fitted(data)
    k = len(X[0]) + 1
    assert s.aic == pytest.approx(-2.0 * log_likelihood(model, X, y) + 2 * k, rel=1e-12, abs=1e-12 * len(y))


@at_most(STATISTICS_EXAMPLES)
@given(overlapping_datasets(max_features=3))
def test_bic_is_minus_twice_log_l_plus_k_log_n(data):
    """Law: BIC = -2 log L + k log n with k = d + 1 parameters and n rows, log L
    recomputed from the textbook probabilities.

    Tolerance: as for log L, 1e-12 relative plus 1e-12 n.
    """
    X, y = data
    model, s = fitted(data)
    k, n = len(X[0]) + 1, len(X)
    assert s.bic == pytest.approx(-2.0 * log_likelihood(model, X, y) + k * math.log(n), rel=1e-12, abs=1e-12 * n)


@at_most(STATISTICS_EXAMPLES)
@given(overlapping_datasets(max_features=3))
def test_pseudo_r_squared_is_the_share_of_null_deviance_explained(data):
    """Law: McFadden's pseudo-R^2 = (D0 - D) / D0 = 1 - log L / log L0: the share of
    the null deviance that the features explain, both likelihoods recomputed.

    Tolerance: a ratio of two quantities known to 1e-12 relative, where D0 - D
    may be small: 1e-11 absolute.
    """
    X, y = data
    model, s = fitted(data)
    null_deviance, deviance = -2.0 * null_log_likelihood(y), -2.0 * log_likelihood(model, X, y)
    assert s.pseudo_r2 == pytest.approx((null_deviance - deviance) / null_deviance, abs=1e-11)


@at_most(STATISTICS_EXAMPLES)
@given(overlapping_datasets(max_features=3))
@example(NO_SIGNAL)  # LLR = 0: the feature explains nothing
@example(WEAK_SIGNAL)  # 0 < LLR < 1
def test_llr_is_twice_the_log_likelihood_gain_over_the_null_model(data):
    """Law: LLR = 2 (log L - log L0), both log-likelihoods recomputed, and it is
    never negative beyond rounding (the null model is nested in the fit).

    Tolerance: two log-likelihoods known to 1e-12 n: 1e-10 absolute.
    """
    X, y = data
    model, s = fitted(data)
    assert s.llr == pytest.approx(2.0 * (log_likelihood(model, X, y) - null_log_likelihood(y)), abs=1e-10)
    assert s.llr >= -1e-10


@at_most(STATISTICS_EXAMPLES)
@given(overlapping_datasets(max_features=3))
@example(NO_SIGNAL)  # LLR = 0: p = 1
@example(WEAK_SIGNAL)  # 0 < LLR < 1
def test_llr_p_value_is_the_chi_square_tail_of_the_llr(data):
    """Law: the LLR p-value is P(chi-square_d >= LLR), d the number of features, from
    the closed form of the tail for d = 1, 2, 3 (a rounding-negative LLR counts as 0).

    Tolerance: 1e-13 absolute, the closed forms' own rounding.
    """
    X, _ = data
    _, s = fitted(data)
    assert s.llr_p_value == pytest.approx(chi2_upper_tail(max(s.llr, 0.0), len(X[0])), abs=1e-13)


@at_most(STATISTICS_EXAMPLES)
@given(overlapping_datasets(max_features=3))
def test_degrees_of_freedom_count_features_and_rows(data):
    """Law: df_model = d (the features; the null model already has the intercept) and
    df_resid = n - d - 1 (rows less every parameter), as in statsmodels."""
    X, _ = data
    _, s = fitted(data)
    assert (s.df_model, s.df_resid) == (len(X[0]), len(X) - len(X[0]) - 1)


@at_most(STATISTICS_EXAMPLES)
@given(overlapping_datasets(max_features=3))
def test_covariance_is_the_inverse_of_the_observed_information(data):
    """Law: the covariance of the estimates is (X1^T W X1)^-1, W = diag(p_i (1 - p_i)),
    X1 = [1, X]: the information is summed here from the textbook probabilities and
    inverted exactly (rational Gauss-Jordan elimination); the standard errors are
    the square roots of its diagonal.

    Tolerance: the information's rounding, amplified by its condition number (below
    10^4 for these data), 1e-9 relative to sqrt(C_jj C_kk).
    """
    X, y = data
    model, s = fitted(data)
    rows = [[1.0] + list(x) for x in X]
    weights = [p * (1.0 - p) for p in probabilities(model, X)]
    d1 = len(rows[0])
    information = [[math.fsum(v * r[j] * r[k] for v, r in zip(weights, rows)) for k in range(d1)] for j in range(d1)]
    covariance = exact_inverse(information)
    target(max(abs(s.covariance[j][k] - covariance[j][k]) / math.sqrt(covariance[j][j] * covariance[k][k])
               for j in range(d1) for k in range(d1)), label="scaled error")
    for j in range(d1):
        assert s.std_errors[j] == pytest.approx(math.sqrt(covariance[j][j]), rel=1e-9)
        for k in range(d1):
            scale = math.sqrt(covariance[j][j] * covariance[k][k])
            assert abs(s.covariance[j][k] - covariance[j][k]) <= 1e-9 * scale


@at_most(STATISTICS_EXAMPLES)
@given(overlapping_datasets(max_features=3))
def test_wald_z_and_p_values_follow_from_the_standard_errors(data):
    """Law: z_j = beta_j / se_j and p_j = 2 (1 - Phi(|z_j|)), Phi the standard normal
    distribution function (statistics.NormalDist).

    Tolerance: z to 4 eps relative (one division); p to 1e-12 absolute (1 - Phi
    cancels in the tail, where both are tiny).
    """
    _, s = fitted(data)
    for beta, se, z, p in zip(s.params, s.std_errors, s.z_values, s.p_values):
        assert z == pytest.approx(beta / se, rel=4 * 2.0 ** -52)
        assert p == pytest.approx(2.0 * (1.0 - NormalDist().cdf(abs(beta / se))), abs=1e-12)


@at_most(STATISTICS_EXAMPLES)
@given(overlapping_datasets(max_features=3), st.floats(0.001, 0.5))
def test_confidence_intervals_are_beta_plus_minus_q_standard_errors(data, alpha):
    """Law: conf_int(alpha) = beta -/+ q se with q the normal 1 - alpha/2 quantile, and
    conf_int() is the 95% interval (alpha = 0.05, q = 1.959963984540054).

    Tolerance: q from NormalDist to 1e-12 relative; the bounds to 1e-12 of |beta| + q se.
    """
    _, s = fitted(data)
    for alpha_given, q in ((alpha, NormalDist().inv_cdf(1.0 - alpha / 2.0)), (None, 1.959963984540054)):
        intervals = s.conf_int() if alpha_given is None else s.conf_int(alpha_given)
        for (low, high), beta, se in zip(intervals, s.params, s.std_errors):
            size = abs(beta) + q * se
            assert abs(low - (beta - q * se)) <= 1e-12 * size and abs(high - (beta + q * se)) <= 1e-12 * size


@at_most(STATISTICS_EXAMPLES)
@given(overlapping_datasets(max_features=3))
def test_odds_ratio_intervals_are_the_exponentials_of_the_intervals(data):
    """Law: odds_ratio_conf_int() = (exp(low), exp(high)) of conf_int(), both at their
    default alpha = 0.05; the odds ratios are exp(beta).

    Tolerance: exp turns an absolute error e of its argument into a relative one:
    1e-12 of |beta| + q se, relative.
    """
    _, s = fitted(data)
    for (low, high), (or_low, or_high), beta, ratio, se in zip(
            s.conf_int(), s.odds_ratio_conf_int(), s.params, s.odds_ratios, s.std_errors):
        rel = 1e-12 * (1.0 + abs(beta) + 2.0 * se)
        assert or_low == pytest.approx(math.exp(low), rel=rel) and or_high == pytest.approx(math.exp(high), rel=rel)
        assert ratio == pytest.approx(math.exp(beta), rel=rel)


@at_most(STATISTICS_EXAMPLES)
@given(overlapping_datasets(max_features=3))
def test_the_summary_says_how_the_fit_ended(data):
    """Law: the summary carries the fit's own verdict: converged and stop_reason are
    the model's converged_ and stop_reason_ (summarize refuses any other fit)."""
    model, s = fitted(data)
    assert (s.converged, s.stop_reason) == (model.converged_, model.stop_reason_) == (True, "converged")


@at_most(STATISTICS_EXAMPLES)
@given(overlapping_datasets(max_features=3), st.floats(0.01, 0.2))
@example(WEAK_SIGNAL, 0.05)  # a coefficient between 0 and 1
def test_each_interpretation_says_what_its_coefficient_does(data, alpha):
    """Law: interpret(alpha) gives one sentence per feature, saying that a unit more
    multiplies the odds by exp(beta) (3 significant digits, with the (1 - alpha)
    interval), and what it does to a probability: from 1/2 it raises (beta > 0) or
    lowers (beta < 0) it to sigmoid(beta), a probability however large beta is; beta/4
    is named only as the slope at 1/2 (the divide-by-four rule), which holds as a
    change only while small (0 < |beta| / 4 < 0.05, where it is within 1% of the change).

    Precondition: overlapping_datasets (the estimates exist). Exact: the sentence's
    own 3 significant digits."""
    _, s = fitted(data)
    sentences = s.interpret(alpha)
    assert len(sentences) == len(s.params) - 1
    intervals = s.odds_ratio_conf_int(alpha)
    for sentence, beta, (low, high) in zip(sentences, s.params[1:], intervals[1:]):
        direction = "raises" if beta > 0 else "lowers" if beta < 0 else None
        textbook = 1.0 / (1.0 + math.exp(-beta))  # |beta| is moderate here: no overflow
        assert direction is None or f"{direction} it to a probability of {textbook:.3g}" in sentence
        stated = [float(v) for v in re.findall(r"probability (?:of|by about|to) (-?[0-9.]+(?:e[-+]?[0-9]+)?)", sentence)]
        assert stated and all(0.0 <= v <= 1.0 for v in stated)
        holds = "the divide-by-four rule holds" in sentence
        assert holds == (0.0 < abs(beta) / 4.0 < 0.05) and (holds or direction is None or "slope" in sentence)
        assert f"by {math.exp(beta):.3g} ({100 * (1 - alpha):g}% CI {low:.3g} to {high:.3g})" in sentence


# ------------------------------------------------------- odds ratios near overflow

def study_hours_summary_with_coefficient(coefficient):
    """The study-hours summary with hours rescaled so that their coefficient is about
    ``coefficient``: x -> c x divides the fitted weight by c (and leaves the rest)."""
    data = load_study_hours()
    c = 1.5046454 / coefficient
    X = [[row[0] * c] for row in data.X]
    model = LogisticRegression(solver="newton", tol=1e-10).fit(X, data.y)
    return summarize(model, X, data.y)


def exp_or_inf(x):
    try:
        return math.exp(x)
    except OverflowError:
        return math.inf


@at_most(20)  # a Newton fit each; the interesting range is narrow
@given(st.floats(650.0, 750.0))
@example(709.9)  # exp overflows from 709.78 on
def test_odds_ratios_of_huge_coefficients_are_numbers_never_errors(coefficient):
    """Law: the odds ratio of any finite coefficient, and each end of its interval, is
    a float, never an exception: exp(beta) where beta < 709, and inf where exp(beta)
    overflows (beta > 709.78). (Between the two, see the test below.)

    Tolerance: exp of a value near 700 known to 1e-15 relative, 1e-12 relative.
    """
    s = study_hours_summary_with_coefficient(coefficient)
    values = s.odds_ratios + [v for interval in s.odds_ratio_conf_int() for v in interval]
    exponents = s.params + [v for interval in s.conf_int() for v in interval]
    for value, x in zip(values, exponents):
        assert isinstance(value, float)
        if x < 709.0 or math.isinf(exp_or_inf(x)):
            assert value == pytest.approx(exp_or_inf(x), rel=1e-12)


def test_an_odds_ratio_that_fits_in_a_float_is_reported():
    s = study_hours_summary_with_coefficient(709.5)
    assert 709.0 < s.params[1] < 709.78
    assert s.odds_ratios[1] == pytest.approx(math.exp(s.params[1]), rel=1e-12)


# -------------------------------------------------------- distributions, by hand

def test_the_incomplete_gamma_function_at_one():
    # Q(1, x) = exp(-x), and chi-square with 2 degrees of freedom is exponential: P(X >= 2) = 1/e.
    assert regularized_gamma_q(1.0, 1.0) == pytest.approx(math.exp(-1.0), rel=1e-15)
    assert chi2_sf(2.0, 2) == pytest.approx(math.exp(-1.0), rel=1e-15)
    assert normal_quantile(0.5) == 0.0


def test_tail_areas_at_the_ends_of_the_range():
    # Nothing lies beyond infinity; everything lies above a negative value.
    assert regularized_gamma_q(2.5, math.inf) == 0.0 and chi2_sf(math.inf, 3) == 0.0
    assert [chi2_sf(x, 2) for x in (-1e300, -1.0, -0.5, -5e-324, 0.0)] == [1.0] * 5
    assert regularized_gamma_q(2.5, 0.0) == 1.0


# ------------------------------------------------------------------ the table

TABLE_ROW = r"^{name}\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)$"


@at_most(STATISTICS_EXAMPLES)
@given(overlapping_datasets(max_features=3))
def test_the_table_prints_each_coefficients_numbers(data):
    """Law: str(summary) has one row per coefficient with its estimate, standard error
    and z (to 4, 4 and 3 decimals), its p-value (4 decimals) and its 95% interval
    (3 decimals) under a header naming its percentiles, [0.025 and 0.975], and a
    first line naming the method: "maximum likelihood" at reg = 0.

    Tolerance: half a unit in the last printed decimal.
    """
    _, s = fitted(data)
    text = str(s)
    assert text.splitlines()[0] == "Logistic regression: maximum likelihood"
    assert re.search(r"coef\s+std err\s+z\s+P>\|z\|\s+\[0\.025\s+0\.975\]", text)  # the interval's percentiles
    for name, b, se, z, p, (low, high) in zip(s.names, s.params, s.std_errors, s.z_values, s.p_values,
                                            s.conf_int()):
        row = re.search(TABLE_ROW.format(name=re.escape(name)), text, re.MULTILINE)
        printed = [float(v) for v in row.groups()]
        for value, shown, decimals in zip((b, se, z, p, low, high), printed, (4, 4, 3, 4, 3, 3)):
            assert abs(value - shown) <= 0.5 * 10.0 ** -decimals * (1.0 + 1e-9)


# ----------------------------------------------------------- what is refused

def test_an_l1_fit_is_refused():
    data = load_study_hours()
    model = LogisticRegression(penalty="l1", reg=0.01, lr=0.5, epochs=20000, tol=1e-6).fit(data.X, data.y)
    assert model.converged_
    with pytest.raises(ValueError, match="does not support penalty='l1'"):
        summarize(model, data.X, data.y)


def test_a_gradient_descent_fit_converged_to_its_tol_is_accepted():
    # The training data are recognized by a gradient within 10 tol: rounding in the
    # reference gradient must not make summarize refuse a fit that met its tol.
    data = load_study_hours()
    model = LogisticRegression(solver="gd", lr=0.5, epochs=100000, tol=1e-6).fit(data.X, data.y)
    assert model.converged_
    assert summarize(model, data.X, data.y).params == [model.intercept_] + model.coef_

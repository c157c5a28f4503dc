"""Chapter 22 (K classes): inference for K classes, as statsmodels' MNLogit reports it, checked on its anes96 example."""

import csv
import math
import os

import pytest
from hypothesis import example, given, strategies as st

from logreg_pure import LogisticRegression, summarize
from logreg_pure.part1_mathematics.softmax import softmax
from logreg_pure.part4_estimators.multinomial import SoftmaxRegression
from logreg_pure.part5_inference.inference import SoftmaxSummary, _softmax_null_log_likelihood
from strategies import at_most, features
from test_multinomial import overlapping_classes

HERE = os.path.dirname(os.path.abspath(__file__))

# statsmodels' documented MNLogit example: party identification (PID, 7 classes) on
# log(popul + 0.1), selfLR, age, educ, income and a constant, 944 respondents
# (tests/data/README.md says where the data come from). The published numbers are
# those statsmodels tests MNLogit against: statsmodels/discrete/tests/results/
# results_discrete.py, Anes.mnlogit_basezero ("Results are from Stata 11 (checked vs
# R nnet package)"). Their layout: one list per class 1..6, in the order logpopul,
# selfLR, age, educ, income, const.
STATA_PARAMS = [
    [-.01153598, .29771435, -.024945, .08249144, .00519655, -.37340167],
    [-.08875065, .39166864, -.02289784, .18104276, .04787398, -2.2509132],
    [-.1059667, .57345051, -.01485121, -.00715242, .05757516, -3.6655835],
    [-.0915567, 1.2787718, -.00868135, .19982796, .08449838, -7.6138431],
    [-.0932846, 1.3469616, -.01790407, .21693885, .08095841, -7.0604782],
    [-.14088069, 2.0700801, -.00943265, .3219257, .10889408, -12.105751],
]
STATA_BSE = [
    [.0342823657, .093626795, .0065248584, .0735865799, .0176336937, .6298376313],
    [.0391615553, .1082386919, .0079144618, .0852893563, .0222809297, .7631899491],
    [.0570382292, .1585481337, .0113313133, .1262913234, .0336142088, 1.156541492],
    [.0437902764, .1288965854, .0084187486, .0941250559, .0261963632, .9575809602],
    [.0393516553, .1171860107, .0076110152, .0850070091, .0229760791, .8443638283],
    [.042138047, .1434089089, .0081338625, .0910979921, .025300888, 1.059954821],
]
STATA = dict(llf=-1461.922747312, llnull=-1750.34670999, llr=576.8479253554, llr_pvalue=1.8223179e-102,
             prsquared=.1647810465387, aic=2995.84549462, bic=3170.45003661, df_model=30, df_resid=908)
# statsmodels 0.15.0 itself, MNLogit(...).fit(method="newton", tol=1e-14), computed once in a
# scratch virtual environment: the statistics of the fitted model to full precision. (Its
# null log-likelihood, -1750.346710709092, comes from fitting the constant-only model by
# iteration and is 7e-7 from the exact sum_k n_k log(n_k / n) = -1750.34670998982; ours
# is the exact one, and it is Stata's.)
STATSMODELS = dict(llf=-1461.9227472481462, aic=2995.8454944962923, bic=3170.4500364775304)


def _to_stata_order(per_class):
    """Ours is intercept first; Stata's is the constant last."""
    return [row[1:] + row[:1] for row in per_class]


@pytest.fixture(scope="module")
def anes():
    with open(os.path.join(HERE, "data", "anes96.csv"), newline="") as handle:
        rows = list(csv.DictReader(handle))
    X = [[math.log(float(r["popul"]) + 0.1), float(r["selfLR"]), float(r["age"]), float(r["educ"]),
          float(r["income"])] for r in rows]
    y = [int(r["PID"]) for r in rows]
    names = ["logpopul", "selfLR", "age", "educ", "income"]
    model = SoftmaxRegression(solver="newton", tol=1e-10).fit(X, y, feature_names=names)
    return summarize(model, X, y, target_name="PID")


def test_anes96_parameters_and_standard_errors_are_the_published_ones(anes):
    # The target: 1e-6 in parameters and standard errors (the published
    # parameters have 7 to 8 significant digits; we match them to about 1e-7).
    assert isinstance(anes, SoftmaxSummary) and anes.class_names == ["1", "2", "3", "4", "5", "6"]
    for ours, theirs in zip(_to_stata_order(anes.params) + _to_stata_order(anes.std_errors),
                            STATA_PARAMS + STATA_BSE):
        assert max(abs(a - b) for a, b in zip(ours, theirs)) <= 1e-6


def test_anes96_fit_statistics_are_the_published_ones(anes):
    ours = dict(llf=anes.log_likelihood, llnull=anes.null_log_likelihood, llr=anes.llr,
                llr_pvalue=anes.llr_p_value, prsquared=anes.pseudo_r2, aic=anes.aic, bic=anes.bic)
    for key, value in ours.items():
        # Stata's figures are rounded (its LLR is 2 (llf - llnull) of the rounded two, its
        # p-value has 8 digits): 1e-8 relative (1e-6 for the p-value); statsmodels' to 1e-12.
        assert math.isclose(value, STATA[key], rel_tol=1e-8 if key != "llr_pvalue" else 1e-6), key
        assert key not in STATSMODELS or math.isclose(value, STATSMODELS[key], rel_tol=1e-12), key
    assert (anes.df_model, anes.df_resid) == (STATA["df_model"], STATA["df_resid"])


def test_anes96_table_reads_like_mnlogit(anes):
    text = str(anes)
    assert "Multinomial logistic regression: maximum likelihood" in text
    assert "Reference class: 0" in text and "PID = 6 (against 0)" in text
    assert all(len(line) <= 80 for line in text.splitlines())
    assert "selfLR        2.0701    0.1434   14.435   0.0000     1.789    2.351     7.925" in text
    ratio, (low, high) = anes.relative_risk_ratios[5][2], anes.rrr_conf_int()[5][2]
    assert math.isclose(ratio, math.exp(anes.params[5][2])) and low < ratio < high
    assert anes.interpret()[0].startswith("Each one-unit increase in logpopul multiplies P(PID = 1) / P(PID = 0)")


def test_summary_refuses_a_penalized_or_foreign_fit():
    X, y = [[0.0], [1.0], [2.0], [0.5], [1.5], [2.5]], [0, 1, 2, 1, 2, 0]
    penalized = SoftmaxRegression(solver="newton", reg=0.1).fit(X, y)
    with pytest.raises(ValueError, match="unpenalized SoftmaxRegression"):
        summarize(penalized, X, y)
    model = SoftmaxRegression(solver="newton").fit(X, y)
    with pytest.raises(ValueError, match="'z', which is not one of the model's classes"):
        summarize(model, X, [0, 1, 2, 1, 2, "z"])
    with pytest.raises(ValueError, match="not the data the model was fit on"):
        summarize(model, X, [0, 1, 2, 2, 1, 0])


@given(st.lists(st.integers(1, 20), min_size=2, max_size=5), st.data())
def test_the_null_model_is_the_best_intercept_only_model(counts, data):
    """Law: no intercept-only model (any intercepts b, the same probabilities
    softmax(b) for every row) has a higher log-likelihood than the null model's
    sum_k n_k log(n_k / n), and the intercepts b_k = log n_k reach it. Tolerance:
    the sums' rounding, 1e-12 n."""
    def log_likelihood(b):
        return math.fsum(n * math.log(q) for n, q in zip(counts, softmax(b)))

    null, slack = _softmax_null_log_likelihood(counts), 1e-12 * sum(counts)
    b = data.draw(st.lists(features(3.0), min_size=len(counts), max_size=len(counts)))
    assert log_likelihood(b) <= null + slack
    assert abs(log_likelihood([math.log(n) for n in counts]) - null) <= slack


@at_most(20)
@given(overlapping_classes(max_classes=2))
@example(([[0.0], [0.0], [1.0], [1.0], [0.5]], [0, 1, 0, 1, 0]))  # an LLR statistic of rounding size
def test_two_class_summary_is_the_binary_summary(data):
    """Law: with two classes the softmax summary is the binary one: the same
    estimates, standard errors, log-likelihoods, degrees of freedom, AIC, BIC and
    likelihood-ratio test.

    Precondition: overlapping classes (the estimates exist); both fits by Newton to
    1e-10, so estimates and errors agree to 1e-7. The LLR p-values agree to 1e-9 once
    the statistic is above 1e-6: below, the p-value's slope 1 / sqrt(2 pi LLR) turns
    the statistic's rounding (1e-12) into a change of up to 1e-6.
    """
    X, y = data
    ours = summarize(SoftmaxRegression(solver="newton", tol=1e-10).fit(X, y), X, y)
    binary = summarize(LogisticRegression(solver="newton", tol=1e-10).fit(X, y), X, y)
    for a, b in zip(ours.params[0] + ours.std_errors[0], binary.params + binary.std_errors):
        assert abs(a - b) <= 1e-7 * (1.0 + abs(b))
    assert (ours.df_model, ours.df_resid) == (binary.df_model, binary.df_resid)
    for a, b in [(ours.log_likelihood, binary.log_likelihood), (ours.null_log_likelihood, binary.null_log_likelihood),
                 (ours.aic, binary.aic), (ours.bic, binary.bic), (ours.llr, binary.llr)]:
        assert math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)
    if binary.llr > 1e-6:
        assert math.isclose(ours.llr_p_value, binary.llr_p_value, rel_tol=1e-9, abs_tol=1e-12)

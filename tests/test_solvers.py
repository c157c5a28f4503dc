"""Chapter 15: the solvers reach the optimum, and say so honestly when they cannot."""

import math
import warnings

import pytest
from hypothesis import assume, example, given, strategies as st

from logreg_pure import ConvergenceWarning, LogisticRegression, SeparationWarning, SingularMatrixError
from logreg_pure.part1_mathematics.gradient import gradient
from logreg_pure.part1_mathematics.loss import objective
from logreg_pure.part2_problem.problem import make_problem
from logreg_pure.part6_command_line.datasets import load_breast_cancer, load_study_hours
from reference import check_elastic_net_conditions, safe_sgd_step, safe_step, standardize
from strategies import at_most, datasets, overlapping_datasets, problems, separable_datasets


def quiet(model, X, y, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return model.fit(X, y, **kwargs)


def params(model):
    return model.coef_ + [model.intercept_]


@pytest.fixture(scope="module")
def cancer():
    data = load_breast_cancer()
    return standardize(data.X), data.y


# ------------------------------------------------------------- hand-checked results

def test_newton_matches_the_published_study_hours_fit():
    data = load_study_hours()
    model = LogisticRegression(solver="newton", tol=1e-10).fit(data.X, data.y)
    assert abs(model.intercept_ - -4.077713) < 1e-6 and abs(model.coef_[0] - 1.504645) < 1e-6


@pytest.fixture(scope="module")
def cancer_newton(cancer):
    """Newton's fit of the standardized cancer data at reg = 1/n, shared by the tests below."""
    X, y = cancer
    return LogisticRegression(solver="newton", reg=1.0 / 569, tol=1e-10).fit(X, y)


def test_newton_on_breast_cancer_takes_about_ten_steps(cancer_newton):
    model = cancer_newton
    assert model.converged_ and model.grad_max_ <= 1e-10 and model.n_iter_ <= 12


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_sgd_gets_within_one_percent_on_breast_cancer(cancer, cancer_newton, seed):
    X, y = cancer
    reg = 1.0 / 569
    optimum = cancer_newton.loss_history_[-1]
    # 50 epochs: every seed from 0 to 4 ends within 0.4% of the optimum (within 0.08% after 100).
    model = quiet(LogisticRegression(solver="sgd", reg=reg, batch_size=1, epochs=50, random_state=seed), X, y)
    assert model.loss_history_[-1] <= 1.01 * optimum


def test_breast_cancer_without_penalty_is_separated(cancer):
    X, y = cancer
    with pytest.warns(SeparationWarning, match="perfectly separated.*reg > 0"):
        model = LogisticRegression(solver="newton").fit(X, y)
    assert model.stop_reason_ == "separated" and not model.converged_
    with pytest.warns(SeparationWarning):
        LogisticRegression(solver="gd", epochs=50).fit(X, y)  # gradient descent is told too, however far it got


def test_singular_hessian_names_the_columns():
    X = [[1.0, 2.0, 2.0, 5.0], [2.0, 1.0, 1.0, 5.0], [3.0, 4.0, 4.0, 5.0], [4.0, 3.0, 3.0, 5.0]]
    y = [0, 1, 0, 1]
    with pytest.raises(SingularMatrixError, match="'c' duplicates column 'b'.*'d' is constant"):
        LogisticRegression(solver="newton").fit(X, y, feature_names=["a", "b", "c", "d"])


def test_convergence_warning_names_columns_of_different_scales():
    data = load_breast_cancer()
    with pytest.warns(ConvergenceWarning, match="standardize the features.*'worst_area'"):
        LogisticRegression(solver="gd", lr=1e-6, epochs=20, reg=0.01).fit(data.X, data.y,
                                                                           feature_names=data.feature_names)


L1_TOL = 1e-6


@pytest.fixture(scope="module")
def cancer_l1(cancer):
    """One L1 fit of the standardized breast-cancer data, shared by two tests.

    By coordinate descent (chapter 16): proximal gradient descent at a step that is
    safe from the start (4 / mean ||x1||^2 = 0.13) needs tens of thousands of steps,
    and a larger one is refused as divergent at its first rise of J.
    """
    X, y = cancer
    return LogisticRegression(penalty="l1", reg=0.05, solver="cd", tol=L1_TOL).fit(X, y)


def test_l1_gives_exact_zeros(cancer_l1):
    model = cancer_l1
    zeros = sum(1 for w in model.coef_ if w == 0.0)
    assert model.converged_ and zeros == 26  # 4 of the 30 features survive at reg = 0.05


def test_translation_to_other_libraries(cancer, cancer_l1):
    """The optimum of J is the optimum of scikit-learn's and statsmodels' objectives.

    scikit-learn: C sum_i loss_i + ||w||^2 / 2, intercept free, with C = 1 / (n reg):
    its gradient C X^T (p - y) + w vanishes. statsmodels' GLM elastic net with
    L1_wt = 0 minimizes -loglike / n + alpha ||w||^2 / 2: alpha = reg exactly.
    """
    X, y = cancer
    n, reg = len(X), 0.01
    model = LogisticRegression(solver="newton", reg=reg, tol=1e-12).fit(X, y)
    C = 1.0 / (n * reg)
    grad_w, grad_b = gradient(model.coef_, model.intercept_, X, y, 0.0)  # (1/n) X^T (p - y)
    sklearn_gradient = [C * n * g + w for g, w in zip(grad_w, model.coef_)]
    assert max(map(abs, sklearn_gradient)) <= 1e-8 and abs(grad_b) <= 1e-12
    # statsmodels Logit.fit_regularized(method="l1") minimizes -loglike + alpha ||w||_1:
    # its alpha is n * reg; checked on an L1 fit through the subgradient condition.
    tol, l1 = L1_TOL, cancer_l1
    grad_w, _ = gradient(l1.coef_, l1.intercept_, X, y, 0.0)
    alpha = n * 0.05
    for g, w in zip(grad_w, l1.coef_):
        if w != 0.0:  # the gradient of -loglike balances the penalty's slope
            assert abs(n * g + alpha * math.copysign(1.0, w)) <= 2 * n * tol
        else:  # the penalty's kink absorbs the gradient
            assert abs(n * g) <= alpha + 2 * n * tol


# ------------------------------------------------------------------------ the laws

@given(problems(), st.booleans(), st.sampled_from(["l2", "l1"]))
def test_the_solvers_objective_is_the_reference_objective(problem, weighted, penalty):
    """Law: the objective the solvers record (one fused pass per epoch) equals
    loss.objective, the per-example reference, to 1e-12 relative (rounding order)."""
    X, y, w, b, reg = problem
    weights = [1.0 + (i % 3) for i in range(len(y))] if weighted else None
    J = make_problem(X, y, reg=reg, penalty=penalty, sample_weight=weights).at([b] + w).objective
    reference = objective(w, b, X, y, reg, penalty=penalty, sample_weight=weights)
    assert math.isclose(J, reference, rel_tol=1e-12)


@at_most(25)
@given(datasets(max_rows=10), st.sampled_from([0.1, 0.5]))
def test_newton_and_gradient_descent_agree_on_strictly_convex_problems(data, reg):
    """Law: with reg > 0, J has one minimizer, and Newton and gradient descent (run to
    convergence) both find it.

    Both stop at a largest gradient component of 1e-9. J - J* is at most
    |g|^2 / (2 mu) for a mu-strongly convex J, so the two objectives agree to 1e-12;
    the parameters, whose intercept direction has a curvature set by the data
    rather than by reg, agree to 1e-6.
    """
    X, y = data
    exact = LogisticRegression(solver="newton", reg=reg, tol=1e-9).fit(X, y)
    descent = LogisticRegression(solver="gd", lr=safe_step(X, reg), reg=reg, epochs=200000, tol=1e-9).fit(X, y)
    assert exact.converged_ and descent.converged_
    assert abs(exact.loss_history_[-1] - descent.loss_history_[-1]) <= 1e-12
    for a, b in zip(params(exact), params(descent)):
        assert abs(a - b) <= 1e-6


@at_most(10)
@given(datasets(max_rows=10, max_abs=1.0), st.sampled_from([0.1, 0.5]), st.integers(0, 1000))
def test_sgd_approaches_the_optimum(data, reg, seed):
    """Law: SGD with its decaying steps converges to the minimizer of a strongly
    convex J: after 500 epochs its objective is within 1e-3 of Newton's.

    Precondition: features in [-1, 1], the scale of standardized data. The step
    starts at the safe step for one example (safe_sgd_step), and then decays like
    1/t for the weights and 1/sqrt(t) for the free intercept; on badly scaled data
    that start is tiny and the decay makes SGD crawl (a gap of 0.06 after 2000
    epochs with features up to 5), which is why SGD wants standardized features.
    """
    X, y = data
    exact = LogisticRegression(solver="newton", reg=reg, tol=1e-10).fit(X, y)
    step = safe_sgd_step(X, reg)
    stochastic = quiet(LogisticRegression(solver="sgd", lr=step, reg=reg, epochs=500, random_state=seed), X, y)
    assert 0.0 <= stochastic.loss_history_[-1] - exact.loss_history_[-1] + 1e-12 <= 1e-3


HARD_PROBLEM = ([[41.5, 30.0], [-23.6, 11.8], [28.5, -14.3], [-11.0, -42.8], [-42.5, -0.6]],
                [1.0, 1.0, 1.0, 0.0, 0.0])


@at_most(50)
@given(datasets(max_rows=10, max_abs=50.0), st.sampled_from([0.01, 0.1]))
@example(HARD_PROBLEM, 0.01)  # separable, large features, small reg: the full step overshoots at step 12
def test_newton_never_increases_the_objective(data, reg):
    """Law: with step halving, no Newton step increases J.

    A full Newton step can overshoot far from the optimum (the quadratic model of
    J is poor there); halving the step until J decreases is what makes the method
    safe. Features up to 20 in size make overshooting likely. Tolerance: the
    resolution of J, RESOLVABLE (1 + |J|): once the predicted decrease is below it,
    J's rounding cannot referee and the solver takes the full step unchecked.
    """
    X, y = data
    model = quiet(LogisticRegression(solver="newton", reg=reg, tol=1e-10, epochs=100), X, y)
    history = model.loss_history_
    resolvable = 2.0 ** -40  # the solver's documented resolution; not read from the code under test
    for before, after in zip(history, history[1:]):
        assert after <= before + resolvable * (1.0 + abs(before))


@at_most(25)
@given(datasets(max_rows=10), st.sampled_from(["gd", "newton"]), st.sampled_from([0.0, 0.3]))
def test_first_order_condition_holds_when_converged(data, solver, reg):
    """Law: a fit reported as converged has gradient at most tol (recomputed by the
    reference gradient, to 1e-12 for rounding).

    Precondition for Newton at reg = 0: a non-singular Hessian (a constant or
    repeated column is refused with SingularMatrixError); such draws are discarded.
    """
    X, y = data
    try:
        # 5000 steps: the fits that converge here do so within 3000; the others are
        # discarded below, so a higher limit only wastes time.
        model = quiet(LogisticRegression(solver=solver, reg=reg, tol=1e-7, epochs=5000, lr=safe_step(X, reg)), X, y)
    except SingularMatrixError:
        assume(False)
    assume(model.converged_)  # separated data, or a step too large to settle: other laws' business
    grad_w, grad_b = gradient(model.coef_, model.intercept_, X, y, reg)
    assert max(map(abs, grad_w + [grad_b])) <= 1e-7 + 1e-12


@at_most(25)
@given(datasets(max_rows=10), st.floats(0.01, 1.0), st.floats(1.1, 10.0))
def test_more_penalty_never_lengthens_the_weights(data, reg, factor):
    """Law: ||w(reg)|| is non-increasing in reg (the L2 path shrinks).

    Both fits converge to a gradient of 1e-10, which moves ||w|| by at most
    1e-10 / reg; the tolerance allows for that.
    """
    X, y = data
    small = LogisticRegression(solver="newton", reg=reg, tol=1e-10).fit(X, y)
    large = LogisticRegression(solver="newton", reg=reg * factor, tol=1e-10).fit(X, y)
    def length(w):
        return math.sqrt(math.fsum(v * v for v in w))

    assert length(large.coef_) <= length(small.coef_) + 1e-9 / reg


@at_most(20)
@given(overlapping_datasets(max_rows=8), st.sampled_from([0.05, 0.2]))
def test_l1_solution_satisfies_optimality_conditions(data, reg):
    """Law (L1 optimality): with L = mean loss, |dL/dw_j| <= reg where w_j = 0, and
    dL/dw_j = -reg sign(w_j) elsewhere; dL/db = 0.

    Precondition: overlapping classes (see overlapping_datasets), so that J is
    strongly convex near its minimizer and proximal gradient descent at the safe
    step 1/L (see safe_step) converges linearly: a few hundred steps, where nearly
    separable data can take 10^5. Checked at a fit converged to a
    proximal-gradient size of 1e-9, so every condition holds to 1e-9 (plus 1e-12
    for rounding).
    """
    X, y = data
    model = quiet(LogisticRegression(solver="gd", penalty="l1", reg=reg, lr=safe_step(X, 0.0), epochs=5000,
                                      tol=1e-9), X, y)
    assert model.converged_
    check_elastic_net_conditions(model, X, y, reg, 1.0, slack=2e-9)  # the lasso: l1 = reg, no L2 part


@at_most(25)
@given(datasets(max_rows=8), st.data())
def test_integer_weights_equal_repeated_rows(data, draw):
    """Law: weight k on a row is the same objective as k copies of the row.

    Both are solved by Newton to 1e-12; the parameters agree to 1e-8.
    """
    X, y = data
    weights = draw.draw(st.lists(st.integers(1, 3), min_size=len(X), max_size=len(X)))
    weighted = LogisticRegression(solver="newton", reg=0.1, tol=1e-12).fit(X, y, sample_weight=weights)
    repeated_X = [x for x, k in zip(X, weights) for _ in range(k)]
    repeated_y = [v for v, k in zip(y, weights) for _ in range(k)]
    repeated = LogisticRegression(solver="newton", reg=0.1, tol=1e-12).fit(repeated_X, repeated_y)
    for a, b in zip(params(weighted), params(repeated)):
        assert abs(a - b) <= 1e-8 * (1.0 + abs(a))


@at_most(25)
@given(datasets(max_rows=10), st.floats(-5.0, 5.0), st.data())
def test_shifting_a_feature_only_moves_the_intercept(data, shift, draw):
    """Law: x_j -> x_j + c gives the same weights and intercept b - c w_j.

    w . (x + c e_j) + (b - c w_j) = w . x + b, and the intercept is not penalized.
    """
    X, y = data
    j = draw.draw(st.integers(0, len(X[0]) - 1))
    shifted = [[v + shift if k == j else v for k, v in enumerate(row)] for row in X]
    a = LogisticRegression(solver="newton", reg=0.2, tol=1e-12).fit(X, y)
    b = LogisticRegression(solver="newton", reg=0.2, tol=1e-12).fit(shifted, y)
    for u, v in zip(a.coef_, b.coef_):
        assert abs(u - v) <= 1e-8 * (1.0 + abs(u))
    assert abs((a.intercept_ - shift * a.coef_[j]) - b.intercept_) <= 1e-8 * (1.0 + abs(b.intercept_))


@at_most(25)
@given(overlapping_datasets(), st.floats(0.1, 10.0), st.data())
def test_scaling_a_feature_divides_its_weight(data, c, draw):
    """Law: with reg = 0, x_j -> c x_j gives w_j / c and leaves the rest.

    Precondition: the unpenalized optimum exists and is unique (the data overlap,
    see overlapping_datasets). Newton solves both to 1e-12.
    """
    X, y = data
    j = draw.draw(st.integers(0, len(X[0]) - 1))
    scaled = [[v * c if k == j else v for k, v in enumerate(row)] for row in X]
    a = LogisticRegression(solver="newton", tol=1e-12).fit(X, y)
    b = LogisticRegression(solver="newton", tol=1e-12).fit(scaled, y)
    for k, (u, v) in enumerate(zip(a.coef_, b.coef_)):
        expected = u / c if k == j else u
        assert abs(v - expected) <= 1e-7 * (1.0 + abs(expected))


@at_most(25)
@given(datasets(max_rows=10), st.sampled_from(["newton", "sgd"]))
def test_flipping_labels_negates_parameters(data, solver):
    """Law: J(w, b; 1 - y) = J(-w, -b; y), so the minimizer changes sign (reg > 0).

    Newton: both fits solved to 1e-12. SGD: the same shuffles (same random_state)
    give mirrored iterates up to rounding.
    """
    X, y = data
    options = dict(solver=solver, reg=0.1, tol=1e-12, epochs=20, random_state=3)
    a = quiet(LogisticRegression(**options), X, y)
    b = quiet(LogisticRegression(**options), X, [1.0 - v for v in y])
    for u, v in zip(params(a), params(b)):
        assert abs(u + v) <= 1e-8 * (1.0 + abs(u))


@at_most(15)
@given(datasets(max_rows=10), st.integers(0, 2 ** 32), st.sampled_from([1, 3]))
def test_fixed_random_state_reproduces_sgd_exactly(data, seed, batch_size):
    """Law: SGD depends on nothing but its data and random_state (never the global
    generator): two fits with the same seed are identical to the last bit."""
    X, y = data
    options = dict(solver="sgd", reg=0.1, epochs=5, batch_size=batch_size, random_state=seed)
    import random
    a = quiet(LogisticRegression(**options), X, y)
    random.seed(seed + 1)  # disturbing the global generator must change nothing
    random.random()
    b = quiet(LogisticRegression(**options), X, y)
    assert params(a) == params(b) and a.loss_history_ == b.loss_history_


@at_most(30)
@given(separable_datasets(), st.sampled_from(["gd", "newton"]))
def test_separable_data_always_warn_and_stay_finite(data, solver):
    """Law: at reg = 0 a separable dataset raises SeparationWarning and every
    parameter stays finite (the fit stops instead of chasing infinity).

    Precondition: separated with a margin (see separable_datasets), and for Newton
    columns that are not collinear (else it refuses with SingularMatrixError).
    """
    X, y = data
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            model = LogisticRegression(solver=solver).fit(X, y)
        except SingularMatrixError:
            assume(False)  # collinear columns: Newton names them instead (another law's business)
    assert any(issubclass(w.category, SeparationWarning) for w in caught)
    assert model.stop_reason_ == "separated"
    assert all(math.isfinite(v) for v in params(model))


# ------------------------------------------------------------------ bad input

@pytest.mark.parametrize("kwargs, error, words", [
    ({"solver": "saga"}, ValueError, "solver must be one of 'auto', 'newton', 'cd', 'gd', 'sgd', 'lbfgs'"),
    ({"penalty": "elastic"}, ValueError, "penalty must be one of 'l1', 'l2', 'elasticnet'"),
    ({"penalty": "elasticnet"}, ValueError, "penalty='elasticnet' needs l1_ratio"),
    ({"penalty": "elasticnet", "l1_ratio": 1.5}, ValueError, "l1_ratio must be between 0"),
    ({"penalty": "l1", "l1_ratio": 0.5}, ValueError, "l1_ratio is only used with penalty='elasticnet'"),
    ({"penalty": "elasticnet", "l1_ratio": 0.5, "solver": "newton"}, ValueError, "use solver='cd'"),
    ({"penalty": "l1", "solver": "newton"}, ValueError, "cannot fit penalty='l1'"),
    ({"penalty": "l1", "solver": "sgd"}, ValueError, "cannot fit penalty='l1'"),
    ({"batch_size": 0}, ValueError, "batch_size must be at least 1"),
    ({"class_weight": [1.0, 2.0]}, TypeError, "class_weight must be None, 'balanced' or a dict"),
    ({"class_weight": {1: -1.0}}, ValueError, r"class_weight\[1\] must be greater than 0"),
    ({"class_weight": "even"}, TypeError, "class_weight must be None, 'balanced'"),
    ({"random_state": 1.5}, TypeError, "random_state must be None or an int"),
    ({"random_state": True}, TypeError, "random_state must be None or an int"),
])
def test_bad_solver_options(kwargs, error, words):
    model = LogisticRegression(**kwargs)  # stored as given: scikit-learn's rule
    with pytest.raises(error, match=words):
        model.fit([[0.0], [1.0]], [0, 1])  # checked by fit, before any work


@pytest.mark.parametrize("weights, words", [
    ([1.0, 2.0], "sample_weight has 2 values but X has 3 rows"),
    ([1.0, -1.0, 1.0], r"sample_weight\[1\] is -1.0"),
    ([1.0, math.nan, 1.0], r"sample_weight\[1\] is nan"),
    ([0.0, 0.0, 0.0], "all zeros"),
    ([1.0, "2", 1.0], r"sample_weight\[1\] is '2'"),
])
def test_bad_sample_weights(weights, words):
    with pytest.raises((ValueError, TypeError), match=words):
        LogisticRegression().fit([[0.0], [1.0], [2.0]], [0, 1, 0], sample_weight=weights)


def test_balanced_class_weight_equals_explicit_weights():
    X, y = [[0.0], [1.0], [2.0], [3.0]], [0, 0, 0, 1]
    balanced = LogisticRegression(solver="newton", reg=0.1, class_weight="balanced").fit(X, y)
    explicit = LogisticRegression(solver="newton", reg=0.1).fit(X, y, sample_weight=[4 / 6, 4 / 6, 4 / 6, 2.0])
    assert params(balanced) == pytest.approx(params(explicit), rel=1e-12)


# ------------------------------------------------------------- solver="auto" (issue 24)

from logreg_pure import SoftmaxRegression  # noqa: E402
from strategies import class_datasets  # noqa: E402


@at_most(30)
@given(class_datasets(max_classes=3, max_rows=8), st.sampled_from(["l2", "l1", "elasticnet", "firth"]),
       st.booleans())
def test_the_default_solver_fits_every_penalty_each_model_takes(data, penalty, softmax):
    """Law: with the default ``solver="auto"`` every penalty a model takes is fitted to its
    optimum (no refusal, ``converged_``): L2 by Newton's method, L1 and the elastic net by
    coordinate descent, Firth's (two classes) by Newton's method; for two classes by
    LogisticRegression or SoftmaxRegression alike, for three by SoftmaxRegression.
    Defaults that work need no knowledge of the solver table.

    Precondition: reg = 0.1 (a finite optimum; Firth's penalty has its own, finite on
    data of full rank, so a singular information matrix is set aside), tol = 1e-8.
    Exact: converged or not.
    """
    X, y = data
    binary = len(set(y)) == 2 and not softmax
    assume(penalty != "firth" or binary)
    options = dict(penalty=penalty, reg=0.0 if penalty == "firth" else 0.1, tol=1e-8,
                   l1_ratio=0.5 if penalty == "elasticnet" else None)
    model = LogisticRegression(**options) if binary else SoftmaxRegression(**options)
    try:
        model.fit(X, y)
    except SingularMatrixError:
        assume(False)
    assert model.converged_ and model.solver == "auto"

"""Chapters 6 and 11: the softmax, its loss, gradient and Hessian, the problem they make, and the K = 2 case that is the binary model."""

import math

import pytest
from hypothesis import assume, example, given, settings, strategies as st, target

from logreg_pure.part1_mathematics.links import sigmoid
from logreg_pure.part1_mathematics.softmax import (
    example_softmax_loss,
    log_sum_exp,
    softmax,
    softmax_gradient,
    softmax_hessian,
)
from logreg_pure.part2_problem.problem import Problem, with_class_weight
from logreg_pure.part2_problem.softmax_problem import SoftmaxProblem
from logreg_pure.part4_estimators.multinomial import SoftmaxRegression
from reference import numeric_gradient
from strategies import EPS, features, finite_floats

H_STEP = 1e-6  # central differences: truncation O(h^2), rounding O(eps / h)

# Half the profile's examples (25 by default, 100 under ci): each example of these laws
# differentiates or fits a whole model, and the default profile keeps the suite quick.
HALF = settings(max_examples=max(20, settings.default.max_examples // 2))


@st.composite
def class_problems(draw, max_rows=8, max_classes=4, max_features=2):
    """``(X, y, W, B, reg)``: rows, class indices 0..K-1 (every class present), full
    parameters for every class and a penalty."""
    K = draw(st.integers(2, max_classes))
    d = draw(st.integers(1, max_features))
    n = draw(st.integers(K, max_rows))
    X = draw(st.lists(st.lists(features(3.0), min_size=d, max_size=d), min_size=n, max_size=n))
    y = list(range(K)) + draw(st.lists(st.integers(0, K - 1), min_size=n - K, max_size=n - K))
    W = draw(st.lists(st.lists(features(2.0), min_size=d, max_size=d), min_size=K, max_size=K))
    B = draw(st.lists(features(2.0), min_size=K, max_size=K))
    reg = draw(st.sampled_from([0.0, 0.1, 1.0]))
    return X, y, W, B, reg


def _objective(X, y, reg, K, d):
    """J of the full (W, B) grid, class by class (b_k, w_k), through the all-K layout."""
    problem = SoftmaxProblem(X, y, n_classes=K, reg=reg, reference=False)

    def J(theta):
        B = [theta[k * (d + 1)] for k in range(K)]
        W = [theta[k * (d + 1) + 1:(k + 1) * (d + 1)] for k in range(K)]
        return problem._mean_loss(problem_scores(W, B, X)) + 0.5 * reg * math.fsum(v * v for w in W for v in w)
    return J


def problem_scores(W, B, X):
    return [[b + math.fsum(wj * xj for wj, xj in zip(w, x)) for w, b in zip(W, B)] for x in X]


def _flat(W, B):
    return [v for w, b in zip(W, B) for v in [b] + list(w)]


def _fd_tolerance(X, J):
    """As for the binary gradient (test_gradient.py): rounding 8 eps (|J| + 1) / h, and
    truncation h^2 / 6 times a third derivative at most max|x1|^3 (|d^3 lse| <= 1)."""
    largest = max(1.0, max(abs(v) for row in X for v in row))
    return 8.0 * EPS * (abs(J) + 1.0) / H_STEP + H_STEP ** 2 * largest ** 3


def test_hand_values():
    # Two equal scores: a coin toss. One score far ahead: certain, and its loss tiny but kept.
    assert softmax([3.0, 3.0]) == [0.5, 0.5]
    assert example_softmax_loss(0, [50.0, 0.0]) == math.log1p(math.exp(-50.0)) > 0.0
    assert log_sum_exp([-1000.0, -1000.0]) == -1000.0 + math.log(2.0)
    # At theta = 0 every probability is 1/K: the gradient of b_k is 1/K - (share of class k).
    grad_W, grad_B = softmax_gradient([[0.0], [0.0], [0.0]], [0.0] * 3, [[1.0], [2.0], [3.0]], [0, 0, 2])
    assert [round(g, 12) for g in grad_B] == [round(1 / 3 - 2 / 3, 12), round(1 / 3, 12), 0.0]


def test_refusals_name_the_argument():
    # Each message is pinned from its first word to its last: what went wrong, and the cure.
    with pytest.raises(ValueError, match="^scores is empty: a softmax needs at least one class$"):
        softmax([])
    with pytest.raises(ValueError, match="class index 0..1"):
        example_softmax_loss(2, [0.0, 0.0])
    with pytest.raises(ValueError, match=r"^class 1 has no rows: every one of the 2 classes needs examples "
                                         r"\(drop the empty class\)$"):
        SoftmaxProblem([[0.0], [1.0]], [0, 0], n_classes=2)
    with pytest.raises(ValueError, match="^X has 2 rows but y has 1 labels; they must match$"):
        SoftmaxProblem([[0.0], [1.0]], [0], n_classes=2)
    with pytest.raises(TypeError, match="^y must be a list of class indices, got str$"):
        SoftmaxProblem([[0.0], [1.0]], "ab", n_classes=2)
    with pytest.raises(ValueError, match="^penalty must be one of 'l1', 'l2', 'elasticnet', got 'l3'$"):
        SoftmaxProblem([[0.0], [1.0]], [0, 1], penalty="l3")
    with pytest.raises(ValueError, match="label must be a class index"):
        SoftmaxProblem([[0.0], [1.0]], [0, float("nan")], n_classes=2)


@given(st.lists(finite_floats(1e3), min_size=1, max_size=6), finite_floats(1e3))
@example([800.0, 0.0], 0.0)  # exp(800) overflows unless the largest score is subtracted
def test_probabilities_sum_to_one_and_ignore_a_common_shift(scores, shift):
    """Law: softmax(s) lies in [0, 1] and sums to 1, and softmax(s + c) = softmax(s).

    Scores and shift within +-1e3 (beyond exp's range of about 709, so overflow is
    reachable). Tolerance: the sum to K eps; the shift moves each score by a
    rounding of up to 1e3 eps, which moves a probability by at most p times that
    (times 2, for the largest score's own rounding).
    """
    p = softmax(scores)
    q = softmax([s + shift for s in scores])
    assert all(0.0 <= pk <= 1.0 for pk in p)
    assert abs(math.fsum(p) - 1.0) <= len(p) * EPS
    error = max(abs(a - b) for a, b in zip(p, q))
    target(error, label="shift error")
    assert error <= 4.0 * 2e3 * EPS + 4.0 * EPS


@given(finite_floats())
def test_two_classes_are_the_sigmoid(z):
    """Law: softmax(0, z) = (1 - sigmoid(z), sigmoid(z)) for every finite z.

    The second component is sigmoid(z) bit for bit (the same stable formula); the
    first is computed directly, so it matches 1 - sigmoid(z) to one eps.
    """
    p0, p1 = softmax([0.0, z])
    assert p1 == sigmoid(z)
    assert abs(p0 - (1.0 - sigmoid(z))) <= EPS


@given(st.lists(finite_floats(1e307), min_size=1, max_size=6), st.data())
@example([1000.0, -1000.0], None)  # a naive log(sum(exp(s))) overflows
def test_loss_is_finite_and_non_negative(scores, data):
    """Law: for every finite score vector (|s| <= 1e307, so that differences stay in
    the float range) and every class, the loss is finite and >= 0."""
    k = data.draw(st.integers(0, len(scores) - 1)) if data is not None else 1
    loss = example_softmax_loss(k, scores)
    assert math.isfinite(loss) and loss >= 0.0


@HALF
@given(class_problems())
def test_gradient_matches_central_differences(problem):
    """Law: softmax_gradient is the derivative of J, for every class (b_k and w_k),
    with and without the penalty. Tolerance: see _fd_tolerance."""
    X, y, W, B, reg = problem
    K, d = len(B), len(X[0])
    grad_W, grad_B = softmax_gradient(W, B, X, y, reg)
    J = _objective(X, y, reg, K, d)
    numeric = numeric_gradient(J, _flat(W, B), H_STEP)
    error = max(abs(g - n) for g, n in zip(_flat(grad_W, grad_B), numeric))
    target(error, label="largest difference")
    assert error <= _fd_tolerance(X, J(_flat(W, B)))


@HALF
@given(class_problems())
def test_hessian_matches_central_differences_of_the_gradient(problem):
    """Law: softmax_hessian is the derivative of the gradient, off-diagonal blocks
    (k != l) included: a square matrix, one row and column per parameter. Tolerance as
    for the gradient, one derivative higher."""
    X, y, W, B, reg = problem
    K, d = len(B), len(X[0])
    H = softmax_hessian(W, B, X, reg)

    def gradient_at(theta):
        Bt = [theta[k * (d + 1)] for k in range(K)]
        Wt = [theta[k * (d + 1) + 1:(k + 1) * (d + 1)] for k in range(K)]
        return _flat(*softmax_gradient(Wt, Bt, X, y, reg))

    theta = _flat(W, B)
    assert len(H) == len(theta) and all(len(row) == len(theta) for row in H)  # square: one row per parameter
    error = 0.0
    for j in range(len(theta)):  # column j: the central difference of the gradient along theta_j
        up, down = list(theta), list(theta)
        up[j] += H_STEP
        down[j] -= H_STEP
        column = [(u - v) / (2.0 * H_STEP) for u, v in zip(gradient_at(up), gradient_at(down))]
        error = max(error, max(abs(H[a][j] - c) for a, c in enumerate(column)))
    target(error, label="largest difference")
    assert error <= _fd_tolerance(X, 1.0)


@HALF
@given(class_problems(max_classes=2), st.booleans())
def test_the_two_class_problem_is_the_binary_problem(problem, weighted):
    """Law: with K = 2 and the first class as reference, SoftmaxProblem at (b_1, w_1)
    is Problem (chapter 10) at (b, w): the same objective, gradient and Hessian.

    The loss is the same expression, bit for bit; sums of equal terms by the same
    fsum; 1e-14 relative allows only for the order of a dot product.
    """
    X, y, W, B, reg = problem
    weights = [1.0 + (i % 3) for i in range(len(y))] if weighted else None
    softmax_problem = SoftmaxProblem(X, y, n_classes=2, reg=reg, sample_weight=weights, reference=True)
    binary = Problem(X, [float(label) for label in y], reg=reg, sample_weight=weights)
    theta = [B[1]] + list(W[1])
    a, b = softmax_problem.at(theta), binary.at(theta)
    assert math.isclose(a.objective, b.objective, rel_tol=1e-14)
    scale = 1.0 + max(abs(v) for row in X for v in row)
    for u, v in zip(a.gradient, b.gradient):
        assert math.isclose(u, v, rel_tol=1e-14, abs_tol=1e-15 * scale)
    for row_a, row_b in zip(softmax_problem.hessian(a), binary.hessian(b)):
        for u, v in zip(row_a, row_b):
            assert math.isclose(u, v, rel_tol=1e-14, abs_tol=1e-15 * scale ** 2)
    assert softmax_problem.separated(a) == binary.separated(b)
    assert softmax_problem.safe_step() == binary.safe_step()


# ------------------------------------------- issue 22: the L1 penalty of K classes

@st.composite
def small_class_data(draw, max_rows=8, max_classes=3, max_features=2):
    """``(X, y)``: rows with features in [-1, 1] and class indices 0..K-1, every class present."""
    K = draw(st.integers(2, max_classes))
    d = draw(st.integers(1, max_features))
    n = draw(st.integers(K, max_rows))
    X = draw(st.lists(st.lists(features(1.0), min_size=d, max_size=d), min_size=n, max_size=n))
    y = list(range(K)) + draw(st.lists(st.integers(0, K - 1), min_size=n - K, max_size=n - K))
    return X, y


def l1_fit(X, y, reg, tol):
    """An L1 softmax fit by proximal gradient descent at its safe step."""
    from logreg_pure.part4_estimators.multinomial import SoftmaxRegression

    step = SoftmaxProblem(X, y, reg=reg, penalty="l1").safe_step()
    return SoftmaxRegression(solver="gd", penalty="l1", reg=reg, lr=step, tol=tol, epochs=100000).fit(X, y), step


UNEVEN = ([[0.5], [-0.5], [1.0], [0.25], [-1.0], [0.75], [0.0]], [0, 0, 0, 0, 1, 1, 2])


@settings(max_examples=min(15, settings.default.max_examples))
@given(small_class_data(), st.sampled_from([0.02, 0.1]))
@example(UNEVEN, 0.02)  # uneven classes: the intercepts are far from 0
def test_an_l1_softmax_fit_meets_its_optimality_conditions(data, reg):
    """Law: at an L1 softmax fit (J = mean cross-entropy + reg sum_k ||w_k||_1, the
    intercepts unpenalized), with g the reference gradient of the mean cross-entropy:
    every intercept's g_k = 0; g_kj = -reg sign(w_kj) where w_kj != 0; |g_kj| <= reg
    where w_kj = 0.

    The fit stops where its proximal-gradient step is below tol = 1e-9 in every
    component; the next proximal point meets the conditions exactly for the gradient
    at the fit, whose gradient differs by at most L step tol = tol per component (the
    step is 1/L). So the conditions hold to 3 tol, a weight within step tol of 0 may
    sit at the kink, and 1e-12 covers the two gradients' rounding.

    Precondition: the proximal-gradient fit meets tol within its 100,000 epochs. It
    converges only linearly, and on a few rows with every class separated from the
    others the rate is close to 1 (three rows of three classes at reg = 0.02: a violation
    of 9.5e-6 after 100,000 epochs, reported by a ConvergenceWarning); such a fit
    answers nothing about its optimum.
    """
    X, y = data
    model, step = l1_fit(X, y, reg, 1e-9)
    assume(model.converged_)
    grad_W, grad_B = softmax_gradient(model.coef_, model.intercept_, X, y)
    slack = 3e-9 + 1e-12
    assert all(abs(g) <= slack for g in grad_B)
    for row_g, row_w in zip(grad_W, model.coef_):
        for g, w in zip(row_g, row_w):
            if abs(w) <= step * 1e-9:
                assert abs(g) <= reg + slack
            else:
                assert abs(g + reg * math.copysign(1.0, w)) <= slack


@settings(max_examples=min(15, settings.default.max_examples))
@given(small_class_data(), st.sampled_from([0.02, 0.1]), st.sampled_from([1.0, 0.5, 0.0]), st.booleans())
@example(UNEVEN, 0.02, 1.0, False)  # uneven classes: the intercepts are far from 0
@example(UNEVEN, 0.02, 0.5, True)
@example(([[0.0, 0.125], [0.0, 0.03125], [0.0, -0.75]], [0, 1, 2]), 0.02, 0.5, False)  # g_0 = -1.04e-10
def test_a_coordinate_descent_softmax_fit_meets_the_elastic_net_conditions(data, reg, l1_ratio, balanced):
    """Law: at a softmax fit by coordinate descent (chapter 16, on the full K-class
    quadratic model), with J = mean cross-entropy + l1 sum_k ||w_k||_1 + (l2 / 2) sum_k
    ||w_k||^2 (l1 = reg l1_ratio, l2 = reg (1 - l1_ratio); the intercepts unpenalized)
    and g the reference gradient of its smooth part (chapter 6): every intercept's
    g_k = 0; g_kj = -l1 sign(w_kj) where w_kj != 0; |g_kj| <= l1 where w_kj = 0. The
    elastic net's conditions, glmnet's, met without any other library to compare with.

    Precondition: reg > 0 (all K weight vectors free), and, with ``balanced``, class
    weights n / (K n_k) in every mean. Tolerance: the fit stops where the largest
    violation of these conditions, computed by the fast forms, is at most tol = 1e-10;
    the reference gradient differs from theirs by rounding (1e-12 here, |x| <= 1). The
    first class's intercept is held at 0 (only differences of intercepts matter), and
    its g_0 = -(g_1 + ... + g_{K-1}) (the residuals p_k - y_k of a row sum to 0): within
    (K - 1) tol.
    """
    X, y = data
    penalty = dict(penalty="elasticnet", l1_ratio=l1_ratio)
    class_weight = "balanced" if balanced else None
    model = SoftmaxRegression(solver="cd", reg=reg, tol=1e-10, class_weight=class_weight, **penalty).fit(X, y)
    assert model.converged_
    l1, l2 = reg * l1_ratio, reg * (1.0 - l1_ratio)
    weights = with_class_weight(None, class_weight, y, len(model.classes_))
    grad_W, grad_B = softmax_gradient(model.coef_, model.intercept_, X, y, l2, sample_weight=weights)
    slack = 1e-10 + 1e-12
    assert all(abs(g) <= slack for g in grad_B[1:]) and abs(grad_B[0]) <= (len(grad_B) - 1) * slack
    for row_g, row_w in zip(grad_W, model.coef_):
        for g, w in zip(row_g, row_w):
            if w == 0.0:
                assert abs(g) <= l1 + slack
            else:
                assert abs(g + l1 * math.copysign(1.0, w)) <= slack


@settings(max_examples=min(15, settings.default.max_examples))
@given(small_class_data(max_rows=10))
@example(UNEVEN)
def test_under_a_huge_l1_penalty_the_fit_is_the_class_frequencies(data):
    """Law: with reg = 10 (above every |g_kj| at w = 0, which is at most max |x| <= 1 here)
    every weight is exactly 0, and the intercepts are the log class frequencies up to
    the reference: intercept_k - intercept_0 = log(n_k / n_0).

    Tolerance: the fit stops at a proximal-gradient step of 1e-10; along the intercepts
    J's curvature is at least min_k p_k (1 - p_k) / K-ish, so their error is below 1e-7.
    """
    X, y = data
    model, _ = l1_fit(X, y, 10.0, 1e-10)
    assert model.converged_
    assert all(w == 0.0 for row in model.coef_ for w in row)
    counts = [y.count(k) for k in range(len(model.intercept_))]
    for k, n_k in enumerate(counts):
        assert abs((model.intercept_[k] - model.intercept_[0]) - math.log(n_k / counts[0])) <= 1e-7


@given(st.integers(2, 4).flatmap(lambda K: st.tuples(
    st.just(K), st.lists(st.integers(0, K - 1), min_size=1, max_size=8),
    st.dictionaries(st.integers(0, K - 1), st.floats(0.25, 4.0), max_size=K))))
@example((3, [0, 1, 2, 2], {0: 3.0}))  # classes 1 and 2 left out: they weigh 1
def test_a_class_weight_dict_weighs_each_row_by_its_class_and_leaves_the_rest_at_one(case):
    """Law: with_class_weight(None, {k: a_k}, codes, K) gives each row its class's a_k,
    and 1 to a row whose class the dict leaves out (the one function for two classes and
    for K). Exact: one product each."""
    K, codes, weights = case
    assert with_class_weight(None, weights, codes, K) == [weights.get(c, 1.0) for c in codes]


def test_a_tables_column_names_become_the_feature_names():
    """A table with named columns (pandas' DataFrame, here test_conventions' miniature of
    it) gives its names to the parameters; given names win over them."""
    from test_conventions import Frame

    table = Frame([[1.0, 2.0], [3.0, 1.0], [2.0, 2.0]], ["height", "age"])
    assert SoftmaxProblem(table, [0, 1, 2]).names == ["height", "age"]
    assert SoftmaxProblem(table, [0, 1, 2], feature_names=["a", "b"]).names == ["a", "b"]


def test_one_class_split_off_from_the_others_is_a_separation_and_its_mirror_is_not():
    """Class 0 lies at x < 0, classes 1 and 2 overlap at x > 0. Scores (0, 3x, 3x) make
    s_0 - s_1 = -3x positive on exactly the rows of class 0: moving along it lowers every
    row's loss without end, so the point shows a separation. The mirror (0, -3x, -3x)
    puts class 0 on the wrong side of it: no separation (classes 1 and 2 tie)."""
    problem = SoftmaxProblem([[-2.0], [-1.0], [1.0], [1.0], [2.0], [2.0]], [0, 0, 1, 2, 1, 2])
    assert problem.separated(problem.at([0.0, 3.0, 0.0, 3.0]))
    assert not problem.separated(problem.at([0.0, -3.0, 0.0, -3.0]))

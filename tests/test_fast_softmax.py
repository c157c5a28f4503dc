"""Appendix A (K classes): FastSoftmaxProblem answers as SoftmaxProblem, and the seam changes nothing but speed."""

import math
import warnings

from hypothesis import given, settings, strategies as st

from logreg_pure.part2_problem.softmax_problem import SoftmaxProblem
from logreg_pure.part4_estimators.multinomial import SoftmaxRegression
from logreg_pure.part8_appendix.fast import FastSoftmaxProblem, softmax_loss_and_residuals

from strategies import at_most
from test_softmax import class_problems

# Half the profile's examples (25 by default, 100 under ci): each example of these laws
# differentiates or fits a whole model, and the default profile keeps the suite quick.
HALF = settings(max_examples=max(20, settings.default.max_examples // 2))


def _both(problem, weighted, reference, penalty="l2"):
    X, y, W, B, reg = problem
    weights = [1.0 + (i % 3) for i in range(len(y))] if weighted else None
    options = dict(n_classes=len(B), reg=reg, penalty=penalty, sample_weight=weights, reference=reference)
    slow, fast = SoftmaxProblem(X, y, **options), FastSoftmaxProblem(X, y, **options)
    return slow, fast, slow.pack(W, B)


def _scale(problem, theta):
    return (1.0 + max(abs(v) for row in problem.X for v in row)) * (1.0 + max(map(abs, theta))) * 3.0


@HALF
@given(class_problems(), st.booleans(), st.booleans(), st.sampled_from(["l2", "l1"]))
def test_fast_softmax_problem_answers_as_the_reference(problem, weighted, reference, penalty):
    """Law: at any theta, in either layout (reference class fixed or all K kept),
    FastSoftmaxProblem's scores, objective, gradient and Hessian equal SoftmaxProblem's.

    Only summation orders differ (plain sums against fsum): 1e-12 relative for J (a
    sum of non-negative terms) and 1e-12 of the largest term elsewhere.
    """
    slow, fast, theta = _both(problem, weighted, reference, penalty)
    a, b = slow.at(theta), fast.at(theta)
    scale = _scale(slow, theta)
    assert math.isclose(a.objective, b.objective, rel_tol=1e-12)
    assert math.isclose(slow.objective(theta), fast.objective(theta), rel_tol=1e-12)
    pairs = list(zip([v for row in a.z for v in row] + a.gradient, [v for row in b.z for v in row] + b.gradient))
    pairs += list(zip([v for row in slow.hessian(a) for v in row], [v for row in fast.hessian(b) for v in row]))
    for u, v in pairs:
        assert math.isclose(u, v, rel_tol=1e-12, abs_tol=1e-12 * scale ** 2)


@HALF
@given(class_problems(), st.booleans(), st.booleans(), st.data())
def test_fast_softmax_batch_gradient_equals_the_reference(problem, weighted, reference, data):
    """Law: on any batch of rows the fast batch gradient equals the reference one,
    (n / S) mean_batch s_i (p_i - y_i) x1_i + l2 w, class by class (1e-12 of the
    largest term: running sums against the reference's)."""
    slow, fast, theta = _both(problem, weighted, reference)
    rows = data.draw(st.lists(st.integers(0, slow.n_rows - 1), min_size=1, max_size=5))
    scale = _scale(slow, theta)
    for u, v in zip(slow.batch_gradient(theta, rows), fast.batch_gradient(theta, rows)):
        assert math.isclose(u, v, rel_tol=1e-12, abs_tol=1e-12 * scale)


def test_one_pass_at_extreme_scores():
    # Scores far beyond exp's range: finite losses, exact residuals, and a certain right
    # answer keeps its tiny loss (log1p, not log(1 + tiny)).
    loss, R = softmax_loss_and_residuals([[1e300, 0.0], [0.0, 40.0]], [1, 1])
    assert loss == 1e300 + math.log1p(math.exp(-40.0))
    assert R == [[1.0, math.exp(-40.0) / (1.0 + math.exp(-40.0))], [-1.0, 1.0 / (1.0 + math.exp(-40.0)) - 1.0]]


@at_most(20)
@given(class_problems(max_rows=8), st.sampled_from(["gd", "newton", "sgd"]))
def test_the_softmax_seam_changes_nothing_but_speed(problem, solver):
    """Law: a SoftmaxRegression fit on the reference problem (``fast=False``) and one
    through the seam take the same steps to the same answer.

    Precondition: reg > 0 (a unique optimum) and 15 steps, so that rounding
    differences (1e-12 per step) cannot add up: the parameters agree to 1e-9.
    """
    X, y, _, _, _ = problem
    options = dict(solver=solver, reg=0.1, epochs=15, tol=1e-8, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # 15 steps of gd or sgd stop short of the optimum, as intended
        fast = SoftmaxRegression(**options).fit(X, y)
        slow = SoftmaxRegression(fast=False, **options).fit(X, y)
    assert fast.n_iter_ == slow.n_iter_
    for row_a, row_b in zip(fast.coef_ + [fast.intercept_], slow.coef_ + [slow.intercept_]):
        for u, v in zip(row_a, row_b):
            assert abs(u - v) <= 1e-9 * (1.0 + abs(u))


@HALF
@given(class_problems(max_rows=8), st.booleans(), st.booleans(), st.data())
def test_softmax_hessian_columns_are_the_hessians_columns(problem, weighted, reference, draw):
    """Law: a column of the K-class Hessian from the curvature (``hessian_column``, what
    coordinate descent asks), any rows in any order, equals that column of the full
    Hessian of chapter 6, cross-class blocks included, in the reference and the fast
    form alike, weighted or not, with or without a reference class.

    Tolerance: only summation orders and the order of the products differ, 1e-12 of the
    largest entry, which is at most (1 + max |x|)^2 + l2 (the rows' shares s_i / S sum to
    1, and |p_k (delta_kl - p_l)| <= 1/4).
    """
    slow, fast, theta = _both(problem, weighted, reference)
    point = slow.at(theta)
    a = draw.draw(st.integers(0, len(theta) - 1))
    among = draw.draw(st.permutations(range(len(theta))))
    full = [row[a] for row in slow.hessian(point)]
    scale = (1.0 + max(abs(v) for row in slow.X for v in row)) ** 2 + slow.l2
    for form in (slow, fast):
        column = form.hessian_column(form.curvature_weights(point), a, among)
        for h, b in zip(column, among):
            assert math.isclose(h, full[b], rel_tol=1e-12, abs_tol=1e-12 * scale)

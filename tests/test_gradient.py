"""Chapter 4: the gradient (p - y) x and the Hessian, checked against J itself."""

import math

from hypothesis import given, strategies as st, target

from logreg_pure.gradient import (
    example_gradient,
    fast_gradient,
    fast_hessian,
    gradient,
    hessian,
    loss_and_residuals,
    residuals,
)
from logreg_pure.loss import log_loss_from_logit, logits, objective
from logreg_pure.vectors import transpose
from reference import numeric_gradient
from strategies import EPS, problems

H_STEP = 1e-6  # central differences: truncation O(h^2), rounding O(eps / h)


def _fd_tolerance(X, y, w, b, reg):
    """Error bound of a central difference of J with step h.

    Rounding: J is computed to about 8 eps (|J| + 1), and the difference quotient
    divides that by h. Truncation: h^2 / 6 times J's third derivative, which is at
    most max|x1|^3 / 10 (|sigmoid''| <= 0.097) for the data part.
    """
    J = objective(w, b, X, y, reg)
    largest = max(1.0, max(abs(v) for row in X for v in row))
    return 8.0 * EPS * (abs(J) + 1.0) / H_STEP + H_STEP ** 2 * largest ** 3 / 6.0


def test_hand_values():
    # At w = 0 every p is 1/2: the gradient is the mean of (1/2 - y) x.
    grad_w, grad_b = gradient([0.0], 0.0, [[2.0], [4.0]], [1.0, 0.0])
    assert grad_w == [0.5] and grad_b == 0.0
    assert example_gradient([3.0], 0.0, [0.0], 0.0) == ([1.5], 0.5)
    # The penalty adds reg * w to the weights' gradient but nothing to the bias's.
    grad_w, grad_b = gradient([2.0], 0.0, [[0.0], [0.0]], [1.0, 0.0], reg=0.5)
    assert grad_w == [1.0] and grad_b == 0.0
    # Without reg there is no penalty: rows at x = 0 leave the weight's gradient at 0.
    assert gradient([2.0], 0.0, [[0.0], [0.0]], [1.0, 0.0]) == ([0.0], 0.0)


@given(problems())
def test_gradient_matches_central_differences(problem):
    """Law: gradient(w, b) = the derivative of J(w, b), with and without reg.

    Checked against central differences of the objective (tolerance: see
    _fd_tolerance).
    """
    X, y, w, b, reg = problem
    grad_w, grad_b = gradient(w, b, X, y, reg)
    numeric = numeric_gradient(lambda theta: objective(theta[:-1], theta[-1], X, y, reg), w + [b], H_STEP)
    error = max(abs(g - n) for g, n in zip(grad_w + [grad_b], numeric))
    target(error, label="largest difference")
    assert error <= _fd_tolerance(X, y, w, b, reg)


@given(problems())
def test_hessian_matches_central_differences_of_the_gradient(problem):
    """Law: hessian(w, b) is the derivative of the gradient (intercept first).

    Tolerance as for the gradient, one derivative higher (the same bound serves:
    the gradient is computed as accurately as J, and its third derivative is
    bounded by the same max|x1|^3 / 10).
    """
    X, y, w, b, reg = problem
    H = hessian(w, b, X, reg)

    def grad_component(k):
        def f(theta):
            gw, gb = gradient(theta[1:], theta[0], X, y, reg)
            return ([gb] + gw)[k]
        return f

    tolerance = _fd_tolerance(X, y, w, b, reg)
    for k in range(len(w) + 1):
        numeric = numeric_gradient(grad_component(k), [b] + w, H_STEP)
        assert max(abs(h - n) for h, n in zip(H[k], numeric)) <= tolerance


@given(problems())
def test_fast_gradient_equals_reference(problem):
    """Law: the column-major gradient X^T r / n + reg w equals the per-example one.

    The two differ only in summation order; to 1e-12 relative to the largest term.
    """
    X, y, w, b, reg = problem
    ref_w, ref_b = gradient(w, b, X, y, reg)
    r = residuals(logits(w, b, X), y)
    fast_w, fast_b = fast_gradient(transpose(X), r, w, reg, float(len(X)))
    scale = 1.0 + max(abs(v) for row in X for v in row) + reg * max(map(abs, w))
    for slow, fast in zip(ref_w + [ref_b], fast_w + [fast_b]):
        assert math.isclose(slow, fast, rel_tol=1e-12, abs_tol=1e-12 * scale)


@given(problems(), st.booleans())
def test_fast_hessian_equals_reference(problem, weighted):
    """Law: the Hessian built from column products equals the sum of outer products,
    with sample weights or without (to 1e-12 relative: the summation order differs)."""
    X, y, w, b, reg = problem
    weights = [1.0 + (i % 3) for i in range(len(y))] if weighted else None
    ref = hessian(w, b, X, reg, sample_weight=weights)
    total_weight = math.fsum(weights) if weighted else float(len(X))
    fast = fast_hessian(transpose(X), logits(w, b, X), reg, total_weight, weights)
    scale = 1.0 + max(abs(v) for row in X for v in row) ** 2
    for ref_row, fast_row in zip(ref, fast):
        for slow, quick in zip(ref_row, fast_row):
            assert math.isclose(slow, quick, rel_tol=1e-12, abs_tol=1e-12 * scale)


@given(problems(with_reg=False))
def test_gradient_is_zero_when_predictions_equal_labels_on_average(problem):
    """Law: dJ/db = mean(p) - mean(y), so it vanishes exactly when they agree.

    (The first-order condition behind 'the fitted probabilities average to the
    base rate'.) Checked as dJ/db = mean(p - y) to a few eps.
    """
    X, y, w, b, _ = problem
    _, grad_b = gradient(w, b, X, y)
    p = [1.0 / (1.0 + math.exp(-z)) if z > -700 else 0.0 for z in logits(w, b, X)]
    assert abs(grad_b - (math.fsum(p) - math.fsum(y)) / len(y)) <= 8.0 * EPS


@given(problems(), st.booleans())
def test_one_pass_loss_and_residuals_equal_the_references(problem, weighted):
    """Law: the fused pass gives the per-example losses' sum (to 1e-12 relative:
    only the rounding order differs, and every term is non-negative) and exactly
    the residuals sigmoid(z) - y of the reference (bit for bit)."""
    X, y, w, b, _ = problem
    z = logits(w, b, X)
    weights = [1.0 + (i % 3) for i in range(len(y))] if weighted else None
    loss, r = loss_and_residuals(z, y, weights)
    s = weights or [1.0] * len(y)
    reference = math.fsum(si * log_loss_from_logit(yi, zi) for si, yi, zi in zip(s, y, z))
    assert math.isclose(loss, reference, rel_tol=1e-12, abs_tol=1e-300)
    assert r == residuals(z, y, weights)


def test_one_pass_at_extreme_logits():
    # Far beyond where exp(-z) would overflow: finite losses, exact residuals.
    loss, r = loss_and_residuals([1000.0, -1000.0, 1e308, -1e308], [1.0, 1.0, 0.0, 0.0])
    assert loss == 1000.0 + 1e308 and r == [0.0, -1.0, 1.0, 0.0]

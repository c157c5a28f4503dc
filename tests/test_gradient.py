"""Chapter 5: the gradient (p - y) x and the Hessian, checked against J itself."""

import math

from hypothesis import given, target

from logreg_pure.part1_mathematics.gradient import example_gradient, gradient, hessian
from logreg_pure.part1_mathematics.loss import logits, objective
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

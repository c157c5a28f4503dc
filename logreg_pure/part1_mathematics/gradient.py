"""Chapter 5. The gradient ``(p - y) x``, and the Hessian.

For one example with log-odds ``z = w . x + b`` and ``p = sigmoid(z)``, the chain rule
through ``loss = softplus(z) - y z`` gives

    d loss / d z = sigmoid(z) - y = p - y,

so ``d loss / d w = (p - y) x`` and ``d loss / d b = p - y``. The error ``p - y`` is
small when the model is right and confident, and large (up to 1) when it is
confidently wrong; the input ``x`` says how much each weight shares the blame.
Averaging over the data and adding the penalty's derivative:

    grad_w J = (1/n) sum_i (p_i - y_i) x_i + reg w = (1/n) X^T (p - y) + reg w,
    dJ/db    = (1/n) sum_i (p_i - y_i).

Differentiating once more, ``d p / d z = p (1 - p)``, so the Hessian of J with
respect to ``theta = (b, w)`` (intercept first) is

    H = (1/n) sum_i p_i (1 - p_i) x1_i x1_i^T + reg * diag(0, 1, ..., 1),

with ``x1 = (1, x)``. Every term is positive semi-definite, so J is convex.

With sample weights ``s_i`` every mean ``(1/n) sum_i`` becomes
``sum_i s_i (...) / S`` with ``S = sum_i s_i``, the *total weight*.

These are the reference forms: one example at a time, then an exactly rounded
mean. The solvers use faster forms of the same formulas (column by column, one
``exp`` per row), which live in the appendix ``fast.py`` and are tested equal to
these.
"""

from typing import List, Optional, Sequence, Tuple

from .checks import check_sample_weight, check_vector
from .links import sigmoid, sigmoid_derivative
from .loss import logits
from .vectors import Matrix, Vector, dot, scale, total

__all__ = ["example_gradient", "gradient", "hessian", "residuals"]


def example_gradient(x: Sequence[float], y: float, w: Sequence[float], b: float) -> Tuple[Vector, float]:
    """Gradient of one example's loss: ``((p - y) x, p - y)`` with ``p = sigmoid(w.x + b)``.

    >>> example_gradient([2.0, -1.0], 1.0, [0.0, 0.0], 0.0)  # p = 1/2, so p - y = -1/2
    ([-1.0, 0.5], -0.5)

    Raises ``ValueError`` if ``x`` and ``w`` differ in length.
    """
    r = sigmoid(dot(x, w) + b) - y
    return scale(r, x), r


def _labels_and_weights(y: Sequence[float], sample_weight: Optional[Sequence[float]],
                        n: int) -> Tuple[Vector, Vector]:
    """``y`` and the weights (all ones by default), each checked to have one entry per row."""
    labels = check_vector(y, "y")
    if len(labels) != n:
        raise ValueError(f"X has {n} rows but y has {len(labels)} labels; they must match")
    weights = check_sample_weight(sample_weight, n)
    return labels, [1.0] * n if weights is None else weights


def residuals(z: Sequence[float], y: Sequence[float],
              sample_weight: Optional[Sequence[float]] = None) -> Vector:
    """The error signal ``r_i = s_i (p_i - y_i)`` with ``p_i = sigmoid(z_i)``.

    >>> residuals([0.0, 0.0], [0.0, 1.0])
    [0.5, -0.5]

    Raises ``ValueError`` unless ``z``, ``y`` (and ``sample_weight``) have equal lengths.
    """
    labels, weights = _labels_and_weights(y, sample_weight, len(z))
    return [si * (sigmoid(zi) - yi) for si, zi, yi in zip(weights, z, labels)]


def gradient(w: Sequence[float], b: float, X: Sequence[Sequence[float]], y: Sequence[float],
             reg: float = 0.0, *, sample_weight: Optional[Sequence[float]] = None) -> Tuple[Vector, float]:
    """``(grad_w J, dJ/db)``: the mean of the examples' ``(p - y) x``, plus ``reg w``.

    Only the smooth part of J is differentiated (the L2 penalty is included through
    ``reg``; for an L1 penalty pass ``reg=0`` and handle ``|w|`` separately).

    >>> gradient([0.0], 0.0, [[1.0], [3.0]], [0.0, 1.0])  # p = 1/2: (0.5 * 1 - 0.5 * 3) / 2
    ([-0.5], 0.0)

    Raises ``ValueError`` unless the shapes agree: one label (and weight) per row
    of ``X``, one weight in ``w`` per column.
    """
    z = logits(w, b, X)  # checks X against w
    labels, s = _labels_and_weights(y, sample_weight, len(z))
    total_weight = total(s)
    per_example = [example_gradient(x, yi, w, b) for x, yi in zip(X, labels)]
    grad_w = []
    for j, wj in enumerate(w):
        grad_w.append(total(si * gx[j] for si, (gx, _) in zip(s, per_example)) / total_weight + reg * wj)
    grad_b = total(si * r for si, (_, r) in zip(s, per_example)) / total_weight
    return grad_w, grad_b


def hessian(w: Sequence[float], b: float, X: Sequence[Sequence[float]], reg: float = 0.0, *,
            sample_weight: Optional[Sequence[float]] = None) -> Matrix:
    """The Hessian of J in ``theta = (b, w)``: ``(1/n) sum_i p_i (1 - p_i) x1_i x1_i^T + reg I_w``.

    A sum of outer products, one per example. Row and column 0 belong to the
    intercept, which the penalty leaves out.

    >>> hessian([0.0], 0.0, [[1.0], [-1.0]])  # p (1 - p) = 1/4 for both rows
    [[0.25, 0.0], [0.0, 0.25]]

    Raises ``ValueError`` unless ``w`` has one weight per column of ``X`` and
    ``sample_weight`` one weight per row.
    """
    z = logits(w, b, X)  # checks X against w
    s = check_sample_weight(sample_weight, len(z)) or [1.0] * len(z)
    total_weight = total(s)
    d1 = len(w) + 1
    terms: List[List[List[float]]] = [[[] for _ in range(d1)] for _ in range(d1)]
    for x, zi, si in zip(X, z, s):
        v = si * sigmoid_derivative(zi)
        x1 = [1.0] + list(x)
        for j in range(d1):
            for k in range(d1):
                terms[j][k].append(v * x1[j] * x1[k])
    H = [[total(terms[j][k]) / total_weight for k in range(d1)] for j in range(d1)]
    for j in range(1, d1):
        H[j][j] += reg
    return H

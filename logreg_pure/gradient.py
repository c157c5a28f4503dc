"""Chapter 4. The gradient ``(p - y) x``, and the Hessian.

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

Each formula is written twice. ``gradient`` and ``hessian`` are the reference: per
example, then the mean, summed exactly with ``math.fsum``. The fast versions are
what the solvers use: ``loss_and_residuals`` gets each row's loss and ``p - y`` from
one shared ``exp``, and ``fast_gradient`` and ``fast_hessian`` work column by column
(``X^T r`` is one dot product per column of ``X``); the tests check that both agree.
"""

import math
import operator
from typing import List, Optional, Sequence, Tuple

from .links import sigmoid, sigmoid_derivative, softplus
from .loss import logits
from .vectors import Matrix, Vector, fast_dot, scale, total

__all__ = [
    "example_gradient",
    "fast_gradient",
    "fast_hessian",
    "gradient",
    "hessian",
    "loss_and_residuals",
    "residuals",
]


def example_gradient(x: Sequence[float], y: float, w: Sequence[float], b: float) -> Tuple[Vector, float]:
    """Gradient of one example's loss: ``((p - y) x, p - y)`` with ``p = sigmoid(w.x + b)``.

    >>> example_gradient([2.0, -1.0], 1.0, [0.0, 0.0], 0.0)  # p = 1/2, so p - y = -1/2
    ([-1.0, 0.5], -0.5)
    """
    r = sigmoid(fast_dot(x, w) + b) - y
    return scale(r, x), r


def _weights_or_ones(sample_weight: Optional[Sequence[float]], n: int) -> Sequence[float]:
    return [1.0] * n if sample_weight is None else sample_weight


def gradient(w: Sequence[float], b: float, X: Sequence[Sequence[float]], y: Sequence[float],
             reg: float = 0.0, *, sample_weight: Optional[Sequence[float]] = None) -> Tuple[Vector, float]:
    """``(grad_w J, dJ/db)``: the mean of the examples' ``(p - y) x``, plus ``reg w``.

    The reference form: one example at a time, then an exactly rounded mean.
    Only the smooth part of J is differentiated (the L2 penalty is included through
    ``reg``; for an L1 penalty pass ``reg=0`` and handle ``|w|`` separately).

    >>> gradient([0.0], 0.0, [[1.0], [3.0]], [0.0, 1.0])  # p = 1/2: (0.5 * 1 - 0.5 * 3) / 2
    ([-0.5], 0.0)
    """
    s = _weights_or_ones(sample_weight, len(X))
    weight_sum = total(s)
    per_example = [example_gradient(x, yi, w, b) for x, yi in zip(X, y)]
    grad_w = []
    for j, wj in enumerate(w):
        grad_w.append(total(si * gx[j] for si, (gx, _) in zip(s, per_example)) / weight_sum + reg * wj)
    grad_b = total(si * r for si, (_, r) in zip(s, per_example)) / weight_sum
    return grad_w, grad_b


def hessian(w: Sequence[float], b: float, X: Sequence[Sequence[float]], reg: float = 0.0, *,
            sample_weight: Optional[Sequence[float]] = None) -> Matrix:
    """The Hessian of J in ``theta = (b, w)``: ``(1/n) sum_i p_i (1 - p_i) x1_i x1_i^T + reg I_w``.

    The reference form: a sum of outer products, one per example. Row and column 0
    belong to the intercept, which the penalty leaves out.

    >>> hessian([0.0], 0.0, [[1.0], [-1.0]])  # p (1 - p) = 1/4 for both rows
    [[0.25, 0.0], [0.0, 0.25]]
    """
    s = _weights_or_ones(sample_weight, len(X))
    weight_sum = total(s)
    d1 = len(w) + 1
    terms: List[List[List[float]]] = [[[] for _ in range(d1)] for _ in range(d1)]
    for x, z, si in zip(X, logits(w, b, X), s):
        v = si * sigmoid_derivative(z)
        x1 = [1.0] + list(x)
        for j in range(d1):
            for k in range(d1):
                terms[j][k].append(v * x1[j] * x1[k])
    H = [[total(terms[j][k]) / weight_sum for k in range(d1)] for j in range(d1)]
    for j in range(1, d1):
        H[j][j] += reg
    return H


# ---------------------------------------------------------------------------
# The fast path: the same formulas, arranged for the interpreter.
# ---------------------------------------------------------------------------

def residuals(z: Sequence[float], y: Sequence[float],
              sample_weight: Optional[Sequence[float]] = None) -> Vector:
    """The error signal ``r_i = s_i (p_i - y_i)`` with ``p_i = sigmoid(z_i)``.

    >>> residuals([0.0, 0.0], [0.0, 1.0])
    [0.5, -0.5]
    """
    if sample_weight is None:
        return [p - yi for p, yi in zip(map(sigmoid, z), y)]
    return [si * (p - yi) for si, p, yi in zip(sample_weight, map(sigmoid, z), y)]


def loss_and_residuals(z: Sequence[float], y: Sequence[float],
                       sample_weight: Optional[Sequence[float]] = None) -> Tuple[float, Vector]:
    """In one pass: the summed loss ``sum_i s_i (softplus(z_i) - y_i z_i)`` and the
    residuals ``r_i = s_i (sigmoid(z_i) - y_i)``.

    The stable sigmoid and softplus both call ``exp`` on ``-|z|`` only, so one
    ``e = exp(-|z|)`` per row serves both: for ``z >= 0``, ``p = 1 / (1 + e)`` and the
    loss is ``log1p(e) + (1 - y) z``; for ``z < 0``, ``p = e / (1 + e)`` and the loss is
    ``log1p(e) - y z``. Both loss terms are sums of non-negative parts (y is 0 or
    1), so nothing cancels. The probabilities are bit for bit those of
    ``links.sigmoid``; the loss matches ``loss.log_loss_from_logit`` to rounding.
    A plain loop: on CPython 3.11+ and on PyPy it beats any chain of built-ins.

    >>> loss_and_residuals([0.0, 0.0], [0.0, 1.0]) == (2 * math.log(2.0), [0.5, -0.5])
    True
    """
    exp, log1p = math.exp, math.log1p
    loss = 0.0
    r: List[float] = []
    append = r.append
    for zi, yi in zip(z, y):
        if zi >= 0.0:
            e = exp(-zi)
            loss += log1p(e) + (1.0 - yi) * zi
            append(1.0 / (1.0 + e) - yi)
        else:
            e = exp(zi)
            loss += log1p(e) - yi * zi
            append(e / (1.0 + e) - yi)
    if sample_weight is None:
        return loss, r
    # Weighted fits (the rare case) pay for a second pass over the losses, so that
    # the loop above, run every epoch of every unweighted fit, stays as lean as it is.
    weighted = [si * (softplus(zi) - yi * zi) for si, zi, yi in zip(sample_weight, z, y)]
    return total(weighted), [si * ri for si, ri in zip(sample_weight, r)]


def fast_gradient(columns: Sequence[Sequence[float]], r: Sequence[float], w: Sequence[float],
                  reg: float, total_weight: float) -> Tuple[Vector, float]:
    """``grad_w J = X^T r / S + reg w`` and ``dJ/db = sum(r) / S``, column-major.

    ``columns`` is ``transpose(X)``, so each component of ``X^T r`` is a single dot
    product of a column with the residuals, done by one built-in call. ``S`` is the
    number of rows (or the total sample weight).

    >>> fast_gradient([[1.0, 3.0]], [0.5, -0.5], [0.0], 0.0, 2.0)
    ([-0.5], 0.0)
    """
    grad_w = [fast_dot(column, r) / total_weight + reg * wj for column, wj in zip(columns, w)]
    return grad_w, total(r) / total_weight


def fast_hessian(columns: Sequence[Sequence[float]], z: Sequence[float], reg: float,
                 total_weight: float, sample_weight: Optional[Sequence[float]] = None) -> Matrix:
    """The Hessian of ``hessian`` built from column products, using its symmetry.

    ``H[j][k] = sum_i v_i x1_ij x1_ik / S`` with ``v_i = s_i p_i (1 - p_i)``: for each
    column j the weighted column ``v * x1_j`` is formed once, then dotted with every
    column k >= j; the lower triangle is a copy of the upper.

    >>> fast_hessian([[1.0, -1.0]], [0.0, 0.0], 0.0, 2.0)
    [[0.25, 0.0], [0.0, 0.25]]
    """
    v = [sigmoid_derivative(zi) for zi in z]
    if sample_weight is not None:
        v = [si * vi for si, vi in zip(sample_weight, v)]
    x1_columns = [[1.0] * len(z)] + [list(c) for c in columns]
    d1 = len(x1_columns)
    H = [[0.0] * d1 for _ in range(d1)]
    for j in range(d1):
        weighted = list(map(operator.mul, v, x1_columns[j]))  # v_i x1_ij, multiplied in C
        for k in range(j, d1):
            H[j][k] = H[k][j] = fast_dot(weighted, x1_columns[k]) / total_weight
    for j in range(1, d1):
        H[j][j] += reg
    return H

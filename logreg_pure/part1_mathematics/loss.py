"""Chapter 4. From the Bernoulli likelihood to the cross-entropy objective.

A 0/1 label is a coin flip: ``y ~ Bernoulli(p)``, with probability of the observed
label ``p**y * (1 - p)**(1 - y)``. Maximizing the likelihood of all labels is the same
as minimizing the negative log-likelihood of each example, the binary cross-entropy

    loss(y, p) = -[y log p + (1 - y) log(1 - p)].

Written in terms of the log-odds ``z`` (with ``p = sigmoid(z)``) it simplifies to

    loss(y, z) = log(1 + exp(z)) - y z = softplus(z) - y z,

because ``log p = -softplus(-z)``, ``log(1 - p) = -softplus(z)`` and
``softplus(z) - softplus(-z) = z``. The model always knows ``z``, so the library
uses the second form: it is finite for every finite ``z`` (the first form takes
``log(0)`` once ``sigmoid`` rounds to 0 or 1, at about |z| = 37 or 745) and never needs
a clipping constant.

The training objective is the mean loss plus an L2 penalty on the weights (never on
the bias ``b``):

    J(w, b) = (1/n) sum_i loss(y_i, w . x_i + b) + (reg / 2) ||w||^2.

With ``sample_weight`` ``s_i`` the mean becomes ``sum_i s_i loss_i / sum_i s_i``, so an
integer weight k counts a row k times. With ``penalty="l1"`` the penalty is
``reg * ||w||_1`` instead, and with ``penalty="elasticnet"`` a mix of the two,

    reg * (l1_ratio * ||w||_1 + (1 - l1_ratio) / 2 * ||w||^2),

scikit-learn's and glmnet's convention (glmnet's ``alpha`` is ``l1_ratio``): "l1" is
``l1_ratio = 1`` and "l2" is ``l1_ratio = 0``. ``penalty_split`` turns any of the
three into its sharp part ``l1 = reg * l1_ratio`` and its smooth part
``l2 = reg * (1 - l1_ratio)``, so that the penalty is ``l1 ||w||_1 + (l2 / 2) ||w||^2``.

Public functions: ``example_loss`` (one example, from its log-odds),
``example_loss_from_probability`` (the textbook form, for comparison), ``logits``,
``weighted_mean``, ``penalty_split``, ``penalty_value``, ``objective``. Each checks its
arguments' shapes.
"""

import math
from typing import Any, Optional, Sequence, Tuple

from .checks import check_matrix, check_sample_weight, check_vector
from .vectors import Matrix, Vector, dot, mean, total

__all__ = [
    "PENALTIES",
    "example_loss",
    "example_loss_from_probability",
    "logits",
    "objective",
    "penalty_split",
    "penalty_value",
    "weighted_mean",
]

PENALTIES = ("l1", "l2", "elasticnet")


def example_loss(y: float, z: float) -> float:
    """Cross-entropy of one example from its log-odds: ``softplus(z) - y z``.

    >>> example_loss(1.0, 0.0) == math.log(2.0)  # a coin toss costs log 2
    True
    >>> example_loss(0.0, 1000.0)  # confidently wrong: the loss is about |z|
    1000.0

    Computed as ``max(z, 0) - y z + log1p(exp(-|z|))``: softplus written out, so that
    for a confident right answer (y = 1, large z) the two z's cancel exactly before
    the small term is added, instead of after it (which would lose its digits).
    Finite and non-negative for every finite ``z`` and ``y`` in {0, 1}.
    """
    return max(z, 0.0) - y * z + math.log1p(math.exp(-abs(z)))


def example_loss_from_probability(y: float, p: float) -> float:
    """The textbook cross-entropy ``-[y log p + (1 - y) log(1 - p)]``.

    Kept to show what the logit form replaces. It is only defined when the
    probability of the observed label is positive:

    >>> example_loss_from_probability(1.0, 0.5) == math.log(2.0)
    True

    Raises ``ValueError`` if the observed label has probability 0 (the loss is
    infinite), or if ``p`` is outside [0, 1].
    """
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"p must be a probability in [0, 1], got {p!r}")
    if (y == 1.0 and p == 0.0) or (y == 0.0 and p == 1.0):
        raise ValueError(f"the loss is infinite: label {y!r} was given probability 0")
    # Only the observed label's term is computed: the other has weight 0, and
    # 0 * log(0) would be NaN rather than 0.
    if y == 1.0:
        return -math.log(p)
    return -math.log1p(-p)


def _checked_model(w: Any, b: Any, X: Any) -> Tuple[Vector, float, Matrix]:
    """``w``, ``b`` and ``X`` as floats, with one weight per column of ``X``."""
    rows = check_matrix(X, "X")
    weights = check_vector(w, "w")
    if len(weights) != len(rows[0]):
        raise ValueError(f"w has {len(weights)} weights but X has {len(rows[0])} columns; "
                         f"give one weight per column")
    return weights, check_vector([b], "b")[0], rows


def logits(w: Sequence[float], b: float, X: Sequence[Sequence[float]]) -> Vector:
    """The linear part for every row: ``z_i = w . x_i + b``, the predicted log-odds.

    >>> logits([1.0, -1.0], 0.5, [[2.0, 1.0], [0.0, 0.0]])
    [1.5, 0.5]

    Raises ``ValueError`` unless every row has one value per weight.
    """
    weights, intercept, rows = _checked_model(w, b, X)
    return [dot(x, weights) + intercept for x in rows]


def weighted_mean(values: Sequence[float], sample_weight: Optional[Sequence[float]] = None) -> float:
    """``sum(s_i v_i) / sum(s_i)``, or the plain mean when ``sample_weight`` is None.

    >>> weighted_mean([1.0, 4.0], [3.0, 1.0])
    1.75

    Raises ``ValueError`` for weights of the wrong length, negative or all zero.
    """
    values = check_vector(values, "values")
    weights = check_sample_weight(sample_weight, len(values), of="values")
    if weights is None:
        return mean(values)
    return total(s * v for s, v in zip(weights, values)) / total(weights)


def penalty_split(reg: float, penalty: str = "l2", l1_ratio: Optional[float] = None) -> Tuple[float, float]:
    """The penalty's sharp and smooth parts, ``(l1, l2) = (reg * l1_ratio, reg * (1 - l1_ratio))``.

    ``l1_ratio`` is 1 for "l1", 0 for "l2", and must be given, in [0, 1], for
    "elasticnet" (for the other two it must be left out: it would be ignored).

    >>> penalty_split(0.5, "l1"), penalty_split(0.5, "l2"), penalty_split(0.5, "elasticnet", 0.25)
    ((0.5, 0.0), (0.0, 0.5), (0.125, 0.375))

    Raises ``ValueError`` for an unknown penalty or a missing or out-of-range ``l1_ratio``.
    """
    if penalty not in PENALTIES:
        raise ValueError(f"penalty must be one of {', '.join(map(repr, PENALTIES))}, got {penalty!r}")
    if penalty != "elasticnet":
        if l1_ratio is not None:
            raise ValueError(f"l1_ratio is only used with penalty='elasticnet' (penalty={penalty!r} "
                             f"is l1_ratio = {1 if penalty == 'l1' else 0}); leave it out or use 'elasticnet'")
        return (reg, 0.0) if penalty == "l1" else (0.0, reg)
    if l1_ratio is None or isinstance(l1_ratio, bool) or not isinstance(l1_ratio, (int, float)):
        raise ValueError(f"penalty='elasticnet' needs l1_ratio, a number from 0 (pure L2) to "
                         f"1 (pure L1), got {l1_ratio!r}")
    if not 0.0 <= l1_ratio <= 1.0:
        raise ValueError(f"l1_ratio must be between 0 (pure L2) and 1 (pure L1), got {l1_ratio!r}")
    return reg * l1_ratio, reg * (1.0 - l1_ratio)


def penalty_value(w: Sequence[float], reg: float, penalty: str = "l2",
                  l1_ratio: Optional[float] = None) -> float:
    """The penalty on the weights: ``l1 ||w||_1 + (l2 / 2) ||w||^2`` with ``penalty_split``'s parts.

    That is ``(reg/2) ||w||^2`` (L2), ``reg ||w||_1`` (L1) or the elastic net's mix.

    >>> penalty_value([3.0, 4.0], 0.5), penalty_value([3.0, -4.0], 0.5, "l1")
    (6.25, 3.5)
    >>> penalty_value([3.0, -4.0], 0.5, "elasticnet", 0.5)  # 0.25 * 7 + 0.125 * 25
    4.875
    """
    l1, l2 = penalty_split(reg, penalty, l1_ratio)
    value = 0.0
    if l2 != 0.0:
        value += 0.5 * l2 * total(wj * wj for wj in w)
    if l1 != 0.0:
        value += l1 * total(abs(wj) for wj in w)
    return value


def objective(w: Sequence[float], b: float, X: Sequence[Sequence[float]], y: Sequence[float],
              reg: float = 0.0, *, penalty: str = "l2", l1_ratio: Optional[float] = None,
              sample_weight: Optional[Sequence[float]] = None) -> float:
    """The training objective ``J(w, b) = mean_i loss(y_i, w . x_i + b) + penalty(w)``.

    >>> objective([0.0], 0.0, [[1.0], [2.0]], [0.0, 1.0]) == math.log(2.0)
    True

    Raises ``ValueError`` unless ``X``, ``y`` (and ``sample_weight``) have one
    entry per row and ``w`` one weight per column.
    """
    z = logits(w, b, X)
    labels = check_vector(y, "y")
    if len(labels) != len(z):
        raise ValueError(f"X has {len(z)} rows but y has {len(labels)} labels; they must match")
    losses = [example_loss(yi, zi) for yi, zi in zip(labels, z)]
    return weighted_mean(losses, sample_weight) + penalty_value(w, reg, penalty, l1_ratio)

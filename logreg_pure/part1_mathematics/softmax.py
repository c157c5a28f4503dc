"""Chapter 6. More than two classes: the softmax, its loss, gradient and Hessian.

With K classes the model gives every class k a score, ``s_k = b_k + w_k . x``, and
reads the scores as probabilities with the *softmax*:

    p_k = exp(s_k) / sum_l exp(s_l).

It is the sigmoid generalized: with two classes and scores (0, z),
``p_1 = exp(z) / (1 + exp(z)) = sigmoid(z)``. In general only differences of scores
matter: adding the same number c to every score multiplies every ``exp`` by
``exp(c)``, which cancels. That is also how the softmax is computed stably: subtract
the largest score m first, so that every exponent is at most 0 and the largest term
is exactly 1 (``exp(1000)`` would overflow; ``exp(1000 - 1000)`` does not).

The loss of one example whose class is k is the cross-entropy ``-log p_k``, computed
from the scores as a *log-sum-exp*:

    loss = log sum_l exp(s_l) - s_k = (m - s_k) + log1p(sum_{l != top} exp(s_l - m)),

finite for every finite score vector (its differences in the float range), and
accurate even when the right class is certain (``log1p`` keeps the tiny term that
``log(1 + tiny)`` would round away). With ``K = 2`` and scores (0, z) it is, bit for bit,
the binary loss ``softplus(z) - y z`` of chapter 4.

Derivatives. With ``y_ik = 1`` if row i is of class k (one-hot) and ``x1 = (1, x)``:

    d loss / d s_k = p_k - y_k,   so   grad_k J = X1^T (P - Y)_k / n  (+ l2 w_k),

the binary ``X^T (p - y)`` once per class. One derivative more, ``d p_k / d s_l =
p_k (delta_kl - p_l)``, so the Hessian is made of K x K blocks

    H_kl = X1^T diag(p_k (delta_kl - p_l)) X1 / n  (+ l2 I on the weights when k = l):

the off-diagonal blocks (``k != l``) are not zero, since raising one class's score
lowers every other probability.

The problem these formulas make, ``SoftmaxProblem``, is chapter 11
(``softmax_problem.py``): the data, the penalty, the choice of a reference class, and
the answers to the loop's questions.

Public names: ``softmax``, ``log_sum_exp``, ``example_softmax_loss``,
``class_scores``, ``check_class_codes``, ``softmax_gradient``, ``softmax_hessian``,
``hessian_block``.
"""

import math
import numbers
from typing import Any, List, Optional, Sequence, Tuple

from .checks import check_matrix, check_sample_weight, check_vector
from .vectors import Matrix, Vector, dot, total

__all__ = [
    "check_class_codes",
    "class_scores",
    "example_softmax_loss",
    "hessian_block",
    "log_sum_exp",
    "softmax",
    "softmax_gradient",
    "softmax_hessian",
]


# ------------------------------------------------------------- one example

def softmax(scores: Sequence[float]) -> Vector:
    """``p_k = exp(s_k - m) / sum_l exp(s_l - m)`` with ``m = max_l s_l``.

    >>> softmax([0.0, 0.0])
    [0.5, 0.5]
    >>> softmax([1000.0, 1000.0])  # exp(1000) alone would overflow
    [0.5, 0.5]
    >>> [round(p, 12) for p in softmax([2.0, 2.0 + math.log(3.0)])]  # odds 3 : 1
    [0.25, 0.75]

    Raises ``ValueError`` for an empty or non-finite score vector.
    """
    s = _scores(scores)
    m = max(s)
    # Every exponent is <= 0, so nothing overflows, and the largest term is exp(0) = 1,
    # so the denominator is at least 1: no division by zero either.
    e = [math.exp(v - m) for v in s]
    denominator = total(e)
    return [v / denominator for v in e]


def _scores(scores: Sequence[float]) -> Vector:
    s = check_vector(scores, "scores")
    if not s:
        raise ValueError("scores is empty: a softmax needs at least one class")
    return s


def log_sum_exp(scores: Sequence[float]) -> float:
    """``log sum_l exp(s_l) = m + log1p(sum_{l != top} exp(s_l - m))``, m the largest score.

    >>> log_sum_exp([0.0, 0.0]) == math.log(2.0)
    True
    >>> log_sum_exp([1000.0, 0.0])  # exp(-1000) is below the float range's resolution
    1000.0
    """
    s = _scores(scores)
    top = max(range(len(s)), key=s.__getitem__)
    rest = total(math.exp(v - s[top]) for k, v in enumerate(s) if k != top)
    return s[top] + math.log1p(rest)


def example_softmax_loss(label: int, scores: Sequence[float]) -> float:
    """Cross-entropy of one example of class ``label``: ``log sum_l exp(s_l) - s_label``.

    Written as ``(m - s_label) + log1p(rest)`` (see ``log_sum_exp``): when the right
    class has the largest score the first term is exactly 0 and the loss keeps every
    digit of the small second one.

    >>> example_softmax_loss(1, [0.0, 0.0]) == math.log(2.0)  # a coin toss costs log 2
    True
    >>> example_softmax_loss(0, [0.0, 1000.0])  # confidently wrong: about the score gap
    1000.0

    Raises ``ValueError`` for a label that is not a class index.
    """
    s = _scores(scores)
    k = _class_index(label, len(s))
    top = max(range(len(s)), key=s.__getitem__)
    rest = total(math.exp(v - s[top]) for l, v in enumerate(s) if l != top)
    return (s[top] - s[k]) + math.log1p(rest)


def _class_index(label: Any, n_classes: int) -> int:
    # The range test comes first: it also refuses NaN and inf, which int() cannot take.
    if not isinstance(label, bool) and isinstance(label, numbers.Real) and 0 <= label < n_classes \
            and label == int(label):
        return int(label)
    raise ValueError(f"label must be a class index 0..{n_classes - 1}, got {label!r}")


# ------------------------------------------------------------- all the rows

def class_scores(W: Sequence[Sequence[float]], B: Sequence[float], X: Sequence[Sequence[float]]) -> Matrix:
    """The scores of every row and class: ``s_ik = B_k + W_k . x_i``.

    >>> class_scores([[0.0], [2.0]], [0.0, -1.0], [[1.0], [3.0]])
    [[0.0, 1.0], [0.0, 5.0]]

    Raises ``ValueError`` unless ``W`` has one row of weights per intercept in ``B``,
    each with one weight per column of ``X``.
    """
    rows = check_matrix(X, "X")
    weights = check_matrix(W, "W", n_features=len(rows[0]))
    intercepts = check_vector(B, "B", length=len(weights))
    return [[b + dot(w, x) for w, b in zip(weights, intercepts)] for x in rows]


def check_class_codes(y: Any, n_rows: int, n_classes: int) -> List[int]:
    """The class labels ``y`` as indices 0..K-1, one per row, every class present.

    >>> check_class_codes([0, 2, 1.0], 3, 3)
    [0, 2, 1]
    """
    codes = _codes(y, n_rows, n_classes)
    missing = sorted(set(range(n_classes)) - set(codes))
    if missing:
        raise ValueError(f"class {missing[0]} has no rows: every one of the {n_classes} classes "
                         f"needs examples (drop the empty class)")
    return codes


def _codes(y: Any, n_rows: int, n_classes: int) -> List[int]:
    """``y`` as class indices, one per row (a class may be absent)."""
    if isinstance(y, (str, bytes)) or not hasattr(y, "__len__"):
        raise TypeError(f"y must be a list of class indices, got {type(y).__name__}")
    if len(y) != n_rows:
        raise ValueError(f"X has {n_rows} rows but y has {len(y)} labels; they must match")
    return [_class_index(label, n_classes) for label in y]


def _weights_or_ones(sample_weight: Optional[Sequence[float]], n: int) -> Vector:
    return list(sample_weight) if sample_weight is not None else [1.0] * n


def _one_hot(label: int, n_classes: int) -> Vector:
    return [1.0 if k == label else 0.0 for k in range(n_classes)]


def softmax_gradient(W: Sequence[Sequence[float]], B: Sequence[float], X: Sequence[Sequence[float]],
                     y: Sequence[int], l2: float = 0.0, *,
                     sample_weight: Optional[Sequence[float]] = None) -> Tuple[Matrix, Vector]:
    """``(grad_W, grad_B)``: per class k, ``X^T (p_k - y_k) / S + l2 w_k`` and ``mean(p_k - y_k)``.

    Every class's row of ``W`` is differentiated; a fit that fixes a reference class
    simply leaves that row's gradient unused.

    >>> softmax_gradient([[0.0], [0.0]], [0.0, 0.0], [[1.0], [3.0]], [0, 1])  # p = 1/2 everywhere
    ([[0.5], [-0.5]], [0.0, 0.0])
    """
    scores = class_scores(W, B, X)
    K, n = len(B), len(scores)
    labels = _codes(y, n, K)
    s = _weights_or_ones(check_sample_weight(sample_weight, n), n)
    S = total(s)
    R = [[s[i] * (p - t) for p, t in zip(softmax(scores[i]), _one_hot(labels[i], K))] for i in range(n)]
    grad_B = [total(R[i][k] for i in range(n)) / S for k in range(K)]
    grad_W = [[total(R[i][k] * X[i][j] for i in range(n)) / S + l2 * W[k][j] for j in range(len(X[0]))]
              for k in range(K)]
    return grad_W, grad_B


def softmax_hessian(W: Sequence[Sequence[float]], B: Sequence[float], X: Sequence[Sequence[float]],
                    l2: float = 0.0, *, sample_weight: Optional[Sequence[float]] = None) -> Matrix:
    """The Hessian of J in ``(b_0, w_0, b_1, w_1, ...)``: blocks
    ``H_kl = X1^T diag(s p_k (delta_kl - p_l)) X1 / S``, plus ``l2`` on the weights' diagonal.

    >>> H = softmax_hessian([[0.0], [0.0]], [0.0, 0.0], [[1.0], [-1.0]])
    >>> H[0][0], H[0][2]  # p_0 (1 - p_0) = 1/4; the off-diagonal block: -p_0 p_1 = -1/4
    (0.25, -0.25)
    """
    scores = class_scores(W, B, X)
    n, K, d1 = len(scores), len(B), len(X[0]) + 1
    s = _weights_or_ones(check_sample_weight(sample_weight, n), n)
    S = total(s)
    P = [softmax(row) for row in scores]
    X1 = [[1.0] + list(x) for x in X]
    H = [[0.0] * (K * d1) for _ in range(K * d1)]
    for k in range(K):
        for l in range(K):
            block = hessian_block(P, X1, s, k, l)
            for j in range(d1):
                H[k * d1 + j][l * d1:(l + 1) * d1] = [h / S for h in block[j]]
        for j in range(1, d1):
            H[k * d1 + j][k * d1 + j] += l2
    return H


def hessian_block(P: Matrix, X1: Matrix, s: Vector, k: int, l: int) -> Matrix:
    """``X1^T diag(s p_k (delta_kl - p_l)) X1``: the (k, l) block of the summed Hessian.

    >>> hessian_block([[0.5, 0.5]], [[1.0, 2.0]], [1.0], 0, 1)  # -p_0 p_1 x1 x1^T
    [[-0.25, -0.5], [-0.5, -1.0]]
    """
    v = [si * p[k] * ((1.0 if k == l else 0.0) - p[l]) for si, p in zip(s, P)]
    d1 = len(X1[0])
    return [[total(vi * x1[j] * x1[m] for vi, x1 in zip(v, X1)) for m in range(d1)] for j in range(d1)]

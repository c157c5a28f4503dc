"""Chapter 23. Metrics: how good are the predictions?

Every function takes the true labels first, as scikit-learn's do, and means the same
thing as its scikit-learn namesake:

- from hard predictions: ``accuracy``, ``confusion_matrix`` (tn, fp, fn, tp),
  ``precision`` = tp / (tp + fp), ``recall`` = tp / (tp + fn),
  ``specificity`` = tn / (tn + fp), ``f1`` = 2 tp / (2 tp + fp + fn);
- from probabilities: ``log_loss`` (mean cross-entropy), ``brier_score`` (mean squared
  error of the probability), ``calibration_table``;
- from any score that ranks the rows (probabilities or log-odds): ``roc_curve``,
  ``roc_auc``, ``precision_recall_curve``, ``average_precision``, ``threshold_table``,
  ``best_threshold``.

A ratio whose denominator is zero (precision with no positive predictions, AUC with
one class) is undefined, and is reported as a ``ValueError`` saying so, never as a
silent 0 or NaN.
"""

import math
from typing import Any, List, NamedTuple, Optional, Sequence, Tuple

from ..part1_mathematics.checks import check_labels, check_same_length, check_vector
from ..part1_mathematics.loss import example_loss, example_loss_from_probability
from ..part1_mathematics.vectors import Vector, mean, total

__all__ = [
    "ConfusionMatrix",
    "accuracy",
    "average_precision",
    "best_threshold",
    "brier_score",
    "calibration_table",
    "confusion_matrix",
    "f1",
    "log_loss",
    "log_loss_from_logits",
    "precision",
    "precision_recall_curve",
    "recall",
    "roc_auc",
    "roc_curve",
    "specificity",
    "threshold_table",
]


class ConfusionMatrix(NamedTuple):
    """Counts of the four outcomes: true negatives, false positives, false negatives, true positives."""

    tn: int
    fp: int
    fn: int
    tp: int


def _labels_pair(y_true: Any, y_other: Any, other_name: str) -> Tuple[Vector, Vector]:
    truth = check_labels(y_true, name="y_true", require_both=False)
    check_same_length(truth, y_other, "y_true", other_name)
    return truth, check_labels(y_other, name=other_name, require_both=False)


def _scores_pair(y_true: Any, scores: Any, name: str = "y_score") -> Tuple[Vector, Vector]:
    truth = check_labels(y_true, name="y_true", require_both=False)
    check_same_length(truth, scores, "y_true", name)
    return truth, check_vector(scores, name)


def _probabilities_pair(y_true: Any, y_prob: Any) -> Tuple[Vector, Vector]:
    truth, probabilities = _scores_pair(y_true, y_prob, "y_prob")
    for i, p in enumerate(probabilities):
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"y_prob[{i}] is {p!r}; probabilities must lie in [0, 1]")
    return truth, probabilities


def _ratio(numerator: int, denominator: int, what: str, why: str) -> float:
    if denominator == 0:
        raise ValueError(f"{what} is undefined: {why}")
    return numerator / denominator


# ------------------------------------------------------------ hard predictions

def accuracy(y_true: Sequence[float], y_pred: Sequence[float]) -> float:
    """The fraction of rows predicted correctly.

    >>> accuracy([0, 1, 1, 0], [0, 1, 0, 0])
    0.75
    """
    truth, predicted = _labels_pair(y_true, y_pred, "y_pred")
    return sum(1 for t, p in zip(truth, predicted) if t == p) / len(truth)


def confusion_matrix(y_true: Sequence[float], y_pred: Sequence[float]) -> ConfusionMatrix:
    """Counts ``(tn, fp, fn, tp)`` of predicted against true labels.

    >>> confusion_matrix([0, 0, 1, 1, 1], [0, 1, 0, 1, 1])
    ConfusionMatrix(tn=1, fp=1, fn=1, tp=2)
    """
    truth, predicted = _labels_pair(y_true, y_pred, "y_pred")
    counts = {(0.0, 0.0): 0, (0.0, 1.0): 0, (1.0, 0.0): 0, (1.0, 1.0): 0}
    for pair in zip(truth, predicted):
        counts[pair] += 1
    return ConfusionMatrix(counts[0.0, 0.0], counts[0.0, 1.0], counts[1.0, 0.0], counts[1.0, 1.0])


def precision(y_true: Sequence[float], y_pred: Sequence[float]) -> float:
    """``tp / (tp + fp)``: of the rows predicted 1, the fraction that are 1.

    >>> precision([0, 0, 1, 1, 1], [0, 1, 0, 1, 1])
    0.6666666666666666
    """
    m = confusion_matrix(y_true, y_pred)
    return _ratio(m.tp, m.tp + m.fp, "precision", "no row was predicted 1")


def recall(y_true: Sequence[float], y_pred: Sequence[float]) -> float:
    """``tp / (tp + fn)`` (sensitivity, true-positive rate): of the 1s, the fraction found.

    >>> recall([0, 0, 1, 1, 1], [0, 1, 0, 1, 1])
    0.6666666666666666
    """
    m = confusion_matrix(y_true, y_pred)
    return _ratio(m.tp, m.tp + m.fn, "recall", "y_true has no 1s")


def specificity(y_true: Sequence[float], y_pred: Sequence[float]) -> float:
    """``tn / (tn + fp)`` (true-negative rate): of the 0s, the fraction predicted 0.

    >>> specificity([0, 0, 1, 1, 1], [0, 1, 0, 1, 1])
    0.5
    """
    m = confusion_matrix(y_true, y_pred)
    return _ratio(m.tn, m.tn + m.fp, "specificity", "y_true has no 0s")


def f1(y_true: Sequence[float], y_pred: Sequence[float]) -> float:
    """``2 tp / (2 tp + fp + fn)``, the harmonic mean of precision and recall.

    >>> f1([0, 0, 1, 1, 1], [0, 1, 0, 1, 1])
    0.6666666666666666
    """
    m = confusion_matrix(y_true, y_pred)
    return _ratio(2 * m.tp, 2 * m.tp + m.fp + m.fn, "f1", "there are no 1s, true or predicted")


# --------------------------------------------------------------- probabilities

def log_loss(y_true: Sequence[float], y_prob: Sequence[float]) -> float:
    """Mean cross-entropy ``-(1/n) sum [y log p + (1 - y) log(1 - p)]``.

    A row whose true label was given probability exactly 0 has an infinite loss, and
    then the mean is ``inf``: no clipping constant hides that. (Probabilities that
    round to 0.0 or 1.0, from log-odds beyond about 37, lose information that
    ``log_loss_from_logits`` keeps: prefer it when the log-odds are at hand.)

    >>> round(log_loss([1, 0], [0.5, 0.5]), 12) == round(math.log(2), 12)
    True
    >>> log_loss([1], [0.0])
    inf
    """
    truth, probabilities = _probabilities_pair(y_true, y_prob)
    losses = []
    for t, p in zip(truth, probabilities):
        if (t == 1.0 and p == 0.0) or (t == 0.0 and p == 1.0):
            return math.inf
        losses.append(example_loss_from_probability(t, p))
    return mean(losses)


def log_loss_from_logits(y_true: Sequence[float], logits: Sequence[float]) -> float:
    """Mean cross-entropy from log-odds, ``mean(softplus(z) - y z)``: always finite.

    >>> log_loss_from_logits([0], [1000.0])
    1000.0
    """
    truth, z = _scores_pair(y_true, logits, "logits")
    return mean([example_loss(t, zi) for t, zi in zip(truth, z)])


def brier_score(y_true: Sequence[float], y_prob: Sequence[float]) -> float:
    """Mean squared error of the probabilities, ``(1/n) sum (p - y)^2``.

    >>> brier_score([1, 0], [0.75, 0.5])
    0.15625
    """
    truth, probabilities = _probabilities_pair(y_true, y_prob)
    return mean([(p - t) ** 2 for t, p in zip(truth, probabilities)])


def _bin_of(p: float, bins: int) -> int:
    """The k with ``k / bins <= p < (k + 1) / bins`` (p = 1 in the last bin), compared with
    the edges themselves: ``int(p * bins)`` alone can round up, 0.8999999999999999 * 10
    being 9.0."""
    k = min(int(p * bins), bins - 1)
    if k > 0 and p < k / bins:
        k -= 1
    return k


def calibration_table(y_true: Sequence[float], y_prob: Sequence[float],
                      bins: int = 10) -> List[Tuple[float, float, int, float, float]]:
    """Reliability table: for each non-empty bin of equal width on [0, 1],
    ``(low, high, count, mean predicted probability, observed rate of 1s)``.

    Bin k holds ``low <= p < high``; p = 1 goes in the last bin. A calibrated
    model's mean prediction matches the observed rate in every bin.

    >>> calibration_table([0, 1, 1, 1], [0.1, 0.2, 0.8, 0.9], bins=2)
    [(0.0, 0.5, 2, 0.15000000000000002, 0.5), (0.5, 1.0, 2, 0.8500000000000001, 1.0)]
    """
    truth, probabilities = _probabilities_pair(y_true, y_prob)
    if isinstance(bins, bool) or not isinstance(bins, int) or bins < 1:
        raise ValueError(f"bins must be a whole number >= 1, got {bins!r}")
    members: List[List[int]] = [[] for _ in range(bins)]
    for i, p in enumerate(probabilities):
        members[_bin_of(p, bins)].append(i)
    table = []
    for k, rows in enumerate(members):
        if rows:
            table.append((k / bins, (k + 1) / bins, len(rows),
                          mean([probabilities[i] for i in rows]), mean([truth[i] for i in rows])))
    return table


# ------------------------------------------------------------------- rankings

def _both_classes(truth: Vector, what: str) -> Tuple[int, int]:
    positives = sum(1 for t in truth if t == 1.0)
    negatives = len(truth) - positives
    if positives == 0 or negatives == 0:
        missing = "1s" if positives == 0 else "0s"
        raise ValueError(f"{what} is undefined when y_true has no {missing}: it compares "
                         f"positive rows with negative ones")
    return positives, negatives


def _counts_by_threshold(truth: Vector, scores: Vector) -> List[Tuple[float, int, int]]:
    """For each distinct score, highest first: ``(threshold, tp, fp)`` when predicting 1
    for every score >= threshold. Tied scores enter together: one point per value."""
    order = sorted(range(len(scores)), key=lambda i: -scores[i])
    points = []
    tp = fp = 0
    for rank, i in enumerate(order):
        if truth[i] == 1.0:
            tp += 1
        else:
            fp += 1
        last_of_tie = rank + 1 == len(order) or scores[order[rank + 1]] != scores[i]
        if last_of_tie:
            points.append((scores[i], tp, fp))
    return points


def roc_curve(y_true: Sequence[float], y_score: Sequence[float]) -> Tuple[Vector, Vector, Vector]:
    """The ROC curve: false-positive rates, true-positive rates and thresholds.

    Point k predicts 1 for scores >= thresholds[k]. The first point, at threshold
    ``inf``, predicts nothing (0, 0); the last predicts everything (1, 1). Tied
    scores make one point (a diagonal step), never a staircase that depends on
    the order of the rows.

    >>> roc_curve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    ([0.0, 0.0, 0.5, 0.5, 1.0], [0.0, 0.5, 0.5, 1.0, 1.0], [inf, 0.8, 0.4, 0.35, 0.1])
    """
    truth, scores = _scores_pair(y_true, y_score)
    positives, negatives = _both_classes(truth, "the ROC curve")
    fpr, tpr, thresholds = [0.0], [0.0], [math.inf]
    for threshold, tp, fp in _counts_by_threshold(truth, scores):
        fpr.append(fp / negatives)
        tpr.append(tp / positives)
        thresholds.append(threshold)
    return fpr, tpr, thresholds


def _average_ranks(scores: Vector) -> Vector:
    """Ranks 1..n in increasing order of score, ties given the mean of their ranks."""
    order = sorted(range(len(scores)), key=scores.__getitem__)
    ranks = [0.0] * len(scores)
    start = 0
    while start < len(order):
        end = start
        while end + 1 < len(order) and scores[order[end + 1]] == scores[order[start]]:
            end += 1
        shared = (start + end) / 2.0 + 1.0  # mean of ranks start+1 .. end+1
        for k in range(start, end + 1):
            ranks[order[k]] = shared
        start = end + 1
    return ranks


def roc_auc(y_true: Sequence[float], y_score: Sequence[float]) -> float:
    """Area under the ROC curve, exactly, by the rank (Mann-Whitney) formula.

    AUC is the probability that a random positive row scores above a random
    negative one, ties counting 1/2:

        AUC = (R_pos - n_pos (n_pos + 1) / 2) / (n_pos n_neg),

    with R_pos the sum of the positives' ranks (tied scores share their mean rank).
    The ranks are whole or half numbers, so the sum is exact.

    >>> roc_auc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    0.75
    >>> roc_auc([0, 1], [0.5, 0.5])  # a tie counts one half
    0.5

    Raises ``ValueError`` if ``y_true`` holds only one class.
    """
    truth, scores = _scores_pair(y_true, y_score)
    positives, negatives = _both_classes(truth, "AUC")
    rank_sum = total(r for r, t in zip(_average_ranks(scores), truth) if t == 1.0)
    return (rank_sum - positives * (positives + 1) / 2.0) / (positives * negatives)


def precision_recall_curve(y_true: Sequence[float], y_score: Sequence[float]) -> Tuple[Vector, Vector, Vector]:
    """Precision and recall at each distinct threshold, highest threshold first.

    Point k predicts 1 for scores >= thresholds[k]; recall rises from point to
    point. Tied scores make one point.

    >>> precision_recall_curve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    ([1.0, 0.5, 0.6666666666666666, 0.5], [0.5, 0.5, 1.0, 1.0], [0.8, 0.4, 0.35, 0.1])
    """
    truth, scores = _scores_pair(y_true, y_score)
    positives, _ = _both_classes(truth, "the precision-recall curve")
    precisions, recalls, thresholds = [], [], []
    for threshold, tp, fp in _counts_by_threshold(truth, scores):
        precisions.append(tp / (tp + fp))
        recalls.append(tp / positives)
        thresholds.append(threshold)
    return precisions, recalls, thresholds


def average_precision(y_true: Sequence[float], y_score: Sequence[float]) -> float:
    """``AP = sum_k (R_k - R_{k-1}) P_k``: precision weighted by each step in recall.

    The step-wise definition scikit-learn uses (no interpolation), with R_0 = 0.

    >>> average_precision([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])  # 0.5 * 1 + 0.5 * 2/3
    0.8333333333333333
    """
    precisions, recalls, _ = precision_recall_curve(y_true, y_score)
    previous = 0.0
    area = []
    for p, r in zip(precisions, recalls):
        area.append((r - previous) * p)
        previous = r
    return total(area)


class ThresholdRow(NamedTuple):
    """One row of ``threshold_table``."""

    threshold: float
    tn: int
    fp: int
    fn: int
    tp: int
    tpr: float
    fpr: float
    youden_j: float


def threshold_table(y_true: Sequence[float], y_score: Sequence[float],
                    thresholds: Optional[Sequence[float]] = None) -> List[ThresholdRow]:
    """Counts and rates when predicting 1 for ``score >= threshold``, one row per threshold.

    ``youden_j = tpr - fpr`` (sensitivity + specificity - 1) is 0 for a coin flip and
    1 for a perfect cut. Without ``thresholds``, every distinct score is one.

    >>> [round(r.youden_j, 2) for r in threshold_table([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])]
    [0.5, 0.0, 0.5, 0.0]
    """
    truth, scores = _scores_pair(y_true, y_score)
    positives, negatives = _both_classes(truth, "a threshold table")
    if thresholds is None:
        cuts = sorted(set(scores), reverse=True)
    else:
        cuts = check_vector(thresholds, "thresholds")
    rows = []
    for cut in cuts:
        tp = sum(1 for t, s in zip(truth, scores) if s >= cut and t == 1.0)
        fp = sum(1 for t, s in zip(truth, scores) if s >= cut and t == 0.0)
        tpr, fpr = tp / positives, fp / negatives
        rows.append(ThresholdRow(cut, negatives - fp, fp, positives - tp, tp, tpr, fpr, tpr - fpr))
    return rows


def best_threshold(y_true: Sequence[float], y_score: Sequence[float]) -> float:
    """The score threshold with the largest Youden's J (the highest such threshold on ties).

    >>> best_threshold([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    0.8
    """
    rows = threshold_table(y_true, y_score)
    positives, negatives = rows[0].tp + rows[0].fn, rows[0].tn + rows[0].fp
    # J = tp / P - fp / N compared exactly, as the whole number (tp N - fp P): in floats
    # two equal values of J can round apart, and the tie rule would then not decide.
    return max(rows, key=lambda row: (row.tp * negatives - row.fp * positives, row.threshold)).threshold

"""Chapter 24. Metrics for K classes.

The binary metrics of chapter 23 count four outcomes. With K classes there are K x K:
the *confusion matrix* ``C[i][j]``, the number of rows of true class i predicted as
class j (rows: the truth; columns: the prediction, as in scikit-learn). Everything
else is read from it or from the predicted probabilities:

- ``multiclass_accuracy``: the trace of C over n, the fraction predicted correctly;
- ``class_scores``: for each class k, treated as "k against the rest",
  precision ``C[k][k] / column k``, recall ``C[k][k] / row k``, F1
  ``2 C[k][k] / (row k + column k)`` and the support (row k's total);
- ``averaged_scores``: their *macro* average (every class counts the same) or
  *weighted* average (by support). Weighted recall is the accuracy;
- ``multiclass_log_loss``: the mean of ``-log p_i,y_i``, the cross-entropy of chapter
  6; ``multiclass_log_loss_from_scores`` computes it from the scores, always finite;
- ``one_vs_rest_auc``: for each class the binary AUC of its probability against
  membership in it, then the macro or weighted average (scikit-learn's
  ``roc_auc_score(multi_class="ovr")``).

Labels may be any hashable, sortable values; ``labels`` fixes the classes and their
order (by default: every label seen, sorted). A precision or recall with a zero
denominator is undefined: ``class_scores`` reports it as ``None`` and the averages
refuse it with a ``ValueError`` naming the class, unless ``zero_division`` gives the
value to use (scikit-learn's ``zero_division=0.0``).
"""

import math
from typing import Any, List, NamedTuple, Optional, Sequence, Tuple

from ..part1_mathematics.softmax import example_softmax_loss
from ..part1_mathematics.vectors import Matrix, mean, total
from .metrics import roc_auc

__all__ = [
    "ClassScores",
    "averaged_scores",
    "class_scores",
    "multiclass_accuracy",
    "multiclass_confusion_matrix",
    "multiclass_log_loss",
    "multiclass_log_loss_from_scores",
    "one_vs_rest_auc",
]

Label = Any


class ClassScores(NamedTuple):
    """One class against the rest: precision, recall and F1 (``None`` where undefined), support."""

    label: Label
    precision: Optional[float]
    recall: Optional[float]
    f1: Optional[float]
    support: int


def _paired(y_true: Any, other: Any, name: str) -> Tuple[List[Label], List[Any]]:
    for value, what in ((y_true, "y_true"), (other, name)):
        if isinstance(value, (str, bytes)) or not hasattr(value, "__len__"):
            raise TypeError(f"{what} must be a list of labels, got {type(value).__name__}")
    if len(y_true) != len(other):
        raise ValueError(f"y_true and {name} must have the same length, got {len(y_true)} and {len(other)}")
    if len(y_true) == 0:
        raise ValueError("y_true is empty: a metric needs at least one row")
    return list(y_true), list(other)


def _labels(found: Sequence[Label], labels: Optional[Sequence[Label]]) -> List[Label]:
    if labels is not None:
        chosen = list(labels)
        if len(set(chosen)) != len(chosen) or not chosen:
            raise ValueError("labels must list each class once (at least one)")
        unknown = [label for label in found if label not in set(chosen)]
        if unknown:
            raise ValueError(f"the data hold {unknown[0]!r}, which is not in labels")
        return chosen
    try:
        return sorted(set(found))
    except TypeError:
        raise TypeError("the labels cannot be sorted together: make them all strings or all numbers, "
                        "or give labels=[...] in the order wanted") from None


def multiclass_accuracy(y_true: Sequence[Label], y_pred: Sequence[Label]) -> float:
    """The fraction of rows whose predicted label equals the true one.

    >>> multiclass_accuracy(["a", "b", "c", "c"], ["a", "c", "c", "c"])
    0.75
    """
    truth, predicted = _paired(y_true, y_pred, "y_pred")
    return sum(1 for t, p in zip(truth, predicted) if t == p) / len(truth)


def multiclass_confusion_matrix(y_true: Sequence[Label], y_pred: Sequence[Label],
                                labels: Optional[Sequence[Label]] = None) -> Tuple[List[Label], List[List[int]]]:
    """``(labels, C)``: ``C[i][j]`` rows of true class ``labels[i]`` predicted as ``labels[j]``.

    >>> multiclass_confusion_matrix(["a", "b", "c", "c"], ["a", "c", "c", "c"])
    (['a', 'b', 'c'], [[1, 0, 0], [0, 0, 1], [0, 0, 2]])
    """
    truth, predicted = _paired(y_true, y_pred, "y_pred")
    order = _labels(truth + predicted, labels)
    position = {label: k for k, label in enumerate(order)}
    C = [[0] * len(order) for _ in order]
    for t, p in zip(truth, predicted):
        C[position[t]][position[p]] += 1
    return order, C


def _ratio(numerator: int, denominator: int) -> Optional[float]:
    return numerator / denominator if denominator else None


def class_scores(y_true: Sequence[Label], y_pred: Sequence[Label],
                 labels: Optional[Sequence[Label]] = None) -> List[ClassScores]:
    """Precision, recall, F1 and support of each class against the rest.

    >>> [tuple(s) for s in class_scores(["a", "a", "b", "b"], ["a", "b", "b", "b"])]
    [('a', 1.0, 0.5, 0.6666666666666666, 2), ('b', 0.6666666666666666, 1.0, 0.8, 2)]
    """
    order, C = multiclass_confusion_matrix(y_true, y_pred, labels)
    scores = []
    for k, label in enumerate(order):
        hits, row, column = C[k][k], sum(C[k]), sum(r[k] for r in C)
        scores.append(ClassScores(label, _ratio(hits, column), _ratio(hits, row),
                                  _ratio(2 * hits, row + column), row))
    return scores


def averaged_scores(y_true: Sequence[Label], y_pred: Sequence[Label], average: str = "macro", *,
                    labels: Optional[Sequence[Label]] = None,
                    zero_division: Optional[float] = None) -> Tuple[float, float, float]:
    """``(precision, recall, F1)`` averaged over the classes: ``"macro"`` (plain mean) or
    ``"weighted"`` (by support). Undefined values raise ``ValueError`` unless
    ``zero_division`` is given.

    >>> averaged_scores(["a", "a", "b", "b"], ["a", "b", "b", "b"])  # (1 + 2/3) / 2, ...
    (0.8333333333333333, 0.75, 0.7333333333333334)
    """
    if average not in ("macro", "weighted"):
        raise ValueError(f"average must be 'macro' or 'weighted', got {average!r}")
    scores = class_scores(y_true, y_pred, labels)
    weights = [1.0 if average == "macro" else float(s.support) for s in scores]
    result = []
    for field in ("precision", "recall", "f1"):
        values = [_defined(getattr(s, field), field, s.label, zero_division) for s in scores]
        result.append(total(w * v for w, v in zip(weights, values)) / total(weights))
    return result[0], result[1], result[2]


def _defined(value: Optional[float], field: str, label: Label, zero_division: Optional[float]) -> float:
    if value is not None:
        return value
    if zero_division is None:
        why = "no row was predicted as it" if field == "precision" else "it has no rows in y_true"
        raise ValueError(f"{field} of class {label!r} is undefined ({why}); pass zero_division=0.0 "
                         f"to count it as 0, as scikit-learn does, or leave the class out of labels")
    return float(zero_division)


def _probability_rows(y_prob: Any, n_classes: int) -> Matrix:
    rows = []
    for i, row in enumerate(y_prob):
        values = [float(p) for p in row]
        if len(values) != n_classes or not all(0.0 <= p <= 1.0 for p in values):
            raise ValueError(f"y_prob row {i} must hold {n_classes} probabilities in [0, 1], got {values!r}")
        if abs(total(values) - 1.0) > 1e-9 * n_classes:
            raise ValueError(f"y_prob row {i} sums to {total(values)!r}, not 1: pass probabilities "
                             f"(predict_proba), not scores")
        rows.append(values)
    return rows


def _codes(y_true: Sequence[Label], classes: Sequence[Label]) -> List[int]:
    position = {label: k for k, label in enumerate(classes)}
    unknown = [label for label in y_true if label not in position]
    if unknown:
        raise ValueError(f"y_true holds {unknown[0]!r}, which is not one of classes ({', '.join(map(repr, classes))})")
    return [position[label] for label in y_true]


def multiclass_log_loss(y_true: Sequence[Label], y_prob: Sequence[Sequence[float]],
                        classes: Sequence[Label]) -> float:
    """Mean cross-entropy ``-(1/n) sum_i log p_i,y_i``; column k of ``y_prob`` is ``classes[k]``.

    A true class given probability exactly 0 makes it ``inf`` (no clipping).

    >>> multiclass_log_loss(["a", "b"], [[0.5, 0.5], [0.5, 0.5]], ["a", "b"]) == math.log(2.0)
    True
    """
    truth, rows = _paired(y_true, y_prob, "y_prob")
    codes = _codes(truth, classes)
    probabilities = _probability_rows(rows, len(classes))
    chosen = [p[k] for p, k in zip(probabilities, codes)]
    if min(chosen) == 0.0:
        return math.inf
    return mean([-math.log(p) for p in chosen])


def multiclass_log_loss_from_scores(y_true: Sequence[Label], scores: Sequence[Sequence[float]],
                                    classes: Sequence[Label]) -> float:
    """The same cross-entropy from the scores (``decision_function``): finite, where
    probabilities near 0 would round to 0 and make it infinite.

    >>> multiclass_log_loss_from_scores(["a"], [[0.0, 1000.0]], ["a", "b"])
    1000.0

    Raises ``ValueError`` naming the row whose loss is beyond the float range (its
    scores differ by more than about 1.8e308).
    """
    truth, rows = _paired(y_true, scores, "scores")
    codes = _codes(truth, classes)
    losses = [example_softmax_loss(k, s) for k, s in zip(codes, rows)]
    for i, loss in enumerate(losses):
        if not math.isfinite(loss):
            raise ValueError(f"scores row {i}: the loss of its label, log sum exp(s) - s_k, is beyond the "
                             f"float range (its scores differ by more than the largest float)")
    value = mean(losses)
    if not math.isfinite(value):
        raise ValueError("the mean loss is beyond the float range")
    return value


def _class_auc(codes: Sequence[int], probabilities: Matrix, k: int, label: Label) -> float:
    members = [1.0 if c == k else 0.0 for c in codes]
    if min(members) == max(members):
        raise ValueError(f"the one-vs-rest AUC of class {label!r} is undefined: y_true has "
                         f"{'no rows of it' if max(members) == 0.0 else 'no other class'}")
    return roc_auc(members, [p[k] for p in probabilities])


def one_vs_rest_auc(y_true: Sequence[Label], y_prob: Sequence[Sequence[float]], classes: Sequence[Label],
                    average: Optional[str] = "macro") -> Any:
    """The AUC of each class's probability for "this class or not", then their average:
    ``"macro"``, ``"weighted"`` (by prevalence) or ``None`` (the list, one per class).

    >>> one_vs_rest_auc(["a", "b", "c"], [[0.6, 0.2, 0.2], [0.2, 0.6, 0.2], [0.4, 0.4, 0.2]], ["a", "b", "c"])
    0.8333333333333334

    Raises ``ValueError`` if a class has no rows in ``y_true`` (its AUC is undefined).
    """
    if average not in ("macro", "weighted", None):
        raise ValueError(f"average must be 'macro', 'weighted' or None, got {average!r}")
    truth, rows = _paired(y_true, y_prob, "y_prob")
    codes = _codes(truth, classes)
    probabilities = _probability_rows(rows, len(classes))
    aucs = [_class_auc(codes, probabilities, k, label) for k, label in enumerate(classes)]
    if average is None:
        return aucs
    weights = [1.0 if average == "macro" else float(codes.count(k)) for k in range(len(classes))]
    return total(w * a for w, a in zip(weights, aucs)) / total(weights)

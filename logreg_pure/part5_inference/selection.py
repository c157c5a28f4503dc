"""Chapter 25. Model selection: judging a model on data it has not seen.

A model always looks better on its training data. ``train_test_split`` holds some
rows out; ``cross_validate`` rotates the held-out part through k folds so that every
row is tested once. Both shuffle with ``random.Random(random_state)``, never the
global generator, so a seed reproduces the split. Stratifying keeps each class's
share the same in every part.
"""

import math
import random
from typing import Any, Callable, List, Optional, Sequence, Tuple, Union

from ..part1_mathematics.checks import check_labels, check_matrix, check_positive_int, check_probability_threshold
from .metrics import accuracy, log_loss_from_logits, roc_auc

__all__ = ["SCORINGS", "cross_validate", "k_fold_indices", "train_test_split"]

SCORINGS = ("accuracy", "roc_auc", "log_loss")


def _shuffled(indices: List[int], rng: random.Random) -> List[int]:
    indices = list(indices)
    rng.shuffle(indices)
    return indices


def _groups(y: Sequence[float], stratify: bool) -> List[List[int]]:
    if not stratify:
        return [list(range(len(y)))]
    return [[i for i, label in enumerate(y) if label == c] for c in (0.0, 1.0)]


def _take(data: Any, checked: List[Any], indices: List[int]) -> Any:
    """The rows ``indices``: of a pandas object by ``iloc`` and of a NumPy array by ``take``
    (each keeps its kind, its column names, its labels), else from the checked lists."""
    if hasattr(data, "iloc"):
        return data.iloc[indices]
    if hasattr(data, "__array__") and hasattr(data, "take"):
        return data.take(indices, axis=0)
    return [checked[i] for i in indices]


def train_test_split(X: Any, y: Any, *, test_size: float = 0.25,
                     random_state: Optional[int] = None, stratify: bool = False) -> Tuple[Any, Any, Any, Any]:
    """Shuffle and split rows into ``X_train, X_test, y_train, y_test``.

    The test part has ``ceil(test_size * n)`` rows (per class, when ``stratify``).
    Both parts must end up non-empty. Lists give lists of floats; a pandas DataFrame
    or Series, or a NumPy array, gives parts of its own kind (columns and labels kept).

    >>> X_train, X_test, y_train, y_test = train_test_split(
    ...     [[0.0], [1.0], [2.0], [3.0]], [0, 0, 1, 1], test_size=0.5, random_state=0, stratify=True)
    >>> sorted(y_test)
    [0.0, 1.0]
    """
    rows = check_matrix(X, "X")
    labels = check_labels(y, len(rows), require_both=False)
    test_size = check_probability_threshold(test_size, "test_size")
    rng = random.Random(random_state)
    test: List[int] = []
    train: List[int] = []
    for group in _groups(labels, stratify):
        order = _shuffled(group, rng)
        cut = math.ceil(test_size * len(order))
        test += order[:cut]
        train += order[cut:]
    if not train or not test:
        raise ValueError(f"test_size={test_size!r} leaves an empty part for {len(rows)} rows; "
                         f"use more rows or a test_size further from 0 and 1")
    return _take(X, rows, train), _take(X, rows, test), _take(y, labels, train), _take(y, labels, test)


def k_fold_indices(y: Sequence[float], k: int = 5, *, random_state: Optional[int] = None,
                   stratify: bool = True) -> List[Tuple[List[int], List[int]]]:
    """``k`` pairs ``(train_indices, test_indices)``; each row is tested exactly once.

    Rows are shuffled (per class when ``stratify``) and dealt round-robin into the
    folds, so fold sizes differ by at most one (per class).

    >>> [sorted(test) for _, test in k_fold_indices([0, 1, 0, 1], k=2, random_state=0, stratify=False)]
    [[1, 2], [0, 3]]
    """
    labels = check_labels(y, require_both=False)
    k = check_positive_int(k, "k")
    if not 2 <= k <= len(labels):
        raise ValueError(f"k must be between 2 and the number of rows ({len(labels)}), got {k}")
    rng = random.Random(random_state)
    folds: List[List[int]] = [[] for _ in range(k)]
    position = 0
    for group in _groups(labels, stratify):
        for i in _shuffled(group, rng):
            folds[position % k].append(i)
            position += 1
    everything = set(range(len(labels)))
    return [(sorted(everything - set(fold)), fold) for fold in folds]


Scoring = Union[str, Callable[[Any, Sequence[Sequence[float]], Sequence[float]], float]]


def _score(model: Any, X: List[List[float]], y: List[float], scoring: Scoring) -> float:
    if callable(scoring):
        return scoring(model, X, y)
    if scoring == "accuracy":
        return accuracy(y, model.predict(X))
    if scoring == "roc_auc":
        return roc_auc(y, model.decision_function(X))
    return log_loss_from_logits(y, model.decision_function(X))


def cross_validate(make_model: Callable[[], Any], X: Sequence[Sequence[float]], y: Sequence[float],
                   k: int = 5, *, scoring: Scoring = "accuracy", random_state: Optional[int] = None,
                   stratify: bool = True) -> List[float]:
    """Fit a fresh ``make_model()`` on k-1 folds and score it on the k-th, k times.

    ``scoring`` is ``"accuracy"``, ``"roc_auc"``, ``"log_loss"`` (lower is better) or a
    function ``(model, X_test, y_test) -> float``. Returns the k scores in fold order.
    """
    rows = check_matrix(X, "X")
    labels = check_labels(y, len(rows))
    if not callable(scoring) and scoring not in SCORINGS:
        raise ValueError(f"scoring must be one of {', '.join(map(repr, SCORINGS))} or a function, got {scoring!r}")
    scores = []
    for train, test in k_fold_indices(labels, k, random_state=random_state, stratify=stratify):
        model = make_model().fit([rows[i] for i in train], [labels[i] for i in train])
        scores.append(_score(model, [rows[i] for i in test], [labels[i] for i in test], scoring))
    return scores

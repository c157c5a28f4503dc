"""Chapter 24: metrics for K classes, with scikit-learn's meanings."""

import math

import pytest
from hypothesis import given, settings, strategies as st

from logreg_pure.part1_mathematics.softmax import softmax
from logreg_pure.part5_inference.metrics import roc_auc
from logreg_pure.part5_inference.multiclass_metrics import (
    averaged_scores,
    class_scores,
    multiclass_accuracy,
    multiclass_confusion_matrix,
    multiclass_log_loss,
    multiclass_log_loss_from_scores,
    one_vs_rest_auc,
)
from strategies import features

LABELS = ["ant", "bee", "cat", "dog"]

# Half the profile's examples (25 by default, 100 under ci): the default profile keeps the suite quick.
HALF = settings(max_examples=max(20, settings.default.max_examples // 2))


@st.composite
def predictions(draw, min_size=1, max_size=30):
    """``(y_true, y_pred)``: labels drawn from a few names, predictions likewise."""
    n = draw(st.integers(min_size, max_size))
    labels = st.sampled_from(LABELS)
    return draw(st.lists(labels, min_size=n, max_size=n)), draw(st.lists(labels, min_size=n, max_size=n))


def test_hand_values_agree_with_scikit_learn():
    # Computed once with scikit-learn 1.9.1: confusion_matrix, precision_recall_fscore_support
    # (average=None, "macro", "weighted", zero_division=0), log_loss, roc_auc_score(multi_class="ovr").
    y_true = ["a", "a", "b", "b", "c", "c", "c"]
    y_pred = ["a", "b", "b", "b", "c", "a", "c"]
    labels, C = multiclass_confusion_matrix(y_true, y_pred)
    assert labels == ["a", "b", "c"] and C == [[1, 1, 0], [0, 2, 0], [1, 0, 2]]
    assert multiclass_accuracy(y_true, y_pred) == 5 / 7
    assert [s.f1 for s in class_scores(y_true, y_pred)] == [0.5, 0.8, 0.8]
    assert averaged_scores(y_true, y_pred, "macro") == pytest.approx((0.7222222222222222, 0.7222222222222222, 0.7))
    assert averaged_scores(y_true, y_pred, "weighted") == pytest.approx((0.7619047619047619, 0.7142857142857143,
                                                                           0.7142857142857143))
    P = [[0.7, 0.2, 0.1], [0.3, 0.4, 0.3], [0.1, 0.8, 0.1], [0.2, 0.5, 0.3],
         [0.1, 0.1, 0.8], [0.5, 0.2, 0.3], [0.2, 0.2, 0.6]]
    assert multiclass_log_loss(y_true, P, labels) == pytest.approx(0.6306972085064227, rel=1e-12)
    assert one_vs_rest_auc(y_true, P, labels) == pytest.approx(0.9388888888888888, rel=1e-12)
    assert one_vs_rest_auc(y_true, P, labels, "weighted") == pytest.approx(0.9357142857142857, rel=1e-12)


def test_undefined_ratios_are_named_not_hidden():
    # No row predicted "c": its precision is undefined, so the macro average refuses
    # unless zero_division says what to count.
    y_true, y_pred = ["a", "b", "c"], ["a", "b", "b"]
    assert class_scores(y_true, y_pred)[2].precision is None
    with pytest.raises(ValueError, match="precision of class 'c' is undefined.*zero_division=0.0"):
        averaged_scores(y_true, y_pred)
    assert averaged_scores(y_true, y_pred, zero_division=0.0)[0] == pytest.approx(0.5)
    with pytest.raises(ValueError, match="AUC of class 'c' is undefined"):
        one_vs_rest_auc(["a", "b", "a"], [[0.5, 0.25, 0.25]] * 3, ["a", "b", "c"])
    with pytest.raises(ValueError, match="sums to"):
        multiclass_log_loss(["a"], [[0.5, 0.6]], ["a", "b"])
    with pytest.raises(ValueError, match="same length"):
        multiclass_accuracy(["a"], ["a", "b"])
    assert multiclass_log_loss(["a"], [[0.0, 1.0]], ["a", "b"]) == math.inf
    assert multiclass_log_loss_from_scores(["a"], [[0.0, 1000.0]], ["a", "b"]) == 1000.0


@HALF
@given(predictions())
def test_confusion_matrix_rows_are_the_truth_and_columns_the_predictions(data):
    """Law: row i of the confusion matrix sums to the number of rows of true class i,
    column j to the number predicted as j, all entries to n, and the diagonal over n
    is the accuracy (exact: counts)."""
    y_true, y_pred = data
    labels, C = multiclass_confusion_matrix(y_true, y_pred)
    assert [sum(row) for row in C] == [y_true.count(label) for label in labels]
    assert [sum(row[j] for row in C) for j in range(len(labels))] == [y_pred.count(label) for label in labels]
    assert sum(C[k][k] for k in range(len(labels))) / len(y_true) == multiclass_accuracy(y_true, y_pred)


@HALF
@given(predictions())
def test_weighted_recall_is_the_accuracy(data):
    """Law: the support-weighted mean of the per-class recalls is the accuracy
    (sum_k n_k (hits_k / n_k) / n = hits / n), to the rounding of a short sum. A class
    only predicted, never true, has support 0 and weighs nothing."""
    y_true, y_pred = data
    _, recall, _ = averaged_scores(y_true, y_pred, "weighted", zero_division=0.0)
    assert recall == pytest.approx(multiclass_accuracy(y_true, y_pred), abs=1e-12)


@HALF
@given(st.integers(2, 20).flatmap(lambda n: st.tuples(
    st.lists(st.sampled_from(["no", "yes"]), min_size=n, max_size=n).filter(lambda ys: len(set(ys)) == 2),
    st.lists(st.integers(-24, 24).map(lambda k: k / 8.0), min_size=n, max_size=n))))
def test_two_class_one_vs_rest_auc_is_the_binary_auc(data):
    """Law: with two classes, each class's one-vs-rest AUC is the binary AUC of its
    probability (and so is their mean: AUC(1 - p) against the other class is the same
    ranking reversed twice). Exact: both are counts of ranked pairs.

    Precondition: scores on a grid of 1/8 in [-3, 3], so that distinct scores give
    distinct probabilities in both classes (scores 1e-17 apart round to one
    probability in one class and not in the other, and the rankings then differ
    by a tie)."""
    y_true, z = data
    P = [softmax([0.0, zi]) for zi in z]
    binary = roc_auc([1.0 if t == "yes" else 0.0 for t in y_true], [p[1] for p in P])
    assert one_vs_rest_auc(y_true, P, ["no", "yes"], None) == [binary, binary]


@HALF
@given(st.lists(st.tuples(st.sampled_from([0, 1, 2]), st.lists(features(5.0), min_size=3, max_size=3)),
                min_size=1, max_size=10))
def test_log_loss_from_probabilities_and_from_scores_agree(rows):
    """Law: the mean cross-entropy from the probabilities softmax(s) equals the one from
    the scores s, where no probability underflows (|s| <= 5): to 1e-12 relative."""
    y_true = [label for label, _ in rows]
    scores = [s for _, s in rows]
    from_probabilities = multiclass_log_loss(y_true, [softmax(s) for s in scores], [0, 1, 2])
    assert math.isclose(from_probabilities, multiclass_log_loss_from_scores(y_true, scores, [0, 1, 2]),
                        rel_tol=1e-12)

"""Chapter 23: metrics, with scikit-learn's meanings."""

import math

import pytest
from hypothesis import given, strategies as st

from logreg_pure.part5_inference.metrics import (
    accuracy,
    average_precision,
    best_threshold,
    brier_score,
    calibration_table,
    confusion_matrix,
    f1,
    log_loss,
    log_loss_from_logits,
    precision,
    precision_recall_curve,
    recall,
    roc_auc,
    roc_curve,
    specificity,
    threshold_table,
)
from strategies import scored_labels


def test_hand_computed_example():
    y = [0, 0, 0, 1, 1, 1]
    p = [0, 1, 0, 1, 1, 0]
    assert confusion_matrix(y, p) == (2, 1, 1, 2)
    assert accuracy(y, p) == 4 / 6
    assert precision(y, p) == recall(y, p) == specificity(y, p) == f1(y, p) == 2 / 3
    assert brier_score([1, 0], [1.0, 0.5]) == 0.125
    assert log_loss([1, 0], [0.5, 0.5]) == pytest.approx(math.log(2.0), rel=1e-15)
    # A label given probability 0 has infinite loss: no clipping.
    assert log_loss([1, 0], [0.0, 0.5]) == math.inf
    assert log_loss_from_logits([0, 1], [800.0, 800.0]) == 400.0


def test_undefined_ratios_are_errors():
    with pytest.raises(ValueError, match="precision is undefined: no row was predicted 1"):
        precision([0, 1], [0, 0])
    with pytest.raises(ValueError, match="recall is undefined"):
        recall([0, 0], [0, 1])
    with pytest.raises(ValueError, match="AUC is undefined when y_true has no 1s"):
        roc_auc([0, 0], [0.1, 0.2])
    with pytest.raises(ValueError, match="the ROC curve is undefined when y_true has no 0s"):
        roc_curve([1, 1], [0.1, 0.2])
    with pytest.raises(ValueError, match="specificity is undefined: y_true has no 0s"):
        specificity([1, 1], [0, 1])
    with pytest.raises(ValueError, match="f1 is undefined: there are no 1s, true or predicted"):
        f1([0, 0], [0, 0])


@pytest.mark.parametrize("call, words", [
    (lambda: accuracy([0, 1], [0]), "y_true and y_pred must have the same length, got 2 and 1"),
    (lambda: accuracy([], []), "y_true is empty"),
    (lambda: brier_score([0, 1], [0.5, 1.5]), r"y_prob\[1\] is 1.5; probabilities must lie in \[0, 1\]"),
    (lambda: log_loss([0, 1], [-0.1, 0.5]), r"y_prob\[0\] is -0.1"),
    (lambda: roc_auc([0, 1], [0.5, math.nan]), r"y_score\[1\] is nan"),
    (lambda: roc_auc([0, 2], [0.5, 0.6]), "only the labels 0 and 1"),
    (lambda: calibration_table([0, 1], [0.5, 0.5], bins=0), "bins must be"),
    (lambda: calibration_table([0, 1], [0.5, 0.5], bins=-3), "bins must be"),
    (lambda: calibration_table([0, 1], [0.5, 0.5], bins=True), "bins must be"),
    (lambda: calibration_table([0, 1], [0.5, 0.5], bins=2.5), "bins must be"),
])
def test_bad_input(call, words):
    with pytest.raises(ValueError, match=words):
        call()


def test_roc_curve_hand_example():
    fpr, tpr, thresholds = roc_curve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    assert fpr == [0.0, 0.0, 0.5, 0.5, 1.0] and tpr == [0.0, 0.5, 0.5, 1.0, 1.0]
    assert thresholds[0] == math.inf
    # A tie between a positive and a negative is one diagonal step.
    assert roc_curve([0, 1], [0.5, 0.5])[:2] == ([0.0, 1.0], [0.0, 1.0])


def test_precision_recall_and_threshold_helpers():
    precisions, recalls, _ = precision_recall_curve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    assert recalls == [0.5, 0.5, 1.0, 1.0]
    assert average_precision([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) == pytest.approx(0.5 + 0.5 * 2 / 3)
    assert best_threshold([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) == 0.8
    row = threshold_table([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8], thresholds=[0.3])[0]
    assert (row.tp, row.fp, row.tn, row.fn) == (2, 1, 1, 0) and row.youden_j == 0.5


def test_calibration_table_bins():
    table = calibration_table([0, 0, 1, 1, 1], [0.05, 0.15, 0.55, 0.95, 1.0], bins=10)
    assert [(row[2], row[4]) for row in table] == [(1, 0.0), (1, 0.0), (1, 1.0), (2, 1.0)]
    assert table[-1][:2] == (0.9, 1.0)  # p = 1 falls in the last bin


def brute_force_auc(y, scores):
    pairs = [(s_pos, s_neg) for s_pos, t_pos in zip(scores, y) if t_pos == 1
             for s_neg, t_neg in zip(scores, y) if t_neg == 0]
    wins = sum(1.0 if a > b else 0.5 if a == b else 0.0 for a, b in pairs)
    return wins / len(pairs)


@given(scored_labels())
def test_auc_is_the_fraction_of_correctly_ranked_pairs(data):
    """Law: AUC = P(score of a random positive > score of a random negative), ties 1/2.

    The rank formula and the brute-force count over all pairs agree exactly (both
    are ratios of whole or half numbers), to 1e-15 for the final division.
    """
    y, scores = data
    assert roc_auc(y, scores) == pytest.approx(brute_force_auc(y, scores), abs=1e-15)


@given(scored_labels())
def test_auc_ignores_strictly_increasing_transforms(data):
    """Law: AUC depends only on the order of the scores, so log-odds and
    probabilities (sigmoid is strictly increasing) give the same AUC, exactly."""
    y, scores = data
    transformed = [math.log(s + 1.0) * 3.0 - 7.0 for s in scores]
    assert roc_auc(y, transformed) == roc_auc(y, scores)


@given(scored_labels())
def test_auc_of_negated_scores_is_one_minus_auc(data):
    """Law: AUC(-s) = 1 - AUC(s) (every win becomes a loss, ties stay 1/2)."""
    y, scores = data
    assert roc_auc(y, [-s for s in scores]) == pytest.approx(1.0 - roc_auc(y, scores), abs=1e-15)


@given(scored_labels())
def test_roc_curve_runs_from_corner_to_corner_and_never_goes_down(data):
    """Law: the ROC curve is a path from (0, 0) to (1, 1) along which neither rate
    decreases, with one point per distinct score (thresholds strictly decreasing):
    tied scores enter together, never in an order that depends on the rows."""
    y, scores = data
    fpr, tpr, thresholds = roc_curve(y, scores)
    assert (fpr[0], tpr[0]) == (0.0, 0.0) and (fpr[-1], tpr[-1]) == (1.0, 1.0)
    assert all(a <= b for a, b in zip(fpr, fpr[1:])) and all(a <= b for a, b in zip(tpr, tpr[1:]))
    assert all(a > b for a, b in zip(thresholds, thresholds[1:]))


@given(scored_labels())
def test_area_under_the_roc_curve_is_the_rank_auc(data):
    """Law: the trapezoid area under roc_curve's points equals roc_auc (the rank
    formula): a tie's diagonal step is worth one half of each tied pair.

    Tolerance: a sum of at most 31 trapezoids, 1e-12.
    """
    y, scores = data
    fpr, tpr, _ = roc_curve(y, scores)
    area = math.fsum((x1 - x0) * (y0 + y1) / 2 for x0, x1, y0, y1 in zip(fpr, fpr[1:], tpr, tpr[1:]))
    assert area == pytest.approx(roc_auc(y, scores), abs=1e-12)


@given(st.lists(st.tuples(st.sampled_from([0, 1]), st.sampled_from([0, 1])), min_size=1, max_size=40))
def test_confusion_matrix_sums_to_n(pairs):
    """Law: tn + fp + fn + tp = n: every row is counted exactly once."""
    m = confusion_matrix([t for t, _ in pairs], [q for _, q in pairs])
    assert sum(m) == len(pairs)


@given(st.lists(st.tuples(st.sampled_from([0, 1]), st.sampled_from([0, 1])), min_size=1, max_size=40))
def test_accuracy_is_the_diagonal_of_the_confusion_matrix(pairs):
    """Law: accuracy = (tp + tn) / n, exactly (both are the same ratio of whole numbers)."""
    y, p = [t for t, _ in pairs], [q for _, q in pairs]
    m = confusion_matrix(y, p)
    assert accuracy(y, p) == (m.tp + m.tn) / len(pairs)


@given(st.lists(st.tuples(st.sampled_from([0, 1]), st.floats(0.0, 1.0)), min_size=1, max_size=20), st.data())
def test_log_loss_is_infinite_when_a_label_gets_probability_zero(pairs, data):
    """Law: if any row's true label was given probability exactly 0, the mean
    cross-entropy is +inf: no clipping constant turns a certain mistake into a
    finite loss. (Where every label has a chance the loss is finite; see
    test_log_loss_is_the_mean_surprise_of_the_true_labels.)"""
    y = [t for t, _ in pairs]
    p = [q for _, q in pairs]
    k = data.draw(st.integers(0, len(y) - 1))
    p[k] = 0.0 if y[k] == 1 else 1.0  # row k is certain of the wrong label
    assert log_loss(y, p) == math.inf

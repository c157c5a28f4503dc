"""Chapter 23: every metric recomputed from its definition, on data with ties.

Each law counts by brute force (over every row, every pair of rows or every
threshold), in exact fractions where the definition is a ratio, and compares with
the library's answer. Labels and scores come from small sets of values, so tied
scores, rows of one class and empty denominators are common.
"""

import math
from fractions import Fraction

import pytest
from hypothesis import assume, example, given, strategies as st

from logreg_pure.part1_mathematics.links import sigmoid
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
    roc_curve,
    specificity,
    threshold_table,
)
from strategies import EPS, labelled_probabilities, logits, predicted_labels, scored_labels


def count(y_true, y_pred, truth, prediction):
    """How many rows have this true label and this prediction."""
    return sum(1 for t, p in zip(y_true, y_pred) if t == truth and p == prediction)


def predicted_one_above(scores, threshold):
    """The rows predicted 1 when every score >= threshold is called 1."""
    return [s >= threshold for s in scores]


# ------------------------------------------------------------ hard predictions

@given(predicted_labels())
def test_accuracy_is_the_fraction_of_rows_predicted_right(data):
    """Law: accuracy = #{i : y_pred_i = y_true_i} / n (a ratio of whole numbers:
    the correctly rounded fraction, exactly)."""
    y, p = data
    assert accuracy(y, p) == float(Fraction(sum(1 for t, q in zip(y, p) if t == q), len(y)))


@given(predicted_labels())
def test_confusion_matrix_counts_each_pair_of_labels(data):
    """Law: (tn, fp, fn, tp) are the numbers of rows with (true, predicted) =
    (0, 0), (0, 1), (1, 0), (1, 1), counted row by row."""
    y, p = data
    m = confusion_matrix(y, p)
    assert (m.tn, m.fp, m.fn, m.tp) == tuple(count(y, p, t, q) for t, q in ((0, 0), (0, 1), (1, 0), (1, 1)))


@given(predicted_labels())
@example(([0, 1], [0, 0]))  # nothing predicted 1: undefined
def test_precision_is_the_share_of_predicted_ones_that_are_ones(data):
    """Law: precision = mean of y_true over the rows predicted 1, and a ValueError
    when no row is predicted 1 (0 / 0 is not a number)."""
    y, p = data
    chosen = [t for t, q in zip(y, p) if q == 1]
    if not chosen:
        with pytest.raises(ValueError, match="precision is undefined"):
            precision(y, p)
    else:
        assert precision(y, p) == float(Fraction(sum(chosen), len(chosen)))


@given(predicted_labels())
@example(([0, 0], [0, 1]))  # no true 1s: undefined
def test_recall_is_the_share_of_ones_predicted_one(data):
    """Law: recall = mean of y_pred over the rows whose true label is 1, and a
    ValueError when there are none."""
    y, p = data
    chosen = [q for t, q in zip(y, p) if t == 1]
    if not chosen:
        with pytest.raises(ValueError, match="recall is undefined"):
            recall(y, p)
    else:
        assert recall(y, p) == float(Fraction(sum(chosen), len(chosen)))


@given(predicted_labels())
@example(([1, 1], [0, 1]))  # no true 0s: undefined
def test_specificity_is_the_share_of_zeros_predicted_zero(data):
    """Law: specificity = mean of 1 - y_pred over the rows whose true label is 0, and a
    ValueError when there are none."""
    y, p = data
    chosen = [1 - q for t, q in zip(y, p) if t == 0]
    if not chosen:
        with pytest.raises(ValueError, match="specificity is undefined"):
            specificity(y, p)
    else:
        assert specificity(y, p) == float(Fraction(sum(chosen), len(chosen)))


@given(predicted_labels())
def test_f1_is_the_harmonic_mean_of_precision_and_recall(data):
    """Law: f1 = 2 P R / (P + R), the harmonic mean of precision and recall (in exact
    fractions), where both are defined and not both zero.

    Precondition: at least one true positive (then P and R are positive).
    """
    y, p = data
    tp = count(y, p, 1, 1)
    assume(tp > 0)
    P = Fraction(tp, sum(1 for q in p if q == 1))
    R = Fraction(tp, sum(1 for t in y if t == 1))
    assert f1(y, p) == float(2 * P * R / (P + R))


# --------------------------------------------------------------- probabilities

@given(labelled_probabilities())
def test_brier_score_is_the_mean_squared_error_of_the_probabilities(data):
    """Law: Brier = (1/n) sum (p_i - y_i)^2, computed here in exact fractions.

    Tolerance: the library rounds each square once (a relative 2^-53 each) and the
    sum once: 2 eps relative.
    """
    y, p = data
    exact = sum((Fraction(q) - t) ** 2 for t, q in zip(y, p)) / len(y)
    assert brier_score(y, p) == pytest.approx(float(exact), rel=2 * EPS, abs=1e-300)


@given(labelled_probabilities())
def test_log_loss_is_the_mean_surprise_of_the_true_labels(data):
    """Law: log loss = (1/n) sum -log P(y_i), P(y_i) = p_i where y_i = 1 and 1 - p_i
    where y_i = 0, for probabilities that give every true label a chance.

    Precondition: no true label was given probability 0 (that case is infinite:
    test_log_loss_is_infinite_when_a_label_gets_probability_zero). Tolerance: n
    logarithms and a mean, 1e-12 relative.
    """
    y, p = data
    chances = [q if t == 1 else 1.0 - q for t, q in zip(y, p)]
    assume(min(chances) > 0.0)
    assert log_loss(y, p) == pytest.approx(math.fsum(-math.log(c) for c in chances) / len(y), rel=1e-12, abs=1e-300)


@given(st.lists(st.tuples(st.sampled_from([0, 1]), logits(10.0)), min_size=1, max_size=20))
def test_log_loss_from_logits_is_the_log_loss_of_the_probabilities(rows):
    """Law: log_loss_from_logits(y, z) = log_loss(y, sigmoid(z)): the same mean
    cross-entropy, computed without rounding z to a probability first.

    Precondition: |z| <= 10, where the probability form is accurate. Tolerance: the
    probability form loses about eps exp(|z|) relative to 1 - p: 4 eps e^10 relative.
    """
    y, z = [t for t, _ in rows], [v for _, v in rows]
    assert log_loss_from_logits(y, z) == pytest.approx(log_loss(y, [sigmoid(v) for v in z]),
                                                      rel=4 * EPS * math.exp(10.0), abs=1e-300)


def bins_of_equal_width(bins):
    return [(k / bins, (k + 1) / bins) for k in range(bins)]


def brute_force_calibration(y, p, bins):
    """For each bin [k/bins, (k+1)/bins) (the last one closed), the rows inside it,
    found by comparing every probability with both edges."""
    table = []
    for k, (low, high) in enumerate(bins_of_equal_width(bins)):
        inside = [i for i, q in enumerate(p) if low <= q and (q < high or k == bins - 1)]
        if inside:
            table.append((low, high, len(inside), math.fsum(p[i] for i in inside) / len(inside),
                          math.fsum(y[i] for i in inside) / len(inside)))
    return table


@given(labelled_probabilities(), st.integers(1, 20))
def test_calibration_table_bins_the_probabilities_by_comparison(data, bins):
    """Law: the calibration table has one row per non-empty bin [k/b, (k+1)/b) (the
    last bin closed, so p = 1 belongs to it): its bounds, the number of rows whose
    probability lies inside, their mean probability and their rate of 1s.

    Precondition: probabilities on the grid j/20 (ties common). Tolerance: means of
    at most 30 values, 4 eps relative.
    """
    y, p = data
    table = calibration_table(y, p, bins=bins)
    expected = brute_force_calibration(y, p, bins)
    assert [row[:3] for row in table] == [row[:3] for row in expected]
    for row, want in zip(table, expected):
        assert row[3:] == pytest.approx(want[3:], rel=4 * EPS, abs=1e-300)


@given(labelled_probabilities())
def test_calibration_table_has_ten_bins_by_default(data):
    """Law: calibration_table(y, p) is calibration_table(y, p, bins=10): ten bins of
    width 0.1 unless told otherwise."""
    y, p = data
    assert calibration_table(y, p) == calibration_table(y, p, bins=10)
    assert all(math.isclose(high - low, 0.1) for low, high, *_ in calibration_table(y, p))


def test_a_probability_just_below_a_bin_edge_stays_below_it():
    (row,) = calibration_table([1], [0.8999999999999999])
    assert row[0] <= row[3] < row[1]  # the bin holds its rows' mean probability


# ------------------------------------------------------------------- rankings

@given(scored_labels())
def test_roc_curve_counts_the_rows_above_each_distinct_score(data):
    """Law: after the point (0, 0) at threshold inf, the ROC curve has one point per
    distinct score s, highest first: (#{negatives >= s} / N, #{positives >= s} / P),
    counted row by row (equal as ratios of the same whole numbers)."""
    y, scores = data
    positives, negatives = sum(y), len(y) - sum(y)
    thresholds = sorted(set(scores), reverse=True)
    fpr = [0.0] + [sum(1 for t, s in zip(y, scores) if t == 0 and s >= c) / negatives for c in thresholds]
    tpr = [0.0] + [sum(1 for t, s in zip(y, scores) if t == 1 and s >= c) / positives for c in thresholds]
    assert roc_curve(y, scores) == (fpr, tpr, [math.inf] + thresholds)


@given(scored_labels())
def test_precision_recall_curve_counts_the_rows_above_each_distinct_score(data):
    """Law: the precision-recall curve has one point per distinct score s, highest
    first: precision = #{positives >= s} / #{rows >= s}, recall = #{positives >= s} / P."""
    y, scores = data
    thresholds = sorted(set(scores), reverse=True)
    above = [predicted_one_above(scores, c) for c in thresholds]
    tp = [sum(1 for t, a in zip(y, chosen) if a and t == 1) for chosen in above]
    precisions = [hits / sum(chosen) for hits, chosen in zip(tp, above)]
    recalls = [hits / sum(y) for hits in tp]
    assert precision_recall_curve(y, scores) == (precisions, recalls, thresholds)


@given(scored_labels())
def test_average_precision_is_the_mean_precision_at_each_positive(data):
    """Law: AP = (1/P) sum over the positive rows i of the precision when every score
    >= s_i is called 1 (each positive's own cut; tied rows enter together), which is
    the step-wise sum_k (R_k - R_{k-1}) P_k that scikit-learn uses.

    Computed in exact fractions; the library sums floats: 1e-15 absolute.
    """
    y, scores = data

    def precision_at(cut):
        chosen = [t for t, s in zip(y, scores) if s >= cut]
        return Fraction(int(sum(chosen)), len(chosen))
    exact = sum(precision_at(s) for t, s in zip(y, scores) if t == 1) / int(sum(y))
    assert average_precision(y, scores) == pytest.approx(float(exact), abs=1e-15)


@given(scored_labels(), st.one_of(st.none(), st.lists(st.integers(-2, 22).map(lambda k: k / 20), max_size=6)))
def test_threshold_table_counts_the_four_outcomes_at_each_threshold(data, thresholds):
    """Law: each row of threshold_table holds, for its threshold c, the counts tp, fp,
    tn, fn of calling every score >= c a 1 (counted row by row), tpr = tp / P,
    fpr = fp / N and Youden's J = tpr - fpr; the thresholds are the given ones, in
    order, or else every distinct score, highest first."""
    y, scores = data
    cuts = sorted(set(scores), reverse=True) if thresholds is None else thresholds
    rows = threshold_table(y, scores, thresholds)
    assert [row.threshold for row in rows] == cuts
    for row, cut in zip(rows, cuts):
        called = predicted_one_above(scores, cut)
        tp, fp = count(y, called, 1, True), count(y, called, 0, True)
        tn, fn = count(y, called, 0, False), count(y, called, 1, False)
        tpr, fpr = tp / (tp + fn), fp / (fp + tn)
        assert (row.tp, row.fp, row.tn, row.fn) == (tp, fp, tn, fn)
        assert (row.tpr, row.fpr, row.youden_j) == (tpr, fpr, tpr - fpr)


def youden(y, scores, cut):
    """Youden's J = tpr - fpr of calling every score >= cut a 1, in exact fractions."""
    called = predicted_one_above(scores, cut)
    positives = sum(1 for t in y if t == 1)
    return (Fraction(count(y, called, 1, True), positives)
            - Fraction(count(y, called, 0, True), len(y) - positives))


@given(scored_labels())
def test_best_threshold_maximizes_youdens_j(data):
    """Law: best_threshold is a distinct score c whose J(c) = tpr(c) - fpr(c) is the
    largest (in exact fractions: two different values of J differ by at least
    1 / (P N), far more than the rounding of tpr - fpr)."""
    y, scores = data
    best = best_threshold(y, scores)
    assert best in scores
    assert youden(y, scores, best) == max(youden(y, scores, c) for c in set(scores))


@given(scored_labels())
@example(([0.0, 1.0, 0.0, 1.0], [0.5, 0.5, 0.0, 0.0]))  # J = 1/2 - 1/2 = 1 - 1 = 0 at both scores
@example(([0.0, 1.0, 1.0, 0.0, 1.0, 1.0, 0.0, 0.0], [0.9, 0.9, 0.9, 0.5, 0.5, 0.1, 0.1, 0.1]))  # J = 1/4 twice
def test_on_ties_best_threshold_is_the_highest(data):
    """Law: when several scores reach the largest J, best_threshold is the highest.

    Exact: the ties are found in fractions here, and best_threshold compares J exactly
    too (as floats, tp / P - fp / N can round two equal values apart: see the pinned
    case below).
    """
    y, scores = data
    top = max(youden(y, scores, c) for c in set(scores))
    tied = [c for c in set(scores) if youden(y, scores, c) == top]
    assert best_threshold(y, scores) == max(tied)


TIED_BY_FRACTIONS = ([0, 0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 1, 1, 1, 1, 0, 1],
                     [0.0] * 7 + [0.05] * 9 + [0.1] * 2)


def test_on_a_tie_in_youdens_j_the_highest_threshold_wins():
    y, scores = TIED_BY_FRACTIONS
    assert youden(y, scores, 0.1) == youden(y, scores, 0.05) == max(youden(y, scores, c) for c in set(scores))
    assert best_threshold(y, scores) == 0.1

"""Chapter 26: reg_max is exact, the path is optimal at every point, and cross-validation chooses honestly."""

import math
import warnings

import pytest
from hypothesis import assume, example, given, strategies as st

from logreg_pure import LogisticRegression
from logreg_pure.part1_mathematics.gradient import gradient
from logreg_pure.part4_estimators.features import Standardizer
from logreg_pure.part5_inference import path as path_chapter
from logreg_pure.part5_inference.path import (
    choose_reg,
    mean_and_standard_error,
    one_standard_error_choice,
    reg_grid,
    reg_max,
    regularization_path,
)
from logreg_pure.part6_command_line.datasets import load_breast_cancer
from strategies import at_least, at_most, datasets, factorial_datasets

L1_RATIOS = st.sampled_from([1.0, 0.5])


def penalty(l1_ratio):
    return {"penalty": "l1"} if l1_ratio == 1.0 else {"penalty": "elasticnet", "l1_ratio": l1_ratio}


def quiet(function, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return function(*args, **kwargs)


# ------------------------------------------------------------- hand-checked results

def test_reg_max_by_hand():
    # ybar = 1/2 and g = (1/4) sum (1/2 - y_i) x_i = (0 + 0.5 - 1 - 1.5) / 4 = -0.5
    assert reg_max([[0.0], [1.0], [2.0], [3.0]], [0, 0, 1, 1]) == 0.5
    assert reg_max([[0.0], [1.0], [2.0], [3.0]], [0, 0, 1, 1], l1_ratio=0.5) == 1.0
    # a weight of 2 on the last row: ybar = 3/5, g = (0 + 0.6 - 0.8 - 2 * 1.2) / 5 = -0.52
    assert math.isclose(reg_max([[0.0], [1.0], [2.0], [3.0]], [0, 0, 1, 1], sample_weight=[1, 1, 1, 2]),
                        0.52, rel_tol=1e-15)


def test_reg_max_refuses_a_pure_l2_penalty():
    with pytest.raises(ValueError, match="no finite reg makes every weight zero"):
        reg_max([[0.0], [1.0]], [0, 1], l1_ratio=0.0)


def test_the_default_grid_runs_from_reg_max_down_a_thousandfold():
    X, y = [[0.0, 1.0], [1.0, 3.0], [2.0, 2.0], [3.0, 0.0], [4.0, 1.0]], [0, 0, 1, 1, 0]
    path = regularization_path(X, y, n_regs=7)
    assert path.regs[0] == reg_max(X, y) and math.isclose(path.regs[-1], reg_max(X, y) / 1000, rel_tol=1e-12)
    assert path.n_nonzero[0] == 0 and path.n_iter[0] == 0  # started at the null model: already optimal
    assert reg_grid(8.0, 4, 1 / 8) == [8.0, 4.0, 2.0, 1.0]


def test_a_pure_l2_grid_starts_where_l1_ratio_one_thousandth_would_zero_the_weights():
    X, y = [[0.0], [1.0], [2.0], [3.0]], [0, 0, 1, 1]
    assert regularization_path(X, y, l1_ratio=0.0, n_regs=3).regs[0] == reg_max(X, y, l1_ratio=1e-3)


def test_the_breast_cancer_path_and_choice():
    """The lasso on the standardized breast-cancer data, 12 regs: weights enter as the
    penalty falls, and 3-fold cross-validation (on four of the regs, to keep it quick)
    picks a sparse model that predicts well."""
    data = load_breast_cancer()
    X = Standardizer().fit_transform(data.X)
    path = regularization_path(X, data.y, n_regs=12, tol=1e-7)
    assert all(path.converged) and path.n_nonzero[0] == 0 and path.n_nonzero[-1] > 15
    assert sum(path.n_iter) <= 5 * len(path.regs)  # the warm starts: a few steps per reg
    choice = choose_reg(data.X, data.y, path.regs[3:9:2], k=3, random_state=0, standardize=True)
    assert choice.one_se_reg >= choice.best_reg
    assert 5 <= sum(1 for w in choice.model.coef_ if w != 0.0) <= 15
    assert choice.model.score(choice.standardizer.transform(data.X), data.y) > 0.95


def test_standardization_is_learned_inside_each_fold(monkeypatch):
    seen = []

    class Recording(Standardizer):
        def fit(self, X):
            seen.append(sorted(map(tuple, X)))
            return super().fit(X)

    monkeypatch.setattr(path_chapter, "Standardizer", Recording)
    X = [[float(i), float(i % 3)] for i in range(12)]
    y = [0, 1] * 6
    choice = choose_reg(X, y, [0.1, 0.01], k=3, random_state=1, standardize=True)
    folds = [sorted(tuple(X[i]) for i in range(12) if i not in test) for test in choice.folds]
    assert seen[0] == sorted(map(tuple, X))  # for the refit on all rows
    assert seen[1:] == folds  # one per fold, on its training rows only


@pytest.mark.parametrize("kwargs, words", [
    ({"scoring": "f1"}, "scoring must be one of"),
    ({"refit": "smallest"}, "refit must be 'one_se' or 'best'"),
    ({"l1_ratio": 2.0}, "l1_ratio must be between 0"),
    ({"k": 1}, "k must be between 2"),
])
def test_choose_reg_refuses_bad_options(kwargs, words):
    with pytest.raises(ValueError, match=words):
        choose_reg([[0.0], [1.0], [2.0], [3.0]], [0, 1, 0, 1], [0.1], **kwargs)


def test_path_refuses_negative_regs():
    with pytest.raises(ValueError, match="regs must be a non-empty list of penalties >= 0"):
        regularization_path([[0.0], [1.0]], [0, 1], [0.1, -1.0])


# ------------------------------------------------------------------------ the laws

@at_most(30)
@given(datasets(max_rows=10), L1_RATIOS)
def test_every_weight_is_zero_at_reg_max_and_some_weight_is_not_just_below(data, l1_ratio):
    """Law: reg_max is exact: a fit at reg = reg_max (1 + 1e-6) has every weight exactly 0,
    and a fit at reg_max (1 - 1e-3) has at least one non-zero weight.

    Margins: 1e-6 above covers the rounding of reg_max and of the fit's gradient (the
    kink absorbs a gradient up to l1, and at reg_max the largest one is exactly l1);
    1e-3 below makes the violation at w = 0 about 1e-3 reg_max l1_ratio, which the fit
    (tol 1e-12) must remove. Precondition: reg_max > 1e-6 (some feature is correlated
    with y).
    """
    X, y = data
    largest = reg_max(X, y, l1_ratio)
    assume(largest > 1e-6)
    above = LogisticRegression(solver="cd", reg=largest * (1 + 1e-6), tol=1e-12, **penalty(l1_ratio)).fit(X, y)
    below = LogisticRegression(solver="cd", reg=largest * (1 - 1e-3), tol=1e-12, **penalty(l1_ratio)).fit(X, y)
    assert all(w == 0.0 for w in above.coef_)
    assert any(w != 0.0 for w in below.coef_)


@at_most(12)
@given(datasets(max_rows=10), L1_RATIOS)
def test_every_point_of_the_path_satisfies_the_optimality_conditions(data, l1_ratio):
    """Law: at every reg of the path, g_b = 0, g_j = -l1 sign(w_j) where w_j != 0 and
    |g_j| <= l1 where w_j = 0 (g: the reference gradient of the mean loss plus the L2
    part), to the path's tolerance 1e-8 plus 1e-12 for rounding."""
    X, y = data
    assume(reg_max(X, y, l1_ratio) > 1e-6)
    path = regularization_path(X, y, l1_ratio=l1_ratio, n_regs=6, min_ratio=0.01, tol=1e-8)
    slack = 1e-8 + 1e-12
    for reg, coef, b, ok in zip(path.regs, path.coefs, path.intercepts, path.converged):
        assert ok
        l1, l2 = reg * l1_ratio, reg * (1.0 - l1_ratio)
        grad_w, grad_b = gradient(coef, b, X, y, l2)
        assert abs(grad_b) <= slack
        for g, w in zip(grad_w, coef):
            assert (abs(g) <= l1 + slack) if w == 0.0 else (abs(g + l1 * math.copysign(1.0, w)) <= slack)


@at_most(20)
@given(factorial_datasets(), L1_RATIOS)
def test_weights_only_enter_as_the_penalty_falls_on_uncorrelated_features(data, l1_ratio):
    """Law: on data with uncorrelated features (a balanced +-1 factorial design), the
    number of non-zero weights never falls as reg falls along the path.

    (With correlated features a weight may leave again: a lasso path need not be
    monotone.) Exact counts: every fit converges to 1e-10.
    """
    X, y = data
    assume(reg_max(X, y, l1_ratio) > 1e-6)
    path = quiet(regularization_path, X, y, l1_ratio=l1_ratio, n_regs=12, tol=1e-10)
    assert all(later >= earlier for earlier, later in zip(path.n_nonzero, path.n_nonzero[1:]))


@at_most(25)
@given(datasets(max_rows=10), L1_RATIOS, st.floats(0.05, 0.9))
def test_a_warm_start_at_a_solution_costs_no_step(data, l1_ratio, fraction):
    """Law (the work a warm start saves): along a grid that repeats a reg, the repeated
    fit starts at the previous answer, which already meets the tolerance: 0 steps.

    Precondition: reg = fraction * reg_max with reg_max > 1e-6, so that the answer is
    not the null model (a cold start would have to move).
    """
    X, y = data
    largest = reg_max(X, y, l1_ratio)
    assume(largest > 1e-6)
    reg = fraction * largest
    path = regularization_path(X, y, [reg, reg, reg / 2, reg / 2], l1_ratio=l1_ratio, tol=1e-9)
    assert path.n_iter[1] == 0 and path.n_iter[3] == 0
    assert path.coefs[1] == path.coefs[0] and path.coefs[3] == path.coefs[2]


@at_most(20)
@given(datasets(min_rows=6, max_rows=14), st.integers(2, 3), st.integers(0, 1000))
def test_the_cross_validation_folds_partition_the_rows(data, k, seed):
    """Law: choose_reg's k test folds are disjoint, cover every row exactly once, and keep
    each class's rows spread evenly (per class, fold sizes differ by at most one).

    Precondition: each class has at least k rows (else a fold would lack a class).
    """
    X, y = data
    assume(min(y.count(0.0), y.count(1.0)) >= k)
    choice = quiet(choose_reg, X, y, [1.0, 0.1], k=k, random_state=seed)
    rows = sorted(i for fold in choice.folds for i in fold)
    assert rows == list(range(len(y)))
    for label in (0.0, 1.0):
        sizes = [sum(1 for i in fold if y[i] == label) for fold in choice.folds]
        assert max(sizes) - min(sizes) <= 1


@at_least(50)
@given(st.lists(st.tuples(st.floats(0.0, 2.0), st.floats(0.0, 0.5)), min_size=1, max_size=12), st.booleans())
@example([(0.5, 0.0), (0.7, 0.3), (0.8, 0.1)], False)  # higher is better: 0.5 is within 0.3 of 0.8, not within 0.15
@example([(0.5, 0.0), (0.3, 0.3), (0.2, 0.1)], True)
def test_the_one_standard_error_rule(scores, lower_is_better):
    """Law: one_se_reg >= best_reg; its mean is within one standard error (the best's) of
    the best mean; and no larger reg is. Exact comparisons: the rule compares the
    same floats it reports."""
    regs = [2.0 ** -r for r in range(len(scores))]  # largest first
    means, errors = [m for m, _ in scores], [e for _, e in scores]
    best, one_se = one_standard_error_choice(regs, means, errors, lower_is_better)
    sign = 1.0 if lower_is_better else -1.0
    b = regs.index(best)
    assert all(sign * means[b] <= sign * m for m in means)
    assert one_se >= best
    limit = sign * means[b] + errors[b]
    assert sign * means[regs.index(one_se)] <= limit
    assert all(sign * means[r] > limit for r in range(regs.index(one_se)))


def test_mean_and_standard_error_by_hand():
    # two folds scoring (1, 3) and (0.5, 0.5): means 2 and 0.5; stdev sqrt(2), 0; over sqrt(2)
    means, errors = mean_and_standard_error([[1.0, 0.5], [3.0, 0.5]])
    assert means == [2.0, 0.5] and math.isclose(errors[0], 1.0, rel_tol=1e-15) and errors[1] == 0.0


def test_fold_scores_by_hand():
    from logreg_pure.part5_inference.path import fold_score

    y, z = [0.0, 1.0, 1.0], [-1.0, 2.0, -0.5]
    assert fold_score("accuracy", y, z) == 2 / 3  # z >= 0 predicts 1: right, right, wrong
    assert fold_score("roc_auc", y, z) == 1.0  # both positives score above the negative
    assert math.isclose(fold_score("log_loss", y, [0.0, 0.0, 0.0]), math.log(2.0), rel_tol=1e-15)
    choice = choose_reg([[0.0], [1.0], [2.0], [3.0], [0.5], [2.5]], [0, 0, 1, 1, 1, 0], [0.2, 0.02],
                        k=2, scoring="roc_auc", random_state=0)
    assert choice.scoring == "roc_auc" and choice.best_reg in (0.2, 0.02)

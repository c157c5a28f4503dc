"""Chapter 26, continued: the grid, the path's warnings, each fold's score and the refit, stated as laws.

Each law states what the chapter promises (the grid's ends and count, the score of a
held-out fold, the penalty of the refit, the warning for an unfinished fit), not
how the chapter computes it, so that they stay true when the implementation moves.
"""

import math
import re
import warnings

import pytest
from hypothesis import assume, example, given, strategies as st

from logreg_pure.part1_mathematics.errors import ConvergenceWarning
from logreg_pure.part1_mathematics.loss import example_loss
from logreg_pure.part4_estimators.features import Standardizer
from logreg_pure.part5_inference.path import choose_reg, reg_grid, reg_max, regularization_path
from reference import check_elastic_net_conditions
from strategies import at_least, at_most, datasets, overlapping_datasets

EPS = 2.0 ** -52


def penalty(l1_ratio):
    """The estimator's options for the elastic net with this l1_ratio (0: "l2", 1: "l1")."""
    if l1_ratio == 1.0:
        return {"penalty": "l1"}
    if l1_ratio == 0.0:
        return {"penalty": "l2"}
    return {"penalty": "elasticnet", "l1_ratio": l1_ratio}


def quiet(function, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return function(*args, **kwargs)


# ------------------------------------------------------------------------ the grid

@at_least(50)
@given(st.floats(1e-6, 1e6), st.integers(1, 60), st.floats(1e-4, 0.99))
@example(2.0, 1, 0.5)  # one reg: the largest alone
@example(2.0, 2, 0.5)  # two: the two ends
def test_the_grid_has_n_regs_values_from_largest_down_to_largest_times_min_ratio(largest, n_regs, min_ratio):
    """Law: reg_grid(L, n, r) has exactly n values; the first is L and, for n >= 2, the last
    is L r, both exactly (no rounding drift at the ends); between them the values fall
    evenly on a log scale: each log-ratio of neighbours is log(r) / (n - 1).

    Tolerance for the spacing: each value is L r^(k / (n - 1)), one rounding of the
    power and one of the product, so each log-ratio is within 4 eps of its target
    relative to |log L| + |log r| + 1 (the logs' own size).
    """
    grid = reg_grid(largest, n_regs, min_ratio)
    assert len(grid) == n_regs and grid[0] == largest
    if n_regs >= 2:
        assert grid[-1] == largest * min_ratio
        step = math.log(min_ratio) / (n_regs - 1)
        scale = abs(math.log(largest)) + abs(math.log(min_ratio)) + 1.0
        for before, after in zip(grid, grid[1:]):
            assert abs(math.log(after / before) - step) <= 8.0 * EPS * scale


@pytest.mark.parametrize("call, words", [
    (lambda: reg_grid(1.0, 0), "^n_regs must be at least 1, got 0$"),
    (lambda: reg_grid(0.0, 3), "largest reg"),
    (lambda: reg_grid(-1.0, 3), "largest reg"),
    (lambda: reg_grid(1.0, 3, 1.0), "min_ratio must be between 0 and 1"),
    (lambda: reg_grid(1.0, 3, 0.0), "min_ratio must be between 0 and 1"),
    (lambda: reg_grid(1.0, 3, -0.5), "min_ratio must be between 0 and 1"),
    (lambda: reg_max([[0.0], [1.0]], [0, 1], l1_ratio=1.0 + 2.0 ** -52), "l1_ratio must be between 0"),
    (lambda: reg_max([[0.0], [1.0]], [0, 1], l1_ratio=-2.0 ** -1074), "l1_ratio must be between 0"),
    (lambda: regularization_path([[0.0], [1.0]], [0, 1], [0.1], l1_ratio=2.0), "l1_ratio must be between 0"),
    (lambda: regularization_path([[0.0], [1.0]], [0, 1], [0.1, -2.0 ** -1074]), "penalties >= 0"),
    (lambda: regularization_path([[0.0], [1.0]], [0, 1], []), "^regs must be a non-empty list of penalties >= 0$"),
])
def test_every_boundary_is_refused_just_outside(call, words):
    with pytest.raises(ValueError, match=words):
        call()


@pytest.mark.parametrize("call, message", [
    (lambda: choose_reg([[0.0], [1.0, 2.0]], [0, 1], [0.1]), "^X row 1 has 2 values, but row 0 has 1"),
    (lambda: choose_reg([[0.0], [1.0]], [0, 1], [0.1], scoring="f1"), "^scoring must be one of 'accuracy', 'roc_auc', 'log_loss', got 'f1'$"),
    (lambda: choose_reg([[0.0], [1.0]], [0, 1], [0.1], refit="smallest"), "^refit must be 'one_se' or 'best', got"),
    (lambda: regularization_path([[1.0], [1.0]], [0, 1]),
     r"^every weight is 0 at any reg \(no feature is correlated with y\): there is no path to draw; give regs "
     r"yourself$"),
    (lambda: reg_max([[0.0], [1.0]], [0, 1], l1_ratio=0.0), "^with l1_ratio = 0 .* choose a grid of regs yourself$"),
])
def test_a_refusal_says_what_and_the_cure_from_its_first_word(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_a_path_and_a_choice_are_read_only():
    import dataclasses

    X, y = [[0.0], [0.0], [1.0], [1.0], [2.0], [0.5]], [0, 1, 0, 1, 1, 0]
    path = regularization_path(X, y, [0.1])
    choice = quiet(choose_reg, X, y, [0.1, 0.01], k=2, random_state=0)
    for result, field in ((path, "regs"), (choice, "reg")):
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(result, field, None)


def test_the_default_cross_validation_grid_is_the_paths_on_all_rows():
    """Without regs, choose_reg scores the path's default grid on all rows (standardized
    first when asked): n_regs values from reg_max down a thousandfold."""
    X = [[0.0, 1.0], [1.0, 3.0], [2.0, 2.0], [3.0, 0.0], [4.0, 1.0], [5.0, 2.5], [0.5, 0.0], [2.5, 1.0]]
    y = [0, 0, 1, 1, 0, 1, 1, 0]
    choice = quiet(choose_reg, X, y, k=2, random_state=0, n_regs=5)
    assert choice.regs == reg_grid(reg_max(X, y), 5, 1e-3)
    scaled = Standardizer().fit_transform(X)
    choice = quiet(choose_reg, X, y, k=2, random_state=0, standardize=True)
    assert choice.regs == reg_grid(reg_max(scaled, y), 100, 1e-3)


def test_every_boundary_is_accepted_just_inside():
    assert reg_grid(3.0, 1) == [3.0]
    assert reg_grid(2.0 ** -1074, 2, 0.5)[0] == 2.0 ** -1074  # the smallest positive float is a reg
    assert len(reg_grid(1.0, 3, 1.0 - 2.0 ** -53)) == 3 and len(reg_grid(1.0, 3, 2.0 ** -1000)) == 3
    assert reg_max([[0.0], [1.0], [2.0], [3.0]], [0, 0, 1, 1], l1_ratio=1.0) == 0.5
    X, y = [[0.0], [0.0], [1.0], [1.0], [2.0]], [0, 1, 0, 1, 1]  # overlapping: the optimum at reg 0 exists
    path = regularization_path(X, y, [0.0, 0.5], l1_ratio=0.0, tol=1e-10)  # a reg of 0 and pure L2
    assert path.regs == [0.5, 0.0] and all(path.converged)
    assert regularization_path(X, y, [0.1], l1_ratio=1.0).l1_ratio == 1.0


# ------------------------------------------------------------------------ the path

@at_most(20)
@given(datasets(max_rows=10), st.sampled_from([1.0, 0.5]), st.integers(1, 5))
@example(([[0.0, 1.0], [1.0, 3.0], [2.0, 2.0], [3.0, 0.0], [4.0, 1.0]], [0.0, 0.0, 1.0, 1.0, 0.0]), 1.0, 1)  # 6 of 7
@example(([[0.0, 1.0], [1.0, 3.0], [2.0, 2.0], [3.0, 0.0], [4.0, 1.0]], [0.0, 0.0, 1.0, 1.0, 0.0]), 1.0, 4)  # 2 of 7
def test_a_path_warns_exactly_when_a_fit_stops_early_and_names_its_regs(data, l1_ratio, epochs):
    """Law: regularization_path warns ConvergenceWarning exactly when some fit along it
    stopped before its optimum (converged False), and the warning gives their number,
    names the first five of their regs (as "%.3g", then "..." if there are more) and
    the cures, and points at the caller's line.

    Precondition: none; with epochs of 1 to 5 and tol 1e-12 some draws finish and some
    do not (the @examples: 6 and 2 of 7 fits unfinished).
    """
    X, y = data
    largest = reg_max(X, y, l1_ratio)
    assume(largest > 1e-6)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        path = regularization_path(X, y, l1_ratio=l1_ratio, n_regs=7, min_ratio=0.01, tol=1e-12, epochs=epochs)
    unfinished = [reg for reg, ok in zip(path.regs, path.converged) if not ok]
    warned = [str(w.message) for w in caught if issubclass(w.category, ConvergenceWarning)]
    if not unfinished:
        assert warned == []
        return
    assert len(warned) == 1
    assert str(len(unfinished)) in warned[0]
    named = ", ".join(re.escape(f"{reg:.3g}") + r" \([a-z ]+\)" for reg in unfinished[:5])  # each with its stop reason
    assert re.search(f"reg = {named}{' [.][.][.]' if len(unfinished) > 5 else ''}; raise epochs", warned[0])
    assert warned[0].endswith("standardize the features")
    assert [w.filename for w in caught if issubclass(w.category, ConvergenceWarning)] == [__file__]  # the caller's line


# ------------------------------------------------------------- cross-validation

def _held_out_scores(scoring, X_train, y_train, X_test, y_test, regs, l1_ratio, standardize):
    """Fold f's own path, fitted on its training rows alone (standardized by them when asked),
    and each of its models scored on the test rows independently: log-odds by fsum, the
    loss of chapter 4 per row, predictions by the sign of z."""
    if standardize:
        scaler = Standardizer().fit(X_train)
        X_train, X_test = scaler.transform(X_train), scaler.transform(X_test)
    path = quiet(regularization_path, X_train, y_train, regs, l1_ratio=l1_ratio, tol=1e-9, epochs=500)
    scores, margins = [], []
    for w, b in zip(path.coefs, path.intercepts):
        z = [math.fsum([b] + [wj * xj for wj, xj in zip(w, x)]) for x in X_test]
        margins += [abs(zi) for zi in z]
        if scoring == "log_loss":
            scores.append(math.fsum(example_loss(yi, zi) for yi, zi in zip(y_test, z)) / len(z))
        else:
            scores.append(sum(1 for yi, zi in zip(y_test, z) if (zi >= 0.0) == (yi == 1.0)) / len(z))
    return scores, min(margins)


IMBALANCED = ([[0.0], [1.0], [2.0], [0.5], [1.5], [2.5], [3.0], [0.2], [2.2]],
              [0.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.0, 0.0])


@at_most(15)
@given(datasets(min_rows=6, max_rows=10, max_features=2), st.sampled_from(["log_loss", "accuracy"]),
       st.sampled_from([1.0, 0.5, 0.0]), st.booleans(), st.integers(0, 100))
@example(IMBALANCED, "log_loss", 1.0, False, 0)  # an intercept far from 0 (six positives, three negatives)
@example(IMBALANCED, "log_loss", 0.0, True, 1)
@example(IMBALANCED, "accuracy", 0.5, False, 2)
def test_each_fold_score_is_the_held_out_score_of_that_folds_own_fit(data, scoring, l1_ratio, standardize, seed):
    """Law: choose_reg's fold_scores[f][r] is the score, on fold f's held-out rows, of the
    model at regs[r] on the path fitted to the other rows alone (standardized by those
    rows when asked), scored independently: log-odds b + w . x by fsum, then the mean
    loss of chapter 4, or the share of rows whose sign of z (z >= 0: class 1) is right.

    Precondition: each class has at least 2 rows (2 folds, stratified); for accuracy, no
    held-out log-odds within 1e-9 of the boundary (where rounding decides the class).
    Tolerance: the same fits; the log-odds differ only by the order of a dot product, so
    the mean loss agrees to 1e-12 relative.
    """
    X, y = data
    assume(min(y.count(0.0), y.count(1.0)) >= 2)
    regs = [0.2, 0.02]
    choice = quiet(choose_reg, X, y, regs, k=2, scoring=scoring, random_state=seed, standardize=standardize,
                   l1_ratio=l1_ratio, tol=1e-9, epochs=500)
    for f, test in enumerate(choice.folds):
        train = [i for i in range(len(y)) if i not in test]
        expected, margin = _held_out_scores(scoring, [X[i] for i in train], [y[i] for i in train],
                                            [X[i] for i in test], [y[i] for i in test], choice.regs, l1_ratio,
                                            standardize)
        if scoring == "accuracy":
            assume(margin > 1e-9)
            assert choice.fold_scores[f] == expected
        else:
            assert all(math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-15) for a, b in zip(choice.fold_scores[f], expected))


@at_most(10)
@given(overlapping_datasets(max_rows=6, max_features=2), st.sampled_from([0.0, 0.5, 1.0]),
       st.sampled_from(["one_se", "best"]))
@example(([[0.0], [0.0], [1.0], [1.0], [2.0], [3.0], [0.5], [2.5]], [0.0, 1.0, 0.0, 1.0, 1.0, 1.0, 0.0, 0.0]),
         0.0, "one_se")
def test_choose_reg_refits_at_the_chosen_reg_with_the_same_penalty_for_every_l1_ratio(data, l1_ratio, refit):
    """Law: for l1_ratio = 0 (pure L2), 0.5 and 1 (pure L1), choose_reg's model is the
    optimum on all rows of the same elastic net at the reg it reports (one_se_reg or
    best_reg, as refit asks): g_b = 0, g_j = -l1 sign(w_j) where w_j != 0, |g_j| <= l1
    where w_j = 0, with l1 = reg l1_ratio, l2 = reg (1 - l1_ratio) and g the reference
    gradient of the mean loss plus the L2 part.

    Precondition: overlapping_datasets with every class in at least 2 rows (2 folds).
    Tolerance: the refit stops at an optimality violation of 1e-10, plus 1e-12 for the
    two gradients' rounding.
    """
    X, y = data
    assume(min(y.count(0.0), y.count(1.0)) >= 2)
    regs = [0.5, 0.05, 0.005]
    choice = quiet(choose_reg, X, y, regs, k=2, random_state=0, l1_ratio=l1_ratio, tol=1e-10, epochs=500,
                   refit=refit)
    assert choice.reg == (choice.one_se_reg if refit == "one_se" else choice.best_reg) and choice.reg in regs
    model = choice.model
    assert model.converged_
    check_elastic_net_conditions(model, X, y, choice.reg, l1_ratio, slack=1e-10 + 1e-12)

"""Chapter 26. Choosing the penalty: ``reg_max``, the regularization path and cross-validation.

Every user of a penalty asks first: how large should ``reg`` be? glmnet's answer
(Friedman, Hastie and Tibshirani 2010) has three parts, and so has this chapter.

**``reg_max``.** With an L1 part the answer is exactly sparse, and beyond some penalty
every weight is 0. The optimality conditions of chapter 16 say when: at ``w = 0`` the
intercept alone is fitted, so ``b = logit(ybar)`` (with ``ybar`` the weighted mean of
the labels) and every ``p_i = ybar``; the gradient of the mean loss along ``w_j`` is then

    g_j = (1/S) sum_i s_i (ybar - y_i) x_ij,

and ``w = 0`` is optimal exactly when every ``|g_j| <= reg * l1_ratio``. So

    reg_max = max_j |g_j| / l1_ratio,

the smallest penalty at which every weight is zero. (The labels must be *centred*:
``ybar - y_i``, not ``-y_i``; the intercept has already absorbed the mean.)

**The path.** ``regularization_path`` fits a decreasing grid of penalties, by default
100 values from ``reg_max`` down to ``reg_max / 1000`` spaced evenly on a log scale,
each fit started from the previous answer (a *warm start*): neighbouring answers are
close, so each fit takes only a few steps of coordinate descent. It returns the
weights at every ``reg``, and how many of them are non-zero.

**Cross-validation.** ``choose_reg`` fits the same path on k-1 folds and scores it on
the k-th, k times (the folds stratified by class, and the standardization learned on
the training folds only, when asked, so that nothing of the test fold leaks into
the fit). For each ``reg`` it reports the mean score and its standard error
(the folds' standard deviation over sqrt(k)); ``best_reg`` has the best mean, and
``one_se_reg`` is glmnet's *one-standard-error rule*: the largest ``reg`` whose mean
is within one standard error of the best, the simplest model that the data cannot
tell apart from the best one. The model is then refitted on all rows at that ``reg``.

**The pure-L2 grid.** With ``l1_ratio = 0`` no finite penalty makes the weights zero,
so ``reg_max`` refuses, and no penalty leaves them quite unpenalized either. The
default grid then starts where ``l1_ratio = 0.001`` would zero them, glmnet's
convention (its ``lambda_max`` divides by ``max(alpha, 0.001)``): the weights there
are within about a thousandth of 0. It ends at ``RIDGE_FLOOR / S`` (``S`` the number of
rows, or their total weight) if that is lower than ``reg_max * min_ratio``: a penalty
of a thousandth of one row's share of the curvature, below which the fit is the
unpenalized one as far as cross-validation can tell. glmnet's ridge grid stops at
``lambda_max * 1e-4``, which on large data sets leaves the best ``reg`` below its end
(on the standardized ``fair`` data, 6,366 rows, the best is ``reg = 3.7e-4``; the
glmnet-style grid would stop at 0.155).

**The edges.** A best ``reg`` at either end of the grid says only that the optimum may
lie beyond it: ``choose_reg`` warns (``GridEdgeWarning``), naming the edge, whatever
the penalty.
"""

import math
import statistics
import warnings
from dataclasses import dataclass
from typing import Any, Callable, List, Optional, Sequence, Tuple

from ..part1_mathematics.checks import (
    check_finite_number,
    check_labels,
    check_matrix,
    check_positive_int,
    check_vector,
)
from ..part1_mathematics.errors import ConvergenceWarning, GridEdgeWarning
from ..part1_mathematics.links import logit
from ..part1_mathematics.loss import penalty_split
from ..part1_mathematics.vectors import Matrix, Vector, dot, total
from ..part2_problem.driver import FitResult
from ..part2_problem.problem import Problem, make_problem
from ..part3_solvers.coordinate import CoordinateDescent
from ..part3_solvers.solvers import solve
from ..part4_estimators.features import Standardizer
from ..part4_estimators.model import LogisticRegression
from .metrics import accuracy, log_loss_from_logits, roc_auc
from .selection import SCORINGS, k_fold_indices

Counter = Callable[[int, int], None]  # progress(done, total): fits finished, fits in all

__all__ = ["CrossValidatedReg", "RIDGE_FLOOR", "RegularizationPath", "choose_reg", "reg_grid", "reg_max",
           "regularization_path", "warn_at_edge"]

SMALLEST_RIDGE_RATIO = 1e-3  # glmnet: a pure-L2 grid starts where l1_ratio = 0.001 would zero w
RIDGE_FLOOR = 1e-3  # a pure-L2 grid ends at RIDGE_FLOOR / S at the latest: a thousandth of one row's curvature
LOWER_IS_BETTER = ("log_loss",)


def _check_l1_ratio(l1_ratio: Any) -> float:
    """``l1_ratio`` as a float from 0 to 1, checked as the elastic net's (``penalty_split``)."""
    ratio = check_finite_number(l1_ratio, "l1_ratio")
    penalty_split(1.0, "elasticnet", ratio)
    return ratio


def null_intercept(problem: Problem) -> float:
    """``logit(ybar)``: the intercept of the model with every weight 0 (``ybar`` weighted,
    chapter 10's ``base_rate``)."""
    return logit(problem.base_rate())


def null_gradient(problem: Problem) -> Vector:
    """``g_j = (1/S) sum_i s_i (ybar - y_i) x_ij``: the mean loss's gradient along each
    weight at ``w = 0, b = logit(ybar)``, where every ``p_i = ybar``."""
    base_rate, rows = problem.base_rate(), list(zip(problem.row_weights, problem.y, problem.X))
    return [total(s * (base_rate - yi) * x[j] for s, yi, x in rows) / problem.total_weight
            for j in range(problem.n_features)]


def reg_max(X: Sequence[Sequence[float]], y: Sequence[float], l1_ratio: float = 1.0, *,
            sample_weight: Optional[Sequence[float]] = None) -> float:
    """The smallest ``reg`` at which every weight is 0: ``max_j |g_j| / l1_ratio``.

    >>> reg_max([[0.0], [1.0], [2.0], [3.0]], [0, 0, 1, 1])  # ybar = 1/2: |(-1 - 1 + 2 + 3) / 2| / 4
    0.5

    Raises ``ValueError`` for bad data (as ``fit`` does), for ``l1_ratio = 0``, where no
    finite penalty zeroes the weights, and for an ``l1_ratio`` so small that ``reg_max``
    is beyond the float range.
    """
    ratio = _check_l1_ratio(l1_ratio)
    if ratio == 0.0:
        raise ValueError("with l1_ratio = 0 (pure L2) no finite reg makes every weight zero; "
                         "give l1_ratio > 0, or choose a grid of regs yourself")
    problem = make_problem(X, y, sample_weight=sample_weight)
    largest = max(abs(g) for g in null_gradient(problem))
    if largest / ratio == math.inf:
        raise ValueError(f"reg_max = {largest:.3g} / l1_ratio is beyond the float range for l1_ratio="
                         f"{l1_ratio!r}; use a larger l1_ratio (the pure-L2 grid starts at l1_ratio = "
                         f"{SMALLEST_RIDGE_RATIO:g})")
    return largest / ratio


def reg_grid(largest: float, n_regs: int = 100, min_ratio: float = 1e-3) -> List[float]:
    """``n_regs`` penalties from ``largest`` down to ``largest * min_ratio``, evenly spaced
    on a log scale.

    >>> reg_grid(1.0, 3, 0.01)
    [1.0, 0.1, 0.01]
    """
    n_regs = check_positive_int(n_regs, "n_regs")
    largest = check_finite_number(largest, "the largest reg", minimum=0.0, strict=True)
    min_ratio = check_finite_number(min_ratio, "min_ratio")
    if not 0.0 < min_ratio < 1.0:
        raise ValueError(f"min_ratio must be between 0 and 1, got {min_ratio!r}")
    if n_regs == 1:
        return [largest]
    steps = n_regs - 1
    return [largest * min_ratio ** (k / steps) for k in range(n_regs)]


@dataclass(frozen=True)
class RegularizationPath:
    """The answers along a grid of penalties, largest ``reg`` first."""

    regs: Vector
    coefs: List[Vector]  # one list of weights per reg
    intercepts: Vector
    n_nonzero: List[int]  # how many weights are not exactly 0, per reg
    n_iter: List[int]  # the coordinate-descent steps each fit took (from its warm start)
    converged: List[bool]
    l1_ratio: float
    feature_names: List[str]


def warm_start(result: FitResult) -> Vector:
    """Where the next fit along the path starts: the previous answer."""
    return list(result.theta)


def _path_problem(X: Any, y: Any, l1_ratio: float, sample_weight: Any, feature_names: Any) -> Problem:
    return make_problem(X, y, penalty="elasticnet", l1_ratio=l1_ratio, sample_weight=sample_weight,
                        feature_names=feature_names)


def _grid(problem: Problem, regs: Optional[Sequence[float]], l1_ratio: float, n_regs: int,
          min_ratio: float) -> List[float]:
    """The user's ``regs`` (checked, sorted largest first) or the default log grid (for pure
    L2 reaching down to ``RIDGE_FLOOR / S``, see above)."""
    if regs is None:
        largest = max(abs(g) for g in null_gradient(problem)) / max(l1_ratio, SMALLEST_RIDGE_RATIO)
        if largest == 0.0:
            raise ValueError("every weight is 0 at any reg (no feature is correlated with y): "
                             "there is no path to draw; give regs yourself")
        if l1_ratio == 0.0:
            min_ratio = min(min_ratio, RIDGE_FLOOR / problem.total_weight / largest)
        return reg_grid(largest, n_regs, min_ratio)
    grid = check_vector(regs, "regs")
    if not grid or min(grid) < 0.0:
        raise ValueError("regs must be a non-empty list of penalties >= 0")
    return sorted(grid, reverse=True)


def regularization_path(X: Sequence[Sequence[float]], y: Sequence[float],
                        regs: Optional[Sequence[float]] = None, *, l1_ratio: float = 1.0,
                        n_regs: int = 100, min_ratio: float = 1e-3, tol: float = 1e-6,
                        epochs: int = 1000, sample_weight: Optional[Sequence[float]] = None,
                        feature_names: Optional[Sequence[str]] = None,
                        progress: Optional[Counter] = None) -> RegularizationPath:
    """Fit the elastic net ``reg (l1_ratio ||w||_1 + (1 - l1_ratio)/2 ||w||^2)`` at every
    ``reg`` of a decreasing grid by coordinate descent, each fit warm-started from the
    previous one and run to the optimality tolerance ``tol`` of a single fit.

    ``regs`` defaults to ``n_regs`` values from ``reg_max`` to ``reg_max * min_ratio``;
    given ones are sorted largest first. ``progress(done, total)`` is called after each
    fit. Warns ``ConvergenceWarning`` naming the regs whose fits stopped at ``epochs``
    steps. Raises ``ValueError`` for bad data or options.
    """
    ratio = _check_l1_ratio(l1_ratio)
    problem = _path_problem(X, y, ratio, sample_weight, feature_names)
    grid = _grid(problem, regs, ratio, n_regs, min_ratio)
    start = [null_intercept(problem)] + [0.0] * problem.n_features
    results = []
    for reg in grid:
        here = problem.with_penalty(reg, "elasticnet", ratio)
        result = solve(here, CoordinateDescent(), epochs=epochs, tol=tol, start=start)
        results.append(result)
        start = warm_start(result)
        if progress is not None:
            progress(len(results), len(grid))
    _warn_unfinished(grid, results)
    coefs = [r.theta[1:] for r in results]
    return RegularizationPath(grid, coefs, [r.theta[0] for r in results],
                              [sum(1 for w in c if w != 0.0) for c in coefs], [r.n_iter for r in results],
                              [r.converged for r in results], ratio, list(problem.names))


def _warn_unfinished(grid: Sequence[float], results: Sequence[FitResult]) -> None:
    unfinished = [f"{reg:.3g} ({r.stop_reason})" for reg, r in zip(grid, results) if not r.converged]
    if unfinished:
        warnings.warn(f"{len(unfinished)} fits along the path stopped before the optimum: reg = "
                      f"{', '.join(unfinished[:5])}{' ...' if len(unfinished) > 5 else ''}; raise epochs "
                      f"or standardize the features", ConvergenceWarning, stacklevel=3)


# ------------------------------------------------------------- cross-validation

@dataclass(frozen=True)
class CrossValidatedReg:
    """What k-fold cross-validation along the path says about ``reg``, and the refit model."""

    regs: Vector  # largest first
    mean_scores: Vector  # per reg, the mean over the folds
    std_errors: Vector  # per reg, the folds' standard deviation / sqrt(k)
    fold_scores: List[Vector]  # fold_scores[f][r]: fold f's score at regs[r]
    folds: List[List[int]]  # the rows each fold held out (stratified by class)
    scoring: str
    best_reg: float  # the best mean score
    one_se_reg: float  # the largest reg within one standard error of the best
    reg: float  # the one the model was refitted with
    model: LogisticRegression  # fitted on all rows (standardized, if asked) at reg
    standardizer: Optional[Standardizer]  # learned on all rows, for new data; None if not asked


def fold_score(scoring: str, y: Sequence[float], z: Sequence[float]) -> float:
    """The score of log-odds ``z`` on labels ``y``: log loss (lower is better), AUC or accuracy."""
    if scoring == "log_loss":
        return log_loss_from_logits(y, z)
    if scoring == "roc_auc":
        return roc_auc(y, z)
    return accuracy(y, [1.0 if zi >= 0.0 else 0.0 for zi in z])


def _fold_scores(rows: Matrix, labels: Vector, train: List[int], test: List[int], grid: List[float],
                 options: dict, progress: Optional[Counter] = None) -> Vector:
    """One fold: the path on the training rows, scored on the test rows at every reg."""
    X_train, X_test = [rows[i] for i in train], [rows[i] for i in test]
    if options["standardize"]:  # learned on the training rows only: nothing leaks from the test fold
        scaler = Standardizer().fit(X_train)
        X_train, X_test = scaler.transform(X_train), scaler.transform(X_test)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # the refit on all rows reports its own
        path = regularization_path(X_train, [labels[i] for i in train], grid, l1_ratio=options["l1_ratio"],
                                   tol=options["tol"], epochs=options["epochs"], progress=progress)
    y_test = [labels[i] for i in test]
    return [fold_score(options["scoring"], y_test, [dot(x, w) + b for x in X_test])
            for w, b in zip(path.coefs, path.intercepts)]


def _cross_validation_scores(rows: Matrix, labels: Vector, folds: List[Tuple[List[int], List[int]]],
                             grid: List[float], options: dict, progress: Optional[Counter]) -> List[Vector]:
    """Each fold's scores along the grid; ``progress`` counts every fit of every fold (and
    the refit that follows: ``k * len(grid) + 1`` in all)."""
    total = len(folds) * len(grid) + 1
    scores = []
    for f, (train, test) in enumerate(folds):
        done = f * len(grid)
        tick = None if progress is None else (lambda fits, _, done=done: progress(done + fits, total))
        scores.append(_fold_scores(rows, labels, train, test, grid, options, tick))
    return scores


def one_standard_error_choice(regs: Sequence[float], means: Sequence[float], errors: Sequence[float],
                              lower_is_better: bool) -> Tuple[float, float]:
    """``(best_reg, one_se_reg)``: the reg with the best mean, and the largest reg whose mean
    is within one standard error (the best's) of it. ``regs`` run largest first.

    >>> one_standard_error_choice([3.0, 2.0, 1.0], [0.5, 0.35, 0.3], [0.1, 0.1, 0.1], True)
    (1.0, 2.0)
    """
    sign = 1.0 if lower_is_better else -1.0
    best = min(range(len(regs)), key=lambda r: sign * means[r])
    limit = sign * means[best] + errors[best]
    within = next(r for r in range(len(regs)) if sign * means[r] <= limit)
    return regs[best], regs[within]


def warn_at_edge(regs: Sequence[float], best: float, scoring: str) -> None:
    """Warn ``GridEdgeWarning`` when ``best`` is the largest or the smallest of ``regs``
    (largest first): the best mean score may then lie beyond the grid."""
    if len(regs) < 2 or best not in (regs[0], regs[-1]):
        return
    if best == regs[-1]:
        edge, cure = "smallest", "give regs that reach further down (or a smaller min_ratio)"
    else:
        edge, cure = "largest", "give regs that reach further up"
    warnings.warn(f"the best mean {scoring} is at the {edge} reg of the grid, {best:.4g} (its "
                  f"{'bottom' if edge == 'smallest' else 'top'} edge): the optimum may lie beyond it; "
                  f"{cure}", GridEdgeWarning, stacklevel=3)


def _penalty_of(l1_ratio: float) -> dict:
    if l1_ratio == 1.0:
        return {"penalty": "l1"}
    if l1_ratio == 0.0:
        return {"penalty": "l2"}
    return {"penalty": "elasticnet", "l1_ratio": l1_ratio}


def _check_choice_options(scoring: str, refit: str) -> None:
    if scoring not in SCORINGS:
        raise ValueError(f"scoring must be one of {', '.join(map(repr, SCORINGS))}, got {scoring!r}")
    if refit not in ("one_se", "best"):
        raise ValueError(f"refit must be 'one_se' or 'best', got {refit!r}")


def mean_and_standard_error(fold_scores: Sequence[Sequence[float]]) -> Tuple[Vector, Vector]:
    """Per reg, the folds' mean score and its standard error, stdev / sqrt(k).

    >>> mean_and_standard_error([[1.0, 0.5], [3.0, 0.5]])  # two folds, two regs
    ([2.0, 0.5], [1.0, 0.0])
    """
    k = len(fold_scores)
    columns = list(zip(*fold_scores))
    return ([statistics.fmean(c) for c in columns],
            [statistics.stdev(c) / math.sqrt(k) for c in columns])


def choose_reg(X: Sequence[Sequence[float]], y: Sequence[float], regs: Optional[Sequence[float]] = None, *,
               k: int = 5, scoring: str = "log_loss", random_state: Optional[int] = None,
               standardize: bool = False, l1_ratio: float = 1.0, n_regs: int = 100,
               min_ratio: float = 1e-3, tol: float = 1e-6, epochs: int = 1000,
               refit: str = "one_se", progress: Optional[Counter] = None) -> CrossValidatedReg:
    """Choose ``reg`` by stratified k-fold cross-validation along the path (cv.glmnet's way).

    ``scoring`` is "log_loss" (lower is better), "roc_auc" or "accuracy". ``regs``
    defaults to the path's grid on all rows (standardized first, when ``standardize``).
    The model is refitted on all rows at ``one_se_reg`` (``refit="one_se"``, glmnet's
    recommendation) or ``best_reg`` (``refit="best"``), by coordinate descent.
    ``progress(done, total)`` counts the fits (k paths, then the refit).
    Raises ``ValueError`` for bad data or options.
    """
    rows = check_matrix(X, "X")
    labels = check_labels(y, len(rows))
    _check_choice_options(scoring, refit)
    ratio = _check_l1_ratio(l1_ratio)
    standardizer = Standardizer().fit(rows) if standardize else None
    all_rows = standardizer.transform(rows) if standardizer else rows
    grid = _grid(_path_problem(all_rows, labels, ratio, None, None), regs, ratio, n_regs, min_ratio)
    options = {"standardize": standardize, "l1_ratio": ratio, "tol": tol, "epochs": epochs, "scoring": scoring}
    folds = k_fold_indices(labels, k, random_state=random_state, stratify=True)
    scores = _cross_validation_scores(rows, labels, folds, grid, options, progress)
    means, errors = mean_and_standard_error(scores)
    best, one_se = one_standard_error_choice(grid, means, errors, scoring in LOWER_IS_BETTER)
    warn_at_edge(grid, best, scoring)
    chosen = one_se if refit == "one_se" else best
    model = LogisticRegression(solver="cd", reg=chosen, tol=tol, epochs=epochs, **_penalty_of(ratio))
    model.fit(all_rows, labels)
    if progress is not None:
        progress(len(folds) * len(grid) + 1, len(folds) * len(grid) + 1)
    return CrossValidatedReg(grid, means, errors, scores, [test for _, test in folds], scoring, best, one_se,
                             chosen, model, standardizer)

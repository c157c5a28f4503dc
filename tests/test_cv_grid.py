"""The grid of penalties that cross-validation searches (chapter 26): wide enough, and
never silently answered from its edge.

Issue 21, point 2. With ``l1_ratio = 0`` there is no ``reg_max``; the grid used to
stop at ``reg_max(l1_ratio = 0.001) / 1000`` (0.155 on the standardized fair data),
so that both the best and the one-standard-error choice sat on its bottom edge, and
nothing said so.
"""

import math
import random
import warnings

from hypothesis import assume, given, strategies as st

from logreg_pure.part1_mathematics.errors import GridEdgeWarning
from logreg_pure.part2_problem.problem import make_problem
from logreg_pure.part3_solvers.solvers import Newton, solve
from logreg_pure.part5_inference.path import RIDGE_FLOOR, choose_reg, null_gradient, regularization_path
from strategies import at_most, datasets, overlapping_datasets


def maximum_likelihood(X, y):
    problem = make_problem(X, y)
    return problem, solve(problem, Newton(), epochs=100, tol=1e-12).theta


@at_most(20)
@given(overlapping_datasets(max_rows=10, max_features=2))
def test_the_pure_l2_grid_runs_from_zero_weights_to_the_unpenalized_fit(data):
    """Law: for ``l1_ratio = 0`` the default grid starts where every ridge weight is
    within 2e-3 of 0 (glmnet's top: the reg at which ``l1_ratio = 0.001`` would zero
    them, where ``|w_j| <= |g_j| / reg <= 0.001`` up to the curvature's correction), and
    ends at most at ``RIDGE_FLOOR / n``, where the ridge fit's log-likelihood is within
    ``RIDGE_FLOOR / 2 * ||w_mle||^2`` of the maximum (the ridge optimum's objective is at
    most the MLE's: ``n (loss_ridge - loss_mle) <= n reg / 2 ||w_mle||^2``).

    Precondition: overlapping_datasets, so that the maximum-likelihood fit exists, with
    some feature correlated with y (else there is no path: every weight is 0).
    Tolerances: the path's fits stop at a gradient of 1e-10 (1e-8 on the log-likelihood).
    """
    X, y = data
    assume(any(abs(g) > 1e-12 for g in null_gradient(make_problem(X, y))))
    path = regularization_path(X, y, l1_ratio=0.0, n_regs=8, tol=1e-10)
    assert max(abs(w) for w in path.coefs[0]) <= 2e-3
    n = len(X)
    assert path.regs[-1] <= RIDGE_FLOOR / n * (1.0 + 1e-12)
    problem, mle = maximum_likelihood(X, y)
    ridge = [path.intercepts[-1]] + path.coefs[-1]
    gap = n * (problem.objective(ridge) - problem.objective(mle))
    assert gap <= RIDGE_FLOOR / 2.0 * sum(w * w for w in mle[1:]) + 1e-8


@at_most(25)
@given(datasets(min_rows=8, max_rows=14, max_features=2), st.sampled_from([0.0, 0.5, 1.0]),
       st.lists(st.floats(0.01, 10.0), min_size=2, max_size=4, unique=True), st.integers(0, 3))
def test_a_best_reg_at_either_edge_of_the_grid_is_named_in_a_warning(data, l1_ratio, regs, seed):
    """Law: ``choose_reg`` warns ``GridEdgeWarning`` exactly when the best mean score is at
    the largest or the smallest reg of the grid, and the warning names that edge and
    that reg; for every penalty (L2, elastic net, L1).

    Precondition: datasets with both classes in at least 8 rows (two stratified folds),
    a grid of 2 to 4 distinct regs in [0.01, 10] (finite optima). Exact: no tolerance.
    """
    X, y = data
    assume_folds(y)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        choice = choose_reg(X, y, regs, k=2, random_state=seed, l1_ratio=l1_ratio, tol=1e-8)
    named = [str(w.message) for w in caught if issubclass(w.category, GridEdgeWarning)]
    edge = {choice.regs[0]: "largest", choice.regs[-1]: "smallest"}.get(choice.best_reg)
    assert len(named) == (1 if edge else 0)
    if edge:
        assert f"the {edge} reg" in named[0] and f"{choice.best_reg:.4g}" in named[0]


def assume_folds(y):
    assume(min(y.count(0.0), y.count(1.0)) >= 2)


def fair_like(n=500, seed=0):
    """Rows like the fair data's (the best ridge penalty tiny, far below 1e-3): eight
    correlated features, a weak signal on a few, from a fixed seed."""
    rng = random.Random(seed)
    X, y = [], []
    for _ in range(n):
        base = rng.gauss(0.0, 1.0)
        row = [base * 0.5 + rng.gauss(0.0, 1.0) for _ in range(8)]
        z = -1.0 + 0.6 * row[0] - 0.4 * row[1] + 0.3 * row[2]
        X.append(row)
        y.append(1.0 if rng.random() < 1.0 / (1.0 + math.exp(-z)) else 0.0)
    return X, y


def test_the_best_ridge_penalty_lies_inside_the_default_grid():
    """On standardized data with a weak signal and n >> d (as fair: reg = 3.7e-4 is the best
    there), the best mean log loss of the pure-L2 grid is not at its edge, and nothing
    warns. 30 regs, for speed: the grid's ends do not depend on their number."""
    X, y = fair_like()
    with warnings.catch_warnings():
        warnings.simplefilter("error", GridEdgeWarning)
        choice = choose_reg(X, y, k=5, random_state=0, standardize=True, l1_ratio=0.0, n_regs=30)
    assert choice.regs[0] > choice.best_reg > choice.regs[-1]
    assert choice.regs[-1] <= RIDGE_FLOOR / len(X)

"""Chapter 15, continued: L-BFGS (quasi_newton.py), and solver="auto" by the problem's size."""

import math
import random
import sys
import warnings

import pytest
from hypothesis import assume, example, given, strategies as st

from logreg_pure import LogisticRegression, SingularMatrixError, SoftmaxRegression
from logreg_pure.part1_mathematics.linalg import inverse_spd
from logreg_pure.part2_problem.driver import RESOLVABLE
from logreg_pure.part2_problem.problem import make_problem
from logreg_pure.part2_problem.softmax_problem import make_softmax_problem
from logreg_pure.part3_solvers import quasi_newton, solvers
from logreg_pure.part3_solvers.quasi_newton import LBFGS, WOLFE_C1, WOLFE_C2, two_loop
from logreg_pure.part3_solvers.solvers import (
    NEWTON_MOST_PARAMETERS,
    SOLVER_TABLE,
    auto_solver,
    parameter_count,
    solver_refusal,
)
from logreg_pure.part6_command_line.cli import main
from strategies import at_least, at_most, class_datasets, datasets

EPS = sys.float_info.epsilon


# ------------------------------------------------------------- the two-loop recursion

def inverse_bfgs_matrix(pairs, p):
    """The textbook matrix: ``B_0 = gamma I`` (gamma = s.y / y.y of the newest pair), then for
    each pair, oldest first, ``B <- (I - rho s y^T) B (I - rho y s^T) + rho s s^T``."""
    if not pairs:
        return [[float(i == j) for j in range(p)] for i in range(p)]
    s, y, _ = pairs[-1]
    gamma = sum(a * b for a, b in zip(s, y)) / sum(b * b for b in y)
    B = [[gamma * (i == j) for j in range(p)] for i in range(p)]
    for s, y, rho in pairs:
        V = [[float(i == j) - rho * y[i] * s[j] for j in range(p)] for i in range(p)]  # I - rho y s^T
        VtB = [[sum(V[k][i] * B[k][j] for k in range(p)) for j in range(p)] for i in range(p)]
        B = [[sum(VtB[i][k] * V[k][j] for k in range(p)) + rho * s[i] * s[j] for j in range(p)] for i in range(p)]
    return B


@st.composite
def curvature_pairs(draw, max_p=4, max_pairs=4):
    """``(pairs, g)``: up to ``max_pairs`` pairs ``(s, y = A s, 1 / y.s)`` of one SPD matrix
    ``A = M M^T + I/2`` (eigenvalues in [1/2, 1/2 + p]), as a quadratic J would give them,
    and a gradient ``g``; every |s| at least 1/4 so that no pair is lost to rounding."""
    p = draw(st.integers(1, max_p))
    unit = st.floats(-1.0, 1.0, allow_nan=False)
    M = [draw(st.lists(unit, min_size=p, max_size=p)) for _ in range(p)]
    A = [[sum(M[i][k] * M[j][k] for k in range(p)) + 0.5 * (i == j) for j in range(p)] for i in range(p)]
    pairs = []
    for _ in range(draw(st.integers(0, max_pairs))):
        s = draw(st.lists(unit, min_size=p, max_size=p))
        assume(max(abs(v) for v in s) >= 0.25)
        y = [sum(a * v for a, v in zip(row, s)) for row in A]
        pairs.append((s, y, 1.0 / sum(a * b for a, b in zip(y, s))))
    return pairs, draw(st.lists(unit, min_size=p, max_size=p))


@at_least(50)
@given(curvature_pairs())
@example(([([1.0, 0.0], [2.0, 0.0], 0.5)], [4.0, 6.0]))
def test_the_two_loop_recursion_is_the_inverse_bfgs_matrix_times_the_gradient(case):
    """Law: ``two_loop(pairs, g) == B g``, where ``B`` is the inverse BFGS matrix built from
    ``B_0 = gamma I`` by the update formula, pair by pair (the chapter's first display),
    written out as p x p matrices.

    Precondition: pairs ``(s, A s)`` of one SPD matrix A with eigenvalues in [1/2, p + 1/2],
    |s| >= 1/4, entries in [-1, 1], p and the number of pairs at most 4, so that every
    ``rho`` and ``gamma`` is at most 8 and every entry of B of order 10 at most.
    Tolerance: 1e-10 times (1 + max |B g|): both sides are at most a few hundred
    roundings of numbers of that order (about 1e-13 each, 2**-52 relative), far below;
    a wrong order of the pairs, or B_0 = I instead of gamma I, changes the answer by
    order 1.
    """
    pairs, g = case
    B = inverse_bfgs_matrix(pairs, len(g))
    expected = [sum(b * v for b, v in zip(row, g)) for row in B]
    got = two_loop(pairs, g)
    scale = 1.0 + max(abs(v) for v in expected)
    assert max(abs(a - b) for a, b in zip(got, expected)) <= 1e-10 * scale


def test_the_two_loop_recursion_satisfies_the_secant_condition():
    """``B y_k = s_k`` for the newest pair, by hand: s = (1, 0), y = (2, 0)."""
    assert two_loop([([1.0, 0.0], [2.0, 0.0], 0.5)], [2.0, 0.0]) == [1.0, 0.0]


# ------------------------------------------------------------- the line search

SCALES = st.sampled_from([0.01, 0.1, 1.0, 10.0])  # tiny features make t = 1 far too short


@at_most(30)
@given(datasets(min_rows=3, max_rows=10), SCALES, st.sampled_from([0.01, 0.1, 1.0]), st.booleans())
# A feature of 1e-224: the gradient's last components square to 0, and a step of zero slope
# was taken; now the rule stops there (no descent direction at working precision).
@example(([[0.0, 0.0], [0.0, 1.0], [1.417467521517597e-222, 0.0]], [0.0, 0.0, 1.0]), 0.01, 0.01, False)
def test_every_accepted_lbfgs_step_meets_the_strong_wolfe_conditions(data, feature_scale, reg, softmax):
    """Law: at every step L-BFGS takes, ``theta' = theta + t d`` with ``d`` a descent
    direction (``g . d < 0``) and ``t`` meeting the strong Wolfe conditions:
    ``J(theta') <= J(theta) + c1 t g . d`` (up to J's rounding, RESOLVABLE (1 + |J|),
    as the chapter states it) and ``|g' . d| <= c2 |g . d|``.

    Precondition: an L2 penalty reg in {0.01, 0.1, 1} (a finite optimum), features
    scaled by 0.01 to 10 (so that the first trial step is sometimes far too short or
    too long), two classes or the same rows as a K = 2 softmax problem; up to 25 steps.
    Exact: each inequality is checked on the very numbers the step produced (the point
    returned, its t and d); the only allowance is the one the chapter states.
    """
    X, y = data
    X = [[feature_scale * v for v in row] for row in X]
    problem = (make_softmax_problem(X, [int(v) for v in y], n_classes=2, reg=reg) if softmax
               else make_problem(X, y, reg=reg))
    rule, point = LBFGS(memory=3), problem.at(problem.start())
    for _ in range(25):
        following = rule.step(problem, point)
        if following is None or max(abs(v) for v in following.gradient) == 0.0:
            break
        t, d = rule.last_step
        slope = sum(a * b for a, b in zip(point.gradient, d))
        assert slope < 0.0
        assert following.theta == [a + t * b for a, b in zip(point.theta, d)]
        allowance = RESOLVABLE * (1.0 + abs(point.objective))
        assert following.objective <= point.objective + WOLFE_C1 * t * slope + allowance
        assert abs(sum(a * b for a, b in zip(following.gradient, d))) <= -WOLFE_C2 * slope
        point = following


def test_the_rule_keeps_at_most_memory_pairs_and_refuses_a_bad_memory():
    problem = make_problem([[0.0], [1.0], [2.0], [3.0]], [0, 1, 0, 1], reg=0.1)
    rule, point = LBFGS(memory=2), problem.at(problem.start())
    for _ in range(5):
        point = rule.step(problem, point) or point
    assert len(rule.pairs) <= 2
    for bad in (0, 2.5, True, "10"):
        with pytest.raises(ValueError, match="memory must be a whole number >= 1"):
            LBFGS(memory=bad)


# ------------------------------------------------------------- the same optimum as Newton

@at_most(30)
@given(class_datasets(max_classes=3, max_rows=10), st.sampled_from([0.01, 0.1, 1.0]))
# Near the optimum J's changes are below its rounding: the line search once compared the
# noise and gave up at a gradient of 5e-10 (now the slopes decide there, ``rises``).
@example(([[0.25, 1.0], [2.0, 0.0], [0.0, 0.0], [0.0, 0.0], [0.0, 0.0]], [0, 1, 2, 0, 1]), 0.01)
def test_lbfgs_reaches_the_optimum_newton_reaches(data, reg):
    """Law: L-BFGS and Newton's method, each to a largest gradient component of 1e-10,
    reach the same optimum: ``|theta_lbfgs - theta_newton|`` at most
    ``||H^{-1}||_inf * 2e-10 + 1e-12``, H the Hessian at Newton's optimum.

    Precondition: an L2 penalty reg in {0.01, 0.1, 1} (J strictly convex in the
    weights, so the optimum is unique); two or three classes (LogisticRegression or
    SoftmaxRegression), up to 10 rows.
    Tolerance: both gradients are at most 1e-10, and near the optimum ``theta - theta* =
    H^{-1} g`` to first order, so each parameter is within ``||H^{-1}||_inf 1e-10`` of the
    optimum (the second-order term is smaller by a further factor of the gradient).
    """
    X, y = data
    binary = len(set(y)) == 2
    fits = []
    for solver in ("newton", "lbfgs"):
        model = (LogisticRegression if binary else SoftmaxRegression)(solver=solver, reg=reg, tol=1e-10,
                                                                       epochs=5000)
        try:
            model.fit(X, y)
        except SingularMatrixError:
            assume(False)
        assert model.converged_, (solver, model.stop_reason_)
        fits.append(model)
    newton, lbfgs = fits
    problem = make_problem(X, y, reg=reg) if binary else make_softmax_problem(X, y, reg=reg)
    H_inverse = inverse_spd(problem.hessian(problem.at(_problem_theta(problem, newton, binary))))
    bound = max(sum(abs(v) for v in row) for row in H_inverse) * 2e-10 + 1e-12
    gaps = [abs(a - b) for a, b in zip(_problem_theta(problem, lbfgs, binary), _problem_theta(problem, newton, binary))]
    assert max(gaps) <= bound


def _problem_theta(problem, model, binary):
    """The model's parameters in the problem's order (intercept first, class by class)."""
    if binary:
        return [model.intercept_] + model.coef_
    return problem.pack(model.coef_, model.intercept_)


# ------------------------------------------------------------- solver="auto" by size

@at_least(50)
@given(st.integers(1, 80), st.integers(2, 8), st.sampled_from(["l2", "l1", "elasticnet", "firth"]))
def test_auto_is_newton_while_the_hessian_is_cheap_and_lbfgs_beyond(d, k, penalty):
    """Law: ``auto_solver`` for ``d`` features and ``k`` classes is coordinate descent for an
    L1 part, Newton's method for Firth's penalty, and for L2 Newton's method exactly
    when ``p = (d + 1)(k - 1) <= NEWTON_MOST_PARAMETERS``, L-BFGS beyond; whatever it
    chooses, the solver table fits (no refusal, for Firth's penalty with two classes).

    Precondition: any size; l1_ratio 0.5 for the elastic net. Exact.
    """
    l1_ratio = 0.5 if penalty == "elasticnet" else None
    chosen = auto_solver(penalty, l1_ratio, n_features=d, n_classes=k)
    p = (d + 1) * (k - 1)
    expected = {"l1": "cd", "elasticnet": "cd", "firth": "newton"}.get(
        penalty, "newton" if p <= NEWTON_MOST_PARAMETERS else "lbfgs")
    assert parameter_count(d, k) == p and chosen == expected
    assert solver_refusal(chosen, penalty, l1_ratio, n_classes=2 if penalty == "firth" else k) == ""


def test_without_a_size_auto_is_what_it_was():
    assert (auto_solver("l2"), auto_solver("l1"), auto_solver("firth")) == ("newton", "cd", "newton")


def test_the_estimators_choose_by_the_problems_size(monkeypatch):
    """The estimators hand ``auto_solver`` the problem's size: 5 classes of 10 features (44
    parameters) go to L-BFGS, 3 classes of 4 to Newton's method."""
    from logreg_pure.part4_estimators import estimator

    made = []
    real = estimator.make_rule
    monkeypatch.setattr(estimator, "make_rule", lambda solver, params: made.append(solver) or real(solver, params))
    rows = [[((i * 7 + j * 3) % 11) / 5.0 - 1.0 for j in range(10)] for i in range(40)]
    SoftmaxRegression(reg=0.1).fit(rows, [i % 5 for i in range(40)])
    SoftmaxRegression(reg=0.1).fit([row[:4] for row in rows], [i % 3 for i in range(40)])
    LogisticRegression(reg=0.1).fit(rows, [i % 2 for i in range(40)])
    assert made == ["lbfgs", "newton", "newton"]


def test_the_command_line_offers_the_tables_solvers_and_chooses_as_the_estimators(tmp_path, capsys):
    """--solver's choices are the table's rows (and auto); --solver auto on 5 classes of 10
    features fits by L-BFGS, as SoftmaxRegression does."""
    from logreg_pure.part6_command_line.cli import build_parser

    fit = [a for a in build_parser()._subparsers._group_actions[0].choices["fit"]._actions if "--solver" in
           a.option_strings][0]
    assert tuple(fit.choices) == ("auto",) + tuple(SOLVER_TABLE)
    data = tmp_path / "wide.csv"
    lines = [",".join(f"x{j}" for j in range(10)) + ",label"]
    lines += [",".join(str(((i * 7 + j * 3) % 11) / 5.0 - 1.0) for j in range(10)) + f",c{i % 5}" for i in range(40)]
    data.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["fit", str(data), "--target", "label", "--model", str(tmp_path / "m.json"), "--reg", "0.1"]) == 0
    assert "Solver lbfgs: converged" in capsys.readouterr().out


# ------------------------------------------------ the lead's merge: a default that works at any size

def badly_scaled(seed, d=45, n=300):
    """d columns whose scales run from 1 to 1e3 (raw, unstandardized features), labels from
    a few of them plus noise: more than 40 parameters, so solver='auto' takes L-BFGS."""
    rng = random.Random(seed)
    scales = [10.0 ** (3 * j / (d - 1)) for j in range(d)]
    X = [[rng.gauss(0, 1) * s for s in scales] for _ in range(n)]
    y = [1 if sum(x[j] / scales[j] for j in range(0, d, 5)) + rng.gauss(0, 2) > 0 else 0 for x in X]
    return X, y


@at_most(4)  # three fits of 300 x 45 each: about 0.3 s
@given(st.integers(0, 2 ** 32 - 1))
@example(1)  # L-BFGS alone stops at 100 iterations here, with the largest gradient component 3.2
def test_auto_reaches_the_optimum_where_lbfgs_stops_short(seed):
    """Law: solver='auto' fits badly scaled columns (scales from 1 to 1e3) of more than 40
    parameters, where it chooses L-BFGS, to Newton's own optimum: where L-BFGS runs out
    of iterations, auto goes on by Newton's method from where it stopped (Newton's steps
    do not depend on the scales). Precondition: a penalty (reg = 0.01), so the optimum
    exists; the Hessian fits in memory. Tolerance: both fits stop at a gradient of 1e-6,
    and the penalized J's curvature is at least reg, so the parameters agree to 1e-4
    (1e-6 / 0.01)."""
    X, y = badly_scaled(seed)
    auto = LogisticRegression(reg=0.01, epochs=100).fit(X, y)
    newton = LogisticRegression(solver="newton", reg=0.01, epochs=100).fit(X, y)
    assert auto.converged_ and newton.converged_
    assert max(abs(a - b) for a, b in zip([auto.intercept_] + auto.coef_, [newton.intercept_] + newton.coef_)) <= 1e-4

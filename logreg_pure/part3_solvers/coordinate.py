"""Chapter 16. Coordinate descent: glmnet's algorithm for the L1 and elastic-net penalties.

Proximal gradient descent (chapter 15) handles ``|w|`` correctly but slowly: it moves
every weight a small step at a time. Friedman, Hastie and Tibshirani (2010, "Regularization
paths for generalized linear models via coordinate descent") made the L1 penalty fast
with two ideas, and this chapter is their method in plain Python:

1. **A quadratic approximation.** At the current point ``theta`` J's smooth part ``f``
   (the mean loss and the L2 term) is replaced by its second-order Taylor model,

       f(theta + delta) ~ f(theta) + g . delta + (1/2) delta^T H delta,

   with ``g`` the gradient and ``H = sum_i v_i x1_i x1_i^T + l2 I_w`` the Hessian; the
   weights ``v_i = s_i p_i (1 - p_i) / S`` are those of iteratively reweighted least
   squares. (glmnet writes the same model as a weighted least-squares problem on a
   "working response"; the two are the same quadratic.) The rule asks the problem
   only for its curvature at the point and for single columns of ``H`` (chapter 10's
   ``HasCurvature``), never what the curvature is made of.
2. **One coordinate at a time.** With every other coordinate held fixed, the model plus
   ``l1 |u|`` is a parabola plus a kink in one variable ``u``, whose minimum is exact:

       u <- soft_threshold(H_jj u - G_j, l1) / H_jj,

   where ``G_j`` is the model's gradient at the current ``u``. A weight whose ``|G_j|``
   is at most ``l1`` stays at exactly 0; an intercept is never penalized, so it takes
   the plain Newton step ``u - G_j / H_jj``.

**K classes.** Nothing above depends on there being one weight per feature: for
softmax regression (chapter 11) ``theta`` holds every free class's intercept and weights,
and the problem's ``penalized`` says which components are weights. The quadratic model
is then the *full* K-class one, its Hessian's blocks between classes included, and the
coordinates run over all classes' weights. glmnet's multinomial fit is a *partial*
Newton method instead (Friedman, Hastie and Tibshirani 2010, section 4): a quadratic
model in one class's parameters at a time, the other classes held where they are,
cycling over the classes. With the full model this rule stays exactly the two-class
rule, and each step is a damped Newton step on the exact quadratic model, with its
fast convergence near the optimum; the price is that a column of the Hessian costs a
pass over the rows for each class it reaches, not one. Both reach the same optimum
(tests/test_interop_softmax.py checks it against scikit-learn's saga).

Which coordinates move in a step? The *active set*: the intercept, the non-zero
weights, and each zero weight whose optimality condition fails at ``theta``
(``|g_j| > l1``). The others stay at 0 for this step, and the next point's gradient
checks them again, so a weight that should enter does. For the active coordinates
only, the Hessian's entries are computed ("covariance updates"): the model's gradient
along ``j`` is ``G_j = g_j + sum_k H_jk delta_k`` over the active ``k``, with ``delta``
the move so far. A sparse fit computes a few of the Hessian's entries, not all.

The inner loop sweeps over every active coordinate, then over the non-zero ones until
they settle, then over every active one again, until a sweep moves nothing by more
than a tolerance (a share of how far ``theta`` is from optimal: loose far away, tight
near the optimum). Its result is the model's minimizer; one *step* of the rule moves
``theta`` there. Far from the optimum the model can be poor and the full step can
raise J, so the step is halved until J does not rise, as Newton's is (chapter 15):
this is a descent rule.

The rule stops by its own measure of optimality. At the optimum of
``J = f + l1 ||w||_1`` the conditions (the subgradient of J contains 0) are

    g_0 = 0;   g_j + l1 sign(w_j) = 0 where w_j != 0;   |g_j| <= l1 where w_j = 0,

(the intercepts' conditions for every class), and ``optimality_violation`` is the
largest amount by which any of them fails.

Public names: ``CoordinateDescent`` (the rule), ``optimality_violation``.
"""

import math
from typing import List, Optional, Sequence

from ..part1_mathematics.vectors import Vector, dot, subtract, total
from ..part2_problem.driver import RESOLVABLE
from ..part2_problem.problem import HasCurvature, Point, Problem
from .solvers import BaseRule, first_descending_step, soft_threshold

__all__ = ["CoordinateDescent", "optimality_violation"]

# The inner loop stops when no sweep moves the model's gradient by more than
# v * min(INNER_FRACTION, sqrt(v)), v the violation at theta: the forcing term of an
# inexact Newton method, loose far from the optimum and ever tighter near it.
INNER_FRACTION = 1e-2
MAX_CYCLES = 1000  # sweeps of the inner loop per step: plenty for standardized data


def coordinate_violation(g: float, w: float, l1: float) -> float:
    """How far one penalized weight is from its optimality condition.

    ``|g + l1 sign(w)|`` where ``w != 0``; ``max(|g| - l1, 0)`` where ``w = 0`` (the kink
    absorbs any gradient up to ``l1``).

    >>> coordinate_violation(-0.5, 2.0, 0.5), coordinate_violation(0.3, 0.0, 0.5)
    (0.0, 0.0)
    >>> coordinate_violation(0.75, 0.0, 0.5)
    0.25
    """
    if w > 0.0:
        return abs(g + l1)
    if w < 0.0:
        return abs(g - l1)
    return max(abs(g) - l1, 0.0)


def optimality_violation(problem: Problem, point: Point) -> float:
    """The largest violation of the elastic-net optimality conditions at ``point``.

    ``point.gradient`` is the gradient of the smooth part (loss and L2 term); an
    intercept's condition is ``g_j = 0``. Zero exactly at the optimum of J; with no L1
    part it is the largest gradient component, the measure of the other rules.
    """
    worst = 0.0
    for gj, tj, penalized in zip(point.gradient, point.theta, problem.penalized):
        worst = max(worst, coordinate_violation(gj, tj, problem.l1) if penalized else abs(gj))
    return worst


class QuadraticModel:
    """J's quadratic model at a point, minimized one coordinate at a time over an active set.

    ``theta`` is the model's current point ``u``. The coordinates it moves, ``active``,
    are the intercepts, the non-zero weights and every zero weight whose condition
    ``|g_j| <= l1`` fails at the point; the others stay at zero for this step (the next
    point's gradient checks them again). For the active coordinates it keeps the
    point's gradient ``g``, the move so far ``delta = u - theta`` and the Hessian's
    entries between them, ``gram[a][b] = H[active[a]][active[b]]``, so that the model's
    gradient along coordinate number ``a`` is ``g[a] + gram[a] . delta``.
    """

    def __init__(self, problem: Problem, point: Point) -> None:
        self.problem = problem
        self.penalized = problem.penalized
        self.v = problem.curvature_weights(point)
        self.origin: Vector = list(point.theta)
        self.theta: Vector = list(point.theta)
        self.active: List[int] = []
        self.g: Vector = []
        self.delta: Vector = []
        self.gram: List[Vector] = []
        for j, (g, t) in enumerate(zip(point.gradient, point.theta)):
            if not self.penalized[j] or t != 0.0 or abs(g) > problem.l1:
                self.enter(j, g)

    def enter(self, j: int, g: float) -> None:
        """Make coordinate ``j`` active; ``g`` is J's gradient along it at the point."""
        column = self.problem.hessian_column(self.v, j, self.active + [j])
        for existing, h in zip(self.gram, column):
            existing.append(h)  # the Hessian is symmetric: H[k][j] = H[j][k]
        self.gram.append(column)
        self.active.append(j)
        self.g.append(g)
        self.delta.append(0.0)

    def update(self, a: int) -> float:
        """Minimize the model over active coordinate number ``a`` alone; return
        ``H_jj |change|``, the size of the move in units of the gradient."""
        j, row = self.active[a], self.gram[a]
        u, h = self.theta[j], row[a]
        slope = self.g[a] + dot(row, self.delta)  # the model's gradient along j at u
        if not h > 0.0:
            new = _flat_minimizer(self.penalized[j], u, slope, self.problem.l1)
        elif not self.penalized[j]:
            new = u - slope / h
        else:
            new = soft_threshold(h * u - slope, self.problem.l1) / h
        self.theta[j] = new
        self.delta[a] = new - self.origin[j]
        return h * abs(new - u)

    def sweep(self, positions: Sequence[int]) -> float:
        """One cycle over the active coordinates at ``positions``; the largest move."""
        largest = 0.0
        for a in positions:
            largest = max(largest, self.update(a))
        return largest

    def _moves(self, a: int) -> bool:
        """Is active coordinate number ``a`` an intercept or a non-zero weight?"""
        j = self.active[a]
        return not self.penalized[j] or self.theta[j] != 0.0

    def minimize(self, tol: float, max_cycles: int = MAX_CYCLES) -> Vector:
        """Sweeps over every active coordinate, each followed by sweeps over the non-zero
        ones until they settle, until a sweep over all of them moves nothing beyond ``tol``."""
        everything = range(len(self.active))
        cycles = 0
        while cycles < max_cycles:
            cycles += 1
            if self.sweep(everything) <= tol:
                break
            moving = [a for a in everything if self._moves(a)]
            while cycles < max_cycles:
                cycles += 1
                if self.sweep(moving) <= tol:
                    break
        return self.theta


def _flat_minimizer(penalized: bool, u: float, slope: float, l1: float) -> float:
    """Where the model goes along a coordinate with no curvature (a column of zeros, or
    rows of weight 0): it is the line ``slope (u' - u)`` plus ``l1 |u'|``. For a weight
    (a ``penalized`` coordinate) whose ``|slope| <= l1`` the kink at 0 is its minimum (with
    no penalty and no slope, every value is, and 0 is the smallest); otherwise it has
    none, and ``u`` stays."""
    return 0.0 if penalized and abs(slope) <= l1 else u


def l1_norm(theta: Sequence[float], penalized: Sequence[bool]) -> float:
    """``||w||_1``: the sum of the penalized components' absolute values (no intercept)."""
    return total(abs(t) for t, weight in zip(theta, penalized) if weight)


class CoordinateDescent(BaseRule):
    """One step: minimize J's quadratic model at ``theta`` by coordinate cycles, then move
    there, halving the step while J would rise (the intercepts unpenalized throughout)."""

    name = "coordinate descent"
    solver = "cd"
    asks = (HasCurvature,)

    def optimality(self, problem: Problem, point: Point) -> float:
        return optimality_violation(problem, point)

    def step(self, problem: Problem, point: Point) -> Optional[Point]:
        model = QuadraticModel(problem, point)
        violation = optimality_violation(problem, point)
        inner_tol = violation * min(INNER_FRACTION, math.sqrt(violation))
        target = model.minimize(inner_tol)
        return _damped_step(problem, point, target)

    def divergence_advice(self, problem: Problem) -> str:
        return "The log-odds left the floating-point range: standardize the features"


def _damped_step(problem: Problem, point: Point, target: Sequence[float]) -> Optional[Point]:
    """Move towards ``target``: the full step, or the first of its halvings that does not raise J.

    The model predicts a change of ``g . delta + l1 (||w + delta_w||_1 - ||w||_1)`` at
    first order; when that is below what J's rounding can resolve we are at the
    optimum to within floating point, and the step is taken unchecked (as Newton's).
    """
    delta = subtract(target, point.theta)
    penalized = problem.penalized
    predicted = dot(point.gradient, delta) + problem.l1 * (l1_norm(target, penalized) - l1_norm(point.theta, penalized))
    if abs(predicted) <= RESOLVABLE * (1.0 + abs(point.objective)):
        return problem.at(target)
    return first_descending_step(problem, point, delta)

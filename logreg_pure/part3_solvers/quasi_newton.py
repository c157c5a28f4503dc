"""Chapter 15, continued. L-BFGS: Newton's direction from curvature learned out of gradients.

Newton's method (above) computes the Hessian ``H`` at every step and solves
``H delta = grad J``: ``n p^2 / 2`` multiply-adds for ``p`` parameters and ``n`` rows,
then ``p^3 / 6`` for the solve. With a few features that is cheap; with hundreds, or
with K classes (``p = (K - 1)(d + 1)``), it is most of the fit. A quasi-Newton method
never forms ``H``. It *learns* the curvature from what it has anyway: each step ``s``
and the change of the gradient it caused, ``y = grad J(theta + s) - grad J(theta)``.
For a quadratic ``J``, ``y = H s`` exactly, so every pair ``(s, y)`` is one equation
about ``H``. BFGS keeps an approximation ``B_k`` of ``H^{-1}`` that satisfies the newest
equation, the *secant condition* ``B_{k+1} y_k = s_k``, and changes as little as possible
otherwise:

    B_{k+1} = (I - rho_k s_k y_k^T) B_k (I - rho_k y_k s_k^T) + rho_k s_k s_k^T,
    rho_k = 1 / (y_k . s_k).

**Limited memory.** L-BFGS (Nocedal, 1980; Liu and Nocedal, 1989), the method of
scikit-learn's default solver and of Spark MLlib, keeps only the last ``m`` pairs and
starts each time from ``B_0 = gamma I``, ``gamma = s . y / y . y`` of the newest pair (the
curvature's scale along the last step). It never writes ``B`` down either: the
*two-loop recursion* (``two_loop``) applies ``B`` to the gradient in ``4 m p``
multiply-adds, the same vector the matrix formula gives (a law checks it on small
problems). A step then costs one gradient (``n p``) and the line search's few more.

**The line search.** The step along ``d = -B grad J`` is ``t d`` with ``t`` chosen to meet
the *strong Wolfe conditions* (``wolfe_step``; Nocedal and Wright, *Numerical
Optimization*, algorithms 3.5 and 3.6), with ``c1 = 1e-4`` and ``c2 = 0.9``:

- sufficient decrease: ``J(theta + t d) <= J(theta) + c1 t grad J(theta) . d``, up to
  J's rounding (``RESOLVABLE``, chapter 14: closer than that, J values cannot be told
  apart, and near the optimum every step is that close);
- curvature: ``|grad J(theta + t d) . d| <= c2 |grad J(theta) . d|``: the slope along
  ``d`` has flattened enough, so the step was not needlessly short.

The curvature condition is what makes ``y . s > 0``: each pair adds positive curvature,
``B`` stays positive definite and every direction descends. ``t = 1`` is tried first
(with good curvature it is the Newton-like step and usually accepted); a slope still
steep doubles ``t``; a rise, or a slope that has changed sign, brackets the step,
which ``zoom`` narrows by safeguarded quadratic interpolation. Near the optimum J's
changes fall below its rounding; a "rise" must then exceed that rounding (``rises``),
so that the slopes, still exact to many digits, decide where J's values cannot.

**Memory** ``m`` is the rule's option, ``LBFGS(memory=10)``: the estimators use 10, the
default of scikit-learn (SciPy's ``maxcor``) and of Spark MLlib (``numCorrections``),
and, like scikit-learn's ``LogisticRegression``, do not expose it.

L-BFGS fits the smooth penalties only (``SOLVER_TABLE``'s row ``"lbfgs"``: L2 or none,
any number of classes): ``|w|`` has no gradient at 0, and Firth's penalty is fitted
by Newton's method. ``solver="auto"`` (``auto_solver``, above) chooses it for an L2 fit
once the Hessian is no longer cheap.
"""

from collections import deque
from typing import Deque, Optional, Sequence, Tuple

from ..part1_mathematics.vectors import Vector, add, dot, scale, subtract
from ..part2_problem.driver import RESOLVABLE
from ..part2_problem.problem import Point, Problem
from .solvers import BaseRule, _evaluated

__all__ = ["LBFGS", "MEMORY", "WOLFE_C1", "WOLFE_C2", "two_loop", "wolfe_step"]

MEMORY = 10  # the pairs (s, y) kept: SciPy's maxcor, Spark MLlib's numCorrections
WOLFE_C1 = 1e-4  # sufficient decrease: a tenth of a thousandth of the slope's promise
WOLFE_C2 = 0.9  # curvature: the slope must flatten by a tenth (the usual choice for quasi-Newton)
MOST_TRIALS = 40  # line-search trials: 2**-40 of the first bracket is below any useful step

Pair = Tuple[Vector, Vector, float]  # (s, y, rho = 1 / (y . s))
Trial = Tuple[float, Point]  # a step length t and the point theta + t d


def two_loop(pairs: Sequence[Pair], gradient: Sequence[float]) -> Vector:
    """``B g``, the inverse BFGS matrix built from ``pairs`` (oldest first) applied to ``g``,
    without forming ``B``: one loop back through the pairs, a scaling by
    ``gamma = s . y / y . y`` of the newest, one loop forward. With no pairs, ``g`` itself.

    >>> two_loop([([1.0, 0.0], [2.0, 0.0], 0.5)], [4.0, 6.0])  # curvature 2 along s: 4 / 2, 6 / 2
    [2.0, 3.0]
    """
    q = list(gradient)
    alphas = []
    for s, y, rho in reversed(pairs):  # newest first
        alpha = rho * dot(s, q)
        alphas.append(alpha)
        q = subtract(q, scale(alpha, y))
    if pairs:
        s, y, _ = pairs[-1]
        q = scale(dot(s, y) / dot(y, y), q)  # B_0 = gamma I
    for (s, y, rho), alpha in zip(pairs, reversed(alphas)):  # oldest first
        beta = rho * dot(y, q)
        q = add(q, scale(alpha - beta, s))
    return q


def sufficient_decrease(start: Point, trial: Point, t: float, slope: float) -> bool:
    """``J(theta + t d) <= J(theta) + c1 t slope`` (``slope = grad J . d < 0``), up to J's rounding."""
    return trial.objective <= start.objective + WOLFE_C1 * t * slope + RESOLVABLE * (1.0 + abs(start.objective))


def rises(trial: Point, than: Point) -> bool:
    """Is J at ``trial`` higher than at ``than`` by more than J's rounding? Closer than that
    the values cannot be told apart, and the slopes (exact to far more digits) decide."""
    return trial.objective > than.objective + RESOLVABLE * (1.0 + abs(than.objective))


def flat_enough(trial: Point, direction: Sequence[float], slope: float) -> bool:
    """The strong curvature condition: ``|grad J(theta + t d) . d| <= c2 |slope|``."""
    return abs(dot(trial.gradient, direction)) <= -WOLFE_C2 * slope


def wolfe_step(problem: Problem, point: Point, direction: Sequence[float], t: float = 1.0) -> Optional[Trial]:
    """``(t, theta + t d)`` for a ``t`` meeting the strong Wolfe conditions (``d`` a descent
    direction), trying ``t`` first and doubling it while the slope stays steep; ``None``
    when none is found within ``MOST_TRIALS`` (J and its slope lost in rounding).

    Nocedal and Wright's algorithm 3.5: a trial that fails sufficient decrease, or does
    no better than the last, or where the slope has turned, brackets a step; ``zoom``
    narrows the bracket."""
    slope = dot(point.gradient, direction)
    previous: Trial = (0.0, point)
    for _ in range(MOST_TRIALS):
        trial = _evaluated(problem, add(point.theta, scale(t, direction)))
        if trial is None or not sufficient_decrease(point, trial, t, slope) or (
                previous[0] > 0.0 and rises(trial, previous[1])):
            return zoom(problem, point, direction, previous, (t, trial))
        if flat_enough(trial, direction, slope):
            return t, trial
        if dot(trial.gradient, direction) >= 0.0:  # past the minimum along d
            return zoom(problem, point, direction, (t, trial), previous)
        previous, t = (t, trial), 2.0 * t
    return None


def zoom(problem: Problem, point: Point, direction: Sequence[float], low: Trial,
         high: Tuple[float, Optional[Point]]) -> Optional[Trial]:
    """Nocedal and Wright's algorithm 3.6: ``low`` meets sufficient decrease with the least
    J so far, and the minimum along ``d`` lies between ``low`` and ``high``; try a ``t``
    between them, keep the half that still brackets it, until a ``t`` meets both
    conditions. ``None`` after ``MOST_TRIALS`` trials."""
    slope = dot(point.gradient, direction)
    for _ in range(MOST_TRIALS):
        t = _between(low, high, direction)
        trial = _evaluated(problem, add(point.theta, scale(t, direction)))
        if trial is None or not sufficient_decrease(point, trial, t, slope) or rises(trial, low[1]):
            high = (t, trial)
            continue
        if flat_enough(trial, direction, slope):
            return t, trial
        if dot(trial.gradient, direction) * (high[0] - low[0]) >= 0.0:
            high = low
        low = (t, trial)
    return None


def _between(low: Trial, high: Tuple[float, Optional[Point]], direction: Sequence[float]) -> float:
    """The minimizer of the quadratic through J and its slope at ``low`` and J at ``high``,
    kept within the middle 80% of the bracket (bisection when ``high`` has no J)."""
    (a, at_a), (b, at_b) = low, high
    width = b - a
    if at_b is None:
        return a + width / 2.0
    slope = dot(at_a.gradient, direction)
    curvature = at_b.objective - at_a.objective - slope * width  # (J_b - J_a - J'_a width) = c width^2
    t = a - slope * width * width / (2.0 * curvature) if curvature > 0.0 else a + width / 2.0
    inner = sorted((a + 0.1 * width, a + 0.9 * width))  # the bracket may run either way from low
    return min(max(t, inner[0]), inner[1])


class LBFGS(BaseRule):
    """``theta <- theta + t d``, ``d = -B grad J`` by the two-loop recursion over the last
    ``memory`` pairs ``(s, y)``, ``t`` meeting the strong Wolfe conditions.

    Raises ``ValueError`` for a ``memory`` that is not a whole number >= 1."""

    name = "L-BFGS"
    solver = "lbfgs"
    asks = ()  # J and its gradient: nothing more

    def __init__(self, memory: int = MEMORY) -> None:
        if isinstance(memory, bool) or not isinstance(memory, int) or memory < 1:
            raise ValueError(f"memory must be a whole number >= 1 (the pairs (s, y) L-BFGS keeps; "
                             f"{MEMORY} is usual), got {memory!r}")
        self.memory = memory
        self.pairs: Deque[Pair] = deque(maxlen=memory)
        self._last: Optional[Point] = None  # the point this rule returned last
        self.last_step: Optional[Tuple[float, Vector]] = None  # its t and d, for the laws to check

    def step(self, problem: Problem, point: Point) -> Optional[Point]:
        if point is not self._last:  # a new fit (or a warm start): old curvature is for another point
            self.pairs.clear()
        direction = scale(-1.0, two_loop(list(self.pairs), point.gradient))
        if not dot(direction, point.gradient) < 0.0:  # rounding spoiled B: start again from -grad J
            self.pairs.clear()
            direction = scale(-1.0, point.gradient)
            if not dot(direction, point.gradient) < 0.0:  # ||grad J||^2 underflows: as close as floats allow
                return None
        found = wolfe_step(problem, point, direction)
        if found is None:
            return None
        t, following = found
        self._remember(point, following)
        self._last, self.last_step = following, (t, direction)
        return following

    def _remember(self, point: Point, following: Point) -> None:
        """Keep the pair ``(s, y)`` of this step when it adds positive curvature (the
        curvature condition guarantees ``y . s > 0``; rounding may not)."""
        s = subtract(following.theta, point.theta)
        y = subtract(following.gradient, point.gradient)
        curvature = dot(y, s)
        if curvature > 0.0:
            self.pairs.append((s, y, 1.0 / curvature))

    def divergence_advice(self, problem: Problem) -> str:
        # Every accepted step lowers J: only log-odds beyond the float range end here.
        return "The log-odds left the floating-point range: standardize the features"

"""Chapter 15. Solvers: four update rules for walking downhill on J (and a fifth in chapter 16).

Each solver is a rule that takes the current point ``theta`` (intercept first, with
J and its gradient) and proposes the next; the loop around it, with its history,
stop rules and divergence checks, is chapter 14's ``iterate``. Read each rule next
to its formula:

- ``GradientDescent``: ``theta <- theta - lr * grad J(theta)``. The original
  algorithm: with ``tol = 0`` it repeats the original class's iterates.
- ``ProximalGradient``: for an L1 penalty, a gradient step on the smooth part, then
  each weight soft-thresholded by ``lr * reg``: small weights become exactly 0.
- ``Newton``: ``theta <- theta - t H^{-1} grad J``, with the step ``t`` halved until
  J decreases. Near the optimum ``t = 1`` and the number of correct digits roughly
  doubles per step: about ten steps to the exact optimum.
- ``StochasticGradientDescent``: one pass over shuffled mini-batches per step, each
  batch's gradient an unbiased estimate of J's, with a decaying step size.

``solve`` runs a rule through the loop and then settles, in one place, what the fit
means. Without a penalty: are the data separated, so that no finite optimum exists
(complete *or* quasi-complete separation)? Newton's step from the final point
settles "no" at the cost of one Hessian (chapter 9's certificate); when it cannot,
the linear program of chapter 9 decides, and names the parameters whose estimates
are infinite. For an unfinished fit: do the columns' scales explain the slow
progress?

Chapter 16 adds coordinate descent, glmnet's fast method for L1 and elastic-net
penalties, as a fifth rule (``solver="cd"``).

**Which solver fits which penalty.** Newton's method needs a Hessian, which ``|w|``
does not have at 0; SGD's noisy steps never settle a weight at exactly 0; Firth's
penalty is fitted by Newton's method, as in ``logistf``, and only for two classes.
``SOLVER_TABLE`` says this once, as data: a row per solver, a column per kind of
penalty (``penalty_kind``), a cell the most classes the pair fits. Every rule's
``check``, both estimators (chapter 17) and the command line (chapter 35) read it, and
``solver_refusal`` turns a missing cell into a sentence with the cure. The default,
``solver="auto"``, is ``auto_solver``: Newton's method, about ten steps to the optimum,
or coordinate descent for a penalty with an L1 part.

What a rule asks of a problem is declared too (``asks``, chapter 10's protocols):
gradient descent a safe step (its advice quotes one when its own step was too
large), Newton's method the Hessian, SGD the gradient of a few rows. The loop checks
them before the first step (chapter 14).
"""

import math
import random
from dataclasses import replace
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

from ..part1_mathematics.errors import SingularMatrixError
from ..part1_mathematics.linalg import check_matrix_memory, solve_spd
from ..part1_mathematics.loss import penalty_split
from ..part1_mathematics.vectors import Vector, add, dot, max_abs, population_std, scale, subtract, transpose
from ..part2_problem.driver import FitResult, Progress, RESOLVABLE, iterate
from ..part2_problem.problem import HasBatchGradient, HasHessian, HasSafeStep, Point, Problem
from ..part2_problem.separation import Separation, detect_separation, newton_step_certifies

__all__ = [
    "ANY",
    "BaseRule",
    "GradientDescent",
    "Newton",
    "ProximalGradient",
    "SOLVERS",
    "SOLVER_TABLE",
    "StochasticGradientDescent",
    "auto_solver",
    "penalty_kind",
    "python_spelling",
    "scale_spread",
    "separation_verdict",
    "sgd_learning_rate",
    "soft_threshold",
    "solve",
    "solver_refusal",
]

SCALE_SPREAD = 1e3  # column scales further apart than this slow gradient descent badly
MAX_HALVINGS = 60  # 2**-60 is below the float spacing of any step worth taking
PROBE_RIDGE = 1e-9  # the K-class separation probe's penalty: invertible Hessians, weights free to grow

# ------------------------------------------------------------- which solver fits which penalty

ANY = None  # any number of classes

# The one table of which solver fits which penalty, and for how many classes. A penalty is
# "l2" when it has no L1 part (L2, or none), "l1" when it has one ("l1", or "elasticnet"
# with l1_ratio > 0), or "firth". A cell holds the most classes the pair fits (ANY: any
# number); a missing cell is a pair that cannot be fitted. Every rule's check, both
# estimators and the command line read it; nothing else restates it.
SOLVER_TABLE: Dict[str, Dict[str, Optional[int]]] = {
    "newton": {"l2": ANY, "firth": 2},  # Firth's problem (chapter 12) has two classes
    "cd": {"l2": ANY, "l1": ANY},  # coordinate descent (chapter 16): glmnet's, for an L1 part
    "gd": {"l2": ANY, "l1": ANY},  # gradient descent; proximal gradient for an L1 part
    "sgd": {"l2": ANY},
}
SOLVERS = tuple(SOLVER_TABLE)
# Why a cell is missing, or limited to a few classes: the reasons the refusals give.
WHY_NOT = {"l1": "|w| has no derivative at 0", "firth": "Firth's penalty is fitted by Newton's method, "
                                                         "as in logistf"}
WHY_SO_FEW = {"firth": "Firth's problem, chapter 12, has no K-class form"}
NUMBERS = {2: "two"}


def penalty_kind(penalty: str, l1_ratio: Optional[float] = None, reg: float = 1.0) -> str:
    """The column of ``SOLVER_TABLE`` a penalty falls in: ``"firth"``, ``"l1"`` (an L1 part,
    ``reg * l1_ratio > 0``) or ``"l2"``.

    >>> penalty_kind("elasticnet", 0.5), penalty_kind("elasticnet", 0.0), penalty_kind("l1", reg=0.0)
    ('l1', 'l2', 'l2')
    """
    if penalty == "firth":
        return "firth"
    return "l1" if penalty_split(reg, penalty, l1_ratio)[0] > 0.0 else "l2"


def auto_solver(penalty: str, l1_ratio: Optional[float] = None) -> str:
    """What ``solver="auto"`` means: Newton's method (about ten steps to the optimum, chapter
    15), or coordinate descent (chapter 16) for a penalty with an L1 part, which Newton's
    method cannot fit.

    >>> auto_solver("l2"), auto_solver("firth"), auto_solver("elasticnet", 0.5)
    ('newton', 'newton', 'cd')
    """
    return "cd" if penalty_kind(penalty, l1_ratio) == "l1" else "newton"


def python_spelling(option: str, value: Any) -> str:
    """An option as a Python keyword argument: ``solver='cd'``."""
    return f"{option}={value!r}"


def solver_refusal(solver: str, penalty: str, l1_ratio: Optional[float] = None, *,
                   n_classes: Optional[int] = 2, reg: float = 1.0,
                   spell: Callable[[str, Any], str] = python_spelling) -> str:
    """Why ``SOLVER_TABLE`` refuses ``solver`` for this penalty and ``n_classes`` classes
    (``None``: a model of any number of classes), with the cure; ``""`` when it does not.
    ``spell`` writes an option as the caller's user typed it. Raises ``ValueError`` for a
    solver that is not in the table and for a penalty ``penalty_split`` refuses.

    >>> solver_refusal("newton", "l1")
    "solver='newton' cannot fit penalty='l1' (|w| has no derivative at 0); use solver='cd' or solver='gd'"
    >>> solver_refusal("cd", "elasticnet", 0.5, n_classes=3)
    ''
    >>> solver_refusal("newton", "firth", n_classes=3)
    "penalty='firth' is for two classes (Firth's problem, chapter 12, has no K-class form), not 3"
    """
    if solver not in SOLVER_TABLE:
        raise ValueError(f"solver must be one of {', '.join(map(repr, SOLVERS))}, got {solver!r}")
    kind = penalty_kind(penalty, l1_ratio, reg)
    row = SOLVER_TABLE[solver]
    if kind not in row:
        able = " or ".join(spell("solver", other) for other, cells in SOLVER_TABLE.items() if kind in cells)
        return f"{spell('solver', solver)} cannot fit {spell('penalty', penalty)} ({WHY_NOT[kind]}); use {able}"
    most = row[kind]
    if most is not None and (n_classes is None or n_classes > most):
        many = "a model of any number of classes" if n_classes is None else f"{n_classes}"
        return (f"{spell('penalty', penalty)} is for {NUMBERS.get(most, most)} classes "
                f"({WHY_SO_FEW[kind]}), not {many}")
    return ""


class BaseRule:
    """What every rule shares (chapter 14's ``Rule``): a descent method, measured by its
    largest gradient component, that asks nothing beyond J and its gradient, and fits
    the penalties of its row of ``SOLVER_TABLE`` (``solver``)."""

    name = "a solver"
    solver = ""  # its row of SOLVER_TABLE
    descent = True  # each step should lower J: a rise means divergence
    asks: Tuple[type, ...] = ()  # chapter 10's groups of questions beyond HasObjective

    def optimality(self, problem: Problem, point: Point) -> float:
        """How far from optimal: the largest component of J's gradient (0 at the optimum)."""
        return max_abs(point.gradient)

    def check(self, problem: Problem) -> None:
        """Refuse, with ``ValueError``, a problem whose penalty (or number of classes) this
        rule's row of ``SOLVER_TABLE`` does not fit."""
        reason = solver_refusal(self.solver, problem.penalty, problem.l1_ratio, n_classes=problem.n_classes,
                                reg=problem.reg)
        if reason:
            raise ValueError(reason)

    def divergence_advice(self, problem: Problem) -> str:
        return "Standardize the features, or use solver='newton'"


class GradientDescent(BaseRule):
    """``theta <- theta - lr * grad J(theta)``, the whole of the original algorithm."""

    name = "gradient descent"
    solver = "gd"
    asks = (HasSafeStep,)  # its advice, when lr was too large, quotes the safe step

    def __init__(self, lr: float) -> None:
        self.lr = lr

    def step(self, problem: Problem, point: Point) -> Point:
        return problem.at(subtract(point.theta, scale(self.lr, point.gradient)))

    def check(self, problem: Problem) -> None:
        super().check(problem)
        if problem.l1 > 0.0:
            raise ValueError("plain gradient descent cannot follow |w|, which has no gradient at 0; "
                             "use ProximalGradient (solver='gd' chooses it for penalty='l1')")

    def divergence_advice(self, problem: Problem) -> str:
        newton = ", or use solver='newton'" if problem.safe_step() > 0.0 else ""  # Newton overflows too
        return _step_advice(self.lr, problem) + newton


def _step_advice(lr: float, problem: Problem) -> str:
    safe = problem.safe_step()
    if not safe > 0.0:
        return _overflow_advice(problem)
    return (f"The step lr={lr:g} is too large for these data: lr <= {safe:.3g} "
            f"is guaranteed to lower J (4 / (mean ||(1, x)||^2 + 4 reg)). Or standardize the "
            f"features{_spread_clause(problem)}")


def _overflow_advice(problem: Problem) -> str:
    """The cause when the rows' squared lengths overflow: no step size can help."""
    return ("The features are too large for floating point: the squared lengths ||(1, x)||^2 of the "
            "rows exceed 1e308, so no step size is safe and the log-odds overflow. Standardize the "
            f"features{_spread_clause(problem)}")


def soft_threshold(v: float, threshold: float) -> float:
    """``sign(v) * max(|v| - threshold, 0)``: the proximal map of ``threshold * |v|``.

    >>> soft_threshold(3.0, 1.0), soft_threshold(-0.5, 1.0), soft_threshold(-3.0, 1.0)
    (2.0, 0.0, -2.0)
    """
    if v > threshold:
        return v - threshold
    if v < -threshold:
        return v + threshold
    return 0.0


class ProximalGradient(GradientDescent):
    """``theta <- prox(theta - lr * grad f(theta))``: f is J without its L1 term, and
    the prox soft-thresholds every weight (not the intercept) by ``lr * l1``."""

    name = "proximal gradient descent"

    def _moved(self, problem: Problem, point: Point) -> Vector:
        moved = subtract(point.theta, scale(self.lr, point.gradient))
        shrink = self.lr * problem.l1
        return [soft_threshold(t, shrink) if penalized else t
                for t, penalized in zip(moved, problem.penalized)]

    def step(self, problem: Problem, point: Point) -> Point:
        return problem.at(self._moved(problem, point))

    def optimality(self, problem: Problem, point: Point) -> float:
        """The largest component of ``(theta - prox(theta - lr g)) / lr``, the proximal
        gradient: zero exactly at an L1 optimum, where the gradient need not exist."""
        return max_abs(subtract(point.theta, self._moved(problem, point))) / self.lr

    def check(self, problem: Problem) -> None:
        BaseRule.check(self, problem)  # the row's penalties, L1 parts included: not GradientDescent's refusal

    def divergence_advice(self, problem: Problem) -> str:
        return _step_advice(self.lr, problem)  # Newton cannot take an L1 penalty: not advised


class Newton(BaseRule):
    """``theta <- theta - t * delta`` with ``H delta = grad J``; ``t`` halved until J decreases."""

    name = "Newton's method"
    solver = "newton"
    asks = (HasHessian,)

    def step(self, problem: Problem, point: Point) -> Optional[Point]:
        delta = _newton_direction(problem, point)
        # The predicted decrease of the full step is g . delta / 2. Below what J's
        # rounding can resolve, comparing J values is noise: we are then deep in the
        # region where the full step converges quadratically, so take it unchecked.
        if dot(delta, point.gradient) <= RESOLVABLE * (1.0 + abs(point.objective)):
            return problem.at(subtract(point.theta, delta))
        return first_descending_step(problem, point, scale(-1.0, delta))

    def check(self, problem: Problem) -> None:
        super().check(problem)
        check_matrix_memory(len(problem.parameter_names), "solver='newton'",
                            "use solver='gd' or solver='sgd' (memory in proportion to the data), "
                            "or fewer features (or classes)")

    def divergence_advice(self, problem: Problem) -> str:
        # With step halving J cannot rise: only log-odds beyond the float range end here.
        return f"The log-odds left the floating-point range: standardize the features{_spread_clause(problem)}"


def first_descending_step(problem: Problem, point: Point, direction: Sequence[float]) -> Optional[Point]:
    """``theta + t direction`` for the first ``t`` of 1, 1/2, 1/4, ... at which J does not
    rise (Newton's rule and coordinate descent both damp their steps so); ``None`` when
    no step lowers J at machine precision: as close as floats allow.

    A trial point where J cannot be evaluated (Firth's information matrix singular to
    working precision, where every probability rounds to 0 or 1) is a step too far,
    like one where J rises: it is halved, not a verdict on the fit."""
    t = 1.0
    for _ in range(MAX_HALVINGS):
        candidate = _evaluated(problem, add(point.theta, scale(t, direction)))
        if candidate is not None and candidate.objective <= point.objective:
            return candidate
        t /= 2.0
    return None


def _evaluated(problem: Problem, theta: Vector) -> Optional[Point]:
    """``problem.at(theta)``, or ``None`` where it cannot be evaluated."""
    try:
        return problem.at(theta)
    except SingularMatrixError:
        return None


def _newton_direction(problem: Problem, point: Point) -> Vector:
    """Solve ``H delta = grad J`` by Cholesky, naming the cause when H has no inverse."""
    H = problem.hessian(point)
    if not all(math.isfinite(h) for row in H for h in row):
        raise ValueError("the Hessian overflowed: the features are too large for floating point "
                         "(products of two values exceed 1e308); standardize them first")
    try:
        return solve_spd(H, point.gradient, problem.parameter_names)
    except SingularMatrixError:
        raise SingularMatrixError(_singular_message(problem)) from None


def _singular_message(problem: Problem) -> str:
    """Say which columns make the Hessian singular: constant ones, or exact duplicates."""
    columns = transpose(problem.X)
    found = []
    for j, column in enumerate(columns):
        if min(column) == max(column):
            found.append(f"column {problem.names[j]!r} is constant (the intercept already covers it)")
        else:
            found += [f"column {problem.names[j]!r} duplicates column {problem.names[k]!r}"
                      for k in range(j) if columns[k] == column][:1]
    cause = "; ".join(found) if found else "a column is a linear combination of the others"
    return (f"the Hessian is singular: {cause}. Drop the redundant column(s), "
            f"or set reg > 0 so that every direction is penalized")


def sgd_learning_rate(lr: float, reg: float, t: int, batches_per_epoch: int) -> float:
    """The step size at update ``t`` (counting from 0) for a coordinate penalized by ``reg``.

    With ``reg > 0`` (J is ``reg``-strongly convex in the weights):
    ``lr / (1 + lr * reg * t)``, which is ``1 / (reg * (t + t0))`` with
    ``t0 = 1 / (lr * reg)``: it starts at ``lr`` and decays like ``1/t``, the rate that
    makes SGD converge on strongly convex problems. With ``reg == 0`` (and always for
    the unpenalized intercept, whose curvature comes from the data alone):
    ``lr / sqrt(1 + t / batches_per_epoch)``, the slower decay suited to merely convex
    directions.

    >>> sgd_learning_rate(0.5, 1.0, 2, 10)  # 0.5 / (1 + 0.5 * 2)
    0.25
    >>> sgd_learning_rate(0.5, 0.0, 30, 10)  # 0.5 / sqrt(1 + 3)
    0.25
    """
    if reg > 0.0:
        return lr / (1.0 + lr * reg * t)
    return lr / math.sqrt(1.0 + t / batches_per_epoch)


class StochasticGradientDescent(BaseRule):
    """One step = one pass over shuffled mini-batches: ``theta <- theta - eta_t * g_batch``.

    The shuffle uses ``random.Random(random_state)``, never the global generator, so a
    fixed ``random_state`` reproduces a fit exactly. The weights follow
    ``sgd_learning_rate`` with the L2 coefficient; the unpenalized intercept follows
    it with 0 (the decay of a merely convex direction).
    """

    name = "stochastic gradient descent"
    solver = "sgd"
    descent = False  # one batch's step may raise J: only a sustained rise is divergence
    asks = (HasBatchGradient,)

    def __init__(self, lr: float, batch_size: int, random_state: Optional[int]) -> None:
        self.lr, self.batch_size = lr, batch_size
        self.rng = random.Random(random_state)
        self.order: List[int] = []
        self.t = 0  # updates so far

    def step(self, problem: Problem, point: Point) -> Point:
        if not self.order:
            self.order = list(range(problem.n_rows))
        self.rng.shuffle(self.order)
        theta = point.theta
        for start in range(0, problem.n_rows, self.batch_size):
            theta = self._batch_step(problem, theta, self.order[start:start + self.batch_size])
        return problem.at(theta)

    def _batch_step(self, problem: Problem, theta: Vector, batch: Sequence[int]) -> Vector:
        batches = math.ceil(problem.n_rows / self.batch_size)
        eta_w = sgd_learning_rate(self.lr, problem.l2, self.t, batches)
        eta_b = sgd_learning_rate(self.lr, 0.0, self.t, batches)
        self.t += 1
        etas = [eta_w if penalized else eta_b for penalized in problem.penalized]
        g = problem.batch_gradient(theta, batch)
        return [t - eta * gj for t, eta, gj in zip(theta, etas, g)]

    def divergence_advice(self, problem: Problem) -> str:
        largest = max(1.0 + dot(x, x) for x in problem.X)
        if not math.isfinite(largest):
            return _overflow_advice(problem)
        return (f"The step lr={self.lr:g} is too large for these data: for one row at a time, "
                f"lr <= {4.0 / (largest + 4.0 * problem.l2):.3g} is safe (4 / (max ||(1, x)||^2 + "
                f"4 reg)). Or standardize the features{_spread_clause(problem)}, or use solver='newton'")


# ------------------------------------------------------------- after the loop

def scale_spread(problem: Problem) -> str:
    """Name the columns with the largest and smallest spread if they differ by > 1e3.

    The spread is the population standard deviation. Gradient descent with one step
    size crawls along the narrow directions of J when the scales differ this much.
    Returns "" when the scales are comparable (or a column is constant).
    """
    spreads = [population_std(column) for column in transpose(problem.X)]
    low = min(range(len(spreads)), key=spreads.__getitem__)
    high = max(range(len(spreads)), key=spreads.__getitem__)
    if spreads[low] == 0.0 or spreads[high] / spreads[low] <= SCALE_SPREAD:
        return ""
    return (f"column {problem.names[high]!r} has spread {spreads[high]:.3g} and column "
            f"{problem.names[low]!r} {spreads[low]:.3g}, more than {SCALE_SPREAD:g} times apart")


def _spread_clause(problem: Problem) -> str:
    spread = scale_spread(problem)
    return f" ({spread})" if spread else ""


def separation_probe(problem: Problem, max_iter: int = 50) -> bool:
    """Does a hyperplane separate the classes? Looked for by Newton steps.

    On separable data the unpenalized loss has no minimum and Newton's steps
    quickly push every example to its correct side, where ``Problem.separated`` sees
    it; on data that are not separable Newton converges to a finite optimum instead.
    A tiny ridge, ``PROBE_RIDGE``, keeps the Hessian invertible when columns are
    collinear, without stopping the weights from growing far enough. A ``True``
    answer is certain (a separating hyperplane was found); ``False`` means none was
    found within ``max_iter`` steps (or not looked for, when Newton's Hessian would
    not fit in memory).
    """
    probe = problem.with_penalty(PROBE_RIDGE)
    try:
        result = iterate(Newton(), probe, epochs=max_iter, tol=1e-10, watch_separation=True)
    except ValueError:  # singular, diverged, or a Hessian too large for memory: none found
        return False
    return result.stop_reason == "separated"


def _separated_classes(problem: Problem, result: FitResult) -> bool:
    """For K > 2 classes without a penalty, where chapter 9's linear program does not
    apply: does Newton's probe find hyperplanes that separate the classes?"""
    return (result.stop_reason != "separated" and problem.unpenalized
            and getattr(problem, "n_classes", 2) > 2 and separation_probe(problem))


def separation_verdict(problem: Problem, theta: Sequence[float]) -> Optional[Separation]:
    """Without a penalty: are the data separated? ``None`` when there is a penalty (the
    optimum is then finite) or when Newton's step from ``theta`` certifies that no
    separating direction exists (chapter 9); otherwise the linear program's verdict,
    which names the parameters whose estimates are infinite."""
    if not problem.unpenalized or getattr(problem, "n_classes", 2) > 2:
        return None  # penalized (a finite optimum), or K classes (chapter 11: Newton's probe)
    try:
        step = _newton_direction(problem, problem.at(theta))
    except ValueError:  # a singular or overflowing Hessian: no certificate from here
        step = None
    if step is not None and newton_step_certifies(problem.X, step, problem.sample_weight):
        return None
    return detect_separation(problem.X, problem.y, problem.sample_weight, feature_names=problem.names)


def solve(problem: Problem, rule: BaseRule, *, epochs: int, tol: float,
          progress: Optional[Progress] = None, start: Optional[Sequence[float]] = None) -> FitResult:
    """Run ``rule`` on ``problem`` through ``iterate`` (from ``start``, default
    ``problem.start()``), then settle what the fit means.

    ``iterate`` checks first that the problem answers what the rule asks (``TypeError``
    otherwise) and that the rule can solve it (``rule.check``). Then here and nowhere
    else: without a penalty, are the data separated (then the fit stops being
    "converged", whatever its gradient, and its ``separation`` names the infinite
    estimates)? For an unfinished fit, do the columns' scales explain the slow
    progress? Warnings only read the answers.
    """
    result = iterate(rule, problem, epochs=epochs, tol=tol, progress=progress, start=start)
    verdict = separation_verdict(problem, result.theta)
    if verdict is not None and verdict.separated:
        return replace(result, stop_reason="separated", converged=False, separation=verdict)
    if not result.converged and _separated_classes(problem, result):
        return replace(result, stop_reason="separated")
    if result.converged:
        return replace(result, separation=verdict)
    return replace(result, scale_note=scale_spread(problem), separation=verdict)

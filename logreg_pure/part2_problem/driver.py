"""Chapter 14. One loop for every solver.

There is no closed-form minimizer of J, so every solver iterates: from the current
point it proposes the next. How it proposes is the solver's whole idea, and the next
chapter writes each one as a short *update rule*. Everything else is the same for
every solver, and lives here, once:

- the **history**: J at the start and after every step (``loss_history``);
- the **stop rules**: *converged* when the rule's optimality measure (the largest
  gradient component, for most rules) is at most ``tol``; *iteration limit* after
  ``epochs`` steps; *no further decrease* when the rule finds no better point;
  *separated* when, without a penalty, an iterate puts every example strictly on its
  correct side (the optimum then lies at infinity, and the loop would chase it
  forever). With ``tol = 0`` the loop never stops early: exactly ``epochs`` steps,
  as the original algorithm did;
- **divergence**: ``DivergenceError`` when J stops being a finite number; for a
  *descent* rule (each step should lower J) when J rises by more than its rounding;
  for a stochastic rule, whose J is noisy, when J stays above twice its start for
  ten steps in a row. The rule says what to try instead;
- **progress**: ``progress(step, J)`` once per step, for a caller's display;
- **the questions**: before the first step, a rule's ``asks`` (the groups of chapter
  10's questions it will put to the problem) are checked against the problem, so that
  a rule that needs, say, the curvature of a problem that has none is refused in a
  sentence that names both (``check_questions``), not by an ``AttributeError`` in the
  middle of a fit.

What a rule is, is itself written as code: the ``Rule`` protocol below, with ``name``,
``descent``, ``asks``, ``optimality(problem, point)``, ``step(problem, point)`` (the
next ``Point``, or ``None`` when there is none better), ``check(problem)`` (refuse a
problem the rule cannot solve, such as an L1 penalty for Newton's method) and
``divergence_advice(problem)``.
"""

import itertools
import math
import numbers
from dataclasses import dataclass
from typing import Any, Callable, List, Optional, Protocol, Sequence, Tuple, runtime_checkable

from ..part1_mathematics.checks import check_finite_number, check_vector
from ..part1_mathematics.errors import DivergenceError
from ..part1_mathematics.vectors import Vector
from .problem import HasObjective, Point, questions, unanswered
from .separation import Separation

__all__ = ["DIVERGENCE_PATIENCE", "FitResult", "Progress", "RESOLVABLE", "Rule", "STOP_REASONS",
           "check_questions", "check_run_options", "iterate"]

Progress = Callable[[int, float], None]

# Relative changes of J smaller than this are lost in its rounding: J is a mean of n
# terms, each good to a few ulps, so a "rise" of one part in 2**40 is noise.
RESOLVABLE = 2.0 ** -40
DIVERGENCE_PATIENCE = 10  # steps a stochastic J may stay above twice its start
STOP_REASONS = ("converged", "iteration limit", "no further decrease", "separated")


@runtime_checkable
class Rule(Protocol):
    """An update rule: from a point, the next one (chapters 15 and 16 write five)."""

    name: str  # for messages: "Newton's method"
    descent: bool  # should every step lower J? (Then a rise is divergence.)
    asks: Tuple[type, ...]  # the groups of chapter 10's questions it puts to a problem, beyond HasObjective

    def optimality(self, problem: Any, point: Point) -> float: ...

    def step(self, problem: Any, point: Point) -> Optional[Point]: ...

    def check(self, problem: Any) -> None: ...

    def divergence_advice(self, problem: Any) -> str: ...


def check_questions(rule: Any, problem: Any) -> None:
    """Refuse, in a sentence, a rule that is not one or that will ask ``problem`` a question
    it cannot answer: ``TypeError`` naming the rule, the questions and the problem."""
    if not isinstance(rule, Rule):
        raise TypeError(f"{rule!r} is not an update rule: a rule has {', '.join(questions(Rule))}")
    for protocol in (HasObjective,) + tuple(rule.asks):
        if not isinstance(problem, protocol):
            missing = ", ".join(unanswered(problem, protocol)) or "its questions"
            what = (protocol.__doc__ or protocol.__name__).strip().splitlines()[0].rstrip(".")
            raise TypeError(f"{rule.name} asks for {what} ({protocol.__name__}), and "
                            f"{type(problem).__name__} does not answer it ({missing}); choose a solver "
                            f"that does not need it")


@dataclass(frozen=True)
class FitResult:
    """What a solver found and how: the parameters, J's history, and why it stopped."""

    theta: Vector  # (b, w_1, ..., w_d)
    loss_history: Vector
    n_iter: int
    converged: bool
    stop_reason: str  # "converged", "iteration limit", "no further decrease" or "separated"
    grad_max: float  # the optimality measure at the end (the largest gradient component)
    scale_note: str = ""  # for an unfinished fit: columns whose scales differ too much
    separation: Optional[Separation] = None  # the linear program's verdict, when it was asked


def iterate(rule: Rule, problem: HasObjective, *, epochs: int, tol: float,
            progress: Optional[Progress] = None, watch_separation: Optional[bool] = None,
            start: Optional[Sequence[float]] = None) -> FitResult:
    """Run ``rule`` from ``start`` (default ``problem.start()``) until a stop rule fires.

    ``watch_separation`` (default: when the problem is unpenalized) stops the loop at
    an iterate that separates the classes. ``start`` is a *warm start*: the answer to
    a nearby problem, as along a regularization path. Raises ``TypeError`` for a rule
    that asks what the problem cannot answer (``check_questions``), whatever ``rule.check``
    refuses, and ``DivergenceError`` as described above.
    """
    epochs, tol = check_run_options(epochs, tol, progress)
    check_questions(rule, problem)
    rule.check(problem)
    watch = problem.unpenalized if watch_separation is None else watch_separation
    first = problem.start()
    theta = first if start is None else check_vector(start, "start", length=len(first))
    point = problem.at(theta)  # the loop ends at step == epochs at the latest
    history = [point.objective]
    for step in itertools.count():
        measure = rule.optimality(problem, point)
        if progress is not None:
            progress(step, point.objective)
        reason = _stop_reason(problem, point, measure, tol, step == epochs, watch)
        if reason is None:
            following = rule.step(problem, point)
            reason = "no further decrease" if following is None else None
        if reason is not None:
            return FitResult(point.theta, history, len(history) - 1, measure <= tol, reason, measure)
        history.append(following.objective)
        _check_divergence(rule, problem, history)
        point = following


def check_run_options(epochs: Any, tol: Any, progress: Any) -> Tuple[int, float]:
    """``epochs`` a whole number >= 0, ``tol`` a finite number >= 0 and ``progress`` a
    function or None: otherwise the loop's stop rules could never fire (``epochs=-1``
    with ``tol=0`` would run for ever) or would fail mid-fit.

    >>> check_run_options(10, 0, None)
    (10, 0.0)
    """
    if isinstance(epochs, bool) or not isinstance(epochs, numbers.Integral):
        raise TypeError(f"epochs must be a whole number of steps, got {epochs!r} ({type(epochs).__name__})")
    if epochs < 0:
        raise ValueError(f"epochs must be at least 0 (0 evaluates the start), got {epochs!r}")
    if progress is not None and not callable(progress):
        raise TypeError(f"progress must be a function progress(step, objective) or None, got {progress!r}")
    return int(epochs), check_finite_number(tol, "tol", minimum=0.0)


def _stop_reason(problem: HasObjective, point: Point, measure: float, tol: float, last: bool,
                 watch: bool) -> Optional[str]:
    """Why the loop stops at this point, or ``None`` to take another step."""
    if tol > 0.0 and measure <= tol:
        return "converged"
    if (tol > 0.0 or last) and watch and problem.separated(point):
        return "separated"
    if last:
        return "iteration limit"
    return None


def _check_divergence(rule: Rule, problem: HasObjective, history: List[float]) -> None:
    """Raise ``DivergenceError`` if the newest J says the iteration has run away."""
    latest, previous = history[-1], history[-2]
    if not math.isfinite(latest):
        what = f"the objective became {latest!r}"
    elif rule.descent and latest > previous + RESOLVABLE * (1.0 + abs(previous)):
        what = f"the objective rose from {previous:.6g} to {latest:.6g}"
    elif not rule.descent and _stayed_high(history):
        what = (f"the objective stayed above twice its start ({history[0]:.6g}) for "
                f"{DIVERGENCE_PATIENCE} steps, reaching {latest:.6g}")
    else:
        return
    error = DivergenceError(f"{rule.name} diverged at step {len(history) - 1}: {what}. "
                            f"{rule.divergence_advice(problem)}")
    error.stop_reason = "diverged"  # the fit's stop reason, and the evidence, for the caller
    error.loss_history = list(history)
    raise error


def _stayed_high(history: List[float]) -> bool:
    """Has J been above twice its starting value for the last DIVERGENCE_PATIENCE steps?

    Twice the start is log 4 from theta = 0: as if every label had been given
    probability 1/4. The noise of a stochastic J near its start stays well below that.
    """
    recent = history[-DIVERGENCE_PATIENCE:]
    return len(history) > DIVERGENCE_PATIENCE and all(h > 2.0 * history[0] for h in recent)

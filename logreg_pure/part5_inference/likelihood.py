"""Chapter 21. The likelihood's shape: restricted fits, likelihood-ratio tests, profile intervals.

Chapter 22's Wald statistics read the log-likelihood's curvature at its peak and
pretend the whole hill is the parabola that curvature describes. Near separation
that parabola is badly wrong, and the numbers it gives are worse than useless.
This chapter asks the likelihood itself instead, by fitting again with some
parameters held fixed.

**Restricted fits.** ``FixedProblem`` (``fixed_problem.py``) wraps a problem (chapter
10, or Firth's of chapter 12) and holds chosen parameters at given values; it answers
the loop's and Newton's questions about the others only, so the unchanged loop and
rule maximize the (penalized) likelihood over the free parameters. For Firth's method the
penalty stays ``(1/2) log det I`` of the *full* model, the convention of
``logistf`` (Heinze and Schemper 2002): inserting a zero is not the same as
leaving a variable out, and this keeps the tests nested.

**Likelihood-ratio tests.** To test ``theta_j = 0``, refit with ``theta_j`` held at 0:

    LR = 2 (log L(theta_hat) - log L(theta_restricted)) = 2 S (J(theta_restricted) - J(theta_hat)),

chi-square with 1 degree of freedom under the hypothesis (Wilks). ``log L`` is
penalized for Firth's method.

**Profile-likelihood intervals** (Venzon and Moolgavkar 1988; R's ``confint`` for a
``glm``; ``logistf``'s default). The profile of parameter j is the best the
likelihood can do with ``theta_j`` held at ``v``; the ``1 - alpha`` interval is every
``v`` that a likelihood-ratio test at level ``alpha`` does not reject:

    { v :  2 (log L(theta_hat) - max_{theta: theta_j = v} log L(theta)) <= q },   q = chi2_1(1 - alpha),

``q = 3.8415`` for 95%. Its two ends are roots of ``stat(v) - q``. ``profile_interval``
starts at the estimate (where the statistic is 0), steps outward, doubling the
step until the statistic passes ``q``, and closes in on the crossing by the
Illinois method (a regula falsi that halves the stale end), each evaluation a
restricted fit warm-started from the nearest one (the bracket is closed to 1e-10
of the end's size). ``logistf`` walks to the same
ends by Venzon and Moolgavkar's modified Newton iteration; the equation solved is
the same, so the ends agree to the tolerances of the two iterations.

**When an end is infinite.** If the data are separated in one direction (chapter
9), the log-likelihood only rises as ``theta_j`` goes to infinity that way, the
statistic never reaches ``q``, and the interval is open on that side. After
``MAX_DOUBLINGS`` doublings without a crossing the end is reported as ``inf`` (or
``-inf``), with a note that says why, rather than an arbitrary large number.

**Wald versus profile, on the endometrial data** (chapter 31; the numbers are
checked by tests/test_likelihood.py). Maximum likelihood puts NV at ``+infinity``
(chapter 9), so every fit stops somewhere arbitrary. Newton's method with
``tol=1e-6`` stops after 15 steps at ``NV = 15.84``, with a standard error of 877: Wald's
z is 0.018 and its p-value 0.986, "no evidence" for the strongest predictor in the
data. With ``tol=1e-10`` it stops 9 steps later at ``NV = 24.84``, with a standard error
of 78,922: ``z = 0.0003``, ``p = 0.9997``. (R's ``glm`` stops at 18.19 with 1,715.75: ``z =
0.011``, ``p = 0.9915``.) Each step adds about 1 to NV and multiplies its standard error
by about ``e^(1/2)``: along a flattening likelihood the standard error grows faster
than the estimate, so ``z = beta / se`` *falls* as the evidence grows. This is the
Hauck-Donner effect (Hauck and Donner 1977), and Wald's parabola, fitted to the
curvature at a point where the hill is flat, cannot see it.

The likelihood itself can. The likelihood-ratio test of ``NV = 0`` gives 9.358 (``p =
0.0022``) wherever the fit stopped (to 3e-6 between the two), since the log-likelihood
is already within about 1e-6 of its supremum; and the profile interval for NV is ``[1.284, +inf)``:
the data rule out small effects and say nothing against large ones, which is the
truth. Firth's penalty (chapter 12) makes every estimate finite: ``NV = 2.929``, with
the penalized profile interval ``[0.610, 7.855]``, ``logistf``'s to seven digits. Its
Wald interval, ``[-0.110, 5.969]``, still crosses 0 (Wald's ``p = 0.059``), while the
penalized likelihood-ratio test gives ``p = 0.009``: even with finite estimates the
penalized likelihood is far from a parabola in NV (``plot_profile`` draws both).

Public names: ``restricted_fit``, ``likelihood_ratio_statistic``,
``profile_interval``, ``profile_statistics``, ``ProfileInterval``, ``chi2_cut``.
"""

import math
from dataclasses import dataclass, field
from statistics import NormalDist
from typing import Any, Dict, List, Optional, Sequence, Tuple

from ..part1_mathematics.checks import shown
from ..part1_mathematics.errors import DivergenceError, SingularMatrixError
from ..part1_mathematics.linalg import inverse_spd, solve_spd
from ..part1_mathematics.vectors import Vector, dot
from ..part2_problem.driver import RESOLVABLE, FitResult, iterate
from ..part2_problem.fixed_problem import FixedProblem
from ..part2_problem.problem import Point
from ..part3_solvers.solvers import Newton

__all__ = ["MAX_DOUBLINGS", "ProfileInterval", "REFIT_TOL", "SATURATED", "chi2_cut",
           "likelihood_ratio_statistic", "profile_interval", "profile_statistics", "refit_starts",
           "restricted_fit", "saturated_rows"]

REFIT_TOL = 1e-11  # restricted fits: the largest gradient component (per unit of weight)
REFIT_EPOCHS = 1000  # a full fit's default: Firth's approximate curvature can crawl for hundreds of steps
MAX_DOUBLINGS = 30  # 2**30 initial steps without reaching the cut: that end is infinite
ROOT_XTOL = 1e-10  # the ends: the bracket's width relative to 1 + |end|
ROOT_STEPS = 200
CONFIRMATIONS = 6  # a non-convex profile's crossing is checked from 2**-6 of the step
RETREATS = 24  # values where no refit finishes, approached again from halfway, per end
SATURATED = 36.7  # |log-odds| beyond which a probability is within 2**-53 of 0 or 1: p (1 - p) is lost


def chi2_cut(alpha: float) -> float:
    """The chi-square(1) quantile at ``1 - alpha``: the square of the normal ``1 - alpha/2`` quantile.

    >>> round(chi2_cut(0.05), 4)
    3.8415
    """
    if isinstance(alpha, bool) or not isinstance(alpha, (int, float)) or not 0.0 < alpha < 1.0:
        raise ValueError(f"alpha must be strictly between 0 and 1, got {alpha!r}")
    # The lower tail, by symmetry: 1 - alpha / 2 loses alpha's digits (all of them below 1e-16).
    half = alpha / 2.0
    if half == 0.0:
        raise ValueError(f"alpha={alpha!r} is too small for floating point (alpha / 2 underflows to 0); "
                         f"use alpha >= 1e-300")
    return NormalDist().inv_cdf(half) ** 2


def refit_starts(problem: Any, theta: Sequence[float], fixed: Dict[int, float]) -> List[Vector]:
    """Where a restricted fit starts, in turn: ``theta`` (the full fit's estimate) with the
    held values put in and its intercepts centred on the base rate (``problem.centred``:
    ``logit(ybar)`` for the intercept-only model), then every free weight at 0, centred
    likewise.

    Why the second start: the full estimate with one parameter moved is a poor start
    where columns are nearly collinear. Two weights of +58 and -56 cancel; holding one
    at 0 leaves the other pushing log-odds far past +-36.7, where each probability
    rounds to 0 or 1 and Newton's curvature ``p (1 - p)`` is gone. With every free weight
    at 0 the refit starts where every full fit starts.

    >>> from logreg_pure.part2_problem.problem import Problem
    >>> refit_starts(Problem([[1.0], [3.0]], [0, 1]), [5.0, 1.0], {})
    [[-2.0, 1.0], [0.0, 0.0]]
    """
    starts = []
    for origin in (list(theta), list(problem.start())):
        centred = problem.centred([fixed.get(j, value) for j, value in enumerate(origin)])
        starts.append([fixed.get(j, value) for j, value in enumerate(centred)])
    return starts


def restricted_fit(problem: Any, start: Sequence[float], fixed: Dict[int, float], *,
                   tol: float = REFIT_TOL, warm: Sequence[Sequence[float]] = ()) -> Tuple[Vector, float]:
    """Fit ``problem`` with ``fixed`` held, by Newton's method, until the largest gradient
    component is at most ``tol`` (a full fit's stop rule), or J is within its rounding of
    the optimum: ``(theta, J)``.

    It starts from each of ``warm`` as it is (neighbouring refits' optima, along a
    profile), then from ``refit_starts(problem, start, fixed)``; the first fit that
    reaches ``tol`` is the answer. Firth's penalized likelihood need not be concave once
    a parameter is held (``problem.convex`` is False), so there every start is run and
    the best optimum kept: a profile is a maximum. Raises ``ValueError`` naming the held
    parameters and the cause when no start reaches ``tol`` (the restricted optimum is at
    infinity, or the curvature vanished where the probabilities round to 0 or 1).
    """
    starts = [list(theta) for theta in warm] + refit_starts(problem, start, fixed)
    found: List[Tuple[float, Vector]] = []
    causes = []
    for origin in starts:
        restricted = FixedProblem(problem, fixed, origin)
        result, cause = _refit(restricted, tol)
        causes.append(cause)
        if result is not None:
            found.append((result.loss_history[-1], restricted.full(result.theta)))
            if problem.convex:
                break
    if found:
        J, theta = min(found, key=lambda pair: pair[0])
        return theta, J
    held = ", ".join(f"{problem.parameter_names[j]} = {v:g}" for j, v in fixed.items())
    raise ValueError(f"the fit with {held} held did not reach its optimum (a largest gradient component "
                     f"of at most {tol:g}) from any start, the full fit's estimate or every free weight "
                     f"at 0: {causes[-1]}")


def _refit(restricted: FixedProblem, tol: float) -> Tuple[Optional[Any], str]:
    """One restricted fit: ``(result, "")`` if it reached ``tol``, else ``(None, why not)``."""
    restricted.reached = None
    try:
        result = iterate(Newton(), restricted, epochs=REFIT_EPOCHS, tol=tol)
    except DivergenceError as error:  # an unchecked step below J's rounding, which then rose
        reached = restricted.reached
        if reached is not None and _within_rounding(restricted, reached.theta):
            return FitResult(reached.theta, [reached.objective], 0, True, "converged", 0.0), ""
        return None, str(error)
    except SingularMatrixError as error:
        where = "the start" if restricted.reached is None else "the point reached"
        return None, f"the curvature is singular at {where}{_saturation(restricted.reached, str(error))}"
    if result.converged or _within_rounding(restricted, result.theta):
        return result, ""
    if result.stop_reason == "separated":
        return None, ("with those values held the classes are separated, so the likelihood keeps rising as "
                      "the other parameters grow: the restricted optimum is at infinity")
    return None, (f"Newton's method stopped ({result.stop_reason}) after {result.n_iter} steps with the "
                  f"largest gradient component {result.grad_max:.3g}"
                  f"{_saturation(restricted.reached, '')}")


def likelihood_ratio_statistic(problem: Any, theta_hat: Sequence[float], fixed: Dict[int, float], *,
                               tol: float = REFIT_TOL) -> float:
    """``2 S (J(restricted) - J(theta_hat))``: twice the drop of the (penalized) log-likelihood
    when the parameters in ``fixed`` are held at their values (the refit run to ``tol``)."""
    _, J = restricted_fit(problem, theta_hat, fixed, tol=tol)
    return 2.0 * problem.total_weight * (J - problem.objective(theta_hat))


def _within_rounding(restricted: FixedProblem, theta: Sequence[float]) -> bool:
    """Is J at ``theta`` within its rounding of the optimum? Newton's decrement
    ``g . H^{-1} g / 2``, the decrease the next step predicts, is then below what J's
    rounding resolves: no float comparison of J can tell this point from the optimum,
    although the gradient may stay above ``tol`` (its own rounding, in Firth's score
    with its leverages, can be larger)."""
    point = restricted.at(theta)
    try:
        delta = solve_spd(restricted.hessian(point), point.gradient)
    except SingularMatrixError:
        return False
    return dot(delta, point.gradient) / 2.0 <= RESOLVABLE * (1.0 + abs(point.objective))


def saturated_rows(z: Sequence[Any]) -> int:
    """How many rows have a probability that rounds to 0 or 1: a log-odds beyond +-``SATURATED``
    (for K classes: the largest score ahead of the next by more than that).

    >>> saturated_rows([0.0, 40.0, -50.0]), saturated_rows([[0.0, 1.0, 40.0]])
    (2, 1)
    """
    count = 0
    for zi in z:
        if isinstance(zi, (list, tuple)):
            top = sorted(zi)
            count += top[-1] - top[-2] > SATURATED
        else:
            count += abs(zi) > SATURATED
    return count


def _saturation(point: Optional[Point], otherwise: str) -> str:
    """How many probabilities round to 0 or 1 at ``point``, or ``otherwise`` when none does."""
    m = 0 if point is None else saturated_rows(point.z)
    if m == 0:
        return f" ({otherwise})" if otherwise else ""
    n = len(point.z)  # type: ignore[union-attr]
    who = "every example's probability is" if m == n else f"{m} of the {n} examples have a probability"
    return f": {who} 0 or 1 to working precision there (log-odds beyond +-{SATURATED:g}), so p (1 - p) vanishes"


@dataclass(frozen=True)
class ProfileInterval:
    """One parameter's profile-likelihood interval, with a note for an infinite end."""

    name: str
    estimate: float
    lower: float  # -inf when the statistic never reaches the cut below the estimate
    upper: float  # +inf likewise above it
    alpha: float
    refits: int  # restricted fits it took
    lower_fit: Optional[Vector] = field(default=None, repr=False, compare=False)  # the refit at the lower end
    upper_fit: Optional[Vector] = field(default=None, repr=False, compare=False)  # (within 1e-10 of it)

    @property
    def note(self) -> str:
        """Why an end is infinite ("" when both are finite)."""
        sides = [side for side, end in (("lower", self.lower), ("upper", self.upper)) if math.isinf(end)]
        if not sides:
            return ""
        return (f"{shown(self.name, quoted=False)}: no {' and no '.join(sides)} end: the likelihood-ratio statistic stays "
                f"below the chi-square cut however far the parameter moves that way (the data are "
                f"separated in that direction), so the interval is open there")

    def __str__(self) -> str:
        level = f"{100 * (1 - self.alpha):g}%"
        text = f"{self.name}: {self.estimate:.6g}, {level} profile interval [{self.lower:.6g}, {self.upper:.6g}]"
        return text + (f"; {self.note}" if self.note else "")


class _Profile:
    """The statistic ``stat(v) - q`` of one parameter, evaluated by warm-started refits."""

    def __init__(self, problem: Any, theta_hat: Sequence[float], j: int, q: float, tol: float) -> None:
        self.problem, self.theta_hat, self.j, self.q, self.tol = problem, list(theta_hat), j, q, tol
        self.J_hat = problem.objective(theta_hat)
        self.refits = 0

    def excess(self, v: float, *near: Sequence[float]) -> Tuple[float, Vector]:
        """``stat(v) - q`` and the restricted optimum, starting from the refits ``near`` first."""
        self.refits += 1
        theta, J = restricted_fit(self.problem, self.theta_hat, {self.j: v}, tol=self.tol, warm=near)
        return 2.0 * self.problem.total_weight * (J - self.J_hat) - self.q, theta

    def first_step(self) -> float:
        """``sqrt(q) * se_j`` (where the Wald interval would end), but at most ``1 + |theta_j|``:
        near separation ``se_j`` is huge, and a first step that far lands where every
        example's probability is 0 or 1 and nothing can be fitted."""
        cap = 1.0 + abs(self.theta_hat[self.j])
        point = self.problem.at(self.theta_hat)
        S = self.problem.total_weight
        try:
            covariance = inverse_spd([[S * h for h in row] for row in self.problem.hessian(point)])
        except SingularMatrixError:
            return cap
        return min(math.sqrt(self.q * covariance[self.j][self.j]), cap)

    def end(self, side: int) -> Tuple[float, Optional[Vector]]:
        """The end on ``side`` (+1 above, -1 below the estimate), or ``side * inf``, with the
        restricted optimum found nearest to it (``None`` for an infinite end).

        A value where no refit reaches its optimum (a doubled step too far for Newton to
        follow from the last inside point, every probability near 0 or 1) is approached
        again from halfway, up to ``RETREATS`` times in all, before its error is raised."""
        inside = (self.theta_hat[self.j], -self.q, self.theta_hat)
        step, doublings, retreats = self.first_step(), 0, 0
        while doublings < MAX_DOUBLINGS:
            v = self.theta_hat[self.j] + side * step
            try:
                outside = (v, *self.excess(v, inside[2]))
            except ValueError:
                retreats += 1
                if retreats > RETREATS:
                    raise
                step = (abs(inside[0] - self.theta_hat[self.j]) + step) / 2.0
                continue
            if outside[1] >= 0.0 and not self.problem.convex:
                inside, outside = self.confirmed(inside, outside)
            if outside[1] >= 0.0:
                return self.root(inside, outside)
            inside, step, doublings = outside, 2.0 * step, doublings + 1
        return side * math.inf, None

    def confirmed(self, inside: Tuple[float, float, Vector],
                  outside: Tuple[float, float, Vector]) -> Tuple[Tuple[float, float, Vector], ...]:
        """For a non-convex profile (Firth's): is ``outside`` really beyond the cut, or did its
        refit, started far away, land on a worse local optimum? Halve the gap from the inside,
        refitting ``outside`` from each nearer inside optimum too, ``CONFIRMATIONS`` times:
        the branch the profile follows is then carried along, not jumped off."""
        for _ in range(CONFIRMATIONS):
            if outside[1] < 0.0:
                break
            middle = (inside[0] + outside[0]) / 2.0
            try:
                g, theta = self.excess(middle, inside[2])
                if g < 0.0:
                    outside = (outside[0], *self.excess(outside[0], theta, outside[2]))
            except ValueError:  # a check that cannot be made leaves the bracket as it was
                break
            if g >= 0.0:
                outside = (middle, g, theta)
            else:
                inside = (middle, g, theta)
        return inside, outside

    def root(self, inside: Tuple[float, float, Vector],
             outside: Tuple[float, float, Vector]) -> Tuple[float, Vector]:
        """The crossing between ``inside`` (g < 0) and ``outside`` (g >= 0), by the Illinois
        method, with the restricted optimum at the nearer end of the last bracket."""
        (a, ga, ta), (b, gb, tb) = inside, outside
        kept = 0  # which end survived the last step: +1 outside, -1 inside
        for _ in range(ROOT_STEPS):
            c = b - gb * (b - a) / (gb - ga)
            nearer, farther = (ta, tb) if abs(c - a) < abs(c - b) else (tb, ta)
            if abs(b - a) <= ROOT_XTOL * (1.0 + abs(c)):
                return c, nearer
            gc, tc = self.excess(c, nearer, farther)  # both: a non-convex profile may have two branches
            if gc == 0.0:
                return c, tc
            if gc < 0.0:
                (a, ga, ta), gb = (c, gc, tc), (gb / 2.0 if kept == 1 else gb)
                kept = 1
            else:
                (b, gb, tb), ga = (c, gc, tc), (ga / 2.0 if kept == -1 else ga)
                kept = -1
        raise ValueError(f"the profile interval's end for {self.problem.parameter_names[self.j]} "
                         f"did not settle in {ROOT_STEPS} steps between {a!r} and {b!r}")


def profile_interval(problem: Any, theta_hat: Sequence[float], j: int, alpha: float = 0.05, *,
                     tol: float = REFIT_TOL) -> ProfileInterval:
    """The ``1 - alpha`` profile-likelihood interval of parameter ``j`` (0 is the intercept).

    ``theta_hat`` must be the problem's optimum (the fitted parameters, intercept first);
    each refit is run to ``tol``.
    """
    q = chi2_cut(alpha)
    if not (isinstance(j, int) and 0 <= j < len(theta_hat)):
        raise ValueError(f"j must index a parameter, 0 to {len(theta_hat) - 1}; got {j!r}")
    profile = _Profile(problem, theta_hat, j, q, tol)
    (lower, lower_fit), (upper, upper_fit) = profile.end(-1), profile.end(+1)
    return ProfileInterval(problem.parameter_names[j], float(theta_hat[j]), lower, upper, float(alpha),
                           profile.refits, lower_fit, upper_fit)


def profile_statistics(problem: Any, theta_hat: Sequence[float], j: int,
                       values: Sequence[float], *, tol: float = REFIT_TOL) -> List[float]:
    """The likelihood-ratio statistic ``2 S (J_v - J_hat)`` at each value of parameter ``j``
    (for plotting the profile), each refit warm-started from the nearest one before it."""
    profile = _Profile(problem, theta_hat, j, 0.0, tol)
    order = sorted(range(len(values)), key=lambda k: abs(values[k] - theta_hat[j]))
    result: List[Optional[float]] = [None] * len(values)
    starts: List[Tuple[float, Vector]] = [(float(theta_hat[j]), list(theta_hat))]
    for k in order:
        near = min(starts, key=lambda s: abs(s[0] - values[k]))[1]
        g, theta = profile.excess(values[k], near)
        result[k] = g
        starts.append((values[k], theta))
    return [float(g) for g in result]  # type: ignore[arg-type]

"""Chapter 6. Solvers: walking downhill on J, then getting there faster.

There is no closed-form minimizer of J, so we iterate. Three solvers share one
prepared ``Problem`` (the data, their transpose, the labels, weights and penalty):

- ``gradient_descent``: the original algorithm. Start at zero and repeat
  ``theta <- theta - lr * grad J(theta)``. With ``penalty="l1"`` each step is followed
  by soft-thresholding (proximal gradient), which sets small weights exactly to 0.
- ``newton``: Newton's method (IRLS): ``theta <- theta - t H^{-1} grad J``, with the
  step ``t`` halved until J decreases. Quadratic convergence: a handful of steps.
- ``sgd``: stochastic gradient descent on shuffled mini-batches with a decaying step.

Every solver records J at the start and after each step (``loss_history``), stops when
its optimality measure (the largest gradient component, or for L1 the proximal
gradient) is at most ``tol``, and reports why it stopped: ``"converged"``,
``"iteration limit"``, ``"separated"`` (with ``reg == 0`` the classes were found to be
perfectly separated, so the optimum lies at infinity), or it raises
``DivergenceError`` ("diverged") when J becomes non-finite or stays above twice its
starting value for ten steps.

Separation is easy to confirm: if the current ``(w, b)`` puts every example strictly
on its correct side, that hyperplane separates the classes, and scaling it up
drives the unpenalized loss to 0 without ever reaching it.
"""

import math
import random
from dataclasses import dataclass, field
from typing import Callable, List, Optional, Sequence, Tuple

from .errors import DivergenceError, SingularMatrixError
from .gradient import fast_gradient, fast_hessian, loss_and_residuals
from .links import sigmoid
from .linalg import solve_spd
from .loss import logits, penalty_value
from .vectors import Matrix, Vector, fast_dot, population_std, total, transpose

__all__ = [
    "FitResult",
    "Problem",
    "SOLVERS",
    "gradient_descent",
    "newton",
    "scale_spread",
    "separation_probe",
    "sgd",
    "soft_threshold",
]

SOLVERS = ("gd", "newton", "sgd")
SCALE_SPREAD = 1e3  # column scales further apart than this slow gradient descent badly
DIVERGENCE_PATIENCE = 10  # steps J may stay above twice its starting value before we call it divergence
MAX_HALVINGS = 60  # 2**-60 is below the float spacing of any step worth taking
PROBE_RIDGE = 1e-9  # the separation probe's penalty: invertible Hessians, weights free to grow
RESOLVABLE = 2.0 ** -40  # relative changes of J smaller than this are lost in its rounding

Progress = Callable[[int, float], None]


@dataclass
class Problem:
    """The data of one fit, prepared once: rows, columns, labels, weights and penalty.

    ``columns`` is the transpose of ``X``, so that ``X^T r`` is one dot product per
    column; ``total_weight`` is ``n`` or the sum of the sample weights.
    """

    X: Matrix
    y: Vector
    reg: float = 0.0
    penalty: str = "l2"
    sample_weight: Optional[Vector] = None
    names: Optional[List[str]] = None
    columns: Matrix = field(init=False)
    total_weight: float = field(init=False)

    def __post_init__(self) -> None:
        self.columns = transpose(self.X)
        if self.sample_weight is None:
            self.total_weight = float(len(self.X))
        else:
            self.total_weight = total(self.sample_weight)
        if self.names is None:
            self.names = [f"x{j}" for j in range(len(self.columns))]

    @property
    def n_features(self) -> int:
        return len(self.columns)

    @property
    def l2(self) -> float:
        """The L2 coefficient that enters the gradient (0 for an L1 penalty)."""
        return self.reg if self.penalty == "l2" else 0.0

    def evaluate(self, w: Sequence[float], b: float) -> Tuple[Vector, float, Vector]:
        """At ``(w, b)``: the log-odds ``z = X w + b``, the objective ``J`` and the
        residuals ``r_i = s_i (p_i - y_i)``, with one ``exp`` per row.

        The fast path of ``loss.objective`` and ``gradient.residuals`` (tested equal).
        """
        z = logits(w, b, self.X)
        data_loss, r = loss_and_residuals(z, self.y, self.sample_weight)
        J = data_loss / self.total_weight + penalty_value(w, self.reg, self.penalty)
        return z, J, r

    def separated(self, z: Sequence[float]) -> bool:
        """Is every example strictly on its correct side of ``z = 0``?

        The margin ``(2 y - 1) z`` is positive exactly for a correctly classified
        example; rows of weight zero do not count. Only without a penalty does this
        mean trouble: then the optimum lies at infinity.
        """
        weights = self.sample_weight or [1.0] * len(z)
        return all((2.0 * yi - 1.0) * zi > 0.0 for zi, yi, si in zip(z, self.y, weights) if si > 0.0)

    def unpenalized_and_separated(self, z: Sequence[float]) -> bool:
        """``reg == 0`` and ``separated(z)``: the fit has no finite optimum to reach."""
        return self.reg == 0.0 and self.separated(z)

    def gradient(self, w: Sequence[float], r: Sequence[float]) -> Tuple[Vector, float]:
        """The gradient of the smooth part of J from the residuals (the L1 term is left
        to the prox step): ``X^T r / S + reg w`` and ``sum(r) / S``."""
        return fast_gradient(self.columns, r, w, self.l2, self.total_weight)


@dataclass
class FitResult:
    """What a solver found and how: parameters, the objective's history, why it stopped."""

    coef: Vector
    intercept: float
    loss_history: Vector
    n_iter: int
    converged: bool
    stop_reason: str
    grad_max: float


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


def _largest(values: Sequence[float]) -> float:
    return max(abs(v) for v in values)


def scale_spread(columns: Sequence[Sequence[float]], names: Sequence[str]) -> str:
    """Name the columns with the largest and smallest spread if they differ by > 1e3.

    The spread is the population standard deviation. Gradient descent with one step
    size crawls along the narrow directions of J when the scales differ this much.
    Returns "" when the scales are comparable (or a column is constant).
    """
    spreads = [population_std(column) for column in columns]
    low = min(range(len(spreads)), key=spreads.__getitem__)
    high = max(range(len(spreads)), key=spreads.__getitem__)
    if spreads[low] == 0.0 or spreads[high] / spreads[low] <= SCALE_SPREAD:
        return ""
    return (f"column {names[high]!r} has spread {spreads[high]:.3g} and column {names[low]!r} "
            f"{spreads[low]:.3g}, more than {SCALE_SPREAD:g} times apart")


def _check_divergence(history: Sequence[float], epoch: int, what: str, lr: float,
                      problem: "Problem") -> None:
    """Raise ``DivergenceError`` if J is not finite or has stayed above its start too long."""
    latest = history[-1]
    # "Keeps growing": worse than twice the starting objective (log 2 from zero, as if
    # every label had been given probability 1/4) for DIVERGENCE_PATIENCE steps in a
    # row. Noise near the start, as SGD's, stays well below that.
    rising = len(history) > DIVERGENCE_PATIENCE and all(
        h > 2.0 * history[0] for h in history[-DIVERGENCE_PATIENCE:]
    )
    if math.isfinite(latest) and not rising:
        return
    spread = scale_spread(problem.columns, problem.names or [])
    error = DivergenceError(
        f"{what} diverged at step {epoch}: the objective went from {history[0]:.6g} to "
        f"{latest:.6g}. The step lr={lr:g} is too large for this data: use a smaller lr "
        f"(try lr={lr / 10:g}), standardize the features"
        f"{' (' + spread + ')' if spread else ''}, or use solver='newton'"
    )
    error.stop_reason = "diverged"  # the fit's stop reason, and the evidence, for the caller
    error.loss_history = list(history)
    raise error


def _take_stock(problem: Problem, w: Vector, b: float, history: List[float], step: int, what: str,
                lr: float, progress: Optional[Progress]) -> Tuple[Vector, Vector]:
    """Evaluate J at ``(w, b)``, record it, stop on divergence, report progress.

    Returns the log-odds and the residuals there, for the gradient and the stop rules.
    """
    z, J, r = problem.evaluate(w, b)
    history.append(J)
    _check_divergence(history, step, what, lr, problem)
    if progress is not None:
        progress(step, J)
    return z, r


def _l1_step(problem: Problem, w: Vector, b: float, grad_w: Vector, grad_b: float,
             lr: float) -> Tuple[Vector, float]:
    shrink = lr * problem.reg
    return [soft_threshold(wj - lr * gj, shrink) for wj, gj in zip(w, grad_w)], b - lr * grad_b


def _optimality(problem: Problem, w: Vector, b: float, grad_w: Vector, grad_b: float,
                lr: float) -> float:
    """The largest gradient component; for L1, the largest proximal-gradient component.

    The proximal gradient ``(theta - prox(theta - lr g)) / lr`` is zero exactly at an
    L1 optimum, where the ordinary gradient need not exist.
    """
    if problem.penalty == "l1" and problem.reg > 0.0:
        new_w, _ = _l1_step(problem, w, b, grad_w, grad_b, lr)
        mapped = [(wj - nj) / lr for wj, nj in zip(w, new_w)]
        return max(_largest(mapped), abs(grad_b))
    return max(_largest(grad_w), abs(grad_b))


def gradient_descent(problem: Problem, *, lr: float, epochs: int, tol: float,
                     progress: Optional[Progress] = None) -> FitResult:
    """Full-batch gradient descent from zero: ``theta <- theta - lr * grad J(theta)``.

    Exactly the original algorithm when ``tol=0``: ``epochs`` steps, each from the
    gradient at the current point (``w`` and ``b`` updated together). With ``tol > 0``
    it stops early once the largest gradient component is at most ``tol``. With an L1
    penalty each step is a proximal step (gradient step, then soft-thresholding).
    """
    d = problem.n_features
    w, b = [0.0] * d, 0.0
    history: List[float] = []
    stop_reason = "iteration limit"
    for epoch in range(epochs + 1):
        z, r = _take_stock(problem, w, b, history, epoch, "gradient descent", lr, progress)
        grad_w, grad_b = problem.gradient(w, r)
        grad_max = _optimality(problem, w, b, grad_w, grad_b, lr)
        if tol > 0.0 and grad_max <= tol:
            stop_reason = "converged"
            break
        if tol > 0.0 and problem.unpenalized_and_separated(z):
            stop_reason = "separated"
            break
        if epoch == epochs:
            break
        if problem.penalty == "l1" and problem.reg > 0.0:
            w, b = _l1_step(problem, w, b, grad_w, grad_b, lr)
        else:
            w = [wj - lr * gj for wj, gj in zip(w, grad_w)]
            b = b - lr * grad_b
    if stop_reason == "iteration limit" and problem.unpenalized_and_separated(z):
        stop_reason = "separated"
    return FitResult(w, b, history, len(history) - 1, grad_max <= tol, stop_reason, grad_max)


def _singular_message(problem: Problem) -> str:
    """Say which columns make the Hessian singular: constant ones, or exact duplicates."""
    names = problem.names or []
    problems = []
    for j, column in enumerate(problem.columns):
        if min(column) == max(column):
            problems.append(f"column {names[j]!r} is constant (the intercept already covers it)")
            continue
        for k in range(j):
            if problem.columns[k] == column:
                problems.append(f"column {names[j]!r} duplicates column {names[k]!r}")
                break
    found = "; ".join(problems) if problems else "a column is a linear combination of the others"
    return (f"the Hessian is singular: {found}. Drop the redundant column(s), "
            f"or set reg > 0 so that every direction is penalized")


def newton(problem: Problem, *, epochs: int, tol: float, progress: Optional[Progress] = None,
           watch_separation: Optional[bool] = None) -> FitResult:
    """Newton's method with step halving, from zero; ``epochs`` bounds the iterations.

    Each iteration solves ``H delta = grad J`` (Cholesky) and tries ``theta - delta``;
    while that does not decrease J, the step is halved. Near the optimum the full
    step is always taken and the number of correct digits roughly doubles per step.
    Requires ``penalty="l2"``: |w| has no second derivative at 0. It stops at the
    first iterate that separates the classes when ``watch_separation`` (by default,
    when ``reg == 0``).
    """
    if problem.penalty != "l2" and problem.reg > 0.0:
        raise ValueError("solver='newton' cannot fit penalty='l1' (|w| has no Hessian at 0); "
                         "use solver='gd' for an L1 penalty")
    d = problem.n_features
    w, b = [0.0] * d, 0.0
    z, J, r = problem.evaluate(w, b)
    history = [J]
    stop_reason = "iteration limit"
    names = ["intercept"] + list(problem.names or [])
    watch = problem.reg == 0.0 if watch_separation is None else watch_separation
    for iteration in range(epochs + 1):
        if progress is not None:
            progress(iteration, J)
        grad_w, grad_b = problem.gradient(w, r)
        grad_max = max(_largest(grad_w), abs(grad_b))
        if grad_max <= tol:
            stop_reason = "converged"
            break
        if watch and problem.separated(z):
            stop_reason = "separated"
            break
        if iteration == epochs:
            break
        H = fast_hessian(problem.columns, z, problem.l2, problem.total_weight, problem.sample_weight)
        try:
            delta = solve_spd(H, [grad_b] + grad_w, names)
        except SingularMatrixError:
            raise SingularMatrixError(_singular_message(problem)) from None
        # The predicted decrease of a full step is g . delta / 2. Once it is below what
        # J's rounding can resolve, comparing J values is noise: we are then deep in
        # the region where Newton's full step converges quadratically, so take it.
        if fast_dot(delta, [grad_b] + grad_w) <= RESOLVABLE * (1.0 + abs(J)):
            b = b - delta[0]
            w = [wj - dj for wj, dj in zip(w, delta[1:])]
            z, J, r = problem.evaluate(w, b)
            history.append(J)
            continue
        step = 1.0
        for _ in range(MAX_HALVINGS):
            new_b = b - step * delta[0]
            new_w = [wj - step * dj for wj, dj in zip(w, delta[1:])]
            new_z, new_J, new_r = problem.evaluate(new_w, new_b)
            if new_J <= J:
                break
            step /= 2.0
        else:
            # No step decreases J at machine precision: we are as close as floats allow.
            stop_reason = "no further decrease"
            break
        w, b, z, J, r = new_w, new_b, new_z, new_J, new_r
        history.append(J)
    return FitResult(w, b, history, len(history) - 1, grad_max <= tol, stop_reason, grad_max)


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


def sgd(problem: Problem, *, lr: float, epochs: int, tol: float, batch_size: int,
        random_state: Optional[int], progress: Optional[Progress] = None) -> FitResult:
    """Mini-batch SGD: each epoch shuffles the rows and steps once per batch.

    The shuffle uses ``random.Random(random_state)``, never the global generator, so a
    fixed ``random_state`` reproduces a fit exactly. The step size follows
    ``sgd_learning_rate``. A batch's gradient is scaled so that its expectation is the
    full gradient of J. After each epoch the full objective and gradient are computed
    for the history and the stopping rule.

    The intercept is not penalized, so it follows the step size of a merely convex
    direction (``sgd_learning_rate`` with ``reg = 0``) while the weights follow the
    faster-decaying, strongly convex one.
    """
    if problem.penalty != "l2" and problem.reg > 0.0:
        raise ValueError("solver='sgd' does not support penalty='l1'; use solver='gd' for an L1 penalty")
    rng = random.Random(random_state)
    n, d = len(problem.X), problem.n_features
    weights = problem.sample_weight or [1.0] * n
    scale_to_mean = n / problem.total_weight  # E[s_i] over rows, so batches estimate J's gradient
    batches = max(1, math.ceil(n / batch_size))
    order = list(range(n))
    w, b = [0.0] * d, 0.0
    history: List[float] = []
    stop_reason = "iteration limit"
    t = 0
    for epoch in range(epochs + 1):
        z, r = _take_stock(problem, w, b, history, epoch, "stochastic gradient descent", lr, progress)
        grad_w, grad_b = problem.gradient(w, r)
        grad_max = max(_largest(grad_w), abs(grad_b))
        if grad_max <= tol:
            stop_reason = "converged"
            break
        if epoch == epochs:
            break
        rng.shuffle(order)
        for start in range(0, n, batch_size):
            batch = order[start:start + batch_size]
            eta = sgd_learning_rate(lr, problem.l2, t, batches)
            eta_b = sgd_learning_rate(lr, 0.0, t, batches)
            t += 1
            factor = scale_to_mean / len(batch)
            g_w = [problem.l2 * wj for wj in w]
            g_b = 0.0
            for i in batch:
                x = problem.X[i]
                error = weights[i] * factor * (sigmoid(fast_dot(x, w) + b) - problem.y[i])
                g_b += error
                g_w = [gj + error * xj for gj, xj in zip(g_w, x)]
            w = [wj - eta * gj for wj, gj in zip(w, g_w)]
            b -= eta_b * g_b
    if stop_reason == "iteration limit" and problem.unpenalized_and_separated(z):
        stop_reason = "separated"
    return FitResult(w, b, history, len(history) - 1, grad_max <= tol, stop_reason, grad_max)


def separation_probe(problem: Problem, max_iter: int = 50) -> bool:
    """Does a hyperplane separate the classes? Looked for by Newton steps.

    On separable data the unpenalized loss has no minimum and Newton's steps
    quickly push every example to its correct side, where ``Problem.separated`` sees
    it; on data that are not separable Newton converges to a finite optimum instead.
    A tiny ridge, ``PROBE_RIDGE``, keeps the Hessian invertible when columns are
    collinear, without stopping the weights from growing far enough. A ``True``
    answer is certain (a separating hyperplane was found); ``False`` means none was
    found within ``max_iter`` steps.
    """
    probe = Problem(problem.X, problem.y, PROBE_RIDGE, "l2", problem.sample_weight, problem.names)
    try:
        result = newton(probe, epochs=max_iter, tol=1e-10, watch_separation=True)
    except SingularMatrixError:
        return False
    return result.stop_reason == "separated"

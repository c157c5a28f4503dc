"""Chapter 33. One gradient-descent step, with every number shown.

The derivation of chapters 3 to 15 with numbers in it: for a few rows, the log-odds
``z = w . x + b``, the probability ``p = sigmoid(z)``, the error ``p - y`` and the
row's gradient ``(p - y) x``; then the average over all rows, the penalty's share
``reg * w``, the step ``theta - lr * gradient``, and the objective before and after.

``step_numbers`` computes them, with the reference functions of the chapters (so the
numbers shown are the book's own); ``explain_step`` formats them as text.
"""

import math
from typing import List, NamedTuple, Optional, Sequence

from ..part1_mathematics.checks import (
    check_feature_names,
    check_finite_number,
    check_labels,
    check_matrix,
    check_vector,
    shown,
)
from ..part1_mathematics.gradient import gradient
from ..part1_mathematics.links import sigmoid
from ..part1_mathematics.loss import objective
from ..part1_mathematics.vectors import Matrix, Vector, add, dot, scale, subtract

__all__ = ["RowNumbers", "StepNumbers", "explain_step", "step_numbers"]


class RowNumbers(NamedTuple):
    """One row's share of the gradient: its index, first feature, label, z, p and (p - y) x_1."""

    index: int
    x_first: float
    y: float
    z: float
    p: float
    error_times_x: float  # (p - y) times the first feature


class StepNumbers(NamedTuple):
    """Every number of one gradient-descent step from ``(w, b)``."""

    rows: List[RowNumbers]  # a few rows, spread through the data
    n_rows: int
    w: Vector
    b: float
    data_gradient: Vector  # (1/n) sum (p - y) x
    grad_b: float  # mean(p - y)
    penalty_gradient: Vector  # reg * w
    new_w: Vector
    new_b: float
    before: float  # J at (w, b)
    after: float  # J after the step


def _spread_rows(n: int, shown: int) -> List[int]:
    """``shown`` row indices spread evenly over ``0 .. n - 1``, both ends included."""
    return sorted({round(k * (n - 1) / max(shown - 1, 1)) for k in range(shown)})


def step_numbers(data: Matrix, labels: Vector, w: Vector, b: float, lr: float, reg: float,
                 rows: int = 5) -> StepNumbers:
    """The numbers of one step of ``theta <- theta - lr * grad J`` from ``(w, b)``, for checked data."""
    shown = []
    for i in _spread_rows(len(data), max(1, min(rows, len(data)))):
        z = dot(data[i], w) + b
        p = sigmoid(z)
        shown.append(RowNumbers(i, data[i][0], labels[i], z, p, (p - labels[i]) * data[i][0]))
    data_gradient, grad_b = gradient(w, b, data, labels, 0.0)
    penalty_gradient = scale(reg, w)
    new_w = subtract(w, scale(lr, add(data_gradient, penalty_gradient)))
    new_b = b - lr * grad_b
    before, after = objective(w, b, data, labels, reg), _objective_after(new_w, new_b, data, labels, reg)
    return StepNumbers(shown, len(data), w, b, data_gradient, grad_b, penalty_gradient, new_w, new_b,
                       before, after)


def _objective_after(w: Vector, b: float, data: Matrix, labels: Vector, reg: float) -> float:
    """J after the step, or a ``ValueError`` that says why it cannot be computed (the step
    left the float range: the features, or lr, are too large)."""
    try:
        after = objective(w, b, data, labels, reg)
    except (ValueError, OverflowError):
        after = math.nan
    if not math.isfinite(after):
        raise ValueError("after this step the log-odds w.x + b leave the float range, so J cannot be "
                         "computed: the features or the step lr are too large; standardize the features "
                         f"(largest |x| here: {max(abs(v) for row in data for v in row):.3g}) or use a smaller lr")
    return after


def _vector(values: Sequence[float]) -> str:
    return "[" + ", ".join(f"{v:.4f}" for v in values) + "]"


def _row_lines(numbers: StepNumbers, first: str) -> List[str]:
    lines = [f"   {'row':>4} {first:>12} {'y':>3} {'z':>9} {'p':>8} {'p - y':>8} {'(p-y)x':>9}"]
    for r in numbers.rows:
        lines.append(f"   {r.index + 1:>4} {r.x_first:>12.4g} {int(r.y):>3} {r.z:>9.4f} {r.p:>8.4f} "
                     f"{r.p - r.y:>8.4f} {r.error_times_x:>9.4f}")
    if len(numbers.rows) < numbers.n_rows:
        lines.append(f"   ... and {numbers.n_rows - len(numbers.rows)} more rows")
    return lines


def _summary_lines(numbers: StepNumbers) -> List[str]:
    change = _verdict(numbers.before, numbers.after)
    grad_w = add(numbers.data_gradient, numbers.penalty_gradient)
    return [
        "",
        f"2. Average over all {numbers.n_rows} rows: (1/n) sum (p - y) x = {_vector(numbers.data_gradient)}",
        f"   and for the bias, mean(p - y) = {numbers.grad_b:.4f}",
        f"3. Penalty's share, reg * w = {_vector(numbers.penalty_gradient)}, so grad_w = {_vector(grad_w)}",
        f"4. Step against the gradient: w <- w - lr * grad_w = {_vector(numbers.new_w)}",
        f"                              b <- b - lr * dJ/db  = {numbers.new_b:.4f}",
        f"5. Objective J = mean cross-entropy + (reg/2)||w||^2: {numbers.before:.6f} before, "
        f"{numbers.after:.6f} after",
        f"   ({change})",
    ]


def _verdict(before: float, after: float) -> str:
    """What the step did to J: down, unchanged (a zero gradient: the optimum), or up (lr too large)."""
    if after < before:
        return f"down by {before - after:.6f}"
    if after == before:
        return "unchanged: the gradient is zero here, so this point is already the optimum"
    return f"up by {after - before:.6f}: the step lr is too large"


def explain_step(X: Sequence[Sequence[float]], y: Sequence[float], *, lr: float = 0.1, reg: float = 0.0,
                 w: Optional[Sequence[float]] = None, b: float = 0.0,
                 feature_names: Optional[Sequence[str]] = None, rows: int = 5,
                 title: str = "the data") -> str:
    """Text that walks through one full-batch gradient-descent step from ``(w, b)``.

    Raises ``ValueError`` or ``TypeError`` for bad data, ``lr <= 0`` or ``reg < 0``.

    >>> print(explain_step([[1.0], [3.0]], [0, 1], rows=1).splitlines()[0])
    One gradient-descent step on the data (2 rows, 1 feature)
    """
    data = check_matrix(X, "X")
    labels = check_labels(y, len(data))
    d = len(data[0])
    names = check_feature_names(feature_names, d)
    weights = [0.0] * d if w is None else check_vector(w, "w", length=d)
    numbers = step_numbers(data, labels, weights, check_finite_number(b, "b"),
                           check_finite_number(lr, "lr", minimum=0.0, strict=True),
                           check_finite_number(reg, "reg", minimum=0.0), rows)
    first = shown(names[0], 12, quoted=False)  # escaped: names come from files
    return "\n".join([
        f"One gradient-descent step on {shown(title, quoted=False)} ({len(data)} rows, {d} feature{'s' if d > 1 else ''})",
        f"Start: w = {_vector(weights)}, b = {b:.4f}; step size lr = {lr:g}, penalty reg = {reg:g}",
        "",
        "1. Each row: log-odds z = w.x + b, probability p = sigmoid(z), error p - y,",
        f"   and the row's share of the gradient, (p - y) x (shown for {first}):",
    ] + _row_lines(numbers, first) + _summary_lines(numbers))

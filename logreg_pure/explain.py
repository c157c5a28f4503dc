"""Chapter 14. One gradient-descent step, with every number shown.

The derivation of chapters 2 to 6 with numbers in it: for a few rows, the log-odds
``z = w . x + b``, the probability ``p = sigmoid(z)``, the error ``p - y`` and the
row's gradient ``(p - y) x``; then the average over all rows, the penalty's share
``reg * w``, the step ``theta - lr * gradient``, and the objective before and after.
"""

from typing import List, Optional, Sequence

from .checks import check_finite_number, check_labels, check_matrix
from .gradient import gradient
from .links import sigmoid
from .loss import objective
from .vectors import fast_dot

__all__ = ["explain_step"]


def _vector(values: Sequence[float]) -> str:
    return "[" + ", ".join(f"{v:.4f}" for v in values) + "]"


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
    lr = check_finite_number(lr, "lr", minimum=0.0, strict=True)
    reg = check_finite_number(reg, "reg", minimum=0.0)
    d = len(data[0])
    names = list(feature_names) if feature_names is not None else [f"x{j}" for j in range(d)]
    w = [0.0] * d if w is None else list(w)
    first = names[0][:12]
    lines: List[str] = [
        f"One gradient-descent step on {title} ({len(data)} rows, {d} feature{'s' if d > 1 else ''})",
        f"Start: w = {_vector(w)}, b = {b:.4f}; step size lr = {lr:g}, penalty reg = {reg:g}",
        "",
        "1. Each row: log-odds z = w.x + b, probability p = sigmoid(z), error p - y,",
        f"   and the row's share of the gradient, (p - y) x (shown for {first}):",
        f"   {'row':>4} {first:>12} {'y':>3} {'z':>9} {'p':>8} {'p - y':>8} {'(p-y)x':>9}",
    ]
    shown = max(1, min(rows, len(data)))
    # Rows spread evenly through the data, so that both ends (often both classes) appear.
    picks = sorted({round(k * (len(data) - 1) / max(shown - 1, 1)) for k in range(shown)})
    for i in picks:
        z = fast_dot(data[i], w) + b
        p = sigmoid(z)
        lines.append(f"   {i + 1:>4} {data[i][0]:>12.4g} {int(labels[i]):>3} {z:>9.4f} {p:>8.4f} "
                     f"{p - labels[i]:>8.4f} {(p - labels[i]) * data[i][0]:>9.4f}")
    if shown < len(data):
        lines.append(f"   ... and {len(data) - shown} more rows")
    data_grad_w, grad_b = gradient(w, b, data, labels, 0.0)
    grad_w = [g + reg * wj for g, wj in zip(data_grad_w, w)]
    new_w = [wj - lr * g for wj, g in zip(w, grad_w)]
    new_b = b - lr * grad_b
    before = objective(w, b, data, labels, reg)
    after = objective(new_w, new_b, data, labels, reg)
    lines += [
        "",
        f"2. Average over all {len(data)} rows: (1/n) sum (p - y) x = {_vector(data_grad_w)}",
        f"   and for the bias, mean(p - y) = {grad_b:.4f}",
        f"3. Penalty's share, reg * w = {_vector([reg * wj for wj in w])}, so grad_w = {_vector(grad_w)}",
        f"4. Step against the gradient: w <- w - lr * grad_w = {_vector(new_w)}",
        f"                              b <- b - lr * dJ/db  = {new_b:.4f}",
        f"5. Objective J = mean cross-entropy + (reg/2)||w||^2: {before:.6f} before, {after:.6f} after",
        f"   ({'down' if after < before else 'up'} by {abs(before - after):.6f}"
        f"{'' if after < before else ': the step lr is too large'})",
    ]
    return "\n".join(lines)

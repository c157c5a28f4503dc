"""Chapter 32. Pictures, as SVG text written by hand.

SVG is XML, so a plot is a string: a few ``<line>``, ``<polyline>``, ``<circle>`` and
``<text>`` elements inside an ``<svg>`` root. Four plots tell the story:

- ``plot_objective``: the objective J by step, falling as the solver works;
- ``plot_roc``: the ROC curve, with its AUC in the title;
- ``plot_sigmoid``: the fitted probability curve over one feature's data (labels
  at 0 and 1): the S-shape is the sigmoid of a straight line;
- ``plot_decision_boundary``: two features, the two classes, and the straight line
  ``w1 x1 + w2 x2 + b = logit(threshold)`` where the prediction changes.
- ``plot_class_regions``: two features and K classes: each point in the colour of its
  class, over a grid of small dots in the colour of the class predicted there, so
  that the boundaries between the classes show where the colours change;
- ``plot_profile``: one parameter's profile log-likelihood (chapter 21), the cut
  ``log L(theta_hat) - q / 2`` it must stay above, the interval where it does, and
  the Wald parabola for comparison: where they part, Wald's interval is wrong.

Two more draw chapter 26's answers to "how large should reg be?":

- ``plot_coefficient_paths``: every weight against ``log10(reg)`` along the
  regularization path, with the chosen ``reg`` marked: the weights leave zero one
  by one as the penalty falls;
- ``plot_cv_curve``: the cross-validated score at each ``reg`` with error bars of
  one standard error, the best ``reg`` and the one-standard-error choice marked.

Every plot has a title, axes with ticks and labels, and escapes its text, so the
result is well-formed SVG 1.1 for any feature name.
"""

import math
from typing import Callable, List, Optional, Sequence, Tuple
from xml.sax.saxutils import escape

from ..part1_mathematics.checks import check_same_length
from ..part1_mathematics.links import logit, sigmoid
from ..part5_inference.inference import Summary
from ..part5_inference.likelihood import chi2_cut
from .outputs import write_text

__all__ = [
    "Figure",
    "nice_ticks",
    "plot_coefficient_paths",
    "plot_cv_curve",
    "plot_class_regions",
    "plot_decision_boundary",
    "plot_objective",
    "plot_profile",
    "plot_roc",
    "plot_sigmoid",
    "summary_profile_plot",
    "write_svg",
]

WIDTH, HEIGHT = 640, 440
LEFT, RIGHT, TOP, BOTTOM = 70, 20, 40, 60
CLASS_COLOURS = ("#1f77b4", "#d62728")  # class 0 blue, class 1 red
LINE_COLOUR = "#333333"
PATH_COLOURS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf")  # one per weight, cycled
MAX_LEGEND = 10  # a legend longer than this would cover the plot


def nice_ticks(low: float, high: float, count: int = 5) -> List[float]:
    """About ``count`` round tick values (steps of 1, 2 or 5 times a power of ten) in [low, high].

    >>> nice_ticks(0.0, 1.0)
    [0.0, 0.2, 0.4, 0.6, 0.8, 1.0]

    Raises ``ValueError`` for a range that is not finite (or whose width overflows).
    """
    if not (math.isfinite(low) and math.isfinite(high) and math.isfinite(high - low)):
        raise ValueError(f"nice_ticks needs a finite range, got {low!r} to {high!r}")
    raw = (high - low) / count
    if not raw > 0.0:  # one value, or a range so narrow that its fifth underflows
        return [low]
    power = 10.0 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1.0, 2.0, 5.0, 10.0) if m * power >= raw)
    first = math.ceil(low / step - 1e-9)
    digits = 1 - math.floor(math.log10(step))  # a tick is a multiple of step: this many decimals
    ticks = []
    k = first
    while k * step <= high + 1e-9 * step:
        ticks.append(round(k * step, digits) + 0.0)  # + 0.0 turns -0.0 into 0.0
        k += 1
    return ticks


def _text(words: str) -> str:
    """Text safe inside an XML element: escaped, with characters XML 1.0 cannot hold
    (control characters, lone surrogates) and line breaks replaced by spaces."""
    cleaned = "".join(
        " " if ord(c) < 32 or 0xD800 <= ord(c) <= 0xDFFF or ord(c) in (0xFFFE, 0xFFFF) else c
        for c in words)
    return escape(cleaned)


def _labels(ticks: Sequence[float]) -> List[str]:
    """The ticks' labels: six significant digits, or every digit where six would show
    two ticks of a narrow range alike."""
    short = [f"{value:g}" for value in ticks]
    return short if len(set(short)) == len(short) else [repr(value) for value in ticks]


def _padded(low: float, high: float) -> Tuple[float, float]:
    if high > low:
        pad = 0.05 * (high - low)
        return low - pad, high + pad
    return low - 1.0, high + 1.0


def _axis_range(plot: str, axis: str, values: Sequence[float]) -> Tuple[float, float]:
    """The padded range of one axis's values, or a ``ValueError`` naming the plot and
    why it cannot be drawn: a value that is not finite, or a span that overflows."""
    if not values:
        raise ValueError(f"{plot}: no {axis} values to draw")
    bad = [v for v in values if not math.isfinite(v)]
    if bad:
        raise ValueError(f"{plot}: the {axis} values include {bad[0]!r}; a plot needs finite numbers")
    low, high = _padded(min(values), max(values))
    if not (math.isfinite(low) and math.isfinite(high) and math.isfinite(high - low)):
        raise ValueError(f"{plot}: the {axis} values run from {min(values):.3g} to {max(values):.3g}, a span "
                         f"too wide to draw in floating point; rescale them (for example, standardize)")
    return low, high


class Figure:
    """A plotting area mapping data coordinates ``[x0, x1] x [y0, y1]`` onto the SVG canvas."""

    def __init__(self, title: str, xlabel: str, ylabel: str,
                 x_range: Tuple[float, float], y_range: Tuple[float, float]) -> None:
        self.title, self.xlabel, self.ylabel = title, xlabel, ylabel
        self.x0, self.x1 = x_range
        self.y0, self.y1 = y_range
        self.parts: List[str] = []

    def px(self, x: float) -> float:
        return LEFT + (x - self.x0) / (self.x1 - self.x0) * (WIDTH - LEFT - RIGHT)

    def py(self, y: float) -> float:
        return HEIGHT - BOTTOM - (y - self.y0) / (self.y1 - self.y0) * (HEIGHT - TOP - BOTTOM)

    def polyline(self, xs: Sequence[float], ys: Sequence[float], colour: str = LINE_COLOUR,
                 dashed: bool = False, css_class: str = "curve", label: str = "") -> None:
        """A line through the points; ``label`` (if any) is shown when the pointer rests on it."""
        points = " ".join(f"{self.px(x):.2f},{self.py(y):.2f}" for x, y in zip(xs, ys))
        dash = ' stroke-dasharray="6,4"' if dashed else ""
        end = f"><title>{_text(label)}</title></polyline>" if label else "/>"
        self.parts.append(f'<polyline class="{css_class}" points="{points}" fill="none" '
                          f'stroke="{colour}" stroke-width="2"{dash}{end}')

    def circles(self, xs: Sequence[float], ys: Sequence[float], colour: str, css_class: str) -> None:
        for x, y in zip(xs, ys):
            self.parts.append(f'<circle class="{css_class}" cx="{self.px(x):.2f}" cy="{self.py(y):.2f}" '
                              f'r="4" fill="{colour}" fill-opacity="0.6"/>')

    def legend(self, entries: Sequence[Tuple[str, str]], left: float = LEFT + 14) -> None:
        """Coloured dots with labels, in the top-left corner of the plotting area (or from ``left``)."""
        for k, (colour, words) in enumerate(entries):
            y = TOP + 16 + 18 * k
            self.parts.append(f'<circle class="legend" cx="{left}" cy="{y - 4}" r="4" fill="{colour}"/>')
            self.parts.append(f'<text class="legend" x="{left + 10}" y="{y}" font-size="12">{_text(words)}</text>')

    def text(self, x: float, y: float, words: str, anchor: str = "start") -> None:
        """Text at data coordinates (x, y)."""
        self.parts.append(f'<text x="{self.px(x):.2f}" y="{self.py(y):.2f}" text-anchor="{anchor}" '
                          f'font-size="13">{_text(words)}</text>')

    def _axes(self) -> List[str]:
        bottom, left = HEIGHT - BOTTOM, LEFT
        items = [
            f'<line class="axis" x1="{left}" y1="{bottom}" x2="{WIDTH - RIGHT}" y2="{bottom}" stroke="black"/>',
            f'<line class="axis" x1="{left}" y1="{TOP}" x2="{left}" y2="{bottom}" stroke="black"/>',
        ]
        x_ticks = nice_ticks(self.x0, self.x1)
        for tick, label in zip(x_ticks, _labels(x_ticks)):
            x = self.px(tick)
            items.append(f'<line class="tick" x1="{x:.2f}" y1="{bottom}" x2="{x:.2f}" y2="{bottom + 5}" '
                         f'stroke="black"/>')
            items.append(f'<text class="tick-label" x="{x:.2f}" y="{bottom + 20}" text-anchor="middle" '
                         f'font-size="12">{_text(label)}</text>')
        y_ticks = nice_ticks(self.y0, self.y1)
        for tick, label in zip(y_ticks, _labels(y_ticks)):
            y = self.py(tick)
            items.append(f'<line class="tick" x1="{left - 5}" y1="{y:.2f}" x2="{left}" y2="{y:.2f}" stroke="black"/>')
            items.append(f'<text class="tick-label" x="{left - 8}" y="{y + 4:.2f}" text-anchor="end" '
                         f'font-size="12">{_text(label)}</text>')
        items.append(f'<text class="xlabel" x="{(left + WIDTH - RIGHT) / 2}" y="{HEIGHT - 15}" '
                     f'text-anchor="middle" font-size="14">{_text(self.xlabel)}</text>')
        items.append(f'<text class="ylabel" x="18" y="{(TOP + bottom) / 2}" text-anchor="middle" font-size="14" '
                     f'transform="rotate(-90 18 {(TOP + bottom) / 2})">{_text(self.ylabel)}</text>')
        return items

    def to_svg(self) -> str:
        clip = (f'<clipPath id="plot-area"><rect x="{LEFT}" y="{TOP}" width="{WIDTH - LEFT - RIGHT}" '
                f'height="{HEIGHT - TOP - BOTTOM}"/></clipPath>')
        lines = [
            '<?xml version="1.0" encoding="UTF-8"?>',
            f'<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="{WIDTH}" height="{HEIGHT}" '
            f'viewBox="0 0 {WIDTH} {HEIGHT}" font-family="sans-serif">',
            f"<title>{_text(self.title)}</title>",
            f'<defs>{clip}</defs>',
            f'<rect width="{WIDTH}" height="{HEIGHT}" fill="white"/>',
            f'<text class="title" x="{WIDTH / 2}" y="24" text-anchor="middle" '
            f'font-size="16">{_text(self.title)}</text>',
            *self._axes(),
            '<g clip-path="url(#plot-area)">',
            *self.parts,
            "</g>",
            "</svg>",
        ]
        return "\n".join(lines) + "\n"


def plot_objective(history: Sequence[float], *, title: str = "Objective J by step",
                   xlabel: str = "step") -> str:
    """The objective J after each step (step 0 is the start)."""
    if not history:
        raise ValueError("plot_objective needs at least one value of the objective")
    steps = list(range(len(history)))
    figure = Figure(title, xlabel, "objective J", _padded(0.0, max(len(history) - 1, 1)),
                    _axis_range("plot_objective", "objective", list(history)))
    figure.polyline(steps, history)
    return figure.to_svg()


def plot_roc(fpr: Sequence[float], tpr: Sequence[float], auc: float, *,
             title: Optional[str] = None) -> str:
    """The ROC curve from ``metrics.roc_curve``, with the chance diagonal dashed."""
    check_same_length(fpr, tpr, "fpr", "tpr")
    _axis_range("plot_roc", "rate", list(fpr) + list(tpr) + [auc])
    figure = Figure(title or f"ROC curve (AUC = {auc:.3f})", "false-positive rate",
                    "true-positive rate", (0.0, 1.0), (0.0, 1.0))
    figure.polyline([0.0, 1.0], [0.0, 1.0], colour="#999999", dashed=True, css_class="chance")
    figure.polyline(fpr, tpr, colour=CLASS_COLOURS[1])
    return figure.to_svg()


def plot_sigmoid(x: Sequence[float], y: Sequence[float], coef: float, intercept: float, *,
                 feature_name: str = "x", target_name: str = "y") -> str:
    """The data (at heights 0 and 1) and the fitted curve ``sigmoid(coef * x + intercept)``."""
    check_same_length(x, y, "x", "y")
    low, high = _axis_range("plot_sigmoid", feature_name, list(x))
    _axis_range("plot_sigmoid", "parameter", [coef, intercept])
    sign = "-" if intercept < 0 else "+"
    figure = Figure(f"P({target_name} = 1) = sigmoid({coef:.3g} * {feature_name} {sign} {abs(intercept):.3g})",
                    feature_name, f"P({target_name} = 1)", (low, high), (-0.05, 1.05))
    grid = [low + (high - low) * k / 200 for k in range(201)]
    figure.polyline(grid, [sigmoid(coef * g + intercept) for g in grid])
    for label, colour in zip((0.0, 1.0), CLASS_COLOURS):
        xs = [xi for xi, yi in zip(x, y) if yi == label]
        figure.circles(xs, [label] * len(xs), colour, f"class-{int(label)}")
    figure.legend([(CLASS_COLOURS[0], f"{target_name} = 0"), (CLASS_COLOURS[1], f"{target_name} = 1")])
    return figure.to_svg()


def plot_decision_boundary(X: Sequence[Sequence[float]], y: Sequence[float], coef: Sequence[float],
                           intercept: float, *, feature_names: Sequence[str] = ("x1", "x2"),
                           threshold: float = 0.5) -> str:
    """Two features, both classes, and the boundary ``w1 x1 + w2 x2 + b = logit(threshold)``.

    The boundary is a straight line: logistic regression is a linear classifier.
    """
    xs, ys = _two_columns(X, y, coef)
    x_range = _axis_range("plot_decision_boundary", feature_names[0], xs)
    y_range = _axis_range("plot_decision_boundary", feature_names[1], ys)
    _axis_range("plot_decision_boundary", "parameter", list(coef) + [intercept])
    figure = Figure(f"Decision boundary at P = {threshold:g}", feature_names[0], feature_names[1],
                    x_range, y_range)
    for label, colour in zip((0.0, 1.0), CLASS_COLOURS):
        rows = [i for i, t in enumerate(y) if t == label]
        figure.circles([xs[i] for i in rows], [ys[i] for i in rows], colour, f"class-{int(label)}")
    figure.legend([(CLASS_COLOURS[0], "class 0"), (CLASS_COLOURS[1], "class 1")])
    _boundary_line(figure, coef, logit(threshold) - intercept, x_range, y_range)
    return figure.to_svg()


def plot_class_regions(X: Sequence[Sequence[float]], y: Sequence[float],
                       predict: Callable[[List[List[float]]], Sequence[float]], *, classes: Sequence[str],
                       feature_names: Sequence[str] = ("x1", "x2"), title: str = "Predicted class") -> str:
    """Two features, K classes (``y`` holds codes 0 .. K-1, named by ``classes``), and
    the class ``predict`` gives at each point of a 49 x 31 grid, as small dots.

    K classes have K(K-1)/2 boundaries, each a straight line where two classes' scores
    tie; the regions show the parts of them where those two classes are the likeliest.
    """
    if len(classes) > len(PATH_COLOURS):
        raise ValueError(f"plot_class_regions draws at most {len(PATH_COLOURS)} classes, got {len(classes)}")
    xs, ys = _two_columns(X, y, [0.0, 0.0], "plot_class_regions")
    figure = Figure(title, feature_names[0], feature_names[1], _axis_range("plot_class_regions", feature_names[0], xs),
                    _axis_range("plot_class_regions", feature_names[1], ys))
    _regions(figure, predict)
    for k in range(len(classes)):
        rows = [row for row, code in zip(X, y) if code == k]
        figure.circles([row[0] for row in rows], [row[1] for row in rows], PATH_COLOURS[k], f"class-{k}")
    figure.legend([(PATH_COLOURS[k], str(name)) for k, name in enumerate(classes)])
    return figure.to_svg()


def _regions(figure: Figure, predict: Callable[[List[List[float]]], Sequence[float]]) -> None:
    """Small dots on a 49 x 31 grid over the figure, in the colour of the class predicted there."""
    width, height = figure.x1 - figure.x0, figure.y1 - figure.y0
    grid = [[figure.x0 + width * i / 48, figure.y0 + height * j / 30] for i in range(49) for j in range(31)]
    for point, k in zip(grid, predict(grid)):
        figure.parts.append(f'<circle class="region" cx="{figure.px(point[0]):.1f}" cy="{figure.py(point[1]):.1f}" '
                            f'r="1.6" fill="{PATH_COLOURS[int(k)]}" fill-opacity="0.45"/>')


def _two_columns(X: Sequence[Sequence[float]], y: Sequence[float], coef: Sequence[float],
                 plot: str = "plot_decision_boundary") -> Tuple[List[float], List[float]]:
    """The two columns of ``X``, after checking that there are two, and one label per row."""
    if len(coef) != 2 or any(len(row) != 2 for row in X):
        raise ValueError(f"{plot} needs exactly two features")
    check_same_length(X, y, "X", "y")
    return [row[0] for row in X], [row[1] for row in X]


def _boundary_line(figure: Figure, coef: Sequence[float], cut: float, x_range: Tuple[float, float],
                   y_range: Tuple[float, float]) -> None:
    """Draw ``w1 x1 + w2 x2 = cut`` across the plot (nothing when w = 0: no boundary).

    The line is solved for the coordinate with the larger weight, so the ratio of the
    weights is at most 1 and nothing overflows; a line that leaves the float range
    lies far outside the plot and is not drawn."""
    w1, w2 = coef
    if abs(w2) >= abs(w1) and w2 != 0.0:  # x2 = (cut - w1 x1) / w2, drawn across the plot
        xs = list(x_range)
        ys = [cut / w2 - (w1 / w2) * x for x in xs]
    elif w1 != 0.0:  # x1 = (cut - w2 x2) / w1, drawn from bottom to top
        ys = list(y_range)
        xs = [cut / w1 - (w2 / w1) * y for y in ys]
    else:
        return
    if all(map(math.isfinite, xs + ys)):
        figure.polyline(xs, ys, css_class="boundary")


def _log_regs(regs: Sequence[float]) -> List[float]:
    if not regs or not all(isinstance(r, (int, float)) and math.isfinite(r) and r > 0.0 for r in regs):
        raise ValueError("the regs must be a non-empty list of positive, finite penalties "
                         "(the plot's axis is log10(reg))")
    return [math.log10(r) for r in regs]


def _mark_reg(figure: Figure, reg: Optional[float], words: str, colour: str, line: int) -> None:
    """A dashed vertical line at ``log10(reg)`` with its label near the top."""
    if reg is None:
        return
    x = math.log10(reg)
    figure.polyline([x, x], [figure.y0, figure.y1], colour=colour, dashed=True, css_class="chosen")
    top = figure.y1 - (0.06 + 0.06 * line) * (figure.y1 - figure.y0)
    if x > (figure.x0 + figure.x1) / 2:  # near the right edge the label goes to the line's left
        figure.text(x, top, f"{words} = {reg:.3g} ", anchor="end")
    else:
        figure.text(x, top, f" {words} = {reg:.3g}")


def _path_names(coefs: Sequence[Sequence[float]], feature_names: Optional[Sequence[str]]) -> List[str]:
    """The features' names (default x1, x2, ...), once every list of coefs has one weight per name."""
    d = len(coefs[0])
    names = list(feature_names) if feature_names is not None else [f"x{j + 1}" for j in range(d)]
    if len(names) != d or any(len(c) != d for c in coefs):
        raise ValueError(f"every list of coefs needs one weight per feature name ({len(names)})")
    return names


def plot_coefficient_paths(regs: Sequence[float], coefs: Sequence[Sequence[float]], *,
                           feature_names: Optional[Sequence[str]] = None, chosen_reg: Optional[float] = None,
                           title: str = "Regularization path") -> str:
    """Each weight against ``log10(reg)`` (one line per feature), ``chosen_reg`` marked.

    The legend names the weights that are largest at the smallest ``reg`` (at most
    ten); every line names its feature when the pointer rests on it.
    """
    check_same_length(regs, coefs, "regs", "coefs")
    xs = _log_regs(regs)
    names = _path_names(coefs, feature_names)
    d = len(names)
    values = [w for c in coefs for w in c] + [0.0]
    figure = Figure(title, "log10(reg)", "coefficient", _padded(min(xs), max(xs)),
                    _padded(min(values), max(values)))
    figure.polyline([figure.x0, figure.x1], [0.0, 0.0], colour="#999999", dashed=True, css_class="zero")
    for j in range(d):
        figure.polyline(xs, [c[j] for c in coefs], colour=PATH_COLOURS[j % len(PATH_COLOURS)],
                        css_class="path", label=names[j])
    last = coefs[xs.index(min(xs))]
    shown = sorted(range(d), key=lambda j: -abs(last[j]))[:MAX_LEGEND]
    figure.legend([(PATH_COLOURS[j % len(PATH_COLOURS)], names[j]) for j in shown], left=WIDTH - RIGHT - 150)
    _mark_reg(figure, chosen_reg, "chosen reg", LINE_COLOUR, 0)
    return figure.to_svg()


def plot_cv_curve(regs: Sequence[float], means: Sequence[float], errors: Sequence[float], *,
                  best_reg: Optional[float] = None, one_se_reg: Optional[float] = None,
                  scoring: str = "log_loss", title: str = "Cross-validation") -> str:
    """The mean cross-validated score at each ``log10(reg)``, with error bars of one
    standard error, and the best and one-standard-error choices marked."""
    check_same_length(regs, means, "regs", "means")
    check_same_length(regs, errors, "regs", "errors")
    xs = _log_regs(regs)
    lows = [m - e for m, e in zip(means, errors)]
    highs = [m + e for m, e in zip(means, errors)]
    figure = Figure(title, "log10(reg)", f"mean {scoring.replace('_', ' ')} (+/- 1 s.e.)",
                    _padded(min(xs), max(xs)), _padded(min(lows), max(highs)))
    for x, low, high in zip(xs, lows, highs):
        figure.polyline([x, x], [low, high], colour="#999999", css_class="error-bar")
    figure.circles(xs, means, CLASS_COLOURS[1], "mean")
    _mark_reg(figure, best_reg, "best", CLASS_COLOURS[0], 0)
    _mark_reg(figure, one_se_reg, "one-SE", LINE_COLOUR, 1)
    return figure.to_svg()


def plot_profile(values: Sequence[float], log_likelihoods: Sequence[float], *, name: str, estimate: float,
                 interval: Tuple[float, float], cut: float, wald_se: Optional[float] = None,
                 what: str = "log-likelihood") -> str:
    """The profile log-likelihood of parameter ``name`` over ``values``, with its interval.

    ``cut`` is the level ``log L(theta_hat) - q / 2`` that defines the interval; the
    interval's finite ends are marked by vertical lines and the interval itself by a
    thick segment on the cut (an infinite end runs to the plot's edge). With
    ``wald_se``, the Wald parabola ``log L(theta_hat) - (v - estimate)^2 / (2 se^2)`` is
    drawn dashed. ``what`` names the curve ("penalized log-likelihood" for Firth).
    """
    check_same_length(values, log_likelihoods, "values", "log_likelihoods")
    if len(values) < 2:
        raise ValueError("plot_profile needs at least two values of the parameter")
    top = max(log_likelihoods)
    x_range = _padded(min(values), max(values))
    y_range = _padded(min(min(log_likelihoods), cut), top)
    figure = Figure(f"Profile {what} of {name}", name, f"profile {what}", x_range, y_range)
    figure.polyline(list(values), list(log_likelihoods), css_class="profile")
    if wald_se is not None and wald_se > 0.0:
        parabola = [top - (v - estimate) ** 2 / (2.0 * wald_se ** 2) for v in values]
        figure.polyline(list(values), parabola, colour=CLASS_COLOURS[0], dashed=True, css_class="wald")
    figure.polyline(list(x_range), [cut, cut], colour="#999999", dashed=True, css_class="cut")
    low, high = max(interval[0], x_range[0]), min(interval[1], x_range[1])
    figure.polyline([low, high], [cut, cut], colour=CLASS_COLOURS[1], css_class="interval")
    for end in interval:
        if math.isfinite(end):
            figure.polyline([end, end], [y_range[0], cut], colour=CLASS_COLOURS[1], dashed=True, css_class="end")
    entries = [(LINE_COLOUR, "profile"), (CLASS_COLOURS[1], f"interval [{interval[0]:.3g}, {interval[1]:.3g}]")]
    figure.legend(entries + ([(CLASS_COLOURS[0], "Wald parabola")] if wald_se else []))
    return figure.to_svg()


def profile_grid(estimate: float, interval: Tuple[float, float], spread: float,
                 points: int = 41) -> List[float]:
    """``points`` values of a parameter around its estimate. With ``span`` = 1.5 times the
    farther finite end's distance (or ``spread``, if larger), they reach ``span / 4``
    past each finite end, and ``span`` from the estimate on an infinite side.

    >>> profile_grid(0.0, (-1.0, 1.0), 1.0, points=5)   # span 1.5: ends 1 + 0.375 out
    [-1.375, -0.6875, 0.0, 0.6875, 1.375]
    """
    reach = [abs(end - estimate) for end in interval if math.isfinite(end)]
    span = 1.5 * max(reach + [spread])
    low = max(interval[0] - 0.25 * span, estimate - span) if math.isfinite(interval[0]) else estimate - span
    high = min(interval[1] + 0.25 * span, estimate + span) if math.isfinite(interval[1]) else estimate + span
    return [low + (high - low) * k / (points - 1) for k in range(points)]


def summary_profile_plot(summary: Summary, j: int, alpha: float = 0.05, points: int = 41) -> str:
    """``plot_profile`` of parameter ``j`` of a summary (two classes or K, its parameters in
    one list: ``flat_parameters``): its profile (penalized) log-likelihood at ``points``
    values by refits, the cut, the interval and Wald's parabola."""
    interval = summary.profile_interval(j, alpha)
    names, estimates, errors = summary.flat_parameters()
    values = profile_grid(estimates[j], (interval.lower, interval.upper), errors[j], points)
    return plot_profile(values, summary.profile_log_likelihood(j, values), name=names[j],
                        estimate=estimates[j], interval=(interval.lower, interval.upper),
                        cut=summary.log_likelihood - chi2_cut(alpha) / 2.0, wald_se=errors[j],
                        what="penalized log-likelihood" if getattr(summary, "firth", False) else "log-likelihood")


def write_svg(path: str, svg: str) -> None:
    """Write the SVG text to ``path`` (UTF-8), whole or not at all (chapter 28)."""
    write_text(path, svg)


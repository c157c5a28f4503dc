"""Chapter 32: the SVG plots are well-formed and show what they claim."""

import os
import xml.etree.ElementTree as ElementTree

import pytest
from hypothesis import assume, example, given, strategies as st

from logreg_pure import LogisticRegression
from logreg_pure.part6_command_line.datasets import load_study_hours

from logreg_pure.part1_mathematics.links import logit, sigmoid
from logreg_pure.part5_inference.metrics import roc_curve
from logreg_pure.part6_command_line.plots import (
    nice_ticks,
    plot_coefficient_paths,
    plot_cv_curve,
    plot_decision_boundary,
    plot_objective,
    plot_roc,
    plot_sigmoid,
)
from strategies import at_most, scored_labels

SVG = "{http://www.w3.org/2000/svg}"
GOLDEN = os.path.join(os.path.dirname(__file__), "golden", "sigmoid.svg")


def test_sigmoid_plot_matches_the_golden_file():
    """The study-hours plot the demo writes (and the README shows) has not changed.

    After an intended change to the plots, regenerate it with
    ``python -m logreg_pure demo --out /tmp/p && cp /tmp/p/sigmoid.svg tests/golden/``.
    """
    data = load_study_hours()
    model = LogisticRegression(solver="newton", tol=1e-10).fit(data.X, data.y)
    svg = plot_sigmoid([row[0] for row in data.X], data.y, model.coef_[0], model.intercept_,
                       feature_name="hours", target_name="passed")
    with open(GOLDEN, encoding="utf-8") as handle:
        assert svg == handle.read()


@given(st.text(min_size=1, max_size=20), st.text(min_size=1, max_size=20))
@example("\r", "0")  # XML turns a carriage return into a newline
@example("\x00", "0")  # a NUL cannot appear in XML 1.0 at all
def test_any_names_give_well_formed_svg(name, target):
    """Law: whatever the feature and target names hold (<, &, quotes, control
    characters, lone surrogates), the plot parses as XML."""
    svg = plot_sigmoid([0.0, 1.0, 2.0], [0.0, 1.0, 1.0], 1.0, -1.0, feature_name=name, target_name=target)
    ElementTree.fromstring(svg.encode("utf-8"))


@given(st.text(min_size=1, max_size=20).filter(
    lambda s: s.isprintable() and not any(0xD800 <= ord(c) <= 0xDFFF for c in s)))
@example("a < b & 'c'")
def test_printable_names_are_shown_as_written(name):
    """Law: a printable feature name (no control characters or lone surrogates) is
    the x-axis label, character for character, once the SVG is parsed."""
    svg = plot_sigmoid([0.0, 1.0, 2.0], [0.0, 1.0, 1.0], 1.0, -1.0, feature_name=name)
    root = ElementTree.fromstring(svg.encode("utf-8"))
    assert next(e for e in root.iter() if e.get("class") == "xlabel").text == name


def test_objective_and_boundary_plots():
    root = ElementTree.fromstring(plot_objective([0.69, 0.5, 0.4]).encode("utf-8"))
    assert any(e.get("class") == "curve" for e in root.iter(SVG + "polyline"))
    root = ElementTree.fromstring(plot_decision_boundary(
        [[0.0, 0.0], [1.0, 1.0]], [0.0, 1.0], [1.0, 1.0], -1.0).encode("utf-8"))
    assert any(e.get("class") == "boundary" for e in root.iter(SVG + "polyline"))


@given(st.floats(-1e6, 1e6), st.floats(1e-3, 1e6))
def test_ticks_are_round_and_inside_the_range(low, width):
    """Law: nice_ticks returns increasing values inside [low, high], 2 to 11 of them."""
    high = low + width
    ticks = nice_ticks(low, high)
    assert 2 <= len(ticks) <= 11
    assert all(a < b for a, b in zip(ticks, ticks[1:]))
    slack = 1e-9 * max(abs(low), abs(high), width)
    assert low - slack <= ticks[0] and ticks[-1] <= high + slack


def test_coefficient_paths_plot_a_line_per_feature_and_mark_the_chosen_reg():
    regs, coefs = [1.0, 0.1, 0.01], [[0.0, 0.0], [0.5, 0.0], [1.0, -0.25]]
    svg = plot_coefficient_paths(regs, coefs, feature_names=["a & b", "c"], chosen_reg=0.1)
    root = ElementTree.fromstring(svg.encode("utf-8"))
    paths = [e for e in root.iter(SVG + "polyline") if e.get("class") == "path"]
    assert [p.find(SVG + "title").text for p in paths] == ["a & b", "c"]  # escaped, and shown on hover
    assert any(e.get("class") == "chosen" for e in root.iter(SVG + "polyline"))
    assert "chosen reg = 0.1" in svg and root.find(SVG + "title").text == "Regularization path"


def test_cv_curve_has_error_bars_and_both_choices():
    svg = plot_cv_curve([1.0, 0.1, 0.01], [0.6, 0.3, 0.35], [0.02, 0.05, 0.04], best_reg=0.1, one_se_reg=1.0)
    root = ElementTree.fromstring(svg.encode("utf-8"))
    assert sum(1 for e in root.iter(SVG + "polyline") if e.get("class") == "error-bar") == 3
    assert sum(1 for e in root.iter(SVG + "circle") if e.get("class") == "mean") == 3
    assert "best = 0.1" in svg and "one-SE = 1" in svg


def test_path_plots_refuse_what_a_log_axis_cannot_show():
    with pytest.raises(ValueError, match="positive, finite penalties"):
        plot_coefficient_paths([1.0, 0.0], [[0.0], [1.0]])
    with pytest.raises(ValueError, match="regs and coefs must have the same length"):
        plot_coefficient_paths([1.0, 0.1], [[0.0]])
    with pytest.raises(ValueError, match="one weight per feature name"):
        plot_coefficient_paths([1.0, 0.1], [[0.0], [1.0, 2.0]])
PROFILE_GOLDEN = os.path.join(os.path.dirname(__file__), "golden", "profile_nv.svg")


def numbers(points):
    return [tuple(float(v) for v in pair.split(",")) for pair in points.split()]


def test_the_profile_plot_marks_the_interval_where_the_curve_crosses_the_cut():
    """The guide's picture (tests/golden/profile_nv.svg, on its page about separation):
    Firth's profile of NV on the endometrial data. Compared point by point to half a
    pixel, not byte for byte: each point is a refit, and the last bits of a refit differ
    between interpreters.

    After an intended change, regenerate it as the guide's Firth example does, with
    ``summary_profile_plot(result, 1)``.
    """
    from logreg_pure import summarize
    from logreg_pure.part6_command_line.datasets import load_endometrial
    from logreg_pure.part6_command_line.plots import summary_profile_plot

    data = load_endometrial()
    model = LogisticRegression(solver="newton", penalty="firth", tol=1e-10).fit(
        data.X, data.y, feature_names=data.feature_names)
    svg = summary_profile_plot(summarize(model, data.X, data.y, target_name="HG"), 1)
    with open(PROFILE_GOLDEN, encoding="utf-8") as handle:
        golden = ElementTree.fromstring(handle.read().encode("utf-8"))
    fresh = ElementTree.fromstring(svg.encode("utf-8"))
    lines = [[e for e in root.iter(SVG + "polyline")] for root in (golden, fresh)]
    assert [e.get("class") for e in lines[0]] == [e.get("class") for e in lines[1]]
    for old, new in zip(*lines):
        assert all(abs(a - b) <= 0.5 for p, q in zip(numbers(old.get("points")), numbers(new.get("points")))
                   for a, b in zip(p, q))
    ends = [numbers(e.get("points"))[0][0] for e in fresh.iter(SVG + "polyline") if e.get("class") == "end"]
    segment = next(numbers(e.get("points")) for e in fresh.iter(SVG + "polyline") if e.get("class") == "interval")
    assert [x for x, _ in segment] == ends  # the thick segment on the cut runs from end to end


def test_an_infinite_end_runs_to_the_edge():
    from logreg_pure.part6_command_line.plots import plot_profile

    svg = plot_profile([0.0, 1.0, 2.0, 3.0], [-1.0, -0.5, -0.4, -0.39], name="b", estimate=3.0,
                       interval=(0.8, float("inf")), cut=-0.7)
    root = ElementTree.fromstring(svg.encode("utf-8"))
    assert len([e for e in root.iter(SVG + "polyline") if e.get("class") == "end"]) == 1
    assert "interval [0.8, inf]" in svg and "Profile log-likelihood of b" in svg
# ------------------------------------------------- coordinates: what the plots show

class Ruler:
    """One axis, read off its tick labels as a reader would: each label's value and
    position, joined by a straight line through the first and the last tick."""

    def __init__(self, ticks):
        (self.v0, self.p0), (v1, self.p1) = ticks[0], ticks[-1]
        self.scale = (self.p1 - self.p0) / (v1 - self.v0)  # pixels per unit

    def pixel(self, value):
        return self.p0 + (value - self.v0) * self.scale

    def value(self, pixel):
        return self.v0 + (pixel - self.p0) / self.scale

    def reading_error(self, pixel):
        """How far off value(pixel) may be: the 0.01 px rounding of the point and of
        the two ticks, the latter growing with the distance from the first tick."""
        return PIXEL * (1.0 + abs(pixel - self.p0) / abs(self.p1 - self.p0)) / abs(self.scale)


def axis_rulers(root):
    """The x and y rulers of a plot, from its tick labels."""
    x_ticks, y_ticks = [], []
    for label in root.iter(SVG + "text"):
        if label.get("class") == "tick-label":
            if label.get("text-anchor") == "middle":
                x_ticks.append((float(label.text), float(label.get("x"))))
            else:
                y_ticks.append((float(label.text), float(label.get("y")) - 4.0))  # drawn 4 px below its tick
    return Ruler(x_ticks), Ruler(y_ticks)


def polyline_points(root, css_class):
    line = next(e for e in root.iter(SVG + "polyline") if e.get("class") == css_class)
    return [tuple(map(float, pair.split(","))) for pair in line.get("points").split()]


def circle_centres(root, css_class):
    return [(float(c.get("cx")), float(c.get("cy"))) for c in root.iter(SVG + "circle")
            if c.get("class") == css_class]


def same_points(drawn, expected):
    """Every expected point has its own drawn point within PIXEL in both coordinates."""
    left = list(drawn)
    for x, y in expected:
        match = next((p for p in left if abs(p[0] - x) <= PIXEL and abs(p[1] - y) <= PIXEL), None)
        if match is None:
            return False
        left.remove(match)
    return not left


PIXEL = 0.02  # coordinates are written to 0.01 px, and so are the ticks they are read against

coordinates = st.floats(-100.0, 100.0)
labelled_points = st.lists(st.tuples(coordinates, st.sampled_from([0.0, 1.0])), min_size=2, max_size=10).filter(
    lambda rows: max(x for x, _ in rows) - min(x for x, _ in rows) > 0.1)


@at_most(25)  # each plot is a few hundred elements to write and parse
@given(labelled_points, st.floats(-5.0, 5.0), st.floats(-5.0, 5.0))
def test_the_sigmoid_plot_draws_the_data_and_the_fitted_curve_where_they_are(rows, coef, intercept):
    """Law: read against the axes' tick labels, the sigmoid plot puts a circle at
    (x_i, y_i) for every row (class 0 and class 1 apart), and every point of its
    curve at (x, sigmoid(coef x + intercept)).

    Tolerance: 0.02 px, the rounding of the written coordinates (and, on the curve,
    the error of reading x carried through the sigmoid's slope, at most |coef| / 4).
    """
    xs, ys = [x for x, _ in rows], [y for _, y in rows]
    root = ElementTree.fromstring(plot_sigmoid(xs, ys, coef, intercept).encode("utf-8"))
    x_axis, y_axis = axis_rulers(root)
    for label in (0.0, 1.0):
        expected = [(x_axis.pixel(x), y_axis.pixel(label)) for x, y in rows if y == label]
        assert same_points(circle_centres(root, f"class-{int(label)}"), expected)
    for px, py in polyline_points(root, "curve"):
        slope = abs(y_axis.scale) * abs(coef) / 4.0 * x_axis.reading_error(px)
        assert abs(py - y_axis.pixel(sigmoid(coef * x_axis.value(px) + intercept))) <= PIXEL + slope


@at_most(25)
@given(scored_labels())
def test_the_roc_plot_draws_the_roc_curve(data):
    """Law: read against the axes, the ROC plot's curve passes through every point
    (fpr_k, tpr_k) of roc_curve, in order, and its chance line runs from (0, 0) to
    (1, 1).

    Tolerance: 0.02 px, the rounding of the written coordinates and of the ticks.
    """
    y, scores = data
    fpr, tpr, _ = roc_curve(y, scores)
    root = ElementTree.fromstring(plot_roc(fpr, tpr, 0.5).encode("utf-8"))
    x_axis, y_axis = axis_rulers(root)
    curve = polyline_points(root, "curve")
    assert len(curve) == len(fpr)
    for (px, py), f, t in zip(curve, fpr, tpr):
        assert abs(px - x_axis.pixel(f)) <= PIXEL and abs(py - y_axis.pixel(t)) <= PIXEL
    (a, b), (c, d) = polyline_points(root, "chance")
    assert max(abs(a - x_axis.pixel(0.0)), abs(b - y_axis.pixel(0.0)),
               abs(c - x_axis.pixel(1.0)), abs(d - y_axis.pixel(1.0))) <= PIXEL


@at_most(25)
@given(st.lists(st.floats(0.0, 10.0), min_size=1, max_size=30))
def test_the_objective_plot_draws_j_at_each_step(history):
    """Law: read against the axes, point k of the objective plot is (k, J_k).

    Precondition: values whose tick labels are exact ({:g} writes six digits), here
    J in [0, 10], all equal or spread over more than 1e-6 (narrower, the ticks
    collapse: see test_ticks_of_a_narrow_range_are_distinct). Tolerance: 0.02 px.
    """
    spread = max(history) - min(history)
    assume(spread == 0.0 or spread > 1e-6)
    root = ElementTree.fromstring(plot_objective(history).encode("utf-8"))
    x_axis, y_axis = axis_rulers(root)
    curve = polyline_points(root, "curve")
    assert len(curve) == len(history)
    for k, ((px, py), J) in enumerate(zip(curve, history)):
        assert abs(px - x_axis.pixel(k)) <= PIXEL and abs(py - y_axis.pixel(J)) <= PIXEL


@at_most(25)
@given(st.lists(st.tuples(coordinates, coordinates, st.sampled_from([0.0, 1.0])), min_size=2, max_size=10),
       st.tuples(st.floats(-5.0, 5.0), st.sampled_from([0.0, 1.0, -2.5])), st.floats(-5.0, 5.0),
       st.floats(0.05, 0.95))
@example([(0.0, -1.0, 0.0), (1.0, 0.0, 0.0), (1e-06, 0.0, 0.0)], (0.0, 1.0), 0.0, 0.5)  # two points 0.07 px apart
@example([(0.0, 0.0, 0.0), (7.0, 1.0, 0.0)], (0.0078125, 0.0), 0.0, 0.25)  # a line 10^4 px off the plot
@example([(0.0, 0.0, 0.0), (1.0, 1.0, 0.0)], (1.1125369292536007e-308, 0.0), 2.0, 0.5)  # a line at x1 = -inf
def test_the_boundary_plot_draws_the_line_where_the_prediction_changes(rows, coef, intercept, threshold):
    """Law: read against the axes, both ends of the boundary line satisfy
    w1 x1 + w2 x2 + b = logit(threshold) (vertical when w2 = 0), and every row is a
    circle of its class at (x1, x2). A line too far away to draw (beyond the float
    range) is left out only when the prediction is the same at all four corners of
    the plot area.

    Precondition: the rows span some width and height, and w is not zero. Tolerance:
    0.02 px in each coordinate (more far outside the ticks, where the line may end),
    carried into the equation by |w1| and |w2|.
    """
    assume(coef != (0.0, 0.0))
    X, y = [[a, b] for a, b, _ in rows], [t for _, _, t in rows]
    assume(max(r[0] for r in X) - min(r[0] for r in X) > 0.1 and max(r[1] for r in X) - min(r[1] for r in X) > 0.1)
    svg = plot_decision_boundary(X, y, list(coef), intercept, threshold=threshold)
    root = ElementTree.fromstring(svg.encode("utf-8"))
    x_axis, y_axis = axis_rulers(root)

    def residual(px, py):
        return coef[0] * x_axis.value(px) + coef[1] * y_axis.value(py) + intercept - logit(threshold)

    drawn = any(e.get("class") == "boundary" for e in root.iter(SVG + "polyline"))
    if not drawn:
        area = next(root.iter(SVG + "clipPath")).find(SVG + "rect")
        x0, y0 = float(area.get("x")), float(area.get("y"))
        x1, y1 = x0 + float(area.get("width")), y0 + float(area.get("height"))
        assert len({residual(px, py) > 0 for px in (x0, x1) for py in (y0, y1)}) == 1, "a boundary is missing"
    for px, py in polyline_points(root, "boundary") if drawn else []:
        slack = abs(coef[0]) * x_axis.reading_error(px) + abs(coef[1]) * y_axis.reading_error(py)
        assert abs(residual(px, py)) <= slack + 1e-9
    for label in (0.0, 1.0):
        expected = [(x_axis.pixel(a), y_axis.pixel(b)) for (a, b), t in zip(X, y) if t == label]
        assert same_points(circle_centres(root, f"class-{int(label)}"), expected)


def test_ticks_of_a_narrow_range_are_distinct():
    ticks = nice_ticks(0.5, 0.5 + 1e-14)
    assert len(ticks) >= 2 and all(a < b for a, b in zip(ticks, ticks[1:]))


def test_the_class_regions_plot_refuses_what_it_cannot_draw():
    from logreg_pure.part6_command_line.plots import plot_class_regions
    predict = lambda grid: [0] * len(grid)  # noqa: E731 - one class everywhere
    with pytest.raises(ValueError, match="plot_class_regions needs exactly two features"):
        plot_class_regions([[1.0, 2.0, 3.0]], [0], predict, classes=["a"])
    with pytest.raises(ValueError, match="at most 10 classes"):
        plot_class_regions([[1.0, 2.0]], [0], predict, classes=[str(k) for k in range(11)])
    svg = plot_class_regions([[0.0, 0.0], [1.0, 1.0]], [0, 1], predict, classes=["a", "b"])
    assert svg.count('class="region"') == 49 * 31 and 'class="class-1"' in svg

"""Chapter 15: the SVG plots are well-formed and show what they claim."""

import os
import xml.etree.ElementTree as ElementTree

from hypothesis import example, given, strategies as st

from logreg_pure import LogisticRegression
from logreg_pure.datasets import load_study_hours
import pytest

from logreg_pure.plots import (
    nice_ticks,
    plot_coefficient_paths,
    plot_cv_curve,
    plot_decision_boundary,
    plot_objective,
    plot_sigmoid,
)

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
    characters), the plot parses as XML; printable names are shown as written."""
    svg = plot_sigmoid([0.0, 1.0, 2.0], [0.0, 1.0, 1.0], 1.0, -1.0, feature_name=name, target_name=target)
    root = ElementTree.fromstring(svg.encode("utf-8"))
    xlabel = next(e for e in root.iter() if e.get("class") == "xlabel")
    if name.isprintable() and not any(0xD800 <= ord(c) <= 0xDFFF for c in name):
        assert xlabel.text == name


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
    """The README's picture (tests/golden/profile_nv.svg): Firth's profile of NV on the
    endometrial data. Compared point by point to half a pixel, not byte for byte: each
    point is a refit, and the last bits of a refit differ between interpreters.

    After an intended change, regenerate it as the README's Firth example does, with
    ``summary_profile_plot(result, 1)``.
    """
    from logreg_pure import summarize
    from logreg_pure.datasets import load_endometrial
    from logreg_pure.plots import summary_profile_plot

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
    from logreg_pure.plots import plot_profile

    svg = plot_profile([0.0, 1.0, 2.0, 3.0], [-1.0, -0.5, -0.4, -0.39], name="b", estimate=3.0,
                       interval=(0.8, float("inf")), cut=-0.7)
    root = ElementTree.fromstring(svg.encode("utf-8"))
    assert len([e for e in root.iter(SVG + "polyline") if e.get("class") == "end"]) == 1
    assert "interval [0.8, inf]" in svg and "Profile log-likelihood of b" in svg

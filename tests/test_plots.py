"""Chapter 13: the SVG plots are well-formed and show what they claim."""

import os
import xml.etree.ElementTree as ElementTree

from hypothesis import example, given, strategies as st

from logreg_pure import LogisticRegression
from logreg_pure.datasets import load_study_hours
from logreg_pure.plots import nice_ticks, plot_decision_boundary, plot_objective, plot_sigmoid

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

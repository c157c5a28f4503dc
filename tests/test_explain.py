"""Chapter 33: the numbers ``explain_step`` prints are the gradient chapter's.

The text is read back (the table of rows, the averaged gradient, the step, the
objective before and after) and every number compared with ``gradient.gradient``
and ``loss.objective`` at the same point, to the precision printed.
"""

import math
import re

import pytest
from hypothesis import assume, given, strategies as st

from logreg_pure.part1_mathematics.gradient import gradient
from logreg_pure.part1_mathematics.links import sigmoid
from logreg_pure.part1_mathematics.loss import objective
from logreg_pure.part6_command_line.explain import explain_step
from strategies import datasets, parameters

ROW = re.compile(r"^\s+(\d+)\s+(\S+)\s+([01])\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)$")
NUMBER = r"(-?\d+\.\d+)"


def vector_after(text, label):
    """The numbers of the bracketed vector that follows ``label``."""
    inside = re.search(re.escape(label) + r"\s*\[([^\]]*)\]", text).group(1)
    return [float(v) for v in inside.split(",")]


def number_after(text, label):
    return float(re.search(re.escape(label) + r"\s*" + NUMBER, text).group(1))


def table_rows(text):
    """(row number, z, p, p - y, (p - y) x) for each row of step 1's table."""
    return [(int(m.group(1)), *map(float, m.groups()[3:])) for m in map(ROW.match, text.splitlines()) if m]


def close(printed, value, decimals):
    """A number printed with ``decimals`` decimals is within half a unit of the last one."""
    return abs(printed - value) <= 0.5 * 10.0 ** -decimals * (1.0 + 1e-9) + 1e-12 * abs(value)


@st.composite
def explanations(draw):
    """``(X, y, options)``: a dataset and explain_step's options (start, lr, reg, rows)."""
    X, y = draw(datasets(max_rows=8))
    w, b = draw(st.one_of(st.just((None, 0.0)), parameters(len(X[0]), max_abs=2.0)))
    options = dict(w=w, b=b, lr=draw(st.floats(0.01, 2.0)), reg=draw(st.sampled_from([0.0, 0.1, 1.0])),
                   rows=draw(st.integers(1, 10)))
    return X, y, options


@given(explanations())
def test_the_step_explained_is_the_gradient_chapters_step(case):
    """Law: the averaged gradient, the bias's gradient, the penalty's share, the new
    w and b, and J before and after that explain_step prints are those of
    gradient.gradient and loss.objective at the same start (w = 0 by default).

    Tolerance: half a unit in the last printed decimal (4 decimals; 6 for J).
    """
    X, y, options = case
    text = explain_step(X, y, **options)
    w = options["w"] or [0.0] * len(X[0])
    b, lr, reg = options["b"], options["lr"], options["reg"]
    data_w, grad_b = gradient(w, b, X, y, 0.0)
    grad_w, _ = gradient(w, b, X, y, reg)
    new_w, new_b = [wj - lr * g for wj, g in zip(w, grad_w)], b - lr * grad_b
    pairs = [
        (vector_after(text, "(1/n) sum (p - y) x ="), data_w, 4),
        ([number_after(text, "mean(p - y) =")], [grad_b], 4),
        (vector_after(text, "reg * w ="), [reg * wj for wj in w], 4),
        (vector_after(text, "so grad_w ="), grad_w, 4),
        (vector_after(text, "w <- w - lr * grad_w ="), new_w, 4),
        ([number_after(text, "b <- b - lr * dJ/db  =")], [new_b], 4),
        ([number_after(text, "||w||^2:")], [objective(w, b, X, y, reg)], 6),
        ([number_after(text, "before,")], [objective(new_w, new_b, X, y, reg)], 6),
    ]
    for printed, values, decimals in pairs:
        assert len(printed) == len(values)
        assert all(close(p, v, decimals) for p, v in zip(printed, values))


@given(explanations())
def test_each_row_shown_is_that_rows_share_of_the_gradient(case):
    """Law: each row of step 1's table shows, for row i, z = w . x_i + b,
    p = sigmoid(z), p - y_i and (p - y_i) x_i0 (the first feature), as printed to 4
    decimals; their averages are step 2's numbers.

    Tolerance: half a unit in the 4th decimal.
    """
    X, y, options = case
    w = options["w"] or [0.0] * len(X[0])
    for i, z, p, error, share in table_rows(explain_step(X, y, **options)):
        x, label = X[i - 1], y[i - 1]
        exact_z = math.fsum(wj * xj for wj, xj in zip(w, x)) + options["b"]
        exact_p = sigmoid(exact_z)
        expected = (exact_z, exact_p, exact_p - label, (exact_p - label) * x[0])
        assert all(close(printed, value, 4) for printed, value in zip((z, p, error, share), expected))


@given(explanations())
def test_the_table_shows_rows_spread_from_first_to_last(case):
    """Law: the table shows min(rows, n) distinct rows in order, the first row always
    and the last whenever two or more are shown, and says how many it left out."""
    X, y, options = case
    text = explain_step(X, y, **options)
    shown = [row[0] for row in table_rows(text)]
    n, wanted = len(X), min(options["rows"], len(X))
    assert len(shown) == wanted and shown == sorted(set(shown)) and shown[0] == 1
    assert wanted == 1 or shown[-1] == n
    assert (f"... and {n - wanted} more rows" in text) == (wanted < n)


@given(explanations())
def test_the_verdict_says_whether_the_objective_went_down(case):
    """Law: the last line says "down by d" when J after the step is below J before
    (both from loss.objective), and "up by d: the step lr is too large" when it is
    above; d = |J_before - J_after| to 6 decimals (half a unit of tolerance).

    Precondition: J changed (a zero gradient leaves it unchanged: see
    test_a_step_that_changes_nothing_does_not_blame_lr).
    """
    X, y, options = case
    text = explain_step(X, y, **options)
    w = options["w"] or [0.0] * len(X[0])
    b, lr, reg = options["b"], options["lr"], options["reg"]
    grad_w, grad_b = gradient(w, b, X, y, reg)
    before = objective(w, b, X, y, reg)
    after = objective([wj - lr * g for wj, g in zip(w, grad_w)], b - lr * grad_b, X, y, reg)
    assume(after != before)
    verdict = re.search(r"\((down|up) by " + NUMBER + r"(: the step lr is too large)?\)", text)
    assert verdict.group(1) == ("down" if after < before else "up")
    assert (verdict.group(3) is None) == (after < before)
    assert close(float(verdict.group(2)), abs(before - after), 6)


def test_a_start_of_the_wrong_length_is_refused():
    with pytest.raises(ValueError, match="w"):
        explain_step([[1.0, 2.0], [3.0, 4.0]], [0, 1], w=[0.5])


def test_a_step_that_changes_nothing_does_not_blame_lr():
    # At w = 0 on two rows at x = 0 with labels 0 and 1, every gradient component is 0.
    text = explain_step([[0.0], [0.0]], [0, 1])
    assert "too large" not in text

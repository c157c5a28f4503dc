"""Chapter 4: the cross-entropy from log-odds, and the objective J."""

import math

import pytest
from hypothesis import given, strategies as st

from logreg_pure.part1_mathematics.links import sigmoid
from logreg_pure.part1_mathematics.loss import (
    PENALTIES,
    example_loss,
    example_loss_from_probability,
    objective,
    penalty_value,
    weighted_mean,
)
from strategies import EPS, labels, logits, problems


def test_hand_values():
    # A coin toss costs log 2 whatever the label.
    assert example_loss(0.0, 0.0) == example_loss(1.0, 0.0) == math.log(2.0)
    # Confidently right costs (almost) nothing; confidently wrong costs |z|.
    assert example_loss(1.0, 1000.0) == 0.0
    assert example_loss(0.0, 1000.0) == 1000.0
    assert example_loss(1.0, -1e308) == 1e308
    # The objective adds (reg/2)||w||^2 and leaves the bias alone.
    assert objective([2.0], 5.0, [[0.0]], [1.0], reg=0.5) == pytest.approx(example_loss(1.0, 5.0) + 1.0)


def test_textbook_form_fails_where_the_logit_form_does_not():
    # sigmoid(40) rounds to 1.0, so the textbook loss of label 0 is log(0) = -inf.
    assert sigmoid(40.0) == 1.0
    with pytest.raises(ValueError, match="infinite"):
        example_loss_from_probability(0.0, sigmoid(40.0))
    assert example_loss(0.0, 40.0) == pytest.approx(40.0, rel=1e-15)


def test_a_certain_answer_costs_nothing_when_right_and_is_refused_when_wrong():
    # Probability 1 for the observed label: loss 0. Probability 0 for it: infinite, refused.
    assert example_loss_from_probability(1.0, 1.0) == 0.0 and example_loss_from_probability(0.0, 0.0) == 0.0
    for y, p in ((1.0, 0.0), (0.0, 1.0)):
        with pytest.raises(ValueError, match="the loss is infinite"):
            example_loss_from_probability(y, p)


def test_every_penalty_offered_is_computed_and_none_by_default():
    # The model offers the penalties in PENALTIES; each must be one penalty_value knows.
    assert sorted(PENALTIES) == ["elasticnet", "l1", "l2"]
    # |w|_1 = 7 and ||w||^2 / 2 = 12.5; the elastic net at l1_ratio 1/2 is half of each.
    values = {name: penalty_value([3.0, -4.0], 2.0, name, 0.5 if name == "elasticnet" else None)
              for name in PENALTIES}
    assert values == {"l1": 14.0, "l2": 25.0, "elasticnet": 19.5}
    # objective's default is no penalty at all: J is the mean loss alone.
    assert objective([2.0], 0.0, [[1.0]], [1.0]) == example_loss(1.0, 2.0)


def test_probability_outside_the_unit_interval_is_an_error():
    with pytest.raises(ValueError, match=r"in \[0, 1\]"):
        example_loss_from_probability(1.0, 1.5)


def test_weighted_mean_and_penalties():
    assert weighted_mean([1.0, 4.0], [3.0, 1.0]) == 1.75
    assert penalty_value([3.0, -4.0], 2.0, "l2") == 25.0
    assert penalty_value([3.0, -4.0], 2.0, "l1") == 14.0
    with pytest.raises(ValueError, match="penalty must be one of"):
        penalty_value([1.0], 1.0, "l3")


@given(labels(), logits(30.0))
def test_logit_form_equals_textbook_form(y, z):
    """Law: softplus(z) - y z = -[y log p + (1 - y) log(1 - p)] with p = sigmoid(z).

    Precondition: |z| <= 30, where the textbook form is finite. Its error is about
    eps / (1 - p) for the label whose probability is small, which grows like
    eps * exp(|z|); that (times 4, plus a few eps of the loss itself) is the tolerance.
    """
    expected = example_loss_from_probability(y, sigmoid(z))
    actual = example_loss(y, z)
    assert abs(actual - expected) <= 4.0 * EPS * (math.exp(abs(z)) + abs(actual) + 1.0)


@given(labels(), logits())
def test_loss_is_finite_and_non_negative(y, z):
    """Law: for every finite logit and y in {0, 1} the loss is finite and >= 0."""
    value = example_loss(y, z)
    assert math.isfinite(value) and value >= 0.0


@given(problems(), st.floats(0.0, 1.0))
def test_objective_is_convex_along_segments(problem, t):
    """Law: J((1-t) a + t c) <= (1-t) J(a) + t J(c) for any two parameter points.

    J is a sum of convex softplus terms of linear functions plus a convex penalty.
    The points a = (w, b) and c = -(w, b) + 1 are drawn from the same problem.
    Tolerance: rounding of three evaluations, about 8 eps times their size.
    """
    X, y, w, b, reg = problem
    a = w + [b]
    c = [1.0 - v for v in a]
    mid = [(1.0 - t) * ai + t * ci for ai, ci in zip(a, c)]

    def J(theta):
        return objective(theta[:-1], theta[-1], X, y, reg)

    left = J(mid)
    right = (1.0 - t) * J(a) + t * J(c)
    assert left <= right + 8.0 * EPS * (abs(right) + 1.0)

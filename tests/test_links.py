"""Chapter 3: sigmoid and logit, and the laws that tie them together."""

import math

import pytest
from hypothesis import example, given, strategies as st, target

from logreg_pure import logit, sigmoid
from logreg_pure.part1_mathematics.links import LARGEST_LOG, log_sigmoid, odds, sigmoid_derivative, softplus
from strategies import EPS, finite_floats, logits, probabilities


# ------------------------------------------------------------ hand-checked cases

def test_sigmoid_hand_values():
    assert sigmoid(0.0) == 0.5
    assert sigmoid(math.log(3.0)) == pytest.approx(0.75, rel=EPS * 4)  # odds 3:1
    # Extremes where the textbook 1 / (1 + exp(-z)) raises OverflowError.
    assert sigmoid(-1000.0) == 0.0
    assert sigmoid(1000.0) == 1.0
    assert sigmoid(-1e308) == 0.0
    assert sigmoid(1e308) == 1.0
    assert sigmoid(-math.inf) == 0.0 and sigmoid(math.inf) == 1.0
    # Deep in the left tail the answer is exp(z), not 0.
    assert sigmoid(-700.0) == pytest.approx(math.exp(-700.0), rel=1e-15)


def test_logit_hand_values():
    assert logit(0.5) == 0.0
    assert logit(0.75) == pytest.approx(math.log(3.0), rel=EPS * 4)
    assert logit(1e-300) == pytest.approx(math.log(1e-300), rel=1e-15)


@pytest.mark.parametrize("p", [0.0, 1.0, -0.1, 1.5, math.nan, math.inf])
def test_logit_outside_the_open_interval_is_an_error(p):
    with pytest.raises(ValueError, match="logit requires 0 < p < 1"):
        logit(p)


@given(st.one_of(st.floats(max_value=0.0), st.floats(min_value=1.0), st.just(math.nan)))
def test_logit_refuses_values_outside_the_open_interval(p):
    """Law: logit is defined on (0, 1) only; any other float, NaN included, is refused
    with a ValueError that says so (never a ZeroDivisionError or a silent number)."""
    with pytest.raises(ValueError, match="logit requires 0 < p < 1"):
        logit(p)


def test_softplus_and_log_sigmoid_extremes():
    assert softplus(1000.0) == 1000.0
    assert softplus(-1000.0) == 0.0
    assert softplus(-30.0) == pytest.approx(math.exp(-30.0), rel=1e-14)
    assert log_sigmoid(-1000.0) == -1000.0
    assert log_sigmoid(1e308) == 0.0


# ------------------------------------------------------------------ the laws

@given(probabilities())
@example(1e-300)  # the far left tail, where 1/(1+exp(-z)) would overflow
@example(1.0 - 2.0 ** -53)  # the largest float below 1
def test_sigmoid_inverts_logit(p):
    """Law: sigmoid(logit(p)) = p for every p in (0, 1).

    Tolerance: logit(p) carries a relative error of a few eps, and exp() turns an
    absolute error dz into a relative error |z| dz of the tail probability
    min(p, 1 - p); one more eps covers the rounding of p near 1.
    """
    z = logit(p)
    error = abs(sigmoid(z) - p)
    target(error / (EPS * max(min(p, 1.0 - p), EPS)), label="error in units of eps")
    assert error <= (abs(z) + 4.0) * EPS * min(p, 1.0 - p) + EPS


@given(logits(30.0))
def test_logit_inverts_sigmoid_where_well_conditioned(z):
    """Law: logit(sigmoid(z)) = z, stated for |z| <= 30.

    Precondition: this direction is ill-conditioned. sigmoid(z) rounds to a float
    near 1 whose gap 1 - p is only known to eps, so the recovered log-odds err by
    about eps * exp(z); from z = 36.7 on sigmoid is exactly 1.0 and logit refuses it.
    The tolerance grows accordingly: eps * (exp(max(z, 0)) + |z| + 1), times 4.
    """
    error = abs(logit(sigmoid(z)) - z)
    target(error, label="absolute error")
    assert error <= 4.0 * EPS * (math.exp(max(z, 0.0)) + abs(z) + 1.0)


@given(finite_floats())
@example(0.0)  # the branch point
@example(-1e308)  # the largest negative float
def test_sigmoid_is_symmetric(z):
    """Law: sigmoid(z) + sigmoid(-z) = 1, to two ulps of 1, for every finite z."""
    assert abs(sigmoid(z) + sigmoid(-z) - 1.0) <= 2.0 * EPS


@given(finite_floats(), finite_floats())
def test_sigmoid_is_a_monotone_probability(z1, z2):
    """Law: 0 <= sigmoid(z) <= 1, and z1 <= z2 implies sigmoid(z1) <= sigmoid(z2).

    Holds for every finite float; no input raises.
    """
    low, high = min(z1, z2), max(z1, z2)
    assert 0.0 <= sigmoid(low) <= sigmoid(high) <= 1.0


@given(logits(20.0))
def test_sigmoid_derivative_matches_central_differences(z):
    """Law: d/dz sigmoid(z) = sigmoid(z) (1 - sigmoid(z)).

    Central difference with h = 1e-6: truncation error h^2 |sigmoid'''| / 6 <= 2e-14
    (|sigmoid'''| <= 1/8) plus rounding error eps / h = 2.2e-10: tolerance 1e-9.
    """
    h = 1e-6
    numeric = (sigmoid(z + h) - sigmoid(z - h)) / (2.0 * h)
    assert abs(numeric - sigmoid_derivative(z)) <= 1e-9


@given(logits())
def test_softplus_difference_is_identity(z):
    """Law: softplus(z) - softplus(-z) = z (since log-odds = log p - log(1 - p)).

    Tolerance: each softplus rounds to about eps * (|z| + 1).
    """
    assert abs((softplus(z) - softplus(-z)) - z) <= 4.0 * EPS * (abs(z) + 1.0)


@given(logits())
def test_log_sigmoid_is_finite_and_not_positive(z):
    """Law: log(sigmoid(z)) <= 0 and is finite for every finite z (no log(0))."""
    value = log_sigmoid(z)
    assert math.isfinite(value) and value <= 0.0


def test_odds_are_finite_up_to_the_largest_log_and_infinite_beyond():
    # exp(LARGEST_LOG) is the largest float (to rounding); the next float up overflows.
    assert math.isfinite(odds(LARGEST_LOG)) and odds(LARGEST_LOG) > 1.7e308
    assert odds(LARGEST_LOG * (1.0 + 2.0 ** -52)) == math.inf

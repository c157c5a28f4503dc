"""Chapter 15 (first part): gradient descent, the original algorithm."""

import math
import random
import re
import warnings

import pytest
from hypothesis import given, strategies as st, target

from logreg_pure import ConvergenceWarning, DivergenceError, LogisticRegression
from logreg_pure.part1_mathematics.gradient import gradient
from logreg_pure.part1_mathematics.loss import objective
from logreg_pure.part6_command_line.datasets import load_study_hours
from reference import original_fit, safe_step
from strategies import EPS, problems


def test_fidelity_to_the_original_class():
    """With solver="gd" (the original algorithm; no longer the default) and tol=0 the
    iterates are the original class's: same parameters to 1e-9."""
    data = load_study_hours()
    model = LogisticRegression(solver="gd", lr=0.1, epochs=1000, reg=0.0, tol=0.0).fit(data.X, data.y)
    w, b = original_fit(data.X, data.y, lr=0.1, epochs=1000, reg=0.0)
    assert abs(model.coef_[0] - w[0]) <= 1e-9 and abs(model.intercept_ - b) <= 1e-9
    # The article's figures: (b, w) near (-3.556, 1.329) after 1000 epochs.
    assert round(model.intercept_, 3) == -3.556 and round(model.coef_[0], 3) == 1.329


@given(problems(max_rows=8, max_features=2), st.sampled_from([0.0, 0.01, 0.5]))
def test_fidelity_on_random_data(problem, reg):
    """Law: with tol=0, every parameter equals the original loop's to 1e-9.

    Same iterates, different arithmetic (dot products by built-ins): the
    differences are rounding, amplified by at most the 50 epochs run here.
    """
    X, y, _, _, _ = problem
    lr = safe_step(X, reg)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = LogisticRegression(solver="gd", lr=lr, epochs=50, reg=reg, tol=0.0).fit(X, y)
    w, b = original_fit(X, y, lr=lr, epochs=50, reg=reg)
    for ours, theirs in zip(model.coef_ + [model.intercept_], w + [b]):
        assert abs(ours - theirs) <= 1e-9 * (1.0 + abs(theirs))


@given(problems())
def test_one_small_step_never_increases_the_objective(problem):
    """Law: for lr <= 4 / (mean ||[x, 1]||^2 + 4 reg), one gradient step does not increase J.

    Precondition: the step bound (see safe_step). Tolerance: the rounding of two
    evaluations of J, 8 eps (|J| + 1).
    """
    X, y, w, b, reg = problem
    lr = safe_step(X, reg)
    grad_w, grad_b = gradient(w, b, X, y, reg)
    before = objective(w, b, X, y, reg)
    after = objective([wj - lr * g for wj, g in zip(w, grad_w)], b - lr * grad_b, X, y, reg)
    target(after - before, label="increase")
    assert after <= before + 8.0 * EPS * (abs(before) + 1.0)


@given(problems(max_rows=8))
def test_loss_history_never_increases_at_a_safe_step(problem):
    """Law: at a safe step (as above) the recorded objective is non-increasing.

    (That it holds one value per step is test_with_tol_zero_a_fit_takes_exactly_epochs_steps.)
    """
    X, y, _, _, reg = problem
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = LogisticRegression(solver="gd", lr=safe_step(X, reg), epochs=30, reg=reg, tol=0.0).fit(X, y)
    history = model.loss_history_
    for before, after in zip(history, history[1:]):
        assert after <= before + 8.0 * EPS * (abs(before) + 1.0)


def test_history_and_counts():
    data = load_study_hours()
    model = LogisticRegression(solver="gd", tol=0.0, epochs=5).fit(data.X, data.y)
    assert model.n_iter_ == 5 and len(model.loss_history_) == 6
    assert model.loss_history_[0] == math.log(2.0)  # at w = 0 every p is 1/2
    assert model.converged_ is False and model.stop_reason_ == "iteration limit"


def test_tolerance_stops_early_and_reports_convergence():
    data = load_study_hours()
    model = LogisticRegression(solver="gd", lr=0.5, epochs=100000, tol=1e-6).fit(data.X, data.y)
    assert model.converged_ and model.stop_reason_ == "converged"
    assert model.grad_max_ <= 1e-6 and model.n_iter_ < 100000
    assert abs(model.intercept_ - -4.077713) < 1e-4


def test_iteration_limit_warns_with_advice():
    data = load_study_hours()
    with pytest.warns(ConvergenceWarning, match="raise epochs.*solver='newton'"):
        LogisticRegression(solver="gd", epochs=10).fit(data.X, data.y)


def test_divergence_is_an_error_with_advice():
    X = [[0.0, 1000.0], [1.0, 3000.0], [0.5, 2000.0], [1.5, 1500.0]]
    y = [0, 1, 1, 0]
    with pytest.raises(DivergenceError, match=r"lr=10 is too large.*lr <= .*standardize.*'x1' has spread") as caught:
        LogisticRegression(solver="gd", lr=10.0, reg=1.0).fit(X, y)
    assert issubclass(DivergenceError, ValueError)
    assert caught.value.stop_reason == "diverged" and caught.value.loss_history[0] == math.log(2.0)


def test_a_step_too_large_for_unstandardized_data_is_named_with_a_safe_step():
    # Columns on the scales of a grade-point average (about 3) and a test score (about
    # 20), unstandardized: the default lr = 0.1 makes J rise at once. The error gives
    # a step that is safe for these data, and a fit at that step does lower J.
    rng = random.Random(1)
    X = [[round(rng.uniform(2.0, 4.0), 2), float(rng.randint(12, 29)), float(rng.randint(0, 1))]
         for _ in range(32)]
    y = [float((x[0] - 3.0) * 2.0 + (x[1] - 20.0) * 0.1 + x[2] + rng.gauss(0.0, 1.0) > 0.5) for x in X]
    with pytest.raises(DivergenceError, match=r"rose from 0.693147.*lr=0.1 is too large.*lr <= ([0-9.e-]+) is "
                                              r"guaranteed.*standardize.*solver='newton'") as caught:
        LogisticRegression(solver="gd").fit(X, y)
    safe = float(re.search(r"lr <= ([0-9.e-]+)", str(caught.value)).group(1))
    assert safe == pytest.approx(safe_step(X, 0.0), rel=1e-2)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # not converged in 1000 epochs at so small a step
        model = LogisticRegression(solver="gd", lr=safe).fit(X, y)
    assert all(b <= a for a, b in zip(model.loss_history_, model.loss_history_[1:]))


def test_divergence_is_caught_while_the_objective_is_still_finite():
    # J grows geometrically here; the fit must stop long before it overflows to inf,
    # and hand back every value it recorded.
    X = [[0.0, 1000.0], [1.0, 3000.0], [0.5, 2000.0], [1.5, 1500.0]]
    with pytest.raises(DivergenceError) as caught:
        LogisticRegression(solver="gd", lr=10.0, reg=1.0).fit(X, [0, 1, 1, 0])
    history = caught.value.loss_history
    assert len(history) > 1 and all(math.isfinite(J) for J in history)
    assert history[-1] > 2.0 * history[0]

"""Chapter 15: the update rules the solvers are built from.

The L1 proximal map ``soft_threshold`` and SGD's step-size schedule
``sgd_learning_rate`` are checked as functions; SGD's batches and weights through
the model, against a transcription (reference.full_batch_sgd) and against the
optimum that Newton's method finds.
"""

import math
import warnings

from hypothesis import example, given, strategies as st, target

from logreg_pure import LogisticRegression
from logreg_pure.part3_solvers.solvers import sgd_learning_rate, soft_threshold
from reference import full_batch_sgd, safe_sgd_step
from strategies import EPS, at_most, datasets, finite_floats, integer_weights

# ------------------------------------------------------------ the L1 proximal map


@given(finite_floats(1e6), st.floats(0.0, 1e6))
@example(1.0, 1.0)  # exactly at the threshold: zero
@example(-3.0, 1.0)  # a negative value moves up towards zero, never down
def test_soft_threshold_minimizes_the_proximal_objective(v, threshold):
    """Law: soft_threshold(v, t) is the minimizer of (u - v)^2 / 2 + t |u|.

    The minimizer is one of three candidates: v - t (where it is positive), v + t
    (where negative) or 0; the law compares the objective at the answer with every
    candidate. Tolerance: the objective's rounding, 4 eps times its size.
    """
    def proximal_objective(u):
        return (u - v) ** 2 / 2.0 + threshold * abs(u)

    u = soft_threshold(v, threshold)
    best = min(proximal_objective(c) for c in (v - threshold, v + threshold, 0.0))
    assert proximal_objective(u) <= best + 4 * EPS * (best + v * v + 1.0)


# ------------------------------------------------------------- SGD's step sizes

def schedules():
    """(lr, batches per epoch): a positive initial step and at least one batch."""
    return st.tuples(st.floats(1e-4, 10.0), st.integers(1, 100))


@given(schedules(), st.sampled_from([0.0, 0.01, 1.0]))
def test_the_sgd_step_starts_at_lr(schedule, reg):
    """Law: the first SGD step (t = 0) is lr itself, penalized or not, exactly."""
    lr, batches = schedule
    assert sgd_learning_rate(lr, reg, 0, batches) == lr


@given(schedules(), st.floats(1e-3, 10.0), st.integers(0, 10 ** 6))
def test_the_penalized_sgd_step_decays_like_one_over_t(schedule, reg, t):
    """Law: with reg > 0, 1 / eta_t = 1 / lr + reg t: the step decays like 1 / (reg t),
    the rate that makes SGD converge on a reg-strongly convex J, whatever the number
    of batches per epoch.

    Tolerance: a few roundings of 1 / eta, 8 eps relative.
    """
    lr, batches = schedule
    inverse = 1.0 / sgd_learning_rate(lr, reg, t, batches)
    expected = 1.0 / lr + reg * t
    assert abs(inverse - expected) <= 8 * EPS * expected


@given(schedules(), st.integers(0, 10 ** 6))
def test_the_unpenalized_sgd_step_decays_like_one_over_root_t(schedule, t):
    """Law: with reg = 0 (and for the intercept always), (lr / eta_t)^2 = 1 + t / B,
    B the number of batches per epoch: the step falls like 1 / sqrt(epochs).

    Tolerance: a square root and a square, 8 eps relative.
    """
    lr, batches = schedule
    ratio = lr / sgd_learning_rate(lr, 0.0, t, batches)
    expected = 1.0 + t / batches
    assert abs(ratio * ratio - expected) <= 8 * EPS * expected


# ------------------------------------------------------------ SGD's batches

@given(datasets(max_rows=8), st.sampled_from([0.0, 0.1]), st.integers(0, 3), st.booleans(), st.data())
def test_one_batch_per_epoch_is_gradient_descent_on_the_sgd_schedule(data, reg, extra, weighted, draw):
    """Law: with batch_size >= n, each SGD epoch is one step of gradient descent on J
    (weighted, if sample weights are given) with the step sgd_learning_rate gives:
    the parameters after 10 epochs equal the transcription reference.full_batch_sgd.

    The shuffle only changes the order of the rows within the batch, so the two
    differ by rounding: 1e-12 relative. Precondition: the safe step for one example
    (safe_sgd_step), divided by the largest weight, so that nothing diverges.
    """
    X, y = data
    weights = draw.draw(integer_weights(len(X))) if weighted else None
    lr = safe_sgd_step(X, reg) / max(weights or [1.0])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = LogisticRegression(solver="sgd", lr=lr, reg=reg, epochs=10, tol=0.0,
                                   batch_size=len(X) + extra, random_state=1).fit(X, y, sample_weight=weights)
    w, b = full_batch_sgd(X, y, lr, reg, 10, weights)
    target(max(abs(u - v) / (1.0 + abs(v)) for u, v in zip(model.coef_ + [model.intercept_], w + [b])),
           label="relative difference")
    for ours, reference in zip(model.coef_ + [model.intercept_], w + [b]):
        assert math.isclose(ours, reference, rel_tol=1e-12, abs_tol=1e-12)


@at_most(15)  # 300 epochs and a Newton fit per example
@given(datasets(max_rows=10, max_abs=1.0), st.sampled_from([0.1, 0.5]), st.integers(0, 1000), st.data())
def test_sgd_with_mini_batches_and_weights_approaches_the_optimum(data, reg, seed, draw):
    """Law: SGD on mini-batches (2 to n rows) with integer sample weights converges to
    the minimizer of the weighted J: after 300 epochs its objective is within 1e-2 of
    the one Newton's method reaches.

    Precondition: features in [-1, 1] (standardized scale) and the safe step for one
    example divided by the largest scaled weight s_i n / S (the factor each row's
    error is multiplied by). Tolerance: the unpenalized intercept's step decays only
    like 1 / sqrt(t), so SGD's noise fades slowly; the worst gap seen over 150 draws
    was 5e-3 after 200 epochs.
    """
    X, y = data
    n = len(X)
    weights = draw.draw(integer_weights(n))
    batch_size = draw.draw(st.integers(2, max(2, n)))
    lr = safe_sgd_step(X, reg) / max(s * n / math.fsum(weights) for s in weights)
    exact = LogisticRegression(solver="newton", reg=reg, tol=1e-10).fit(X, y, sample_weight=weights)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        stochastic = LogisticRegression(solver="sgd", lr=lr, reg=reg, epochs=300, batch_size=batch_size,
                                        random_state=seed).fit(X, y, sample_weight=weights)
    gap = stochastic.loss_history_[-1] - exact.loss_history_[-1]
    target(gap, label="gap to the optimum")
    assert 0.0 <= gap + 1e-12 <= 1e-2

"""Chapters 14 and 15: how every solver starts, counts its steps, stops, and says why.

These laws hold for every solver alike. They are stated through the public model,
``LogisticRegression(solver=...)``, and its attributes (``coef_``, ``intercept_``,
``n_iter_``, ``loss_history_``, ``stop_reason_``, ``converged_``) and warnings, so
they keep holding however the solvers are arranged inside. Gradients and objectives
are recomputed with the reference chapters (``gradient.gradient``, ``loss.objective``).
"""

import math
import warnings

import pytest
from hypothesis import assume, example, given, strategies as st

from logreg_pure import ConvergenceWarning, LogisticRegression, SeparationWarning, SingularMatrixError
from logreg_pure.part1_mathematics.gradient import gradient
from logreg_pure.part1_mathematics.linalg import solve_spd
from logreg_pure.part1_mathematics.loss import objective
from logreg_pure.part1_mathematics.vectors import dot, scale, subtract
from logreg_pure.part2_problem.driver import RESOLVABLE
from logreg_pure.part2_problem.problem import make_problem
from logreg_pure.part3_solvers.solvers import Newton, StochasticGradientDescent, scale_spread, solve
from logreg_pure.part6_command_line.datasets import load_study_hours
from reference import safe_sgd_step, safe_step
from strategies import (
    at_most,
    EPS,
    datasets,
    overlapping_datasets,
    separable_datasets,
    separable_datasets_with_ignored_rows,
)

SOLVERS = ["gd", "newton", "sgd"]
REG = 0.1  # a penalty: J is strongly convex, its minimizer finite, and nothing is "separated"


def step_for(solver, X, reg):
    """A step size that never makes J rise: the full-batch bound for gd, the
    one-example bound for SGD (Newton takes no step size)."""
    return safe_sgd_step(X, reg) if solver == "sgd" else safe_step(X, reg)


def fit(X, y, solver, *, reg=REG, epochs=1000, tol=1e-6, sample_weight=None, random_state=0):
    """Fit quietly (the warnings are some laws' business, not these)."""
    model = LogisticRegression(solver=solver, reg=reg, epochs=epochs, tol=tol, lr=step_for(solver, X, reg),
                               random_state=random_state)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return model.fit(X, y, sample_weight=sample_weight)


def fit_and_catch(X, y, solver, **options):
    """Fit, and return the model with the categories of the warnings it gave."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model = LogisticRegression(solver=solver, lr=step_for(solver, X, options.get("reg", 0.0)),
                                   **options).fit(X, y)
    return model, [w.category for w in caught]


def largest_gradient(w, b, X, y, reg, sample_weight=None):
    grad_w, grad_b = gradient(w, b, X, y, reg, sample_weight=sample_weight)
    return max(abs(g) for g in grad_w + [grad_b])


def separates(model, X, y):
    """Every row strictly on its correct side: (2 y - 1) z > 0 (z = 0 is not correct)."""
    return all((2.0 * yi - 1.0) * zi > 0.0 for zi, yi in zip(model.decision_function(X), y))


# ----------------------------------------------------------- start and count

@given(datasets(max_rows=8), st.sampled_from(SOLVERS), st.sampled_from([0.0, REG]), st.booleans())
def test_every_solver_starts_at_zero(data, solver, reg, weighted):
    """Law: every solver starts from w = 0, b = 0, where every p is 1/2 and the penalty
    vanishes, so the first recorded objective is J(0, 0) = log 2, weighted or not.

    Precondition for Newton at reg = 0: columns that are not collinear (else it
    refuses with SingularMatrixError). Tolerance: the weighted mean of n copies of
    log 2 rounds to within 4 eps.
    """
    X, y = data
    weights = [1.0 + (i % 3) for i in range(len(y))] if weighted else None
    try:
        model = fit(X, y, solver, reg=reg, epochs=1, tol=0.0, sample_weight=weights)
    except SingularMatrixError:
        assume(False)  # Newton at reg = 0 refuses collinear columns before its first step
    assert abs(model.loss_history_[0] - math.log(2.0)) <= 4 * EPS


@given(overlapping_datasets(max_rows=6), st.sampled_from(SOLVERS), st.integers(1, 4))
@example(([[0.0], [0.0], [1.0], [1.0], [0.0], [0.0], [8.19e-73], [1.0], [0.0], [1.0]],
          [0.0, 1.0, 0.0, 1.0, 0.0, 0.0, 1.0, 0.0, 1.0, 1.0]), "gd", 1)  # one step lands on theta = 0 exactly
def test_with_tol_zero_a_fit_takes_exactly_epochs_steps(data, solver, epochs):
    """Law: with tol = 0 every solver takes exactly ``epochs`` steps and records J at the
    start and after each one: n_iter_ = epochs, len(loss_history_) = epochs + 1,
    stop_reason_ = "iteration limit", and converged_ only if the last step landed where
    the optimality measure is exactly 0 (it can: on the pinned example one gradient step
    from 0 lands on the optimum theta = 0 to the last bit).

    Precondition: reg > 0 (so no separation can stop the fit early) and a gradient at
    the start that is not exactly zero (else w = 0 is the optimum, where even tol = 0
    is met at step 0).
    """
    X, y = data
    assume(largest_gradient([0.0] * len(X[0]), 0.0, X, y, REG) > 0.0)
    model = fit(X, y, solver, epochs=epochs, tol=0.0)
    assert model.n_iter_ == epochs
    assert len(model.loss_history_) == epochs + 1
    assert model.stop_reason_ == "iteration limit" and model.converged_ is (model.grad_max_ == 0.0)


@given(overlapping_datasets(max_rows=6), st.sampled_from(SOLVERS), st.sampled_from([0.0, REG]))
def test_running_out_of_steps_is_a_convergence_warning(data, solver, reg):
    """Law: on data that are not separable, a fit that reaches its iteration limit
    before tol says so: stop_reason_ = "iteration limit", converged_ False, and a
    ConvergenceWarning, never a SeparationWarning.

    Precondition: overlapping classes (see overlapping_datasets), epochs = 1 and
    tol = 1e-12, with a starting gradient above 1e-3: one step of any solver cannot
    shrink it below 1e-12 (Newton's, the fastest, about squares it).
    """
    X, y = data
    assume(largest_gradient([0.0] * len(X[0]), 0.0, X, y, reg) > 1e-3)
    model, categories = fit_and_catch(X, y, solver, reg=reg, epochs=1, tol=1e-12)
    assert model.stop_reason_ == "iteration limit" and model.converged_ is False
    assert ConvergenceWarning in categories and SeparationWarning not in categories


STOPPING_TOL = {"gd": 1e-4, "newton": 1e-9, "sgd": 1e-2}  # what each solver reaches quickly


@at_most(25)  # each example refits three times, SGD up to 5000 epochs
@given(overlapping_datasets(max_rows=6), st.sampled_from(SOLVERS))
def test_a_fit_stops_at_the_first_step_within_tol(data, solver):
    """Law: with tol > 0 a fit stops at the first step whose largest gradient component
    is at most tol: it ends where the same fit with tol = 0 and n_iter_ steps ends (the
    same iterates: same start, same shuffles), and one step earlier the gradient was
    still above tol.

    Precondition: reg > 0, and the fit converged (a tol that each solver reaches in a
    few hundred steps at its safe step). The gradients are recomputed by the reference
    gradient, whose rounding differs from the solver's by far less than the 1e-9
    relative margin allowed at the threshold.
    """
    X, y = data
    tol = STOPPING_TOL[solver]
    model = fit(X, y, solver, epochs=5000, tol=tol)
    assume(model.converged_ and model.n_iter_ >= 1)  # at w = 0 the start may already be within tol
    k = model.n_iter_
    exact = fit(X, y, solver, epochs=k, tol=0.0)
    assert exact.coef_ == model.coef_ and exact.intercept_ == model.intercept_
    assert largest_gradient(model.coef_, model.intercept_, X, y, REG) <= tol * (1.0 + 1e-9)
    if k == 1:
        before = [0.0] * len(X[0]), 0.0  # the step before the first is the start
    else:
        earlier = fit(X, y, solver, epochs=k - 1, tol=0.0)
        before = earlier.coef_, earlier.intercept_
    assert largest_gradient(*before, X, y, REG) > tol * (1.0 - 1e-9)


@given(datasets(max_rows=8), st.sampled_from(SOLVERS), st.sampled_from([1, 3, 50]), st.booleans())
def test_the_last_recorded_objective_is_j_at_the_returned_parameters(data, solver, epochs, weighted):
    """Law: loss_history_[-1] is J at (coef_, intercept_), the parameters the fit
    returns (recomputed by loss.objective, the per-example reference).

    Tolerance: 1e-12 relative, for the different order of the summations.
    """
    X, y = data
    weights = [1.0 + (i % 3) for i in range(len(y))] if weighted else None
    model = fit(X, y, solver, epochs=epochs, sample_weight=weights)
    J = objective(model.coef_, model.intercept_, X, y, REG, sample_weight=weights)
    assert math.isclose(model.loss_history_[-1], J, rel_tol=1e-12)


@given(datasets(max_rows=8), st.sampled_from(SOLVERS), st.sampled_from([1, 3, 60]))
def test_progress_is_reported_once_per_step_with_its_objective(data, solver, epochs):
    """Law: fit(progress=f) calls f(step, J) once for each recorded step, in order:
    step 0 (the start) to n_iter_, with J the recorded loss_history_[step]."""
    X, y = data
    calls = []
    model = LogisticRegression(solver=solver, reg=REG, epochs=epochs, lr=step_for(solver, X, REG), random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.fit(X, y, progress=lambda step, J: calls.append((step, J)))
    assert calls == list(enumerate(model.loss_history_))


@given(overlapping_datasets(max_rows=6), st.sampled_from(SOLVERS), st.sampled_from([0.0, REG]))
def test_a_converged_fit_warns_nothing(data, solver, reg):
    """Law: a fit that reaches tol issues no warning at all (neither convergence nor
    separation: overlapping classes are not separable).

    Precondition: the fit converged (Newton always does on these data; gradient
    descent and SGD at a generous tol of 1e-3 nearly always within 5000 steps).
    """
    X, y = data
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model = LogisticRegression(solver=solver, reg=reg, tol=1e-3, epochs=5000, lr=step_for(solver, X, reg),
                                   random_state=0).fit(X, y)
    assume(model.converged_)
    assert [str(w.message) for w in caught] == []


# ---------------------------------------------------------------- Newton's step

HARD_PROBLEM = ([[41.5, 30.0], [-23.6, 11.8], [28.5, -14.3], [-11.0, -42.8], [-42.5, -0.6]],
                [1.0, 1.0, 1.0, 0.0, 0.0])


@given(datasets(max_rows=10, max_abs=50.0), st.sampled_from([0.01, 0.1]))
@example(HARD_PROBLEM, 0.01)  # large features, small reg: the full Newton step overshoots at step 12
def test_newton_reaches_the_optimum_even_where_the_full_step_overshoots(data, reg):
    """Law: with reg > 0, J is strongly convex and Newton's method with step halving
    converges from zero on any data: within 100 iterations its gradient (recomputed
    by the reference) is at most tol = 1e-8.

    Features up to 50 in size make the full step overshoot far from the optimum,
    where the quadratic model of J is poor; halving the step until J decreases is
    what keeps the method convergent there. Tolerance: 1e-12 on top of tol, for the
    rounding of the reference gradient with features of this size.
    """
    X, y = data
    model = fit(X, y, "newton", reg=reg, epochs=100, tol=1e-8)
    assert model.converged_ and model.stop_reason_ == "converged"
    assert largest_gradient(model.coef_, model.intercept_, X, y, reg) <= 1e-8 + 1e-12


@given(datasets(max_rows=10, max_abs=50.0), st.sampled_from([0.01, 0.1]))
@example(HARD_PROBLEM, 0.01)  # the full step overshoots at step 12
def test_each_newton_step_is_the_first_halving_that_does_not_raise_j(data, reg):
    """Law: Newton's rule moves from theta to theta - t delta, where H delta = grad J
    and t is the first of 1, 1/2, 1/4, ... at which J does not rise (the full step,
    unchecked, once its predicted decrease g . delta is below J's rounding). Checked
    at every step of a fit from zero until the gradient is below 1e-8.

    Exact: the expected point is computed with the rule's own arithmetic.
    """
    X, y = data
    problem = make_problem(X, y, reg=reg)
    point = problem.at([0.0] * (len(X[0]) + 1))
    for _ in range(100):
        if max(abs(g) for g in point.gradient) <= 1e-8:
            break
        delta = solve_spd(problem.hessian(point), point.gradient)
        t = 1.0
        if dot(delta, point.gradient) > RESOLVABLE * (1.0 + abs(point.objective)):
            while problem.at(subtract(point.theta, scale(t, delta))).objective > point.objective and t > 2.0 ** -60:
                t /= 2.0
        stepped = Newton().step(problem, point)
        assert stepped is not None and stepped.theta == subtract(point.theta, scale(t, delta))
        point = stepped


# ------------------------------------------------------------------- separation

@given(separable_datasets(max_rows=8), st.sampled_from(["gd", "newton"]))
def test_a_separated_fit_stops_at_the_first_iterate_that_separates(data, solver):
    """Law: at reg = 0 on separable data, gradient descent (tol > 0) and Newton's method
    stop at the first iterate that puts every row strictly on its correct side,
    (2 y - 1) z > 0: the returned parameters separate the rows, those one step
    earlier do not. A row on the boundary, z = 0, is not on its correct side (at the
    start every z is 0).

    Precondition: separated with a margin (see separable_datasets), and for Newton
    columns that are not collinear (else it refuses with SingularMatrixError).
    """
    X, y = data
    try:
        model = fit(X, y, solver, reg=0.0)
    except SingularMatrixError:
        assume(False)
    assert model.stop_reason_ == "separated" and separates(model, X, y)
    if model.n_iter_ == 1:
        assert not any((2.0 * yi - 1.0) * 0.0 > 0.0 for yi in y)  # the start: every z = 0
    else:
        assert not separates(fit(X, y, solver, reg=0.0, epochs=model.n_iter_ - 1), X, y)


@given(separable_datasets(max_rows=8), st.sampled_from(SOLVERS))
def test_separation_is_reported_even_when_the_steps_run_out_first(data, solver):
    """Law: at reg = 0 on separable data, a fit stopped by its iteration limit after one
    step is reported as "separated", with a SeparationWarning and no
    ConvergenceWarning, whether or not that step already separated the rows: more
    steps could never reach an optimum that does not exist.

    Precondition: separated with a margin; for Newton, columns that are not collinear
    (the check looks for a separating hyperplane with Newton steps).
    """
    X, y = data
    try:
        model, categories = fit_and_catch(X, y, solver, reg=0.0, epochs=1, tol=1e-12)
    except SingularMatrixError:
        assume(False)
    assert model.stop_reason_ == "separated"
    assert SeparationWarning in categories and ConvergenceWarning not in categories


@given(separable_datasets_with_ignored_rows(), st.sampled_from(["gd", "newton"]))
def test_rows_of_weight_zero_do_not_hide_a_separation(data, solver):
    """Law: a row of weight zero is not part of the fit: separable rows plus rows of
    weight 0 (on either side, with either label) are still separated, so at reg = 0
    the fit stops as "separated" and warns SeparationWarning.

    Precondition: the weighted rows separated with a margin; for Newton, columns that
    are not collinear.
    """
    X, y, weights = data
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            model = LogisticRegression(solver=solver, lr=safe_step(X, 0.0)).fit(X, y, sample_weight=weights)
        except SingularMatrixError:
            assume(False)
    assert model.stop_reason_ == "separated"
    assert any(issubclass(w.category, SeparationWarning) for w in caught)


# ------------------------------------------------------------------- warnings

@pytest.mark.parametrize("solver", SOLVERS)
def test_a_convergence_warning_points_at_the_callers_line(solver):
    data = load_study_hours()
    with pytest.warns(ConvergenceWarning) as caught:
        LogisticRegression(solver=solver, epochs=1, tol=1e-12, reg=REG).fit(data.X, data.y)
    assert [w.filename for w in caught if w.category is ConvergenceWarning] == [__file__]


@pytest.mark.parametrize("solver", ["gd", "newton"])
def test_a_separation_warning_points_at_the_callers_line(solver):
    with pytest.warns(SeparationWarning) as caught:
        LogisticRegression(solver=solver).fit([[0.0], [1.0], [2.0], [3.0]], [0, 0, 1, 1])
    assert [w.filename for w in caught if w.category is SeparationWarning] == [__file__]


@pytest.mark.parametrize("solver", ["gd", "newton", "sgd"])
def test_tol_zero_takes_every_step_even_at_an_exact_optimum(solver):
    # Two rows at x = 0 with labels 0 and 1: at w = 0, b = 0 the gradient is exactly 0.
    model = LogisticRegression(solver=solver, epochs=3, tol=0.0, reg=REG).fit([[0.0], [0.0]], [0, 1])
    assert (model.n_iter_, len(model.loss_history_), model.stop_reason_) == (3, 4, "iteration limit")


@pytest.mark.parametrize("solver", SOLVERS)
def test_a_gradient_exactly_at_tol_counts_as_converged(solver):
    # "Stop when the largest gradient component is at most tol". At w = 0, b = 0 on these
    # rows every p is 1/2: dJ/dw = (-1/2 * 3 * 2 + 1/2 * 3) / 6 = -1/4 and dJ/db = 0, exactly.
    # (Both values of x carry both labels, so the data are not separated: the optimum exists.)
    model = LogisticRegression(solver=solver, tol=0.25).fit([[3.0], [3.0], [3.0], [0.0], [0.0], [0.0]],
                                                          [1, 1, 0, 1, 0, 0])
    assert (model.n_iter_, model.stop_reason_, model.converged_) == (0, "converged", True)


def test_an_unconverged_fit_with_tol_zero_is_not_warned_about():
    # tol = 0 asks for exactly `epochs` steps (the original class's behaviour).
    data = load_study_hours()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model = LogisticRegression(solver="newton", epochs=2, tol=0.0).fit(data.X, data.y)
    assert model.n_iter_ == 2 and not model.converged_


def test_advice_to_standardize_ignores_a_constant_column():
    # A constant column has spread 0: no ratio of spreads to report (and no division by 0).
    X = [[1.0, 5.0], [2.0, 5.0], [3.0, 5.0], [4.0, 5.0]]
    with pytest.warns(ConvergenceWarning) as caught:
        LogisticRegression(solver="gd", epochs=3, reg=REG).fit(X, [0, 1, 0, 1])
    assert "standardize" not in str(caught[0].message) and "raise epochs (now 3)" in str(caught[0].message)


def test_advice_to_standardize_starts_beyond_a_thousandfold_spread():
    # Spreads 0.5 and 500 are exactly 1000 times apart: not named; 500.25 is beyond.
    X = [[0.0, 0.0], [1.0, 1000.0]]
    assert scale_spread(make_problem(X, [0, 1])) == ""
    wider = scale_spread(make_problem([[0.0, 0.0], [1.0, 1000.5]], [0, 1], feature_names=["a", "b"]))
    assert "column 'b' has spread 500 and column 'a' 0.5" in wider


def test_a_singular_hessian_without_a_constant_or_repeated_column_is_named_a_combination():
    X = [[1.0, 2.0, 3.0], [2.0, 1.0, 3.0], [3.0, 4.0, 7.0], [0.5, 3.0, 3.5], [1.5, 0.5, 2.0]]  # c = a + b
    with pytest.raises(SingularMatrixError, match="a column is a linear combination of the others"):
        LogisticRegression(solver="newton").fit(X, [0, 1, 0, 1, 1], feature_names=["a", "b", "c"])


# --------------------------------------------------- options changed after construction

@pytest.mark.parametrize("solver, reg", [("newton", 0.5), ("sgd", 0.5), ("newton", 2.0)])
def test_l1_is_refused_at_fit_by_solvers_that_cannot_fit_it(solver, reg):
    """The constructor refuses penalty='l1' with Newton or SGD; so does fit, if the
    attribute was changed afterwards (Newton would silently drop the penalty)."""
    model = LogisticRegression(solver=solver, reg=reg)
    model.penalty = "l1"
    with pytest.raises(ValueError, match=f"solver='{solver}'.*penalty='l1'"):
        model.fit([[0.0], [1.0], [2.0], [3.0]], [0, 1, 0, 1])


@pytest.mark.parametrize("rule", ["newton", "sgd"])
def test_with_reg_zero_the_kind_of_penalty_does_not_matter(rule):
    # With reg = 0 there is no penalty, L1 or L2: the update rules that refuse an L1 part
    # accept a problem whose L1 part is zero, and fit plain maximum likelihood.
    # (The model refuses solver='newton' with penalty='l1' whatever reg: a configuration
    # error is named at once, not only when it matters.)
    data = load_study_hours()
    fits = []
    for penalty in ("l2", "l1"):
        update = Newton() if rule == "newton" else StochasticGradientDescent(0.1, 1, 0)
        fits.append(solve(make_problem(data.X, data.y, penalty=penalty), update, epochs=20, tol=1e-6).theta)
    assert fits[0] == fits[1]

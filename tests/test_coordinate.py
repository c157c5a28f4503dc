"""Chapter 16: coordinate descent reaches the elastic-net optimum, the same one as the other solvers."""

import math
import warnings

import pytest
from hypothesis import assume, example, given, strategies as st

from logreg_pure import LogisticRegression, SeparationWarning
from logreg_pure.part1_mathematics.loss import objective
from logreg_pure.part2_problem.driver import RESOLVABLE
from logreg_pure.part2_problem.problem import make_problem
from logreg_pure.part3_solvers.coordinate import (
    INNER_FRACTION,
    _flat_minimizer,
    CoordinateDescent,
    QuadraticModel,
    coordinate_violation,
    optimality_violation,
)
from logreg_pure.part3_solvers.solvers import solve
from logreg_pure.part5_inference.path import null_intercept, reg_max
from logreg_pure.part6_command_line.datasets import load_breast_cancer, load_study_hours
from reference import check_elastic_net_conditions, safe_step, standardize
from strategies import at_least, at_most, datasets, factorial_datasets, overlapping_datasets

L1_RATIOS = st.sampled_from([1.0, 0.5, 0.1])


def quiet(model, X, y, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return model.fit(X, y, **kwargs)


def penalty(l1_ratio):
    """The model options for an elastic net with this l1_ratio (1 is plain "l1")."""
    return {"penalty": "l1"} if l1_ratio == 1.0 else {"penalty": "elasticnet", "l1_ratio": l1_ratio}


def params(model):
    return [model.intercept_] + list(model.coef_)


@pytest.fixture(scope="module")
def cancer():
    data = load_breast_cancer()
    return standardize(data.X), data.y


# ------------------------------------------------------------- hand-checked results

# scikit-learn 1.9.1's saga on the standardized breast-cancer data (population standard
# deviations, as Standardizer), LogisticRegression(C=1/(569 reg), l1_ratio=..., solver="saga",
# tol=1e-12, max_iter=200000) in a scratch virtual environment; saga then agrees with
# itself to about 1e-10, and with coordinate descent (tol 1e-12) to 6e-10.
SAGA = {
    (0.01, 1.0): ([0.0, 0.0331914717950369, 0.0, 0.0, 0.0, 0.0, 0.0, 0.4699749001323079, 0.0, 0.0,
                   0.7413809497640016, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 2.883966510582841,
                   0.9108870895411526, 0.0, 0.0, 0.36238318315667983, 0.0, 0.13644750142903722,
                   1.0841334100709497, 0.24564636427325715, 0.0], -0.6165844359375087),
    (0.01, 0.5): ([0.33285920471873326, 0.3166383004551928, 0.29381608815682697, 0.27982399102423355,
                   0.0, 0.0, 0.20524591586947924, 0.5412414414371222, 0.0, -0.05428564190331752,
                   0.6801705018778441, 0.0, 0.25202222725977375, 0.2987458398101425, 0.0,
                   -0.15539526507810872, 0.0, 0.0, 0.0, -0.19490517588192718, 0.7694660954985649,
                   0.7162791213405454, 0.6366787112962159, 0.5873290888252133, 0.5456788149141383, 0.0,
                   0.4009836803961165, 0.7558633555119106, 0.38032875858379533, 0.0], -0.4827267840047104),
}


@pytest.mark.parametrize("reg, l1_ratio", sorted(SAGA))
def test_agrees_with_scikit_learns_saga_on_breast_cancer(cancer, reg, l1_ratio):
    """C = 1 / (n reg): scikit-learn's C sum loss + l1_ratio ||w||_1 + (1 - l1_ratio)/2 ||w||^2,
    divided by C n, is our J. Agreement to 1e-7 (saga's own accuracy is about 1e-10), with
    the same weights exactly zero."""
    X, y = cancer
    model = LogisticRegression(solver="cd", reg=reg, tol=1e-10, **penalty(l1_ratio)).fit(X, y)
    coef, intercept = SAGA[(reg, l1_ratio)]
    assert model.converged_
    assert [w == 0.0 for w in model.coef_] == [w == 0.0 for w in coef]
    assert max(abs(a - b) for a, b in zip(params(model), [intercept] + coef)) <= 1e-7


def test_without_a_penalty_it_is_the_published_study_hours_fit():
    data = load_study_hours()
    model = LogisticRegression(solver="cd", tol=1e-10).fit(data.X, data.y)
    assert abs(model.intercept_ - -4.077713) < 1e-6 and abs(model.coef_[0] - 1.504645) < 1e-6


def test_separable_data_without_a_penalty_are_reported():
    with pytest.warns(SeparationWarning):
        model = LogisticRegression(solver="cd").fit([[-2.0], [-1.0], [1.0], [2.0]], [0, 0, 1, 1])
    assert model.stop_reason_ == "separated"


def test_a_sparse_fit_computes_hessian_entries_only_for_active_weights(cancer):
    """The point of covariance updates with an active set: at reg = 0.05 four of the 30
    weights survive, and each step computes under a third of the Hessian's 496 distinct entries."""
    X, y = cancer
    problem = make_problem(X, y, reg=0.05, penalty="l1")
    asked = []
    original = problem.hessian_column
    problem.hessian_column = lambda v, j, among=None: asked.append(len(among)) or original(v, j, among)
    result = solve(problem, CoordinateDescent(), epochs=100, tol=1e-9)
    assert result.converged and sum(1 for w in result.theta[1:] if w != 0.0) == 4
    assert sum(asked) < result.n_iter * 31 * 32 / 2 / 3  # under a third of the symmetric entries


def test_coordinate_violation_by_hand():
    assert coordinate_violation(-0.5, 2.0, 0.5) == 0.0  # g = -l1 sign(w): optimal
    assert coordinate_violation(0.5, -2.0, 0.5) == 0.0
    assert coordinate_violation(0.25, 2.0, 0.5) == 0.75  # |g + l1|
    assert coordinate_violation(-0.5, 0.0, 0.5) == 0.0  # the kink absorbs |g| <= l1
    assert coordinate_violation(-0.75, 0.0, 0.5) == 0.25


# ------------------------------------------------------------------------ the laws

def nearly_collinear(X, bound):
    """Do two non-constant columns of X have a correlation beyond ``bound`` in size?"""
    columns = [list(c) for c in zip(*X) if max(c) > min(c)]
    for j, a in enumerate(columns):
        for b in columns[:j]:
            ma, mb = sum(a) / len(a), sum(b) / len(b)
            sab = sum((u - ma) * (v - mb) for u, v in zip(a, b))
            saa, sbb = sum((u - ma) ** 2 for u in a), sum((v - mb) ** 2 for v in b)
            if abs(sab) > bound * math.sqrt(saa * sbb):
                return True
    return False


@at_most(30)
@given(datasets(max_rows=10), st.sampled_from([0.02, 0.2]), L1_RATIOS)
def test_cd_solution_satisfies_the_elastic_net_optimality_conditions(data, reg, l1_ratio):
    """Law (elastic-net optimality): with g the gradient of the mean loss plus
    (l2/2) ||w||^2, l1 = reg l1_ratio and l2 = reg (1 - l1_ratio): g_b = 0; g_j = -l1
    sign(w_j) where w_j != 0; |g_j| <= l1 where w_j = 0.

    Checked at a fit reported converged to an optimality violation of 1e-9, with the
    reference gradient of chapter 5: each condition holds to 1e-9 plus 1e-12 for the
    two gradients' different rounding.

    Precondition: no two columns nearly collinear (|correlation| <= 0.999): coordinate
    descent moves one weight at a time, and along two columns of correlation r each
    sweep removes only about 1 - r^2 of the error between them (columns (0, 1) and
    (0, 1.000001) on two rows, under L1, were still 2e-8 from optimal after 200 steps).
    """
    X, y = data
    assume(not nearly_collinear(X, 0.999))
    model = LogisticRegression(solver="cd", reg=reg, tol=1e-9, epochs=200, **penalty(l1_ratio)).fit(X, y)
    assert model.converged_ and model.grad_max_ <= 1e-9
    check_elastic_net_conditions(model, X, y, reg, l1_ratio, 1e-9 + 1e-12)


@at_most(25)
@given(datasets(max_rows=10), st.sampled_from([0.01, 0.1, 0.5]))
def test_with_l1_ratio_zero_cd_finds_newtons_l2_optimum(data, reg):
    """Law: with l1_ratio = 0 the elastic net is the L2 penalty, and coordinate descent
    finds the optimum Newton's method finds.

    Both stop at a largest gradient component of 1e-10; J is reg-strongly convex in
    the weights, but the intercept's curvature comes from the data alone, so the
    parameters agree to 1e-6 (the objectives to 1e-12).
    """
    X, y = data
    cd = LogisticRegression(solver="cd", reg=reg, penalty="elasticnet", l1_ratio=0.0, tol=1e-10).fit(X, y)
    newton = LogisticRegression(solver="newton", reg=reg, tol=1e-10).fit(X, y)
    assert cd.converged_ and newton.converged_
    assert abs(cd.loss_history_[-1] - newton.loss_history_[-1]) <= 1e-12
    for a, b in zip(params(cd), params(newton)):
        assert abs(a - b) <= 1e-6


@at_most(15)
@given(datasets(max_rows=8, max_features=2, max_abs=1.0), st.sampled_from([0.05, 0.2]), L1_RATIOS)
def test_cd_and_proximal_gradient_find_the_same_optimum(data, reg, l1_ratio):
    """Law: the L1 and elastic-net optimum is the same whichever solver finds it:
    coordinate descent and proximal gradient descent agree.

    Both stop at an optimality measure of 1e-9 (proximal gradient: the step's
    proximal-gradient size, at the safe step). J is convex, so their objectives agree
    to 1e-12; the parameters (where J is flat along the intercept only through the
    data) agree to 1e-5. Precondition: features in [-1, 1] keep proximal gradient's
    step count in the thousands.
    """
    X, y = data
    cd = LogisticRegression(solver="cd", reg=reg, tol=1e-9, **penalty(l1_ratio)).fit(X, y)
    prox = quiet(LogisticRegression(solver="gd", lr=safe_step(X, reg), reg=reg, tol=1e-9, epochs=100000,
                                    **penalty(l1_ratio)), X, y)
    assert cd.converged_ and prox.converged_
    J = [objective(m.coef_, m.intercept_, X, y, reg, l1_ratio=l1_ratio, penalty="elasticnet") for m in (cd, prox)]
    assert abs(J[0] - J[1]) <= 1e-12
    for a, b in zip(params(cd), params(prox)):
        assert abs(a - b) <= 1e-5


HARD = ([[41.5, 30.0], [-23.6, 11.8], [28.5, -14.3], [-11.0, -42.8], [-42.5, -0.6]],
        [1.0, 1.0, 1.0, 0.0, 0.0])


@at_most(20)
@given(datasets(max_rows=10, max_abs=50.0), st.sampled_from([0.001, 0.01]), L1_RATIOS)
@example(HARD, 0.001, 1.0)  # separable with large features: the full quadratic step overshoots
def test_cd_never_increases_the_objective(data, reg, l1_ratio):
    """Law: coordinate descent is a descent method: no recorded J rises.

    Far from the optimum (large features, a small penalty) the quadratic model is
    poor and its minimizer can raise J; the step is then halved. Tolerance: the
    driver's resolution of J, RESOLVABLE (1 + |J|), below which the step is taken
    unchecked.
    """
    X, y = data
    model = quiet(LogisticRegression(solver="cd", reg=reg, tol=1e-10, epochs=30, **penalty(l1_ratio)), X, y)
    history = model.loss_history_
    for before, after in zip(history, history[1:]):
        assert after <= before + RESOLVABLE * (1.0 + abs(before))


# ------------------------------------------- issue 22: the work coordinate descent does

ZERO_COLUMN_PENALTIES = st.sampled_from([(0.02, 1.0), (0.2, 1.0), (0.05, 0.5), (0.0, 1.0)])


@at_most(30)
@given(overlapping_datasets(max_rows=6, max_features=2), st.data(), ZERO_COLUMN_PENALTIES,
       st.sampled_from([0.0, 0.7, -2.0]))
@example(([[0.0], [0.0], [1.0], [1.0], [2.0], [0.5]], [0.0, 1.0, 0.0, 1.0, 1.0, 0.0]), None, (0.0, 1.0), 0.7)
@example(([[0.0], [0.0], [1.0], [1.0], [2.0], [0.5]], [0.0, 1.0, 0.0, 1.0, 1.0, 0.0]), None, (0.02, 1.0), 0.7)
@example(([[0, 0], [0, 0], [1, 0], [1, 0], [0, 1], [0, 1], [2, -1]], [0, 1, 0, 1, 0, 1, 0]), None, (0.02, 1.0), 0.0)
def test_an_all_zero_column_ends_at_zero_and_changes_nothing_else(data, draw, reg_and_ratio, start_weight):
    """Law: with a column of zeros inserted anywhere, coordinate descent converges from a
    start that gives that column any weight, ends with that weight exactly 0 (with no
    penalty: 0 or its start), and the other parameters are the fit without the column
    (to 1e-6), in at most 100 sweeps of the quadratic model per step.

    Along a zero column J is flat (no curvature, no slope), so the model there is
    ``l1 |u|``, whose minimum is 0; with no penalty every value is a minimum: a step
    moves it to 0, the smallest, and a start already optimal is left as it is. Precondition: overlapping_datasets (the optimum exists at
    reg = 0). Tolerance: both fits stop at an optimality violation of 1e-10; the
    intercept's curvature comes from the data alone, so the parameters agree to 1e-6.
    The sweep bound: these models have at most 3 coordinates and settle in a few
    sweeps where the columns are uncorrelated, a few dozen where they are (109 sweeps
    over 5 steps on the pinned example, correlation -0.6); a loop that never sees its
    tolerance met would sweep MAX_CYCLES = 1000 times.
    """
    X, y = data
    reg, l1_ratio = reg_and_ratio
    position = draw.draw(st.integers(0, len(X[0]))) if draw is not None else 0
    widened = [x[:position] + [0.0] + x[position:] for x in X]
    options = {"reg": reg, "penalty": "elasticnet", "l1_ratio": l1_ratio}
    start = [0.0] * (len(X[0]) + 2)
    start[position + 1] = start_weight
    sweeps = []
    real_sweep = QuadraticModel.sweep
    QuadraticModel.sweep = lambda self, positions: sweeps.append(1) or real_sweep(self, positions)
    try:
        wide = solve(make_problem(widened, y, **options), CoordinateDescent(), epochs=100, tol=1e-10, start=start)
    finally:
        QuadraticModel.sweep = real_sweep
    narrow = solve(make_problem(X, y, **options), CoordinateDescent(), epochs=100, tol=1e-10)
    assert wide.converged and narrow.converged
    assert wide.theta[position + 1] in ((0.0,) if reg > 0.0 else (0.0, start_weight))
    others = wide.theta[:position + 1] + wide.theta[position + 2:]
    assert max(abs(a - b) for a, b in zip(others, narrow.theta)) <= 1e-6
    assert len(sweeps) <= 100 * max(wide.n_iter, 1)


@at_least(50)
@given(factorial_datasets(max_copies=2), st.sampled_from([0.3, 0.6, 0.9]), L1_RATIOS)
@example(([[-1.0, -1.0], [-1.0, 1.0], [1.0, -1.0], [1.0, 1.0]] * 2, [0.0, 0.0, 1.0, 1.0, 0.0, 1.0, 1.0, 1.0]),
         0.3, 1.0)
def test_on_orthogonal_features_the_first_step_sweeps_the_model_three_times(data, fraction, l1_ratio):
    """Law (the work of the inner loop): on orthogonal, centred features (a balanced +-1
    factorial design) at the null model, the quadratic model is separable, so one sweep
    minimizes it exactly; the inner loop then checks the non-zero coordinates (the
    intercept included) once and every active coordinate once more, and stops: the
    first step updates 2 a + m coordinates in 3 sweeps, a the active ones and m the
    non-zero ones after the step.

    Precondition: reg = fraction * reg_max < reg_max, so that some weight enters. Exact
    counts: at the null model every curvature weight p (1 - p) is the same number, and
    sums of +-v over a balanced design cancel exactly, so the model's cross terms are 0.
    """
    X, y = data
    largest = reg_max(X, y, l1_ratio)
    assume(largest > 1e-6)
    problem = make_problem(X, y, reg=fraction * largest, penalty="elasticnet", l1_ratio=l1_ratio)
    point = problem.at([null_intercept(problem)] + [0.0] * len(X[0]))
    model = QuadraticModel(problem, point)
    active = len(model.active)
    updates, sweeps = [], []
    real_update, real_sweep = model.update, model.sweep
    model.update = lambda a: updates.append(a) or real_update(a)
    model.sweep = lambda positions: sweeps.append(list(positions)) or real_sweep(positions)
    violation = optimality_violation(problem, point)
    theta = model.minimize(violation * min(INNER_FRACTION, math.sqrt(violation)))
    moving = 1 + sum(1 for w in theta[1:] if w != 0.0)
    assert moving > 1
    assert len(sweeps) == 3 and len(updates) == 2 * active + moving
    assert sweeps[1] == [a for a in range(active) if a == 0 or theta[model.active[a]] != 0.0]


@at_least(50)
@given(datasets(max_rows=8), st.integers(1, 12), st.sampled_from([1.0, 0.5]),
       st.sampled_from([0.0, 1e-12, 1e-6, 1e-3, 1e-2]))
# The non-zero weights settle (the inner loop stops early) while a full sweep still
# moves: a cap counted per round of the outer loop would allow 7 sweeps here.
@example(([[2.669670079264403, 2.5589802601925413], [-2.5324528557148325, -0.3109217925339838],
           [1.4642177096224955, -0.3020755709515779], [0.0533941490184926, 1.840943626030307],
           [1.2299529656956327, 2.748025336337659]], [1.0, 0.0, 0.0, 0.0, 0.0]), 4, 0.5, 1e-2)
def test_the_inner_loop_sweeps_at_most_max_cycles_times(data, max_cycles, l1_ratio, tol):
    """Law: QuadraticModel.minimize sweeps at most max_cycles times whatever its tolerance,
    and exactly that many when no sweep can meet its tolerance (a negative one). The
    first sweep covers every active coordinate; after a sweep that moved beyond the
    tolerance come sweeps over the coordinates the last full sweep left non-zero (and
    the intercept) until one settles, then a sweep over every active one again.

    Exact count: the cap counts sweeps, whichever of the two loops makes them.
    """
    X, y = data
    problem = make_problem(X, y, reg=0.05, penalty="elasticnet", l1_ratio=l1_ratio)
    sweeps = []
    for tolerance in (tol, -1.0):
        model = QuadraticModel(problem, problem.at(problem.start()))
        real_sweep = model.sweep

        state = {"next": "all", "moving": None}

        def sweep(positions, model=model, real_sweep=real_sweep, state=state, tolerance=tolerance):
            everything = list(range(len(model.active)))
            if state["next"] == "all":
                assert list(positions) == everything
            else:  # the non-zero ones as the last full sweep left them, until they settle
                if state["moving"] is None:
                    state["moving"] = [a for a in everything if a == 0 or model.theta[model.active[a]] != 0.0]
                assert list(positions) == state["moving"]
            sweeps.append(1)
            largest = real_sweep(positions)
            if largest <= tolerance or state["next"] == "all":
                state["moving"] = None
            state["next"] = "all" if largest <= tolerance else "non-zero"
            return largest

        model.sweep = sweep
        del sweeps[:]
        model.minimize(tolerance, max_cycles=max_cycles)
        assert len(sweeps) <= max_cycles
    assert len(sweeps) == max_cycles


@at_least(50)
@given(st.integers(1, 4), st.integers(1, 3), st.floats(1.0, 10.0))
def test_a_model_already_at_its_minimum_is_swept_once_even_with_tolerance_zero(pairs, d, above):
    """Law: at the null model of balanced labels (p = 1/2 exactly, so the intercept's
    gradient is exactly 0) with reg above reg_max (no weight active), the quadratic model
    is at its minimum: minimize(0) sweeps once, moves nothing and stops.

    Exact: a sweep that moves nothing moves 0.0, which meets a tolerance of 0.
    """
    X = [[float((i * 7 + j * 3) % 5) for j in range(d)] for i in range(2 * pairs)]
    y = [0.0, 1.0] * pairs
    problem = make_problem(X, y, reg=above * max(reg_max(X, y), 1e-3), penalty="l1")
    point = problem.at([0.0] * (d + 1))
    model = QuadraticModel(problem, point)
    sweeps = []
    real_sweep = model.sweep
    model.sweep = lambda positions: sweeps.append(1) or real_sweep(positions)
    assert model.minimize(0.0) == point.theta and len(sweeps) == 1


def test_coordinate_descent_names_itself_and_the_cure_for_overflow():
    rule = CoordinateDescent()
    advice = rule.divergence_advice(make_problem([[1.0], [2.0]], [0, 1]))
    assert rule.name == "coordinate descent"
    assert advice.startswith("The log-odds left the floating-point range") and advice.endswith("standardize the features")


@at_least(50)
@given(st.floats(-10.0, 10.0), st.floats(-10.0, 10.0), st.floats(0.0, 5.0))
@example(-0.5, 0.5, 0.25)  # 0 < w <= 1: the sign of w decides, not its size
@example(0.5, -0.5, 0.25)
@example(0.1, 0.0, 0.25)  # w = 0: the kink absorbs |g| <= l1
@example(-0.75, 0.0, 0.25)
def test_a_coordinates_violation_is_the_distance_from_its_subdifferential(g, w, l1):
    """Law: coordinate_violation(g, w, l1) is the distance from -g to l1 times the
    subdifferential of |w|: the point {l1 sign(w)} where w != 0, the interval
    [-l1, l1] at w = 0. So it is 0 exactly where the coordinate's optimality
    condition holds.

    Exact: the distance to a point or an interval is one subtraction and an abs
    (computed here as -g minus its projection onto the set).
    """
    low, high = (-l1, l1) if w == 0.0 else (math.copysign(l1, w),) * 2
    nearest = min(max(-g, low), high)
    assert coordinate_violation(g, w, l1) == abs(-g - nearest)


@at_least(50)
@given(st.integers(0, 3), st.floats(-5.0, 5.0), st.floats(-2.0, 2.0), st.floats(0.0, 1.0))
@example(0, 0.5, 0.25, 0.5)  # the intercept: no kink, so a line has no minimum and u stays
@example(1, 0.5, 0.75, 0.5)  # |slope| > l1: the line falls for ever one way, u stays
@example(1, 0.5, 0.25, 0.5)  # |slope| <= l1: the kink at 0 is the minimum
def test_along_a_coordinate_with_no_curvature_the_model_goes_to_its_kink_or_nowhere(j, u, slope, l1):
    """Law: with no curvature the model along coordinate j is the line slope (u' - u), plus
    l1 |u'| for a weight (j > 0). A weight whose |slope| <= l1 has its minimum at the
    kink, 0; otherwise (and always for the intercept, which has no kink) the model has
    no minimum, and u stays where it is. Exact: a choice, not a computation."""
    expected = 0.0 if j > 0 and abs(slope) <= l1 else u
    assert _flat_minimizer(j, u, slope, l1) == expected

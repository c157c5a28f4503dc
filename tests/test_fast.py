"""Appendix A: every fast form equals its reference, and the seam changes nothing but speed."""

import math
import warnings
from array import array

import pytest
from hypothesis import assume, given, strategies as st

from logreg_pure import LogisticRegression, SingularMatrixError, SoftmaxRegression
from logreg_pure.part1_mathematics.checks import ColumnTable
from logreg_pure.part1_mathematics.gradient import gradient, hessian, residuals
from logreg_pure.part1_mathematics.loss import example_loss, logits
from logreg_pure.part1_mathematics.vectors import transpose
from logreg_pure.part2_problem.firth import FirthProblem
from logreg_pure.part2_problem.problem import Problem, make_problem
from logreg_pure.part2_problem.softmax_problem import SoftmaxProblem
from logreg_pure.part3_solvers.coordinate import CoordinateDescent
from logreg_pure.part3_solvers.solvers import solve
from logreg_pure.part4_estimators import estimator as estimator_chapter
from logreg_pure.part4_estimators.features import Standardizer
from logreg_pure.part8_appendix import fast
from logreg_pure.part8_appendix.fast import (FastFirthProblem, FastProblem, FastSoftmaxProblem, column_gradient,
                                             column_hessian, loss_and_residuals)
from strategies import at_most, class_datasets, datasets, problems


def _scale(X):
    """The size of the largest term a sum over rows can hold: 1 + max |x|."""
    return 1.0 + max(abs(v) for row in X for v in row)


@given(problems())
def test_column_gradient_equals_reference(problem):
    """Law: the column-major gradient (sum r / n, X^T r / n + reg w) equals the
    per-example one.

    The two differ only in summation order; to 1e-12 relative to the largest term.
    """
    X, y, w, b, reg = problem
    ref_w, ref_b = gradient(w, b, X, y, reg)
    r = residuals(logits(w, b, X), y)
    fast = column_gradient(transpose(X), r, w, reg, float(len(X)))
    scale = _scale(X) + reg * max(map(abs, w))
    for slow, quick in zip([ref_b] + ref_w, fast):
        assert math.isclose(slow, quick, rel_tol=1e-12, abs_tol=1e-12 * scale)


@given(problems())
def test_column_hessian_equals_reference(problem):
    """Law: the Hessian built from column products equals the sum of outer products.

    Only the summation order differs; to 1e-12 relative to the largest term, max|x1|^2.
    """
    X, y, w, b, reg = problem
    ref = hessian(w, b, X, reg)
    fast = column_hessian(transpose(X), logits(w, b, X), reg, float(len(X)))
    scale = _scale(X) ** 2
    for ref_row, fast_row in zip(ref, fast):
        for slow, quick in zip(ref_row, fast_row):
            assert math.isclose(slow, quick, rel_tol=1e-12, abs_tol=1e-12 * scale)


@given(problems(), st.booleans())
def test_one_pass_loss_and_residuals_equal_the_references(problem, weighted):
    """Law: the fused pass gives the per-example losses' sum (to 1e-12 relative:
    only the rounding order differs, and every term is non-negative) and exactly
    the residuals sigmoid(z) - y of the reference (bit for bit)."""
    X, y, w, b, _ = problem
    z = logits(w, b, X)
    weights = [1.0 + (i % 3) for i in range(len(y))] if weighted else None
    loss, r = loss_and_residuals(z, y, weights)
    s = weights or [1.0] * len(y)
    reference = math.fsum(si * example_loss(yi, zi) for si, yi, zi in zip(s, y, z))
    assert math.isclose(loss, reference, rel_tol=1e-12, abs_tol=1e-300)
    assert r == residuals(z, y, weights)


def test_one_pass_at_extreme_logits():
    # Far beyond where exp(-z) would overflow: finite losses, exact residuals.
    loss, r = loss_and_residuals([1000.0, -1000.0, 1e308, -1e308], [1.0, 1.0, 0.0, 0.0])
    assert loss == 1000.0 + 1e308 and r == [0.0, -1.0, 1.0, 0.0]


def _both(problem, weighted, penalty):
    X, y, w, b, reg = problem
    weights = [1.0 + (i % 3) for i in range(len(y))] if weighted else None
    options = dict(reg=reg, penalty=penalty, sample_weight=weights)
    if penalty == "elasticnet":
        options["l1_ratio"] = 0.25
    return Problem(X, y, **options), FastProblem(X, y, **options), [b] + w


@given(problems(), st.booleans(), st.sampled_from(["l2", "l1", "elasticnet"]))
def test_fast_problem_answers_as_the_reference_problem(problem, weighted, penalty):
    """Law: at any theta, FastProblem's log-odds, objective and gradient equal
    Problem's (the reference formulas of chapters 4 and 5).

    Only summation orders differ: 1e-12 relative for J (a sum of non-negative
    terms), and 1e-12 of the largest term for z and the gradient.
    """
    reference, fast, theta = _both(problem, weighted, penalty)
    slow, quick = reference.at(theta), fast.at(theta)
    scale = _scale(reference.X) * (1.0 + max(map(abs, theta)))
    assert math.isclose(slow.objective, quick.objective, rel_tol=1e-12)
    assert math.isclose(reference.objective(theta), fast.objective(theta), rel_tol=1e-12)
    for a, b in zip(slow.z + slow.gradient, quick.z + quick.gradient):
        assert math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12 * scale)


@given(problems(), st.booleans(), st.data())
def test_fast_batch_gradient_equals_the_reference(problem, weighted, draw):
    """Law: on any batch of rows, FastProblem's batch gradient equals Problem's,
    (n / S) mean_batch s_i (p_i - y_i) x1_i + l2 (0, w).

    Summation order differs (a running sum against fsum): 1e-12 of the largest term.
    """
    reference, fast, theta = _both(problem, weighted, "l2")
    rows = draw.draw(st.lists(st.integers(0, reference.n_rows - 1), min_size=1, max_size=5))
    scale = _scale(reference.X) * (1.0 + max(map(abs, theta))) * 3.0  # weights up to 3
    for a, b in zip(reference.batch_gradient(theta, rows), fast.batch_gradient(theta, rows)):
        assert math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12 * scale)


@given(problems(), st.booleans(), st.sampled_from(["l2", "elasticnet"]), st.data())
def test_fast_curvature_and_hessian_columns_equal_the_reference(problem, weighted, penalty, draw):
    """Law: FastProblem's curvature weights v_i = s_i p_i (1 - p_i) / S and its Hessian
    columns (any rows, in any order) equal Problem's, and a column equals the
    corresponding column of the full Hessian of chapter 5.

    v: 1e-15 relative (two roundings apart: e / (1 + e)^2 against sigmoid(z)
    sigmoid(-z)). Columns: only summation orders differ, 1e-12 of the largest term.
    """
    reference, fast, theta = _both(problem, weighted, penalty)
    point = reference.at(theta)
    v_slow, v_fast = reference.curvature_weights(point), fast.curvature_weights(point)
    for a, b in zip(v_slow, v_fast):
        assert math.isclose(a, b, rel_tol=1e-15, abs_tol=1e-300)
    d1 = len(theta)
    j = draw.draw(st.integers(0, d1 - 1))
    among = draw.draw(st.permutations(range(d1)))
    scale = _scale(reference.X) ** 2 * 3.0 + reference.l2  # weights up to 3
    full = [row[j] for row in reference.hessian(point)]
    for a, b, k in zip(reference.hessian_column(v_slow, j, among), fast.hessian_column(v_fast, j, among), among):
        assert math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12 * scale)
        assert math.isclose(a, full[k], rel_tol=1e-12, abs_tol=1e-12 * scale)


# Each solver with each kind of penalty it fits (chapter 15's table): none of an L1 part,
# an L1 part (the elastic net's half and half, or L1 alone), Firth's.
FITS = [("gd", "l2"), ("gd", "l1"), ("sgd", "l2"), ("newton", "l2"), ("newton", "firth"), ("cd", "l2"),
        ("cd", "elasticnet")]
FIXED_STEPS = ("gd", "sgd")  # first-order rules, compared step for step


def _fit(data, solver, penalty, binary, fast):
    """The estimator for ``data``'s classes (LogisticRegression for two when ``binary``), fitted."""
    X, y = data
    options = dict(solver=solver, penalty=penalty, reg=0.0 if penalty == "firth" else 0.1, random_state=0,
                   l1_ratio=0.5 if penalty == "elasticnet" else None, fast=fast)
    if solver in FIXED_STEPS:
        options.update(epochs=15, tol=0.0)
    else:
        options.update(epochs=200, tol=1e-10)
    model = (LogisticRegression if binary else SoftmaxRegression)(**options)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # 15 steps of gd or sgd stop short of the optimum, as intended
        return model.fit(X, y)


def _parameters(model):
    if isinstance(model, LogisticRegression):
        return model.coef_ + [model.intercept_]
    return [v for row in model.coef_ for v in row] + model.intercept_


@at_most(30)
@given(class_datasets(max_classes=3, max_rows=10), st.sampled_from(FITS), st.booleans())
def test_fast_false_gives_the_same_fit(data, fit, binary):
    """Law: ``fast=False`` (the reference formulas of chapters 4 to 13, end to end) and
    the default ``fast=True`` (appendix A) give the same fit, for every solver, each kind
    of penalty it fits and K = 2 (LogisticRegression, or SoftmaxRegression) or 3 classes.

    Precondition: reg = 0.1, a unique optimum (Firth's penalty: reg = 0 and two classes,
    with an information matrix that is well conditioned at the start, or its Newton
    steps amplify rounding without bound). Tolerances: gd and sgd run 15 steps each
    (tol = 0), the same steps, whose rounding differences (1e-12 per step) cannot add up:
    1e-9 relative. Newton and coordinate descent run until the optimality conditions hold
    to 1e-10 (their step counts may differ by one: a difference of rounding can add a
    halving or a sweep): J is strongly convex in the weights (curvature >= l2 = 0.05),
    and along the intercepts its curvature comes from the data alone, so the
    parameters agree to 1e-6, as in the laws of chapter 16.
    """
    solver, penalty = fit
    K = len(set(data[1]))
    binary = binary and K == 2
    assume(penalty != "firth" or binary)
    try:
        fast, slow = (_fit(data, solver, penalty, binary, flag) for flag in (True, False))
    except SingularMatrixError:
        assume(False)  # a duplicated or constant column: no Firth (or unpenalized) optimum to compare
    if solver in FIXED_STEPS:
        assert fast.n_iter_ == slow.n_iter_ == 15
        tolerance = [1e-9 * (1.0 + abs(a)) for a in _parameters(fast)]
    else:
        assume(fast.converged_ and slow.converged_)  # Firth's information can be near-singular
        tolerance = [1e-6] * len(_parameters(fast))
    for a, b, tol in zip(_parameters(fast), _parameters(slow), tolerance):
        assert abs(a - b) <= tol


class _Recorded:
    """Records the class of every problem the estimators solve (chapter 17's ``solve``)."""

    def __enter__(self):
        self.kinds = []
        self.real = estimator_chapter.solve

        def recording(problem, rule, **options):
            self.kinds.append(type(problem))
            return self.real(problem, rule, **options)

        estimator_chapter.solve = recording
        return self

    def __exit__(self, *exc):
        estimator_chapter.solve = self.real


@given(st.sampled_from(FITS), st.booleans(), st.booleans())
def test_fast_true_fits_through_the_appendix_and_fast_false_never(fit, binary, fast):
    """Law: the problem a fit solves is the appendix's fast form of its kind (binary,
    Firth's, K classes) with ``fast=True``, and the reference class itself with
    ``fast=False``: the seam of chapter 10 hands out what was asked for. Exact: a
    class is what it is."""
    from logreg_pure.part2_problem import problem as problem_chapter

    solver, penalty = fit
    assume(penalty != "firth" or binary)
    data = ([[0.0], [1.0], [2.0], [3.0], [1.5], [0.5]], [0, 1, 0, 1, 1, 0] if binary else [0, 1, 2, 1, 2, 0])
    with _Recorded() as recorded:
        _fit(data, solver, penalty, binary, fast)
    reference = {"firth": FirthProblem}.get(penalty, Problem if binary else SoftmaxProblem)
    expected = problem_chapter.FAST_FORMS[reference] if fast else reference
    assert recorded.kinds == [expected]


@at_most(25)
@given(datasets(max_rows=10), st.sampled_from([0.9, 0.5, 0.0]))
def test_the_seam_leads_coordinate_descent_to_the_same_optimum(data, l1_ratio):
    """Law: coordinate descent on the reference Problem and through the seam
    (FastProblem) reaches the same optimum.

    Not step for step, as the other rules do: its inner loop stops once a sweep moves
    less than a tolerance, and a rounding difference (1e-16) can add or save a sweep,
    and with it a step. Both converge to an optimality violation of 1e-10. Precondition:
    reg = 0.1 and l1_ratio < 1, so that an L2 part makes J strictly convex in w (one
    minimizer); the objectives agree to 1e-12 and the parameters to 1e-6 (along the
    intercept the curvature comes from the data alone).
    """
    X, y = data
    options = dict(reg=0.1, penalty="elasticnet", l1_ratio=l1_ratio)
    results = [solve(make_problem(X, y, fast=fast, **options), CoordinateDescent(), epochs=200, tol=1e-10)
               for fast in (True, False)]
    assert all(r.converged for r in results)
    J = [make_problem(X, y, fast=False, **options).objective(r.theta) for r in results]
    assert abs(J[0] - J[1]) <= 1e-12
    for a, b in zip(results[0].theta, results[1].theta):
        assert abs(a - b) <= 1e-6


def test_the_seam_gives_the_fast_form_unless_told_otherwise():
    """The seam of chapter 10 (filled by the package's __init__ from this appendix): each
    kind of problem comes in its fast form, in its reference form with fast=False, and
    in its reference form when no fast form is registered."""
    from logreg_pure.part2_problem import problem as problem_chapter
    from logreg_pure.part2_problem.firth import FirthProblem, make_firth_problem
    from logreg_pure.part2_problem.softmax_problem import SoftmaxProblem, make_softmax_problem
    from logreg_pure.part8_appendix.fast import FastFirthProblem, FastSoftmaxProblem

    X, y = [[1.0], [3.0], [2.0]], [0, 1, 1]
    for make, reference, fast in ((make_problem, Problem, FastProblem),
                                  (make_firth_problem, FirthProblem, FastFirthProblem),
                                  (make_softmax_problem, SoftmaxProblem, FastSoftmaxProblem)):
        assert type(make(X, y)) is fast
        assert type(make(X, y, fast=False)) is reference
        saved = dict(problem_chapter.FAST_FORMS)
        problem_chapter.FAST_FORMS.clear()
        try:
            assert type(make(X, y)) is reference
        finally:
            problem_chapter.FAST_FORMS.update(saved)


def test_the_seam_refuses_a_fast_form_that_is_not_its_problem():
    from logreg_pure.part2_problem.problem import use_fast_forms

    with pytest.raises(TypeError, match="subclass of the problem it stands for"):
        use_fast_forms({Problem: object})


# ------------------------------------------------------------ typed columns (issue 26, point 1)

def _table(X):
    return ColumnTable([array("d", column) for column in zip(*X)])


@given(class_datasets(max_classes=3, max_rows=10, max_features=3), st.booleans(), st.data())
def test_a_fast_problem_on_typed_columns_answers_exactly_as_on_rows(data, weighted, draw):
    """Law: each fast problem (two classes, K classes, Firth's) made from a ``ColumnTable``
    (the CSV reader's typed columns, one ``array('d')`` each) answers exactly as the same
    problem made from the same rows as lists: objective, gradient, Hessian, batch gradient.

    Precondition: none beyond checked data. Tolerance: none (``==``): both read the same
    floats in the same order with the same products; only the containers differ.
    """
    X, y = data
    binary = [float(v == max(y)) for v in y]
    weights = [1.0 + (i % 3) for i in range(len(X))] if weighted else None
    values = draw.draw(st.lists(st.floats(-2.0, 2.0), min_size=12, max_size=12))  # theta: as many as it takes
    for make, labels in ((FastProblem, binary), (FastFirthProblem, binary), (FastSoftmaxProblem, y)):
        on_rows = _answers(lambda: make(X, labels, sample_weight=weights), values)
        on_table = _answers(lambda: make(_table(X), labels, sample_weight=weights), values)
        assert on_rows == on_table


def _answers(make, values):
    """What a problem answers at theta (its first components of ``values``), or the
    message of the error it raises (Firth's problem refuses a singular information
    matrix, from rows and from a table alike)."""
    try:
        problem = make()
        if isinstance(problem.X, ColumnTable):  # the table's own arrays, shared (lists on PyPy)
            assert isinstance(problem.columns[0], list if fast.ON_PYPY else array)
        theta = values[:len(problem.start())]
        point = problem.at(theta)
        batch = None if problem.batch_gradient is None else problem.batch_gradient(theta, [0, problem.n_rows - 1])
        return point.objective, point.gradient, point.z, problem.hessian(point), batch
    except SingularMatrixError as error:
        return str(error)


@at_most(10)
@given(class_datasets(max_classes=3, max_rows=10), st.booleans())
def test_a_fit_on_typed_columns_is_the_fit_on_rows_fast_or_not(data, fast):
    """Law: an estimator fit on a ``ColumnTable`` equals the fit on the same rows as lists,
    through the appendix (``fast=True``) and through the reference formulas end to end
    (``fast=False``, which reads the table as rows).

    Precondition: none (a penalty keeps every fit finite). Tolerance: none (``==``): the
    same arithmetic on the same floats.
    """
    X, y = data
    model = SoftmaxRegression if len(set(y)) > 2 else LogisticRegression
    on_rows = model(reg=0.1, fast=fast).fit(X, y)
    on_table = model(reg=0.1, fast=fast).fit(_table(X), y)
    assert (on_rows.coef_, on_rows.intercept_, on_rows.n_iter_) == (on_table.coef_, on_table.intercept_,
                                                                   on_table.n_iter_)
    assert on_rows.predict_proba(X) == on_table.predict_proba(_table(X))


@given(class_datasets(max_classes=2, max_rows=10, max_features=3))
def test_standardizing_typed_columns_is_standardizing_their_rows(data):
    """Law: ``Standardizer`` fitted on and applied to a ``ColumnTable`` gives the means,
    scales and standardized values it gives on the same rows as lists, and keeps them
    typed (the CSV fit with ``--standardize`` makes no row of floats).

    Precondition: none. Tolerance: none (``==``): the same formulas on the same floats."""
    X, _ = data
    on_rows, on_table = Standardizer().fit(X), Standardizer().fit(_table(X))
    assert (on_rows.mean_, on_rows.scale_) == (on_table.mean_, on_table.scale_)
    standardized = on_table.transform(_table(X))
    assert isinstance(standardized, ColumnTable) and standardized == on_rows.transform(X)


def test_a_column_table_refuses_what_it_cannot_hold():
    # Checked when made, and again whenever a public door reads it (its arrays stay the caller's).
    with pytest.raises(TypeError, match=r"column 0 must be an array\('d'\), got list"):
        ColumnTable([[1.0, 2.0]])
    with pytest.raises(ValueError, match="column 1 has 1 values, column 0 has 2"):
        ColumnTable([array("d", [1.0, 2.0]), array("d", [3.0])])
    with pytest.raises(ValueError, match="row 1, column 0 holds inf"):
        ColumnTable([array("d", [1.0, math.inf])])
    with pytest.raises(ValueError, match="at least one column and one row"):
        ColumnTable([])
    with pytest.raises(ValueError, match="X has 1 features, but LogisticRegression is expecting 2"):
        LogisticRegression(reg=1.0).fit([[1.0, 0.0], [2.0, 1.0]], [0, 1]).predict(_table([[1.0], [2.0]]))
    for not_columns in (None, 5):
        with pytest.raises(TypeError, match=r"ColumnTable takes a list of columns, each an array\('d'\)"):
            ColumnTable(not_columns)
    with pytest.raises(TypeError, match=r"column 0 must be an array\('d'\), got int"):
        ColumnTable([5])


def test_a_column_table_changed_after_it_was_made_is_checked_again():
    # Review 31, F2: the table keeps the caller's arrays; an inf written into one, or a
    # column made longer, after the table was made, gave silent probabilities of 0 and 1
    # or a truncated prediction. Every public door checks the table again.
    a, b = array("d", [0.1, 0.5, 0.9, 1.3, 1.7, 2.1]), array("d", [1.0, 0.0, 1.0, 0.0, 1.0, 0.0])
    table, y = ColumnTable([a, b]), [0, 0, 1, 0, 1, 1]
    model = LogisticRegression(reg=0.1).fit(table, y)
    a[2] = math.inf
    with pytest.raises(ValueError, match="row 2, column 0 holds inf"):
        model.predict_proba(table)
    a[2] = 0.9
    b.append(5.0)
    with pytest.raises(ValueError, match="column 1 has 7 values, column 0 has 6"):
        model.predict(table)
    with pytest.raises(ValueError, match="column 1 has 7 values, column 0 has 6"):
        LogisticRegression(reg=0.1).fit(table, y)

"""Numbers from finite input, at the ends of the float range (chapters 10, 20, 22, 35).

Issue 21, point 7. A fuzzing campaign found finite inputs that gave ``inf``, ``nan``,
all-zero coefficients marked converged, or messages naming internal variables
(``H row 1, column 1``, ``values[0]``, ``y_score[0]``), some after part of the
results was printed. Each law below states what finite input must give: the finite
answer, or a ``ValueError`` that says why, before anything is printed.
"""

import copy
import math

import pytest
from hypothesis import assume, example, given, strategies as st

from logreg_pure import LogisticRegression, summarize
from logreg_pure.part1_mathematics.errors import NotFittedError
from logreg_pure.part4_estimators.features import Standardizer, original_units
from processes import run_status as run
from strategies import at_most, overlapping_datasets

HUGE = 1.7e308  # near the largest float, 1.797e308


NEAR_THE_ENDS = st.one_of(st.sampled_from([HUGE, -HUGE, HUGE / 2, -HUGE / 3, 0.0, 1.0]),
                         st.floats(-HUGE, HUGE, allow_nan=False))


@given(st.lists(NEAR_THE_ENDS, min_size=2, max_size=6).filter(lambda c: len(set(c)) > 1))
@example([HUGE, HUGE, -HUGE])  # the campaign's: -inf came back for -1.7e308
def test_standardizing_and_back_returns_the_column_at_any_magnitude(column):
    """Law: ``inverse_transform(transform(X))`` is X to 8 ulps relative to the column's
    largest value, whenever ``transform`` succeeds, however near the ends of the float
    range the values are; where the standardized value or the original would leave the
    range, a ``ValueError`` names the row and column (never inf).

    Precondition: a column of finite floats, not constant. Tolerance: a subtraction, a
    division, a multiplication and an addition, each rounding once, relative to the
    column's scale.
    """
    X = [[v] for v in column]
    scaler = Standardizer().fit(X)
    try:
        back = scaler.inverse_transform(scaler.transform(X))
    except ValueError as error:
        assert "row" in str(error) and "column" in str(error)
        return
    largest = max(abs(v) for v in column)
    for (original,), (restored,) in zip(X, back):
        assert math.isfinite(restored)
        assert abs(restored - original) <= 8 * 2.0 ** -52 * largest


@at_most(20)
@given(overlapping_datasets(max_rows=8, max_features=1), st.one_of(st.integers(-520, -505), st.integers(-504, 0)))
def test_standard_errors_scale_with_the_feature_down_to_the_smallest_floats(data, k):
    """Law: with a feature multiplied by ``2**k`` (exact in binary) and its coefficient by
    ``2**-k`` (the same log-odds, the same fit), the feature's standard error is
    multiplied by ``2**-k`` and the intercept's is unchanged, to 1e-9 relative; finite
    down to features near 1e-157, whose standard errors near 1e157 are finite although
    their variances (near 1e314) are not.

    Precondition: overlapping_datasets with one feature (the estimate exists); k in
    [-520, 0], so that the squares in the information matrix (down to 2**-1040) keep
    at least 34 of their 53 bits. Tolerance: those bits, and the inverse's rounding.
    """
    X, y = data
    assume(all(v == 0.0 or abs(v) >= 1e-3 for row in X for v in row))
    model = LogisticRegression(solver="newton", tol=1e-10).fit(X, y)
    plain = summarize(model, X, y)
    scaled_X = [[math.ldexp(v, k) for v in row] for row in X]
    scaled = copy.copy(model)
    scaled.coef_ = [math.ldexp(w, -k) for w in model.coef_]
    small = summarize(scaled, scaled_X, y)
    assert math.isfinite(small.std_errors[1])
    assert small.std_errors[1] == pytest.approx(math.ldexp(plain.std_errors[1], -k), rel=1e-9)
    assert small.std_errors[0] == pytest.approx(plain.std_errors[0], rel=1e-9)


@at_most(20)
@given(overlapping_datasets(max_rows=6, max_features=2),
       st.one_of(st.integers(-1074, -1040), st.integers(-1039, 1000)), st.data())
def test_weights_matter_only_through_their_ratios_or_are_refused(data, k, draw):
    """Law: multiplying every sample weight by ``2**k`` gives the same fit to 1e-9, or, when
    the largest scaled weight is below 2**-600 (where weights times probabilities
    underflow), a ``ValueError`` naming sample_weight; never a different fit marked
    converged (weights of 5e-324 used to give all-zero coefficients, "converged").

    Precondition: overlapping_datasets (the estimate exists); weights in [1, 4] before
    scaling, their scaled total finite. Tolerance: both fits stop at a gradient of 1e-11.
    """
    X, y = data
    weights = draw.draw(st.lists(st.sampled_from([1.0, 2.0, 3.0, 4.0]), min_size=len(X), max_size=len(X)))
    scaled = [math.ldexp(w, k) for w in weights]
    assume(math.isfinite(math.fsum(scaled)) and all(w > 0.0 for w in scaled))
    reference = LogisticRegression(solver="newton", tol=1e-11).fit(X, y, sample_weight=weights)
    try:
        model = LogisticRegression(solver="newton", tol=1e-11).fit(X, y, sample_weight=scaled)
    except ValueError as error:
        assert "sample_weight" in str(error) and max(scaled) < 2.0 ** -600
        return
    assert model.converged_
    assert model.coef_ == pytest.approx(reference.coef_, rel=1e-9, abs=1e-9)
    assert model.intercept_ == pytest.approx(reference.intercept_, rel=1e-9, abs=1e-9)




INTERNAL_NAMES = ("H row", "values[", "y_score[", "w[", "g[", "L row", "Traceback")


@at_most(15)
@given(st.one_of(st.integers(1019, 1022), st.integers(0, 1018)),
       st.sampled_from(["summary", "summary --firth", "explain", "fit", "evaluate"]))
@example(1022, "evaluate")  # the log-odds overflow: "y_score[0] is inf" came after the first lines
def test_commands_at_any_feature_scale_answer_or_refuse_in_their_own_words(k, command):
    """Law: on a small two-class table whose feature is multiplied by ``2**k`` (up to the
    largest floats), ``summary`` (plain or Firth), ``explain``, ``fit`` and ``evaluate``
    either succeed (exit 0) or exit 1 with one ``error:`` line, printed before any
    result, that names no internal variable (``H row``, ``values[0]``, ``y_score[0]``...).

    Precondition: a fixed table of six rows, not separated; finite features. Exact: text.
    """
    import os
    import tempfile

    rows = [(0.0, 0), (1.0, 0), (2.0, 1), (3.0, 1), (1.5, 0), (1.6, 1)]
    with tempfile.TemporaryDirectory() as folder:
        data, model = os.path.join(folder, "data.csv"), os.path.join(folder, "model.json")
        with open(data, "w", encoding="utf-8") as handle:
            handle.write("x,y\n" + "".join(f"{math.ldexp(x, k)!r},{label}\n" for x, label in rows))
        name, *options = command.split()
        if name == "evaluate":  # a model fit on the unscaled table, used on the scaled one
            plain = os.path.join(folder, "plain.csv")
            with open(plain, "w", encoding="utf-8") as handle:
                handle.write("x,y\n" + "".join(f"{x!r},{label}\n" for x, label in rows))
            assert run("fit", plain, "--target", "y", "--model", model)[0] == 0
            status, out, err = run("evaluate", model, data, "--target", "y")
        elif name == "fit":
            status, out, err = run("fit", data, "--target", "y", "--model", model)
        else:
            status, out, err = run(name, data, "--target", "y", *options)
    assert status in (0, 1), err
    if status == 1:
        assert out == "" and err.startswith("error: ") and not any(word in err for word in INTERNAL_NAMES), err


def test_the_issues_extreme_inputs():
    """The fuzzing campaign's findings, one by one."""
    X = [[HUGE], [HUGE], [-HUGE]]
    scaler = Standardizer().fit(X)
    back = scaler.inverse_transform(scaler.transform(X))
    assert back[2][0] == pytest.approx(-HUGE, rel=1e-15)
    with pytest.raises(NotFittedError):
        original_units([1.0], 0.0, Standardizer())
    with pytest.raises(ValueError, match="coef"):
        original_units([math.nan], 0.0, Standardizer().fit([[0.0], [1.0]]))
    with pytest.raises(ValueError, match="beyond the float range"):
        original_units([1e308], 0.0, Standardizer().fit([[0.0], [1e-10]]))
    from logreg_pure.part5_inference.multiclass_metrics import multiclass_log_loss_from_scores
    from logreg_pure.part5_inference.path import reg_max

    with pytest.raises(ValueError, match="l1_ratio"):
        reg_max([[0.0], [1.0]], [0, 1], l1_ratio=1e-310)
    with pytest.raises(ValueError, match="row 0"):
        multiclass_log_loss_from_scores(["a"], [[-HUGE, HUGE]], ["a", "b"])
    with pytest.raises(ValueError, match="sample_weight"):
        LogisticRegression(solver="newton").fit([[0.0], [1.0], [2.0], [3.0]], [0, 1, 0, 1], sample_weight=[5e-324] * 4)
    data = ([[0.0], [1.0], [2.0], [3.0], [1.5]], [0, 1, 0, 1, 1])
    result = summarize(LogisticRegression(solver="newton", tol=1e-10).fit(*data), *data)
    with pytest.raises(ValueError, match="j must number a parameter, 0 to 1"):
        result.profile_log_likelihood(5, [1.0])
    with pytest.raises(ValueError, match="x0 = 1e\\+308 held"):
        result.profile_log_likelihood(1, [1e308])  # every probability is 0 or 1 there: said, not nan

"""Chapter 18: the LogisticRegression class, its laws and its answers to bad input."""

import copy
import math
import warnings

import pytest
from hypothesis import assume, example, given, strategies as st

from logreg_pure import LogisticRegression, NotFittedError, SoftmaxRegression, logit, sigmoid
from logreg_pure.part6_command_line.datasets import load_study_hours
from strategies import datasets, features, probabilities


def quiet_fit(model, X, y, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return model.fit(X, y, **kwargs)


@pytest.fixture(scope="module")
def fitted():
    data = load_study_hours()
    return LogisticRegression(solver="newton", tol=1e-10).fit(data.X, data.y)


def test_attributes_after_fit(fitted):
    assert isinstance(fitted.coef_, list) and isinstance(fitted.intercept_, float)
    assert fitted.n_features_in_ == 1 and fitted.converged_
    assert fitted.stop_reason_ == "converged" and fitted.n_iter_ == len(fitted.loss_history_) - 1


def test_repr_shows_the_parameters():
    text = repr(LogisticRegression(lr=0.5, epochs=20, reg=0.25))
    assert text.startswith("LogisticRegression(lr=0.5, epochs=20, reg=0.25, tol=1e-06")
    assert "solver='auto'" in text and text.endswith("class_weight=None, fast=True)")
    # get_params rebuilds an equal model.
    assert repr(LogisticRegression(**LogisticRegression(reg=0.25).get_params())) == repr(LogisticRegression(reg=0.25))


def test_the_defaults_are_the_documented_ones():
    # lr, epochs and reg are the original class's; the rest as the class docstring says. The
    # solver is "auto" (Newton's method; coordinate descent for an L1 part), and the two
    # classifiers, one family, have the same parameters with the same defaults.
    defaults = {"lr": 0.1, "epochs": 1000, "reg": 0.0, "tol": 1e-6, "solver": "auto", "penalty": "l2",
                "l1_ratio": None, "batch_size": 1, "random_state": None, "class_weight": None, "fast": True}
    assert LogisticRegression().get_params() == defaults
    assert SoftmaxRegression().get_params() == defaults


def test_predictions_on_hand_checkable_points(fitted):
    b, w = fitted.intercept_, fitted.coef_[0]
    hours = -b / w  # where the log-odds are 0: a 50% chance of passing
    assert fitted.decision_function([[hours]])[0] == pytest.approx(0.0, abs=1e-12)
    assert fitted.predict([[hours - 0.01], [hours + 0.01]]) == [0, 1]
    assert fitted.probability([[0.0]]) == [sigmoid(b)]


@given(st.lists(st.lists(features(10.0), min_size=1, max_size=1), min_size=1, max_size=10))
def test_probability_is_sigmoid_of_decision_function(fitted, X):
    """Law: probability(X) = sigmoid(decision_function(X)), element by element."""
    assert fitted.probability(X) == [sigmoid(z) for z in fitted.decision_function(X)]


@given(st.floats(-800.0, 800.0), st.sampled_from([LogisticRegression, SoftmaxRegression]))
def test_predict_proba_gives_each_class_its_own_probability(z, family):
    """Law: a model whose log-odds at x = 1 is z (coef_ [z], intercept_ 0; for the K-class
    member, the scores [0, z]) gives predict_proba([[1.0]]) == [[sigmoid(-z), sigmoid(z)]]
    exactly, and probability([[1.0]]) == [sigmoid(z)]: one column per class, each
    class's probability computed from its own side, never as 1 minus the other's
    (which rounds a probability below 1e-17 to 0, from |z| about 39).

    Precondition: |z| <= 800 (any finite z; the sigmoid of -800 is 0 in floats anyway).
    Tolerance: 4e-16 relative (two ulps), as the K-class member computes the same
    probabilities by the softmax formula, which rounds on its own; 1 - sigmoid(z) misses
    by far more (all of it, from |z| about 39).
    """
    model = family(reg=0.1)
    if family is LogisticRegression:
        model.coef_, model.intercept_ = [z], 0.0
    else:
        model.coef_, model.intercept_, model.classes_ = [[0.0], [z]], [0.0, 0.0], [0, 1]
    model.n_features_in_ = 1
    expected = [[sigmoid(-z), sigmoid(z)]]
    assert [[pytest.approx(p, rel=4e-16, abs=0.0) for p in row] for row in model.predict_proba([[1.0]])] == expected
    assert model.probability([[1.0]])[0] == pytest.approx(sigmoid(z), rel=4e-16, abs=0.0)


@given(st.floats(-1e6, 1e6).filter(lambda v: not v.is_integer()), st.sampled_from([LogisticRegression, SoftmaxRegression]))
def test_a_label_with_a_fractional_part_is_a_continuous_target(label, family):
    """Law: labels holding a number with a fractional part (a measurement, not a class)
    are refused by both estimators, in scikit-learn's words ("Unknown label type:
    continuous"), whatever the other labels; whole numbers as floats are classes.

    Precondition: any finite non-integral float. Exact: a refusal.
    """
    with pytest.raises(ValueError, match="Unknown label type: continuous"):
        family().fit([[0.0], [1.0], [2.0]], [0.0, label, 1.0])


@given(st.lists(st.lists(features(10.0), min_size=1, max_size=1), min_size=1, max_size=10))
def test_predict_proba_has_a_column_per_class(fitted, X):
    """Law: predict_proba(X) has one row per row of X and one column per class, in the
    order of classes_: [P(class 0), P(class 1)] = [sigmoid(-z), sigmoid(z)], its second
    column is probability(X), and each row sums to 1 within 2**-50: sigmoid(-z) +
    sigmoid(z) = 1 exactly, each computed sigmoid (a division and an exp) is within a
    few units of 2**-53 of its value, and the sum adds one rounding.

    Precondition: finite rows of the model's width. Exact except for the sum.
    """
    P = fitted.predict_proba(X)
    assert len(P) == len(X) and all(len(row) == 2 for row in P)
    assert [row[1] for row in P] == fitted.probability(X)
    assert [row[0] for row in P] == [sigmoid(-z) for z in fitted.decision_function(X)]
    assert all(abs(p0 + p1 - 1.0) <= 2.0 ** -50 for p0, p1 in P)


def segments():
    """Two one-feature points a and c; the segment between them is sampled at 21 points."""
    point = st.lists(features(10.0), min_size=1, max_size=1)
    return st.tuples(point, point).map(
        lambda ac: [[a + k / 20.0 * (c - a) for a, c in zip(*ac)] for k in range(21)])


@given(segments(), probabilities().filter(lambda t: 1e-6 < t < 1 - 1e-6))
def test_decision_boundary_is_linear(fitted, points, threshold):
    """Law: along any segment from a to c the prediction switches at most once.

    The log-odds are linear in x, so they cross the cut logit(t) at most once on a
    segment; the prediction is a step function along it.
    """
    labels = fitted.predict(points, threshold=threshold)
    assert sum(1 for u, v in zip(labels, labels[1:]) if u != v) <= 1


@given(segments(), probabilities().filter(lambda t: 1e-6 < t < 1 - 1e-6))
def test_prediction_is_one_exactly_where_the_log_odds_reach_the_cut(fitted, points, threshold):
    """Law: predict(x, t) = 1 exactly where the log-odds are at least
    log(t / (1 - t)), computed here as log(t) - log1p(-t).

    Precondition: points farther than 1e-9 (1 + |cut|) from the cut, the rounding by
    which two ways of computing the cut may differ (a point exactly on the boundary
    is pinned separately, in test_a_point_on_the_decision_boundary_is_class_1).
    """
    cut = math.log(threshold) - math.log1p(-threshold)
    clear = [(x, z) for x, z in zip(points, fitted.decision_function(points))
             if abs(z - cut) > 1e-9 * (1.0 + abs(cut))]
    assume(clear)
    labels = fitted.predict([x for x, _ in clear], threshold=threshold)
    assert labels == [1 if z > cut else 0 for _, z in clear]


def test_a_point_on_the_decision_boundary_is_class_1():
    # One gradient step from zero on two mirrored rows: the intercept stays exactly 0
    # (the residuals +1/2 and -1/2 cancel), so x = 0 has log-odds exactly 0 = logit(1/2).
    model = LogisticRegression(solver="gd", lr=0.1, epochs=1, tol=0.0, reg=0.1).fit([[-1.0], [1.0]], [0, 1])
    assert model.intercept_ == 0.0 and model.decision_function([[0.0]]) == [0.0]
    assert model.probability([[0.0]]) == [0.5] and model.predict_proba([[0.0]]) == [[0.5, 0.5]] and model.predict([[0.0]]) == [1]


@given(st.lists(st.tuples(features(10.0), st.sampled_from([0, 1])), min_size=1, max_size=10))
@example([(1.0, 1), (2.0, 1)])  # labels of one class only
def test_score_is_the_accuracy_of_predict(fitted, rows):
    """Law: score(X, y) is the fraction of rows with predict(x) = y, for any labels,
    those of one class only included (a test set may hold one class).

    Both are a whole number divided by n: equal exactly.
    """
    X, y = [[x] for x, _ in rows], [label for _, label in rows]
    predicted = fitted.predict(X)
    assert fitted.score(X, y) == sum(1 for p, t in zip(predicted, y) if p == t) / len(y)


@given(datasets(max_rows=10), st.randoms(use_true_random=False))
def test_permuting_rows_leaves_the_fit_unchanged(data, rnd):
    """Law: the objective is a sum over rows, so the order of the rows is irrelevant.

    Only the rounding of the sums changes; 50 epochs amplify it to at most 1e-9.
    """
    X, y = data
    order = list(range(len(X)))
    rnd.shuffle(order)
    model = quiet_fit(LogisticRegression(solver="gd", lr=0.05, epochs=50, reg=0.1, tol=0.0), X, y)
    shuffled = quiet_fit(LogisticRegression(solver="gd", lr=0.05, epochs=50, reg=0.1, tol=0.0),
                         [X[i] for i in order], [y[i] for i in order])
    for a, b in zip(model.coef_ + [model.intercept_], shuffled.coef_ + [shuffled.intercept_]):
        assert abs(a - b) <= 1e-9 * (1.0 + abs(a))


@given(datasets(max_rows=10))
def test_relabelling_negates_every_parameter(data):
    """Law: J(w, b; 1 - y) = J(-w, -b; y), so swapping the classes negates the fit.

    From the same start (0), gradient descent's iterates are negated too, up to
    rounding in sigmoid(-z) = 1 - sigmoid(z): tolerance 1e-9.
    """
    X, y = data
    model = quiet_fit(LogisticRegression(solver="gd", lr=0.05, epochs=50, reg=0.1, tol=0.0), X, y)
    flipped = quiet_fit(LogisticRegression(solver="gd", lr=0.05, epochs=50, reg=0.1, tol=0.0), X, [1.0 - v for v in y])
    for a, b in zip(model.coef_ + [model.intercept_], flipped.coef_ + [flipped.intercept_]):
        assert abs(a + b) <= 1e-9 * (1.0 + abs(a))


def test_the_callers_data_are_not_modified():
    X = [[1, 2.0], (3, 4)]
    y = [0, True]
    before = copy.deepcopy((X, y))
    LogisticRegression(epochs=3, reg=0.1, tol=0.0).fit(X, y)
    assert (X, y) == before


def test_inputs_of_all_numeric_kinds_are_accepted():
    model = LogisticRegression(epochs=3, reg=0.1, tol=0.0).fit(((1, False), (2.5, True)), (0.0, True))
    assert len(model.predict([[1, 0]])) == 1


# ------------------------------------------------------------------ bad input

BAD_DATA = [
    # (case, X, y, error type, words the message must contain)
    ("empty X", [], [], ValueError, "X is empty"),
    ("ragged rows", [[1.0, 2.0], [3.0]], [0, 1], ValueError, "row 1 has 1 values"),
    ("X and y differ in length", [[1.0], [2.0]], [0, 1, 1], ValueError, "X has 2 rows but y has 3"),
    ("NaN in X", [[1.0], [math.nan]], [0, 1], ValueError, "row 1, column 0 is nan"),
    ("infinity in X", [[math.inf], [1.0]], [0, 1], ValueError, "row 0, column 0 is inf"),
    ("a string cell", [[1.0], ["2"]], [0, 1], TypeError, "row 1, column 0 is '2'"),
    ("a None cell", [[None], [1.0]], [0, 1], TypeError, "row 0, column 0 is None"),
    ("a flat list", [1.0, 2.0], [0, 1], TypeError, "for a single feature write"),
    ("three labels", [[1.0], [2.0], [3.0]], [0, 1, 2], ValueError, r"3 distinct labels \(0, 1, 2\)"),
    ("strings and numbers mixed", [[1.0], [2.0]], ["no", 1], TypeError, "mixes strings and numbers"),
    ("a missing label", [[1.0], [2.0], [3.0]], [0, None, 1], TypeError, r"y\[1\] is None"),
    ("a NaN label", [[1.0], [2.0], [3.0]], [0.0, math.nan, 1.0], ValueError, r"y\[1\] is nan"),
    ("one class", [[1.0], [2.0]], [1, 1], ValueError, r"only one class \(1\)"),
    ("continuous labels", [[1.0], [2.0]], [0.25, 1.5], ValueError, "Unknown label type: continuous. y holds 0.25"),
    ("y is a dict", [[1.0], [2.0]], {0: 0, 1: 1}, TypeError, "not a dict: a mapping's keys are not rows"),
    ("empty rows", [[], []], [0, 1], ValueError, "row 0 is empty"),
    ("X is a string", "abc", [0, 1], TypeError, "X must be a list"),
    ("an int too large for a float", [[10 ** 400], [1]], [0, 1], ValueError, "row 0, column 0 is too large"),
]


@pytest.mark.parametrize("case, X, y, error, words", BAD_DATA, ids=[case[0] for case in BAD_DATA])
def test_bad_data_gets_a_clear_error(case, X, y, error, words):
    with pytest.raises(error, match=words):
        LogisticRegression().fit(X, y)


BAD_PARAMETERS = [
    ({"lr": 0.0}, ValueError, "lr must be greater than 0"),
    ({"lr": -1.0}, ValueError, "lr must be greater than 0"),
    ({"lr": math.inf}, ValueError, "lr must be finite"),
    ({"lr": "fast"}, TypeError, "lr must be a number"),
    ({"epochs": 0}, ValueError, "epochs must be at least 1"),
    ({"epochs": 10.5}, TypeError, "epochs must be a whole number"),
    ({"reg": -0.1}, ValueError, "reg must be at least 0"),
    ({"reg": math.nan}, ValueError, "reg must be finite"),
    ({"tol": -1.0}, ValueError, "tol must be at least 0"),
    ({"lr": 10 ** 400}, ValueError, "lr is too large for a float"),
]


@pytest.mark.parametrize("kwargs, error, words", BAD_PARAMETERS, ids=[str(c[0]) for c in BAD_PARAMETERS])
def test_bad_parameters_get_a_clear_error(kwargs, error, words):
    model = LogisticRegression(**kwargs)  # stored as given: scikit-learn's rule
    with pytest.raises(error, match=words):
        model.fit([[0.0], [1.0]], [0, 1])  # checked by fit, before any work
    with pytest.raises(error, match=words):
        model.check_params()  # the same checks, without fitting


@pytest.mark.parametrize("threshold", [0.0, 1.0, -0.5, 2.0, math.nan])
def test_threshold_outside_the_open_interval(fitted, threshold):
    with pytest.raises(ValueError, match="threshold must"):
        fitted.predict([[1.0]], threshold=threshold)


def test_feature_names_are_kept_as_strings_and_must_match_the_columns():
    model = LogisticRegression(solver="newton", reg=0.1).fit([[0.0, 1.0], [1.0, 0.0], [2.0, 2.0]], [0, 1, 1],
                                                             feature_names=("hours", 2))
    assert model.feature_names_in_ == ["hours", "2"]
    assert LogisticRegression(epochs=1, reg=0.1, tol=0.0).fit([[0.0], [1.0]], [0, 1]).feature_names_in_ == ["x0"]
    with pytest.raises(ValueError, match="feature_names has 1 names but X has 2 columns"):
        LogisticRegression().fit([[0.0, 1.0], [1.0, 0.0]], [0, 1], feature_names=["hours"])


def test_unfitted_model_and_wrong_width():
    with pytest.raises(NotFittedError, match="not fitted yet"):
        LogisticRegression().predict([[1.0]])
    data = load_study_hours()
    model = LogisticRegression(solver="newton").fit(data.X, data.y)
    with pytest.raises(ValueError, match="has 2 values, but the model was fit on 1"):
        model.predict([[1.0, 2.0]])


def test_logit_of_threshold_is_the_cut(fitted):
    # predict(t) = 1 exactly when z >= logit(t); here with t = 0.8.
    z = fitted.decision_function([[3.0]])[0]
    assert fitted.predict([[3.0]], threshold=0.8) == [1 if z >= logit(0.8) else 0]

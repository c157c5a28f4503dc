"""Chapter 17: the model among pandas, NumPy and scikit-learn, the real libraries.

The library imports none of them; these tests do. Without them the module is
skipped, so the README's test command needs pytest and hypothesis only. With
``LOGREG_REQUIRE_INTEROP=1`` (``.ci/run`` sets it in a virtual environment that has
them) a missing library is a failure instead of a skip.
"""

import importlib
import os
import warnings

import pytest
from hypothesis import given, strategies as st

from logreg_pure import LogisticRegression, summarize
from logreg_pure.part4_estimators.features import Standardizer
from logreg_pure.part4_estimators.model import sklearn_C
from logreg_pure.part5_inference.metrics import accuracy, log_loss_from_logits, roc_auc
from logreg_pure.part5_inference.selection import cross_validate, train_test_split
from logreg_pure.part6_command_line.datasets import load_breast_cancer, load_study_hours
from strategies import datasets

REQUIRED = os.environ.get("LOGREG_REQUIRE_INTEROP") == "1"


def _library(name):
    try:
        return importlib.import_module(name)
    except ImportError as error:
        if REQUIRED:
            raise ImportError(f"LOGREG_REQUIRE_INTEROP=1 but {name} cannot be imported: {error}") from None
        pytest.skip(f"{name} is not installed (pip install pandas numpy scikit-learn)", allow_module_level=True)


np = _library("numpy")
pd = _library("pandas")
_library("sklearn")
from sklearn.base import clone, is_classifier  # noqa: E402
from sklearn.linear_model import LogisticRegression as SklearnLogisticRegression  # noqa: E402
from sklearn.model_selection import GridSearchCV, StratifiedKFold, cross_val_score  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402


def newton(**options):
    return LogisticRegression(solver="newton", **options)


def learned(model):
    return model.plain_parameters(), model.loss_history_


@pytest.fixture(scope="module")
def cancer():
    """The breast-cancer data three ways: lists, a DataFrame with a Series, NumPy arrays."""
    data = load_breast_cancer()
    frame = pd.DataFrame(data.X, columns=data.feature_names)
    target = pd.Series(data.y, name="malignant").astype(int)
    return data, frame, target


# --------------------------------------------------------------------- pandas

def test_a_dataframe_fits_exactly_as_its_rows(cancer):
    # Issue 14: fit(df, series) failed with "X row 0 must be a list (or tuple) of values, got str".
    data, frame, target = cancer
    from_frame = newton(reg=0.01).fit(frame, target)
    assert learned(from_frame) == learned(newton(reg=0.01).fit(data.X, data.y))
    assert from_frame.feature_names_in_ == data.feature_names and from_frame.n_features_in_ == 30
    assert from_frame.classes_.tolist() == [0, 1]
    assert from_frame.predict_proba(frame).tolist() == from_frame.predict_proba(data.X)
    assert from_frame.decision_function(frame.to_numpy()).tolist() == from_frame.decision_function(data.X)
    assert from_frame.predict(frame.iloc[:5]).tolist() == from_frame.predict(data.X[:5])
    assert from_frame.score(frame, target) == from_frame.score(data.X, data.y)


@pytest.mark.filterwarnings("ignore")
@given(datasets(max_features=4), st.data())
def test_a_frame_of_any_column_kinds_fits_exactly_as_its_rows(data, draw):
    """Law: a DataFrame whose columns are float, int or bool fits exactly (bit for bit)
    as the rows of the same numbers given as Python lists.

    Exact: ``to_numpy().tolist()`` hands over the same Python numbers (ints and bools
    convert to floats exactly); the arithmetic after the door is the same.
    """
    X, y = data
    kinds = draw.draw(st.lists(st.sampled_from(["float", "int", "bool"]), min_size=len(X[0]), max_size=len(X[0])))
    convert = {"float": float, "int": lambda v: int(round(v)), "bool": lambda v: v > 0.0}
    rows = [[convert[kind](v) for kind, v in zip(kinds, row)] for row in X]
    frame = pd.DataFrame({f"c{j}": [row[j] for row in rows] for j in range(len(kinds))})
    frame = frame.astype({f"c{j}": kind for j, kind in enumerate(kinds)})
    model = newton(reg=0.1, epochs=6, tol=0.0)
    assert learned(clone(model).fit(frame, pd.Series(y))) == learned(clone(model).fit(rows, y))


def test_dataframe_errors_name_the_column(cancer):
    _, frame, target = cancer
    text = frame.assign(mean_radius=frame["mean_radius"].astype(str))
    with pytest.raises(TypeError, match=r"row 0, column 0 \('mean_radius'\) is '17.99' \(str\)"):
        newton().fit(text, target)
    missing = frame.copy()
    missing.iloc[3, 2] = np.nan
    with pytest.raises(ValueError, match=r"row 3, column 2 \('mean_perimeter'\) is nan"):
        newton().fit(missing, target)
    with pytest.raises(ValueError, match="column 0 is 'worst_fractal_dimension' where the model has 'mean_radius'"):
        newton(reg=0.01).fit(frame, target).predict(frame[frame.columns[::-1]])


def test_the_other_doors_take_pandas(cancer):
    data, frame, target = cancer
    assert Standardizer().fit_transform(frame).tolist() == Standardizer().fit_transform(data.X)
    parts = train_test_split(frame, target, random_state=0, stratify=True)
    lists = train_test_split(data.X, data.y, random_state=0, stratify=True)
    assert isinstance(parts[0], pd.DataFrame) and isinstance(parts[2], pd.Series)
    assert parts[0].to_numpy().tolist() == lists[0] and parts[3].tolist() == lists[3]
    make = lambda: newton(reg=0.01)  # noqa: E731
    assert (cross_validate(make, frame, target, k=3, random_state=0)
            == cross_validate(make, data.X, data.y, k=3, random_state=0))
    z = newton(reg=0.01).fit(frame, target).decision_function(frame)
    assert roc_auc(target, np.array(z)) == roc_auc(data.y, z)
    assert log_loss_from_logits(target.to_numpy(), pd.Series(z)) == log_loss_from_logits(data.y, z)


def test_summarize_takes_a_dataframe_and_a_series_of_words():
    data = load_study_hours()
    frame = pd.DataFrame(data.X, columns=["hours"])
    words = pd.Series(data.y).map({0.0: "fail", 1.0: "pass"})
    model = newton(tol=1e-10).fit(frame, words)
    reference = newton(tol=1e-10).fit(data.X, data.y, feature_names=["hours"])
    assert str(summarize(model, frame, words)) == str(summarize(reference, data.X, data.y))


# ---------------------------------------------------------------------- NumPy

def test_numpy_arrays_and_scalars_are_numbers_and_labels():
    data = load_study_hours()
    reference = newton().fit(data.X, data.y)
    as_arrays = newton().fit(np.array(data.X), np.array(data.y))
    assert learned(as_arrays) == learned(reference)
    # Issue 14: a NumPy boolean y was refused ("also holds np.False_, np.True_").
    flags = np.array(data.y) == 1.0
    assert learned(newton().fit(data.X, flags)) == learned(reference)
    assert learned(newton().fit(data.X, list(flags))) == learned(reference)  # loose np.bool_ scalars
    assert learned(newton().fit(list(np.array(data.X)), list(np.array(data.y, dtype=np.int64)))) == learned(reference)
    single = np.array(data.X, dtype=np.float32)
    assert learned(newton().fit(single, data.y)) == learned(newton().fit(single.tolist(), data.y))
    assert newton().fit(data.X, flags).predict([[0.0], [9.0]]) == [0, 1]


def test_numpy_mistakes_get_messages_that_name_the_argument():
    # Issue 13: class_weight=np.array([1, 2]) failed with NumPy's "truth value is ambiguous".
    with pytest.raises(TypeError, match=r"class_weight must be None, 'balanced' or a dict \{label: weight\}"):
        LogisticRegression(class_weight=np.array([1, 2])).fit([[0.0], [1.0]], [0, 1])
    with pytest.raises(TypeError, match="y must be a sequence with one value per row, not a dict"):
        newton().fit([[0.0], [1.0]], {0: 0, 1: 1})
    # Issue 25: a column of labels, shape (n, 1), is read as its column, with scikit-learn's warning;
    # rows of two labels stay refused.
    from sklearn.exceptions import DataConversionWarning
    with pytest.warns(DataConversionWarning, match="A column-vector y was passed when a 1d array was expected"):
        column = newton(reg=0.1).fit([[0.0], [1.0]], np.array([[0], [1]]))
    assert learned(column) == learned(newton(reg=0.1).fit([[0.0], [1.0]], [0, 1]))
    with pytest.raises(TypeError, match=r"y\[0\] is \[0, 1\]"):
        newton().fit([[0.0], [1.0]], np.array([[0, 1], [1, 0]]))
    assert LogisticRegression(random_state=np.int64(3), epochs=np.int64(5), reg=np.float32(0.5)).get_params()


# -------------------------------------------------------------- scikit-learn

def test_clone_rebuilds_the_same_unfitted_model(cancer):
    # Issue 14: clone failed with "get_params() got an unexpected keyword argument 'deep'".
    model = LogisticRegression(lr=0.5, reg=0, class_weight={0: 1, 1: 2}, random_state=np.int64(4))
    copy = clone(model)
    assert repr(copy) == repr(model) and copy is not model and not hasattr(copy, "coef_")
    assert is_classifier(model) and is_classifier(make_pipeline(StandardScaler(), model))


def test_cross_val_score_accuracy_and_roc_auc(cancer):
    _, frame, target = cancer
    folds = StratifiedKFold(5)
    model = make_pipeline(StandardScaler(), newton(reg=0.01))
    by_sklearn = {scoring: cross_val_score(model, frame, target, cv=folds, scoring=scoring).tolist()
                  for scoring in ("accuracy", "roc_auc")}
    by_hand = {"accuracy": [], "roc_auc": []}
    for train, test in folds.split(frame, target):
        fitted = clone(model).fit(frame.iloc[train], target.iloc[train])
        by_hand["accuracy"].append(accuracy(target.iloc[test], fitted.predict(frame.iloc[test])))
        by_hand["roc_auc"].append(roc_auc(target.iloc[test], fitted.decision_function(frame.iloc[test])))
    for scoring in by_hand:
        assert by_sklearn[scoring] == pytest.approx(by_hand[scoring], abs=1e-12)
    assert min(by_sklearn["roc_auc"]) > 0.98


def test_word_labels_score_as_zero_and_one(cancer):
    _, frame, target = cancer
    words = target.map({0: "benign", 1: "malignant"})
    model = make_pipeline(StandardScaler(), newton(reg=0.01))
    for scoring in ("accuracy", "roc_auc"):
        assert (cross_val_score(model, frame, words, cv=4, scoring=scoring).tolist()
                == cross_val_score(model, frame, target, cv=4, scoring=scoring).tolist())
    assert cross_val_score(model, frame, target, cv=4, scoring="f1").min() > 0.9  # classes_.tolist()


def test_grid_search_over_reg(cancer):
    _, frame, target = cancer
    search = GridSearchCV(make_pipeline(StandardScaler(), newton()),
                          {"logisticregression__reg": [0.001, 0.01, 0.1, 1.0]}, cv=4, scoring="roc_auc")
    search.fit(frame, target)
    assert search.best_params_["logisticregression__reg"] in (0.001, 0.01, 0.1, 1.0)
    assert search.best_estimator_[-1].classes_.tolist() == [0, 1] and search.best_score_ > 0.98
    scaled = Standardizer().fit_transform(frame)
    plain = GridSearchCV(newton(), {"reg": np.logspace(-2, 0, 3)}, cv=3).fit(scaled, target)
    assert isinstance(plain.best_estimator_, LogisticRegression) and plain.best_estimator_.n_features_in_ == 30


def test_our_standardizer_in_a_pipeline(cancer):
    _, frame, target = cancer
    for scoring in ("accuracy", "neg_log_loss"):  # issue 25: neg_log_loss was nan (lists out of a pipeline)
        ours = cross_val_score(make_pipeline(Standardizer(), newton(reg=0.01)), frame, target, cv=3, scoring=scoring)
        theirs = cross_val_score(make_pipeline(StandardScaler(), newton(reg=0.01)), frame, target, cv=3,
                                 scoring=scoring)
        assert ours.tolist() == pytest.approx(theirs.tolist(), abs=1e-12)


def test_the_same_optimum_as_scikit_learn(cancer):
    # Our J is the mean loss + (reg / 2) ||w||^2; scikit-learn's C = 1 / (n reg).
    _, frame, target = cancer
    X = StandardScaler().fit_transform(frame)
    reg = 0.01
    ours = newton(reg=reg, tol=1e-12).fit(X, target)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = SklearnLogisticRegression(C=1.0 / (len(X) * reg), solver="newton-cholesky", tol=1e-12,
                                           max_iter=100).fit(X, target)
    # Arrays in, arrays of scikit-learn's shapes out: coef_ (1, d), intercept_ (1,), predict_proba (n, 2).
    np.testing.assert_allclose(ours.coef_, theirs.coef_, rtol=0, atol=1e-8)
    np.testing.assert_allclose(ours.intercept_, theirs.intercept_, rtol=0, atol=1e-8)
    np.testing.assert_allclose(ours.predict_proba(X), theirs.predict_proba(X), rtol=0, atol=1e-10)
    np.testing.assert_allclose(ours.decision_function(X), theirs.decision_function(X), rtol=0, atol=1e-7)


def test_the_same_weighted_optimum_as_scikit_learn_with_c_over_the_total_weight(cancer):
    """With sample weights our J divides by their total S, so scikit-learn's C is
    1 / (S reg) (``sklearn_C``), not 1 / (n reg): the coefficients then agree to 1e-8."""
    _, frame, target = cancer
    X = StandardScaler().fit_transform(frame)
    weights = [1.0 + (i % 7) / 2.0 for i in range(len(X))]  # total 1.5 n, give or take
    reg = 0.01
    ours = newton(reg=reg, tol=1e-12).fit(X, target, sample_weight=weights)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = SklearnLogisticRegression(C=sklearn_C(reg, len(X), weights), solver="newton-cholesky",
                                           tol=1e-12, max_iter=100).fit(X, target, sample_weight=weights)
    np.testing.assert_allclose(ours.coef_, theirs.coef_, rtol=0, atol=1e-8)
    np.testing.assert_allclose(ours.intercept_, theirs.intercept_, rtol=0, atol=1e-8)

"""Chapter 17: the estimator conventions, and data shaped like pandas' and NumPy's.

The library imports neither: it knows a table by what it offers. So these laws need
neither either. ``Frame``, ``Array`` and ``Scalar`` below are pandas' DataFrame,
NumPy's array and NumPy's scalars in miniature, with the behaviour that used to trip
the library: iterating a DataFrame gives its column names, an array's truth value is
"ambiguous", ``np.True_`` is not a ``numbers.Real``. ``tests/test_interop.py`` runs
the same questions on the real libraries.
"""

import math
import warnings

import pytest
from hypothesis import given, strategies as st

from logreg_pure import LogisticRegression, summarize
from logreg_pure.part1_mathematics.checks import check_classes, check_labels, check_matrix, plain_data
from logreg_pure.part4_estimators.estimator import sklearn_tags
from logreg_pure.part4_estimators.features import Standardizer
from logreg_pure.part5_inference.metrics import roc_auc
from logreg_pure.part5_inference.selection import cross_validate, train_test_split
from logreg_pure.part6_command_line.datasets import load_study_hours
from logreg_pure.part6_command_line.files import load_model, save_model
from strategies import datasets


# ------------------------------------------------------------------ the fakes

class Array(list):
    """NumPy's array in miniature: ``__array__``, ``tolist()``, ``shape``, an ambiguous
    truth value and element-wise ``==`` (why ``class_weight == "balanced"`` used to fail)."""

    shape = property(lambda self: (len(self),))

    def __array__(self):
        return self

    def tolist(self):
        return [v.tolist() if isinstance(v, Array) else v for v in self]

    def __eq__(self, other):
        return Array(v == other for v in self)

    __hash__ = None

    def __bool__(self):
        raise ValueError("The truth value of an array with more than one element is ambiguous.")

    def take(self, indices, axis=0):
        return Array(self[i] for i in indices)


class Scalar:
    """A NumPy scalar in miniature: an empty ``shape`` and ``item()``; like ``np.True_``,
    it is not a ``numbers.Real``."""

    shape = ()

    def __init__(self, value):
        self.value = value

    def item(self):
        return self.value

    def __repr__(self):
        return f"Scalar({self.value!r})"


class Frame:
    """pandas' DataFrame in miniature: ``len`` counts rows but iterating gives the column
    names, ``frame[name]`` is a column, ``to_numpy()`` an array, ``iloc`` picks rows."""

    def __init__(self, rows, columns):
        self.rows, self.columns = [list(r) for r in rows], list(columns)

    def __len__(self):
        return len(self.rows)

    def __iter__(self):
        return iter(self.columns)

    def __getitem__(self, name):
        return [row[self.columns.index(name)] for row in self.rows]

    def to_numpy(self):
        return Array(Array(row) for row in self.rows)

    @property
    def iloc(self):
        return _Rows(self)


class _Rows:
    def __init__(self, frame):
        self.frame = frame

    def __getitem__(self, indices):
        picked = [self.frame.rows[i] for i in indices]
        if isinstance(self.frame, Series):
            return Series([row[0] for row in picked])
        return Frame(picked, self.frame.columns)


class Series(Frame):
    """pandas' Series in miniature: one column, ``to_numpy()`` a flat array."""

    def __init__(self, values):
        super().__init__([[v] for v in values], ["y"])

    def __iter__(self):
        return (row[0] for row in self.rows)

    def to_numpy(self):
        return Array(row[0] for row in self.rows)


def fit(X, y, **options):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return LogisticRegression(solver="newton", reg=0.1, epochs=4, tol=0.0, **options).fit(X, y)


def learned(model):
    return model.coef_, model.intercept_, model.loss_history_


# ----------------------------------------------------------------------- laws

@given(datasets(), st.data())
def test_a_table_fits_exactly_as_its_rows(data, draw):
    """Law: a model fit on a DataFrame-shaped table and a Series of labels learns exactly
    (bit for bit) what it learns from the table's rows and labels as lists, and takes
    its feature names from the table's columns.

    Exact: ``to_numpy().tolist()`` hands over the same floats, and the arithmetic after
    the door is the same.
    """
    X, y = data
    names = draw.draw(st.lists(st.text("abcxyz_", min_size=1, max_size=4), min_size=len(X[0]),
                               max_size=len(X[0]), unique=True))
    from_table = fit(Frame(X, names), Series(y))
    assert learned(from_table) == learned(fit(X, y))
    assert from_table.feature_names_in_ == names
    assert from_table.predict_proba(Frame(X, names)) == from_table.predict_proba(X)


@given(datasets())
def test_numpy_scalars_are_the_numbers_they_hold(data):
    """Law: cells and labels given as NumPy scalars (``np.float64(x)``, ``np.True_``)
    fit exactly as the Python numbers they hold: each is read through its ``item()``."""
    X, y = data
    cells = [[Scalar(v) for v in row] for row in X]
    flags = [Scalar(bool(v)) for v in y]
    assert learned(fit(cells, flags)) == learned(fit(X, y))


LABELS = st.one_of(st.lists(st.text(min_size=1, max_size=3), min_size=2, max_size=2, unique=True),
                   st.lists(st.integers(-5, 5), min_size=2, max_size=2, unique=True),
                   # whole floats: a fractional one is a "continuous" target, refused (scikit-learn's rule)
                   st.lists(st.integers(-3, 3).map(float), min_size=2, max_size=2, unique=True))


@given(datasets(), LABELS)
def test_any_two_labels_fit_as_zero_and_one(data, pair):
    """Law: with any two labels a < b in place of 0 and 1, ``fit`` learns exactly the
    same parameters, ``classes_ == [a, b]`` (sorted, scikit-learn's rule: the larger is
    class 1), and ``predict`` gives b exactly where the 0/1 model gives 1."""
    X, y = data
    low, high = sorted(pair)
    model = fit(X, [high if v == 1.0 else low for v in y])
    reference = fit(X, y)
    assert learned(model) == learned(reference)
    assert model.classes_ == [low, high]
    assert model.predict(X) == [high if c == 1 else low for c in reference.predict(X)]


PARAMETERS = st.fixed_dictionaries({
    "lr": st.one_of(st.integers(1, 3), st.floats(0.01, 2.0)),
    "epochs": st.integers(1, 5000),
    "reg": st.one_of(st.just(0), st.floats(0.0, 10.0)),
    "tol": st.one_of(st.just(0), st.floats(0.0, 1e-3)),
    "solver": st.sampled_from(["gd", "newton", "sgd"]),
    "batch_size": st.integers(1, 64),
    "random_state": st.one_of(st.none(), st.integers(0, 2 ** 40)),
    "class_weight": st.one_of(st.none(), st.just("balanced"),
                              st.dictionaries(st.sampled_from([0, 1, "no", "yes"]), st.floats(0.1, 5.0))),
})


@given(PARAMETERS)
def test_a_model_rebuilt_from_its_parameters_is_the_same(params):
    """Law: ``type(m)(**m.get_params())`` has every parameter as the very same object
    (what scikit-learn's ``clone`` checks), and ``set_params`` with them returns the
    model with exactly those parameters: ``__init__`` stores, it never converts."""
    model = LogisticRegression(**params)
    rebuilt = type(model)(**model.get_params(deep=True))
    assert all(rebuilt.get_params()[name] is value for name, value in params.items())
    assert LogisticRegression().set_params(**params).get_params() == model.get_params()


# ------------------------------------------------------------ worked examples

def test_a_frame_is_refused_cell_by_cell_with_its_column_names():
    # A text column and a missing value, named as the user knows them.
    with pytest.raises(TypeError, match=r"row 1, column 1 \('color'\) is 'red'"):
        check_matrix(Frame([[1.0, 2.0], [3.0, "red"]], ["hours", "color"]))
    with pytest.raises(ValueError, match=r"row 0, column 0 \('hours'\) is nan"):
        check_matrix(Frame([[math.nan, 2.0]], ["hours", "color"]))


def test_a_series_as_x_gets_the_single_feature_hint():
    with pytest.raises(TypeError, match=r"df\[\['col'\]\], not df\['col'\]"):
        LogisticRegression().fit(Series([1.0, 2.0]), [0, 1])


def test_labels_one_dimensional_only():
    assert check_labels(Array([Scalar(False), Scalar(True)])) == [0.0, 1.0]
    assert check_classes(Series(["b", "a", "b"])) == (["a", "b"], [1, 0, 1])
    with pytest.raises(TypeError, match=r"y\[0\] is \[0\]"):
        check_classes(Array([Array([0]), Array([1])]))


def test_a_dict_is_not_a_sequence_of_labels():
    # Issue 13: {0: 0, 1: 1} was read through its keys.
    with pytest.raises(TypeError, match=r"y must be a sequence with one value per row, not a dict"):
        LogisticRegression().fit([[0.0], [1.0]], {0: 0, 1: 1})


def test_an_array_of_class_weights_is_refused_by_name():
    # Issue 13: np.array([1, 2]) failed with NumPy's "truth value is ambiguous".
    with pytest.raises(TypeError, match=r"class_weight must be None, 'balanced' or a dict \{label: weight\}"):
        LogisticRegression(class_weight=Array([1, 2])).fit([[0.0], [1.0]], [0, 1])


def test_class_weights_are_keyed_by_the_labels():
    data = load_study_hours()
    words = ["pass" if v == 1.0 else "fail" for v in data.y]
    by_label = fit(data.X, words, class_weight={"fail": 1.0, "pass": 3.0})
    assert learned(by_label) == learned(fit(data.X, data.y, class_weight={0: 1.0, 1: 3.0}))
    with pytest.raises(ValueError, match="weight for class 2, but the classes are 0 and 1"):
        fit(data.X, data.y, class_weight={2: 1.0})


def test_set_params_stores_and_fit_checks():
    # scikit-learn's rule (its check_do_not_raise_errors_in_init_or_set_params): __init__ and
    # set_params store; fit checks, before any work. Only an unknown name is refused at once.
    model = LogisticRegression(reg=0.5)
    assert model.set_params(reg=0.25, solver="newton") is model and model.reg == 0.25
    with pytest.raises(ValueError, match="reg must be at least 0"):
        model.set_params(reg=-1.0).fit([[0.0], [1.0]], [0, 1])
    with pytest.raises(ValueError, match="cannot fit penalty='l1'"):
        model.set_params(reg=0.25, penalty="l1").check_params()  # the solver is newton: a bad combination
    with pytest.raises(ValueError, match="has no parameter 'C'; its parameters are lr, epochs, reg"):
        model.set_params(C=1.0)
    assert model.get_params()["reg"] == 0.25 and model.penalty == "l1" and not hasattr(model, "coef_")


def test_the_tags_say_what_each_estimator_is():
    assert LogisticRegression().__sklearn_tags__().estimator_type == "classifier"
    assert LogisticRegression._estimator_type == "classifier"
    assert Standardizer().__sklearn_tags__().estimator_type == "transformer"
    assert sklearn_tags("classifier").classifier_tags.multi_class is False
    assert Standardizer().get_params() == {} and repr(Standardizer()) == "Standardizer()"


def test_columns_in_another_order_are_refused():
    data = load_study_hours()
    X = [[h, 2.0 * h] for (h,) in data.X]
    model = fit(Frame(X, ["hours", "twice"]), data.y)
    assert model.predict(Frame(X, ["hours", "twice"])) == model.predict(X)
    with pytest.raises(ValueError, match="column 0 is 'twice' where the model has 'hours'"):
        model.predict(Frame([row[::-1] for row in X], ["twice", "hours"]))
    unnamed = fit(X, data.y)  # fit without names: any names pass
    assert unnamed.predict(Frame(X, ["a", "b"])) == unnamed.predict(X)


def test_score_and_summary_speak_the_models_labels():
    data = load_study_hours()
    words = ["pass" if v == 1.0 else "fail" for v in data.y]
    model = LogisticRegression(solver="newton", tol=1e-10).fit(data.X, words)
    reference = LogisticRegression(solver="newton", tol=1e-10).fit(data.X, data.y)
    assert model.score(data.X, words) == reference.score(data.X, data.y)
    assert summarize(model, data.X, words).std_errors == summarize(reference, data.X, data.y).std_errors
    with pytest.raises(ValueError, match="holds 'maybe', which is not one of the classes"):
        model.score(data.X[:2], ["pass", "maybe"])


def test_the_splitters_and_metrics_take_tables_and_arrays():
    data = load_study_hours()
    table, labels = Frame(data.X, ["hours"]), Series(data.y)
    X_train, X_test, y_train, y_test = train_test_split(table, labels, random_state=3, stratify=True)
    lists = train_test_split(data.X, data.y, random_state=3, stratify=True)
    assert isinstance(X_train, Frame) and X_train.columns == ["hours"]  # rows picked by iloc
    assert [X_train.rows, X_test.rows, list(y_train), list(y_test)] == [lists[0], lists[1], lists[2], lists[3]]
    make = lambda: LogisticRegression(solver="newton")  # noqa: E731
    scores = [cross_validate(make, X, y, k=4, random_state=1) for X, y in ((table, labels), (data.X, data.y))]
    assert scores[0] == scores[1]
    assert Standardizer().fit_transform(table) == Standardizer().fit_transform(data.X)
    assert roc_auc(Array(data.y), Array(v for (v,) in data.X)) == roc_auc(data.y, [v for (v,) in data.X])


def test_a_model_fit_on_words_saves_its_labels(tmp_path):
    data = load_study_hours()
    words = ["pass" if v == 1.0 else "fail" for v in data.y]
    model = LogisticRegression(solver="newton", class_weight={"pass": 2.0}).fit(data.X, words)
    path = str(tmp_path / "m.json")
    save_model(path, model)
    saved = load_model(path)
    assert saved.label_mapping == {"fail": 0, "pass": 1}
    assert saved.model.class_weight == {1: 2.0}  # a file keys class weights by 0 and 1
    assert [saved.label_of(c) for c in saved.predict(data.X)] == model.predict(data.X)


def test_plain_data_leaves_lists_alone():
    rows = [[1.0]]
    assert plain_data(rows) is rows and plain_data(Array([Array([1, 2])])) == [[1, 2]]


def test_a_saved_model_takes_a_table(tmp_path):
    data = load_study_hours()
    X = [[h, h * h] for (h,) in data.X]
    scaler = Standardizer().fit(X)
    model = LogisticRegression(solver="newton").fit(scaler.transform(X), data.y, feature_names=["h", "h2"])
    path = str(tmp_path / "m.json")
    save_model(path, model, standardizer=scaler)
    saved = load_model(path)
    assert saved.predict_proba(Frame(X, ["h", "h2"])) == saved.predict_proba(X)
    with pytest.raises(ValueError, match="column 0 is 'h2' where the model has 'h'"):
        saved.predict(Frame([row[::-1] for row in X], ["h2", "h"]))


# ------------------------------------------------------- issue 25: scikit-learn's doors

class OnlyConverts:
    """scikit-learn's ``_NotAnArray`` in miniature: an array-like that offers ``__array__`` only."""

    def __init__(self, rows):
        self.rows = rows

    def __array__(self, dtype=None, copy=None):
        return Array(Array(row) if isinstance(row, list) else row for row in self.rows)


class Sparse:
    """A SciPy sparse matrix in miniature: known by ``tocsr``."""

    def tocsr(self):
        return self


def test_an_array_like_that_only_converts_fits_as_its_rows():
    X, y = [[0.0], [1.0], [2.0], [3.0]], [0, 1, 0, 1]
    assert learned(fit(OnlyConverts(X), OnlyConverts(y))) == learned(fit(X, y))


def test_sparse_input_is_refused_with_the_cure():
    with pytest.raises(TypeError, match=r"a sparse matrix \(Sparse\) is not supported.*\.toarray\(\)"):
        fit(Sparse(), [0, 1])


def test_scikit_learns_phrases_are_in_the_messages():
    # Its check_estimator looks for these words; the rest of each message is ours.
    with pytest.raises(ValueError, match=r"Complex data not supported"):
        fit([[1 + 2j], [0.0]], [0, 1])
    with pytest.raises(ValueError, match=r"0 feature\(s\) \(shape=\(2, 0\)\) while a minimum of 1 is required"):
        fit([[], []], [0, 1])
    with pytest.raises(ValueError, match="requires y to be passed, but the target y is None"):
        fit([[0.0], [1.0]], None)
    with pytest.raises(ValueError, match="Only binary classification is supported"):
        fit([[0.0], [1.0], [2.0]], [0, 1, 2])
    with pytest.raises(ValueError, match=r"sample_weight leaves only one class \(1\)"):
        LogisticRegression().fit([[0.0], [1.0], [2.0]], [0, 1, 1], sample_weight=[0.0, 1.0, 1.0])
    with pytest.raises(ValueError, match=r"sample_weight must be flat"):
        LogisticRegression().fit([[0.0], [1.0]], [0, 1], sample_weight=[[1.0, 1.0], [1.0, 1.0]])
    model = fit([[0.0, 1.0], [1.0, 0.0]], [0, 1])
    with pytest.raises(ValueError, match=r"X has 1 features, but LogisticRegression is expecting 2 features as input"):
        model.predict([[0.0]])
    with pytest.raises(ValueError, match="Reshape your data"):
        model.predict([0.0, 1.0])
    with pytest.raises(TypeError, match="argument must be .* string.* number"):
        fit([[{"foo": "bar"}], [0.0]], [0, 1])

"""Chapters 30 and 31: embedded data, CSV input and JSON model files."""

import configparser
import fnmatch
import json
import math
import os
import shutil
import subprocess
import sys
import warnings

import pytest
from hypothesis import assume, given, strategies as st

from logreg_pure import LogisticRegression
from logreg_pure.part4_estimators.features import Standardizer
from logreg_pure.part6_command_line.datasets import load_breast_cancer, load_study_hours
from logreg_pure.part6_command_line.files import load_model, model_from_document, parse_csv_text, save_model

from processes import python_env
from strategies import at_most, class_weights, datasets, finite_floats

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_embedded_datasets():
    hours = load_study_hours()
    assert len(hours.X) == 20 and hours.feature_names == ["hours"] and hours.target_name == "passed"
    cancer = load_breast_cancer()
    assert (len(cancer.X), len(cancer.X[0]), int(sum(cancer.y))) == (569, 30, 212)
    assert "Wisconsin" in cancer.description and cancer.feature_names[0] == "mean_radius"


@pytest.mark.parametrize("labels, mapping", [
    (["0", "1"], {"0": 0, "1": 1}),
    (["-1", "1"], {"-1": 0, "1": 1}),
    (["True", "False"], {"False": 0, "True": 1}),
    (["yes", "no"], {"no": 0, "yes": 1}),
    (["malignant", "benign"], {"benign": 0, "malignant": 1}),
])
def test_label_mapping_rules(labels, mapping):
    text = "x,t\n" + "".join(f"{i},{label}\n" for i, label in enumerate(labels * 2))
    assert parse_csv_text(text, "t").label_mapping == mapping


def test_csv_errors_name_the_file_line_and_column():
    with pytest.raises(ValueError, match=r"data.csv, line 3, column 'b': 'oops' is not a number"):
        parse_csv_text("a,b,t\n1,2,0\n3,oops,1\n", "t", source="data.csv")
    with pytest.raises(ValueError, match="line 2, column 't': missing target value"):
        parse_csv_text("a,t\n1,NA\n2,1\n", "t")
    with pytest.raises(ValueError, match="no column 'c', which the model needs"):
        parse_csv_text("a,b\n1,2\n", None, features=["a", "c"])
    with pytest.raises(ValueError, match="label 'maybe' is not one of the model's classes"):
        parse_csv_text("a,t\n1,yes\n2,maybe\n", "t", label_mapping={"no": 0, "yes": 1})


@pytest.fixture(scope="module")
def saved_model_document(tmp_path_factory):
    data = load_study_hours()
    model = LogisticRegression(solver="newton").fit(data.X, data.y, feature_names=data.feature_names)
    path = tmp_path_factory.mktemp("model") / "m.json"
    save_model(str(path), model, target_name="passed", label_mapping=data.label_mapping)
    return json.loads(path.read_text(encoding="utf-8"))


CORRUPTIONS = [
    # (field, new value, words in the message)
    ("version", 3, "'version' is 3; this logreg_pure reads versions 1 and 2"),
    ("coef", [1.0, 2.0], "'coef' has 2 values, expected 1"),
    ("coef", ["1"], r"'coef\[0\]' must be a finite number"),
    ("coef", [math.nan], r"'coef\[0\]' must be a finite number, got nan"),
    ("intercept", None, "'intercept' must be a finite number"),
    ("feature_names", [], "'feature_names' must be a non-empty list of strings"),
    ("label_mapping", {"a": 0, "b": 0}, "'label_mapping' must map two labels to 0 and 1"),
    ("options", {"solver": "magic"}, "'options' is invalid: solver must be one of"),
    ("standardizer", {"mean": [0.0], "scale": [0.0]}, "'scale' must hold positive numbers"),
]


@pytest.mark.parametrize("field, value, words", CORRUPTIONS, ids=[f"{c[0]}={c[1]!r}" for c in CORRUPTIONS])
def test_corrupt_model_files_are_rejected_with_the_field_named(saved_model_document, field, value, words):
    document = dict(saved_model_document, **{field: value})
    with pytest.raises(ValueError, match=words):
        model_from_document(document)


@at_most(30)
@given(datasets(max_rows=10), st.booleans(), st.lists(st.lists(finite_floats(10.0), min_size=3, max_size=3),
                                                      min_size=1, max_size=5))
def test_save_and_load_give_identical_predictions(tmp_path_factory, data, standardize, new_rows):
    """Law: load_model(save_model(m)) predicts exactly what m predicts.

    JSON writes floats with repr, which round-trips every float exactly, so the
    predictions are equal to the last bit, not merely close.
    """
    X, y = data
    d = len(X[0])
    rows = [row[:d] for row in new_rows]
    scaler = Standardizer().fit(X) if standardize else None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = LogisticRegression(reg=0.1, epochs=50).fit(scaler.transform(X) if scaler else X, y)
    path = str(tmp_path_factory.mktemp("roundtrip") / "model.json")
    save_model(path, model, standardizer=scaler)
    loaded = load_model(path)
    expected = model.predict_proba(scaler.transform(rows) if scaler else rows)
    assert loaded.predict_proba(rows) == expected


@pytest.mark.skipif(sys.platform == "emscripten", reason="imports a copy in a subprocess; Pyodide has no processes")
def test_loaders_work_from_a_copy_outside_the_source_tree(tmp_path):
    """The data files are package data: a copy of the package, away from the source
    tree (as an installed copy is), still finds them through importlib.resources.

    Copying the package folder checks the same thing as ``pip install --target`` in
    a fraction of the time; that setup.cfg ships the files is checked below.
    """
    target = tmp_path / "site"
    shutil.copytree(os.path.join(ROOT, "logreg_pure"), target / "logreg_pure",
                    ignore=shutil.ignore_patterns("__pycache__"))
    check = subprocess.run(
        [sys.executable, "-c", "import logreg_pure, logreg_pure.part6_command_line.datasets as d; "
         "print(logreg_pure.__file__); print(len(d.load_breast_cancer().X), len(d.load_study_hours().X))"],
        cwd=tmp_path, env=python_env(str(target)), capture_output=True, text=True, timeout=60)
    assert check.returncode == 0, check.stderr
    location, counts = check.stdout.splitlines()
    assert location.startswith(str(target)) and counts == "569 20"


FIT_CORRUPTIONS = [
    # (field of the "fit" block, new value, words in the message): JSON kinds are strict.
    ("converged", "no", "field 'converged' must be true or false, got 'no'"),
    ("converged", 1, "field 'converged' must be true or false, got 1"),
    ("n_iter", 2.0, "field 'n_iter' must be a whole number >= 0, got 2.0"),
    ("n_iter", -1, "field 'n_iter' must be a whole number >= 0, got -1"),
    ("grad_max", "small", "field 'grad_max' must be a finite number, got 'small'"),
    ("grad_max", 10 ** 400, "field 'grad_max' must be a finite number, got 1000000000"),
    ("stop_reason", "tired", "field 'stop_reason' must be one of 'converged', 'iteration limit'"),
    ("sample_weight_used", "yes", "field 'sample_weight_used' must be true or false"),
]


@pytest.mark.parametrize("field, value, words", FIT_CORRUPTIONS, ids=[f"{c[0]}={c[1]!r}"[:40] for c in FIT_CORRUPTIONS])
def test_fit_fields_are_checked_by_kind_and_named(saved_model_document, field, value, words):
    document = dict(saved_model_document, fit=dict(saved_model_document["fit"], **{field: value}))
    with pytest.raises(ValueError, match=f"^m.json: {words}"):
        model_from_document(document, source="m.json")


def test_a_missing_fit_field_is_named(saved_model_document):
    fit = dict(saved_model_document["fit"])
    del fit["n_iter"]
    with pytest.raises(ValueError, match="field 'n_iter' is missing"):
        model_from_document(dict(saved_model_document, fit=fit))


def test_everything_fit_learned_is_saved_and_restored(tmp_path):
    # A class-weighted fit: the loaded model still knows that weights were used, so
    # summarize refuses it for that reason (not as "not the data the model was fit on").
    data = load_study_hours()
    model = LogisticRegression(solver="newton", class_weight="balanced").fit(data.X, data.y)
    path = str(tmp_path / "m.json")
    save_model(path, model)
    loaded = load_model(path).model
    assert loaded.fitted_state() == model.fitted_state()
    assert loaded.get_params() == model.get_params()
    from logreg_pure import summarize
    with pytest.raises(ValueError, match="unweighted fits only"):
        summarize(loaded, data.X, data.y)


def test_an_elastic_net_model_keeps_its_l1_ratio(tmp_path):
    data = load_study_hours()
    model = LogisticRegression(solver="cd", penalty="elasticnet", l1_ratio=0.25, reg=0.05).fit(data.X, data.y)
    path = str(tmp_path / "m.json")
    save_model(path, model)
    loaded = load_model(path).model
    assert loaded.get_params() == model.get_params() and loaded.l1_ratio == 0.25 and loaded.solver == "cd"
    assert loaded.predict_proba(data.X) == model.predict_proba(data.X)


def test_a_model_file_from_before_the_elastic_net_still_loads(saved_model_document, tmp_path):
    document = json.loads(json.dumps(saved_model_document))  # a copy: the fixture is shared
    del document["options"]["l1_ratio"]  # files written before l1_ratio existed
    path = tmp_path / "old.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    assert load_model(str(path)).model.l1_ratio is None
def test_setup_cfg_ships_every_data_file():
    """An installed copy holds the data files only if setup.cfg declares them."""
    config = configparser.ConfigParser()
    config.read(os.path.join(ROOT, "setup.cfg"), encoding="utf-8")
    patterns = config["options.package_data"]["logreg_pure.part6_command_line.datasets"].split()
    folder = os.path.join(ROOT, "logreg_pure", "part6_command_line", "datasets")
    data_files = [name for name in os.listdir(folder) if not name.endswith(".py") and name != "__pycache__"]
    assert data_files and all(any(fnmatch.fnmatch(name, p) for p in patterns) for name in data_files)


@st.composite
def fitted_models(draw):
    """``(model, X)``: a model fitted briefly with any combination of options, on a
    small dataset."""
    X, y = draw(datasets(max_rows=8, max_features=2))
    solver = draw(st.sampled_from(["gd", "newton", "sgd"]))
    options = dict(
        lr=draw(st.floats(0.01, 1.0)), epochs=draw(st.integers(1, 20)), reg=draw(st.sampled_from([0.0, 0.1])),
        tol=draw(st.sampled_from([0.0, 1e-4])), solver=solver,
        penalty="l1" if solver == "gd" and draw(st.booleans()) else "l2",
        batch_size=draw(st.integers(1, 4)), random_state=draw(st.one_of(st.none(), st.integers(0, 100))),
        class_weight=draw(st.one_of(st.none(), st.just("balanced"), class_weights())))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            model = LogisticRegression(**options).fit(X, y)
        except ValueError:  # Newton at reg = 0 refuses collinear columns; gd may diverge
            assume(False)
    return model, X


@at_most(30)  # a fit, a file written and read back per example
@given(fitted_models(), st.booleans(), st.lists(st.text(max_size=6), min_size=2, max_size=2, unique=True),
       st.text(max_size=10), st.data())
def test_a_model_file_round_trips_every_field(tmp_path_factory, fitted, standardize, labels, target, data):
    """Law: load_model(save_model(m)) restores every field save_model writes: the
    coefficients and intercept, the feature and target names, the label mapping,
    the standardization, the constructor's options (get_params, class_weight keys
    included) and how the fit ended (converged_, n_iter_, stop_reason_, grad_max_).

    JSON writes floats with repr, which round-trips them exactly: equal, not close.
    """
    model, X = fitted
    names = data.draw(st.lists(st.text(max_size=6), min_size=len(X[0]), max_size=len(X[0]), unique=True))
    scaler = Standardizer().fit(X) if standardize else None
    mapping = {labels[0]: 0, labels[1]: 1}
    path = str(tmp_path_factory.mktemp("fields") / "model.json")
    save_model(path, model, feature_names=names, target_name=target, label_mapping=mapping, standardizer=scaler)
    saved = load_model(path)
    loaded = saved.model
    assert (loaded.coef_, loaded.intercept_) == (model.coef_, model.intercept_)
    assert (saved.feature_names, loaded.feature_names_in_, saved.target_name) == (names, names, target)
    assert saved.label_mapping == mapping and loaded.get_params() == model.get_params()
    assert ((saved.standardizer.mean_, saved.standardizer.scale_) if scaler else None) == \
        ((scaler.mean_, scaler.scale_) if scaler else None)
    assert (loaded.converged_, loaded.n_iter_, loaded.stop_reason_) == \
        (model.converged_, model.n_iter_, model.stop_reason_)
    assert loaded.grad_max_ == model.grad_max_ and loaded.n_features_in_ == model.n_features_in_


def test_a_model_file_remembers_that_the_fit_was_weighted(tmp_path):
    data = load_study_hours()
    model = LogisticRegression(solver="newton", class_weight="balanced").fit(data.X, data.y)
    save_model(str(tmp_path / "m.json"), model)
    assert load_model(str(tmp_path / "m.json")).model.sample_weight_used_ is True


def test_a_failed_save_leaves_the_old_file_whole(tmp_path):
    data = load_study_hours()
    model = LogisticRegression(solver="newton").fit(data.X, data.y)
    path = str(tmp_path / "m.json")
    save_model(path, model)
    before = (tmp_path / "m.json").read_text(encoding="utf-8")
    model.intercept_ = math.nan  # not representable in JSON: the save must fail
    with pytest.raises(ValueError):
        save_model(path, model)
    assert (tmp_path / "m.json").read_text(encoding="utf-8") == before


def test_after_a_quoted_line_break_messages_name_the_file_line():
    # Review 31, P1: a quoted cell may hold a line break, so rows and lines differ; the
    # messages counted rows ("line 4" for a row that starts on line 5 of the file).
    from logreg_pure.part6_command_line.files import parse_csv_text
    with pytest.raises(ValueError, match="line 5: 2 values, but the header has 3 columns"):
        parse_csv_text('x,c,y\n1,"re\nd",0\n2,blue,1\n3,red\n', "y")
    with pytest.raises(ValueError, match="line 5, column 'x': 'x' is not a number"):
        parse_csv_text('x,c,y\n1,"re\nd",0\n2,blue,1\nx,red,1\n', "y")
    with pytest.raises(ValueError, match="line 5, column 'x': missing value"):
        parse_csv_text('x,c,y\n"1",blue,0\n2,"a\nb",1\n,red,1\n', "y")

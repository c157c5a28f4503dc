"""Chapters 13 and 14: embedded data, CSV input and JSON model files."""

import json
import math
import os
import subprocess
import sys
import warnings

import pytest
from hypothesis import given, settings, strategies as st

from logreg_pure import LogisticRegression
from logreg_pure.datasets import load_breast_cancer, load_study_hours
from logreg_pure.features import Standardizer
from logreg_pure.files import load_model, model_from_document, parse_csv_text, save_model
from strategies import datasets, finite_floats

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


@settings(max_examples=30)
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


@pytest.mark.skipif(sys.platform == "emscripten", reason="installs with pip in a subprocess; Pyodide has no processes")
def test_loaders_work_from_an_installed_copy(tmp_path):
    """The data files are package data: an installed copy, away from the source
    tree, still finds them through importlib.resources."""
    target = tmp_path / "site"
    install = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
         "--target", str(target), ROOT], capture_output=True, text=True, timeout=300)
    assert install.returncode == 0, install.stderr
    check = subprocess.run(
        [sys.executable, "-c", "import logreg_pure, logreg_pure.datasets as d; "
         "print(logreg_pure.__file__); print(len(d.load_breast_cancer().X), len(d.load_study_hours().X))"],
        cwd=tmp_path, env=dict(os.environ, PYTHONPATH=str(target)), capture_output=True, text=True, timeout=60)
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

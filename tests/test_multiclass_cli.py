"""Chapter 35 (K classes): the command line and the version-2 model files for targets of more than two classes."""

import csv
import io
import json
import os

import pytest
from hypothesis import given, strategies as st

from logreg_pure.part4_estimators.model import LogisticRegression
from logreg_pure.part4_estimators.multinomial import SoftmaxRegression
from logreg_pure.part6_command_line.cli import main
from logreg_pure.part6_command_line.datasets import load_iris
from logreg_pure.part6_command_line.files import SOFTMAX_VERSION, VERSION, load_model, save_model

from strategies import at_most
from test_multinomial import overlapping_classes

HERE = os.path.dirname(os.path.abspath(__file__))
IRIS = os.path.join(HERE, os.pardir, "logreg_pure", "part6_command_line", "datasets", "iris.csv")


def run(*args):
    out = io.StringIO()
    status = main(list(args), out=out)
    return status, out.getvalue()


@pytest.fixture(scope="module")
def iris_model(tmp_path_factory):
    folder = tmp_path_factory.mktemp("iris")
    model = str(folder / "iris.json")
    status, text = run("fit", IRIS, "--target", "species", "--model", model, "--reg", "0.01", "--standardize",
                       "--plots", str(folder / "plots"))
    assert status == 0
    return model, text, folder


def test_fit_reports_the_label_set_and_writes_a_version_2_file(iris_model):
    model, text, folder = iris_model
    assert "target 'species' with 3 classes: 'setosa', 'versicolor', 'virginica'" in text
    assert "Class 'virginica': coef and exp(coef) (per standard deviation)" in text
    document = json.loads(open(model, encoding="utf-8").read())
    assert document["version"] == SOFTMAX_VERSION and document["model"] == "SoftmaxRegression"
    assert document["label_mapping"] == {"setosa": 0, "versicolor": 1, "virginica": 2}
    assert len(document["coef"]) == 3 and len(document["intercept"]) == 3
    assert sorted(os.listdir(folder / "plots")) == ["objective.svg", "roc_0_setosa.svg", "roc_1_versicolor.svg",
                                                    "roc_2_virginica.svg"]  # four features: no regions to draw


def test_predict_writes_one_probability_column_per_class(iris_model, tmp_path):
    model, _, _ = iris_model
    output = str(tmp_path / "p.csv")
    assert run("predict", model, IRIS, "--proba", "--output", output)[0] == 0
    rows = list(csv.reader(open(output, encoding="utf-8")))
    assert rows[0] == ["setosa", "versicolor", "virginica"] and len(rows) == 151
    assert all(abs(sum(map(float, row)) - 1.0) < 1e-12 for row in rows[1:])
    status, text = run("predict", model, IRIS)
    lines = text.splitlines()
    assert status == 0 and lines[0] == "prediction" and lines[1] == "setosa" and lines[-1] == "virginica"


def test_evaluate_reports_every_multiclass_metric(iris_model):
    model, _, _ = iris_model
    status, text = run("evaluate", model, IRIS, "--target", "species")
    assert status == 0
    for words in ["3 classes: 'setosa', 'versicolor', 'virginica'", "accuracy              0.9600",
                  "AUC (one-vs-rest)", "macro average", "weighted average", "confusion matrix",
                  "    virginica             0      3     47"]:
        assert words in text


def test_summary_of_a_multiclass_target(tmp_path):
    # The anes96 example as a CSV: the table of MNLogit, with the data's labels.
    rows = list(csv.DictReader(open(os.path.join(HERE, "data", "anes96.csv"), encoding="utf-8")))
    names = {"0": "strong D", "1": "weak D", "2": "lean D", "3": "independent", "4": "lean R",
             "5": "weak R", "6": "strong R"}
    lines = ["selfLR,age,PID"] + [f"{r['selfLR']},{r['age']},{names[r['PID']]}" for r in rows[:300]]
    data = tmp_path / "anes.csv"
    data.write_text("\n".join(lines) + "\n", encoding="utf-8")
    status, text = run("summary", str(data), "--target", "PID")
    assert status == 0
    assert "7 classes ('independent', 'lean D', 'lean R', 'strong D', 'strong R', 'weak D', 'weak R')" in text
    assert "Reference class: independent" in text and "PID = weak R (against independent)" in text


def test_multiclass_refusals_name_the_flag(iris_model, tmp_path, capsys):
    """A flag with no meaning for K classes is a usage error (exit 2) naming it; a label the
    model does not know is a data error (exit 1)."""
    model, _, _ = iris_model
    for args in (("predict", model, IRIS, "--threshold", "0.3"), ("summary", IRIS, "--target", "species", "--reg", "0.1")):
        with pytest.raises(SystemExit) as leaving:
            run(*args)
        assert leaving.value.code == 2
        assert f"{args[-2]} {args[-1]}" in capsys.readouterr().err
    other = tmp_path / "other.csv"
    other.write_text("sepal_length,sepal_width,petal_length,petal_width,species\n1,2,3,4,rose\n", encoding="utf-8")
    assert run("evaluate", model, str(other), "--target", "species")[0] == 1
    assert "label 'rose' is not one of the model's classes" in capsys.readouterr().err


def test_version_2_files_are_checked_field_by_field(iris_model, tmp_path):
    model, _, _ = iris_model
    good = json.loads(open(model, encoding="utf-8").read())
    cases = [("classes", [0, 2, 1], "'classes' must list distinct labels in sorted order"),
             ("label_mapping", {"a": 0, "b": 1}, "must map 3 labels to the class positions 0 to 2"),
             ("coef", good["coef"][:2], r"'coef' has 2 rows, expected one per class \(3\)"),
             ("model", "LogisticRegression", "'model' must be 'SoftmaxRegression'")]
    for field, value, words in cases:
        path = tmp_path / f"{field}.json"
        path.write_text(json.dumps(dict(good, **{field: value})), encoding="utf-8")
        with pytest.raises(ValueError, match=words):
            load_model(str(path))


def test_save_model_refuses_a_label_mapping_that_does_not_fit_the_classes(tmp_path):
    model = SoftmaxRegression(solver="newton", reg=0.1).fit([[0.0], [1.0], [2.0]], ["a", "b", "c"])
    with pytest.raises(ValueError, match="must map 3 labels to the class positions 0 to 2"):
        save_model(str(tmp_path / "m.json"), model, label_mapping={"a": 0, "b": 1})


def test_binary_files_stay_version_1(tmp_path):
    model = LogisticRegression(solver="newton").fit([[0.0], [1.0], [2.0], [3.0]], [0, 1, 0, 1])
    save_model(str(tmp_path / "b.json"), model)
    assert json.loads((tmp_path / "b.json").read_text(encoding="utf-8"))["version"] == VERSION == 1
    assert not load_model(str(tmp_path / "b.json")).multiclass


@at_most(15)
@given(overlapping_classes(max_extra=3), st.sampled_from([0.0, 0.1]))
def test_saved_softmax_models_predict_exactly_what_they_predicted(data, reg):
    """Law: load_model(save_model(m)) gives the same probabilities and labels as m, bit
    for bit (JSON keeps every digit of a float), in either layout."""
    X, y = data
    model = SoftmaxRegression(solver="newton", reg=reg).fit(X, [f"c{k}" for k in y])
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "m.json")
        save_model(path, model)
        loaded = load_model(path)
    assert loaded.predict_proba(X) == model.predict_proba(X)
    assert loaded.predict(X) == model.predict(X) and loaded.class_labels() == model.classes_


def test_the_iris_loader():
    data = load_iris()
    assert len(data.X) == 150 and data.classes() == ["setosa", "versicolor", "virginica"]
    assert [data.labels().count(c) for c in data.classes()] == [50, 50, 50]
    assert data.X[34] == [4.9, 3.1, 1.5, 0.2] and data.X[37] == [4.9, 3.6, 1.4, 0.1]  # Fisher's values

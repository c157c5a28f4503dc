"""Chapters 28 to 35: nothing silently misread. Hostile CSV files, model files,
overflowing numbers and odd numerals, each refused (or computed) with one clear message.

Each test names the item of issue 13 it pins down; each failed before its fix.
"""

import csv
import glob
import io
import json
import math
import os
import subprocess
import sys
import types

import pytest

from logreg_pure import LogisticRegression, summarize
from logreg_pure.part4_estimators.features import Standardizer, add_interactions, polynomial_features
from logreg_pure.part5_inference.metrics import log_loss_from_logits
from logreg_pure.part6_command_line import files
from logreg_pure.part6_command_line.files import load_model, parse_csv_text, save_model
from logreg_pure.part6_command_line.plots import nice_ticks, plot_objective, plot_sigmoid

from processes import python_env

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
needs_processes = pytest.mark.skipif(sys.platform == "emscripten", reason="Pyodide has no processes")


def run(*args, cwd=None):
    env = python_env()
    return subprocess.run([sys.executable, "-m", "logreg_pure", *args], env=env, cwd=cwd,
                          capture_output=True, text=True, timeout=300)


# ------------------------------------------------ columns (items 2 and 3)

def test_duplicate_column_names_are_refused_naming_both_positions():
    # Item 2: with the header a,a,y both features were read from the first column.
    with pytest.raises(ValueError, match="the header names columns 1 and 2 both 'a'"):
        parse_csv_text("a,a,y\n1,5,0\n2,4,1\n3,3,0\n", "y")
    with pytest.raises(ValueError, match="columns 2 and 3 both 'y'"):
        parse_csv_text("a,y,y\n1,0,0\n2,1,1\n", "y")
    # A duplicate that nothing uses is harmless: predict reads only the model's columns.
    assert parse_csv_text("a,b,b\n1,5,6\n", None, features=["a"]).X == [[1.0]]


def test_an_unnamed_column_is_refused_as_a_saved_index():
    # Item 3: DataFrame.to_csv() writes the index under an empty header; it was fitted as ''.
    with pytest.raises(ValueError, match="column 1 has no name.*saved row index.*index=False"):
        parse_csv_text(",x,y\n0,1,0\n1,2,1\n2,3,0\n", "y")
    assert parse_csv_text(",x,y\n0,1,0\n1,2,1\n", "y", features=["x"]).feature_names == ["x"]


# -------------------------------------------------- numerals (item 11)

@pytest.mark.parametrize("cell", ["\u0661\u0662", "\uff11\uff12", "1_000", "0x1A", "\u00bd"])
def test_only_plain_ascii_decimal_numerals_are_numbers(cell):
    # Item 11: float() reads Arabic-Indic and full-width digits and underscores: 12, 12, 1000.
    # (A decimal comma, "1,5", is refused with its own cure: test_hostile_input.py.)
    with pytest.raises(ValueError, match="is not a number.*plain decimal notation"):
        parse_csv_text(f'x,y\n"{cell}",0\n2,1\n', "y")


def test_plain_numerals_in_every_spelling_are_read():
    data = parse_csv_text("x,y\n-1.5e3,0\n+.5,1\n 7 ,0\n1E-2,1\n3.,0\n", "y")
    assert [row[0] for row in data.X] == [-1500.0, 0.5, 7.0, 0.01, 3.0]


# -------------------------------------------------- labels (item 8)

@pytest.mark.parametrize("labels", [["1", "1.0"], ["1", "01"], ["0", "0.0", "-0"]])
def test_numbers_equal_as_numbers_are_one_class(labels):
    # Item 8: 1 and 1.0 were fitted as two classes.
    text = "x,y\n" + "".join(f"{i},{label}\n" for i, label in enumerate(labels * 3))
    with pytest.raises(ValueError, match="has only one value.*equal as numbers"):
        parse_csv_text(text, "y")


def test_numeric_labels_are_classes_by_value():
    data = parse_csv_text("x,y\n1,1\n2,0\n3,1.0\n4,0.0\n5,01\n", "y")
    assert data.y == [1.0, 0.0, 1.0, 0.0, 1.0] and data.label_mapping == {"0": 0, "1": 1}
    # A model trained on 0/1 reads a file that writes 0.0/1.0 by value, too.
    saved = parse_csv_text("x,y\n1,1.0\n2,0.00\n", "y", label_mapping={"0": 0, "1": 1})
    assert saved.y == [1.0, 0.0]


# ---------------------------------------------- echoed text (item 10)

def test_text_from_the_file_is_escaped_and_shortened_in_messages():
    # Item 10: escape bytes reached the terminal, and a 130,000-digit cell was echoed whole.
    with pytest.raises(ValueError) as raised:
        parse_csv_text("x,y\n" + "9" * 130000 + ",0\n1,1\n", "y")
    assert len(str(raised.value)) < 200 and "..." in str(raised.value)
    with pytest.raises(ValueError) as raised:
        parse_csv_text("a\x1b[2J,y\n1,0\n2,1\n", "target")
    assert "\x1b" not in str(raised.value) and "\\x1b[2J" in str(raised.value)
    with pytest.raises(ValueError) as raised:
        parse_csv_text("x,y\nred\x07\x1b]0;pwned\x07,0\n", "y")
    assert not any(ord(c) < 32 for c in str(raised.value))


@needs_processes
def test_the_command_line_never_prints_a_control_character_from_a_file(tmp_path):
    data = tmp_path / "d.csv"
    data.write_text("hours\x1b[31m,sleep\x1b]0;title\x07,passed\x1b[0m\n"
                    + "".join(f"{h},{h % 4},{p}\n" for h, p in zip(range(12), [0, 0, 1, 0, 1, 1] * 2)))
    fitted = run("fit", str(data), "--target", "passed\x1b[0m", "--model", str(tmp_path / "m.json"))
    summary = run("summary", str(data), "--target", "passed\x1b[0m")
    for result in (fitted, summary):
        assert result.returncode == 0, result.stderr
        assert not any(ord(c) < 32 and c != "\n" for c in result.stdout + result.stderr)
    assert "hours\\x1b[31m" in fitted.stdout and "hours\\x1b[31m" in summary.stdout


# --------------------------------------------------- model files (item 4)

@pytest.fixture(scope="module")
def model_text(tmp_path_factory):
    model = LogisticRegression(solver="newton", reg=0.1).fit([[0.0], [1.0], [2.0], [3.0]], [0, 1, 0, 1])
    path = tmp_path_factory.mktemp("m") / "m.json"
    save_model(str(path), model, feature_names=["hours"], target_name="passed")
    return path.read_text(encoding="utf-8")


def edited(text, field, value):
    """The model file's text with one field's value (in "fit", "options" or the top level) replaced."""
    document = json.loads(text)
    for block in (document, document["fit"], document["options"]):
        if field in block:
            block[field] = "@@"
    return json.dumps(document).replace('"@@"', value)


@pytest.mark.parametrize("field, value, words", [
    ("intercept", "1" * 401, "field 'intercept'"),
    ("coef", "[" + "1" * 401 + "]", "field 'coef[0]'"),
    ("n_iter", "Infinity", "field 'fit.n_iter' holds Infinity"),
    ("n_iter", "1e400", "field 'fit.n_iter' holds 1e400 (beyond the float range)"),
    ("epochs", "NaN", "field 'options.epochs' holds NaN"),
    ("grad_max", "-Infinity", "field 'fit.grad_max' holds -Infinity"),
    ("random_state", "7" * 5001, "field 'options.random_state' holds an integer of 5001 digits"),
    ("target_name", "[" + "1" * 5001 + "]", "field 'target_name[0]' holds an integer of 5001 digits"),
], ids=["intercept-401-digits", "coef-401-digits", "n_iter-Infinity", "n_iter-1e400", "epochs-NaN",
        "grad_max-minus-Infinity", "random_state-5001-digits", "target_name-5001-digits"])
def test_model_files_with_numbers_no_field_can_hold_are_refused_by_field(tmp_path, model_text, field, value,
                                                                         words):
    # Item 4: tracebacks (OverflowError, ValueError from int parsing) instead of one message.
    path = tmp_path / "bad.json"
    path.write_text(edited(model_text, field, value), encoding="utf-8")
    with pytest.raises(ValueError, match=str(path) + ".*" + words.replace("[", r"\[").replace("(", r"\(")
                       .replace(")", r"\)")):
        load_model(str(path))


@pytest.mark.parametrize("text", ["[" * 100000, '{"a": ' * 5000 + "1" + "}" * 5000,
                                  '{"format": ' + "[" * 3000 + "]" * 3000 + "}"],
                         ids=["100000-brackets", "5000-nested-objects", "3000-nested-lists-in-a-field"])
def test_deeply_nested_model_files_are_refused(tmp_path, monkeypatch, text):
    # Item 4: RecursionError tracebacks. Refused before the decoder sees the text: it
    # recurses once per level, and under Pyodide 100,000 levels crashed the interpreter.
    path = tmp_path / "deep.json"
    path.write_text(text, encoding="utf-8")
    decoder = types.SimpleNamespace(loads=lambda *args, **kwargs: pytest.fail("decoded a text too deep"),
                                    JSONDecodeError=json.JSONDecodeError)
    monkeypatch.setattr(files, "json", decoder)  # the chapter's json only, not the process's
    with pytest.raises(ValueError, match="nested too deeply"):
        load_model(str(path))


@needs_processes
def test_a_hostile_model_file_is_one_error_line_from_the_command_line(tmp_path, model_text):
    data = tmp_path / "d.csv"
    data.write_text("hours\n1\n2\n")
    for name, text in [("deep.json", "[" * 100000), ("huge.json", edited(model_text, "n_iter", "9" * 5001))]:
        (tmp_path / name).write_text(text)
        result = run("predict", str(tmp_path / name), str(data))
        assert result.returncode == 1 and result.stderr.count("\n") == 1, result.stderr
        assert result.stderr.startswith(f"error: {tmp_path / name}")


# ------------------------------------------------------- plots (item 5)

def test_unplottable_data_are_refused_naming_the_plot():
    # Item 5: OverflowError in nice_ticks, and "nan" written into the SVG.
    with pytest.raises(ValueError, match="plot_objective: the objective values run from -1e\\+308 to 1e\\+308"):
        plot_objective([1e308, -1e308])
    with pytest.raises(ValueError, match="plot_objective: the objective values include nan"):
        plot_objective([0.7, math.nan])
    with pytest.raises(ValueError, match="plot_sigmoid: the x values"):
        plot_sigmoid([-1.7e308, 1.7e308], [0, 1], 1.0, 0.0)
    with pytest.raises(ValueError, match="nice_ticks needs a finite range"):
        nice_ticks(-1e308, 1e308)
    assert nice_ticks(0.0, 5e-324) == [0.0]  # a width whose fifth underflows


def test_a_plot_that_cannot_be_drawn_does_not_fail_the_fit(tmp_path, monkeypatch, capsys):
    from logreg_pure.part6_command_line import cli

    def unplottable(*args, **kwargs):
        raise ValueError("plot_objective: the objective values include nan; a plot needs finite numbers")

    monkeypatch.setattr(cli, "plot_objective", unplottable)
    data = tmp_path / "d.csv"
    data.write_text("x,y\n" + "".join(f"{i},{i % 3 == 0}\n" for i in range(9)))
    status = cli.main(["fit", str(data), "--target", "y", "--model", str(tmp_path / "m.json"),
                       "--plots", str(tmp_path / "plots")], out=io.StringIO())
    assert status == 0 and load_model(str(tmp_path / "m.json"))
    assert "warning: no plots written: plot_objective: the objective values include nan" in capsys.readouterr().err
    assert not (tmp_path / "plots").exists()


# --------------------------------------------- predictions CSV (item 6)

@needs_processes
def test_predicted_labels_are_quoted_and_never_run_as_formulas(tmp_path):
    # Item 6: a label "a,b" became two cells, and "=HYPERLINK(...)" ran in a spreadsheet.
    for labels in [("a,b", 'say "hi"\nthere'), ("=HYPERLINK(\"http://x\")", "@SUM(1+1)"), ("-1", "+cmd")]:
        data = tmp_path / "d.csv"
        with open(data, "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["x", "y"])
            writer.writerows([i, labels[i % 3 == 0]] for i in range(12))
        fitted = run("fit", str(data), "--target", "y", "--model", str(tmp_path / "m.json"), "--reg", "0.1")
        assert fitted.returncode == 0, fitted.stderr
        predicted = run("predict", str(tmp_path / "m.json"), str(data), "--output", str(tmp_path / "p.csv"))
        assert predicted.returncode == 0, predicted.stderr
        with open(tmp_path / "p.csv", newline="", encoding="utf-8") as handle:
            rows = list(csv.reader(handle))
        assert rows[0] == ["prediction"] and len(rows) == 13 and all(len(row) == 1 for row in rows)
        cells = {row[0] for row in rows[1:]}
        expected = {label if label[0] not in "=+-@" or label == "-1" else "'" + label for label in labels}
        assert cells <= expected and cells


# ------------------------------------------------ overflow (items 7, 13)

def test_log_odds_of_finite_rows_are_never_nan():
    # Item 7: coefficients near 3.5 and a row (1e308, -1e308) gave z = nan and predict 0.
    model = LogisticRegression(solver="newton", reg=0.1).fit([[0.0, 1.0], [1.0, 0.0], [2.0, 2.0], [3.0, 1.0]],
                                                            [0, 1, 0, 1])
    model.coef_, model.intercept_ = [3.5, 3.5], 0.25
    assert model.decision_function([[1e308, -1e308]]) == [0.25]
    model.coef_ = [3.5, 3.4]
    z = model.decision_function([[1e308, -1e308]])[0]
    assert math.isclose(z, 1e307, rel_tol=1e-12)
    assert model.predict_proba([[1e308, -1e308]]) == [1.0] and model.predict([[1e308, -1e308]]) == [1]


def test_standardizer_on_columns_whose_sum_overflows():
    # Item 13: the mean overflowed and the column was treated as constant.
    scaler = Standardizer().fit([[1.7e308], [1.7e308], [1.6e308]])
    assert math.isclose(scaler.mean_[0], 5.0 / 3 * 1e308, rel_tol=1e-15)
    assert math.isclose(scaler.scale_[0], math.sqrt(2) / 3 * 1e307, rel_tol=1e-12)
    z = [row[0] for row in scaler.transform([[1.7e308], [1.7e308], [1.6e308]])]
    assert math.isclose(z[2], -math.sqrt(2), rel_tol=1e-12)
    wide = Standardizer().fit([[-1.7e308], [1.7e308]])
    assert wide.scale_ == [1.7e308] and wide.transform([[-1.7e308], [1.7e308]]) == [[-1.0], [1.0]]


def test_products_beyond_the_float_range_are_refused_naming_the_column():
    # Item 13: add_interactions and polynomial_features returned inf.
    with pytest.raises(ValueError, match="X row 1: the product 'a\\*b' overflows"):
        add_interactions([[1.0, 2.0], [1e200, 1e200]], ["a", "b"])
    with pytest.raises(ValueError, match="X row 0: the product 'x0\\^2' overflows"):
        polynomial_features([[1e200]], 2)


def test_log_loss_from_logits_is_the_true_mean_when_the_sum_overflows():
    # Item 13: inf, though the docstring promises a finite value.
    assert log_loss_from_logits([1, 1], [-1e308, -1e308]) == 1e308
    assert log_loss_from_logits([1, 0], [-1.5e308, 1.5e308]) == 1.5e308


# --------------------------------------------------- messages (item 12)

def test_overflow_is_named_as_the_cause_not_a_step_size_or_a_collinear_column():
    # Item 12: "a column is a linear combination of the others" for features of 1e200, and
    # "objective went from nan to nan ... lr too large" for weights of 1e308.
    with pytest.raises(ValueError) as newton:
        LogisticRegression(solver="newton").fit([[1e200 * i] for i in range(1, 7)], [0, 1, 0, 1, 1, 0])
    assert "overflow" in str(newton.value) and "standardize" in str(newton.value)
    assert "linear combination" not in str(newton.value)
    with pytest.raises(ValueError) as weights:
        LogisticRegression().fit([[0.0], [1.0], [2.0], [3.0]], [0, 1, 0, 1], sample_weight=[1e308] * 4)
    assert "sample_weight" in str(weights.value) and "lr" not in str(weights.value)
    with pytest.raises(ValueError) as huge:
        LogisticRegression(solver="gd").fit([[1.7e308], [-1.6e308], [1e308], [-1e308]], [0, 1, 1, 0])
    assert "too large for floating point" in str(huge.value) and "lr <= 0" not in str(huge.value)


# ------------------------------------------------------ memory (item 14)

def test_newton_on_too_many_columns_is_refused_before_the_hessian_is_built():
    # Item 14: 20,000 columns and 6 rows allocated 4 GB within 90 s with no word.
    X = [[float((i * j) % 7) for j in range(20000)] for i in range(6)]
    with pytest.raises(ValueError, match="20001 x 20001 matrix.*GiB.*solver='gd' or solver='sgd'"):
        LogisticRegression(solver="newton").fit(X, [0, 1, 0, 1, 0, 1])


def test_summarize_refuses_a_too_large_information_matrix(monkeypatch):
    from logreg_pure.part1_mathematics import linalg
    model = LogisticRegression(solver="newton", reg=0.1, tol=1e-10).fit([[0.0], [1.0], [2.0], [3.0]], [0, 1, 0, 1])
    monkeypatch.setattr(linalg, "MATRIX_MEMORY_LIMIT", 100)
    with pytest.raises(ValueError, match="summarize .*2 x 2 matrix"):
        summarize(model, [[0.0], [1.0], [2.0], [3.0]], [0, 1, 0, 1])


# -------------------------------------------------- interpreters (item 15)

def old_pythons():
    root = os.environ.get("PYENV_ROOT", os.path.expanduser("~/.pyenv"))
    return sorted(glob.glob(os.path.join(root, "versions", "3.[67].*", "bin", "python")))


@needs_processes
@pytest.mark.skipif(not old_pythons(), reason="no Python 3.6 or 3.7 here (pyenv)")
@pytest.mark.parametrize("python", old_pythons())
def test_python_older_than_3_8_is_told_in_one_line(python, tmp_path):
    # Item 15: "ImportError: cannot import name 'NormalDist'" after a traceback.
    env = dict(os.environ, PYTHONPATH=ROOT)  # no shared bytecode cache: it would compile their standard library
    for args in (["-m", "logreg_pure", "demo"], ["-c", "import logreg_pure"]):
        result = subprocess.run([python, *args], env=env, cwd=tmp_path, capture_output=True, text=True,
                                timeout=60)
        assert result.returncode == 1 and result.stderr.count("\n") == 1, result.stderr
        assert "logreg_pure needs Python 3.8 or newer" in result.stderr

"""Chapter 35: the command line, and the files it reads and writes.

Two tests run ``python -m logreg_pure`` in a real process, as a shell does (the demo,
and a fit, predict and evaluate round trip); the rest run ``cli.main`` in this
process (``__main__`` only calls it), which checks the same exit statuses and
messages without a fifth of a second of start-up per command, and runs in Pyodide
too. Signals, pipes and file-size limits are tested with real processes in
test_outputs.py.
"""

import io
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ElementTree

import pytest

from logreg_pure.part6_command_line.cli import main

from processes import python_env, run_in_process

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SVG = "{http://www.w3.org/2000/svg}"

needs_processes = pytest.mark.skipif(sys.platform == "emscripten",
                                     reason="runs python -m logreg_pure in a subprocess; Pyodide has no processes")


def run_process(*args, cwd=None):
    """``python -m logreg_pure ARGS`` in a new process, as a shell runs it."""
    return subprocess.run([sys.executable, "-m", "logreg_pure", *args], cwd=cwd, env=python_env(),
                          capture_output=True, text=True, timeout=120)


def run(*args, cwd=None):
    return run_in_process(*args, cwd=cwd)


def write(path, text):
    path.write_text(text, encoding="utf-8")
    return str(path)


GOOD_CSV = "hours,sleep,passed\n" + "\n".join(
    f"{h},{s},{'yes' if p else 'no'}" for h, s, p in [
        (0.5, 8, 0), (1.0, 6, 0), (1.5, 7, 0), (2.0, 5, 1), (2.5, 8, 0), (3.0, 6, 1),
        (3.5, 7, 0), (4.0, 5, 1), (4.5, 8, 1), (5.0, 6, 1), (1.2, 9, 1), (4.2, 4, 0)]) + "\n"


@needs_processes
def test_demo_runs_and_writes_well_formed_plots(tmp_path):
    result = run_process("demo", "--out", str(tmp_path / "plots"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "AUC" in result.stdout and "majority-class baseline" in result.stdout
    assert "Traceback" not in result.stderr
    expected = {"objective.svg": "curve", "roc.svg": "chance", "sigmoid.svg": "class-1",
                "boundary.svg": "boundary"}
    for name, css_class in expected.items():
        root = ElementTree.parse(tmp_path / "plots" / name).getroot()
        assert root.tag == SVG + "svg" and root.get("version") == "1.1"
        assert root.find(SVG + "title").text
        classes = {element.get("class") for element in root.iter()}
        assert {"axis", "tick", "tick-label", "xlabel", "ylabel", "title", css_class} <= classes


@needs_processes
def test_fit_predict_evaluate_round_trip(tmp_path):
    data = write(tmp_path / "exam.csv", GOOD_CSV)
    model = str(tmp_path / "model.json")
    fitted = run_process("fit", data, "--target", "passed", "--model", model, "--standardize", "--reg", "0.1",
                 "--plots", str(tmp_path / "plots"))
    assert fitted.returncode == 0, fitted.stderr
    assert "0 = 'no', 1 = 'yes'" in fitted.stdout
    assert {"objective.svg", "roc.svg", "boundary.svg"} <= set(os.listdir(tmp_path / "plots"))
    saved = json.loads((tmp_path / "model.json").read_text(encoding="utf-8"))
    assert saved["format"] == "logreg_pure.model" and saved["standardizer"] is not None

    labels = run_process("predict", model, data)
    assert labels.returncode == 0, labels.stderr
    lines = labels.stdout.splitlines()
    assert lines[0] == "prediction" and len(lines) == 13 and set(lines[1:]) <= {"yes", "no"}
    output = tmp_path / "p.csv"
    probabilities = run_process("predict", model, data, "--proba", "--output", str(output))
    assert probabilities.returncode == 0 and probabilities.stdout == ""
    values = output.read_text(encoding="utf-8").splitlines()
    assert values[0] == "probability" and all(0.0 < float(v) < 1.0 for v in values[1:])

    evaluated = run_process("evaluate", model, data, "--target", "passed")
    assert evaluated.returncode == 0, evaluated.stderr
    for words in ("accuracy", "AUC", "log loss", "Brier score", "confusion matrix"):
        assert words in evaluated.stdout


def test_summary_and_explain_on_the_embedded_data():
    summary = run("summary")
    assert summary.returncode == 0, summary.stderr
    assert "-4.0777" in summary.stdout and "0.6287" in summary.stdout
    assert "multiplies the odds (not the probability)" in summary.stdout
    explained = run("explain")
    assert explained.returncode == 0, explained.stderr
    assert "(p - y) x" in explained.stdout and "0.693147 before" in explained.stdout


BAD_FILES = [
    # (case, CSV text, extra arguments, words the message must contain)
    ("non-numeric cell", "a,y\n1,0\nx,1\n", [], "line 3, column 'a': 'x' is not a number"),
    ("missing value", "a,y\n1,0\n,1\n", [], "line 3, column 'a': missing value"),
    ("ragged row", "a,b,y\n1,2,0\n3,1\n", [], "line 3: 2 values, but the header has 3"),
    ("unknown target", "a,y\n1,0\n2,1\n", ["--target", "z"], "no target column 'z'"),
    ("one-class target", "a,y\n1,0\n2,0\n", [], "has only one value"),
    ("empty file", "", [], "is empty"),
    ("header only", "a,y\n", [], "has a header but no data rows"),
    ("infinite value", "a,y\n1,0\ninf,1\n", [], "'inf' is not finite"),
]


@pytest.mark.parametrize("case, text, extra, words", BAD_FILES, ids=[c[0] for c in BAD_FILES])
def test_bad_files_exit_1_with_a_message(tmp_path, capsys, case, text, extra, words):
    # In-process (main returns the exit status): any exception other than the
    # reported ones would escape here and fail the test, as a traceback would.
    data = write(tmp_path / "bad.csv", text)
    arguments = ["fit", data, "--model", str(tmp_path / "m.json")] + (extra or ["--target", "y"])
    assert main(arguments, out=io.StringIO()) == 1
    stderr = capsys.readouterr().err
    assert words in stderr and len(stderr.strip().splitlines()) == 1


def in_process(capsys, *argv):
    """Run one command in this process: (exit status, standard error)."""
    status = main(list(argv), out=io.StringIO())
    return status, capsys.readouterr().err


def test_bad_model_files_exit_1(tmp_path, capsys):
    data = write(tmp_path / "d.csv", "a,y\n1,0\n2,1\n")
    for text, words in [("{not json", "is not valid JSON"),
                        ('{"format": "other"}', "not a logreg_pure model file"),
                        ("[1, 2]", "must be a JSON object")]:
        model = write(tmp_path / "m.json", text)
        status, stderr = in_process(capsys, "predict", model, data)
        assert status == 1 and words in stderr
    status, stderr = in_process(capsys, "predict", str(tmp_path / "nowhere.json"), data)
    assert status == 1 and "cannot read" in stderr


def test_bom_blank_lines_and_delimiter_are_accepted(tmp_path):
    text = "\ufeffa;y\n1;0\n2;1\n3;0\n4;1\n\n\n"
    (tmp_path / "semi.csv").write_text(text, encoding="utf-8")
    result = run("fit", str(tmp_path / "semi.csv"), "--target", "y", "--delimiter", ";",
                 "--model", str(tmp_path / "m.json"), "--quiet")
    assert result.returncode == 0, result.stderr


def test_bad_option_values_are_usage_errors_naming_the_option(tmp_path):
    # Issue 13, item 15: a value out of an option's range is a usage error (exit 2), as
    # an unknown option is; it used to exit 1 after reading the data.
    data = write(tmp_path / "d.csv", GOOD_CSV)
    for arguments, words in [(["--reg", "-1"], "argument --reg: must be a finite number >= 0"),
                             (["--lr", "0"], "argument --lr: must be a finite number > 0"),
                             (["--tol", "nan"], "argument --tol: must be a finite number >= 0"),
                             (["--epochs", "many"], "argument --epochs: 'many' is not a whole number")]:
        result = run("fit", data, "--target", "passed", "--model", str(tmp_path / "m.json"), *arguments)
        assert result.returncode == 2 and words in result.stderr, result.stderr
        assert not (tmp_path / "m.json").exists()
    result = run("explain", "--lr", "-0.5")
    assert result.returncode == 2 and "argument --lr: must be a finite number > 0" in result.stderr
    result = run("predict", "m.json", data, "--threshold", "1.5")
    assert result.returncode == 2 and "argument --threshold: must be strictly between 0 and 1" in result.stderr


@pytest.mark.parametrize("argv", [
    [], ["fit"], ["fit", "x.csv", "--target", "y", "--model", "m.json", "--solver", "magic"]])
def test_usage_errors_exit_2(capsys, argv):
    with pytest.raises(SystemExit) as leaving:  # argparse reports a usage error by exiting with 2
        main(argv)
    assert leaving.value.code == 2 and "usage:" in capsys.readouterr().err


def test_a_data_file_without_its_target_is_a_usage_error():
    result = run("summary", "x.csv")  # end to end: the exit status a shell sees
    assert result.returncode == 2 and "--target is required" in result.stderr


def test_warnings_are_one_line_each(tmp_path):
    data = write(tmp_path / "sep.csv", "a,y\n1,0\n2,0\n3,1\n4,1\n")
    result = run("fit", data, "--target", "y", "--model", str(tmp_path / "m.json"))
    assert result.returncode == 0
    assert result.stderr.startswith("warning: the classes are perfectly separated")


@pytest.mark.parametrize("command", ["demo", "fit", "predict", "evaluate", "summary", "explain", "book",
                                     "separation", "path", "datasets"])
def test_every_command_has_help(capsys, command):
    with pytest.raises(SystemExit) as leaving:  # argparse exits after printing the help
        main([command, "--help"])
    assert leaving.value.code == 0 and "usage:" in capsys.readouterr().out


def test_path_writes_the_coefficient_paths_and_the_cv_curve(tmp_path):
    data = write(tmp_path / "exam.csv", GOOD_CSV)
    result = run("path", data, "--target", "passed", "--standardize", "--out", str(tmp_path / "path.svg"),
                 "--cv-out", str(tmp_path / "cv.svg"), "--folds", "3", "--n-regs", "12", "--l1-ratio", "0.5")
    assert result.returncode == 0, result.stderr
    assert "Regularization path: 12 regs" in result.stdout and "one-SE (marked)" in result.stdout
    assert "3-fold cross-validation" in result.stdout
    root = ElementTree.parse(tmp_path / "path.svg").getroot()
    assert sum(1 for e in root.iter(SVG + "polyline") if e.get("class") == "path") == 2  # hours, sleep
    assert any(e.get("class") == "chosen" for e in root.iter(SVG + "polyline"))
    root = ElementTree.parse(tmp_path / "cv.svg").getroot()
    assert sum(1 for e in root.iter(SVG + "circle") if e.get("class") == "mean") == 12


def test_fit_with_reg_cv_reports_the_choice(tmp_path):
    data = write(tmp_path / "exam.csv", GOOD_CSV)
    result = run("fit", data, "--target", "passed", "--model", str(tmp_path / "m.json"), "--solver", "cd",
                 "--penalty", "l1", "--reg", "cv", "--standardize")
    assert result.returncode == 0, result.stderr
    assert "chosen by 5-fold cross-validation" in result.stdout and "one-standard-error" in result.stdout
    saved = json.loads((tmp_path / "m.json").read_text(encoding="utf-8"))
    chosen = float(result.stdout.split("reg = ")[1].split(",")[0])
    assert saved["options"]["reg"] == pytest.approx(chosen, rel=1e-3) and saved["options"]["solver"] == "cd"


@pytest.mark.parametrize("args, words", [
    (["--reg", "lots"], "must be a finite number >= 0, or 'cv'"),
    (["--penalty", "elasticnet", "--solver", "cd"], "--penalty elasticnet needs --l1-ratio"),
    (["--penalty", "elasticnet", "--l1-ratio", "1.5"], "must be between 0"),
])
def test_fit_refuses_bad_penalty_options(tmp_path, args, words):
    data = write(tmp_path / "exam.csv", GOOD_CSV)
    result = run("fit", data, "--target", "passed", "--model", str(tmp_path / "m.json"), *args)
    assert result.returncode in (1, 2) and words in result.stderr and "Traceback" not in result.stderr
ENDOMETRIAL = os.path.join(ROOT, "logreg_pure", "part6_command_line", "datasets", "endometrial.csv")


def test_separation_names_the_infinite_estimate():
    result = run("separation", ENDOMETRIAL, "--target", "HG")
    assert result.returncode == 0, result.stderr
    assert "Separation: yes (quasi-complete)" in result.stdout
    assert [line.split() for line in result.stdout.splitlines() if line.startswith("  NV")] == [["NV", "+Inf"]]


def test_summary_with_firth():
    # The profile intervals of this table (0.610 to 7.855 for NV) are checked in-process,
    # in tests/test_likelihood.py; here, that --firth reaches the table.
    result = run("summary", ENDOMETRIAL, "--target", "HG", "--firth")
    assert result.returncode == 0, result.stderr
    assert "Firth's penalized likelihood" in result.stdout
    assert "NV            2.9293    1.5508    1.889   0.0589    -0.110    5.969" in result.stdout


def test_summary_writes_profile_plots(tmp_path):
    result = run("summary", "--ci", "profile", "--plots", str(tmp_path / "plots"))  # the study hours
    assert result.returncode == 0, result.stderr
    assert "hours         1.5046    0.6287    2.393   0.0167     0.529    3.145" in result.stdout
    assert ["hours", "11.6661", "1", "0.0006365"] in [line.split() for line in result.stdout.splitlines()]
    assert sorted(os.listdir(tmp_path / "plots")) == ["profile_hours.svg", "profile_intercept.svg"]
    root = ElementTree.parse(str(tmp_path / "plots" / "profile_hours.svg")).getroot()
    assert any(e.get("class") == "interval" for e in root.iter(SVG + "polyline"))


def test_summary_of_separated_data_says_what_to_do():
    result = run("summary", ENDOMETRIAL, "--target", "HG")
    assert result.returncode == 1
    assert "error: the classes are separated" in result.stderr and "NV = +Inf" in result.stderr
    assert run("summary", ENDOMETRIAL, "--target", "HG", "--firth", "--reg", "0.1").returncode == 2

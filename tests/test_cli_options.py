"""Chapter 35: each command-line option changes what it should, and the numbers the
commands print are the library's.

The commands run in-process through ``cli.main(argv, out)`` (the subprocess tests in
test_cli.py check exit codes and messages end to end); each result is compared with
the library called directly with the same options.
"""

import io
import json
import math
import os
import re
import sys
import warnings

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from logreg_pure import LogisticRegression, summarize
from logreg_pure.part4_estimators.features import Standardizer
from logreg_pure.part5_inference.metrics import (
    accuracy,
    brier_score,
    confusion_matrix,
    log_loss_from_logits,
    roc_auc,
)
from logreg_pure.part6_command_line.cli import main
from logreg_pure.part6_command_line.datasets import load_study_hours
from logreg_pure.part6_command_line.explain import explain_step
from logreg_pure.part6_command_line.files import load_csv, load_model

from processes import Terminal

EXAM = [(0.5, 8, 0), (1.0, 6, 0), (1.5, 7, 0), (2.0, 5, 1), (2.5, 8, 0), (3.0, 6, 1),
        (3.5, 7, 0), (4.0, 5, 1), (4.5, 8, 1), (5.0, 6, 1), (1.2, 9, 1), (4.2, 4, 0)]


def exam_csv(delimiter=","):
    rows = [delimiter.join(["hours", "sleep", "passed"])]
    rows += [delimiter.join([str(h), str(s), "yes" if p else "no"]) for h, s, p in EXAM]
    return "\n".join(rows) + "\n"


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """A folder with the exam table (comma- and semicolon-separated) and a saved model."""
    path = tmp_path_factory.mktemp("cli")
    (path / "exam.csv").write_text(exam_csv(), encoding="utf-8")
    (path / "exam_semicolon.csv").write_text(exam_csv(";"), encoding="utf-8")
    status, _ = run("fit", str(path / "exam.csv"), "--target", "passed", "--model", str(path / "model.json"),
                    "--standardize", "--reg", "0.1")
    assert status == 0
    return path


def run(*argv):
    """Run one command in-process: (exit status, standard output)."""
    out = io.StringIO()
    status = main(list(argv), out=out)
    return status, out.getvalue()


def read_json(path):
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


# ------------------------------------------------------------------------ fit

fit_options = st.fixed_dictionaries({
    "solver": st.sampled_from(["gd", "newton", "sgd"]),
    "reg": st.sampled_from([0.0, 0.1]),
    "lr": st.sampled_from([0.01, 0.05]),  # below the safe step for the unstandardized table
    "epochs": st.sampled_from([5, 50]),
    "tol": st.sampled_from([0.0, 1e-4]),
    "l1": st.booleans(),
    "standardize": st.booleans(),
})


def fit_argv(data, model_path, options):
    argv = ["fit", data, "--target", "passed", "--model", model_path, "--solver", options["solver"],
            "--reg", repr(options["reg"]), "--lr", repr(options["lr"]), "--epochs", str(options["epochs"]),
            "--tol", repr(options["tol"])]
    if options["l1"] and options["solver"] == "gd":
        argv += ["--penalty", "l1"]
    if options["standardize"]:
        argv.append("--standardize")
    return argv


# Each example writes a model file into the module's folder (the fixture is shared on purpose).
FIT_SETTINGS = settings(max_examples=20, suppress_health_check=[HealthCheck.function_scoped_fixture])


@FIT_SETTINGS
@given(fit_options)
def test_fit_saves_the_options_it_was_given(folder, options):
    """Law: the model file holds exactly the options given on the command line
    (solver, penalty, reg, lr, epochs, tol) and the standardization only when
    --standardize was given, with the training data's column means and spreads."""
    path = str(folder / "options.json")
    status, _ = run(*fit_argv(str(folder / "exam.csv"), path, options))
    assert status == 0
    saved = read_json(path)
    penalty = "l1" if options["l1"] and options["solver"] == "gd" else "l2"
    wanted = {"solver": options["solver"], "penalty": penalty, "reg": options["reg"], "lr": options["lr"],
              "epochs": options["epochs"], "tol": options["tol"]}
    assert {key: saved["options"][key] for key in wanted} == wanted
    data = load_csv(str(folder / "exam.csv"), "passed")
    scaler = Standardizer().fit(data.X)
    expected = {"mean": scaler.mean_, "scale": scaler.scale_} if options["standardize"] else None
    assert saved["standardizer"] == expected


@FIT_SETTINGS
@given(fit_options.filter(lambda o: o["solver"] != "sgd"))
def test_fit_saves_the_model_the_library_fits(folder, options):
    """Law: fit saves the coefficients that LogisticRegression, given the same options,
    fits to the same rows (standardized first with --standardize): the same
    arithmetic, so the same numbers to the last bit.

    Precondition: a deterministic solver (the command line gives SGD no seed).
    """
    path = str(folder / "same.json")
    status, _ = run(*fit_argv(str(folder / "exam.csv"), path, options))
    assert status == 0
    data = load_csv(str(folder / "exam.csv"), "passed")
    rows = Standardizer().fit_transform(data.X) if options["standardize"] else data.X
    penalty = "l1" if options["l1"] and options["solver"] == "gd" else "l2"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = LogisticRegression(lr=options["lr"], epochs=options["epochs"], reg=options["reg"],
                                   tol=options["tol"], solver=options["solver"], penalty=penalty).fit(rows, data.y)
    saved = read_json(path)
    assert (saved["coef"], saved["intercept"]) == (model.coef_, model.intercept_)
    assert saved["fit"] == {"converged": model.converged_, "n_iter": model.n_iter_,
                            "stop_reason": model.stop_reason_, "grad_max": model.grad_max_,
                            "sample_weight_used": model.sample_weight_used_}


def test_fit_reports_the_fit_it_saved(folder):
    status, text = run("fit", str(folder / "exam.csv"), "--target", "passed", "--model",
                       str(folder / "report.json"), "--reg", "0.1")
    assert status == 0
    saved = load_model(str(folder / "report.json"))
    data = load_csv(str(folder / "exam.csv"), "passed")
    model = LogisticRegression(solver="newton", reg=0.1, tol=1e-8).fit(data.X, data.y)
    assert "Fit 12 rows, 2 features; target 'passed' (0 = 'no', 1 = 'yes')" in text
    assert (f"Solver newton: {model.stop_reason_} after {model.n_iter_} steps; objective "
            f"{model.loss_history_[0]:.6f} -> {model.loss_history_[-1]:.6f}") in text
    assert re.search(rf"intercept\s+{saved.model.intercept_:.4f}\n", text)
    for name, coef in zip(["hours", "sleep"], saved.model.coef_):
        assert re.search(rf"{name}\s+{coef:.4f}\s+{math.exp(coef):.4g}\n", text)
    assert f"Training accuracy {model.score(data.X, data.y):.3f}." in text
    assert "(per standard deviation)" not in text


def test_fit_with_standardize_reports_the_standardized_fit(folder):
    status, text = run("fit", str(folder / "exam.csv"), "--target", "passed", "--model",
                       str(folder / "sd.json"), "--standardize")
    data = load_csv(str(folder / "exam.csv"), "passed")
    rows = Standardizer().fit_transform(data.X)
    model = LogisticRegression(solver="newton", tol=1e-8).fit(rows, data.y)
    assert status == 0 and "odds ratio (per standard deviation)" in text
    assert f"Training accuracy {model.score(rows, data.y):.3f}." in text


def test_a_semicolon_file_read_with_its_delimiter_fits_the_same_model(folder):
    for name, extra in (("exam.csv", []), ("exam_semicolon.csv", ["--delimiter", ";"])):
        status, _ = run("fit", str(folder / name), "--target", "passed", "--model",
                        str(folder / ("d-" + name + ".json")), *extra)
        assert status == 0
    comma, semicolon = (read_json(str(folder / ("d-" + name + ".json"))) for name in ("exam.csv", "exam_semicolon.csv"))
    assert (comma["coef"], comma["intercept"]) == (semicolon["coef"], semicolon["intercept"])


@pytest.mark.parametrize("columns, plots", [
    (["hours"], {"objective.svg", "roc.svg", "sigmoid.svg"}),
    (["hours", "sleep"], {"objective.svg", "roc.svg", "boundary.svg"}),
])
def test_fit_writes_the_plots_for_its_number_of_features(tmp_path, columns, plots):
    table = "\n".join([",".join(columns + ["passed"])] + [
        ",".join([str(h), str(s)][:len(columns)] + [str(p)]) for h, s, p in EXAM]) + "\n"
    (tmp_path / "t.csv").write_text(table, encoding="utf-8")
    arguments = ["fit", str(tmp_path / "t.csv"), "--target", "passed", "--model", str(tmp_path / "m.json")]
    assert run(*arguments)[0] == 0 and not (tmp_path / "plots").exists()
    status, text = run(*arguments, "--plots", str(tmp_path / "plots"))
    assert status == 0 and set(os.listdir(tmp_path / "plots")) == plots
    assert f"Plots written to {tmp_path / 'plots'}" in text


@pytest.mark.parametrize("quiet", [False, True])
def test_quiet_silences_the_progress_report(folder, monkeypatch, quiet):
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    arguments = ["fit", str(folder / "exam.csv"), "--target", "passed", "--model", str(folder / "q.json"),
                 "--solver", "gd", "--epochs", "120", "--tol", "0"]
    assert run(*arguments, *(["--quiet"] if quiet else []))[0] == 0
    steps = [int(step) for step in re.findall(r"step\s+(\d+)\s+objective", terminal.getvalue())]
    assert steps == ([] if quiet else [0, 50, 100])  # every 50 steps of the 120


# ---------------------------------------------------------------- odds ratios

def scaled_hours_csv(path, coefficient):
    """The study-hours table with hours rescaled so that their coefficient is about ``coefficient``."""
    data = load_study_hours()
    c = 1.5046454 / coefficient
    lines = ["hours,passed"] + [f"{row[0] * c!r},{int(t)}" for row, t in zip(data.X, data.y)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def test_an_odds_ratio_beyond_the_float_range_is_printed_as_inf(tmp_path):
    data = scaled_hours_csv(tmp_path / "h.csv", 709.9)  # exp(709.9) overflows
    status, text = run("fit", data, "--target", "passed", "--model", str(tmp_path / "m.json"), "--tol", "1e-10")
    coef = read_json(str(tmp_path / "m.json"))["coef"][0]
    assert status == 0 and 709.78 < coef < 710.0
    assert re.search(r"hours\s+709\.\d{4}\s+inf\n", text)


def test_an_odds_ratio_that_fits_in_a_float_is_printed(tmp_path):
    data = scaled_hours_csv(tmp_path / "h.csv", 709.5)
    status, text = run("fit", data, "--target", "passed", "--model", str(tmp_path / "m.json"), "--tol", "1e-10")
    coef = read_json(str(tmp_path / "m.json"))["coef"][0]
    assert status == 0 and f"{math.exp(coef):.4g}" in text


# -------------------------------------------------------------------- predict

def test_predict_proba_prints_the_models_probabilities_exactly(folder):
    status, text = run("predict", str(folder / "model.json"), str(folder / "exam.csv"), "--proba")
    saved = load_model(str(folder / "model.json"))
    data = load_csv(str(folder / "exam.csv"), None, features=saved.feature_names)
    lines = text.splitlines()
    assert status == 0 and lines[0] == "probability"
    assert [float(v) for v in lines[1:]] == saved.predict_proba(data.X)  # 17 digits round-trip a float


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.floats(0.01, 0.99))
def test_predict_labels_each_row_by_its_probability_and_the_threshold(folder, threshold):
    """Law: predict --threshold t prints the label coded 1 ('yes') exactly for the
    rows whose probability is at least t (decided on the log-odds scale, so rows
    within rounding of t are left out of the comparison)."""
    status, text = run("predict", str(folder / "model.json"), str(folder / "exam.csv"),
                       "--threshold", repr(threshold))
    saved = load_model(str(folder / "model.json"))
    data = load_csv(str(folder / "exam.csv"), None, features=saved.feature_names)
    lines = text.splitlines()
    assert status == 0 and lines[0] == "prediction" and len(lines) == len(data.X) + 1
    for label, p in zip(lines[1:], saved.predict_proba(data.X)):
        if abs(p - threshold) > 1e-12:
            assert label == ("yes" if p >= threshold else "no")


def test_predict_output_writes_what_it_would_print(folder):
    for extra in ([], ["--proba"]):
        _, printed = run("predict", str(folder / "model.json"), str(folder / "exam.csv"), *extra)
        path = str(folder / "out.csv")
        status, text = run("predict", str(folder / "model.json"), str(folder / "exam.csv"), *extra, "--output", path)
        with open(path, encoding="utf-8", newline="") as handle:
            assert status == 0 and text == "" and handle.read() == printed


def test_predict_reads_a_file_with_its_delimiter(folder):
    _, comma = run("predict", str(folder / "model.json"), str(folder / "exam.csv"), "--proba")
    _, semicolon = run("predict", str(folder / "model.json"), str(folder / "exam_semicolon.csv"),
                       "--proba", "--delimiter", ";")
    assert comma == semicolon


# ------------------------------------------------------------------- evaluate

def test_evaluate_prints_the_metrics_of_the_saved_model(folder):
    status, text = run("evaluate", str(folder / "model.json"), str(folder / "exam.csv"), "--target", "passed")
    saved = load_model(str(folder / "model.json"))
    data = load_csv(str(folder / "exam.csv"), "passed", label_mapping=saved.label_mapping)
    z, predicted = saved.decision_function(data.X), saved.predict(data.X)
    m = confusion_matrix(data.y, predicted)
    assert status == 0
    assert f"accuracy     {accuracy(data.y, predicted):.4f}" in text
    assert f"AUC          {roc_auc(data.y, z):.4f}" in text
    assert f"log loss     {log_loss_from_logits(data.y, z):.4f}" in text
    assert f"Brier score  {brier_score(data.y, saved.predict_proba(data.X)):.4f}" in text
    assert re.search(rf"actual 0\s+{m.tn}\s+{m.fp}\n", text) and re.search(rf"actual 1\s+{m.fn}\s+{m.tp}\n", text)


@pytest.mark.parametrize("left_out", ["no", "yes"])
def test_evaluate_on_rows_of_one_class_says_auc_is_undefined(folder, left_out):
    rows = [line for line in exam_csv().splitlines() if not line.endswith("," + left_out)]
    (folder / "one.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    status, text = run("evaluate", str(folder / "model.json"), str(folder / "one.csv"), "--target", "passed")
    assert status == 0 and "AUC          undefined (only one class in these rows)" in text


# ------------------------------------------------------------ summary, explain

@pytest.mark.parametrize("reg", [0.0, 0.5])
def test_summary_prints_the_inference_of_the_fit_it_describes(reg):
    data = load_study_hours()
    model = LogisticRegression(solver="newton", reg=reg, tol=1e-10).fit(data.X, data.y,
                                                                        feature_names=data.feature_names)
    result = summarize(model, data.X, data.y, target_name=data.target_name)
    status, text = run("summary", "--reg", repr(reg))
    assert status == 0 and text == "\n".join([str(result), ""] + result.interpret()) + "\n"


def test_summary_of_a_data_file_uses_its_target(folder):
    status, text = run("summary", str(folder / "exam.csv"), "--target", "passed")
    data = load_csv(str(folder / "exam.csv"), "passed")
    model = LogisticRegression(solver="newton", tol=1e-10).fit(data.X, data.y, feature_names=data.feature_names)
    assert status == 0 and text.startswith(str(summarize(model, data.X, data.y, target_name="passed")))


@pytest.mark.parametrize("options", [{}, {"lr": 0.5}, {"reg": 0.25}, {"rows": 2}, {"lr": 2.0, "reg": 1.0, "rows": 20}])
def test_explain_prints_explain_step_with_its_options(options):
    data = load_study_hours()
    argv = ["explain"] + [f"--{key}={value}" for key, value in options.items()]
    status, text = run(*argv)
    assert status == 0
    assert text == explain_step(data.X, data.y, feature_names=data.feature_names,
                                title="the study-hours data", **options) + "\n"

"""A flag is never ignored: it works for every kind of target, or it is refused by name.

Issue 21, point 3. ``summary`` on a target of three classes printed the plain
maximum-likelihood table, exit 0, when given ``--firth``, ``--ci profile`` or
``--plots``; ``fit --penalty firth`` on three classes blamed a list of penalties
without firth, and ``fit --penalty l1`` complained about options never given. Now
every flag either changes what the command does, visibly, or ends it with a usage
error (exit 2) that names the flag as typed. The K-class summary's profile intervals
and likelihood-ratio tests are the binary ones' machinery: with two classes they are
the binary summary's numbers.
"""

import json
import math
import os
import random

import pytest
from hypothesis import given, strategies as st

from logreg_pure import LogisticRegression, SoftmaxRegression, summarize
from processes import run_status as run
from strategies import at_most, overlapping_datasets


def table(n_classes, n=40, seed=3):
    """A CSV text of two features and a target of ``n_classes`` labels drawn from a softmax
    model with moderate weights (fixed seed): no class is separated from the others."""
    rng = random.Random(seed)
    lines = ["x1,x2,group"]
    for _ in range(n):
        a, b = rng.gauss(0.0, 1.0), rng.gauss(0.0, 1.0)
        scores = [0.0, 0.7 * a - 0.2, -0.5 * b + 0.3 * a][:n_classes]
        top = max(scores)
        weights = [math.exp(s - top) for s in scores]
        u, k = rng.random() * sum(weights), 0
        while u > weights[k]:
            u, k = u - weights[k], k + 1
        lines.append(f"{a:.3f},{b:.3f},{'abc'[k]}")
    return "\n".join(lines) + "\n"




SUMMARY_FLAGS = {  # flag -> what must show in the output (or in the plots folder) when it works
    ("--firth",): "Firth",
    ("--ci", "profile"): "Intervals: profile likelihood",
    ("--plots", "PLOTS"): "profile_",
    ("--reg", "0.5"): "penalized",
    ("--standardize",): "one-standard-deviation increase",
}


@at_most(12)  # each example: one or two summaries, some with profile intervals (refits)
@given(st.sampled_from([2, 3]), st.lists(st.sampled_from(sorted(SUMMARY_FLAGS)), min_size=1, max_size=2,
                                         unique=True))
def test_every_summary_flag_works_or_is_refused_by_name(n_classes, flags):
    """Law: ``summary`` with any of --firth, --ci profile, --plots DIR, --reg R and
    --standardize, on a target of two or three classes, either exits 0 with each
    flag's effect in its output (the Firth table, the profile intervals' note, the plot
    files, the penalized table, the sentences per standard deviation), or exits 2 with
    a message naming one of the flags as typed. Never exit 0 with a flag ignored.

    Precondition: a fixed data set per number of classes whose maximum-likelihood and
    Firth fits exist (labels drawn from a softmax model, 40 rows). Exact: text.
    """
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        data = os.path.join(folder, "data.csv")
        with open(data, "w", encoding="utf-8") as handle:
            handle.write(table(n_classes))
        plots = os.path.join(folder, "plots")
        typed = [part.replace("PLOTS", plots) for flag in flags for part in flag]
        status, out, err = run("summary", data, "--target", "group", *typed)
        assert status in (0, 2), err
        if status == 2:
            assert any(" ".join(flag).replace("PLOTS", plots) in err for flag in flags), err
            return
        written = " ".join(os.listdir(plots)) if os.path.isdir(plots) else ""
        for flag in flags:
            assert SUMMARY_FLAGS[flag] in out + written, (flag, out)


@pytest.mark.parametrize("options, words", [
    (["--penalty", "firth"], "--penalty firth is for two classes"),
    (["--reg", "cv"], "--reg cv chooses the penalty of a two-class model"),
])
def test_fit_on_three_classes_refuses_two_class_options_by_name(tmp_path, options, words):
    """Each option that is for two classes only is a usage error naming it, with the
    number of classes found."""
    data = tmp_path / "three.csv"
    data.write_text(table(3), encoding="utf-8")
    status, _, err = run("fit", str(data), "--target", "group", "--model", str(tmp_path / "m.json"), *options)
    assert status == 2 and words in err and "has 3 classes" in err


def test_fit_with_l1_on_three_classes_uses_coordinate_descent(tmp_path):
    """``--penalty l1`` alone on three classes is fitted by coordinate descent (solver auto,
    as for two classes), not refused for options the user never gave."""
    data = tmp_path / "three.csv"
    data.write_text(table(3), encoding="utf-8")
    model = tmp_path / "m.json"
    status, _, err = run("fit", str(data), "--target", "group", "--model", str(model), "--penalty", "l1",
                         "--reg", "0.01")
    assert status == 0, err
    saved = json.loads(model.read_text(encoding="utf-8"))
    assert saved["options"]["penalty"] == "l1" and saved["options"]["solver"] == "cd"


@pytest.mark.parametrize("options", [
    ["--penalty", "elasticnet", "--l1-ratio", "0.5", "--reg", "0.01"],
    ["--solver", "cd", "--penalty", "l1", "--reg", "0.01"],
    ["--solver", "cd", "--reg", "0.01"],
    ["--solver", "gd", "--penalty", "l1", "--reg", "0.01", "--epochs", "50"],
])
def test_fit_on_three_classes_takes_what_the_solver_table_gives_two(tmp_path, options):
    """The penalties and solvers of two classes fit three as well (chapter 15's table: only
    Firth's penalty is for two classes): exit 0 and a model file with the options given."""
    data = tmp_path / "three.csv"
    data.write_text(table(3), encoding="utf-8")
    model = tmp_path / "m.json"
    status, _, err = run("fit", str(data), "--target", "group", "--model", str(model), *options)
    assert status == 0, err
    saved = json.loads(model.read_text(encoding="utf-8"))
    assert saved["model"] == "SoftmaxRegression" and saved["options"]["reg"] == 0.01


@pytest.mark.parametrize("options, words", [
    (["--penalty", "elasticnet"], "--penalty elasticnet needs --l1-ratio"),
    (["--l1-ratio", "0.5"], "--l1-ratio 0.5 is the elastic net's mix"),
    (["--penalty", "firth", "--reg", "cv"], "--reg cv: --penalty firth has its own penalty"),
])
def test_contradictory_fit_options_are_usage_errors_naming_them(tmp_path, options, words):
    data = tmp_path / "two.csv"
    data.write_text(table(2), encoding="utf-8")
    status, _, err = run("fit", str(data), "--target", "group", "--model", str(tmp_path / "m.json"), *options)
    assert status == 2 and words in err


def test_one_fold_is_a_usage_error_naming_folds(tmp_path):
    data = tmp_path / "two.csv"
    data.write_text(table(2), encoding="utf-8")
    status, _, err = run("path", str(data), "--target", "group", "--out", str(tmp_path / "p.svg"), "--folds", "1")
    assert status == 2 and "--folds" in err and "at least 2" in err


def test_the_library_names_the_model_for_more_classes():
    with pytest.raises(ValueError, match="SoftmaxRegression"):
        LogisticRegression().fit([[0.0], [1.0], [2.0]], ["a", "b", "c"])
    with pytest.raises(ValueError, match="SoftmaxRegression: penalty='firth' is for two classes"):
        SoftmaxRegression(penalty="firth").fit([[0.0], [1.0]], [0, 1])


@at_most(10)
@given(overlapping_datasets(max_rows=6, max_features=2))
def test_two_class_softmax_refits_are_the_binary_refits(data):
    """Law: for two classes, the K-class summary's likelihood-ratio tests and profile
    intervals (refits of the softmax problem with one parameter held) equal the binary
    summary's, to 1e-6 (relative for the ends): one machinery for the whole family.

    Precondition: overlapping_datasets (both estimates exist and are the same model).
    Tolerance: both sides' refits stop at a gradient of 1e-10, and the ends are found to
    1e-10 of their size; the two problems' rounding differs (K scores against one).
    """
    X, y = data
    binary = summarize(LogisticRegression(solver="newton", tol=1e-10).fit(X, y), X, y)
    labels = [int(v) for v in y]
    softmax = summarize(SoftmaxRegression(solver="newton", tol=1e-10).fit(X, labels), X, labels)
    for ours, theirs in zip(softmax.likelihood_ratio_tests(), binary.likelihood_ratio_tests()):
        assert ours.statistic == pytest.approx(theirs.statistic, rel=1e-6, abs=1e-7)
    for ours, theirs in zip(softmax.conf_int(method="profile")[0], binary.conf_int(method="profile")):
        assert ours == pytest.approx(theirs, rel=1e-6, abs=1e-7)


# ------------------------------------------------------------- one table (issue 24)

from logreg_pure.part3_solvers.solvers import SOLVERS  # noqa: E402
from logreg_pure.part4_estimators.estimator import MODEL_PENALTIES  # noqa: E402


def _options_of(solver, penalty):
    """The same choice written for the estimators and for the command line."""
    options = dict(solver=solver, penalty=penalty, reg=0.0 if penalty == "firth" else 0.1, epochs=50,
                   l1_ratio=0.5 if penalty == "elasticnet" else None)
    argv = ["--solver", solver, "--penalty", penalty, "--reg", str(options["reg"]), "--epochs", "50"]
    return options, argv + (["--l1-ratio", "0.5"] if penalty == "elasticnet" else [])


@at_most(40)
@given(st.sampled_from(("auto",) + SOLVERS), st.sampled_from(MODEL_PENALTIES), st.sampled_from([2, 3]))
def test_the_command_line_refuses_what_the_estimators_refuse_and_fits_the_rest(solver, penalty, n_classes):
    """Law: for every solver, penalty and number of classes, ``fit`` on the command line is
    a usage error (exit 2, naming ``--solver`` or ``--penalty``) exactly when the estimator
    that would fit it (LogisticRegression for two classes, SoftmaxRegression for more)
    refuses the same options; otherwise both fit (exit 0, a model file). Both read chapter
    15's table, and nothing else may restate it.

    Precondition: a table whose classes overlap (every fit has a finite optimum), reg =
    0.1 (Firth's: 0), 50 steps. Exact: a refusal or a fit.
    """
    import tempfile
    import warnings

    options, argv = _options_of(solver, penalty)
    estimator = LogisticRegression if n_classes == 2 else SoftmaxRegression
    try:
        estimator(**options).check_params()
        refused = False
    except ValueError:
        refused = True
    with tempfile.TemporaryDirectory() as folder, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        data, model = os.path.join(folder, "data.csv"), os.path.join(folder, "m.json")
        with open(data, "w", encoding="utf-8") as handle:
            handle.write(table(n_classes))
        status, _, err = run("fit", data, "--target", "group", "--model", model, *argv)
        written = os.path.exists(model)
    if refused:
        assert status == 2 and ("--solver" in err or "--penalty" in err) and not written, err
    else:
        assert status == 0 and written, err


# ------------------------------------------------ the lead's review: a penalty with no strength

@pytest.mark.parametrize("model", [LogisticRegression, SoftmaxRegression])
@pytest.mark.parametrize("solver", ["auto", "cd", "gd"])
@pytest.mark.parametrize("penalty", [dict(penalty="l1"), dict(penalty="elasticnet", l1_ratio=0.5)])
def test_an_l1_penalty_with_no_strength_is_refused_by_every_solver(model, solver, penalty):
    """penalty='l1' with reg=0 was refused by Newton's method but fitted, unpenalized and
    without a word, by coordinate descent, gradient descent and solver='auto' (and by
    fit --penalty l1 without --reg): a named penalty with strength 0 is refused, the same
    way by each solver and both classes."""
    with pytest.raises(ValueError, match=f"penalty='{penalty['penalty']}' with reg=0 is no penalty at all"):
        model(solver=solver, **penalty).fit([[0.0], [1.0], [2.0], [3.0]], [0, 1, 0, 1])


def test_fit_refuses_an_l1_penalty_without_reg(tmp_path):
    data = tmp_path / "d.csv"
    data.write_text("x,y\n0,0\n1,1\n2,0\n3,1\n", encoding="utf-8")
    status, _, err = run("fit", str(data), "--target", "y", "--model", str(tmp_path / "m.json"), "--penalty", "l1")
    assert status == 2 and "--penalty l1 with --reg 0 (the default) is no penalty at all" in err
    assert not (tmp_path / "m.json").exists()

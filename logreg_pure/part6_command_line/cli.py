"""Chapter 35. The command line: ``python -m logreg_pure COMMAND``.

Commands (each has ``--help``):

- ``demo``: the main job on the embedded breast-cancer data, with plots;
- ``fit``, ``predict``, ``evaluate``: train on a CSV file, save the model as JSON,
  use it on new rows, and measure it; a target with more than two classes is fitted
  by ``SoftmaxRegression`` (chapter 19), and its label set is reported;
  ``fit --reg cv`` chooses the penalty by cross-validation;
- ``path``: the regularization path and the cross-validated choice of ``reg``, as
  SVG plots (chapter 26);
- ``summary``: the inference table (standard errors, p-values, odds ratios), with
  ``--firth`` (Firth's penalized likelihood), ``--ci profile`` (profile intervals
  and likelihood-ratio tests) and ``--plots DIR`` (profile plots);
- ``separation``: are the classes separated, and which estimates are infinite?
- ``explain``: one gradient-descent step with every number shown;
- ``book``: the library as a static web site (chapter 38, which adds this command:
  see ``LATER_COMMANDS``);
- ``datasets``: the embedded data sets, listed or written as CSV files to try the
  other commands on.

Exit status: 0 on success, 2 on a usage error (from argparse: an unknown option, or
an option's value out of its range), 1 on a data or file error, reported as one line
on stderr (``error: ...``) without a traceback; names and text from files are
escaped on their way to the terminal (``checks.escaped``). Warnings (convergence,
separation, a plot that cannot be drawn) are printed as ``warning: ...`` lines.
Ctrl-C prints ``interrupted`` and exits with 130 (from the first moment of
``python -m logreg_pure``: the package installs the handler before it imports its
chapters); SIGTERM and SIGHUP print ``stopped by SIGTERM`` (or SIGHUP) and exit with
143 and 129 (128 + the signal), after removing any half-written file; a closed pipe
(``... | head -1``) ends the command quietly with 141, as for other Unix tools.

Nothing lost: every output path of a command is checked before any work is done
(``FILES``): it can be written, it is none of the command's inputs, and no two
outputs are one file. Every file is written whole or not at all (chapter 28).
"""

import argparse
import contextlib
import math
import os
import signal
import sys
import textwrap
import warnings
from dataclasses import replace
from typing import Any, Callable, Dict, List, Optional, Sequence, TextIO, Union

from ..part1_mathematics.checks import escaped, shown
from ..part1_mathematics.links import odds
from ..part2_problem.separation import detect_separation
from ..part3_solvers.solvers import NEWTON_MOST_PARAMETERS, SOLVERS, auto_solver, solver_refusal
from ..part4_estimators.estimator import MODEL_PENALTIES
from ..part4_estimators.features import Standardizer
from ..part4_estimators.model import LogisticRegression
from ..part4_estimators.multinomial import SoftmaxRegression
from ..part5_inference.inference import (
    Summary,
    format_likelihood_ratio_tests,
    format_softmax_summary,
    format_summary,
    summarize,
)
from ..part5_inference.metrics import (
    accuracy,
    brier_score,
    confusion_matrix,
    log_loss_from_logits,
    roc_auc,
    roc_curve,
)
from ..part5_inference.multiclass_metrics import (
    averaged_scores,
    class_scores,
    multiclass_accuracy,
    multiclass_confusion_matrix,
    multiclass_log_loss_from_scores,
    one_vs_rest_auc,
)
from ..part5_inference.distributed import equivalent_settings
from ..part5_inference.path import CrossValidatedReg, RegularizationPath, choose_reg, regularization_path
from ..part5_inference.selection import SCORINGS
from .columns import delimiter_named
from .datasets import DATASETS, export_datasets, load_study_hours
from .demo import run_demo
from .explain import explain_step
from .files import Dataset, csv_text, load_csv, load_model, save_model
from .outputs import check_distinct_files, check_output_file, check_output_folder, write_text
from .plots import (
    plot_class_regions,
    plot_coefficient_paths,
    plot_cv_curve,
    plot_decision_boundary,
    plot_objective,
    plot_roc,
    plot_sigmoid,
    summary_profile_plot,
    write_svg,
)

__all__ = ["LATER_COMMANDS", "build_parser", "main"]

# Commands whose work belongs to a later part: ``book`` writes the library as a web
# site, and the book (part 7) comes after the command line (part 6), so this chapter
# does not import it. Where the package is assembled (its ``__init__.py``), the book's
# ``add_book_command`` is put here; ``build_parser`` calls each entry with the
# parser's subcommands, in the place where ``book`` is listed.
LATER_COMMANDS: List[Callable[[Any], None]] = []

PLOT_FILES = ("objective.svg", "roc.svg", "sigmoid.svg", "boundary.svg")


def _progress(args: argparse.Namespace) -> Optional[Callable[[int, float], None]]:
    """A progress printer for long fits: on stderr, only when it is a terminal."""
    if getattr(args, "quiet", False) or not sys.stderr.isatty():
        return None

    def report(step: int, value: float) -> None:
        if step % 50 == 0:
            print(f"\r  step {step:>7}  objective {value:.6f}", end="", file=sys.stderr, flush=True)

    return report


def _counter(args: argparse.Namespace, what: str) -> Optional[Callable[[int, int], None]]:
    """A progress printer for work done in parts (the fits along a path, the parameters
    profiled): ``what done/total`` on stderr, only when it is a terminal."""
    if getattr(args, "quiet", False) or not sys.stderr.isatty():
        return None

    def report(done: int, total: int) -> None:
        print(f"\r  {what} {done}/{total}", end="", file=sys.stderr, flush=True)

    return report


def _end_progress(args: argparse.Namespace) -> None:
    if _progress(args) is not None:
        print(file=sys.stderr)


# What each command reads and writes, by argument: its inputs, its output files, and
# its output folders with the files each will hold. ``_check_files`` checks them all
# before any work. (summary's plots are named after the data's columns: their folder
# is checked first, their names as soon as the data are read; the book checks its own.)
FILES = {
    "demo": ({}, (), {"out": PLOT_FILES}),
    "fit": ({"data": "the data file"}, ("model",), {"plots": PLOT_FILES}),
    "predict": ({"model": "the model file", "data": "the data file"}, ("output",), {}),
    "path": ({"data": "the data file"}, ("out", "cv_out"), {}),
    "summary": ({"data": "the data file"}, (), {"plots": ()}),
}


def _check_files(args: argparse.Namespace, folders: Optional[dict] = None) -> None:
    """Refuse, before any work, an output that cannot be written, that is one of the
    command's inputs (``fit d.csv --model d.csv``), or that another output also names;
    ``folders`` overrides the table's planned files of an output folder."""
    inputs, files, planned = FILES.get(args.command, ({}, (), {}))
    outputs = []
    for dest in files:
        if getattr(args, dest, None):
            check_output_file(getattr(args, dest), _option_name(dest))
            outputs.append((_option_name(dest), getattr(args, dest)))
    for dest, names in (planned if folders is None else folders).items():
        if getattr(args, dest, None):
            check_output_folder(getattr(args, dest), _option_name(dest), names)
            outputs += [(_option_name(dest), os.path.join(getattr(args, dest), name)) for name in names]
    check_distinct_files(outputs, [(what, getattr(args, dest)) for dest, what in inputs.items()
                                   if getattr(args, dest, None)])


def _option_name(dest: str) -> str:
    """The option that sets an argument: ``cv_out`` is ``--cv-out``."""
    return "--" + dest.replace("_", "-")


def _write_plots(directory: str, plots: Sequence[tuple]) -> List[str]:
    os.makedirs(directory, exist_ok=True)
    written = []
    for name, svg in plots:
        write_svg(os.path.join(directory, name), svg)
        written.append(name)
    return written


# ------------------------------------------------------------------------ demo

def _demo(args: argparse.Namespace, out: TextIO) -> None:
    demo = run_demo(progress=_progress(args))
    _end_progress(args)
    print(demo.report(), file=out)
    written = _write_plots(args.out, demo.plots)
    print(f"\nPlots written to {escaped(args.out)}{os.sep}:", file=out)
    print(f"  {', '.join(written)}", file=out)
    print("Next: python -m logreg_pure explain | summary | fit --help", file=out)


# ------------------------------------------------------------------- fit & co.

def _load_table(args: argparse.Namespace, target: Optional[str], notes: TextIO, **options: Any) -> Dataset:
    """Read the command's CSV file with its table options, and print what was done
    that the user did not spell out (a detected delimiter, categories, dropped rows)."""
    if getattr(args, "features", None) is not None and getattr(args, "ignore", None) is not None:
        args.parser.error("give --features or --ignore, not both")
    for name in ("features", "ignore", "drop_missing", "decimal_comma"):
        if getattr(args, name, None) is not None and name not in options:
            options[name] = getattr(args, name)
    data = load_csv(args.data, target, delimiter=args.delimiter, **options)
    for note in data.notes:
        print(f"note: {escaped(note)}", file=notes)
    return data


def _refuse_more_parameters_than_rows(data: Dataset, source: Optional[str], *, penalized: bool,
                                      firth: bool) -> None:
    """Without a penalty, k = d + 1 parameters on n <= k rows have no unique finite
    optimum: [1, X] then has rank n (any labels are fitted exactly, so the estimates
    run off to infinity) or rank below k (a singular Hessian); Firth's information
    matrix is singular for k > n. Said at once, with the cure, instead of after a
    long fit (a 2,000 x 2,000 table ran 15 minutes to end in "singular")."""
    n, k = len(data.X), len(data.feature_names) + 1
    where = f"{source or 'the data'}: {k:,} parameters ({k - 1:,} features and the intercept) for {n:,} rows"
    if firth and k > n:
        raise ValueError(f"{where}: Firth's penalty needs at least as many rows as parameters (its information "
                         f"matrix X1^T W X1 is singular otherwise); use fewer columns (--features, --ignore)")
    if not (penalized or firth) and k >= n:
        raise ValueError(f"{where}: without a penalty there is no unique finite fit (with as many parameters as "
                         f"rows, any labels are fitted exactly and the estimates run off to infinity, or the "
                         f"Hessian is singular); give a penalty (--reg R with R > 0) or use fewer columns "
                         f"(--features, --ignore)")


def _cli_spelling(option: str, value: Any) -> str:
    """An option as it is typed on the command line: ``--solver cd``."""
    return f"--{option.replace('_', '-')} {value}"


def _solver(args: argparse.Namespace, n_classes: int = 2, n_features: Optional[int] = None) -> str:
    """The solver asked for, ``auto`` resolved as the estimators resolve it (``auto_solver``:
    Newton's method, L-BFGS beyond its size limit, or coordinate descent for a penalty with
    an L1 part); a usage error (exit 2) when chapter 15's table says it cannot fit the
    penalty for ``n_classes``."""
    solver = args.solver
    if solver == "auto":
        solver = auto_solver(args.penalty, args.l1_ratio, n_features=n_features, n_classes=n_classes)
    reason = solver_refusal(solver, args.penalty, args.l1_ratio, n_classes=n_classes, spell=_cli_spelling)
    if reason:
        args.parser.error(reason)
    return solver


def _check_fit_options(args: argparse.Namespace) -> None:
    """Usage errors (exit 2) for options that contradict each other, naming them as typed."""
    if args.penalty == "elasticnet" and args.l1_ratio is None:
        args.parser.error("--penalty elasticnet needs --l1-ratio R, the L1 share from 0 (L2) to 1 (L1)")
    if args.l1_ratio is not None and args.penalty != "elasticnet":
        args.parser.error(f"--l1-ratio {args.l1_ratio:g} is the elastic net's mix; with --penalty "
                          f"{args.penalty} leave it out (or use --penalty elasticnet)")
    if args.penalty == "firth" and args.reg != 0.0:
        shown_reg = "cv" if args.reg == "cv" else f"{args.reg:g}"
        args.parser.error(f"--reg {shown_reg}: --penalty firth has its own penalty, (1/2) log det I, with no "
                          f"strength to set or choose; leave out --reg")


def _refuse_a_penalty_without_strength(args: argparse.Namespace) -> None:
    """A usage error (exit 2) for --penalty l1 or elasticnet with --reg 0: no penalty at all,
    a flag without effect (the estimators refuse it too)."""
    if args.penalty in ("l1", "elasticnet") and args.reg == 0.0:
        args.parser.error(f"--penalty {args.penalty} with --reg 0 (the default) is no penalty at all; give "
                          f"--reg R > 0 (its strength) or --reg cv")


def _refuse_for_fit_classes(args: argparse.Namespace, data: Dataset) -> None:
    """Usage errors (exit 2) for the fit options that are for two classes only: the
    solver table's (Firth's penalty), and the cross-validated choice of reg."""
    n_classes = len(data.label_mapping)
    classes = f"the target {shown(data.target_name)} has {n_classes} classes"
    if n_classes > 2 and args.reg == "cv":
        args.parser.error(f"--reg cv chooses the penalty of a two-class model, and {classes}; give --reg "
                          f"a number")
    reason = solver_refusal(_solver(args), args.penalty, args.l1_ratio, n_classes=n_classes, spell=_cli_spelling)
    if reason:
        args.parser.error(f"{reason}: {classes}")


def _fit(args: argparse.Namespace, out: TextIO) -> None:
    _check_fit_options(args)
    _solver(args)  # a contradiction between --solver and --penalty is refused before the data are read
    _refuse_a_penalty_without_strength(args)
    data = _load_table(args, args.target, out, multiclass=True)
    _refuse_more_parameters_than_rows(data, args.data, penalized=args.reg != 0.0, firth=args.penalty == "firth")
    multiclass = len(data.label_mapping) > 2
    _refuse_for_fit_classes(args, data)
    model = _new_model(args, _solver(args, len(data.label_mapping), len(data.feature_names)), multiclass)  # before a long cross-validation
    if args.reg == "cv":
        model.set_params(reg=_cross_validated_reg(args, data, out))
    standardizer = Standardizer().fit(data.X) if args.standardize else None
    rows = standardizer.transform(data.X) if standardizer else data.X
    labels = [int(code) for code in data.y] if multiclass else data.y
    model.fit(rows, labels, feature_names=data.feature_names, progress=_progress(args))
    _end_progress(args)
    plots = _drawable_plots(data, model, rows) if args.plots else []
    save_model(args.model, model, feature_names=data.feature_names, target_name=data.target_name,
               label_mapping=data.label_mapping, standardizer=standardizer, columns=data.columns)
    (_print_softmax_fit if multiclass else _print_fit)(data, model, rows, standardizer is not None, out)
    print(f"Training accuracy {model.score(rows, labels):.3f}. Model saved to {escaped(args.model)}", file=out)
    if args.equivalents:
        _print_equivalents(model, labels, args.standardize, out)
    if plots:
        written = _write_plots(args.plots, plots)
        print(f"Plots written to {escaped(args.plots)}{os.sep}: {', '.join(written)}", file=out)


def _print_equivalents(model: Any, labels: List[Any], standardized: bool, out: TextIO) -> None:
    """``fit --equivalents``: the same fit elsewhere (chapter 27's ``equivalent_settings``)."""
    columns = "the standardized columns" if standardized else "the same columns"
    print(f"The same fit elsewhere (on {columns}, with the labels coded as here):", file=out)
    for library, same in equivalent_settings(model, labels).items():
        print(f"  {library}: {same.call or same.rule}", file=out)
    if model.class_weight:
        print("  (s: each row's class weight, n / (K n_k); scikit-learn takes class_weight itself)", file=out)


def _new_model(args: argparse.Namespace, solver: str, multiclass: bool) -> Any:
    """The model the options ask for: softmax regression for more than two classes."""
    # With --reg cv, reg 1 stands in (so the checks see a penalty) until the choice replaces it.
    options = dict(lr=args.lr, epochs=args.epochs, reg=1.0 if args.reg == "cv" else args.reg, tol=args.tol,
                   solver=solver, penalty=args.penalty, l1_ratio=args.l1_ratio, batch_size=args.batch_size,
                   random_state=args.random_state, class_weight=args.class_weight)
    return (SoftmaxRegression if multiclass else LogisticRegression)(**options).check_params()


def _drawable_plots(data: Dataset, model: Any, rows: List[List[float]]) -> List[tuple]:
    """The fit's plots, or none with a warning if they cannot be drawn: a plot never
    fails a fit whose model can be saved. (For more than two classes: see _softmax_plots.)"""
    try:
        if isinstance(model, SoftmaxRegression):
            return _softmax_plots(data, model, rows)
        return _fit_plots(data, model, rows)
    except ValueError as error:
        warnings.warn(f"no plots written: {error}", UserWarning)
        return []


CV_FOLDS, CV_SEED = 5, 0  # fit --reg cv: 5 stratified folds, shuffled with seed 0


def _cross_validated_reg(args: argparse.Namespace, data: Dataset, out: TextIO) -> float:
    """``fit --reg cv``: the one-standard-error reg of k-fold cross-validation, reported."""
    l1_ratio = {"l1": 1.0, "l2": 0.0}.get(args.penalty, args.l1_ratio)
    choice = choose_reg(data.X, data.y, k=CV_FOLDS, random_state=CV_SEED, standardize=args.standardize,
                        l1_ratio=l1_ratio, progress=_counter(args, "cross-validation: fit"))
    _end_progress(args)
    print(f"reg = {choice.one_se_reg:.4g}, chosen by {CV_FOLDS}-fold cross-validation (stratified, seed "
          f"{CV_SEED}; log loss): the largest reg within one standard error of the best, "
          f"{choice.best_reg:.4g} (glmnet's one-standard-error rule)", file=out)
    return choice.one_se_reg


def _print_fit(data: Dataset, model: LogisticRegression, rows: List[List[float]], standardized: bool,
               out: TextIO) -> None:
    codes = ", ".join(f"{code} = {shown(label)}"
                      for label, code in sorted(data.label_mapping.items(), key=lambda kv: kv[1]))
    d = len(data.feature_names)
    print(f"Fit {len(rows)} rows, {d} feature{'s' if d != 1 else ''}; target {shown(data.target_name)} ({codes})",
          file=out)
    print(f"Solver {model.solver}: {model.stop_reason_} after {model.n_iter_} steps; objective "
          f"{model.loss_history_[0]:.6f} -> {model.loss_history_[-1]:.6f}", file=out)
    units = " (per standard deviation)" if standardized else ""
    print(f"{'':<24} {'coef':>10} {'odds ratio' + units:>12}", file=out)
    print(f"{'intercept':<24} {model.intercept_:>10.4f}", file=out)
    for name, coef in zip(data.feature_names, model.coef_):
        print(f"{shown(name, 24, quoted=False):<24} {coef:>10.4f} {odds(coef):>12.4g}", file=out)


def _print_softmax_fit(data: Dataset, model: SoftmaxRegression, rows: List[List[float]], standardized: bool,
                       out: TextIO) -> None:
    """The label set, the fit's course, and each class's coefficients and exp(coef)."""
    classes = data.classes()
    d = len(data.feature_names)
    print(f"Fit {len(rows)} rows, {d} feature{'s' if d != 1 else ''}; target {shown(data.target_name)} with "
          f"{len(classes)} classes: {', '.join(map(shown, classes))}", file=out)
    print(f"Solver {model.solver}: {model.stop_reason_} after {model.n_iter_} steps; objective "
          f"{model.loss_history_[0]:.6f} -> {model.loss_history_[-1]:.6f}", file=out)
    units = " (per standard deviation)" if standardized else ""
    listed = range(1, len(classes)) if model.reference_ else range(len(classes))
    for k in listed:
        against = f" against {shown(classes[0])} (the reference class)" if model.reference_ else ""
        print(f"Class {shown(classes[k])}{against}: coef and exp(coef){units}", file=out)
        print(f"  {'intercept':<22} {model.intercept_[k]:>10.4f}", file=out)
        for name, coef in zip(data.feature_names, model.coef_[k]):
            print(f"  {shown(name, 22, quoted=False):<22} {coef:>10.4f} {odds(coef):>12.4g}", file=out)


def _fit_plots(data: Dataset, model: LogisticRegression, rows: List[List[float]]) -> List[tuple]:
    """The objective and ROC plots, and the sigmoid (one feature) or boundary (two)."""
    z = model.decision_function(rows)
    fpr, tpr, _ = roc_curve(data.y, z)
    auc = roc_auc(data.y, z)
    plots = [("objective.svg", plot_objective(model.loss_history_)),
             ("roc.svg", plot_roc(fpr, tpr, auc, title=f"ROC on the training rows (AUC = {auc:.3f})"))]
    if len(data.feature_names) == 1:
        plots.append(("sigmoid.svg", plot_sigmoid([r[0] for r in rows], data.y, model.coef_[0],
                                                  model.intercept_, feature_name=data.feature_names[0],
                                                  target_name=data.target_name)))
    if len(data.feature_names) == 2:
        plots.append(("boundary.svg", plot_decision_boundary(rows, data.y, model.coef_, model.intercept_,
                                                             feature_names=data.feature_names)))
    return plots


def _softmax_plots(data: Dataset, model: SoftmaxRegression, rows: List[List[float]]) -> List[tuple]:
    """K classes: the objective, each class's ROC against the rest, and the regions of
    the predicted classes (two features)."""
    plots = [("objective.svg", plot_objective(model.loss_history_))]
    probabilities = model.predict_proba(rows)
    for k, name in enumerate(data.classes()):
        truth, scores = [1.0 if code == k else 0.0 for code in data.y], [p[k] for p in probabilities]
        fpr, tpr, _ = roc_curve(truth, scores)
        plots.append((f"roc_{k}_{_file_safe(name)}.svg",
                      plot_roc(fpr, tpr, roc_auc(truth, scores), title=f"ROC of class {shown(name)} against the "
                               f"rest (AUC = {roc_auc(truth, scores):.3f})")))
    if len(data.feature_names) == 2:
        plots.append(("boundary.svg", plot_class_regions(rows, data.y, model.predict, classes=data.classes(),
                                                         feature_names=data.feature_names)))
    return plots


def _predict(args: argparse.Namespace, out: TextIO) -> None:
    saved = load_model(args.model)
    data = _load_table(args, None, sys.stderr, columns=saved.columns)
    rows = _softmax_predictions(args, saved, data.X) if saved.multiclass else _binary_predictions(args, saved, data.X)
    if not args.output and getattr(out, "isatty", lambda: False)():  # a screen: labels from a file escaped
        rows = [[escaped(str(cell)) for cell in row] for row in rows]
    text = csv_text(rows)  # a file or a pipe gets the labels exactly
    if args.output:
        write_text(args.output, text)
    else:
        out.write(text)


def _binary_predictions(args: argparse.Namespace, saved: Any, X: List[List[float]]) -> List[List[str]]:
    if args.proba:
        return [["probability"]] + [[f"{p:.17g}"] for p in saved.probability(X)]
    return [["prediction"]] + [[saved.label_of(c)] for c in saved.predict(X, args.threshold)]


def _softmax_predictions(args: argparse.Namespace, saved: Any, X: List[List[float]]) -> List[List[str]]:
    """A header and one row per data row: the predicted label, or one probability per class."""
    labels = saved.class_labels()
    if args.threshold != 0.5:
        args.parser.error(f"--threshold {args.threshold:g} applies to two-class models only; {args.model} has "
                          f"{len(labels)} classes and predicts the most probable one: leave out --threshold")
    if args.proba:
        return [labels] + [[f"{p:.17g}" for p in row] for row in saved.predict_proba(X)]
    classes = list(saved.model.classes_)
    return [["prediction"]] + [[labels[classes.index(c)]] for c in saved.predict(X)]


def _evaluate(args: argparse.Namespace, out: TextIO) -> None:
    saved = load_model(args.model)
    data = _load_table(args, args.target, out, columns=saved.columns, label_mapping=saved.label_mapping,
                       multiclass=saved.multiclass)
    if saved.multiclass:
        _evaluate_softmax(args, saved, data, out)
        return
    z = _finite_log_odds(saved.decision_function(data.X), args.data)  # before any line is printed
    probabilities = saved.probability(data.X)
    predicted = saved.predict(data.X)
    m = confusion_matrix(data.y, predicted)
    print(f"{len(data.X)} rows of {escaped(args.data)}; class 1 = {shown(saved.label_of(1))}", file=out)
    print(f"  accuracy     {accuracy(data.y, predicted):.4f}", file=out)
    if 0.0 < sum(data.y) < len(data.y):
        print(f"  AUC          {roc_auc(data.y, z):.4f}", file=out)
    else:
        print("  AUC          undefined (only one class in these rows)", file=out)
    print(f"  log loss     {log_loss_from_logits(data.y, z):.4f}", file=out)
    print(f"  Brier score  {brier_score(data.y, probabilities):.4f}", file=out)
    print("  confusion matrix    predicted 0  predicted 1", file=out)
    print(f"    actual 0          {m.tn:>9}  {m.fp:>11}", file=out)
    print(f"    actual 1          {m.fn:>9}  {m.tp:>11}", file=out)


def _finite_log_odds(z: List[float], source: str) -> List[float]:
    """The rows' log-odds, or a ``ValueError`` naming the first row (line) whose log-odds is
    beyond the float range: its features are far beyond those the model was fit on."""
    for i, value in enumerate(z):
        if not math.isfinite(value):
            raise ValueError(f"{source}, data row {i + 1}: its log-odds w.x + b is beyond the float range "
                             f"({value!r}): its features are far larger than the model can score")
    return z


def _evaluate_softmax(args: argparse.Namespace, saved: Any, data: Dataset, out: TextIO) -> None:
    """Accuracy, log loss, one-vs-rest AUC, per-class and averaged scores, the K x K matrix."""
    labels = saved.class_labels()
    truth = [labels[int(code)] for code in data.y]
    predicted = [labels[list(saved.model.classes_).index(c)] for c in saved.predict(data.X)]
    print(f"{len(data.X)} rows of {escaped(args.data)}; {len(labels)} classes: {', '.join(map(shown, labels))}",
          file=out)
    print(f"  accuracy              {multiclass_accuracy(truth, predicted):.4f}", file=out)
    loss = multiclass_log_loss_from_scores(truth, saved.decision_function(data.X), labels)
    print(f"  log loss              {loss:.4f}", file=out)
    if len(set(truth)) == len(labels):
        print(f"  AUC (one-vs-rest)     {one_vs_rest_auc(truth, saved.predict_proba(data.X), labels):.4f}", file=out)
    else:
        print("  AUC (one-vs-rest)     undefined (a class has no rows here)", file=out)
    _print_class_scores(truth, predicted, labels, out)


def _print_class_scores(truth: List[str], predicted: List[str], labels: List[str], out: TextIO) -> None:
    """Per class and averaged precision, recall and F1 (undefined: "-", averaged as 0), then C."""
    width = max(16, max(len(label) for label in labels))
    print(f"  {'class':<{width}} {'precision':>9} {'recall':>7} {'F1':>7} {'support':>8}", file=out)
    for s in class_scores(truth, predicted, labels):
        cells = ["-" if v is None else f"{v:.4f}" for v in (s.precision, s.recall, s.f1)]
        print(f"  {shown(s.label, width, quoted=False):<{width}} {cells[0]:>9} {cells[1]:>7} {cells[2]:>7} {s.support:>8}", file=out)
    for average in ("macro", "weighted"):
        p, r, f = averaged_scores(truth, predicted, average, labels=labels, zero_division=0.0)
        print(f"  {average + ' average':<{width}} {p:>9.4f} {r:>7.4f} {f:>7.4f} {len(truth):>8}", file=out)
    _, C = multiclass_confusion_matrix(truth, predicted, labels)
    print("  confusion matrix (rows: actual, columns: predicted, in the order above)", file=out)
    for label, row in zip(labels, C):
        print(f"    {shown(label, width, quoted=False):<{width}} " + " ".join(f"{count:>6}" for count in row), file=out)


def _data_or_study_hours(args: argparse.Namespace, out: TextIO) -> Dataset:
    if args.data is None:
        return load_study_hours()
    if args.target is None:
        args.parser.error("--target is required with a data file")
    return _load_table(args, args.target, out, multiclass=args.command == "summary")


def _summary(args: argparse.Namespace, out: TextIO) -> None:
    data = _data_or_study_hours(args, out)
    rows = Standardizer().fit_transform(data.X) if args.standardize else data.X
    if len(data.label_mapping) > 2:
        _softmax_summary(args, data, rows, out)
        return
    if args.plots:
        _check_files(args, {"plots": _profile_files(["intercept"] + data.feature_names)})
    model = _summary_model(args, data, rows)
    result = summarize(model, rows, data.y, target_name=data.target_name)
    if args.ci == "profile":
        _profile_with_progress(args, result)
    print(format_summary(result, method=args.ci), file=out)
    if args.standardize:
        print("(features standardized: each coefficient is per standard deviation of its feature)", file=out)
    _print_summary_tail(args, result, out)


def _refuse_reg_for_summary(args: argparse.Namespace) -> None:
    """Usage errors (exit 2) for a summary's --reg that contradicts its other options."""
    if args.firth and args.reg != 0.0:
        args.parser.error("--firth has its own penalty: leave out --reg")
    refits = [flag for flag, given in (("--ci profile", args.ci == "profile"), ("--plots", args.plots)) if given]
    if refits and args.reg != 0.0:
        args.parser.error(f"{' and '.join(refits)} refit the likelihood with parameters held, which a ridge fit "
                          f"(--reg {args.reg:g}) does not maximize: leave out --reg, or use --firth")


def _summary_model(args: argparse.Namespace, data: Dataset, rows: List[List[float]]) -> LogisticRegression:
    """The fit the summary describes: maximum likelihood (or Firth's, or penalized) by Newton."""
    _refuse_reg_for_summary(args)
    _refuse_more_parameters_than_rows(data, args.data, penalized=args.reg != 0.0, firth=args.firth)
    model = LogisticRegression(solver="newton", reg=args.reg, tol=1e-10, penalty="firth" if args.firth else "l2")
    model.fit(rows, data.y, feature_names=data.feature_names)
    if not model.converged_ and model.stop_reason_ != "separated" and not args.standardize:
        raise ValueError(f"the fit did not converge ({model.stop_reason_}), so there is no table to show; "
                         f"try summary --standardize (the warning below says why)")
    return model


def _print_summary_tail(args: argparse.Namespace, result: Summary, out: TextIO) -> None:
    """Under the table: the likelihood-ratio tests (with profile intervals), the sentences, the plots."""
    if args.ci == "profile":
        print(file=out)
        print(format_likelihood_ratio_tests(result), file=out)
    print(file=out)
    unit = "standard deviation" if args.standardize else "unit"
    for sentence in result.interpret(method=args.ci, unit=unit):
        print(sentence, file=out)
    if args.plots:
        written = _write_plots(args.plots, _profile_plots(result))
        print(f"\nProfile plots written to {escaped(args.plots)}{os.sep}: {', '.join(written)}", file=out)


def _profile_with_progress(args: argparse.Namespace, result: Summary, alpha: float = 0.05) -> None:
    """Compute (and keep) each parameter's profile interval, reporting progress on a
    terminal: the refits grow like d^2.5 and take minutes for a few hundred features."""
    report = _counter(args, "profile intervals: parameter")
    for j in range(len(result.params)):
        result.profile_interval(j, alpha)
        if report is not None:
            report(j + 1, len(result.params))
    _end_progress(args)


def _profile_files(names: Sequence[str]) -> List[str]:
    """``profile_NAME.svg`` per parameter, NAME made safe for a file name; a name that
    another already took gets the parameter's position too, so no plot replaces another."""
    files: List[str] = []
    taken = set()
    for j, name in enumerate(names):
        file = f"profile_{_file_safe(name)}.svg"
        files.append(file if file not in taken else f"profile_{_file_safe(name)}_{j}.svg")
        taken.add(files[-1])
    return files


def _profile_plots(result: Any, alpha: float = 0.05) -> List[tuple]:
    """One SVG per parameter: its profile log-likelihood, the cut and the interval."""
    return [(file, summary_profile_plot(result, j, alpha))
            for j, file in enumerate(_profile_files(result.flat_parameters()[0]))]


def _file_safe(name: str) -> str:
    """A parameter name as part of a file name: letters, digits, '-' and '_' only."""
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in name) or "parameter"


def _separation(args: argparse.Namespace, out: TextIO) -> None:
    data = _load_table(args, args.target, out)
    codes = ", ".join(f"{code} = {shown(label)}" for label, code in sorted(data.label_mapping.items(),
                                                                           key=lambda kv: kv[1]))
    print(f"{len(data.X)} rows of {escaped(args.data)}; target {shown(data.target_name)} ({codes})", file=out)
    verdict = detect_separation(data.X, data.y, feature_names=data.feature_names)
    print(verdict, file=out)
    if verdict.separated:
        print("Maximum likelihood cannot fit these data; try: summary --firth (Firth's penalized "
              "likelihood) or fit --reg R", file=out)


def _softmax_summary(args: argparse.Namespace, data: Dataset, rows: List[List[float]], out: TextIO) -> None:
    """MNLogit's table: one block per class against the first, the reference; with
    ``--ci profile`` profile intervals and likelihood-ratio tests, with ``--plots`` the
    profiles, as for two classes."""
    _refuse_for_classes(args, data)
    if args.plots:
        parameters = ["intercept"] + data.feature_names
        _check_files(args, {"plots": _profile_files([f"{label}: {name}" for label in data.classes()[1:]
                                                     for name in parameters])})
    _refuse_more_parameters_than_rows(data, args.data, penalized=args.reg != 0.0, firth=args.firth)
    print(f"Target {shown(data.target_name)}: {len(data.label_mapping)} classes "
          f"({', '.join(map(shown, data.classes()))}); the first is the reference", file=out)
    codes = [int(code) for code in data.y]  # fitted on the codes: the classes keep the data's order
    model = SoftmaxRegression(solver="newton", reg=0.0, tol=1e-10).fit(
        rows, codes, feature_names=data.feature_names)
    names = data.classes()
    result = replace(summarize(model, rows, codes, target_name=data.target_name),
                     class_names=names[1:], reference_class=names[0])
    print(format_softmax_summary(result, method=args.ci), file=out)
    if args.standardize:
        print("(features standardized: each coefficient is per standard deviation of its feature)", file=out)
    _print_summary_tail(args, result, out)


def _summary_spelling(option: str, value: Any) -> str:
    """An option as summary's user typed it: Firth's penalty is its flag, ``--firth``."""
    return "--firth" if option == "penalty" else _cli_spelling(option, value)


def _refuse_for_classes(args: argparse.Namespace, data: Dataset) -> None:
    """Usage errors (exit 2) for the summary options that have no meaning for K classes."""
    classes = f"the target {shown(data.target_name)} has {len(data.label_mapping)} classes"
    refusal = solver_refusal("newton", "firth", n_classes=len(data.label_mapping), spell=_summary_spelling)
    if args.firth and refusal:  # chapter 15's table says it, as for fit
        args.parser.error(f"{refusal}: {classes}; leave out --firth (the table is maximum likelihood, as "
                          f"statsmodels' MNLogit)")
    if args.reg != 0.0:
        args.parser.error(f"--reg {args.reg:g}: {classes}, whose table (MNLogit's) is maximum likelihood: "
                          f"with a penalty every class keeps its own parameters, not contrasts against "
                          f"a reference class; leave out --reg")


def _explain(args: argparse.Namespace, out: TextIO) -> None:
    data = _data_or_study_hours(args, out)
    title = "the study-hours data" if args.data is None else args.data
    print(explain_step(data.X, data.y, lr=args.lr, reg=args.reg, feature_names=data.feature_names,
                       rows=args.rows, title=title), file=out)


def _path(args: argparse.Namespace, out: TextIO) -> None:
    data = _load_table(args, args.target, out)
    rows = Standardizer().fit_transform(data.X) if args.standardize else data.X
    path = regularization_path(rows, data.y, l1_ratio=args.l1_ratio, n_regs=args.n_regs,
                               feature_names=data.feature_names, progress=_counter(args, "path: fit"))
    _end_progress(args)
    choice = choose_reg(data.X, data.y, path.regs, k=args.folds, random_state=args.seed,
                        standardize=args.standardize, l1_ratio=args.l1_ratio, scoring=args.scoring,
                        progress=_counter(args, "cross-validation: fit"))
    _end_progress(args)
    svg = plot_coefficient_paths(path.regs, path.coefs, feature_names=path.feature_names,
                                 chosen_reg=choice.one_se_reg,
                                 title=f"Regularization path (l1_ratio = {args.l1_ratio:g})")
    cv_svg = plot_cv_curve(choice.regs, choice.mean_scores, choice.std_errors, best_reg=choice.best_reg,
                           one_se_reg=choice.one_se_reg, scoring=args.scoring,
                           title=f"{args.folds}-fold cross-validation")
    _print_path(path, choice, args, out)
    write_svg(args.out, svg)
    written = [args.out]
    if args.cv_out:
        write_svg(args.cv_out, cv_svg)
        written.append(args.cv_out)
    print(f"Wrote {' and '.join(map(escaped, written))}", file=out)


def _print_path(path: RegularizationPath, choice: CrossValidatedReg, args: argparse.Namespace,
                out: TextIO) -> None:
    """The grid, every tenth point and the two choices, and the weights kept at the one-SE reg."""
    scaled = "standardized features" if args.standardize else "features as given"
    print(f"Regularization path: {len(path.regs)} regs from {path.regs[0]:.4g} down to {path.regs[-1]:.4g} "
          f"(l1_ratio = {args.l1_ratio:g}; {scaled})", file=out)
    print(f"{args.folds}-fold cross-validation (stratified, seed {args.seed}), mean {args.scoring} "
          f"+/- one standard error:", file=out)
    print(f"  {'reg':>10} {'non-zero':>8} {args.scoring:>10} {'s.e.':>8}", file=out)
    marks = {choice.best_reg: "best", choice.one_se_reg: "one-SE (marked)"}
    for r, reg in enumerate(path.regs):
        if r % 10 == 0 or reg in marks or r == len(path.regs) - 1:
            print(_path_line(path, choice, r, marks), file=out)
    kept = [(name, w) for name, w in zip(path.feature_names, choice.model.coef_) if w != 0.0]
    print(f"Weights kept at the one-SE reg ({len(kept)} of {len(path.feature_names)}): "
          + ", ".join(f"{shown(name, 30, quoted=False)} {w:+.3g}" for name, w in kept), file=out)


def _path_line(path: RegularizationPath, choice: CrossValidatedReg, r: int, marks: Dict[float, str]) -> str:
    """Point ``r`` of the path: its reg, the weights kept, the mean score and its error, and its marks."""
    reg = path.regs[r]
    line = (f"  {reg:>10.4g} {path.n_nonzero[r]:>8} {choice.mean_scores[r]:>10.4f} "
            f"{choice.std_errors[r]:>8.4f}  {' + '.join(m for g, m in marks.items() if g == reg)}")
    return line.rstrip()


def _datasets(args: argparse.Namespace, out: TextIO) -> None:
    if args.export is None:
        print("Embedded data sets (logreg_pure/part6_command_line/datasets/ in a source checkout):", file=out)
        for data in DATASETS.values():
            print(f"  {data.filename} (target {data.target!r})", file=out)
            print(textwrap.fill(data.description, width=78, initial_indent="    ", subsequent_indent="    "),
                  file=out)
        print("Write them as CSV files: python -m logreg_pure datasets --export DIR", file=out)
        return
    paths = export_datasets(args.export)
    print(f"Wrote {', '.join(os.path.basename(p) for p in paths)} to {escaped(args.export)}{os.sep} "
          f"(the embedded data, unchanged). Try:", file=out)
    first, data = paths[0], next(iter(DATASETS.values()))
    print(f"  python -m logreg_pure fit {first} --target {data.target} --model model.json --plots plots", file=out)
    print(f"  python -m logreg_pure summary {first} --target {data.target}", file=out)


# ---------------------------------------------------------------------- parser

def _option_type(name: str, convert: Callable[[str], float], test: Callable[[float], bool],
                 requirement: str) -> Callable[[str], float]:
    """An argparse type: ``convert`` the text, then require ``test`` (usage error, exit 2)."""
    def parse(text: str) -> float:
        try:
            value = convert(text)
        except (ValueError, OverflowError):
            raise argparse.ArgumentTypeError(f"{text!r} is not {name}") from None
        if not test(value):
            raise argparse.ArgumentTypeError(f"must be {requirement}, got {text!r}")
        return value

    parse.__name__ = name
    return parse


def _delimiter(text: str) -> str:
    try:
        return delimiter_named(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _column_names(text: str) -> List[str]:
    """``a,b,c`` as a list of column names (spaces around the commas are dropped)."""
    return [name.strip() for name in text.split(",")]


def _table_options(command: argparse.ArgumentParser, *, choose: bool = True, drop: bool = True) -> None:
    """The options that say how to read a CSV file, shared by the commands that read one."""
    command.add_argument("--delimiter", type=_delimiter, metavar="C",
                         help="field separator: one character, or comma, semicolon, tab, pipe "
                              "(default: detected from the header)")
    if choose:
        command.add_argument("--features", type=_column_names, metavar="COL,...",
                             help="use only these columns as features")
        command.add_argument("--ignore", type=_column_names, metavar="COL,...",
                             help="leave these columns out (an index or an identifier)")
    if drop:
        command.add_argument("--drop-missing", action="store_true",
                             help="drop rows with a missing value (and say how many), instead of stopping")
    command.add_argument("--decimal-comma", action="store_true",
                         help="read feature cells such as 0,5 as numbers (a point is then refused: 1.500)")


_positive_int = _option_type("a whole number", int, lambda v: v >= 1, "at least 1")


def _count(most: int) -> Callable[[str], float]:
    """A count option: a whole number from 1 to ``most``. Every count is bounded, so that
    none can ask for more memory than a machine has (``--n-regs 1000000000`` did)."""
    return _option_type("a whole number", int, lambda v: 1 <= v <= most, f"between 1 and {most:,}")


MOST_EPOCHS = 10_000_000  # the objective's history keeps one float per step: at most about 320 MB
MOST_REGS = 10_000  # a path's grid: one fit, and one row of weights, per reg
MOST_ROWS_SHOWN = 1_000  # explain prints a few lines per row
MOST_BATCH = 10_000_000  # more rows than any table this library reads
_folds = _option_type("a whole number", int, lambda v: 2 <= v <= MOST_REGS,
                      f"at least 2 (each fold is tested once by a model fit on the others) and at most "
                      f"{MOST_REGS:,}")
_any_int = _option_type("a whole number", int, lambda v: True, "a whole number")
_non_negative = _option_type("a number", float, lambda v: 0.0 <= v < math.inf, "a finite number >= 0")
_positive = _option_type("a number", float, lambda v: 0.0 < v < math.inf, "a finite number > 0")
_probability = _option_type("a number", float, lambda v: 0.0 < v < 1.0, "strictly between 0 and 1")


def _reg_or_cv(text: str) -> Union[str, float]:
    """``--reg``: a finite number >= 0, or ``cv`` to choose it by cross-validation."""
    if text.strip().lower() == "cv":
        return "cv"
    try:
        return _non_negative(text)
    except argparse.ArgumentTypeError:
        raise argparse.ArgumentTypeError(f"must be a finite number >= 0, or 'cv', got {text!r}") from None


_ratio = _option_type("a number", float, lambda v: 0.0 <= v <= 1.0, "between 0 (pure L2) and 1 (pure L1)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m logreg_pure",
        description="Logistic regression in plain Python: fit, understand and evaluate.")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True

    demo = commands.add_parser("demo", help="the main job on the embedded breast-cancer data",
                               description="Standardize the breast-cancer data, hold out a quarter, fit "
                                           "with Newton's method, report held-out accuracy, AUC and log "
                                           "loss against a baseline, and write plots.")
    demo.add_argument("--out", default="logreg_demo_plots", metavar="DIR",
                      help="folder for the SVG plots (default: %(default)s)")
    demo.add_argument("--quiet", action="store_true", help="no progress output")
    demo.set_defaults(run=_demo)

    fit = commands.add_parser("fit", help="fit a CSV file and save the model as JSON",
                              description="Fit a logistic regression to DATA.csv (header row; numeric "
                                          "feature columns; a target column of two classes, or of more, "
                                          "fitted by multinomial (softmax) regression).")
    fit.add_argument("data", metavar="DATA.csv")
    fit.add_argument("--target", required=True, metavar="COL", help="the target column (two or more classes)")
    fit.add_argument("--model", required=True, metavar="MODEL.json", help="where to save the model")
    fit.add_argument("--solver", choices=("auto",) + SOLVERS, default="auto",
                     help=f"default: %(default)s, that is newton (lbfgs beyond {NEWTON_MOST_PARAMETERS} parameters, "
                          f"(features + 1) x (classes - 1)), or cd for a penalty with an L1 part")
    fit.add_argument("--penalty", choices=MODEL_PENALTIES, default="l2",
                     help="default: %(default)s; firth is for two classes, fitted by newton, with no --reg")
    fit.add_argument("--reg", type=_reg_or_cv, default=0.0,
                     help="penalty strength, or 'cv' to choose it by 5-fold cross-validation with the "
                          "one-standard-error rule (default: %(default)s)")
    fit.add_argument("--l1-ratio", type=_ratio, default=None, metavar="R",
                     help="for --penalty elasticnet: the L1 share, 0 (L2) to 1 (L1)")
    fit.add_argument("--lr", type=_positive, default=0.1, help="step size for gd and sgd (default: %(default)s)")
    fit.add_argument("--epochs", type=_count(MOST_EPOCHS), default=1000,
                     help=f"most steps, up to {MOST_EPOCHS:,} (default: %(default)s)")
    fit.add_argument("--tol", type=_non_negative, default=1e-8, help="stop at this gradient size (default: %(default)s)")
    fit.add_argument("--batch-size", type=_count(MOST_BATCH), default=1, metavar="N",
                     help="rows per step for sgd (default: %(default)s)")
    fit.add_argument("--random-state", type=_any_int, metavar="SEED", help="seed of sgd's shuffling")
    fit.add_argument("--class-weight", choices=["balanced"],
                     help="balanced: weigh class c by n / (K n_c), K the number of classes")
    fit.add_argument("--standardize", action="store_true", help="standardize the features first")
    fit.add_argument("--plots", metavar="DIR", help="write SVG plots to this folder")
    fit.add_argument("--equivalents", action="store_true",
                     help="also print the settings that fit the same model in scikit-learn, statsmodels, "
                          "glmnet and Spark MLlib")
    _table_options(fit)
    fit.add_argument("--quiet", action="store_true", help="no progress output")
    fit.set_defaults(run=_fit, parser=fit)

    predict = commands.add_parser("predict", help="predict rows of a CSV file with a saved model",
                                  description="Write one prediction per row of DATA.csv as CSV.")
    predict.add_argument("model", metavar="MODEL.json")
    predict.add_argument("data", metavar="DATA.csv")
    predict.add_argument("--proba", action="store_true",
                         help="print P(class 1) instead of the label; with more than two classes, one "
                              "column per class, headed by its label")
    predict.add_argument("--threshold", type=_probability, default=0.5,
                         help="cut for the label, two-class models only (default: %(default)s)")
    predict.add_argument("--output", metavar="FILE", help="write here instead of standard output")
    _table_options(predict, choose=False, drop=False)
    predict.set_defaults(run=_predict, parser=predict)

    evaluate = commands.add_parser("evaluate", help="measure a saved model on a labelled CSV file",
                                   description="Accuracy, AUC, log loss, Brier score and the confusion "
                                               "matrix of MODEL.json on DATA.csv.")
    evaluate.add_argument("model", metavar="MODEL.json")
    evaluate.add_argument("data", metavar="DATA.csv")
    evaluate.add_argument("--target", required=True, metavar="COL")
    _table_options(evaluate, choose=False)
    evaluate.set_defaults(run=_evaluate, parser=evaluate)

    summary = commands.add_parser("summary", help="the inference table (default: study-hours data)",
                                  description="Fit by maximum likelihood and print coefficients with "
                                              "standard errors, z, p-values, intervals and odds ratios.")
    summary.add_argument("data", nargs="?", metavar="DATA.csv")
    summary.add_argument("--target", metavar="COL")
    summary.add_argument("--reg", type=_non_negative, default=0.0, help="penalty (the table then says 'penalized')")
    summary.add_argument("--standardize", action="store_true",
                         help="standardize the features first (coefficients per standard deviation)")
    _table_options(summary)
    summary.add_argument("--firth", action="store_true",
                         help="Firth's penalized likelihood (logistf's conventions): finite under separation")
    summary.add_argument("--ci", choices=("wald", "profile"), default="wald",
                         help="intervals: wald, or profile likelihood with likelihood-ratio tests "
                              "(default: %(default)s)")
    summary.add_argument("--plots", metavar="DIR", help="write each parameter's profile log-likelihood "
                                                        "as an SVG to this folder")
    summary.add_argument("--quiet", action="store_true", help="no progress output (--ci profile)")
    summary.set_defaults(run=_summary, parser=summary)

    explain = commands.add_parser("explain", help="one gradient-descent step, every number shown",
                                  description="Show z, p, p - y and (p - y) x for a few rows, then the "
                                              "averaged gradient, the penalty, the step and the loss.")
    explain.add_argument("data", nargs="?", metavar="DATA.csv")
    explain.add_argument("--target", metavar="COL")
    explain.add_argument("--lr", type=_positive, default=0.1, help="default: %(default)s")
    explain.add_argument("--reg", type=_non_negative, default=0.0, help="default: %(default)s")
    explain.add_argument("--rows", type=_count(MOST_ROWS_SHOWN), default=5,
                         help=f"rows to show, up to {MOST_ROWS_SHOWN:,} (default: %(default)s)")
    _table_options(explain)
    explain.set_defaults(run=_explain, parser=explain)

    path = commands.add_parser("path", help="the regularization path and reg chosen by cross-validation",
                               description="Fit the elastic net along a grid of penalties (from reg_max, "
                                           "where every weight is 0, down to reg_max/1000; for --l1-ratio 0 "
                                           "from glmnet's top down to 0.001/n) by coordinate descent, choose "
                                           "reg by k-fold cross-validation with glmnet's one-standard-error "
                                           "rule (warning when the best is at an edge of the grid), and plot "
                                           "the coefficient paths.")
    path.add_argument("data", metavar="DATA.csv")
    path.add_argument("--target", required=True, metavar="COL", help="the two-class target column")
    path.add_argument("--out", required=True, metavar="PATH.svg", help="where to write the coefficient paths")
    path.add_argument("--cv-out", metavar="CV.svg", help="also write the cross-validation curve here")
    path.add_argument("--standardize", action="store_true",
                      help="standardize the features (learned inside each fold for cross-validation)")
    path.add_argument("--l1-ratio", type=_ratio, default=1.0, metavar="R",
                      help="the L1 share of the elastic net, 0 (L2) to 1 (L1; default)")
    path.add_argument("--folds", type=_folds, default=5, metavar="K", help="default: %(default)s")
    path.add_argument("--seed", type=int, default=0, help="shuffles the folds (default: %(default)s)")
    path.add_argument("--scoring", choices=SCORINGS, default="log_loss", help="default: %(default)s")
    path.add_argument("--n-regs", type=_count(MOST_REGS), default=100, metavar="N",
                      help=f"penalties on the grid, up to {MOST_REGS:,} (default: %(default)s)")
    _table_options(path)
    path.add_argument("--quiet", action="store_true", help="no progress output")
    path.set_defaults(run=_path, parser=path)

    for add_command in LATER_COMMANDS:  # book (chapter 38), added where the package is assembled
        add_command(commands)
    datasets = commands.add_parser("datasets", help="list the embedded data sets, or write them as CSV",
                                   description="List the embedded data sets; with --export, write them as "
                                               "CSV files (unchanged) to try the other commands on.")
    datasets.add_argument("--export", metavar="DIR",
                          help="write the embedded data sets into this folder as CSV files")
    datasets.set_defaults(run=_datasets)

    separation = commands.add_parser("separation", help="are the classes separated? (a linear program)",
                                     description="Decide by Konis's linear program whether DATA.csv's "
                                                 "classes are separated, completely or quasi-completely, "
                                                 "and which maximum-likelihood estimates are infinite.")
    separation.add_argument("data", metavar="DATA.csv")
    separation.add_argument("--target", required=True, metavar="COL", help="the two-class target column")
    _table_options(separation)
    separation.set_defaults(run=_separation, parser=separation)
    return parser


def _describe(error: BaseException) -> str:
    """The one-line message for an error: an operating-system error names its file."""
    if isinstance(error, OSError) and error.filename and error.strerror:
        return f"{error.filename}: {error.strerror}"
    return str(error)


def _run(args: argparse.Namespace, out: TextIO) -> int:
    """Run the command; 1 (with one ``error:`` line, escaped) for bad data or files."""
    try:
        _check_files(args)
        args.run(args, out)
        out.flush()
    except BrokenPipeError:
        raise
    except (ValueError, TypeError, OSError) as error:
        print(f"error: {escaped(_describe(error))}", file=sys.stderr)
        return 1
    except MemoryError:  # a last resort: the sizes that can be estimated are refused before this
        print("error: out of memory; use fewer rows or columns (--features, --ignore)", file=sys.stderr)
        return 1
    return 0


class _Stopped(BaseException):
    """SIGTERM or SIGHUP, raised wherever the program is, so that a half-written file is
    removed on the way out exactly as after Ctrl-C (``outputs.write_text``)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _raise_stopped(signum: int, frame: Any) -> None:
    signal.signal(signum, signal.SIG_IGN)  # a second one must not cut the clean-up short
    raise _Stopped(signum)


@contextlib.contextmanager
def _stopping_signals_raised() -> Any:
    """While a command runs, SIGTERM and SIGHUP raise ``_Stopped`` (where the platform has
    them and this is the main thread); the previous handlers are put back afterwards."""
    previous = {}
    for name in ("SIGTERM", "SIGHUP"):
        try:
            signum = getattr(signal, name)
            previous[signum] = signal.signal(signum, _raise_stopped)
        except (AttributeError, ValueError, OSError):  # Windows has no SIGHUP; threads cannot set handlers
            pass
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, signal.SIG_DFL if handler is None else handler)


def _stopped(signum: int) -> int:
    """One line on stderr (if it is still there), and 128 + the signal's number."""
    try:
        print(f"stopped by {signal.Signals(signum).name}", file=sys.stderr)
    except (OSError, ValueError):  # a hung-up terminal
        pass
    return 128 + signum


def _closed_pipe(out: TextIO) -> int:
    """The reader of our output went away (``| head -1``): stop quietly. Standard output
    is pointed at the null device so that Python's final flush cannot complain."""
    if out is sys.stdout:
        try:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except (OSError, ValueError):  # no file descriptor (an in-memory stream)
            pass
    return 141  # 128 + SIGPIPE, the status of a Unix tool stopped by a closed pipe


def main(argv: Optional[List[str]] = None, out: Optional[TextIO] = None) -> int:
    """Run one command; returns the exit status."""
    out = out or sys.stdout
    try:
        with _stopping_signals_raised():
            args = build_parser().parse_args(argv)
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                status = _run(args, out)
            for warning in caught:
                if issubclass(warning.category, UserWarning):
                    print(f"warning: {escaped(str(warning.message))}", file=sys.stderr)
        return status
    except _Stopped as stop:
        return _stopped(stop.signum)
    except KeyboardInterrupt:
        # On a terminal the line starts afresh (after "^C" or a progress line).
        print("\ninterrupted" if sys.stderr.isatty() else "interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return _closed_pipe(out)


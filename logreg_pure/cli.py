"""Chapter 18. The command line: ``python -m logreg_pure COMMAND``.

Commands (each has ``--help``):

- ``demo``: the main job on the embedded breast-cancer data, with plots;
- ``fit``, ``predict``, ``evaluate``: train on a CSV file, save the model as JSON,
  use it on new rows, and measure it;
- ``summary``: the inference table (standard errors, p-values, odds ratios), with
  ``--firth`` (Firth's penalized likelihood), ``--ci profile`` (profile intervals
  and likelihood-ratio tests) and ``--plots DIR`` (profile plots);
- ``separation``: are the classes separated, and which estimates are infinite?
- ``explain``: one gradient-descent step with every number shown;
- ``book``: the library as a static web site (chapter 15c).

Exit status: 0 on success, 2 on a usage error (from argparse), 1 on a data or file
error, reported as one line on stderr (``error: ...``) without a traceback.
Warnings (convergence, separation) are printed as ``warning: ...`` lines.
"""

import argparse
import os
import sys
import warnings
from typing import Callable, List, Optional, Sequence, TextIO

from .book import PYODIDE_URL, build_book, check_out, find_tests, write_book
from .datasets import load_study_hours
from .demo import run_demo
from .explain import explain_step
from .features import Standardizer
from .files import Dataset, load_csv, load_model, save_model
from .inference import Summary, format_likelihood_ratio_tests, format_summary, summarize
from .links import odds
from .metrics import (
    accuracy,
    brier_score,
    confusion_matrix,
    log_loss_from_logits,
    roc_auc,
    roc_curve,
)
from .model import MODEL_PENALTIES, LogisticRegression
from .plots import (
    plot_decision_boundary,
    plot_objective,
    plot_roc,
    plot_sigmoid,
    summary_profile_plot,
    write_svg,
)
from .separation import detect_separation
from .solvers import SOLVERS

__all__ = ["build_parser", "main"]



def _progress(args: argparse.Namespace) -> Optional[Callable[[int, float], None]]:
    """A progress printer for long fits: on stderr, only when it is a terminal."""
    if getattr(args, "quiet", False) or not sys.stderr.isatty():
        return None

    def report(step: int, value: float) -> None:
        if step % 50 == 0:
            print(f"\r  step {step:>7}  objective {value:.6f}", end="", file=sys.stderr, flush=True)

    return report


def _end_progress(args: argparse.Namespace) -> None:
    if _progress(args) is not None:
        print(file=sys.stderr)


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
    print(f"\nPlots written to {args.out}{os.sep}:", file=out)
    print(f"  {', '.join(written)}", file=out)
    print("Next: python -m logreg_pure explain | summary | fit --help", file=out)


# ------------------------------------------------------------------- fit & co.

def _fit(args: argparse.Namespace, out: TextIO) -> None:
    data = load_csv(args.data, args.target, delimiter=args.delimiter)
    standardizer = Standardizer().fit(data.X) if args.standardize else None
    rows = standardizer.transform(data.X) if standardizer else data.X
    model = LogisticRegression(lr=args.lr, epochs=args.epochs, reg=args.reg, tol=args.tol,
                               solver=args.solver, penalty=args.penalty)
    model.fit(rows, data.y, feature_names=data.feature_names, progress=_progress(args))
    _end_progress(args)
    save_model(args.model, model, feature_names=data.feature_names, target_name=data.target_name,
               label_mapping=data.label_mapping, standardizer=standardizer)
    _print_fit(data, model, rows, standardizer is not None, out)
    print(f"Training accuracy {model.score(rows, data.y):.3f}. Model saved to {args.model}", file=out)
    if args.plots:
        written = _write_plots(args.plots, _fit_plots(data, model, rows))
        print(f"Plots written to {args.plots}{os.sep}: {', '.join(written)}", file=out)


def _print_fit(data: Dataset, model: LogisticRegression, rows: List[List[float]], standardized: bool,
               out: TextIO) -> None:
    codes = ", ".join(f"{code} = {label!r}" for label, code in sorted(data.label_mapping.items(), key=lambda kv: kv[1]))
    d = len(data.feature_names)
    print(f"Fit {len(rows)} rows, {d} feature{'s' if d != 1 else ''}; target {data.target_name!r} ({codes})",
          file=out)
    print(f"Solver {model.solver}: {model.stop_reason_} after {model.n_iter_} steps; objective "
          f"{model.loss_history_[0]:.6f} -> {model.loss_history_[-1]:.6f}", file=out)
    units = " (per standard deviation)" if standardized else ""
    print(f"{'':<24} {'coef':>10} {'odds ratio' + units:>12}", file=out)
    print(f"{'intercept':<24} {model.intercept_:>10.4f}", file=out)
    for name, coef in zip(data.feature_names, model.coef_):
        print(f"{name[:24]:<24} {coef:>10.4f} {odds(coef):>12.4g}", file=out)


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


def _predict(args: argparse.Namespace, out: TextIO) -> None:
    saved = load_model(args.model)
    data = load_csv(args.data, None, delimiter=args.delimiter, features=saved.feature_names)
    if args.proba:
        lines = ["probability"] + [f"{p:.17g}" for p in saved.predict_proba(data.X)]
    else:
        lines = ["prediction"] + [saved.label_of(c) for c in saved.predict(data.X, args.threshold)]
    text = "\n".join(lines) + "\n"
    if args.output:
        with open(args.output, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
    else:
        out.write(text)


def _evaluate(args: argparse.Namespace, out: TextIO) -> None:
    saved = load_model(args.model)
    data = load_csv(args.data, args.target, delimiter=args.delimiter, features=saved.feature_names,
                    label_mapping=saved.label_mapping)
    z = saved.decision_function(data.X)
    probabilities = saved.predict_proba(data.X)
    predicted = saved.predict(data.X)
    m = confusion_matrix(data.y, predicted)
    print(f"{len(data.X)} rows of {args.data}; class 1 = {saved.label_of(1)!r}", file=out)
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


def _data_or_study_hours(args: argparse.Namespace, parser: argparse.ArgumentParser) -> Dataset:
    if args.data is None:
        return load_study_hours()
    if args.target is None:
        parser.error("--target is required with a data file")
    return load_csv(args.data, args.target, delimiter=args.delimiter)


def _summary(args: argparse.Namespace, out: TextIO) -> None:
    data = _data_or_study_hours(args, args.parser)
    if args.firth and args.reg != 0.0:
        args.parser.error("--firth has its own penalty: leave out --reg")
    model = LogisticRegression(solver="newton", reg=args.reg, tol=1e-10,
                               penalty="firth" if args.firth else "l2").fit(
        data.X, data.y, feature_names=data.feature_names)
    result = summarize(model, data.X, data.y, target_name=data.target_name)
    print(format_summary(result, method=args.ci), file=out)
    if args.ci == "profile":
        print(file=out)
        print(format_likelihood_ratio_tests(result), file=out)
    print(file=out)
    for sentence in result.interpret(method=args.ci):
        print(sentence, file=out)
    if args.plots:
        written = _write_plots(args.plots, _profile_plots(result))
        print(f"\nProfile plots written to {args.plots}{os.sep}: {', '.join(written)}", file=out)


def _profile_plots(result: Summary, alpha: float = 0.05) -> List[tuple]:
    """One SVG per parameter: its profile log-likelihood, the cut and the interval."""
    return [(f"profile_{_file_safe(name)}.svg", summary_profile_plot(result, j, alpha))
            for j, name in enumerate(result.names)]


def _file_safe(name: str) -> str:
    """A parameter name as part of a file name: letters, digits, '-' and '_' only."""
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in name) or "parameter"


def _separation(args: argparse.Namespace, out: TextIO) -> None:
    data = load_csv(args.data, args.target, delimiter=args.delimiter)
    codes = ", ".join(f"{code} = {label!r}" for label, code in sorted(data.label_mapping.items(),
                                                                      key=lambda kv: kv[1]))
    print(f"{len(data.X)} rows of {args.data}; target {data.target_name!r} ({codes})", file=out)
    verdict = detect_separation(data.X, data.y, feature_names=data.feature_names)
    print(verdict, file=out)
    if verdict.separated:
        print("Maximum likelihood cannot fit these data; try: summary --firth (Firth's penalized "
              "likelihood) or fit --reg R", file=out)


def _explain(args: argparse.Namespace, out: TextIO) -> None:
    data = _data_or_study_hours(args, args.parser)
    title = "the study-hours data" if args.data is None else args.data
    print(explain_step(data.X, data.y, lr=args.lr, reg=args.reg, feature_names=data.feature_names,
                       rows=args.rows, title=title), file=out)


def _book(args: argparse.Namespace, out: TextIO) -> None:
    check_out(args.out)
    files = build_book(pyodide_url=args.pyodide)
    write_book(args.out, files)
    pages = sum(name.endswith(".html") for name in files)
    print(f"Wrote the book: {pages} pages in {args.out}{os.sep}; open "
          f"{os.path.join(args.out, 'index.html')} in a browser", file=out)
    if find_tests() is None:
        print("note: no tests/ folder beside the package (an installed copy): the laws, mutants and "
              "exercises pages need a source checkout, so the book has the chapters only", file=sys.stderr)


# ---------------------------------------------------------------------- parser

def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


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
                                          "feature columns; a two-class target column).")
    fit.add_argument("data", metavar="DATA.csv")
    fit.add_argument("--target", required=True, metavar="COL", help="the two-class target column")
    fit.add_argument("--model", required=True, metavar="MODEL.json", help="where to save the model")
    fit.add_argument("--solver", choices=SOLVERS, default="newton", help="default: %(default)s")
    fit.add_argument("--penalty", choices=MODEL_PENALTIES, default="l2",
                     help="default: %(default)s; firth needs --solver newton and no --reg")
    fit.add_argument("--reg", type=float, default=0.0, help="penalty strength (default: %(default)s)")
    fit.add_argument("--lr", type=float, default=0.1, help="step size for gd and sgd (default: %(default)s)")
    fit.add_argument("--epochs", type=_positive_int, default=1000, help="most steps (default: %(default)s)")
    fit.add_argument("--tol", type=float, default=1e-8, help="stop at this gradient size (default: %(default)s)")
    fit.add_argument("--standardize", action="store_true", help="standardize the features first")
    fit.add_argument("--plots", metavar="DIR", help="write SVG plots to this folder")
    fit.add_argument("--delimiter", default=",", help="CSV field separator (default: ',')")
    fit.add_argument("--quiet", action="store_true", help="no progress output")
    fit.set_defaults(run=_fit)

    predict = commands.add_parser("predict", help="predict rows of a CSV file with a saved model",
                                  description="Write one prediction per row of DATA.csv as CSV.")
    predict.add_argument("model", metavar="MODEL.json")
    predict.add_argument("data", metavar="DATA.csv")
    predict.add_argument("--proba", action="store_true", help="print P(class 1) instead of the label")
    predict.add_argument("--threshold", type=float, default=0.5, help="cut for the label (default: %(default)s)")
    predict.add_argument("--output", metavar="FILE", help="write here instead of standard output")
    predict.add_argument("--delimiter", default=",", help="CSV field separator (default: ',')")
    predict.set_defaults(run=_predict)

    evaluate = commands.add_parser("evaluate", help="measure a saved model on a labelled CSV file",
                                   description="Accuracy, AUC, log loss, Brier score and the confusion "
                                               "matrix of MODEL.json on DATA.csv.")
    evaluate.add_argument("model", metavar="MODEL.json")
    evaluate.add_argument("data", metavar="DATA.csv")
    evaluate.add_argument("--target", required=True, metavar="COL")
    evaluate.add_argument("--delimiter", default=",", help="CSV field separator (default: ',')")
    evaluate.set_defaults(run=_evaluate)

    summary = commands.add_parser("summary", help="the inference table (default: study-hours data)",
                                  description="Fit by maximum likelihood and print coefficients with "
                                              "standard errors, z, p-values, intervals and odds ratios.")
    summary.add_argument("data", nargs="?", metavar="DATA.csv")
    summary.add_argument("--target", metavar="COL")
    summary.add_argument("--reg", type=float, default=0.0, help="penalty (the table then says 'penalized')")
    summary.add_argument("--delimiter", default=",", help="CSV field separator (default: ',')")
    summary.add_argument("--firth", action="store_true",
                         help="Firth's penalized likelihood (logistf's conventions): finite under separation")
    summary.add_argument("--ci", choices=("wald", "profile"), default="wald",
                         help="intervals: wald, or profile likelihood with likelihood-ratio tests "
                              "(default: %(default)s)")
    summary.add_argument("--plots", metavar="DIR", help="write each parameter's profile log-likelihood "
                                                        "as an SVG to this folder")
    summary.set_defaults(run=_summary, parser=summary)

    explain = commands.add_parser("explain", help="one gradient-descent step, every number shown",
                                  description="Show z, p, p - y and (p - y) x for a few rows, then the "
                                              "averaged gradient, the penalty, the step and the loss.")
    explain.add_argument("data", nargs="?", metavar="DATA.csv")
    explain.add_argument("--target", metavar="COL")
    explain.add_argument("--lr", type=float, default=0.1, help="default: %(default)s")
    explain.add_argument("--reg", type=float, default=0.0, help="default: %(default)s")
    explain.add_argument("--rows", type=_positive_int, default=5, help="rows to show (default: %(default)s)")
    explain.add_argument("--delimiter", default=",", help="CSV field separator (default: ',')")
    explain.set_defaults(run=_explain, parser=explain)

    book = commands.add_parser("book", help="write the library as a static web site (a book)",
                               description="Write every chapter as an HTML page with its text and source, "
                                           "the laws, mutants and exercises (from a source checkout), and "
                                           "try.html, which runs the library in the browser on Pyodide.")
    book.add_argument("--out", default="book", metavar="DIR", help="folder for the site (default: %(default)s)")
    book.add_argument("--pyodide", default=PYODIDE_URL, metavar="URL",
                      help="where try.html loads Pyodide from (default: %(default)s)")
    book.set_defaults(run=_book)

    separation = commands.add_parser("separation", help="are the classes separated? (a linear program)",
                                     description="Decide by Konis's linear program whether DATA.csv's "
                                                 "classes are separated, completely or quasi-completely, "
                                                 "and which maximum-likelihood estimates are infinite.")
    separation.add_argument("data", metavar="DATA.csv")
    separation.add_argument("--target", required=True, metavar="COL", help="the two-class target column")
    separation.add_argument("--delimiter", default=",", help="CSV field separator (default: ',')")
    separation.set_defaults(run=_separation)
    return parser


def main(argv: Optional[List[str]] = None, out: Optional[TextIO] = None) -> int:
    """Run one command; returns the exit status."""
    args = build_parser().parse_args(argv)
    out = out or sys.stdout
    status = 0
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            args.run(args, out)
        except (ValueError, TypeError, OSError) as error:
            print(f"error: {error}", file=sys.stderr)
            status = 1
    for warning in caught:
        if issubclass(warning.category, UserWarning):
            print(f"warning: {warning.message}", file=sys.stderr)
    return status

"""Chapter 39. The library in a web page: what the book's ``try.html`` runs.

In the browser, Python is Pyodide: CPython compiled to WebAssembly. The page copies
this package's own files into Pyodide's in-memory file system, imports this module,
and calls one of two functions when a button is pressed:

- ``demo_json()``: the demo of chapter 34, its report and its four plots;
- ``fit_json(text, target=...)``: a CSV table that the reader pasted or opened,
  fitted by the command line's own ``fit`` (chapter 35) in a temporary folder. The
  reader sees exactly what ``python -m logreg_pure fit`` prints: the coefficients,
  the odds ratios, and for a bad table the same one-line ``error: ...`` message,
  never a traceback.

A chapter's page calls a third, for the examples of its docstrings:

- ``run_examples_json(text, module=...)``: the examples (``>>>`` lines, as a docstring
  writes them, or plain code) run one by one in a fresh copy of the chapter module's
  namespace, exactly as ``doctest`` runs them: each output is what doctest compares
  with the docstring's. An error is shown as doctest shows it, and stops the run.

The page runs Python in a Web Worker (``worker.js``), so that it never freezes.
The first two return JSON text, so that the page's script needs nothing but ``JSON.parse``:
``status`` (the command's exit status), ``output``, ``errors``, ``warnings``, ``plots``
(a list of ``[file name, SVG text]``) and ``model`` (the saved model's JSON, or
``None``). Paths inside the temporary folder are shown by their names alone. The
same functions run under CPython, where the tests call them.
"""

import ast
import contextlib
import csv
import doctest
import importlib
import io
import json
import os
import shutil
import tempfile
import traceback
from typing import Any, Dict, List, Optional, Sequence, Tuple

from ..part6_command_line.cli import main
from ..part6_command_line.demo import run_demo
from .book import CHAPTERS, PACKAGE_NAME

__all__ = ["PLOT_NAMES", "demo_json", "fit_json", "run_examples_json"]

PLOT_NAMES = ("objective.svg", "roc.svg", "sigmoid.svg", "boundary.svg")  # first, in this order; then the rest


def _result(status: int, output: str, messages: Sequence[str], plots: List[Tuple[str, str]],
            model: Optional[str]) -> str:
    warnings = [line for line in messages if line.startswith("warning:")]
    errors = [line for line in messages if not line.startswith("warning:")]
    return json.dumps({"status": status, "output": output, "errors": errors, "warnings": warnings,
                       "plots": plots, "model": model})


def demo_json() -> str:
    """The demo's report and plots, as JSON for the page.

    >>> import json
    >>> result = json.loads(demo_json())
    >>> "AUC" in result["output"], [name for name, _ in result["plots"]]
    (True, ['objective.svg', 'roc.svg', 'sigmoid.svg', 'boundary.svg'])
    """
    demo = run_demo()
    return _result(0, demo.report(), [], [list(plot) for plot in demo.plots], None)


def _last_column(text: str, delimiter: str) -> str:
    """The header's last name: the default target, as the page promises."""
    try:
        header = next(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=delimiter), [])
    except (csv.Error, TypeError):
        return ""  # the command itself will say what is wrong with the table
    return header[-1].strip() if header else ""


def _run_cli(argv: List[str]) -> Tuple[int, str, List[str]]:
    """Run the command line in-process: exit status, standard output, stderr's lines."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(err):
        try:
            status = main(argv, out=out)
        except SystemExit as stop:  # argparse reports a usage error by exiting
            status = stop.code if isinstance(stop.code, int) else 2
    lines = [line for line in err.getvalue().splitlines() if line.strip()]
    if status == 2:  # usage errors end with "...: error: ..."; the usage text is noise here
        lines = lines[-1:]
    return status, out.getvalue(), lines


def _read(path: str) -> Optional[str]:
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as handle:
        return handle.read()


def _shown(text: str, folder: str) -> str:
    """Paths in the temporary folder shown by their names alone."""
    return text.replace(folder + os.sep, "")


def _fit_options(solver: str, penalty: str, l1_ratio: str, standardize: bool, drop_missing: bool) -> List[str]:
    """The page's choices as the command line's options: each only when it is set."""
    options = [f"--solver={solver}"] if solver and solver != "auto" else []
    options += [f"--penalty={penalty}"] if penalty else []
    options += [f"--l1-ratio={l1_ratio}"] if penalty == "elasticnet" and str(l1_ratio).strip() else []
    return options + (["--standardize"] if standardize else []) + (["--drop-missing"] if drop_missing else [])


def _plot_files(folder: str) -> List[str]:
    """The plots a fit wrote: ``PLOT_NAMES`` first, in that order, then the rest by name."""
    names = os.listdir(folder) if os.path.isdir(folder) else []
    return [n for n in PLOT_NAMES if n in names] + sorted(n for n in names if n not in PLOT_NAMES)


def fit_json(text: str, *, target: str = "", name: str = "pasted.csv", delimiter: str = ",",
             standardize: bool = False, reg: str = "0", solver: str = "auto", penalty: str = "",
             l1_ratio: str = "", drop_missing: bool = False) -> str:
    """Fit a CSV table given as text, exactly as ``python -m logreg_pure fit`` would.

    ``target`` names the column to predict; empty means the last column. ``name`` is
    the table's name in messages. ``reg`` is a number or ``cv``; ``solver``, ``penalty``
    (``firth`` included), ``l1_ratio``, ``standardize`` and ``drop_missing`` are the
    command's options of those names (empty: the command's default). Returns JSON (see
    the module's text).

    >>> import json
    >>> bad = json.loads(fit_json("hours,passed\\n1,no\\ntwo,yes\\n"))
    >>> bad["status"], bad["errors"][0][:48]
    (1, "error: pasted.csv, line 3, column 'hours': 'two'")
    """
    folder = tempfile.mkdtemp(prefix="logreg_pure_")
    try:
        data = os.path.join(folder, os.path.basename(name) or "data.csv")
        model, plots = os.path.join(folder, "model.json"), os.path.join(folder, "plots")
        with open(data, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        argv = ["fit", data, "--target=" + (target or _last_column(text, delimiter)), "--model", model,
                "--plots", plots, "--delimiter=" + delimiter, "--reg=" + (str(reg).strip() or "0"), "--quiet"]
        status, output, messages = _run_cli(argv + _fit_options(solver, penalty, l1_ratio, standardize,
                                                                drop_missing))
        drawn = [[plot, _read(os.path.join(plots, plot))] for plot in _plot_files(plots)]
        return _result(status, _shown(output, folder), [_shown(m, folder) for m in messages],
                       [plot for plot in drawn if plot[1] is not None], _read(model) if status == 0 else None)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# ------------------------------------------------------------------ the chapters' examples

def _run_one(source: str, namespace: Dict[str, Any]) -> Tuple[str, bool]:
    """One example's output as doctest sees it, and whether it raised."""
    out = io.StringIO()
    try:
        code = compile(source, "<example>", "single")  # "single" shows an expression's value, as >>> does
        with contextlib.redirect_stdout(out):
            exec(code, namespace)
    except Exception as error:  # the reader's code: whatever it raises is shown, as doctest shows it
        last = traceback.format_exception_only(type(error), error)[-1]
        return out.getvalue() + "Traceback (most recent call last):\n  ...\n" + last, True
    return out.getvalue(), False


def _plain_examples(text: str) -> List[doctest.Example]:
    """Code without prompts, statement by statement, as if typed after ``>>>``."""
    try:
        statements = ast.parse(text).body
    except SyntaxError:
        return [doctest.Example(text, "")]  # running it shows the error, as the prompt would
    return [doctest.Example(ast.get_source_segment(text, node) or "", "") for node in statements]


def run_examples_json(text: str, *, module: str) -> str:
    """Run a docstring's examples in a copy of chapter ``module``'s namespace.

    ``module`` is a module of the reading order (``part1_mathematics.links``). Returns
    JSON: ``outputs`` (one per example run), ``transcript`` (the examples with their
    outputs, as a docstring shows them) and ``failed`` (an example raised).

    >>> result = json.loads(run_examples_json(">>> sigmoid(0.0)\\n>>> logit(2.0)", module="part1_mathematics.links"))
    >>> result["outputs"][0], result["failed"], result["outputs"][1].splitlines()[-1]
    ('0.5\\n', True, 'ValueError: logit requires 0 < p < 1, got p=2.0')
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be the examples as a string (>>> lines, or code), got {type(text).__name__}")
    if module not in {name for chapter in CHAPTERS for name in chapter.modules}:
        raise ValueError(f"module must be a chapter's module, such as 'part1_mathematics.links'; got {module!r}")
    namespace = dict(vars(importlib.import_module(f"{PACKAGE_NAME}.{module}")))
    examples = doctest.DocTestParser().get_examples(text) or _plain_examples(text)
    outputs, transcript, failed = [], [], False
    for example in examples:
        output, failed = _run_one(example.source, namespace)
        outputs.append(output)
        transcript += [_prompted(example.source), output.rstrip("\n")]
        if failed:
            break
    shown = "\n".join(line for line in transcript if line)
    return json.dumps({"outputs": outputs, "transcript": shown, "failed": failed})


def _prompted(source: str) -> str:
    """An example's source as typed: ``>>> `` before its first line, ``... `` before the rest."""
    lines = source.rstrip("\n").split("\n")
    return "\n".join(("... " if k else ">>> ") + line for k, line in enumerate(lines))

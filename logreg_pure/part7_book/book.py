"""Chapter 38. The book: these chapters as a static web site, and a page that runs them.

``python -m logreg_pure book --out DIR`` writes the library as a book a browser can
open straight from the disk, no server and no network needed for reading:

- ``index.html``: the reading order, from ``CHAPTERS`` below. That table is the one
  place where the order lives: the README's map of the parts and the test that no
  chapter imports a later one are both checked against it;
- one page per chapter: the module's docstring as text (chapter 36 sets its
  formulas), the names it defines, then its source with line numbers. Every
  definition has an anchor whose ``id`` is ``module.name`` (``links.sigmoid``), and
  every name the code imports links to the page and anchor where it is defined;
- the guide (chapter 37): ``guide/NAME.html`` for each of its pages, whose names and
  files link to the chapters like the chapters' own text, and the reference of
  every command and option, written from the command line's parser;
- from the source checkout's ``tests/`` folder: the laws (each property test's
  docstring, linked to its source), the mutant catalogue, the exercises and their
  answers, and every test file as a page;
- ``try.html``: the library running in the page, on Pyodide (chapter 39);
- ``book.css``, ``try.js``, ``library.js`` (the package's own files, for Pyodide) and
  ``plots/``, the demo's pictures;
- ``search.js`` and ``search-index.js``: the search box on every page, which finds
  chapters, headings, names and laws by the words of their text, offline; and
  ``favicon.svg``, the sigmoid. A page with three or more headings lists them under
  its title.

An installed copy has no ``tests/`` folder; the book is then written without the
laws, mutants and exercises pages, and says so on its index page.
"""

import argparse
import ast
import doctest
import functools
import html
import json
import os
import posixpath
import re
import sys
import warnings
from typing import Any, Dict, Iterable, List, NamedTuple, Optional, Sequence, Set, TextIO, Tuple

from ..part1_mathematics.checks import escaped
from ..part1_mathematics.gradient import gradient
from ..part1_mathematics.links import logit, sigmoid
from ..part1_mathematics.loss import example_loss
from ..part2_problem.separation import detect_separation
from ..part3_solvers.solvers import SOLVERS
from ..part4_estimators.estimator import MODEL_PENALTIES
from ..part4_estimators.features import Standardizer
from ..part4_estimators.model import LogisticRegression
from ..part4_estimators.multinomial import SoftmaxRegression
from ..part5_inference.metrics import calibration_table, roc_auc, roc_curve
from ..part5_inference.path import choose_reg, regularization_path
from ..part6_command_line.datasets import load_endometrial, load_iris, load_study_hours
from ..part6_command_line.demo import Demo, run_demo
from ..part6_command_line.plots import (
    CLASS_COLOURS,
    LINE_COLOUR,
    PATH_COLOURS,
    Figure,
    plot_class_regions,
    plot_coefficient_paths,
    plot_cv_curve,
    plot_roc,
)
from ..part6_command_line.outputs import check_output_file, check_output_folder, write_text
from .guide import GUIDE, PAGES, page_markdown, page_title
from .markup import (
    GREEK,
    Linker,
    Mark,
    Position,
    Token,
    inline_html,
    is_formula,
    listing_html,
    parse_blocks,
    prose_html,
    slug,
    source_tokens,
)

__all__ = ["CHAPTERS", "PARTS", "PYODIDE_URL", "PYODIDE_VERSION", "Chapter", "add_book_command", "book_command",
           "build_book", "check_out", "find_tests", "module_file", "part_title", "parts_table", "planned_files",
           "write_book"]


class Chapter(NamedTuple):
    """One row of the reading order: its label, its modules and what it says."""

    label: str
    modules: Tuple[str, ...]
    title: str  # as the book's contents show it, with `code` in single backquotes


# The reading order, part by part (the sub-packages, in their numbered order). A new
# module gets a row here; the README's map of the parts is made from it (``parts_table``),
# and tests/test_chapters.py checks both.
CHAPTERS = (
    Chapter("0", ("part1_mathematics.errors",), "the ways things go wrong, named"),
    Chapter("1", ("part1_mathematics.vectors",), "vectors as lists: `dot`, `add`, `subtract`, `scale`, `mean`, "
                                                 "`transpose`, each checking lengths"),
    Chapter("2", ("part1_mathematics.checks",), "checking the caller's data at the door: rows become lists of floats"),
    Chapter("3", ("part1_mathematics.links",), "log-odds and the sigmoid, its inverse, in stable forms"),
    Chapter("4", ("part1_mathematics.loss",), "Bernoulli likelihood -> cross-entropy from the logit -> the objective J"),
    Chapter("5", ("part1_mathematics.gradient",), "the gradient `(p - y) x` and the Hessian, one example at a time"),
    Chapter("6", ("part1_mathematics.softmax",), "more than two classes: the softmax, its loss, gradient and Hessian"),
    Chapter("7", ("part1_mathematics.linalg",), "Cholesky: solving `H x = g`"),
    Chapter("8", ("part1_mathematics.lp",), "linear programs: the bounded-variable simplex method, Bland's rule, "
                                            "the dual certificate"),
    Chapter("9", ("part2_problem.separation",), "separation: when the maximum-likelihood estimate does not exist, "
                                                "decided by Konis's linear program"),
    Chapter("10", ("part2_problem.problem",), "the problem of one fit: J, its gradient and Hessian at a point; the "
                                              "data checked once; the seam to the appendix"),
    Chapter("11", ("part2_problem.softmax_problem",), "`SoftmaxProblem`: K classes for the same loop and rules"),
    Chapter("12", ("part2_problem.firth",), "Firth's penalized likelihood: finite estimates even under separation"),
    Chapter("13", ("part2_problem.fixed_problem",), "`FixedProblem`: a problem with some parameters held, for "
                                                    "restricted fits"),
    Chapter("14", ("part2_problem.driver",), "one loop for every solver: history, stop rules, divergence, "
                                             "separation, progress"),
    Chapter("15", ("part3_solvers.solvers", "part3_solvers.quasi_newton"), "the update rules: gradient descent "
                                              "(the original), proximal gradient (L1), Newton, SGD; L-BFGS"),
    Chapter("16", ("part3_solvers.coordinate",), "coordinate descent, glmnet's algorithm: L1 and elastic-net fits, "
                                                 "fast"),
    Chapter("17", ("part4_estimators.estimator",), "the estimator conventions: parameters, "
                                                   "`get_params`/`set_params`, `classes_`, scikit-learn's tags"),
    Chapter("18", ("part4_estimators.model",), "the `LogisticRegression` class"),
    Chapter("19", ("part4_estimators.multinomial",), "the `SoftmaxRegression` class: K classes, the binary model's "
                                                     "conventions"),
    Chapter("20", ("part4_estimators.features",), "standardizing, interactions, polynomial features"),
    Chapter("21", ("part5_inference.likelihood",), "restricted fits: likelihood-ratio tests and profile-likelihood "
                                                   "intervals"),
    Chapter("22", ("part5_inference.inference",), "standard errors, p-values, intervals, odds ratios, the summary "
                                                  "table"),
    Chapter("23", ("part5_inference.metrics",), "accuracy to AUC and calibration"),
    Chapter("24", ("part5_inference.multiclass_metrics",), "metrics for K classes: the K x K confusion matrix, "
                                                           "per-class and averaged scores, log loss, one-vs-rest AUC"),
    Chapter("25", ("part5_inference.selection",), "splits and cross-validation: judging a model on rows it has not "
                                                  "seen"),
    Chapter("26", ("part5_inference.path",), "choosing the penalty: `reg_max`, the regularization path, "
                                             "cross-validation and the one-SE rule"),
    Chapter("27", ("part5_inference.distributed",), "beyond one machine: J, its gradient and Hessian from any "
                                                    "partition of the rows (Spark MLlib's `treeAggregate`); the "
                                                    "same fit in other libraries, `equivalent_settings`"),
    Chapter("28", ("part6_command_line.outputs",), "output files: every path checked before any work, every file "
                                                   "written whole or not at all"),
    Chapter("29", ("part6_command_line.columns",), "columns: numbers, flags and categories (indicator columns), "
                                                   "missing values, delimiters"),
    Chapter("30", ("part6_command_line.files",), "CSV files in, JSON model files out and back"),
    Chapter("31", ("part6_command_line.datasets",), "the embedded data sets"),
    Chapter("32", ("part6_command_line.plots",), "SVG plots written by hand"),
    Chapter("33", ("part6_command_line.explain",), "one gradient-descent step with every number shown"),
    Chapter("34", ("part6_command_line.demo",), "the main job: the whole book in one run, on real data"),
    Chapter("35", ("part6_command_line.cli", "__main__"), "the command line"),
    Chapter("36", ("part7_book.markup",), "prose, formulas and Python source as HTML"),
    Chapter("37", ("part7_book.guide",), "the guide: the user's pages, and the reference of every command written "
                                         "from the parser"),
    Chapter("38", ("part7_book.book",), "the chapters as a static web site: `python -m logreg_pure book`"),
    Chapter("39", ("part7_book.browser",), "the library in a web page, on Pyodide: what `try.html` runs"),
    Chapter("A", ("part8_appendix.fast",), "appendix: the same formulas arranged for speed, reached through one "
                                           "seam, `make_problem` (read it last)"),
)

SAMPLE_CSV = "part6_command_line/datasets/study_hours.csv"  # the try page's example, inside the package
PYODIDE_VERSION = "314.0.7"  # the version the browser test installs from npm
PYODIDE_URL = f"https://cdn.jsdelivr.net/pyodide/v{PYODIDE_VERSION}/full/"
PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # logreg_pure/, above this part
PACKAGE_NAME = "logreg_pure"
STATIC = os.path.join(os.path.dirname(os.path.abspath(__file__)), "web")

Files = Dict[str, str]  # path inside the book -> its text


# ------------------------------------------------------------------ the modules

class Module(NamedTuple):
    """A source file as the book sees it."""

    key: str  # "part1_mathematics.links", "part1_mathematics" (a part), "logreg_pure" (the package), "tests.test_links"
    short: str  # the prefix of its anchors: "links", "test_links"
    page: str  # "links.html", "tests/test_links.html"; "" when it has no page
    source: str
    tree: ast.Module
    anchors: Dict[str, Position]  # qualified name -> where its name is written (column -1: after def/class)
    imports: Dict[str, Tuple[str, str]]  # local name -> (module key, name there; "" for the module)


def _top_level(tree: ast.Module) -> List[ast.stmt]:
    """The module's statements, including those inside a top-level if or try."""
    statements: List[ast.stmt] = []
    for node in tree.body:
        statements.append(node)
        if isinstance(node, (ast.If, ast.Try)):
            statements.extend(node.body + node.orelse + getattr(node, "finalbody", []))
    return statements


def definitions(tree: ast.Module) -> Dict[str, Position]:
    """Names defined at the top level (and methods of top-level classes), with the
    position of the name: a def or class gets column -1 ("the name after the keyword").

    >>> definitions(ast.parse("X = 1\\nclass A:\\n    def f(self): pass\\n"))
    {'X': (1, 0), 'A': (2, -1), 'A.f': (3, -1)}
    """
    found: Dict[str, Position] = {}
    for node in _top_level(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            found.setdefault(node.name, (node.lineno, -1))
        if isinstance(node, ast.ClassDef):
            for member in node.body:
                if isinstance(member, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    found.setdefault(f"{node.name}.{member.name}", (member.lineno, -1))
        targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
        for target in targets if isinstance(node, (ast.Assign, ast.AnnAssign)) else []:
            if isinstance(target, ast.Name):
                found.setdefault(target.id, (target.lineno, target.col_offset))
    return found


def _inner_key(name: str) -> str:
    """A module's key from its full name: ``logreg_pure.part1_mathematics.links`` ->
    ``part1_mathematics.links``; the package itself is ``logreg_pure``."""
    return name[len(PACKAGE_NAME) + 1:] if name.startswith(PACKAGE_NAME + ".") else PACKAGE_NAME


def _relative_base(key: str) -> List[str]:
    """The package a module's relative imports start from, as a list of names: the
    module's own part (``part2_problem`` for ``part2_problem.problem``), the package a
    ``__init__.py`` is (``part6_command_line.datasets``), or the top (``[]``)."""
    if key in (PACKAGE_NAME, "__main__"):
        return []
    is_package = os.path.basename(module_path(key)) == "__init__.py"
    return key.split(".") if is_package else key.split(".")[:-1]


def _import_source(node: ast.ImportFrom, key: str) -> str:
    """The module key an import reads from, as seen from module ``key``."""
    name = node.module or ""
    if node.level == 0:
        if name == PACKAGE_NAME or name.startswith(PACKAGE_NAME + "."):
            return _inner_key(name)
        return f"tests.{name}" if key.startswith("tests.") else name
    base = _relative_base(key)  # inside the package: relative to the module's own package
    parts = base[:len(base) - (node.level - 1)] + (name.split(".") if name else [])
    return ".".join(parts) or PACKAGE_NAME


def _imported_module(alias: ast.alias) -> Tuple[str, Tuple[str, str]]:
    """``import logreg_pure.part1_mathematics.links as links`` binds links to the
    chapter; ``import os``, os."""
    parts = alias.name.split(".")
    inner = _inner_key(alias.name) if parts[0] == PACKAGE_NAME else parts[0]
    return alias.asname or parts[0], (inner if alias.asname else parts[0], "")


def imported_names(tree: ast.Module, key: str) -> Dict[str, Tuple[str, str]]:
    """Local name -> (module key, name in that module); "" names the module itself."""
    found: Dict[str, Tuple[str, str]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            source = _import_source(node, key)
            found.update({alias.asname or alias.name: (source, alias.name) for alias in node.names})
        elif isinstance(node, ast.Import):
            found.update(_imported_module(alias) for alias in node.names)
    return found


def read_module(key: str, path: str, page: str) -> Module:
    """Read and parse one source file."""
    with open(path, encoding="utf-8") as handle:
        source = handle.read()
    try:
        tree = ast.parse(source)
    except SyntaxError as error:
        raise ValueError(f"{path}: line {error.lineno}: the book cannot parse this file ({error.msg})") from None
    short = key.split(".")[-1]
    return Module(key, short, page, source, tree, definitions(tree), imported_names(tree, key))


def module_path(name: str, package: str = PACKAGE) -> str:
    """The file of a module named by its dotted path inside the package
    (``part1_mathematics.links``): ``PATH.py``, or ``PATH/__init__.py`` for a package."""
    path = os.path.join(package, *name.split("."))
    return path + ".py" if os.path.exists(path + ".py") else os.path.join(path, "__init__.py")


def page_of(chapter: Chapter) -> str:
    """A chapter's page is named after its first module, without its part: ``links.html``."""
    return chapter.modules[0].split(".")[-1].strip("_") + ".html"


def module_file(name: str) -> str:
    """A module's file as a reader finds it in the package: ``part1_mathematics/links.py``,
    ``part6_command_line/datasets/`` (a folder), ``__main__.py``."""
    relative = posixpath.relpath(module_path(name).replace(os.sep, "/"), PACKAGE.replace(os.sep, "/"))
    return relative[:-len("__init__.py")] if relative.endswith("/__init__.py") else relative


def part_of(chapter: Chapter) -> str:
    """The part (sub-package) a chapter belongs to: its first module's."""
    return chapter.modules[0].split(".")[0]


PARTS = tuple(dict.fromkeys(part_of(chapter) for chapter in CHAPTERS))  # the parts, in reading order


def part_title(part: str) -> str:
    """What a part teaches: the first line of its ``__init__``'s docstring, without its
    number and its chapters (``The model and its mathematics``)."""
    with open(module_path(part), encoding="utf-8") as handle:
        first = (ast.get_docstring(ast.parse(handle.read())) or part).split("\n")[0]
    return re.sub(r"^Part \d+\. +|: chapters? .*$|\.$", "", first)


def parts_table() -> str:
    """The README's map of the parts, in Markdown, made from ``CHAPTERS``: each part's
    folder and what it teaches, then its chapters in reading order, each linked to its file."""
    rows = ["| part | its chapters, in reading order |", "|---|---|"]
    for number, part in enumerate(PARTS, start=1):
        chapters = ", ".join(f"{chapter.label} " + ", ".join(
            f"[`{name.split('.')[-1]}`](logreg_pure/{module_file(name)})" for name in chapter.modules)
            for chapter in CHAPTERS if part_of(chapter) == part)
        rows.append(f"| {number}. [`{part}/`](logreg_pure/{part}/__init__.py): {part_title(part)} | {chapters} |")
    return "\n".join(rows) + "\n"


def find_tests(package: str = PACKAGE) -> Optional[str]:
    """The source checkout's ``tests`` folder beside the package, or None (an installed copy)."""
    folder = os.path.join(os.path.dirname(package), "tests")
    marks = ("mutants.py", "EXERCISES.md")
    return folder if all(os.path.isfile(os.path.join(folder, m)) for m in marks) else None


def read_modules(tests: Optional[str]) -> Dict[str, Module]:
    """Every module of the book, by key: the chapters, the package itself, the tests."""
    modules = {PACKAGE_NAME: read_module(PACKAGE_NAME, os.path.join(PACKAGE, "__init__.py"), "")}
    modules.update({part: read_module(part, module_path(part), "") for part in PARTS})
    for chapter in CHAPTERS:
        for name in chapter.modules:
            path = module_path(name)
            if not os.path.exists(path):
                raise ValueError(f"the reading order names the module {name!r}, but {path} does not "
                                 f"exist: remove it from CHAPTERS in logreg_pure/part7_book/book.py")
            modules[name] = read_module(name, path, page_of(chapter))
    for filename in sorted(os.listdir(tests)) if tests else []:
        if filename.endswith(".py"):
            stem = filename[:-3]
            modules[f"tests.{stem}"] = read_module(f"tests.{stem}", os.path.join(tests, filename),
                                                   f"tests/{stem}.html")
    return modules


# ------------------------------------------------------------------ links

Target = Tuple[str, str]  # (page, anchor id); an empty id is the page itself


def resolve(modules: Dict[str, Module], key: str, name: str) -> Optional[Target]:
    """Where ``name``, as module ``key`` sees it, is defined: follows re-exports."""
    for _ in range(10):  # import chains are short; the bound only guards against a cycle
        module = modules.get(key)
        if module is None:
            return None
        if name == "":
            return (module.page, "") if module.page else None
        if name in module.anchors:
            return module.page, f"{module.short}.{name}"
        if name in module.imports:
            key, name = module.imports[name]
        elif _submodule(key, name) in modules:
            key, name = _submodule(key, name), ""  # "from logreg_pure.part1_mathematics import gradient"
        else:
            return None
    return None


def _submodule(package: str, name: str) -> str:
    """The key of module ``name`` inside the package (or part) ``package``."""
    return name if package == PACKAGE_NAME else f"{package}.{name}"


def href(target: Target, from_page: str) -> str:
    """A relative link from one page of the book to a target.

    >>> href(("links.html", "links.sigmoid"), "tests/test_links.html")
    '../links.html#links.sigmoid'
    """
    page, anchor = target
    path = posixpath.relpath(page, posixpath.dirname(from_page) or ".")
    return path + ("#" + anchor if anchor else "")


def _public_names(modules: Dict[str, Module]) -> Dict[str, Target]:
    """Names defined in exactly one chapter, for prose that mentions them anywhere."""
    seen: Dict[str, List[Target]] = {}
    for module in modules.values():
        if module.page and not module.key.startswith("tests."):
            for name in module.anchors:
                seen.setdefault(name, []).append((module.page, f"{module.short}.{name}"))
    return {name: places[0] for name, places in seen.items() if len(places) == 1}


# The Markdown files the book shows as pages: a link to one, from any page, lands on it.
DOCUMENTS = {"EXERCISES.md": "exercises.html", "ANSWERS.md": "answers.html", "README.md": "index.html",
             **{f"{name}.md": f"guide/{name}.html" for name in GUIDE}}


def _document_target(text: str) -> Optional[Target]:
    """``EXERCISES.md``, ``../../../README.md``, ``python.md#options``: a page of the book."""
    path, _, fragment = text.partition("#")
    page = DOCUMENTS.get(posixpath.basename(path))
    return (page, fragment) if page else None


def _file_target(modules: Dict[str, Module], text: str) -> Optional[Target]:
    """``tests/mutants.py``, ``logreg_pure/part1_mathematics/links.py``, ``test_links.py::law``."""
    path, _, test = text.partition("::")
    stem = posixpath.basename(path.rstrip("/"))
    if not (path.endswith((".py", "/"))):
        return None
    stem = stem[:-3] if stem.endswith(".py") else stem
    # tests/x.py is only ever a test file; a bare x.py is a test file or a chapter (in any part)
    keys = [f"tests.{stem}"] + ([] if path.startswith("tests/") else _chapter_keys(modules, stem))
    for key in (key for key in keys if key in modules and modules[key].page):
        return resolve(modules, key, test) if test else (modules[key].page, "")
    return None


def _chapter_keys(modules: Dict[str, Module], stem: str) -> List[str]:
    """The chapters' modules named ``stem`` in whatever part: ``links`` -> ``part1_mathematics.links``."""
    return [key for key in modules if key.split(".")[-1] == stem and not key.startswith("tests.")]


def _anchor_ids(modules: Dict[str, Module]) -> Set[str]:
    return {f"{m.short}.{name}" for m in modules.values() if m.page for name in m.anchors}


class Names(NamedTuple):
    """What prose anywhere can link to: the modules, the names defined in exactly one
    chapter, and every anchor id. Computed once per book."""

    modules: Dict[str, Module]
    known: Dict[str, Target]
    ids: Set[str]


def names_of(modules: Dict[str, Module]) -> Names:
    """The link tables of a book's modules, built once for all its pages."""
    return Names(modules, _public_names(modules), _anchor_ids(modules))


# Every displayed formula of a chapter's text, by the start of its first row, and the
# function (or class) of the same module that computes it; the formula links to that code
# and the code's first line links back. (A formula in a function's own docstring is already
# beside the code that computes it.) test_every_displayed_formula_has_exactly_one_code
# checks that each formula has one entry here and that each entry names a definition.
FORMULA_CODE: Dict[str, Dict[str, str]] = {
    "part1_mathematics.links": {"logit(p)": "logit", "sigmoid(z)": "sigmoid"},
    "part1_mathematics.loss": {"loss(y, p)": "example_loss_from_probability", "loss(y, z)": "example_loss",
                               "J(w, b)": "objective", "reg * (l1_ratio": "penalty_value"},
    "part1_mathematics.gradient": {"d loss / d z": "example_gradient", "grad_w J": "gradient", "H = ": "hessian"},
    "part1_mathematics.softmax": {"p_k = ": "softmax", "loss = ": "example_softmax_loss",
                                  "d loss / d s_k": "softmax_gradient", "H_kl": "softmax_hessian"},
    "part1_mathematics.linalg": {"L[j][j]": "cholesky"},
    "part1_mathematics.lp": {"minimize": "linear_program", "c . x = b . y": "dual_bound"},
    "part2_problem.separation": {"a_i . beta": "detect_separation", "maximize": "_konis",
                                 "minimize": "_separation_program"},
    "part2_problem.problem": {"J(theta)": "Problem.objective"},
    "part2_problem.firth": {"log L*(theta)": "FirthProblem.objective", "h_i = ": "leverages",
                            "U*(theta)": "FirthProblem.modified_score", "J_F(theta)": "FirthProblem.at",
                            "d U* / d theta": "FirthProblem.hessian"},
    "part3_solvers.quasi_newton": {"B_{k+1}": "two_loop"},
    "part3_solvers.coordinate": {"f(theta + delta)": "QuadraticModel", "u <- ": "QuadraticModel.update",
                                 "g_0 = 0": "optimality_violation"},
    "part5_inference.likelihood": {"LR = ": "likelihood_ratio_statistic", "{ v :": "profile_interval"},
    "part5_inference.inference": {"I = X1^T W X1": "observed_information", "std error_j": "Summary"},
    "part5_inference.path": {"g_j = ": "null_gradient", "reg_max = ": "reg_max"},
    "part5_inference.distributed": {"J(theta)": "from_blocks"},
}


def formula_code(module: Module, first_row: str) -> List[str]:
    """The names ``FORMULA_CODE`` gives for the displayed formula of ``module`` whose first
    row is ``first_row``: one, for every formula of a chapter."""
    row = first_row.strip()
    return [name for start, name in FORMULA_CODE.get(module.key, {}).items() if row.startswith(start)]


def _code_of(module: Module) -> Linker:
    """A displayed formula's first row -> the anchor of the code that computes it."""
    def code_of(first_row: str) -> Optional[str]:
        names = formula_code(module, first_row)
        return f"#{module.short}.{names[0]}" if len(names) == 1 and names[0] in module.anchors else None
    return code_of


class _Linker:
    """The link for a name or a file mentioned in one module's prose, from one page."""

    def __init__(self, names: Names, key: str, page: str) -> None:
        self.modules, self.key, self.page = names.modules, key, page
        self.known, self.ids = names.known, names.ids

    def _member(self, text: str) -> Optional[Target]:
        """``Demo.report``: a class's member, through the class's own anchor."""
        head, _, rest = text.partition(".")
        owner = resolve(self.modules, self.key, head) if rest and re.fullmatch(r"[\w.]+", text) else None
        if owner and owner[1] and f"{owner[1]}.{rest}" in self.ids:
            return owner[0], f"{owner[1]}.{rest}"
        return None

    def __call__(self, text: str) -> Optional[str]:
        if text.startswith(("https://", "http://")):
            return text
        target = (_document_target(text) or _file_target(self.modules, text)
                  or resolve(self.modules, self.key, text) or self._member(text) or self.known.get(text))
        return href(target, self.page) if target else None


def linker(names: Names, key: str, page: str) -> Linker:
    """The link for a name or a file mentioned in module ``key``'s prose, from ``page``."""
    return _Linker(names, key, page)


def name_marks(modules: Dict[str, Module], module: Module, tokens: List[Token]) -> Dict[Position, Mark]:
    """Anchors on the names a module defines; links on the names it uses."""
    by_row = {row: name for name, (row, col) in module.anchors.items() if col == -1}
    at = {position: name for name, position in module.anchors.items() if position[1] >= 0}
    marks: Dict[Position, Mark] = {}
    before: List[str] = ["", ""]  # the two previous significant tokens
    for token in tokens:
        mark = _name_mark(modules, module, token, before, by_row, at) if token.kind == "name" else None
        if mark is not None:
            marks[token.start] = mark
        if token.kind:
            before = [before[-1], token.text]
    return marks


def _name_mark(modules: Dict[str, Module], module: Module, token: Token, before: List[str],
               by_row: Dict[int, str], at: Dict[Position, str]) -> Optional[Mark]:
    """A name's mark: the anchor of a definition (taken from ``by_row`` or ``at``), the link
    of a use, or none."""
    if before[-1] in ("def", "class") and token.start[0] in by_row:
        return Mark(id=f"{module.short}.{by_row.pop(token.start[0])}")
    if token.start in at:
        return Mark(id=f"{module.short}.{at.pop(token.start)}")
    target = _use_target(modules, module, token.text, before)
    return Mark(href=href(target, module.page)) if target else None


def _use_target(modules: Dict[str, Module], module: Module, name: str, before: List[str]) -> Optional[Target]:
    if before[-1] != ".":
        return resolve(modules, module.key, name)
    owner = module.imports.get(before[0])  # module.attribute, for an imported module
    if owner is None:
        return None
    if owner[1] == "":  # import logreg_pure.part3_solvers.solvers as solvers
        return resolve(modules, owner[0], name)
    if _submodule(*owner) in modules:  # from logreg_pure.part3_solvers import solvers
        return resolve(modules, _submodule(*owner), name)
    return None


# ------------------------------------------------------------------ page parts

class Book(NamedTuple):
    """What the pages are made from."""

    modules: Dict[str, Module]
    plots: List[Tuple[str, str]]  # (file name, SVG text), from the demo
    figures: List[Tuple[str, str]]  # (file name, SVG text), the chapters' own (``chapter_figures``)
    tests: Optional[str]  # the tests folder, or None for an installed copy
    pyodide_url: str
    names: Names  # what the prose links to


def _sections(book: Book) -> List[Tuple[str, str]]:
    found = [("index.html", "Contents"), ("index.html#guide", "Guide")]
    if book.tests:
        found += [("laws.html", "Laws"), ("mutants.html", "Mutants"), ("exercises.html", "Exercises")]
    return found + [("try.html", "Try it")]


def _search_form(root: str) -> str:
    """The masthead's search box; ``search.js`` fills its list of results."""
    return (f'<form class="search" role="search" data-root="{root}"><input type="search" name="q" '
            f'placeholder="Search the book" aria-label="Search the book" autocomplete="off"/>'
            f'<ol class="search-results"></ol></form>')


_H2 = re.compile(r'<h2 id="([^"]+)">(.*?)</h2>', re.S)


def _with_contents(body: str) -> str:
    """A page with three or more headings gets a list of them under its title."""
    headings = _H2.findall(body)
    if len(headings) < 3 or "</h1>" not in body:
        return body
    items = "".join(f'<li><a href="#{anchor}">{_TAGS.sub("", inner)}</a></li>' for anchor, inner in headings)
    contents = (f'\n<nav class="contents" aria-label="On this page"><details open="open"><summary>On this page'
                f'</summary><ol>{items}</ol></details></nav>')
    end = body.index("</h1>") + len("</h1>")
    return body[:end] + contents + body[end:]


def _layout(book: Book, title: str, body: str, page: str, *, scripts: Tuple[str, ...] = ()) -> str:
    """A whole page: head, masthead with the book's sections and search box, the body
    (with its contents, if it is long)."""
    root = "../" * page.count("/")
    links = " ".join(f'<a href="{root}{target}">{words}</a>' for target, words in _sections(book))
    python = () if "python.js" in scripts else (root + "python.js",)  # every page holds the visit's Python
    tags = "".join(f'<script src="{html.escape(src)}"></script>\n' for src in python + scripts + (root + "search.js",))
    return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8"/>\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1"/>\n'
            f'<title>{html.escape(title)} · logreg_pure</title>\n'
            f'<link rel="icon" href="{root}favicon.svg" type="image/svg+xml"/>\n'
            f'<link rel="stylesheet" href="{root}book.css"/>\n</head>\n'
            f'<body data-root="{root}" data-pyodide="{html.escape(book.pyodide_url)}">\n'
            f'<header class="masthead"><a class="book" href="{root}index.html">logreg_pure</a>'
            f'<nav>{links}</nav>{_search_form(root)}</header>\n<main>\n{_with_contents(body)}\n</main>\n'
            f'{tags}</body>\n</html>\n')


def _title_line(module: Module) -> Tuple[str, str]:
    """A docstring's first line without its "Chapter N." label, and the rest."""
    doc = ast.get_docstring(module.tree) or module.key
    first, _, rest = doc.partition("\n")
    title = re.sub(r"^Chapters? [\w ,()]+?[.:] +", "", first)
    return (title[:-1] if title.endswith(".") else title), rest


def _plain(text: str) -> str:
    """Light markup as plain text, for a page's <title>."""
    return re.sub(r"`+|\*+", "", text).rstrip(".")


def _exported(module: Module) -> List[str]:
    """The module's ``__all__``, read from its source."""
    for node in module.tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "__all__" for t in node.targets):
            try:
                return [name for name in ast.literal_eval(node.value) if isinstance(name, str)]
            except ValueError:
                return []
    return []


def _names_html(module: Module, modules: Dict[str, Module]) -> str:
    """The module's public names, each linked to its anchor."""
    names = _exported(module) or [n for n in module.anchors if not n.startswith("_") and "." not in n]
    items = []
    for name in names:
        target = resolve(modules, module.key, name)
        words = f"<code>{html.escape(name)}</code>"
        items.append(f'<a href="{href(target, module.page)}">{words}</a>' if target else words)
    return f'<p class="names"><span>Defined here:</span> {" ".join(items)}</p>' if items else ""


def _docstring_nodes(tree: ast.Module) -> Iterable[ast.Expr]:
    """The docstring expressions of every function and class (the module's is the text).
    Definitions sit in lists of statements only, so only those are searched, not every
    expression of the module."""
    statements = list(tree.body)
    while statements:
        node = statements.pop()
        for field in ("body", "orelse", "finalbody", "handlers"):
            statements.extend(getattr(node, field, None) or [])
        first = node.body[0] if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) else None
        if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
            yield first


def docstring_examples(tree: ast.Module) -> Dict[int, str]:
    """Source line -> the docstring examples that start there, as doctest reads them
    (escapes already read: the text a reader would type), a run of examples with no
    blank line between them kept together.

    >>> docstring_examples(ast.parse("def f():\\n    '''Add.\\n\\n    >>> 1 + 1\\n    2\\n    '''"))
    {4: '>>> 1 + 1\\n2\\n'}
    """
    found: Dict[int, str] = {}
    for node in _docstring_nodes(tree):
        start, end = None, -1
        for example in doctest.DocTestParser().get_examples(node.value.value):
            if example.lineno != end:  # a blank line (or text) since the last example: a new run
                start = node.lineno + example.lineno
                found[start] = ""
            found[start] += "".join(("... " if k else ">>> ") + line + "\n"
                                    for k, line in enumerate(example.source.rstrip("\n").split("\n"))) + example.want
            end = example.lineno + example.source.count("\n") + example.want.count("\n")
    return found


def _formula_notes(module: Module, prose: str) -> Dict[int, str]:
    """Links back from the lines that define a function to its formula in the text above."""
    notes = {}
    for anchor in re.findall(r' id="formula-([^"]+)"', prose):
        name = anchor[len(module.short) + 1:] if anchor.startswith(module.short + ".") else ""
        if name in module.anchors:
            notes[module.anchors[name][0]] = f' <a class="to-formula" href="#formula-{anchor}">formula</a>'
    return notes


def _listing(module: Module, modules: Dict[str, Module], prose: str = "") -> str:
    """The numbered source, from the line after the module's docstring; a function's
    line links back to its formula in ``prose``, the text above it."""
    tokens = source_tokens(module.source)
    has_doc = ast.get_docstring(module.tree) is not None
    skip = getattr(module.tree.body[0], "end_lineno", 0) if has_doc else 0
    note = f'<p class="skipped">Lines 1–{skip}, the docstring, are the text above.</p>\n' if skip else ""
    return note + listing_html(tokens, name_marks(modules, module, tokens), first_line=skip + 1,
                               examples=docstring_examples(module.tree), notes=_formula_notes(module, prose))


def _figures(plots: List[Tuple[str, str]], page: str) -> str:
    """The pictures as images of ``plots/``, described by their SVG titles."""
    root = "../" * page.count("/")
    figures = []
    for name, svg in plots:
        title = re.search(r"<title>(.*?)</title>", svg, re.S)
        about = html.unescape(title.group(1)) if title else name
        figures.append(f'<figure><img src="{root}plots/{html.escape(name)}" alt="{html.escape(about)}" '
                       f'width="640" height="440"/><figcaption>plots/{html.escape(name)}</figcaption></figure>')
    kind = "figures gallery" if len(plots) > 1 else "figures"
    return f'<div class="{kind}">\n' + "\n".join(figures) + "\n</div>"


def _module_html(book: Book, module: Module, first: bool) -> str:
    """One module of a chapter: text, pictures (the demo's), names, source."""
    title, rest = _title_line(module)
    link = linker(book.names, module.key, module.page)
    filename = PACKAGE_NAME + "/" + posixpath.relpath(module_path(module.key), PACKAGE).replace(os.sep, "/")
    heading = "" if first else f'<h2 id="{module.short.strip("_")}">{inline_html(title, link)}</h2>\n'
    pictures = _figures(book.plots, module.page) + "\n" if module.short == "demo" else ""
    prose = _prose_with_figures(book, module, rest, link)
    return (f'<section class="module" data-module="{html.escape(module.key)}">\n{heading}{prose}\n{pictures}'
            f'{_names_html(module, book.modules)}\n<h3 class="source">{html.escape(filename)}</h3>\n'
            f'{_listing(module, book.modules, prose)}\n</section>')


def _neighbours(index: int, page: str) -> str:
    """Links to the previous and the next chapter."""
    parts = []
    for step, rel, arrow in ((-1, "prev", "←"), (1, "next", "→")):
        if 0 <= index + step < len(CHAPTERS):
            other = CHAPTERS[index + step]
            words = f"Chapter {html.escape(other.label)}: {inline_html(other.title)}"
            words = f"{arrow} {words}" if step < 0 else f"{words} {arrow}"
            parts.append(f'<a rel="{rel}" class="{rel}" href="{href((page_of(other), ""), page)}">{words}</a>')
    return '<nav class="turn">' + "".join(parts) + "</nav>"


def chapter_page(book: Book, index: int) -> str:
    """One chapter: its label and title, then each of its modules' text and source."""
    chapter = CHAPTERS[index]
    page = page_of(chapter)
    first = book.modules[chapter.modules[0]]
    title, _ = _title_line(first)
    body = [_neighbours(index, page), f'<p class="kicker">Chapter {html.escape(chapter.label)}</p>',
            f"<h1>{inline_html(title, linker(book.names, first.key, page))}</h1>"]
    body += [_module_html(book, book.modules[name], k == 0) for k, name in enumerate(chapter.modules)]
    body += [exercises_html(book, chapter), _neighbours(index, page)]
    return _layout(book, f"{chapter.label}. {_plain(title)}", "\n".join(body), page,
                   scripts=("python.js", "examples.js"))


def source_page(book: Book, module: Module) -> str:
    """A file of the tests: its docstring, then its source."""
    title, rest = _title_line(module)
    link = linker(book.names, module.key, module.page)
    body = (f'<p class="kicker">tests/{html.escape(module.short)}.py</p>\n<h1>{inline_html(title, link)}</h1>\n'
            f'{prose_html(rest, link)}\n{_listing(module, book.modules)}')
    return _layout(book, f"tests/{module.short}.py", body, module.page)


# ------------------------------------------------------------------ laws and mutants

class Law(NamedTuple):
    """A property test: the law its docstring states, and where it is."""

    module: Module
    test: str
    statement: str


def _is_property_test(node: ast.stmt) -> bool:
    return isinstance(node, ast.FunctionDef) and any(
        isinstance(d, ast.Call) and getattr(d.func, "id", "") == "given" for d in node.decorator_list)


def _chapter_rank(module: Module) -> Tuple[int, str]:
    """Test files in the order of the chapters their docstrings name ("Chapter 2: ...")."""
    first = (ast.get_docstring(module.tree) or "").split("\n")[0]
    match = re.match(r"Chapters? (\w+)", first)
    labels = [chapter.label for chapter in CHAPTERS]
    rank = labels.index(match.group(1)) if match and match.group(1) in labels else len(labels)
    return rank, module.key


def laws(modules: Dict[str, Module]) -> List[Law]:
    """Every property test whose docstring states a law, in chapter order."""
    tests = sorted((m for m in modules.values() if m.key.startswith("tests.test_")), key=_chapter_rank)
    found = []
    for module in tests:
        for node in module.tree.body:
            doc = ast.get_docstring(node) if _is_property_test(node) else None
            if doc and doc.startswith("Law"):
                found.append(Law(module, node.name, re.sub(r"^Law\w*:?\s*", "", doc)))
    return found


class Mutant(NamedTuple):
    """A row of the mutant catalogue, read from ``tests/mutants.py`` without running it."""

    name: str
    mistake: str
    law: str  # "test_module:test_function"
    target: str  # "module:attribute"
    replacement: str  # the mutant's function in mutants.py


def mutants(modules: Dict[str, Module]) -> List[Mutant]:
    """The catalogue's ``MUTANTS`` list, from the source: each ``Mutant(...)`` call."""
    module = modules.get("tests.mutants")
    return list(_mutant_calls(module.tree)) if module else []


@functools.lru_cache(maxsize=4)  # every chapter's exercises ask; the catalogue's tree is read once
def _mutant_calls(tree: ast.Module) -> Tuple[Mutant, ...]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "Mutant" and len(node.args) >= 5:
            texts = [getattr(arg, "value", "") for arg in node.args[:4]]
            if all(isinstance(text, str) for text in texts):
                found.append(Mutant(*texts, getattr(node.args[4], "id", "")))
    return tuple(found)


def _test_target(law: str) -> Target:
    test_module, _, test = law.partition(":")
    return f"tests/{test_module}.html", f"{test_module}.{test}"


# The mathematics inside a law's sentences ("... with p = sigmoid(z), and 0 <= p <= 1"),
# found by the words the chapters' formulas use, never by a loose pattern that also
# catches prose: a run of numbers, brackets, operators and *math words* with an operator
# in it. A math word is a one-letter variable (x, p; x1; "a" and "I" only beside an
# operator: they are English too), a Greek letter, a differential (dz, dtheta), a
# subscripted name (g_kj, w_k, l1_ratio, theta_hat), one of MATH_WORDS, or a call of a
# function (sigmoid(z), log(p)) that the library defines or MATH_WORDS names; every
# other word (is, for, gradient without brackets, math.sumprod) ends the formula.
MATH_WORDS = {"log", "exp", "sqrt", "max", "min", "abs", "sign", "sum", "mean", "det", "diag", "log1p", "fsum",
              "eps", "reg", "lr", "tol", "l1", "l2", "inf", "grad", "logit", "sigmoid", "softplus", "softmax", "ulp",
              "ulps", "std", "erf", "erfc", "Phi", "Poisson", "lower", "upper"}  # lower <= x <= upper (chapter 8)
_ENGLISH_TOO = {"sign", "mean"}
_HYPHENATED = re.compile(r"-[A-Za-z]")  # chi-square, log-odds: a word of English (read backwards too)  # math words only when called: sign(w), not "changes sign"
_LAW_TOKEN = re.compile(r"""
      (?P<skip>``.+?``|`[^`]+`|\[[^\]]*\]\([^)]*\)|\$\$.+?\$\$)  # code, links, marked math: as they are
    | (?P<number>\d+(?:\.\d+)?(?:e[-+]?\d+)?(?![A-Za-z_]))
    | (?P<word>[A-Za-z_][A-Za-z0-9]*(?:_[A-Za-z0-9]+)*(?:_\{[^{}]*\})?(?:\.[A-Za-z_]\w*)*
               (?:'s(?![A-Za-z])|'+|\*(?=[\s/),.]|$)|!(?!=))?)
    | (?P<op><=|>=|!=|==|\*\*|->|\ \.\ |[-+*/^=<>|~])
    | (?P<open>[(\[{])
    | (?P<close>[)\]}])
    | (?P<comma>[,;])  # inside brackets a formula's own: J(w, b; 1 - y)
    | (?P<space>\ |\n(?![\n ]|[-*]\ |\d+\.\ ))  # a line break inside a paragraph is a space
    | (?P<other>.)
""", re.VERBOSE | re.DOTALL)
_SUBSCRIPTED = re.compile(r"[A-Za-z]+\d?(?:_[A-Za-z0-9]{1,3})+(?:_hat)?|[A-Za-z]\d+"
                          r"|[A-Za-z]+\d?_(?:hat|max|min|ratio)|[a-z]bar|d(?:[A-Za-np-z]|" + "|".join(GREEK) + ")")


class _LawToken(NamedTuple):
    kind: str  # math (a number or a math word), op, open, close, comma, space, or prose
    start: int
    end: int


def _is_math_call(bare: str, names: Set[str]) -> bool:
    """A word before a bracket (or a slash, or with primes) that a formula calls: f(x)."""
    return (bare in names or bare in MATH_WORDS or bare in GREEK or len(bare) == 1
            or _SUBSCRIPTED.fullmatch(bare) is not None or re.fullmatch(r"[A-Z]{2,4}", bare) is not None)


def _is_code(word: str) -> bool:
    """math.sumprod, FLOAT_TOL: names of the code, not of a formula."""
    return "." in word or re.fullmatch(r"[A-Z0-9]+_[A-Z0-9_]+", word) is not None


def _is_english(text: str, start: int, end: int) -> bool:
    """The intercept's, shares sum to 1, chi-square: a word of English, by what is around it."""
    word = text[start:end]
    if word.endswith("'s") or text[start - 1:start] == "'" or word == "sum" and text[end:end + 4] == " to ":
        return True
    return bool(_HYPHENATED.match(text[end:end + 2]) or _HYPHENATED.match(text[start - 2:start][::-1]))


def _is_math_word(text: str, start: int, end: int, names: Set[str]) -> bool:
    """Does the word ``text[start:end]`` belong to a formula?"""
    word = text[start:end]
    bare = re.sub(r"_\{[^{}]*\}", "_k", word.rstrip("'*!"))  # sum_{k<a} reads as sum_k
    if word.startswith("_"):
        return text[start - 1:start] in (")", "]", "|")  # (I^-1)_jj, ||w||_1: a subscript; _fd_tolerance: code
    if _is_code(bare) or _is_english(text, start, end):
        return False
    primes = len(word) - len(word.rstrip("'"))
    if text[end:end + 1] in ("(", "/") or primes > 1 or primes == 1 and len(bare) <= 2:  # f(z), d f/dz, primes
        return _is_math_call(bare, names)
    return not primes and _is_math_name(bare, names)  # the duals' bound: English


def _is_math_name(bare: str, names: Set[str]) -> bool:
    """p, theta, w_j, eps: a name a formula uses on its own (a function's name is not one)."""
    if len(bare) == 1 or bare in GREEK or _SUBSCRIPTED.fullmatch(bare):
        return True
    return bare in MATH_WORDS and bare not in names and bare not in _ENGLISH_TOO


def _law_tokens(text: str, names: Set[str]) -> List[_LawToken]:
    """The statement's pieces, each a math piece, an operator, a bracket... or prose; a
    call's one word is its argument (logit(threshold))."""
    tokens = []
    for match in _LAW_TOKEN.finditer(text):
        kind = match.lastgroup or "other"
        if kind == "word":
            argument = re.search(r"\w\($", text[:match.start()]) and text[match.end():match.end() + 1] == ")"
            kind = "math" if argument or _is_math_word(text, match.start(), match.end(), names) else "prose"
        elif kind == "number":
            kind = "math"
        elif kind in ("skip", "other"):
            kind = "prose"
        tokens.append(_LawToken(kind, match.start(), match.end()))
    return tokens


def _is_article(text: str, tokens: List[_LawToken], k: int) -> bool:
    """"a", "A" or "I" not next to an operator or inside a bracket: English ("a fit", "a
    (w, b) pair"), not a variable ("J(a)", "x = a") nor a call ("I(theta)")."""
    token = tokens[k]
    if text[token.start:token.end] not in ("a", "A", "I") or text[token.end:token.end + 1] == "(":
        return False
    after = [t.kind for t in tokens[k + 1:k + 3] if t.kind != "space"][:1]
    before = [t.kind for t in tokens[max(k - 2, 0):k] if t.kind != "space"][-1:]
    return not {"op", "open"} & set(before) and not {"op", "close", "comma"} & set(after)


def _ends_run(text: str, tokens: List[_LawToken], k: int, opened: List[int]) -> bool:
    """Prose ends a run of mathematics; so does a comma or a closing bracket of the prose's."""
    token = tokens[k]
    if token.kind == "prose" or token.kind == "math" and _is_article(text, tokens, k):
        return True
    return token.kind in ("comma", "close") and not opened  # (... at reg = 0): the prose's bracket


def _pieces(first: int, cut: List[int], last: int) -> List[Tuple[int, int]]:
    """A run of tokens, split around the bracket at ``cut`` (one it opened and never closed)."""
    bounds = [first] + [bound for at in cut for bound in (at - 1, at + 1)] + [last]
    return list(zip(bounds[::2], bounds[1::2]))


def _runs(text: str, tokens: List[_LawToken]) -> List[Tuple[int, int]]:
    """(first, last) token of each run with no prose in it; a comma outside brackets ends
    one, and a bracket the prose opens and never closes in the run splits it."""
    runs: List[Tuple[int, int]] = []
    first: Optional[int] = None
    opened: List[int] = []  # the run's brackets still open
    tokens = tokens + [_LawToken("prose", len(text), len(text))]
    for k, token in enumerate(tokens):
        if _ends_run(text, tokens, k, opened):
            runs += _pieces(first, opened[:1], k - 1) if first is not None else []
            first, opened = None, []
            continue
        if token.kind == "open":
            opened.append(k)
        elif token.kind == "close":
            opened.pop()
        first = k if first is None else first
    return runs


def _balanced(kinds: List[str]) -> bool:
    depth = 0
    for kind in kinds:
        depth += (kind == "open") - (kind == "close")
        if depth < 0:
            return False
    return depth == 0


def _cut(text: str, tokens: List[_LawToken], first: int, last: int) -> Tuple[int, int]:
    """A run cut to start and end with a term: an open bracket, a |, a minus may start it;
    a function's name without its bracket may not end it."""
    while first <= last and not (tokens[first].kind in ("math", "open")
                                 or text[tokens[first].start:tokens[first].end] in ("-", "|")):
        first += 1
    while last >= first and not (tokens[last].kind == "close" or text[tokens[last].start:tokens[last].end] == "|"
                                 or tokens[last].kind == "math" and text[tokens[last].end:tokens[last].end + 1] != "("):
        last -= 1
    return first, last


def _trimmed(text: str, tokens: List[_LawToken], first: int, last: int) -> Optional[Tuple[int, int]]:
    """The text positions of the formula in a run, or None if it holds none."""
    first, last = _cut(text, tokens, first, last)
    inside = tokens[first:last + 1]
    return (inside[0].start, inside[-1].end) if inside and _is_formula_run(text, inside) else None


def _is_formula_run(text: str, inside: List[_LawToken]) -> bool:
    """A run is a formula if it has an operator between terms (p = sigmoid(z)), is a call
    (logit(p)) or is one variable (p, w_j, theta; not a word such as reg, nor a number);
    its brackets balance, and it is not half of a piece of code (fit(X).transform(X))."""
    start, end, kinds = inside[0].start, inside[-1].end, [t.kind for t in inside]
    if _is_half_of_code(text, start, end) or not _balanced(kinds):
        return False
    if kinds.count("math") >= 2:
        head = inside[kinds.index("math")]
        return "op" in kinds or text[head.end:head.end + 1] + text[end - 1] == "()"
    return kinds == ["math"] and _is_variable(text[start:end])


def _is_half_of_code(text: str, start: int, end: int) -> bool:
    """model.predict(x) = y, fit(X).transform(X): a formula there would be half of the code."""
    return re.match(r"\.\w", text[end:end + 2]) is not None or text[start - 1:start] == "."


def _is_variable(word: str) -> bool:
    """p, w_j, theta_hat, x1; but not a, A or I (English), nor L1, L2 (the penalties' names)."""
    return _VARIABLE.fullmatch(word) is not None and word not in ("a", "A", "I", "L1", "L2")


_VARIABLE = re.compile(r"(?:[A-Za-z]|" + "|".join(GREEK) + r")(?:_[A-Za-z0-9]{1,3}|_hat|\d)?'*")  # p, w_j, theta_hat


def law_math(text: str, names: Iterable[str] = ()) -> List[Tuple[int, int]]:
    """Where the formulas are in a law's statement: (start, end) of each.

    >>> text = "sigmoid(logit(p)) = p for every p in (0, 1), and 0 <= p <= 1 is a fact."
    >>> [text[i:j] for i, j in law_math(text, {"sigmoid", "logit"})]
    ['sigmoid(logit(p)) = p', 'p', '0 <= p <= 1']
    >>> text = "P(X >= x) is non-increasing in x, a property of the gradient."
    >>> [text[i:j] for i, j in law_math(text)]
    ['P(X >= x)', 'x']
    """
    known = set(names)
    tokens = _law_tokens(text, known)
    found = [_trimmed(text, tokens, first, last) for first, last in _runs(text, tokens)]
    return [span for span in found if span is not None]


def law_statement(text: str, names: Iterable[str] = ()) -> str:
    """A law's statement with its formulas marked as mathematics (``$$...$$``, see
    ``law_math``); ``names`` are the library's functions, whose calls are formulas.

    >>> law_statement("sigmoid(logit(p)) = p for every p in (0, 1).", {"sigmoid", "logit"})
    '$$sigmoid(logit(p)) = p$$ for every $$p$$ in (0, 1).'
    """
    pieces, end = [], 0
    for start, stop in law_math(text, names):
        pieces += [text[end:start], f"$${text[start:stop]}$$"]
        end = stop
    return "".join(pieces + [text[end:]])


def law_names(book: Book) -> Set[str]:
    """The names whose calls a law's formula may hold: every name the book defines, a
    method by its own name too (predict_proba(X))."""
    return _LAW_NAMES.setdefault(id(book.names), {name.rsplit(".", 1)[-1] for name in book.names.known})


_LAW_NAMES: Dict[int, Set[str]] = {}


def _law_html(law: Law, book: Book, killers: Dict[str, List[str]]) -> str:
    link = linker(book.names, law.module.key, "laws.html")
    anchor = f"{law.module.short}.{law.test}"
    killed = killers.get(f"{law.module.short}:{law.test}", [])
    mutant_links = ", ".join(f'<a href="mutants.html#{name}"><code>{name}</code></a>' for name in killed)
    caught = f" · catches {mutant_links}" if killed else ""
    return (f'<li id="{anchor}">{prose_html(law_statement(law.statement, law_names(book)), link)}\n<p class="law-source">'
            f'<a href="{href((law.module.page, anchor), "laws.html")}"><code>{html.escape(law.test)}</code></a>'
            f'{caught}</p></li>')


def laws_page(book: Book) -> str:
    """Every law, by chapter, each linked to its test's source and the mutants it catches."""
    found, killers = laws(book.modules), {}
    for mutant in mutants(book.modules):
        killers.setdefault(mutant.law, []).append(mutant.name)
    body = ["<h1>The laws</h1>", f"<p>Each of these {len(found)} laws is a Hypothesis property test: its "
            "docstring states the law, its precondition and the reason for its tolerance, and Hypothesis "
            "checks it on many generated examples. A law's name links to its source; the mutants it "
            "catches show that it can fail.</p>"]
    groups: Dict[str, List[Law]] = {}
    for law in found:
        groups.setdefault(law.module.key, []).append(law)
    for members in groups.values():
        module = members[0].module
        heading = (ast.get_docstring(module.tree) or module.short).split("\n")[0].rstrip(".")
        body.append(f'<section class="laws"><h2 id="{module.short}">{inline_html(heading)}</h2>\n'
                    f'<p class="law-file"><a href="{module.page}"><code>tests/{module.short}.py</code></a></p>\n<ol>')
        body += [_law_html(law, book, killers) for law in members]
        body.append("</ol></section>")
    return _layout(book, "The laws", "\n".join(body), "laws.html")


def _read_text(path: str) -> str:
    with open(path, encoding="utf-8") as handle:
        return handle.read()


def _exercise_anchors(book: Book) -> Dict[str, str]:
    """Mutant name -> the id of its exercise's heading on the exercises page."""
    text = _read_text(os.path.join(book.tests, "EXERCISES.md"))
    found = {}
    for heading in re.findall(r"^#+ +(.*)$", text, re.M):
        for name in re.findall(r"`(\w+)`", heading):
            found[name] = slug(heading)
    return found


def _breakable(name: str) -> str:
    """A long snake_case name that may wrap after its underscores."""
    return html.escape(name).replace("_", "_<wbr/>")


def _mutant_row(book: Book, mutant: Mutant, exercises: Dict[str, str]) -> str:
    """One mutant: its name and what it replaces; the mistake; its law (and exercise)."""
    link = linker(book.names, "tests.mutants", "mutants.html")
    module, _, attribute = mutant.target.partition(":")
    key = _inner_key(module) if module.startswith(PACKAGE_NAME + ".") else f"tests.{module}"
    replaced = resolve(book.modules, key, attribute)
    shown = f"<code>{html.escape(module.split('.')[-1] + '.' + attribute)}</code>"
    source = resolve(book.modules, "tests.mutants", mutant.replacement)
    name = f"<code>{_breakable(mutant.name)}</code>"
    test_module, _, law = mutant.law.partition(":")
    exercise = exercises.get(mutant.name)
    cells = [
        (f'<a href="{href(source, "mutants.html")}">{name}</a>' if source else name)
        + '<span class="replaces">replaces '
        + (f'<a href="{href(replaced, "mutants.html")}">{shown}</a>' if replaced else shown) + "</span>",
        inline_html(mutant.mistake, link),
        f'<a href="laws.html#{test_module}.{law}"><code>{_breakable(law)}</code></a>'
        + (f' (<a href="exercises.html#{exercise}">exercise</a>)' if exercise else ""),
    ]
    return f'<tr id="{mutant.name}">' + "".join(f"<td>{cell}</td>" for cell in cells) + "</tr>"


def mutants_page(book: Book) -> str:
    """The catalogue: each mistake, the function it replaces and the law that catches it."""
    module = book.modules["tests.mutants"]
    first, rest = _title_line(module)
    link = linker(book.names, module.key, "mutants.html")
    exercises = _exercise_anchors(book)
    rows = "\n".join(_mutant_row(book, mutant, exercises) for mutant in mutants(book.modules))
    body = (f'<h1>The mutant catalogue</h1>\n<p class="lead">{inline_html(first, link)}.</p>\n'
            f'{prose_html(rest, link)}\n<div class="table"><table class="mutants"><thead><tr><th>mutant</th>'
            f'<th>the mistake</th><th>caught by the law</th></tr></thead>\n<tbody>\n{rows}\n</tbody></table></div>\n'
            f'<p>The catalogue\'s source, with every mutant: <a href="{module.page}">tests/mutants.py</a>.</p>')
    return _layout(book, "The mutant catalogue", body, "mutants.html")


def markdown_page(book: Book, filename: str, page: str) -> str:
    """A Markdown file of the tests folder (the exercises, the answers) as a page."""
    text = _read_text(os.path.join(book.tests, filename))
    heading = re.search(r"^# +(.*)$", text, re.M)
    body = prose_html(text, linker(book.names, PACKAGE_NAME, page))
    return _layout(book, _plain(heading.group(1)) if heading else filename, body, page)


# ------------------------------------------------------------------ the guide

def guide_pictures(name: str) -> Dict[str, str]:
    """The pictures a page of the guide shows (``![...](../../../tests/golden/x.svg)``)
    that this copy has: each one's path as the page writes it -> its file. An installed
    copy has no ``tests/`` folder, and its pages say in words what the picture shows."""
    found = {}
    for block in parse_blocks(page_markdown(name)):
        path = os.path.normpath(os.path.join(PAGES, *block.info.split("/"))) if block.kind == "image" else ""
        if path.endswith(".svg") and os.path.isfile(path):
            found[block.info] = path
    return found


def _picture_file(path: str) -> str:
    """Where the book keeps a picture of the guide: ``guide/pictures/x.svg``."""
    return "guide/pictures/" + os.path.basename(path)


def guide_page(book: Book, name: str) -> str:
    """One page of the guide: its Markdown, every name and file in it linked."""
    page, text = f"guide/{name}.html", page_markdown(name)
    pictures = {src: href((_picture_file(path), ""), page) for src, path in guide_pictures(name).items()}
    names = linker(book.names, PACKAGE_NAME, page)
    body = prose_html(text, lambda target: pictures.get(target) or names(target))
    return _layout(book, page_title(text), body, page)


def guide_files(book: Book) -> Files:
    """The guide's pages and pictures, by their paths in the book."""
    files = {f"guide/{name}.html": guide_page(book, name) for name in GUIDE}
    for name in GUIDE:
        files.update({_picture_file(path): _read_text(path) for path in guide_pictures(name).values()})
    return files


def _guide_html() -> str:
    """The index's list of the guide's pages, by their titles."""
    items = "\n".join(f'<li><a href="guide/{name}.html">{inline_html(page_title(page_markdown(name)))}</a></li>'
                       for name in GUIDE)
    return (f'<h2 id="guide">The guide</h2>\n<p>How to use the library: from the command line and from '
            f'Python, what it computes and how it is checked.</p>\n<ol class="guide">\n{items}\n</ol>')


# ------------------------------------------------------------------ the chapters' figures

class BookFigure(NamedTuple):
    """Pictures drawn for a chapter by chapter 32's plots, placed after the paragraph of
    the chapter's text that holds ``after`` (a test checks that every phrase is found)."""

    module: str
    after: str
    names: Tuple[str, ...]  # files of figures/


FIGURE_PLACES = (
    BookFigure("part1_mathematics.links", "So the sigmoid is not the model", ("sigmoid.svg", "logit.svg")),
    BookFigure("part1_mathematics.loss", "because ``log p = -softplus(-z)``", ("loss.svg",)),
    BookFigure("part1_mathematics.softmax", "It is the sigmoid generalized", ("three_classes.svg",)),
    BookFigure("part2_problem.separation", "then walking along it", ("separation.svg",)),
    BookFigure("part3_solvers.solvers", "- ``GradientDescent``", ("descent.svg",)),
    BookFigure("part5_inference.metrics", "- from hard predictions", ("roc.svg", "calibration.svg")),
    BookFigure("part5_inference.path", "**The path.**", ("path.svg",)),
    BookFigure("part5_inference.path", "**Cross-validation.**", ("cv.svg",)),
    BookFigure("part6_command_line.plots", "- ``plot_objective``", ("../plots/objective.svg", "../plots/roc.svg",
                                                                      "../plots/sigmoid.svg", "../plots/boundary.svg")),
)
STEPS = [k / 20 for k in range(-120, 121)]  # z from -6 to 6


def _sigmoid_figure() -> str:
    figure = Figure("The sigmoid: p = sigmoid(z) = 1 / (1 + exp(-z))", "log-odds z", "probability p",
                    (-6.0, 6.0), (-0.05, 1.05))
    figure.polyline([-6.0, 6.0], [0.5, 0.5], colour="#999999", dashed=True, css_class="half")
    figure.polyline(STEPS, [sigmoid(z) for z in STEPS])
    return figure.to_svg()


def _logit_figure() -> str:
    figure = Figure("Its inverse, the logit: z = log(p / (1 - p))", "probability p", "log-odds z",
                    (-0.05, 1.05), (-6.5, 6.5))
    figure.polyline([-0.05, 1.05], [0.0, 0.0], colour="#999999", dashed=True, css_class="zero")
    ps = [sigmoid(z) for z in STEPS]
    figure.polyline(ps, [logit(p) for p in ps])
    return figure.to_svg()


def _loss_figure() -> str:
    figure = Figure("The loss of one example, from its log-odds z", "log-odds z", "loss(y, z)",
                    (-6.0, 6.0), (-0.2, 6.5))
    for y, colour in ((1.0, CLASS_COLOURS[1]), (0.0, CLASS_COLOURS[0])):
        figure.polyline(STEPS, [example_loss(y, z) for z in STEPS], colour=colour, label=f"y = {y:g}")
    figure.legend([(CLASS_COLOURS[1], "y = 1: softplus(-z)"), (CLASS_COLOURS[0], "y = 0: softplus(z)")],
                  left=250)
    return figure.to_svg()


def _descent_figure() -> str:
    """Gradient descent's path in the plane of (b, w) on the study-hours data, by the
    rule of chapter 15 written out with chapter 5's gradient, and Newton's answer."""
    data = load_study_hours()
    w, b, lr, path = [0.0], 0.0, 0.5, [(0.0, 0.0)]
    for _ in range(DESCENT_STEPS):
        grad_w, grad_b = gradient(w, b, data.X, data.y)
        w, b = [w[0] - lr * grad_w[0]], b - lr * grad_b
        path.append((b, w[0]))
    best = LogisticRegression(solver="newton", tol=1e-10).fit(data.X, data.y)
    marked = [path[k] for k in DESCENT_MARKS]
    figure = Figure(f"Gradient descent on J(b, w), lr = {lr:g}: steps {', '.join(map(str, DESCENT_MARKS[1:6]))}, "
                    f"... {DESCENT_STEPS}", "intercept b", "weight w", (-4.6, 0.4), (-0.2, 1.8))
    figure.polyline([p[0] for p in path], [p[1] for p in path], colour=CLASS_COLOURS[0], label="the path")
    figure.circles([p[0] for p in marked], [p[1] for p in marked], CLASS_COLOURS[0], "step")
    figure.circles([best.intercept_], [best.coef_[0]], CLASS_COLOURS[1], "optimum")
    figure.legend([(CLASS_COLOURS[0], "steps 0, 1, 2, 5, 10, 20, 50, ..."), (CLASS_COLOURS[1], "the minimum (Newton)")],
                  left=330)
    return figure.to_svg()


DESCENT_STEPS = 3000
DESCENT_MARKS = (0, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 3000)


SEPARATED_ROWS = ((0.5, 1.0), (1.0, 2.5), (1.5, 0.5), (2.0, 1.5), (2.5, 0.5), (0.5, 2.0),
                  (2.5, 3.0), (3.0, 2.0), (3.5, 3.5), (4.0, 1.5), (2.0, 3.5), (3.5, 1.0))


def _separation_figure() -> str:
    """Separated data and the direction the linear program of chapter 9 finds: along it,
    the line beta . (1, x) = 0 keeps every example on its own side."""
    X, y = [list(row) for row in SEPARATED_ROWS], [0.0] * 6 + [1.0] * 6
    beta = detect_separation(X, y).beta
    figure = Figure("Complete separation: the LP's direction β", "x1", "x2", (0.0, 4.5), (0.0, 4.0))
    for label, colour in zip((0.0, 1.0), CLASS_COLOURS):
        figure.circles([x[0] for x, t in zip(X, y) if t == label], [x[1] for x, t in zip(X, y) if t == label],
                       colour, f"class-{int(label)}")
    xs = [0.0, 4.5]
    figure.polyline(xs, [-(beta[0] + beta[1] * x) / beta[2] for x in xs], css_class="boundary")
    figure.legend([(CLASS_COLOURS[0], "class 0"), (CLASS_COLOURS[1], "class 1"),
                   (LINE_COLOUR, f"{beta[0]:.3g} + {beta[1]:.3g} x1 + {beta[2]:.3g} x2 = 0")])
    return figure.to_svg()


def _three_class_figure() -> str:
    """The iris data's petals, three classes, and the regions where each class's
    softmax probability is the largest (chapter 32's ``plot_class_regions``)."""
    data = load_iris()
    X = [[row[2], row[3]] for row in data.X]
    model = SoftmaxRegression(solver="newton", reg=0.01).fit(X, data.y)
    return plot_class_regions(X, data.y, model.predict, classes=data.classes(),
                              feature_names=("petal length", "petal width"),
                              title="Three classes: where each one's softmax probability is largest")


def _path_figures() -> List[Tuple[str, str]]:
    """Chapter 26's path and cross-validation on the endometrial data (standardized)."""
    data = load_endometrial()
    X = Standardizer().fit(data.X).transform(data.X)
    choice = choose_reg(X, data.y, k=5, random_state=0, n_regs=30)
    path = regularization_path(X, data.y, n_regs=30, feature_names=data.feature_names)
    return [("path.svg", plot_coefficient_paths(path.regs, path.coefs, feature_names=path.feature_names,
                                                chosen_reg=choice.one_se_reg,
                                                title="Lasso path, endometrial data (standardized)")),
            ("cv.svg", plot_cv_curve(choice.regs, choice.mean_scores, choice.std_errors, best_reg=choice.best_reg,
                                     one_se_reg=choice.one_se_reg, title="5-fold cross-validation"))]


def _calibration_figure(y: Sequence[float], z: Sequence[float]) -> str:
    table = calibration_table(y, [sigmoid(v) for v in z], bins=5)  # about 30 held-out rows a bin
    figure = Figure("Calibration on the demo's held-out rows", "mean predicted probability",
                    "observed rate of 1s", (-0.02, 1.02), (-0.02, 1.02))
    figure.polyline([0.0, 1.0], [0.0, 1.0], colour="#999999", dashed=True, css_class="diagonal")
    figure.polyline([row[3] for row in table], [row[4] for row in table], colour=CLASS_COLOURS[1])
    figure.circles([row[3] for row in table], [row[4] for row in table], CLASS_COLOURS[1], "bin")
    return figure.to_svg()


def chapter_figures(demo: Optional[Demo] = None) -> List[Tuple[str, str]]:
    """Every chapter's pictures, (file name in figures/, SVG), drawn at build time;
    chapter 23's ROC and calibration need the demo's held-out rows."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the path's edge and a small fold's warnings say nothing to a reader
        figures = [("sigmoid.svg", _sigmoid_figure()), ("logit.svg", _logit_figure()), ("loss.svg", _loss_figure()),
                   ("three_classes.svg", _three_class_figure()), ("separation.svg", _separation_figure()),
                   ("descent.svg", _descent_figure())] + _path_figures()
    if demo is not None:
        fpr, tpr, _ = roc_curve(demo.y_test, demo.z_test)
        figures += [("roc.svg", plot_roc(fpr, tpr, roc_auc(demo.y_test, demo.z_test),
                                         title="ROC on the demo's held-out rows")),
                    ("calibration.svg", _calibration_figure(demo.y_test, demo.z_test))]
    return figures


def _figure_html(name: str, svg: str, page: str) -> str:
    root = "../" * page.count("/")
    path = posixpath.normpath(posixpath.join("figures", name))
    title = re.search(r"<title>(.*?)</title>", svg, re.S)
    about = html.unescape(title.group(1)) if title else name
    return (f'<figure><img src="{root}{html.escape(path)}" alt="{html.escape(about)}" width="640" height="440"/>'
            f'<figcaption>{inline_html(law_statement(about))}</figcaption></figure>')  # its formulas as math


def _paragraph_end(text: str, phrase: str, start: int) -> int:
    """Where the paragraph holding ``phrase`` (at or after ``start``) ends; -1 if none does."""
    at = text.find(phrase, start)
    end = text.find("\n\n", at) if at >= 0 else -1
    return len(text) if at >= 0 and end < 0 else end


def _prose_with_figures(book: Book, module: Module, rest: str, link: Linker) -> str:
    """A module's text with its figures, each set after the paragraph it illustrates."""
    drawn = dict(book.figures)
    drawn.update({f"../plots/{name}": svg for name, svg in book.plots})
    pieces, start = [], 0
    for place in (place for place in FIGURE_PLACES if place.module == module.key):
        shown = [name for name in place.names if name in drawn]
        end = _paragraph_end(rest, place.after, start) if shown else -1
        if end >= 0:
            figures = [_figure_html(name, drawn[name], module.page) for name in shown]
            pieces += [prose_html(rest[start:end], link, code_of=_code_of(module)), _gallery(figures)]
            start = end
    return "\n".join(pieces + [prose_html(rest[start:], link, code_of=_code_of(module))])


def _gallery(figures: List[str]) -> str:
    kind = "figures gallery" if len(figures) > 1 else "figures"
    return f'<div class="{kind}">\n' + "\n".join(figures) + "\n</div>"


# ------------------------------------------------------------------ exercises

class Exercise(NamedTuple):
    """One exercise at the end of a chapter: ``kind`` is "predict" (a docstring's example:
    say what its last line prints) or "bug" (a mutant: find the wrong line)."""

    kind: str
    module: str  # the chapter's module it is about
    name: str  # the function (or class) it is about
    code: str  # what the reader sees: the example, its last output hidden; or the variant
    answer: str  # the hidden output; or the mistake, in words
    law: str  # for a bug, "test_module:test" that catches it; else ""
    mutant: str = ""  # for a bug, its name in the mutant catalogue


EXERCISES_PER_KIND = 2  # per chapter: enough to practise, few enough to do


def _definition_node(tree: ast.Module, name: str) -> Optional[ast.stmt]:
    for node in _top_level(tree):
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and node.name == name:
            return node
    return None


def _prompted(source: str) -> str:
    """An example's source as typed at the prompt: ``>>> `` then ``... `` lines."""
    lines = source.rstrip("\n").split("\n")
    return "".join(("... " if k else ">>> ") + line + "\n" for k, line in enumerate(lines))


def _examples(module: Module, name: str) -> List[doctest.Example]:
    """The examples of a top-level name's docstring."""
    node = _definition_node(module.tree, name)
    doc = ast.get_docstring(node) if node is not None else None
    return doctest.DocTestParser().get_examples(doc) if doc else []


def predict_exercises(module: Module) -> List[Exercise]:
    """The first public names whose docstring examples are short: all but the last
    example shown with their outputs, the last one's output to predict."""
    found = []
    for name in _exported(module) or [n for n in module.anchors if not n.startswith("_") and "." not in n]:
        examples = _examples(module, name)
        if 0 < len(examples) <= 4 and 0 < len(examples[-1].want) <= 200:
            shown = "".join(_prompted(e.source) + e.want for e in examples[:-1]) + _prompted(examples[-1].source)
            found.append(Exercise("predict", module.key, name, shown.rstrip("\n"), examples[-1].want.rstrip("\n"), ""))
    return found[:EXERCISES_PER_KIND]


def _variant_source(module: Module, mutant: Mutant, attribute: str) -> Optional[str]:
    """A mutant's function as the reader sees it: named as the function it replaces, its
    docstring and comments (which name the mistake) left out."""
    node = _definition_node(module.tree, mutant.replacement)
    if not isinstance(node, ast.FunctionDef):
        return None
    skip = set(range(node.body[0].lineno, node.body[0].end_lineno + 1)) if ast.get_docstring(node) else set()
    lines = module.source.splitlines()[node.lineno - 1:node.end_lineno]
    text = "\n".join(line for n, line in enumerate(lines, start=node.lineno) if n not in skip)
    plain = "".join(token.text for token in source_tokens(text) if token.kind != "com")
    kept = [line.rstrip() for line in plain.split("\n")]
    return "\n".join(kept).replace(f"def {mutant.replacement}(", f"def {attribute}(", 1)


def bug_exercises(book: Book, key: str) -> List[Exercise]:
    """The mutants of the catalogue that replace a function of module ``key``."""
    source = book.modules.get("tests.mutants")
    found = []
    for mutant in mutants(book.modules) if source else []:
        module, _, attribute = mutant.target.partition(":")
        code = _variant_source(source, mutant, attribute) if _inner_key(module) == key else None
        if code:
            found.append(Exercise("bug", key, attribute, code, mutant.mistake, mutant.law, mutant.name))
    return found[:EXERCISES_PER_KIND]


def _exercise_html(book: Book, exercise: Exercise, page: str) -> str:
    link = linker(book.names, exercise.module, page)
    name = inline_html(f"``{exercise.name}``", link)
    if exercise.kind == "predict":
        return (f'<li data-module="{html.escape(exercise.module)}"><p>Predict what the last line prints, '
                f"then run it. (The example is {name}'s, from its "
                f'docstring.)</p>\n<pre class="doctest exercise"><code>{html.escape(exercise.code)}</code></pre>\n'
                f'<details><summary>Answer</summary><pre class="doctest"><code>{html.escape(exercise.answer)}'
                f"</code></pre></details></li>")
    test_module, _, test = exercise.law.partition(":")
    law = href((f"tests/{test_module}.html", f"{test_module}.{test}"), page)
    return (f"<li><p>Find the bug: one thing in this version of {name} is wrong, a mistake people make when "
            f'they write it by hand. Which input shows it?</p>\n<pre class="code"><code>'
            f"{html.escape(exercise.code)}</code></pre>\n<details><summary>Answer</summary><p>"
            f"{inline_html(exercise.answer, link)}. The law <a href=\"{law}\"><code>{html.escape(test)}</code></a> "
            f"catches it; to watch Hypothesis find an input that shows it, run "
            f"<code>python tests/mutants.py {html.escape(exercise.mutant)}</code> (the "
            f'<a href="{href(("mutants.html", exercise.mutant), page)}">catalogue</a>\'s '
            f"<code>{html.escape(exercise.mutant)}</code>).</p></details></li>")


def chapter_exercises(book: Book, chapter: Chapter) -> List[Exercise]:
    """A chapter's exercises: its modules' examples to predict, then its bugs to find."""
    found = [e for name in chapter.modules for e in predict_exercises(book.modules[name])]
    return found + [e for name in chapter.modules for e in bug_exercises(book, name)]


def exercises_html(book: Book, chapter: Chapter) -> str:
    """The exercises at the end of a chapter, each answer hidden in a ``<details>``."""
    page = page_of(chapter)
    items = [_exercise_html(book, exercise, page) for exercise in chapter_exercises(book, chapter)]
    if not items:
        return ""
    return ('<section class="exercises">\n<h2 id="exercises">Exercises</h2>\n<ol>\n' + "\n".join(items)
            + "\n</ol>\n</section>")


# ------------------------------------------------------------------ the index

NO_TESTS = ("This copy of logreg_pure was installed without its tests/ folder, so the book has "
            "no pages of laws, mutants or exercises: build it from a source checkout to get them.")


def _contents_row(book: Book, chapter: Chapter) -> str:
    title, _ = _title_line(book.modules[chapter.modules[0]])
    files = ", ".join(module_file(name) for name in chapter.modules)
    return (f'<li><a href="{page_of(chapter)}"><span class="label">{html.escape(chapter.label)}</span>'
            f'<span class="chapter-title">{inline_html(title)}</span></a>'
            f'<span class="about"><span class="files">{html.escape(files)}</span> · '
            f'<span class="summary">{inline_html(chapter.title)}</span></span></li>')


def _contents_html(book: Book) -> str:
    """The chapters, part by part, each part under the first line of its ``__init__``'s docstring."""
    parts = []
    for part in PARTS:
        heading = (ast.get_docstring(book.modules[part].tree) or part).split("\n")[0].rstrip(".")
        rows = [_contents_row(book, chapter) for chapter in CHAPTERS if part_of(chapter) == part]
        parts.append(f'<h3 class="part" id="{html.escape(part)}">{inline_html(heading)}</h3>\n'
                     f'<ol class="contents">\n' + "\n".join(rows) + "\n</ol>")
    return "\n".join(parts)


def _extras_html(book: Book) -> str:
    if not book.tests:
        return f'<p class="notice">{html.escape(NO_TESTS)}</p>'
    pages = sorted(m for m in book.modules.values() if m.key.startswith("tests."))
    files = " ".join(f'<a href="{m.page}"><code>{m.short}.py</code></a>' for m in pages)
    return (f'<ul class="extras">\n<li><a href="laws.html">The laws</a>: {len(laws(book.modules))} property '
            f'tests, each stating one law of the mathematics.</li>\n<li><a href="mutants.html">The mutant '
            f'catalogue</a>: {len(mutants(book.modules))} realistic bugs, each caught by a law.</li>\n'
            f'<li><a href="exercises.html">Exercises</a>: break the library, watch a law catch it '
            f'(<a href="answers.html">answers</a>, kept apart).</li>\n</ul>\n'
            f'<h2 id="tests">The tests, file by file</h2>\n<p class="test-files">{files}</p>')


def index_page(book: Book) -> str:
    """The title page: what the book is, the reading order, everything around it."""
    sigmoid = [plot for plot in book.plots if plot[0] == "sigmoid.svg"]
    body = ('<h1 class="title">logreg_pure</h1>\n<p class="subtitle">Logistic regression in plain '
            'Python, read as a book</p>\n<p class="lead">One module per chapter, in eight parts, from vectors as '
            'lists to the command line, with nothing but the standard library. Each chapter opens with its '
            'mathematics and then shows all of its code; every name in the code links to the chapter '
            'that defines it.</p>\n'
            f'<h2 id="reading-order">Read the code in this order</h2>\n{_contents_html(book)}\n'
            f'{_guide_html()}\n'
            f'<h2 id="around">Around the chapters</h2>\n{_extras_html(book)}\n'
            '<h2 id="try">Run it in this browser</h2>\n<p><a href="try.html">Try it</a>: the library '
            'itself runs in the page, on Pyodide. Run the demo, or fit your own CSV file, with nothing '
            'to install.</p>\n'
            f'{_figures(sigmoid, "index.html") if sigmoid else ""}')
    return _layout(book, "Contents", body, "index.html")


# ------------------------------------------------------------------ the page that runs it

def _static(name: str) -> str:
    """A file of the book's own: the style sheet, the script, the try page's body."""
    path = os.path.join(STATIC, name)
    if not os.path.exists(path):
        raise ValueError(f"{path} is missing: reinstall logreg_pure (the book's files are package data)")
    return _read_text(path)


def library_bundle() -> str:
    """The package's own files (sources and data) as one script, for Pyodide's file system."""
    files = {}
    for folder, subfolders, names in os.walk(PACKAGE):
        subfolders[:] = sorted(d for d in subfolders if d not in ("__pycache__", "web"))
        for name in sorted(names):
            if name.endswith((".py", ".csv")):
                path = os.path.join(folder, name)
                relative = posixpath.join(PACKAGE_NAME, os.path.relpath(path, PACKAGE).replace(os.sep, "/"))
                files[relative] = _read_text(path)
    return ("// logreg_pure's own files, copied into Pyodide's file system by worker.js.\n"
            "// Written by python -m logreg_pure book; do not edit.\n"
            f"self.LOGREG_PURE_FILES = {json.dumps(files, sort_keys=True, indent=0)};\n")


def _options(values: Iterable[str], chosen: str, words: Dict[str, str]) -> str:
    """A select's options, one per value, ``chosen`` selected, each named as ``words`` says."""
    selected = ' selected="selected"'
    return "".join(f'<option value="{html.escape(value)}"{selected if value == chosen else ""}>'
                   f'{html.escape(words.get(value, value))}</option>' for value in values)


def try_page(book: Book) -> str:
    """``try.html``: buttons and a text area; ``try.js`` loads Pyodide and runs chapter 39.
    Its solver and penalty choices are the command line's (chapters 15 and 17's tables)."""
    sample = _read_text(os.path.join(PACKAGE, *SAMPLE_CSV.split("/")))
    solvers = _options(("auto",) + SOLVERS, "auto", {"auto": "auto (newton, or cd for an L1 part)"})
    penalties = _options(MODEL_PENALTIES, "l2", {"firth": "firth (separated data)"})
    body = (_static("try.html").replace("@PYODIDE_URL@", html.escape(book.pyodide_url))
            .replace("@SAMPLE_CSV@", html.escape(sample, quote=False))
            .replace("@SOLVER_OPTIONS@", solvers).replace("@PENALTY_OPTIONS@", penalties))
    return _layout(book, "Try it in your browser", body, "try.html", scripts=("python.js", "try.js"))


# ------------------------------------------------------------------ finding things

_TAGS = re.compile(r"<[^>]+>")
_HEADING = re.compile(r'<h([23]) id="([^"]+)"[^>]*>(.*?)</h\1>', re.S)
_PAGE_TITLE = re.compile(r"<title>(.*?) · logreg_pure</title>", re.S)
SearchEntry = List[str]  # [kind, title, path in the book (with #anchor), its words]


def _text_of(fragment: str) -> str:
    """HTML as plain text: the tags dropped, the entities read."""
    return html.unescape(_TAGS.sub(" ", fragment))


def index_words(fragment: str) -> str:
    """The distinct words (three letters or more) of a piece of HTML, its listings left
    out, in lower case and in the order they first appear.

    >>> index_words("<p>The <em>sigmoid</em> of z</p><pre>hidden()</pre><p>the end</p>")
    'the sigmoid end'
    """
    prose = re.sub(r"<pre\b.*?</pre>", " ", fragment, flags=re.S)
    found = re.findall(r"[^\W\d]\w{2,}", _text_of(prose).lower())
    return " ".join(dict.fromkeys(found))


def _page_kind(page: str) -> str:
    if page.startswith("guide/"):
        return "guide"
    return "chapter" if page in {page_of(chapter) for chapter in CHAPTERS} else "page"


def page_entries(files: Files) -> List[SearchEntry]:
    """A search entry for every page (its title and the words of its text, but the laws
    page's, whose laws have entries of their own) and for every heading on it."""
    entries = []
    for page in sorted(name for name in files if name.endswith(".html")):
        text = files[page]
        main = text[text.find("<main>"):text.find("</main>")]
        found = _PAGE_TITLE.search(text)
        title = html.unescape(found.group(1)) if found else page
        entries.append([_page_kind(page), title, page, "" if page == "laws.html" else index_words(main)])
        entries += [["heading", f"{_text_of(inner).strip()} ({title})", f"{page}#{anchor}", ""]
                    for _, anchor, inner in _HEADING.findall(main)]
    return entries


def name_entries(book: Book) -> List[SearchEntry]:
    """A search entry for every name a chapter defines, and for every law."""
    entries = [["name", f"{module.short}.{name}", f"{module.page}#{module.short}.{name}", ""]
               for module in book.modules.values() if module.page and not module.key.startswith("tests.")
               for name in module.anchors]
    for law in laws(book.modules) if book.tests else []:
        anchor = f"{law.module.short}.{law.test}"
        entries.append(["law", law.test, f"laws.html#{anchor}", index_words(html.escape(law.statement))])
    return entries


def search_index(book: Book, files: Files) -> str:
    """``search-index.js``: every entry, as a script (a page opened from the disk may
    run a script beside it, but may not fetch a file)."""
    entries = page_entries(files) + name_entries(book)
    return ("// The book's search index, read by search.js. Written by python -m logreg_pure book; do not edit.\n"
            f"window.LOGREG_SEARCH = {json.dumps(entries, ensure_ascii=False, separators=(',', ':'))};\n")


def favicon() -> str:
    """The book's icon: the sigmoid, drawn by the sigmoid of chapter 3, on the accent colour."""
    points = " ".join(f"{4 + 24 * k / 32:.2f},{28 - 24 * sigmoid(k / 32 * 12 - 6):.2f}" for k in range(33))
    return ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" '
            f'fill="#8c2f0d"/><polyline points="{points}" fill="none" stroke="#fffdf8" stroke-width="3" '
            'stroke-linecap="round" stroke-linejoin="round"/></svg>\n')


# ------------------------------------------------------------------ the whole book

def _pictures(plots: Optional[List[Tuple[str, str]]]) -> Tuple[List[Tuple[str, str]], List[Tuple[str, str]]]:
    """The demo's plots (``plots``, if given, instead) and the chapters' figures."""
    if plots is not None:
        return list(plots), chapter_figures()
    demo = run_demo()
    return list(demo.plots), chapter_figures(demo)


def build_book(*, pyodide_url: str = PYODIDE_URL, tests: Optional[str] = None,
               plots: Optional[List[Tuple[str, str]]] = None) -> Files:
    """Every file of the book, by its path in the book, computed before anything is written.

    ``tests`` is the tests folder (default: the source checkout's, if any); ``plots`` the
    pictures (default: the demo's, which takes a moment to compute).
    """
    if not pyodide_url.strip():
        raise ValueError("--pyodide needs a URL (or a path relative to the book) of Pyodide's files")
    tests = tests or find_tests()
    plots, figures = _pictures(plots)
    modules = read_modules(tests)
    book = Book(modules, plots, figures, tests, pyodide_url.rstrip("/") + "/", names_of(modules))
    files = {"index.html": index_page(book), "try.html": try_page(book), "book.css": _static("book.css"),
             "try.js": _static("try.js"), "library.js": library_bundle(), "search.js": _static("search.js"),
             "favicon.svg": favicon(), **{name: _static(name) for name in ("python.js", "worker.js", "examples.js")}}
    files.update({f"plots/{name}": svg for name, svg in book.plots})
    files.update({f"figures/{name}": svg for name, svg in book.figures})
    files.update({page_of(chapter): chapter_page(book, k) for k, chapter in enumerate(CHAPTERS)})
    files.update(guide_files(book))
    if tests:
        files.update({m.page: source_page(book, m) for m in book.modules.values() if m.key.startswith("tests.")})
        files.update({"laws.html": laws_page(book), "mutants.html": mutants_page(book),
                      "exercises.html": markdown_page(book, "EXERCISES.md", "exercises.html"),
                      "answers.html": markdown_page(book, "ANSWERS.md", "answers.html")})
    files["search-index.js"] = search_index(book, files)
    return files


BOOK_FILES = ("index.html", "try.html", "book.css", "try.js", "library.js", "search.js", "search-index.js",
              "favicon.svg", "python.js", "worker.js", "examples.js")  # beside the chapters' pages
EXTRA_PAGES = ("laws.html", "mutants.html", "exercises.html", "answers.html")  # from a source checkout


def planned_files(tests: Optional[str]) -> List[str]:
    """The book's files that are known before any is computed: every one ``build_book``
    makes but the pictures (``plots/...``, named by the demo as it draws them, and
    ``figures/...``, the chapters' own), whose folders are listed instead."""
    files = list(BOOK_FILES) + [page_of(chapter) for chapter in CHAPTERS] + [f"guide/{name}.html" for name in GUIDE]
    files += sorted({_picture_file(path) for name in GUIDE for path in guide_pictures(name).values()})
    if tests:
        files += [f"tests/{name[:-3]}.html" for name in sorted(os.listdir(tests)) if name.endswith(".py")]
        files += list(EXTRA_PAGES)
    return files + ["plots/", "figures/"]


def _check_book_file(out: str, relative: str) -> None:
    """The folders on the way to ``relative`` must be folders (or not exist yet), and the
    file must not be a folder and its folder, if there, writable."""
    parts = relative.split("/")
    for k in range(1, len(parts)):
        folder = os.path.join(out, *parts[:k])
        if os.path.exists(folder) and not os.path.isdir(folder):
            raise ValueError(f"--out {out}: {folder} is a file, but the book needs a folder there; "
                             f"move it or choose another --out")
    path = os.path.join(out, *parts)
    if parts[-1] and os.path.isdir(os.path.dirname(path)):
        check_output_file(path, "--out")


def check_out(out: str, files: Optional[Iterable[str]] = None) -> None:
    """Refuse a book folder that cannot be one, or any of its files (paths in the book,
    ``plots/roc.svg``) that cannot be written there, before any work is done (default:
    ``planned_files``, all but the pictures; ``write_book`` checks every file)."""
    check_output_folder(out, "--out")
    for relative in planned_files(find_tests()) if files is None else files:
        _check_book_file(out, relative)


def write_book(out: str, files: Files) -> None:
    """Write the book's files under the folder ``out``, each whole or not at all; every
    path is checked before the first is written."""
    check_out(out, files)
    for relative in sorted(files):
        path = os.path.join(out, *relative.split("/"))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        write_text(path, files[relative])


# ------------------------------------------------------------------ the command

def add_book_command(commands: Any) -> None:
    """The command line's ``book`` command, added to its subcommands ``commands``: the
    package's ``__init__.py`` puts this function in ``cli.LATER_COMMANDS``, since the
    command line comes before the book and does not import it."""
    book = commands.add_parser("book", help="write the library as a static web site (a book)",
                               description="Write every chapter as an HTML page with its text and source, "
                                           "the laws, mutants and exercises (from a source checkout), and "
                                           "try.html, which runs the library in the browser on Pyodide.")
    book.add_argument("--out", default="book", metavar="DIR", help="folder for the site (default: %(default)s)")
    book.add_argument("--pyodide", default=PYODIDE_URL, metavar="URL",
                      help="where try.html loads Pyodide from (default: %(default)s)")
    book.set_defaults(run=book_command)


def book_command(args: argparse.Namespace, out: TextIO) -> None:
    """``python -m logreg_pure book``: check the folder, build every file, write them."""
    check_out(args.out)
    files = build_book(pyodide_url=args.pyodide)
    write_book(args.out, files)
    pages = sum(name.endswith(".html") for name in files)
    print(f"Wrote the book: {pages} pages in {escaped(args.out)}{os.sep}; open "
          f"{escaped(os.path.join(args.out, 'index.html'))} in a browser", file=out)
    if find_tests() is None:
        print("note: no tests/ folder beside the package (an installed copy): the laws, mutants and "
              "exercises pages need a source checkout, so the book has the chapters only", file=sys.stderr)

"""Chapter 37: what the README and the guide's pages say is what the code does.

Every snippet runs and prints what its page shows below it; every command line parses
with the real parser (and those with an output shown run); every option, file, module,
chapter name, test and mutant a page names exists; the estimators' signatures are the
code's; the reference of the commands is the parser's own. ``tests/pages.py`` explains
the pages' conventions. Snippets that need pandas or scikit-learn run in
``tests/test_interop_pages.py``; snippets marked ``slow`` run under the ci profile.
"""

import argparse
import contextlib
import glob
import importlib
import importlib.util
import inspect
import io
import os
import re

import pytest
from hypothesis import given, settings, strategies as st

from logreg_pure import LogisticRegression, SoftmaxRegression
from logreg_pure.part6_command_line.cli import build_parser
from logreg_pure.part7_book.book import CHAPTERS
from logreg_pure.part7_book.guide import REFERENCE, commands, read_page, reference_markdown
from logreg_pure.part7_book.markup import parse_blocks, slug, table_cells
from pages import (ROOT, command_lines, difference, documents, fences, inline_commands, orphan_outputs, prepare,
                   read, run, same_output, third_party)

DOCUMENTS = documents()
THOROUGH = settings.default.max_examples >= 100  # the ci profile: the slow blocks run too


def code_spans(text):
    """The document's code spans, outside fenced blocks."""
    prose = re.sub(r"^```.*?^```", "", text, flags=re.S | re.M)
    return re.findall(r"`([^`\n]+)`", prose)


def links(text):
    """The targets of the document's Markdown links and pictures."""
    return re.findall(r"\]\(([^()\s]+)\)", text)


# ------------------------------------------------------------------ snippets and their output

def checked_blocks(text):
    """The blocks of a document that run here: python and sh blocks with an output shown,
    and python snippets without one (they must still run)."""
    for fence in fences(text):
        if fence.language == "python" or (fence.language == "sh" and fence.output is not None):
            yield fence


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_every_snippet_runs_and_prints_what_its_page_shows(name, tmp_path):
    folder = prepare(str(tmp_path))
    ran, wrong = 0, []
    for fence in checked_blocks(read(DOCUMENTS[name])):
        if third_party(fence.code) or (fence.slow and not THOROUGH):
            continue  # tests/test_interop_pages.py; the ci profile
        printed = run(fence, folder)
        ran += 1
        if fence.output is not None and not same_output(fence.output, printed):
            wrong.append(f"{fence.where()} printed something else:\n{difference(fence.output, printed)}")
    assert wrong == [], f"{name}: run `python tests/pages.py` on it to see what it prints now\n" + "\n".join(wrong)


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_every_output_shown_is_checked(name):
    text = read(DOCUMENTS[name])
    orphans = orphan_outputs(text)
    if name == "README.md":
        orphans = orphans[1:]  # the demo's output, checked by tests/test_readme.py
    assert orphans == [], f"{name}: an output block (```text) must follow the python or sh block that prints it"
    languages = {fence.language for fence in fences(text)}
    assert languages <= {"python", "sh", ""}, f"{name}: fences of {languages}"


# ------------------------------------------------------------------ command lines and options

def parse(argv):
    """None if the real parser takes these arguments, else its message."""
    message = io.StringIO()
    try:
        with contextlib.redirect_stderr(message), contextlib.redirect_stdout(io.StringIO()):
            build_parser().parse_args(argv)
    except SystemExit as stop:
        return None if stop.code == 0 else message.getvalue().strip().splitlines()[-1]
    return None


def all_command_lines(text):
    for fence in fences(text):
        if fence.language == "sh":
            yield from command_lines(fence.code)
    yield from inline_commands(text)


COMMANDS = {command.name for command in commands()}


@pytest.mark.parametrize("name", sorted(set(DOCUMENTS) - {f"logreg_pure/part7_book/pages/{REFERENCE}.md"}))
def test_every_command_line_parses(name):
    """(The reference of the commands shows usage lines, [--option VALUE], made from the parser.)"""
    refused = []
    for argv in all_command_lines(read(DOCUMENTS[name])):
        if argv and argv[0].isupper():
            continue  # a placeholder: python -m logreg_pure COMMAND
        problem = ("" if argv[0] in COMMANDS else f"no command {argv[0]}") if len(argv) == 1 else parse(argv)
        if problem:  # (one word is a command named in the text: "runs `python -m logreg_pure fit`")
            refused.append(f"python -m logreg_pure {' '.join(argv)}: {problem}")
    assert refused == []


def parser_options():
    """Every option of every command of ``python -m logreg_pure``."""
    found = set()
    parsers = [build_parser()]
    while parsers:
        parser = parsers.pop()
        for action in parser._actions:
            found.update(action.option_strings)
            if isinstance(action, argparse._SubParsersAction):
                parsers += list(action.choices.values())
    return found


def script_options(*paths):
    """The options a script of this project reads: every "--name" string in its source."""
    return {option for path in paths for option in re.findall(r"[\"'](--[a-z][a-z0-9-]*)", read(path))}


# Options of other tools that the pages show (each with the tool that takes it).
OTHER_TOOLS = {
    "--doctest-modules": "pytest", "--hypothesis-seed": "pytest (Hypothesis's plugin)",
    "--sdist": "python -m build", "--no-save": "npm install",
    "--only-binary": "pip download", "--platform": "pip download", "--implementation": "pip download",
    "--python-version": "pip download",
}


def test_every_option_named_on_a_page_exists():
    known = parser_options() | script_options(os.path.join(ROOT, "benchmarks", "bench.py"),
                                              os.path.join(ROOT, "tests", "mutants.py")) | set(OTHER_TOOLS)
    unknown = {f"{name}: {option}" for name, path in DOCUMENTS.items()
               for option in re.findall(r"(?<![\w-])--[a-z][a-z0-9-]*", read(path)) if option not in known}
    assert unknown == set()


# ------------------------------------------------------------------ files, modules, names, tests, mutants

PLACES = ("logreg_pure/", "tests/", "benchmarks/", ".ci/")
FILE_TYPES = ("py", "md", "csv", "json", "svg", "html", "js", "in", "dat")  # columns.py is a file, not a name
CHAPTER_MODULES = {module.split(".")[-1]: module for chapter in CHAPTERS for module in chapter.modules}


def missing_path(span):
    """What is wrong with a path a page names in a code span, or None."""
    path, _, test = span.partition("::")
    if path.startswith(PLACES):
        if not glob.glob(os.path.join(ROOT, path)):
            return f"{path} does not exist"
        if test and not re.search(rf"^def {re.escape(test)}\(", read(os.path.join(ROOT, path)), re.M):
            return f"{path} has no test {test}"
    elif re.fullmatch(r"\w+\.py", path):
        if not glob.glob(os.path.join(ROOT, "logreg_pure", "**", path), recursive=True) + \
                glob.glob(os.path.join(ROOT, "tests", path)):
            return f"no module {path} in the package or the tests"
    elif re.fullmatch(r"part\d_\w+/", path) and not os.path.isdir(os.path.join(ROOT, "logreg_pure", path)):
        return f"no part {path}"
    return None


def missing_name(span):
    """What is wrong with a module or a chapter's name a page names in a code span, or None."""
    dotted = re.fullmatch(r"(logreg_pure(?:\.\w+)+)", span)
    if dotted and importlib.util.find_spec(span) is None:
        return f"no module {span}"
    member = re.fullmatch(r"(\w+)\.([A-Za-z_]\w*)(\(.*\))?", span)
    if member and member.group(1) in CHAPTER_MODULES and member.group(2) not in FILE_TYPES:
        module = importlib.import_module(f"logreg_pure.{CHAPTER_MODULES[member.group(1)]}")
        # ``linalg.MATRIX_MEMORY_LIMIT``; ``model.encode_labels(y)`` names a method of the chapter's class
        classes = [value for value in vars(module).values() if inspect.isclass(value)]
        if not any(hasattr(owner, member.group(2)) for owner in [module] + classes):
            return f"chapter {member.group(1)} has no {member.group(2)}"
    return None


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_every_file_module_name_and_test_named_exists(name):
    spans = code_spans(read(DOCUMENTS[name]))
    problems = [problem for span in spans for problem in (missing_path(span), missing_name(span)) if problem]
    assert problems == []


def headings(path):
    return {slug(block.lines[0]) for block in parse_blocks(read(path)) if block.kind.startswith("h")}


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_every_link_lands_on_a_file_and_a_heading(name):
    path = DOCUMENTS[name]
    broken = []
    for target in links(read(path)):
        if target.startswith(("http://", "https://")):
            continue
        file, _, anchor = target.partition("#")
        where = os.path.normpath(os.path.join(os.path.dirname(path), file)) if file else path
        if not os.path.exists(where):
            broken.append(f"{target}: no such file")
        elif anchor and anchor not in headings(where):
            broken.append(f"{target}: no heading with that id")
    assert broken == []


def test_every_mutant_a_page_runs_exists():
    catalogue = set(re.findall(r'Mutant\(\s*"(\w+)"', read(os.path.join(ROOT, "tests", "mutants.py"))))
    named = {match for path in DOCUMENTS.values()
             for match in re.findall(r"tests/mutants\.py ([a-z]\w+)", read(path))}
    assert named and named <= catalogue


# ------------------------------------------------------------------ what is made from the code

def signature(cls):
    """A class's signature as the pages write it: ``Name(a=1, *, b='x')``, no annotations."""
    words, keyword_only = [], False
    for parameter in inspect.signature(cls).parameters.values():
        if parameter.kind is inspect.Parameter.KEYWORD_ONLY and not keyword_only:
            words.append("*")
            keyword_only = True
        words.append(f"{parameter.name}={parameter.default!r}")
    return f"{cls.__name__}({', '.join(words)})"


def test_the_estimators_signatures_on_the_pages_are_the_codes():
    stated = [span for path in DOCUMENTS.values() for span in code_spans(read(path))
              if re.match(r"(Logistic|Softmax)Regression\(.*\*,", span)]
    assert sorted(stated) == sorted({signature(LogisticRegression), signature(SoftmaxRegression)})


def solver_table_on_page(text):
    """The page's table of solvers and penalties as ``{solver: {kind: cell}}``, its cells'
    words reduced to what they claim: ``None`` (any K), 2, or absent (no)."""
    rows = [table_cells(line) for line in text.splitlines() if re.match(r"\| `(newton|cd|gd|sgd)` \|", line)]
    kinds = ("l2", "l1", "firth")
    claims = {"any K": None, "two classes": 2}
    return {row[0].strip("`"): {kind: claims[cell.split(" (")[0]] for kind, cell in zip(kinds, row[1:])
                                if not cell.startswith("no")} for row in rows}


def test_the_solver_table_on_the_page_is_the_codes():
    """The guide restates chapter 15's SOLVER_TABLE once, for readers: every cell as the
    code has it (a row per solver, a column per kind of penalty), so that a change to the
    table fails here until the page says it too."""
    from logreg_pure.part3_solvers.solvers import SOLVER_TABLE
    assert solver_table_on_page(read(DOCUMENTS["logreg_pure/part7_book/pages/python.md"])) == SOLVER_TABLE


def test_the_reference_of_the_commands_is_written_from_the_parser():
    assert read_page(REFERENCE) == reference_markdown(), (
        "the parser changed: rewrite logreg_pure/part7_book/pages/commands.md with python -c \"from "
        "logreg_pure.part7_book.guide import reference_markdown, page_file; "
        "open(page_file('commands'), 'w', encoding='utf-8').write(reference_markdown())\"")


@st.composite
def parsers(draw):
    """A command line with one command, ``run``, of a few arguments of every kind the
    reference shows: positional (required or not), required options, options with a
    default, flags and choices. Returns the parser and, for each argument as the
    reference writes it, the default it must show."""
    parser = argparse.ArgumentParser(prog="prog")
    run = parser.add_subparsers(dest="command").add_parser("run", help="run it", description="Run it.")
    expected = {}
    names = draw(st.lists(st.from_regex(r"[a-z]{2,6}", fullmatch=True), min_size=1, max_size=6, unique=True))
    for name in names:
        kind = draw(st.sampled_from(["positional", "optional positional", "required", "value", "flag", "choice"]))
        if kind.endswith("positional"):
            run.add_argument(name, metavar=f"{name.upper()}.csv", nargs="?" if kind.startswith("optional") else None)
            expected[f"{name.upper()}.csv"] = "" if kind.startswith("optional") else "required"
        elif kind == "flag":
            run.add_argument(f"--{name}", action="store_true", help="a flag")
            expected[f"--{name}"] = ""
        elif kind == "choice":
            choices = draw(st.lists(st.sampled_from(["a", "b|c", "l2", "x y"]), min_size=1, max_size=3, unique=True))
            run.add_argument(f"--{name}", choices=choices, default=choices[0], help="one of %(choices)s")
            expected[f"--{name} {{{','.join(choices)}}}"] = choices[0]
        else:
            default = draw(st.integers(-9, 99))
            run.add_argument(f"--{name}", metavar="V", required=kind == "required", default=default,
                             help="a value (default: %(default)s)")
            expected[f"--{name} V"] = "required" if kind == "required" else str(default)
    return parser, expected


def reference_defaults(markdown, command):
    """The command's table in the reference: each argument (as written) -> its default cell."""
    section = markdown.split(f"## {command}\n", 1)[1].split("\n## ", 1)[0]
    rows = [table_cells(line) for line in section.splitlines() if line.startswith("| `")]
    return {cells[0].strip("`"): cells[2] for cells in rows}


@given(parsers())
def test_the_reference_shows_every_argument_once_with_its_default(drawn):
    """Law: for any command line, the reference written from its parser has one row per
    argument of each command, positional ones included, in which the default is the
    parser's: ``required`` for a required argument, nothing for a flag or an argument
    without a default, else the default as the parser holds it (bars inside a choice
    or a default included).

    Precondition: argparse's kinds of argument that the project's parser uses (value,
    flag, choice; required or not; positional or optional). Exact: text, no tolerance.
    """
    parser, expected = drawn
    markdown = reference_markdown(parser)
    assert reference_defaults(markdown, "run") == expected
    assert markdown.count("\n## run\n") == 1


def test_the_checks_see_what_they_check():
    """The helpers find what the pages hold: a run that checked nothing would pass too."""
    every = {name: read(path) for name, path in DOCUMENTS.items()}
    assert sum(len(list(checked_blocks(text))) for text in every.values()) >= 12
    assert sum(len(list(all_command_lines(text))) for text in every.values()) >= 20
    assert missing_path("tests/test_pages.py::test_no_such_law") and missing_path("nowhere.py")
    assert missing_name("linalg.NO_SUCH_LIMIT") and missing_name("logreg_pure.part9_nothing")
    assert parse(["fit", "data.csv", "--no-such-option"]) and parse(["fit", "d.csv", "--target", "y", "--model",
                                                                       "m.json"]) is None

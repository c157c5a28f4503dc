"""Issue 23: hostile input at scale. Every case the attack found, reproduced.

Reading is linear in the file's size (counted in work, never timed: the timings are
in ``benchmarks/bench.py --reading``), no expansion is built that would not fit in
memory, outputs never replace inputs, every name is escaped on its way to the
terminal, and every error is one ``error:`` line with its documented exit status.

The commands run in-process (``processes.run_in_process``); the cases that need
real signals and processes are in test_outputs.py.
"""

import contextlib
import csv
import io
import json
import os
import re
import sys

import pytest
from hypothesis import assume, example, given, strategies as st

from logreg_pure.part5_inference.path import choose_reg, regularization_path
from logreg_pure.part6_command_line import cli, columns, files
from logreg_pure.part6_command_line.columns import infer_column, is_plain_number, looks_like_decimal_comma
from logreg_pure.part6_command_line.files import MAX_INDICATOR_VALUES, load_model, parse_csv_text
from logreg_pure.part6_command_line.outputs import check_distinct_files, write_text

import one_pass
from processes import Terminal, run_in_process
from strategies import at_most

needs_links = pytest.mark.skipif(not hasattr(os, "symlink") or sys.platform == "emscripten",
                                 reason="needs symbolic and hard links")

EXAM = "hours,sleep,passed\n" + "".join(  # not separated: maximum likelihood has its answer
    f"{h},{s},{p}\n" for h, s, p in [(0.5, 8, 0), (1.0, 6, 0), (1.5, 7, 0), (2.0, 5, 1), (2.5, 8, 0), (3.0, 6, 1),
                                     (3.5, 7, 0), (4.0, 5, 1), (4.5, 8, 1), (5.0, 6, 1), (1.2, 9, 1), (4.2, 4, 0)])


def run(*args, cwd=None):
    return run_in_process(*args, cwd=cwd)


def one_error_line(result, status=1):
    """The command failed with ``status`` and said why in exactly one ``error:`` line."""
    assert result.returncode == status, (result.returncode, result.stderr)
    lines = result.stderr.splitlines()
    error_lines = [line for line in lines if line.startswith(("error:", "python -m logreg_pure"))]
    assert len(lines) == (1 if status == 1 else len(lines)) and error_lines, result.stderr
    assert "Traceback" not in result.stderr
    return lines[-1]


@pytest.fixture
def exam(tmp_path):
    (tmp_path / "d.csv").write_text(EXAM)
    return tmp_path


# ------------------------------------------------ 1. outputs that are inputs

@pytest.mark.parametrize("args, kept", [
    (["fit", "d.csv", "--target", "passed", "--model", "d.csv"], "d.csv"),
    (["fit", "d.csv", "--target", "passed", "--model", "./sub/../d.csv"], "d.csv"),
    (["predict", "m.json", "d.csv", "--output", "d.csv"], "d.csv"),
    (["predict", "m.json", "d.csv", "--output", "m.json"], "m.json"),
    (["path", "d.csv", "--target", "passed", "--out", "d.csv"], "d.csv"),
    (["fit", "plots/roc.svg", "--target", "passed", "--model", "n.json", "--plots", "plots"], "plots/roc.svg"),
    (["summary", "d.csv", "--target", "passed", "--plots", "."], None),
])
def test_an_output_that_is_an_input_is_refused_before_any_work(exam, args, kept):
    # Issue 23, item 1: these overwrote the input and exited 0.
    (exam / "sub").mkdir()
    (exam / "plots").mkdir()
    (exam / "plots" / "roc.svg").write_text(EXAM)
    assert run("fit", "d.csv", "--target", "passed", "--model", "m.json", cwd=exam).returncode == 0
    before = {name: (exam / name).read_bytes() for name in ("d.csv", "m.json", "plots/roc.svg")}
    if args[0] == "summary":  # its plots are named after the columns: a file named like one is the input
        os.rename(exam / "d.csv", exam / "profile_hours.svg")
        args = [a.replace("d.csv", "profile_hours.svg") for a in args]
        before = {"profile_hours.svg": before["d.csv"]}
    line = one_error_line(run(*args, cwd=exam))
    assert "writing it would replace the input; choose another path" in line
    assert {name: (exam / name).read_bytes() for name in before} == before


def test_two_outputs_that_are_one_file_are_refused(exam):
    result = run("path", "d.csv", "--target", "passed", "--out", "p.svg", "--cv-out", "./p.svg", cwd=exam)
    assert "--cv-out ./p.svg is also --out p.svg: one would replace the other" in one_error_line(result)
    assert not (exam / "p.svg").exists()


SPELLINGS = ["plain", "dot", "parent", "absolute", "symbolic link", "hard link", "linked folder", "other file"]


@needs_links
@given(spelling=st.sampled_from(SPELLINGS))
def test_an_output_is_refused_whatever_its_spelling(spelling):
    """Law: an output path that names an input file is refused, however it is spelled
    (relative, ./, sub/.., absolute, a symbolic link, a hard link, through a linked
    folder); a path naming another file is accepted.

    Precondition: the input exists. Exact: a yes-or-no answer."""
    import tempfile
    with tempfile.TemporaryDirectory() as folder:
        data = os.path.join(folder, "d.csv")
        with open(data, "w") as handle:
            handle.write(EXAM)
        os.mkdir(os.path.join(folder, "sub"))
        os.symlink(data, os.path.join(folder, "link.csv"))
        os.link(data, os.path.join(folder, "hard.csv"))
        os.symlink(folder, os.path.join(folder, "again"))
        with open(os.path.join(folder, "e.csv"), "w") as handle:
            handle.write(EXAM)
        path = {"plain": data, "dot": os.path.join(folder, ".", "d.csv"),
                "parent": os.path.join(folder, "sub", "..", "d.csv"), "absolute": os.path.abspath(data),
                "symbolic link": os.path.join(folder, "link.csv"), "hard link": os.path.join(folder, "hard.csv"),
                "linked folder": os.path.join(folder, "again", "d.csv"),
                "other file": os.path.join(folder, "e.csv")}[spelling]
        if spelling == "other file":
            check_distinct_files([("--model", path)], [("the data file", data)])
        else:
            with pytest.raises(ValueError, match="would replace the input"):
                check_distinct_files([("--model", path)], [("the data file", data)])


@needs_links
def test_a_symbolic_link_is_written_through_to_its_target(tmp_path):
    # Issue 23, item 1: an output that was a symbolic link became a regular file.
    (tmp_path / "models").mkdir()
    target = tmp_path / "models" / "m.json"
    target.write_text("old")
    link = tmp_path / "m.json"
    link.symlink_to(target)
    write_text(str(link), "new")
    assert link.is_symlink() and os.readlink(link) == str(target) and target.read_text() == "new"
    assert sorted(os.listdir(tmp_path)) == ["m.json", "models"] and os.listdir(tmp_path / "models") == ["m.json"]
    dangling = tmp_path / "later.json"
    dangling.symlink_to(tmp_path / "models" / "later.json")
    write_text(str(dangling), "created")
    assert dangling.is_symlink() and (tmp_path / "models" / "later.json").read_text() == "created"


@needs_links
def test_a_link_into_a_missing_folder_is_refused_before_the_fit(exam):
    (exam / "m.json").symlink_to(exam / "gone" / "m.json")
    line = one_error_line(run("fit", "d.csv", "--target", "passed", "--model", "m.json", cwd=exam))
    assert f"(a link to {exam / 'gone' / 'm.json'}): the folder" in line and "does not exist" in line


# -------------------------------------------------- 2. linear-time reading

READER_PATTERNS = sorted(f"{module.__name__.split('.')[-1]}.{name}"
                         for module in (columns, files) for name, value in vars(module).items()
                         if isinstance(value, re.Pattern))


def test_the_readers_patterns_are_all_found():
    assert READER_PATTERNS == ["columns._NON_FINITE", "columns._NUMERAL", "files._JSON_STRING"]


@given(name=st.sampled_from(READER_PATTERNS))
def test_every_pattern_that_reads_a_file_is_one_pass(name):
    """Law: every regular expression that reads a user's file is deterministic: no
    repetition can also take what follows it, and no choice inside a repetition has
    two ways in (tests/one_pass.py). Then a failed match gives back each character
    at most once: work in proportion to the text, never quadratic (the number pattern
    took 15 s for one cell of 16,000 characters).

    Precondition: the pattern uses constructs the checker models (it refuses others).
    Exact: the shape is counted, nothing is timed."""
    module_name, attribute = name.split(".")
    pattern = getattr({"columns": columns, "files": files}[module_name], attribute)
    assert one_pass.ambiguities(pattern) == []


def plain_number_reference(text):
    """What ``is_plain_number`` promises, by another road: ``float`` accepts it, it is
    ASCII, has no underscore, and is not inf or nan."""
    cell = text.strip()
    try:
        float(cell)
    except ValueError:
        return False
    return cell.isascii() and "_" not in cell and not any(c.isalpha() and c not in "eE" for c in cell)


@given(st.text(alphabet="0123456789.eE+-_ x", max_size=12))
@example("1.")
@example(".5e-3")
@example("1e")
def test_the_number_pattern_reads_plain_decimal_notation(text):
    """Law: ``is_plain_number`` accepts exactly what ``float`` reads in plain ASCII
    decimal notation (no underscores, no inf or nan): the one-pass pattern reads the
    same language as the old, backtracking one.

    Precondition: none (any short text of digits, points, signs, exponents, junk).
    Exact: a yes-or-no answer."""
    assert is_plain_number(text) == plain_number_reference(text)


class CountedName(str):
    """A column name that counts every comparison and hash made with it."""

    operations = 0

    def __eq__(self, other):
        CountedName.operations += 1
        return str.__eq__(self, other)

    def __ne__(self, other):
        CountedName.operations += 1
        return str.__ne__(self, other)

    def __hash__(self):
        CountedName.operations += 1
        return str.__hash__(self)


NAME_WORK = 12  # name operations per column: a map, a selection, checks and the cells, each a few


@given(d=st.integers(1, 80), features=st.booleans(), ignored=st.integers(0, 3))
def test_finding_the_columns_is_linear_in_their_number(d, features, ignored):
    """Law: finding the used columns in a header of d names (``files._used_columns``)
    compares or hashes names at most NAME_WORK (d + 1) times: linear in d. Looking each
    name up by a search of the header (``header.index``) made it d^2: 71 s for 40,000
    columns.

    Precondition: distinct names. Exact: operations are counted, nothing is timed; the
    constant NAME_WORK counts the passes over the names (measured: about 9 per column)."""
    header = [CountedName(f"c{j}") for j in range(d)] + [CountedName("y")]
    chosen = [f"c{j}" for j in range(d)] if features else None
    ignore = [f"c{j}" for j in range(min(ignored, d - 1))]
    CountedName.operations = 0
    names, positions = files._used_columns(header, "y", chosen, ignore, "t.csv")
    assert CountedName.operations <= NAME_WORK * (d + 1)
    assert names == [f"c{j}" for j in range(len(ignore), d)] and positions["y"] == d


def test_a_cell_beyond_the_csv_limit_is_one_error_naming_its_line(tmp_path):
    # Issue 23, item 3: a field over 128 KiB raised _csv.Error.
    (tmp_path / "d.csv").write_text("a,y\n1,0\n" + "1" * 200_000 + ",1\n")
    line = one_error_line(run("fit", "d.csv", "--target", "y", "--model", "m.json", cwd=tmp_path))
    assert line.startswith("error: d.csv, line 3: a cell longer than 131,072 characters")


def test_a_header_longer_than_the_csv_limit_is_read(tmp_path):
    # Issue 23, item 3: any header over 128 KiB raised _csv.Error from detect_delimiter.
    d = 15_000
    header = ",".join(f"column_{j}" for j in range(d)) + ",y\n"
    assert len(header) > 131_072
    text = header + "".join(",".join(str((i * j) % 7) for j in range(d)) + f",{i % 2}\n" for i in range(3))
    data = parse_csv_text(text, "y", delimiter=None)
    assert len(data.feature_names) == d and data.y == [0.0, 1.0, 0.0]


@pytest.mark.parametrize("ending", ["\r", "\r\n", "\n"])
def test_every_line_ending_is_read(tmp_path, ending):
    # Issue 23, item 3: CR-only line endings raised _csv.Error from detect_delimiter.
    (tmp_path / "d.csv").write_bytes(EXAM.replace("\n", ending).encode())
    result = run("fit", "d.csv", "--target", "passed", "--model", "m.json", cwd=tmp_path)
    assert result.returncode == 0 and result.stderr == "" and "Fit 12 rows, 2 features" in result.stdout


# ------------------------------------------- 3. expansions that cannot fit

def test_an_identifier_column_is_refused_before_it_is_expanded(tmp_path):
    # Issue 23, item 3: 20,000 unique names became a 20,000 x 20,000 table: MemoryError.
    rows = "".join(f"user{i:05d},{i % 7},{(i * 7919) % 2}\n" for i in range(20_000))
    (tmp_path / "d.csv").write_text("name,x,y\n" + rows)
    line = one_error_line(run("fit", "d.csv", "--target", "y", "--model", "m.json", cwd=tmp_path))
    assert "20,000 rows x 19,999 indicator columns = 399,980,000 values" in line
    assert "it looks like an identifier" in line and "(--ignore 'name')" in line
    assert run("fit", "d.csv", "--target", "y", "--model", "m.json", "--ignore", "name", "--quiet",
               cwd=tmp_path).returncode == 0


def test_a_column_of_own_levels_is_noted_as_an_identifier():
    data = parse_csv_text("who,x,y\nann,1,0\nbob,2,1\ncy,3,0\ndee,4,1\n", "y")
    assert any("every row has its own level: an identifier?" in note for note in data.notes)


@pytest.fixture(scope="module")
def wide_model(tmp_path_factory):
    """A model file whose column 'id' has 100,000 levels (all weights 0 but one)."""
    folder = tmp_path_factory.mktemp("wide")
    levels = [f"u{k:06d}" for k in range(100_000)]
    coef = [0.0] * (len(levels) - 1)
    coef[0] = 2.0  # level u000001
    document = {"format": "logreg_pure.model", "version": 1, "feature_names": [f"id={v}" for v in levels[1:]],
                "target_name": "y", "label_mapping": {"0": 0, "1": 1}, "coef": coef, "intercept": -1.0,
                "standardizer": None, "options": {"solver": "gd"},
                "fit": {"converged": True, "n_iter": 1, "stop_reason": "converged", "grad_max": 0.0,
                        "sample_weight_used": False},
                "columns": [{"name": "id", "kind": "categorical", "levels": levels}]}
    (folder / "m.json").write_text(json.dumps(document))
    return folder


def test_a_model_of_100000_levels_predicts_a_few_rows(wide_model):
    # Issue 23, item 3: its K x K table of codes (10^10 entries) crashed predict.
    (wide_model / "few.csv").write_text("id\nu000001\nu000000\nu099999\n")
    result = run("predict", "m.json", "few.csv", "--proba", cwd=wide_model)
    assert result.returncode == 0, result.stderr
    assert [round(float(p), 6) for p in result.stdout.split()[1:]] == [0.731059, 0.268941, 0.268941]


def test_a_model_of_100000_levels_refuses_too_many_rows_at_once(wide_model):
    (wide_model / "many.csv").write_text("id\n" + "u000001\n" * 200)
    line = one_error_line(run("predict", "m.json", "many.csv", cwd=wide_model))
    assert "the model's column 'id' has 100,000 levels: 200 rows x 99,999 indicator columns" in line
    assert f"more than the {MAX_INDICATOR_VALUES:,}" in line and "predict at most 100 rows at a time" in line


@pytest.mark.parametrize("args, option", [
    (["path", "d.csv", "--target", "passed", "--out", "p.svg", "--n-regs", "1000000000"], "--n-regs"),
    (["fit", "d.csv", "--target", "passed", "--model", "m.json", "--epochs", "1000000000"], "--epochs"),
    (["fit", "d.csv", "--target", "passed", "--model", "m.json", "--batch-size", "1000000000"], "--batch-size"),
    (["explain", "d.csv", "--target", "passed", "--rows", "1000000000"], "--rows"),
])
def test_every_count_option_is_bounded(exam, args, option):
    # Issue 23, item 3: path --n-regs 1000000000 ended in MemoryError.
    result = run(*args, cwd=exam)
    assert result.returncode == 2 and f"argument {option}: must be between 1 and" in result.stderr
    assert "Traceback" not in result.stderr and not (exam / "p.svg").exists()


# ------------------------------------------------- 4. names at the terminal

HOSTILE = ["\x1b[2J", "\n", "\r", "\x07", "\t", "\u202e", "\x1b]0;owned\x07", "\u2028"]


def hostile_names():
    parts = st.lists(st.sampled_from(HOSTILE + ["a", "é", "=", ",", " "]), min_size=1, max_size=4)
    return parts.map(lambda p: "x" + "".join(p) + "z")


def csv_with_names(names):
    """Two features named ``names[0]`` and ``names[1]``, a 0/1 target ``y`` and a target
    ``k`` of three classes named ``names[2:]``: twelve rows, no class separated."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(names[:2] + ["y", "k"])
    for i in range(12):
        writer.writerow([str((i * 7) % 5 + 0.5 * (i % 2)), str((i * 3) % 4), str((i * 5) % 3 % 2), names[2 + i % 3]])
    return buffer.getvalue()


COMMANDS = [["fit", "d.csv", "--target", "y", "--ignore", "k", "--model", "m.json", "--reg", "0.01"],
            ["summary", "d.csv", "--target", "y", "--ignore", "k", "--ci", "profile"],
            ["path", "d.csv", "--target", "y", "--ignore", "k", "--out", "p.svg", "--n-regs", "4", "--folds", "2"],
            ["separation", "d.csv", "--target", "y", "--ignore", "k"],
            ["explain", "d.csv", "--target", "y", "--ignore", "k"],
            ["evaluate", "m.json", "d.csv", "--target", "y"],
            ["fit", "d.csv", "--target", "k", "--ignore", "y", "--model", "k.json", "--reg", "0.01"],
            ["summary", "d.csv", "--target", "k", "--ignore", "y"],
            ["evaluate", "k.json", "d.csv", "--target", "k"],
            ["predict", "k.json", "d.csv", "--proba"],
            ["fit", "d.csv", "--target", "y", "--features", "nothing", "--model", "m.json"]]


@at_most(10)
@given(names=st.lists(hostile_names(), min_size=5, max_size=5, unique=True))
@example(names=["x\x1b[2Jz", "xaz", "x,z", "x\x1b[2J\nz", "x\nz"])  # a class label with a line break: predict
def test_no_name_reaches_the_terminal_unescaped(names):
    """Law: whatever the column names and class labels hold (escape sequences, line
    breaks, a right-to-left override), no command prints to a terminal a character
    that is not printable but for its own line ends, and such a name never appears
    raw: one function (``checks.escaped``, through ``shown``) escapes every name.

    Precondition: names as a CSV header can hold them (quoted), not surrounding
    spaces (the reader strips those). Exact: characters are compared."""
    import tempfile
    printed = ""
    with tempfile.TemporaryDirectory() as folder:
        with open(os.path.join(folder, "d.csv"), "w", newline="") as handle:
            handle.write(csv_with_names(names))
        before = os.getcwd()
        os.chdir(folder)
        try:
            for args in COMMANDS:
                screen, errors = Terminal(), io.StringIO()
                with contextlib.redirect_stderr(errors):
                    cli.main(args, out=screen)
                printed += screen.getvalue() + errors.getvalue()
        finally:
            os.chdir(before)
    assert all(c.isprintable() or c == "\n" for c in printed), repr(printed)
    assert not any(name in printed for name in names if not name.isprintable())


# -------------------------------------------------- 5. late checks, leftovers

def test_summary_checks_its_plots_folder_before_reading(exam):
    # Issue 23, item 5: --plots DIR was checked only after the data were read.
    (exam / "plots").write_text("a file")
    line = one_error_line(run("summary", "missing.csv", "--target", "passed", "--plots", "plots", cwd=exam))
    assert line == "error: --plots plots: is a file, not a folder; choose a folder name"


def test_profile_plots_of_names_alike_do_not_replace_each_other(tmp_path):
    (tmp_path / "d.csv").write_text(EXAM.replace("hours,sleep", "a b,a_b"))
    result = run("summary", "d.csv", "--target", "passed", "--plots", "plots", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert sorted(os.listdir(tmp_path / "plots")) == ["profile_a_b.svg", "profile_a_b_2.svg",
                                                       "profile_intercept.svg"]


def test_book_checks_every_page_before_any_work(tmp_path, monkeypatch):
    # Issue 23, item 5: with DIR/try.html a folder, 105 pages were written, then it failed.
    (tmp_path / "try.html").mkdir()

    def no_work(**options):
        raise AssertionError("the book was built before its folder was checked")

    from logreg_pure.part7_book import book

    monkeypatch.setattr(book, "build_book", no_work)
    line = one_error_line(run("book", "--out", str(tmp_path)))
    assert line == f"error: --out {tmp_path / 'try.html'}: is a folder; give a file name " \
                   f"(for example {tmp_path / 'try.html' / 'out'})"
    assert os.listdir(tmp_path) == ["try.html"]


def test_the_books_planned_files_are_the_files_it_writes(book_files):
    from logreg_pure.part7_book.book import find_tests, planned_files
    built = set(book_files)
    drawn = ("plots/", "figures/")  # folders of pictures, named as they are drawn
    assert set(planned_files(find_tests())) == {name for name in built if not name.startswith(drawn)} | set(drawn)


def test_a_temporary_file_created_just_before_an_interrupt_is_removed(tmp_path, monkeypatch):
    # Issue 23, item 5: Ctrl-C between mkstemp and the try that removes its file left it.
    from logreg_pure.part6_command_line import outputs
    real_open = os.open

    def open_then_interrupt(*args, **kwargs):
        handle = real_open(*args, **kwargs)
        os.close(handle)
        raise KeyboardInterrupt

    monkeypatch.setattr(outputs.os, "open", open_then_interrupt)
    with pytest.raises(KeyboardInterrupt):
        write_text(str(tmp_path / "m.json"), "text")
    monkeypatch.undo()
    assert os.listdir(tmp_path) == []


# ------------------------------------------------- 6. work that can only fail

@pytest.mark.parametrize("args, words", [
    (["fit", "wide.csv", "--target", "y", "--model", "m.json"],
     "6 parameters (5 features and the intercept) for 4 rows: without a penalty there is no unique finite fit"),
    (["summary", "wide.csv", "--target", "y"], "give a penalty (--reg R with R > 0) or use fewer columns"),
    (["fit", "wide.csv", "--target", "k", "--ignore", "y", "--model", "m.json"], "for 4 rows: without a penalty"),
    (["summary", "wide.csv", "--target", "k", "--ignore", "y"], "for 4 rows: without a penalty"),
    (["summary", "wider.csv", "--target", "y", "--firth"],
     "5 parameters (4 features and the intercept) for 4 rows: Firth's penalty needs at least as many rows"),
])
def test_more_parameters_than_rows_is_refused_at_once(tmp_path, monkeypatch, args, words):
    # Issue 23, item 6: a 2,000 x 2,000 table ran 15 minutes, then "the Hessian is singular".
    (tmp_path / "wide.csv").write_text("a,b,c,y,k\n1,2,3,0,p\n2,1,5,1,q\n3,3,1,0,r\n4,0,2,1,p\n")
    (tmp_path / "wider.csv").write_text("a,b,c,d,y\n1,2,3,1,0\n2,1,5,0,1\n3,3,1,1,0\n4,0,2,5,1\n")

    def no_fit(*args, **kwargs):
        raise AssertionError("fitted before refusing")

    monkeypatch.setattr(cli.LogisticRegression, "fit", no_fit)
    monkeypatch.setattr(cli.SoftmaxRegression, "fit", no_fit)
    assert words in one_error_line(run(*args, cwd=tmp_path))


def test_a_penalty_makes_more_parameters_than_rows_fit(tmp_path):
    (tmp_path / "wide.csv").write_text("a,b,c,y\n1,2,3,0\n2,1,5,1\n3,3,1,0\n4,0,2,1\n")
    result = run("fit", "wide.csv", "--target", "y", "--model", "m.json", "--reg", "0.1", cwd=tmp_path)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("quiet", [False, True])
def test_path_and_profile_intervals_show_their_progress(exam, monkeypatch, quiet):
    # Issue 23, item 6: path ran 10 minutes and summary --ci profile grew like d^2.5, silently.
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    flag = ["--quiet"] if quiet else []
    out = io.StringIO()
    assert cli.main(["path", str(exam / "d.csv"), "--target", "passed", "--out", str(exam / "p.svg"),
                     "--n-regs", "5", "--folds", "2", *flag], out=out) == 0
    assert cli.main(["summary", str(exam / "d.csv"), "--target", "passed", "--ci", "profile", *flag], out=out) == 0
    assert cli.main(["fit", str(exam / "d.csv"), "--target", "passed", "--model", str(exam / "m.json"),
                     "--reg", "cv", *flag], out=out) == 0
    shown = terminal.getvalue()
    if quiet:  # warnings (the grid's edge, on these few rows) are not progress: they stay
        assert [line for line in shown.splitlines() if not line.startswith("warning: ")] == []
    else:
        assert "path: fit 5/5" in shown and "cross-validation: fit 11/11" in shown
        assert "profile intervals: parameter 3/3" in shown and shown.endswith("\n")
        assert "cross-validation: fit 501/501" in shown  # fit --reg cv: 5 folds x 100 regs, and the refit


def test_the_path_and_cross_validation_count_every_fit():
    X = [[0.5], [1.0], [1.5], [2.0], [2.5], [3.0], [3.5], [4.0]]
    y = [0, 0, 1, 0, 1, 0, 1, 1]
    seen = []
    path = regularization_path(X, y, n_regs=4, progress=lambda done, total: seen.append((done, total)))
    assert seen == [(1, 4), (2, 4), (3, 4), (4, 4)]
    seen.clear()
    choose_reg(X, y, path.regs, k=2, random_state=0, progress=lambda done, total: seen.append((done, total)))
    assert seen == [(k, 9) for k in range(1, 10)]


# ---------------------------------------------------------- 7. decimal commas

def decimal_comma_columns():
    values = st.lists(st.floats(-1e6, 1e6, allow_nan=False).map(lambda v: round(v, 3)), min_size=2, max_size=8)
    return values.map(lambda vs: [(f"{v:.3f}".replace(".", ","), v) for v in vs])


@given(cells=decimal_comma_columns())
def test_numbers_with_decimal_commas_are_never_made_categories(cells):
    """Law: a column whose cells are numbers written with a decimal comma (``0,5``) is
    refused with the cure, never read as a category; with ``decimal_comma=True`` it is
    read as the numbers the cells spell.

    Precondition: three decimals, so each cell has its comma. Exact: ``float`` of the
    cell with a point is compared with the same float."""
    text = "x;y\n" + "".join(f"{cell};{i % 2}\n" for i, (cell, _) in enumerate(cells))
    with pytest.raises(ValueError, match="decimal comma.*--decimal-comma"):
        parse_csv_text(text, "y", delimiter=";", multiclass=True)
    data = parse_csv_text(text, "y", delimiter=";", decimal_comma=True, multiclass=True)
    assert [row[0] for row in data.X] == [float(cell.replace(",", ".")) for cell, _ in cells]


def test_a_decimal_comma_file_is_refused_with_the_cure_and_read_with_the_option(tmp_path):
    # Issue 23, item 7: cells such as 0,5 became a three-level category, with a note only.
    (tmp_path / "d.csv").write_text("x;y\n0,5;0\n1,5;1\n2,25;0\n3,75;1\n")
    line = one_error_line(run("fit", "d.csv", "--target", "y", "--model", "m.json", cwd=tmp_path))
    assert "column 'x' holds numbers written with a decimal comma ('0,5' on line 2), not categories" in line
    result = run("fit", "d.csv", "--target", "y", "--model", "m.json", "--decimal-comma", "--reg", "0.1",
                 cwd=tmp_path)
    assert result.returncode == 0 and "categories" not in result.stderr
    assert load_model(str(tmp_path / "m.json")).feature_names == ["x"]
    (tmp_path / "mixed.csv").write_text("x;y\n0,5;0\n1;1\n2,25;0\n3;1\n")
    line = one_error_line(run("fit", "mixed.csv", "--target", "y", "--model", "m.json", cwd=tmp_path))
    assert "line 2, column 'x': '0,5' is a number written with a decimal comma" in line
    (tmp_path / "points.csv").write_text("x;y\n0,5;0\n1.500;1\n2,25;0\n3;1\n")
    line = one_error_line(run("fit", "points.csv", "--target", "y", "--model", "m.json", "--decimal-comma",
                              cwd=tmp_path))
    assert "line 3, column 'x': '1.500' has a point, but with --decimal-comma the comma is the decimal point" in line


def test_text_with_commas_is_still_a_category():
    assert infer_column("c", [(2, "red, dark"), (3, "blue")], "f").kind == "categorical"
    assert not looks_like_decimal_comma("1,000,000") and looks_like_decimal_comma("1,000")


# ----------------------------------------- every error is one error: line

@pytest.mark.parametrize("args, status", [
    (["fit", "cr.csv", "--target", "nope", "--model", "m.json"], 1),
    (["fit", "long.csv", "--target", "y", "--model", "m.json"], 1),
    (["path", "cr.csv", "--target", "y", "--out", "p.svg", "--n-regs", "0"], 2),
    (["fit", "cr.csv", "--target", "y", "--model", "cr.csv"], 1),
    (["predict", "missing.json", "cr.csv", "--output", "cr.csv"], 1),
])
def test_every_error_is_one_line_with_its_exit_status(tmp_path, args, status):
    (tmp_path / "cr.csv").write_bytes(b"a,y\r1,0\r2,1\r3,0\r4,1\r")
    (tmp_path / "long.csv").write_text("a,y\n" + '"' + "1" * 140_000 + '",0\n')
    one_error_line(run(*args, cwd=tmp_path), status)

"""The README is a front page, and a true one: it fits in 25 KB, shows the two commands
in its first 40 lines exactly as CI runs them, shows the demo's output as the demo
prints it, and makes its tables from the code. Its snippet and command lines are
checked with the guide's pages (tests/test_pages.py, tests/test_interop_pages.py)."""

import io
import os
import re

from logreg_pure.part6_command_line.cli import main
from logreg_pure.part7_book.guide import GUIDE, commands_table
from pages import README, ROOT, difference, fences, inside, read, same_output

TEXT = read(README)
TEST_COMMAND = 'python -m pip install -e ".[test]" && python -m pytest'
LIMIT = 25_000  # bytes: a front page, read in a few minutes; the manual is the book's guide


def test_the_readme_is_a_front_page():
    size = len(TEXT.encode("utf-8"))
    assert size < LIMIT, f"README.md is {size} bytes: move what is not the front page into the guide's pages"


def test_the_two_commands_come_first_and_the_test_command_is_cis():
    first = "\n".join(TEXT.splitlines()[:40])
    assert "python -m logreg_pure demo" in first and TEST_COMMAND in first
    assert f"({TEST_COMMAND})" in read(os.path.join(ROOT, ".ci", "run"))  # CI's step 1, exactly
    assert os.path.exists(os.path.join(ROOT, "tests", "EXERCISES.md"))


def demo_output():
    """The README's first output block: what the demo prints."""
    return re.search(r"```text\n(.*?)```", TEXT, re.S).group(1)


def test_the_demo_prints_what_the_readme_shows(tmp_path):
    printed = io.StringIO()
    with inside(str(tmp_path)):
        assert main(["demo"], out=printed) == 0
    shown = demo_output()
    assert shown.startswith("Breast cancer") and same_output(shown, printed.getvalue()), \
        difference(shown, printed.getvalue())


def test_the_table_of_commands_is_the_parsers():
    assert commands_table() in TEXT, (
        "the README's table of commands is not the parser's: replace it with the output of python -c "
        "'from logreg_pure.part7_book.guide import commands_table; print(commands_table())'")


def test_the_readme_links_every_page_of_the_guide():
    missing = [name for name in GUIDE if f"(logreg_pure/part7_book/pages/{name}.md)" not in TEXT]
    assert missing == []


def test_the_example_is_ten_lines_of_pandas_in_fit_summary_predict():
    example = next(fence for fence in fences(TEXT) if fence.language == "python")
    lines = [line for line in example.code.splitlines() if line.strip()]
    assert len(lines) <= 10 and example.output is not None
    for step in ("pd.read_csv", ".fit(", "summarize(", ".predict"):
        assert step in example.code

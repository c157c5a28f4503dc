"""The package reads front to back: a chapter imports only chapters before it.

The reading order has one source, ``CHAPTERS`` in ``logreg_pure/book.py``: this test,
the README's table and the book all follow it.
"""

import ast
import pathlib
import re

import logreg_pure
from logreg_pure.book import CHAPTERS

PACKAGE = pathlib.Path(logreg_pure.__file__).parent
README = PACKAGE.parent / "README.md"

# The reading order, first to last.
ORDER = [module for chapter in CHAPTERS for module in chapter.modules]


def chapter_of(path):
    relative = path.relative_to(PACKAGE)
    return relative.parts[0] if relative.parts[0] == "datasets" else relative.stem


def imported_chapters(path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level > 0:
            if node.module:
                yield node.module.split(".")[0]
            else:
                yield from (alias.name for alias in node.names)


def test_every_module_has_a_place_in_the_order():
    modules = {chapter_of(p) for p in PACKAGE.rglob("*.py") if p.name != "__init__.py" or p.parent != PACKAGE}
    missing = sorted(modules - set(ORDER))
    assert not missing, (f"{missing} not in the reading order: add a Chapter row to CHAPTERS in "
                         f"logreg_pure/book.py and the same row to the README's table 'Read the code in this order'")


def test_every_module_in_the_order_exists():
    modules = {chapter_of(p) for p in PACKAGE.rglob("*.py")}
    stale = [name for name in ORDER if name not in modules]
    assert not stale, f"CHAPTERS in logreg_pure/book.py names {stale}, which do not exist: remove them"
    assert len(ORDER) == len(set(ORDER)), "a module appears twice in CHAPTERS"
    labels = [chapter.label for chapter in CHAPTERS]
    assert len(labels) == len(set(labels)), "two chapters share a label in CHAPTERS"


def readme_table():
    """The rows of the README's table "Read the code in this order": (label, modules, title)."""
    text = README.read_text(encoding="utf-8")
    section = text.split("## Read the code in this order", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if line.startswith("|") and len(cells) == 3 and cells[0] not in ("chapter", "---"):
            modules = tuple(re.sub(r"\.py$|/$", "", name.strip("` ")) for name in cells[1].split(","))
            rows.append((cells[0], modules, cells[2]))
    return rows


def test_the_readme_table_is_the_reading_order():
    expected = [(chapter.label, chapter.modules, chapter.title) for chapter in CHAPTERS]
    table = readme_table()
    assert table, "the README has no table under 'Read the code in this order'"
    for row, chapter in zip(table, expected):
        assert row == chapter, f"README row {row} differs from CHAPTERS' {chapter} (logreg_pure/book.py)"
    assert len(table) == len(expected), "the README's table and CHAPTERS have different numbers of rows"


def test_no_chapter_imports_a_later_one():
    backwards = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path == PACKAGE / "__init__.py":
            continue  # the front page re-exports from any chapter
        own = ORDER.index(chapter_of(path))
        for name in imported_chapters(path):
            if name in ORDER and ORDER.index(name) >= own and name != chapter_of(path):
                backwards.append(f"{path.relative_to(PACKAGE)} imports {name}")
    assert backwards == []


def test_the_appendix_is_imported_only_where_the_package_is_assembled():
    """Appendix A (fast.py) is reached through the seam of chapter 9, which the package's
    __init__.py fills: no chapter imports it."""
    importers = [str(path.relative_to(PACKAGE)) for path in sorted(PACKAGE.rglob("*.py"))
                 if path != PACKAGE / "__init__.py" and "fast" in set(imported_chapters(path))]
    assert importers == []

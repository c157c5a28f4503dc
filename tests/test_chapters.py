"""The package reads front to back: a chapter imports only chapters before it."""

import ast
import pathlib

import logreg_pure

PACKAGE = pathlib.Path(logreg_pure.__file__).parent

# The reading order of the README's table, first to last.
ORDER = ["errors", "vectors", "checks", "links", "loss", "gradient", "linalg", "problem", "driver",
         "solvers", "fast", "model", "features", "metrics", "selection", "inference", "files", "datasets",
         "plots", "explain", "demo", "cli", "__main__"]


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
    assert modules <= set(ORDER)


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

"""The package reads front to back: parts in order, and in a part, chapters in order.

The reading order has one source, ``CHAPTERS`` in ``logreg_pure/part7_book/book.py``:
this test, the README's map of the parts, the parts' docstrings and the book follow it. A
module imports only modules of lower-numbered parts and earlier chapters of its own
part; appendix A (``part8_appendix``) is reached only through the seam that the
package's ``__init__.py`` (the assembly) fills.
"""

import ast
import pathlib
import re

import logreg_pure
from logreg_pure.part7_book.book import CHAPTERS, PARTS, module_file, parts_table

PACKAGE = pathlib.Path(logreg_pure.__file__).parent
README = PACKAGE.parent / "README.md"
ASSEMBLY = PACKAGE / "__init__.py"

# The reading order, first to last: dotted module paths inside the package.
ORDER = [module for chapter in CHAPTERS for module in chapter.modules]
PART_OF_MODULE = {module: chapter.modules[0].split(".")[0] for chapter in CHAPTERS for module in chapter.modules}


def key_of(path):
    """``part1_mathematics.links`` for part1_mathematics/links.py; a package is its
    folder (``part6_command_line.datasets``, ``part1_mathematics``); "" is the top."""
    parts = list(path.relative_to(PACKAGE).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def chapter_of(path):
    """The module of the reading order a file belongs to (a data set's file: its folder's)."""
    key = key_of(path)
    return next((m for m in ORDER if key == m or key.startswith(m + ".")), key)


def imported_modules(path, text=None):
    """The package's modules a file imports (dotted keys), relative or absolute
    (``text``: the source, if not the file's own)."""
    key = key_of(path)
    base = key.split(".") if path.name == "__init__.py" else key.split(".")[:-1]
    base = [b for b in base if b]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8") if text is None else text)):
        if isinstance(node, ast.ImportFrom):
            if node.level > 0:
                target = base[:len(base) - (node.level - 1)] + (node.module.split(".") if node.module else [])
            elif (node.module or "").startswith("logreg_pure"):
                target = node.module.split(".")[1:]
            else:
                continue
            name = ".".join(target)
            yield from ([f"{name}.{a.name}".strip(".") for a in node.names] if name in PARTS or not name else [name])
        elif isinstance(node, ast.Import):
            yield from (".".join(a.name.split(".")[1:]) for a in node.names if a.name.startswith("logreg_pure."))


def rank(module):
    """(part, position in the reading order) of a module of the order."""
    return PARTS.index(PART_OF_MODULE[module]), ORDER.index(module)


def package_files():
    return [p for p in sorted(PACKAGE.rglob("*.py")) if "__pycache__" not in p.parts]


def test_every_module_has_a_place_in_the_order():
    modules = {chapter_of(p) for p in package_files() if p != ASSEMBLY and key_of(p) not in PARTS}
    missing = sorted(modules - set(ORDER))
    assert not missing, (f"{missing} not in the reading order: add a Chapter row to CHAPTERS in "
                         f"logreg_pure/part7_book/book.py, then the README's map of the parts (parts_table())")


def test_every_module_in_the_order_exists():
    modules = {chapter_of(p) for p in package_files()}
    stale = [name for name in ORDER if name not in modules]
    assert not stale, f"CHAPTERS in logreg_pure/part7_book/book.py names {stale}, which do not exist: remove them"
    assert len(ORDER) == len(set(ORDER)), "a module appears twice in CHAPTERS"
    labels = [chapter.label for chapter in CHAPTERS]
    assert len(labels) == len(set(labels)), "two chapters share a label in CHAPTERS"


def test_the_folders_are_the_parts_in_order():
    """Listing logreg_pure/ shows the parts in reading order: partN_name, N = 1, 2, ..."""
    folders = sorted(p.name for p in PACKAGE.iterdir() if p.is_dir() and p.name != "__pycache__")
    assert folders == list(PARTS)
    assert [int(re.match(r"part(\d+)_", part).group(1)) for part in PARTS] == list(range(1, len(PARTS) + 1))
    assert all(chapter.modules[0].split(".")[0] in PARTS for chapter in CHAPTERS)
    assert [PARTS.index(PART_OF_MODULE[m]) for m in ORDER] == sorted(PARTS.index(PART_OF_MODULE[m]) for m in ORDER)


def test_chapter_numbers_follow_the_reading_order():
    numbered = [chapter.label for chapter in CHAPTERS if chapter.label.isdigit()]
    assert numbered == [str(n) for n in range(len(numbered))], "renumber CHAPTERS: 0, 1, 2, ... in reading order"
    assert [chapter.label for chapter in CHAPTERS[len(numbered):]] == ["A"], "the appendix comes last"


def test_every_part_says_what_it_teaches_and_the_order_of_its_chapters():
    """A part's __init__.py is its title page: a docstring that names its chapters in
    reading order, and nothing that runs."""
    for part in PARTS:
        tree = ast.parse((PACKAGE / part / "__init__.py").read_text(encoding="utf-8"))
        doc = ast.get_docstring(tree)
        assert doc and doc.startswith(f"Part {PARTS.index(part) + 1}."), f"{part}/__init__.py: a docstring 'Part N. ...'"
        assert len(tree.body) == 1, f"{part}/__init__.py does work or imports at import: only its docstring belongs there"
        modules = [m.split(".")[-1] for m in ORDER if PART_OF_MODULE[m] == part and m.startswith(part + ".")]
        named = [name for name in re.findall(r"``(\w+)``", doc) if name in modules]
        assert list(dict.fromkeys(named)) == modules, f"{part}/__init__.py should name {modules} in this order"
        label = {chapter.modules[0].split(".")[-1]: chapter.label for chapter in CHAPTERS}
        for number, name in re.findall(r"^(\d+)\. ``(\w+)``", doc, re.M):
            assert label[name] == number, f"{part}/__init__.py numbers {name} {number}; CHAPTERS says {label[name]}"


def readme_map():
    """The README's section "The map of the parts": the lines of its table."""
    text = README.read_text(encoding="utf-8")
    section = text.split("## The map of the parts\n", 1)[1].split("\n## ", 1)[0]
    return "\n".join(line for line in section.splitlines() if line.startswith("|")) + "\n"


def test_the_readme_map_is_the_reading_order():
    assert readme_map() == parts_table(), (
        "the README's map of the parts is not CHAPTERS': replace its table with the output of "
        "python -c 'from logreg_pure.part7_book.book import parts_table; print(parts_table())'")


def test_the_map_links_every_module_of_every_part():
    table = parts_table()
    for chapter in CHAPTERS:
        for name in chapter.modules:
            assert f"](logreg_pure/{module_file(name)})" in table, name
    assert [f"{k}. [`{part}/`]" in table for k, part in enumerate(PARTS, start=1)] == [True] * len(PARTS)


def test_no_module_imports_a_later_part_or_chapter():
    backwards = []
    for path in package_files():
        if path == ASSEMBLY:
            continue  # the assembly re-exports from any part and fills the seams
        own = chapter_of(path)
        for name in imported_modules(path):
            other = chapter_of(PACKAGE / name.replace(".", "/"))
            if other in ORDER and other != own and rank(other) >= rank(own):
                backwards.append(f"{path.relative_to(PACKAGE)} imports {name}")
    assert backwards == []


def test_the_imports_have_no_cycle():
    graph = {chapter_of(p): set() for p in package_files() if p != ASSEMBLY}
    for path in package_files():
        if path != ASSEMBLY:
            graph[chapter_of(path)] |= {chapter_of(PACKAGE / n.replace(".", "/")) for n in imported_modules(path)}
    done, on_path = set(), []

    def visit(node):
        assert node not in on_path, f"import cycle: {' -> '.join(on_path + [node])}"
        if node in done:
            return
        on_path.append(node)
        for other in sorted(graph.get(node, ())):
            if other != node:
                visit(other)
        on_path.pop()
        done.add(node)

    for node in sorted(graph):
        visit(node)


def test_the_appendix_is_imported_only_where_the_package_is_assembled():
    """Appendix A (part8_appendix) is reached through the seam of chapter 10, which the
    package's __init__.py fills: no chapter imports it, and it imports only parts 1 and 2."""
    importers = [str(path.relative_to(PACKAGE)) for path in package_files()
                 if path != ASSEMBLY and path.parent.name != "part8_appendix"
                 and any(name.startswith("part8_appendix") for name in imported_modules(path))]
    assert importers == []
    assert any(name.startswith("part8_appendix") for name in imported_modules(ASSEMBLY))
    for path in (PACKAGE / "part8_appendix").glob("*.py"):
        assert {name.split(".")[0] for name in imported_modules(path)} <= {"part1_mathematics", "part2_problem"}


def test_the_scan_would_catch_an_upward_import():
    # The scanner itself can fail: a chapter of part 1 importing parts 3 and 2, relative and absolute.
    text = "from ..part3_solvers.solvers import solve\nfrom logreg_pure.part2_problem import driver\n"
    names = list(imported_modules(PACKAGE / "part1_mathematics" / "vectors.py", text))
    assert names == ["part3_solvers.solvers", "part2_problem.driver"]
    assert all(rank(name) > rank("part1_mathematics.vectors") for name in names)

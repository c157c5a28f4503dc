"""The index of laws: every property test's law, read from its docstring.

The README's "The laws, by chapter" section is this module's output, kept between
the markers ``<!-- laws:begin -->`` and ``<!-- laws:end -->``; ``tests/test_readme.py``
checks that it is current. After adding or changing a law, refresh it:

    python tests/law_index.py --write
"""

import ast
import pathlib
import re
import sys

HERE = pathlib.Path(__file__).resolve().parent
README = HERE.parent / "README.md"
BEGIN, END = "<!-- laws:begin -->", "<!-- laws:end -->"


def is_property_test(node):
    return isinstance(node, ast.FunctionDef) and any(
        isinstance(d, ast.Call) and getattr(d.func, "id", "") == "given" for d in node.decorator_list)


def law_statement(docstring):
    """The docstring's first paragraph without the word 'Law' and its colon, on one line."""
    first = docstring.strip().split("\n\n")[0]
    text = " ".join(line.strip() for line in first.splitlines())
    return re.sub(r"^Law(\s*\([^)]*\))?:\s*", "", text)


def laws_of(path):
    """``(title, [(statement, test name), ...])`` for one test module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    title = (ast.get_docstring(tree) or path.stem).strip().splitlines()[0].rstrip(".")
    laws = [(law_statement(ast.get_docstring(node) or ""), node.name)
            for node in tree.body if is_property_test(node)]
    return title, laws


def reading_order(path):
    """Sort key: the chapter a test module's docstring names ("Chapter 8", "Appendix A")."""
    title = (ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or "").strip()
    chapter = re.match(r"Chapters? (\d+)", title)
    if chapter:
        return int(chapter.group(1)), path.name
    return (100 if title.startswith("Appendix") else 200), path.name


def index():
    """The markdown of the whole index, one block per test module that has laws."""
    blocks = []
    for path in sorted(HERE.glob("test_*.py"), key=reading_order):
        title, laws = laws_of(path)
        if laws:
            lines = [f"**{title}** (`tests/{path.name}`)", ""]
            lines += [f"- {statement} — `{name}`" for statement, name in laws]
            blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def readme_section(text):
    start, end = text.index(BEGIN) + len(BEGIN), text.index(END)
    return text[start:end].strip()


def main(argv):
    if "--write" in argv:
        text = README.read_text(encoding="utf-8")
        start, end = text.index(BEGIN) + len(BEGIN), text.index(END)
        README.write_text(text[:start] + "\n\n" + index() + "\n\n" + text[end:], encoding="utf-8")
        return 0
    print(index())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

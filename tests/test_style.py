"""Functions a reader can hold in mind: no function in the package is longer than 40
lines (docstring included) or has a cyclomatic complexity above 10, except the
declarative argparse table ``build_parser``.

The complexity is counted exactly as radon 6.0.1 counts it (``radon cc``; its
``radon.visitors.ComplexityVisitor``), so that the number here is the number a reader
gets from the tool; tests/test_interop_radon.py compares the two for every function
where radon is installed. The looser count of the project's before-stop hook, which
also counts ``with`` blocks and the branches of nested functions, is held to 10 as well.
"""

import ast
import pathlib

import pytest

import logreg_pure

PACKAGE = pathlib.Path(logreg_pure.__file__).parent
MAX_LINES = 40
MAX_PATHS = 10
DECLARATIVE = {"build_parser"}  # a table of options, read top to bottom


def paths(function):
    """Cyclomatic complexity as radon counts it: 1, plus the decisions in the body.

    A nested function or class is a block of its own, not part of this one; a lambda's
    decisions are its enclosing function's. See ``decisions`` for what counts.
    """
    return 1 + sum(decisions(node) for node in function.body)


def decisions(node):
    """The decision points in ``node`` and below, as radon's visitor counts them:

    - ``if``, ``elif`` and ``x if c else y``: 1 each;
    - ``for`` and ``while``: 1, and 1 more for an ``else``;
    - ``try``: 1 per ``except``, and 1 more for an ``else`` (``finally`` is no branch);
    - ``and`` / ``or``: 1 per operand after the first;
    - a comprehension's ``for``: 1, and 1 per ``if`` in it;
    - ``assert``: 1 (radon does not look inside it);
    - ``match``: 1 per ``case``, less 1 when a case is a bare name or ``_``;
    - ``with``, ``return``, calls, ``lambda``: none of their own.
    """
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return 0  # a block of its own
    if isinstance(node, ast.Assert):
        return 1
    return own_decisions(node) + sum(decisions(child) for child in ast.iter_child_nodes(node))


def own_decisions(node):
    """The decision points of ``node`` itself (not of its children)."""
    if isinstance(node, (ast.If, ast.IfExp)):
        return 1
    if isinstance(node, (ast.For, ast.AsyncFor, ast.While)):
        return 1 + bool(node.orelse)
    if isinstance(node, ast.Try):
        return len(node.handlers) + bool(node.orelse)
    if isinstance(node, ast.BoolOp):
        return len(node.values) - 1
    if isinstance(node, ast.comprehension):
        return 1 + len(node.ifs)
    if type(node).__name__ == "Match":  # Python 3.10+
        wildcard = any(getattr(case.pattern, "pattern", False) is None for case in node.cases)
        return max(0, len(node.cases) - wildcard)
    return 0


HOOK_BRANCHES = (ast.If, ast.For, ast.While, ast.ExceptHandler, ast.With, ast.IfExp, ast.comprehension, ast.Assert)


def hook_paths(function):
    """The before-stop hook's count (its section 1b): every branch node below the
    function, nested functions' included, with-blocks counted, comprehension ifs not."""
    nodes = list(ast.walk(function))
    return (1 + sum(isinstance(n, HOOK_BRANCHES) for n in nodes)
            + sum(len(n.values) - 1 for n in nodes if isinstance(n, ast.BoolOp)))


def functions():
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name not in DECLARATIVE:
                yield path.relative_to(PACKAGE), node


def test_no_function_is_longer_than_forty_lines():
    long = [f"{path}:{node.lineno} {node.name}: {node.end_lineno - node.lineno + 1} lines"
            for path, node in functions() if node.end_lineno - node.lineno + 1 > MAX_LINES]
    assert long == []


def test_no_function_has_more_than_ten_paths():
    tangled = [f"{path}:{node.lineno} {node.name}: {paths(node)} paths"
               for path, node in functions() if paths(node) > MAX_PATHS]
    assert tangled == []


def test_nor_by_the_hooks_looser_count():
    tangled = [f"{path}:{node.lineno} {node.name}: about {hook_paths(node)} paths"
               for path, node in functions() if hook_paths(node) > MAX_PATHS]
    assert tangled == []


def complexity_of(source):
    return paths(ast.parse(source).body[0])


@pytest.mark.parametrize("source, expected", [
    # The measure itself can fail: a function with two ifs and an 'and' has 4 paths.
    ("def f(a, b):\n    if a and b:\n        return 1\n    if a:\n        return 2\n", 4),
    # A loop's else, a try's handlers and its else count; with and finally do not.
    ("def f(a):\n    for x in a:\n        pass\n    else:\n        pass\n"
     "    try:\n        pass\n    except ValueError:\n        pass\n    except TypeError:\n        pass\n"
     "    else:\n        pass\n    finally:\n        pass\n    with a:\n        pass\n", 6),
    # A comprehension counts its for and its ifs; a lambda's decisions are the function's.
    ("def f(a):\n    g = lambda x: 1 if x else 2\n    return [x for x in a if x if not x]\n", 5),
    # A nested function is a block of its own; an assert counts 1, whatever it holds.
    ("def f(a):\n    def g(b):\n        if b:\n            return 1\n    assert a and a\n", 2),
])
def test_the_measure_counts_as_radon_does(source, expected):
    assert complexity_of(source) == expected

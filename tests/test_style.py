"""Functions a reader can hold in mind: no function in the package is longer than 40
lines (docstring included) or has more than 10 paths through it, except the
declarative argparse table ``build_parser``."""

import ast
import pathlib

import logreg_pure

PACKAGE = pathlib.Path(logreg_pure.__file__).parent
MAX_LINES = 40
MAX_PATHS = 10
DECLARATIVE = {"build_parser"}  # a table of options, read top to bottom

BRANCHES = (ast.If, ast.For, ast.While, ast.ExceptHandler, ast.With, ast.IfExp, ast.comprehension, ast.Assert)


def paths(function):
    """Cyclomatic complexity: 1 + branch points + extra operands of and/or."""
    nodes = list(ast.walk(function))
    return (1 + sum(isinstance(n, BRANCHES) for n in nodes)
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


def test_the_measure_counts_branches():
    # The measure itself can fail: a function with two ifs and an 'and' has 4 paths.
    tree = ast.parse("def f(a, b):\n    if a and b:\n        return 1\n    if a:\n        return 2\n")
    assert paths(tree.body[0]) == 4

"""The style test counts cyclomatic complexity exactly as radon does, for every function.

tests/test_style.py holds every function of the package to a complexity of 10, counted
by its own ``paths`` (the standard library only, so that the README's test command
needs nothing more). This test runs radon itself on the same files and compares the
two counts, function by function, closures and methods included. Skipped when radon is
not installed; with LOGREG_REQUIRE_INTEROP=1 (as .ci/run sets it, in a virtual
environment that has radon) a missing radon is a failure instead.
"""

import ast

from test_interop_softmax import _require  # skips without the library, or fails under LOGREG_REQUIRE_INTEROP=1
from test_style import PACKAGE, paths


def radon_counts(source, complexity):
    """``{(name, line): complexity}`` for every function radon sees in ``source``."""
    counts = {}

    def collect(blocks):
        for block in blocks:
            if hasattr(block, "methods"):  # a class: its methods, and classes inside it
                collect(block.methods)
                collect(block.inner_classes)
            else:
                counts[(block.name, block.lineno)] = block.complexity
                collect(block.closures)

    collect(complexity.cc_visit(source))
    return counts


def our_counts(source):
    return {(node.name, node.lineno): paths(node) for node in ast.walk(ast.parse(source))
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))}


def test_the_style_tests_count_is_radons_for_every_function():
    complexity = _require("radon.complexity")
    files = sorted(PACKAGE.rglob("*.py"))
    differ = []
    for path in files:
        source = path.read_text(encoding="utf-8")
        ours, theirs = our_counts(source), radon_counts(source, complexity)
        assert set(ours) == set(theirs), path  # no class is defined inside a function, where radon looks away
        differ += [f"{path.relative_to(PACKAGE)}:{line} {name}: ours {ours[name, line]}, radon {count}"
                   for (name, line), count in theirs.items() if ours[name, line] != count]
    assert len(files) > 40 and differ == []


def test_radon_agrees_on_the_measures_own_examples():
    # The cases tests/test_style.py pins, and a few more radon treats in its own way.
    complexity = _require("radon.complexity")
    sources = [
        "def f(a, b):\n    if a and b:\n        return 1\n    elif a or b or not a:\n        return 2\n",
        "def f(a):\n    while a:\n        break\n    else:\n        pass\n    with a as b, a as c:\n        pass\n",
        "def f(a):\n    try:\n        pass\n    except (ValueError, TypeError):\n        pass\n"
        "    finally:\n        pass\n",
        "def f(a):\n    return {k: v for k, v in a if k for _ in v if v if k}\n",
        "def f(a):\n    class C:\n        def m(self):\n            return 1 if a else 2\n"
        "    return [lambda x: x or a]\n",
        "@decorator(1 if x else 2)\ndef f(a=1 if y else 2):\n    assert a or b, 'message'\n",
    ]
    for source in sources:
        ours, theirs = our_counts(source), radon_counts(source, complexity)
        # radon loses the methods of a class defined inside a function (m above); the style
        # test holds them to 10 as well.
        assert {key: ours[key] for key in theirs} == theirs, source

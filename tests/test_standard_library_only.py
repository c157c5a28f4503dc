"""The package imports nothing outside the standard library."""

import ast
import pathlib
import sys

import pytest

import logreg_pure

PACKAGE = pathlib.Path(logreg_pure.__file__).parent

# For interpreters before 3.10, which lack sys.stdlib_module_names: the modules the
# package is allowed to use, all of them in the standard library since 3.8.
KNOWN_STDLIB = {
    "argparse", "array", "ast", "csv", "dataclasses", "importlib", "io", "json", "math", "numbers",
    "operator", "os", "pathlib", "platform", "random", "statistics", "sys", "tempfile",
    "time", "typing", "warnings", "xml", "bisect", "collections", "functools", "itertools",
    "html", "textwrap", "shutil", "tracemalloc", "inspect", "types", "contextlib", "copy",
    "fractions", "keyword", "posixpath", "re", "signal", "tokenize", "doctest", "traceback",
}


def imported_roots(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module.split(".")[0]


def test_every_import_is_standard_library():
    allowed = getattr(sys, "stdlib_module_names", KNOWN_STDLIB)
    outside = [f"{path.name}:{line}: {root}"
               for path in sorted(PACKAGE.rglob("*.py"))
               for line, root in imported_roots(path)
               if root not in allowed and root != "logreg_pure"]
    assert outside == []


def test_the_scan_would_catch_a_third_party_import(tmp_path):
    # The scanner itself can fail: a file importing numpy is reported.
    fake = tmp_path / "fake.py"
    fake.write_text("import numpy as np\nfrom scipy import stats\n", encoding="utf-8")
    assert [root for _, root in imported_roots(fake)] == ["numpy", "scipy"]


@pytest.mark.skipif(not hasattr(sys, "stdlib_module_names"), reason="Python < 3.10 checks against the list itself")
def test_the_list_for_old_interpreters_is_complete_and_standard():
    # Python 3.8 and 3.9 check against KNOWN_STDLIB; where the interpreter knows its
    # own standard library, check that list: every module the package imports is on
    # it (else 3.8 fails where 3.11 passes), and nothing on it is a third-party name.
    used = {root for path in PACKAGE.rglob("*.py") for _, root in imported_roots(path)} - {"logreg_pure"}
    assert used <= KNOWN_STDLIB, f"add {sorted(used - KNOWN_STDLIB)} to KNOWN_STDLIB"
    assert KNOWN_STDLIB <= sys.stdlib_module_names

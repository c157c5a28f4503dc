"""The README stays true: its law index names every property test, and its
commands are the ones the project runs."""

import ast
import os
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def property_tests():
    for path in sorted((ROOT / "tests").glob("test_*.py")):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.FunctionDef) and any(
                    isinstance(d, ast.Call) and getattr(d.func, "id", "") == "given"
                    for d in node.decorator_list):
                yield path.name, node


def test_every_property_test_is_in_the_law_index():
    missing = [f"{name}::{node.name}" for name, node in property_tests() if f"`{node.name}`" not in README]
    assert missing == []


def test_the_law_index_is_current():
    # Generated from the docstrings: run `python tests/law_index.py --write` after changing a law.
    import law_index

    assert law_index.readme_section(README) == law_index.index()


def test_every_property_test_states_its_law():
    unstated = [f"{name}::{node.name}" for name, node in property_tests()
                if not (ast.get_docstring(node) or "").startswith("Law")]
    assert unstated == []


def test_the_two_commands_are_in_the_readme_and_in_ci():
    assert "python -m logreg_pure demo" in README
    command = 'python -m pip install -e ".[test]" && python -m pytest'
    assert command in README
    assert command in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert os.path.exists(ROOT / "tests" / "EXERCISES.md") and os.path.exists(ROOT / "tests" / "ANSWERS.md")

"""Chapters 17 and 37: the snippets of the README and of the guide that use pandas,
NumPy or scikit-learn run, and print what their pages show.

The README's ten-line example (pandas in, fit, summary, predict) is one of them. Without
those libraries this module is skipped, so the README's test command needs pytest and
hypothesis only; ``.ci/run`` runs it in a virtual environment that has them, with
``LOGREG_REQUIRE_INTEROP=1``, which turns the skip into a failure. The other snippets
run in ``tests/test_pages.py``.
"""

import importlib
import os

import pytest

from pages import difference, documents, fences, prepare, read, run, same_output, third_party

REQUIRED = os.environ.get("LOGREG_REQUIRE_INTEROP") == "1"
SNIPPETS = [(name, k, fence) for name, path in sorted(documents().items())
            for k, fence in enumerate(fences(read(path))) if fence.language == "python" and third_party(fence.code)]


def test_the_readme_example_is_among_them():
    assert any(name == "README.md" and "pd.read_csv" in fence.code for name, _, fence in SNIPPETS)


@pytest.mark.parametrize("name, k, fence", SNIPPETS, ids=[f"{name}-{k}" for name, k, _ in SNIPPETS])
def test_a_snippet_with_pandas_numpy_or_scikit_learn(name, k, fence, tmp_path):
    for library in third_party(fence.code):
        try:
            importlib.import_module(library)
        except ImportError as error:
            if REQUIRED:
                raise ImportError(f"LOGREG_REQUIRE_INTEROP=1 but {library} cannot be imported: {error}") from None
            pytest.skip(f"{library} is not installed (pip install pandas numpy scikit-learn)")
    printed = run(fence, prepare(str(tmp_path)))
    if fence.output is not None:
        assert same_output(fence.output, printed), (
            f"{name}: {fence.where()} printed something else:\n{difference(fence.output, printed)}")

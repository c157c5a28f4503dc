"""Hypothesis profiles shared by the whole suite.

- ``default``: quick, for working on the code: 8 examples per property (a slow law
  asks for fewer with ``strategies.at_most``; a law that guards a mutant asks for more
  with ``strategies.at_least``). The whole suite then runs in under a minute and a half
  on two cores; the ``ci`` profile is the thorough one.
- ``ci``: thorough and derandomized, so that a CI run is reproducible: the same
  examples every time. ``.ci/run`` selects it with ``HYPOTHESIS_PROFILE=ci``.
- ``explain``: the default profile plus Hypothesis's explain phase, which re-runs a
  failing example under a line tracer to report the lines only failing examples
  reach. Use it when a law fails and the counterexample alone does not say why.

Training loops take a variable time per example, so no profile has a deadline.
The other profiles leave out the explain phase: the mutant tests
(``tests/test_mutants.py``) make laws fail on purpose, and tracing their
counterexamples made the suite ten times slower than the laws themselves.
"""

import os
import sys

import pytest
from hypothesis import HealthCheck, Phase, settings

# The tests import their own helper modules (strategies.py, reference.py) by name.
sys.path.insert(0, os.path.dirname(__file__))

WITHOUT_EXPLAIN = [phase for phase in Phase if phase.name != "explain"]

settings.register_profile("default", max_examples=8, deadline=None, phases=WITHOUT_EXPLAIN)
settings.register_profile(
    "ci",
    max_examples=200,
    deadline=None,
    derandomize=True,
    database=None,  # no examples replayed from earlier local runs: CI sees the same every time
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
    phases=WITHOUT_EXPLAIN,
)
settings.register_profile("explain", max_examples=8, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture(scope="session")
def book_files():
    """Every file of the book, built once for the whole session (building it draws the
    demo's plots, which takes seconds); a test that needs to change it takes a copy."""
    from logreg_pure.part7_book.book import build_book
    return build_book(pyodide_url="pyodide/")

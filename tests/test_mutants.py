"""Every law has teeth: each mutant in tests/mutants.py makes its law fail.

A mutant that survives fails this test: either the law is too weak (strengthen it)
or the mutant is not a bug. A kill counts only if the real code passes the example
that killed the mutant (``mutants.kill`` replays it without the mutant), so a kill
cannot come from a law that fails anyway. Each law is also its own test of the real
code in the same run.
"""

import pytest

from mutants import MUTANTS, kill, law_function


def test_the_catalogue_has_at_least_fifteen_mutants_with_distinct_names():
    assert len(MUTANTS) >= 15
    assert len({m.name for m in MUTANTS}) == len(MUTANTS)


@pytest.mark.parametrize("mutant", MUTANTS, ids=[m.name for m in MUTANTS])
def test_mutant_is_killed_by_its_law(mutant):
    law = law_function(mutant)
    assert hasattr(law, "hypothesis"), f"{mutant.law} is not a Hypothesis property test"
    failure = kill(mutant, shrink=False)
    assert failure is not None, f"{mutant.name} survived {mutant.law}: strengthen the law"

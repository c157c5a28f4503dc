"""Hypothesis profiles shared by the whole suite.

- ``default``: quick, for working on the code (50 examples per property).
- ``ci``: thorough and derandomized, so that a CI run is reproducible: the same
  examples every time. ``.ci/run`` selects it with ``HYPOTHESIS_PROFILE=ci``.

Training loops take a variable time per example, so neither profile has a deadline.
"""

import os
import sys

from hypothesis import HealthCheck, settings

# The tests import their own helper modules (strategies.py, reference.py) by name.
sys.path.insert(0, os.path.dirname(__file__))

settings.register_profile("default", max_examples=50, deadline=None)
settings.register_profile(
    "ci",
    max_examples=200,
    deadline=None,
    derandomize=True,
    database=None,  # no examples replayed from earlier local runs: CI sees the same every time
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

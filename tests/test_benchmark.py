"""The benchmark script runs (its timings are reported, never asserted)."""

import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@pytest.mark.skipif(sys.platform == "emscripten", reason="runs the benchmark in a subprocess; Pyodide has no processes")
def test_benchmark_smoke_run():
    result = subprocess.run([sys.executable, os.path.join(ROOT, "benchmarks", "bench.py"), "--smoke"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "breast cancer" in result.stdout and "ratio" in result.stdout
    assert "NumPy" in result.stdout  # either the baseline's figures or why they were skipped
    assert "cd / 50 epochs" in result.stdout and "saga" in result.stdout  # the L1 table (issue 17)
    assert "growth per doubling" in result.stdout and "cell length" in result.stdout  # reading (issue 23)

"""Issue 26, point 1: typed columns against lists, and the memory and reading time of a CSV fit.

``python benchmarks/bench.py --typed`` times each product the appendix (``fast.py``) uses,
on lists of floats and on ``array('d')``, side by side in one process (A/B, best of
repeats): the log-odds by rows, the gradient by columns, a Hessian column product. An
``array('d')`` holds 8 bytes a value where a list holds a 24-byte float and an 8-byte
reference, but every value read from it is a new float object: the ratio says what
that costs this interpreter.

``python benchmarks/bench.py --memory`` writes numeric CSV files of 1x, 2x and 4x the
rows, and of 2x and 4x the columns, and for each: the time to read it (``load_csv``, best
of repeats) with its growth per doubling (2 for linear), and the peak memory of
``python -m logreg_pure fit FILE --target label`` run in a child process, as
``resource.getrusage(RUSAGE_CHILDREN).ru_maxrss`` of a wrapper whose only child is the fit,
next to the file's size (issue 26's target: at most 4x).
"""

import json
import operator
import os
import random
import subprocess
import sys
import tempfile
from array import array

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from logreg_pure.part6_command_line.files import load_csv  # noqa: E402
from logreg_pure.part8_appendix.fast import fast_dot  # noqa: E402
from targets import best_time, write_csv  # noqa: E402


def warm_best_time(function, repeats):
    """The least wall time of ``repeats`` calls after one warm-up call (a JIT compiles then)."""
    function()
    return best_time(function, repeats)


def typed_cases(n, d, seed=0):
    """(operation, on lists, on arrays): each a function of no arguments doing the product."""
    rng = random.Random(seed)
    rows = [[rng.gauss(0.0, 1.0) for _ in range(d)] for _ in range(n)]
    columns = [list(column) for column in zip(*rows)]
    typed_rows = [array("d", row) for row in rows]
    typed_columns = [array("d", column) for column in columns]
    w = [rng.gauss(0.0, 1.0) for _ in range(d)]
    r = [rng.gauss(0.0, 1.0) for _ in range(n)]

    def hessian_column(cols):
        weighted = list(map(operator.mul, r, cols[0]))
        return [fast_dot(weighted, column) for column in cols]

    return [
        ("log-odds by rows: fast_dot(x_i, w)", lambda: [fast_dot(x, w) for x in rows],
         lambda: [fast_dot(x, w) for x in typed_rows]),
        ("gradient by columns: fast_dot(x_j, r)", lambda: [fast_dot(c, r) for c in columns],
         lambda: [fast_dot(c, r) for c in typed_columns]),
        ("Hessian column: v * x_j, then fast_dot", lambda: hessian_column(columns),
         lambda: hessian_column(typed_columns)),
    ]


def typed_table(smoke, repeats):
    n, d = (500, 20) if smoke else (20000, 20)
    print()
    print(f"Typed columns (issue 26): each product of the appendix on lists and on array('d'), {n:,} x {d}, "
          f"best of {repeats}; fast_dot is {getattr(fast_dot, '__name__', fast_dot)}")
    print(f"  {'operation':<42} {'lists':>10} {'arrays':>10} {'arrays/lists':>12}")
    for name, on_lists, on_arrays in typed_cases(n, d):
        a, b = warm_best_time(on_lists, repeats), warm_best_time(on_arrays, repeats)
        print(f"  {name:<42} {a * 1e3:>8.2f}ms {b * 1e3:>8.2f}ms {b / a:>12.2f}")


# The interpreter with the command line imported, and nothing read: the fit's fixed part.
BASE = "import logreg_pure.part6_command_line.cli"

# A wrapper whose only child is the fit: its RUSAGE_CHILDREN peak is the fit's own.
WRAPPER = ("import json, resource, subprocess, sys, time; start = time.perf_counter(); "
           "command = ['-c', sys.argv[3]] if len(sys.argv) > 3 else ['-m', 'logreg_pure', 'fit', sys.argv[1], "
           "'--target', 'label', '--model', sys.argv[2]]; "
           "done = subprocess.run([sys.executable] + command, capture_output=True); print(json.dumps({'code': done.returncode, "
           "'seconds': time.perf_counter() - start, "
           "'peak_bytes': resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024}))")


def fit_peak(path, folder, code=None):
    """The fit's wall time and peak resident memory, measured in a fresh child process
    (or, with ``code``, those of that code instead of the fit)."""
    command = [sys.executable, "-c", WRAPPER, path, os.path.join(folder, "model.json")] + ([code] if code else [])
    result = subprocess.run(command, capture_output=True, text=True, env=dict(os.environ, PYTHONPATH=ROOT))
    return json.loads(result.stdout.strip().splitlines()[-1])


def memory_cases(smoke):
    """(what grows, [(n, d), ...]) from a base of n rows and 20 columns."""
    if smoke:
        return [("rows (20 columns)", [(500, 20)])]
    n = 50000
    return [("rows (20 columns)", [(n, 20), (2 * n, 20), (4 * n, 20)]),
            ("columns", [(n, 20), (n, 40), (n, 80)])]


def memory_table(smoke, repeats):
    print()
    print("A numeric CSV file, fitted (issue 26): reading time (load_csv, best of runs) and its growth per")
    print("doubling (2 = linear); the peak memory of `python -m logreg_pure fit FILE --target label` in a")
    print("child process (getrusage RUSAGE_CHILDREN ru_maxrss) against the file's size (target: at most 4x)")
    print(f"  {'what grows':<18} {'n':>8} {'d':>4} {'file':>9} {'read':>9} {'growth':>7} {'fit':>8} "
          f"{'peak':>9} {'peak/file':>9} {'(peak-base)/file':>16}")
    with tempfile.TemporaryDirectory() as folder:
        base = fit_peak("", folder, BASE)["peak_bytes"]
        print(f"  (base: the interpreter with the command line imported, {base / 1e6:.0f} MB)")
        for what, sizes in memory_cases(smoke):
            previous = None
            for n, d in sizes:
                path = os.path.join(folder, f"t{n}x{d}.csv")
                write_csv(path, n, features=d)
                size = os.path.getsize(path)
                seconds = warm_best_time(lambda: load_csv(path, "label"), max(1, repeats // 2))
                growth = "" if previous is None else f"{seconds / previous:.2f}"
                previous = seconds
                fit = fit_peak(path, folder)
                print(f"  {what:<18} {n:>8,} {d:>4} {size / 1e6:>7.1f}MB {seconds:>8.2f}s {growth:>7} "
                      f"{fit['seconds']:>7.1f}s {fit['peak_bytes'] / 1e6:>7.0f}MB {fit['peak_bytes'] / size:>8.1f}x "
                      f"{(fit['peak_bytes'] - base) / size:>15.1f}x")

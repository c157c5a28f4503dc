"""How fast is logistic regression in plain Python? A benchmark, standard library only.

Run from the project root, with any interpreter:

    python benchmarks/bench.py                      # the full table (under 2 minutes)
    python benchmarks/bench.py --quick              # without the 100,000-row data sets
    pypy3 benchmarks/bench.py --numpy-python python3   # NumPy baseline from another interpreter

For the breast-cancer data (569 x 30, standardized, reg = 1/569) and synthetic data
of growing size it measures, as medians of repeats:

  (a) one gradient-descent epoch (log-odds, loss, residuals, gradient, step);
  (b) the interpreter's floor for that epoch: the same multiply-adds (X w by rows,
      X^T r by columns) through its fastest built-in reduction and nothing else;
  (c) a Newton fit to a largest gradient component <= 1e-8;
  (d) probability (P(y = 1), one number per row) on all rows;

and prints time, time per row, the ratio to the floor and memory in bytes per value
(tracemalloc). If NumPy is importable (here, or in the interpreter given by
--numpy-python), it also times the original NumPy class, transcribed below as the
baseline, on the same data: its epoch, and its time to get within 1e-6 of the
optimal objective.

Then the reading table (issue 23): the time to read a CSV file (``parse_csv_text``)
as one thing doubles at a time (a cell's length, the number of columns, of rows),
with the growth per doubling: 2 for reading linear in the file's size, 4 for
quadratic. ``--reading`` prints only this table.

Then the L1 table (issue 17): an L1 fit by coordinate descent (solver="cd") to an
optimality violation of 1e-9, timed against gradient-descent epochs on the same
data in the same run (the ratio "cd / 50 epochs" must stay at most 1), on the
standardized breast-cancer data and on a synthetic 20,000 x 10 set, at a few
penalties. Where scikit-learn is importable (here, or in --numpy-python's
interpreter) its saga solver is timed on the same fits, with the largest difference
of its coefficients from ours.
"""

import argparse
import json
import math
import os
import platform
import random
import statistics
import subprocess
import sys
import time

try:
    import tracemalloc
except ImportError:  # PyPy has no tracemalloc
    tracemalloc = None

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from logreg_pure import LogisticRegression  # noqa: E402
from logreg_pure.part2_problem.driver import iterate  # noqa: E402
from logreg_pure.part2_problem.problem import make_problem  # noqa: E402
from logreg_pure.part3_solvers.coordinate import CoordinateDescent  # noqa: E402
from logreg_pure.part3_solvers.solvers import GradientDescent, solve  # noqa: E402
from logreg_pure.part4_estimators.features import Standardizer  # noqa: E402
from logreg_pure.part6_command_line.datasets import load_breast_cancer  # noqa: E402
from logreg_pure.part8_appendix.fast import fast_dot  # noqa: E402
from scale import memory_table, typed_table  # noqa: E402
from targets import crossover_table, targets_table  # noqa: E402

GAP = 1e-6  # "within 1e-6 of the optimal objective"
L1_TOL = 1e-9  # the L1 fits' optimality violation
L1_CASES = [("breast cancer", (0.05, 0.01, 0.0067, 0.003)), ("synthetic", (0.05, 0.01))]  # synthetic: 20,000 x 10;
# 0.0067: the reg that 5-fold cross-validation chooses for breast cancer (the one-SE rule)
EPOCH_BUDGET = 50  # an L1 fit should cost at most this many gradient-descent epochs


def median_time(function, repeats):
    """Median wall time of ``repeats`` calls (the first call is a warm-up)."""
    function()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def synthetic(n, d, seed=0):
    """Standard normal features; labels drawn from a logistic model with w_j = 1/sqrt(d)."""
    rng = random.Random(seed)
    X = [[rng.gauss(0.0, 1.0) for _ in range(d)] for _ in range(n)]
    scale = 1.0 / math.sqrt(d)
    y = []
    for row in X:
        z = scale * math.fsum(row)
        y.append(1.0 if rng.random() < 1.0 / (1.0 + math.exp(-z)) else 0.0)
    return X, y


def measure(X, y, reg, repeats, epochs, newton=True):
    """Times (a) to (d) for one data set, in seconds."""
    problem = make_problem(X, y, reg=reg)
    epoch = median_time(lambda: iterate(GradientDescent(0.1), problem, epochs=epochs, tol=0.0),
                        repeats) / (epochs + 1)
    w = [0.01] * len(X[0])
    r = [0.1] * len(X)

    def floor(columns):
        for _ in range(epochs):
            [fast_dot(x, w) for x in X]
            [fast_dot(c, r) for c in columns]

    # The floor reads the columns in the faster of the two forms, lists (sharing the rows'
    # floats) or the problem's own (array('d') on CPython): the interpreter's best, not ours.
    list_columns = [list(c) for c in zip(*X)]
    floor_time = min(median_time(lambda: floor(list_columns), repeats),
                     median_time(lambda: floor(problem.columns), repeats)) / epochs
    model = LogisticRegression(solver="newton", reg=reg, tol=1e-8)
    newton_time = median_time(lambda: model.fit(X, y), max(1, repeats // 2)) if newton else None
    if not newton:
        model.fit(X[:200], y[:200])
        model.coef_ = [0.0] * len(X[0])
    predict_time = median_time(lambda: model.probability(X), repeats)
    return {"epoch": epoch, "floor": floor_time, "newton": newton_time, "predict": predict_time,
            "newton_iterations": model.n_iter_ if newton else None,
            "objective": model.loss_history_[-1] if newton else None}


def bytes_per_value(X, y, reg):
    """Peak memory of preparing a fit (the copy of the data plus its transpose) per value.

    The rows and the columns are lists of references to the same float objects (a
    float is 24 bytes, held once, by the caller's data), so this counts the two
    arrays of 8-byte references and the lists' headers.
    """
    if tracemalloc is None:
        return None
    tracemalloc.start()
    problem = make_problem(X, y, reg=reg)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del problem
    return peak / (len(X) * len(X[0]))


# ----------------------------------------------------------------- the baseline

NUMPY_BASELINE = '''
import numpy as np

class LogisticRegressionScratch:
    """The original article's class, as published, plus an objective for the stop rule."""

    def __init__(self, lr=0.1, epochs=1000, reg=0.0):
        self.lr, self.epochs, self.reg = lr, epochs, reg

    def sigmoid(self, z):
        return 1 / (1 + np.exp(-z))

    def fit(self, X, y):
        n_samples, n_features = X.shape
        self.w = np.zeros(n_features)
        self.b = 0
        for _ in range(self.epochs):
            z = X @ self.w + self.b
            p = self.sigmoid(z)
            dw = (1 / n_samples) * (X.T @ (p - y)) + self.reg * self.w
            db = np.mean(p - y)
            self.w -= self.lr * dw
            self.b -= self.lr * db
        return self

    def objective(self, X, y):
        z = X @ self.w + self.b
        return np.mean(np.logaddexp(0, z) - y * z) + 0.5 * self.reg * self.w @ self.w
'''


def numpy_baseline(X, y, reg, optimum, repeats, most_epochs=1_000_000):
    """Time the original NumPy class: one epoch, and the epochs and time to reach the
    optimal objective within GAP (the count found first, then timed without checks),
    giving up after ``most_epochs`` (--smoke: 100, which only checks that this runs)."""
    namespace = {}
    exec(NUMPY_BASELINE, namespace)  # the baseline lives in a string: NumPy stays optional
    np = namespace["np"]
    Scratch = namespace["LogisticRegressionScratch"]
    A, t = np.array(X), np.array(y)
    per_run = min(1000, most_epochs)
    epoch = median_time(lambda: Scratch(lr=0.1, epochs=per_run, reg=reg).fit(A, t), repeats) / per_run
    # Count the epochs first (checking the objective after each), then time a clean run.
    counter = Scratch(lr=0.1, epochs=1, reg=reg)
    counter.w, counter.b = np.zeros(A.shape[1]), 0.0
    epochs = 0
    while counter.objective(A, t) > optimum + GAP and epochs < most_epochs:
        p = counter.sigmoid(A @ counter.w + counter.b)
        counter.w = counter.w - 0.1 * ((1 / len(t)) * (A.T @ (p - t)) + reg * counter.w)
        counter.b = counter.b - 0.1 * np.mean(p - t)
        epochs += 1
    to_gap = median_time(lambda: Scratch(lr=0.1, epochs=epochs, reg=reg).fit(A, t), min(repeats, 3))
    return {"numpy": np.__version__, "epoch": epoch, "epochs_to_gap": epochs, "time_to_gap": to_gap,
            "reached": epochs < most_epochs}


# ------------------------------------------------------------------ the L1 table

def l1_cases(smoke):
    """The L1 table's data and penalties (with --smoke: the first penalty of each, on small data)."""
    return [(name, regs[:1] if smoke else regs) for name, regs in L1_CASES]


def l1_data(name, smoke):
    if name == "breast cancer":
        return cancer_data()
    return synthetic(2000, 10) if smoke else synthetic(20000, 10)


def measure_l1(X, y, regs, repeats):
    """For each reg: the coordinate-descent L1 fit's time, steps and non-zero weights, and
    the time of one gradient-descent epoch on the same data, measured alternately (the
    machine's load then falls on both alike). Minimums of the repeats: the least-disturbed runs."""
    plain = make_problem(X, y, reg=regs[0])
    rows = []
    for reg in regs:
        problem = make_problem(X, y, reg=reg, penalty="l1")
        epochs, fits = [], []
        for _ in range(repeats):
            start = time.perf_counter()
            iterate(GradientDescent(0.1), plain, epochs=20, tol=0.0)
            epochs.append((time.perf_counter() - start) / 21)  # 20 steps and the start: 21 evaluations
            start = time.perf_counter()
            result = solve(problem, CoordinateDescent(), epochs=1000, tol=L1_TOL)
            fits.append(time.perf_counter() - start)
        rows.append({"reg": reg, "cd": min(fits), "epoch": min(epochs), "steps": result.n_iter,
                     "converged": result.converged, "nonzero": sum(1 for w in result.theta[1:] if w != 0.0),
                     "theta": result.theta})
    return rows


def saga_times(smoke, repeats):
    """scikit-learn's saga on the L1 table's fits: time and coefficients (needs scikit-learn)."""
    import warnings
    import numpy as np
    from sklearn.linear_model import LogisticRegression as SklearnLogisticRegression
    import sklearn

    times = {}
    for name, regs in l1_cases(smoke):
        X, y = l1_data(name, smoke)
        A, t = np.array(X), np.array(y)
        for reg in regs:
            options = dict(C=1.0 / (len(X) * reg), l1_ratio=1.0, solver="saga", tol=L1_TOL, max_iter=100000)
            if tuple(int(v) for v in sklearn.__version__.split(".")[:2]) < (1, 8):
                options["penalty"] = "l1"
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                model = SklearnLogisticRegression(**options)
                elapsed = median_time(lambda: model.fit(A, t), max(1, repeats // 2))
            theta = [float(model.intercept_[0])] + [float(w) for w in model.coef_[0]]
            times[f"{name}|{reg}"] = {"time": elapsed, "theta": theta, "n_iter": int(model.n_iter_[0])}
    return {"sklearn": sklearn.__version__, "fits": times}


def run_saga_elsewhere(python, smoke, repeats):
    command = [python, os.path.abspath(__file__), "--saga-json", "--repeats", str(repeats)] + (["--smoke"] if smoke else [])
    result = subprocess.run(command, capture_output=True, text=True, env=dict(os.environ, PYTHONPATH=ROOT))
    if result.returncode != 0:
        return None, result.stderr.strip().splitlines()[-1] if result.stderr.strip() else "failed"
    return json.loads(result.stdout), None


def l1_table(args, repeats):
    print()
    print(f"L1 fits by coordinate descent to an optimality violation of {L1_TOL:g}, against "
          f"{EPOCH_BUDGET} gradient-descent epochs on the same data, measured alternately in this run:")
    saga, why = None, None
    try:
        saga = saga_times(args.smoke, repeats)
    except ImportError:
        if args.numpy_python:
            saga, why = run_saga_elsewhere(args.numpy_python, args.smoke, repeats)
        else:
            why = "scikit-learn is not importable here (try --numpy-python PATH)"
    print(f"{'data':<21} {'reg':>6} | {'cd fit':>9} {'steps':>5} {'non-0':>5} | {'GD epoch':>9} "
          f"{'cd/epoch':>8} {'cd / 50 epochs':>14} | {'saga':>9} {'max |diff|':>10}")
    for name, regs in l1_cases(args.smoke):
        X, y = l1_data(name, args.smoke)
        label = name if name == "breast cancer" else f"{name} {len(X)} x {len(X[0])}"
        for row in measure_l1(X, y, regs, repeats):
            other = saga["fits"].get(f"{name}|{row['reg']}") if saga else None
            saga_text = (f"{other['time']:>8.3f}s {max(abs(a - b) for a, b in zip(row['theta'], other['theta'])):>10.1e}"
                         if other else f"{'-':>9} {'-':>10}")
            flag = "" if row["converged"] else " (not converged)"
            print(f"{label:<21} {row['reg']:>6g} | {row['cd']:>8.3f}s {row['steps']:>5} {row['nonzero']:>5} | "
                  f"{row['epoch'] * 1e3:>7.3f}ms {row['cd'] / row['epoch']:>8.1f} "
                  f"{row['cd'] / (EPOCH_BUDGET * row['epoch']):>14.2f} | {saga_text}{flag}")
    if saga is None:
        print(f"saga skipped: {why}")
    else:
        print(f"saga: scikit-learn {saga['sklearn']}, C = 1 / (n reg), tol = {L1_TOL:g} (its own stop rule: "
              f"the change of the coefficients), median of repeats")


# ----------------------------------------------------------------- reading

def reading_cases(smoke):
    """(what doubles, its sizes, the CSV text of a size, the target). The hostile cell
    "111...1x" is the attack's: the old number pattern backtracked on it quadratically."""
    def cell(length):
        return "a,y\n1,0\n" + "1" * length + "x,1\n"

    def header(d):
        return (",".join(f"c{j}" for j in range(d)) + ",y\n"
                + "".join(",".join(str((i + j) % 9) for j in range(d)) + f",{i % 2}\n" for i in range(2)))

    def rows(n):
        return "a,b,c,d,e,y\n" + "".join(f"{i % 97 / 10},{i % 13},{i % 7},{i % 5}.5,{i % 3},{(i * 7919) % 2}\n"
                                         for i in range(n))

    scale = 1 if smoke else 16
    return [("cell length (one cell 111...1x)", [1000 * scale * 2 ** k for k in range(4)], cell),
            ("columns (2 rows)", [500 * scale // 2 * 2 ** k for k in range(4)], header),
            ("rows (6 columns)", [1000 * scale // 2 * 2 ** k for k in range(4)], rows)]


def reading_time(text, repeats):
    """Best time of ``repeats`` reads (a refused cell ends in its ValueError: that is the work)."""
    from logreg_pure.part6_command_line.files import parse_csv_text

    def read():
        try:
            parse_csv_text(text, "y")
        except ValueError:
            pass
    best = math.inf
    for _ in range(repeats):
        start = time.perf_counter()
        read()
        best = min(best, time.perf_counter() - start)
    return best


def reading_table(smoke, repeats):
    print()
    print("Reading a CSV file (parse_csv_text, best of runs): time as one size doubles; growth per doubling")
    print("is t(2x) / t(x): 2 for linear, 4 for quadratic")
    print(f"  {'what doubles':<32} {'size':>8} {'bytes':>10} {'time':>10} {'growth':>7}")
    for what, sizes, text_of, in reading_cases(smoke):
        previous = None
        growths = []
        for size in sizes:
            text = text_of(size)
            seconds = reading_time(text, repeats)
            growth = "" if previous is None else f"{seconds / previous:>7.2f}"
            if previous is not None:
                growths.append(seconds / previous)
            print(f"  {what:<32} {size:>8} {len(text):>10} {seconds * 1e3:>8.2f}ms {growth:>7}")
            previous = seconds
        print(f"  {'':<32} mean growth per doubling {statistics.fmean(growths):.2f}")


def cancer_data():
    data = load_breast_cancer()
    return Standardizer().fit_transform(data.X), data.y


def run_numpy_elsewhere(python, reg, optimum, repeats, smoke):
    command = [python, os.path.abspath(__file__), "--numpy-json", repr(optimum), "--repeats", str(repeats)]
    command += ["--smoke"] if smoke else []
    result = subprocess.run(command, capture_output=True, text=True, env=dict(os.environ, PYTHONPATH=ROOT))
    if result.returncode != 0:
        return None, result.stderr.strip().splitlines()[-1] if result.stderr.strip() else "failed"
    return json.loads(result.stdout), None


# -------------------------------------------------------------------- the table

def describe_interpreter():
    route = getattr(fast_dot, "__name__", str(fast_dot))
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return (f"{platform.python_implementation()} {platform.python_version()} on {cpu} "
            f"({os.cpu_count()} cores); dot products by {route}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="skip the 100,000-row data sets")
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, one repeat: checks the script runs")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--numpy-python", metavar="PATH", help="time the NumPy baseline in this interpreter")
    parser.add_argument("--numpy-json", metavar="OPTIMUM", help=argparse.SUPPRESS)
    parser.add_argument("--saga-json", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--l1-only", action="store_true", help="only the L1 table (coordinate descent)")
    parser.add_argument("--reading", action="store_true", help="only the reading table (CSV files)")
    parser.add_argument("--crossover", action="store_true", help="only Newton against L-BFGS by size (issue 26)")
    parser.add_argument("--targets", action="store_true", help="only issue 26's targets, as ratios to the references")
    parser.add_argument("--cancer", action="store_true",
                        help="only the breast-cancer row, the NumPy baseline and their two targets (issue 26)")
    parser.add_argument("--typed", action="store_true", help="only lists against array('d') (issue 26, point 1)")
    parser.add_argument("--memory", action="store_true", help="only a CSV fit's reading time and peak memory")
    parser.add_argument("--reference-python", metavar="PATH", action="append", default=[],
                        help="an interpreter with statsmodels, scikit-learn, pandas (repeatable; default: this one)")
    parser.add_argument("--require-references", action="store_true",
                        help="exit 1 when a reference of the targets table could not be measured (for CI)")
    args = parser.parse_args(argv)
    pythons = args.reference_python or [sys.executable]
    reg = 1.0 / 569

    if args.saga_json:  # internal: scikit-learn's half of the L1 table, run by another interpreter
        print(json.dumps(saga_times(args.smoke, args.repeats)))
        return 0
    if args.l1_only:
        print(describe_interpreter())
        l1_table(args, 1 if args.smoke else args.repeats)
        return 0
    if args.reading:
        print(describe_interpreter())
        reading_table(args.smoke, 1 if args.smoke else args.repeats)
        return 0
    if args.crossover:
        print(describe_interpreter())
        crossover_table(args.smoke, 1 if args.smoke else args.repeats)
        return 0
    if args.typed or args.memory:
        print(describe_interpreter())
        (typed_table if args.typed else memory_table)(args.smoke, 1 if args.smoke else args.repeats)
        return 0
    if args.targets:
        print(describe_interpreter())
        measured = targets_table(args, 1 if args.smoke else args.repeats, pythons)
        return 1 if args.require_references and not measured else 0

    if args.numpy_json:  # internal: the baseline half, run by another interpreter
        X, y = cancer_data()
        print(json.dumps(numpy_baseline(X, y, reg, float(args.numpy_json), args.repeats,
                                        most_epochs=100 if args.smoke else 1_000_000)))
        return 0

    repeats = 1 if args.smoke else args.repeats
    print(describe_interpreter())
    X, y = cancer_data()
    cancer = measure(X, y, reg, repeats, epochs=5 if args.smoke else 100)
    if args.cancer:
        m = cancer
        print(f"breast cancer 569 x 30: epoch {m['epoch'] * 1e3:.3f}ms, floor {m['floor'] * 1e3:.3f}ms, "
              f"Newton fit {m['newton']:.3f}s ({m['newton_iterations']} iterations)")
        baseline = numpy_side(args, X, y, reg, cancer["objective"], repeats)[0]
        if baseline is not None:
            print_baseline(baseline, cancer)
        print_interpreter_targets(cancer, baseline)
        return 0
    sizes = [(200, 10)] if args.smoke else [(1000, 10), (10000, 10), (1000, 100), (10000, 100)]
    if not (args.quick or args.smoke):
        sizes += [(100000, 10), (100000, 100)]
    rows = [("breast cancer", 569, 30, cancer)]
    for n, d in sizes:
        Xs, ys = synthetic(n, d)
        big = n * d > 1_000_000
        result = measure(Xs, ys, 0.01, 1 if big else repeats, epochs=2 if args.smoke else (3 if big else 20),
                         newton=not big)
        rows.append(("synthetic", n, d, result))
        del Xs, ys

    print()
    print(f"{'data':<14} {'n':>7} {'d':>4} | {'epoch':>9} {'floor':>9} {'ratio':>5} {'ns/mul-add':>10} | "
          f"{'Newton fit':>10} {'iters':>5} | {'predict':>9} {'us/row':>7}")
    for name, n, d, m in rows:
        newton = f"{m['newton']:>9.3f}s {m['newton_iterations']:>5}" if m["newton"] else f"{'(skipped)':>10} {'':>5}"
        per_madd = m["epoch"] / (2 * n * d) * 1e9
        print(f"{name:<14} {n:>7} {d:>4} | {m['epoch'] * 1e3:>7.3f}ms {m['floor'] * 1e3:>7.3f}ms "
              f"{m['epoch'] / m['floor']:>5.2f} {per_madd:>10.1f} | {newton} | "
              f"{m['predict'] * 1e3:>7.2f}ms {m['predict'] / n * 1e6:>7.2f}")
    print("(epoch and floor per epoch; Newton skipped where n*d > 1e6: minutes in pure Python)")
    memory = bytes_per_value(X, y, reg)
    if memory is None:
        print("Memory: not measured (this interpreter has no tracemalloc)")
    else:
        print(f"Memory to prepare a fit (rows + transpose, references to shared floats): "
              f"{memory:.1f} bytes per value (breast cancer)")

    baseline, why = numpy_side(args, X, y, reg, cancer["objective"], repeats)
    print()
    if baseline is None:
        print(f"NumPy baseline skipped: {why}")
    else:
        print_baseline(baseline, cancer)
    l1_table(args, repeats)
    reading_table(args.smoke, repeats)
    typed_table(args.smoke, repeats)
    memory_table(args.smoke, repeats)
    crossover_table(args.smoke, repeats)
    targets_table(args, repeats, pythons)
    print_interpreter_targets(cancer, baseline)
    return 0


def numpy_side(args, X, y, reg, optimum, repeats):
    """The NumPy baseline (here, or in --numpy-python's interpreter), or ``None`` and why not."""
    try:
        import numpy  # noqa: F401
        return numpy_baseline(X, y, reg, optimum, repeats, most_epochs=100 if args.smoke else 1_000_000), None
    except ImportError:
        if args.numpy_python:
            return run_numpy_elsewhere(args.numpy_python, reg, optimum, repeats, args.smoke)
        return None, "NumPy is not importable here (try --numpy-python PATH)"


def print_interpreter_targets(cancer, baseline):
    """The two targets the first table measures, restated next to their targets."""
    ratio = cancer["epoch"] / cancer["floor"]
    print(f"{'GD epoch / the floor (breast cancer)':<48} {ratio:>9.2f}x {'':>28} {'':>7} {'<= 1.3x':>7} "
          f"{'met' if ratio <= 1.3 else 'NOT met'}")
    if baseline is not None and baseline["reached"]:
        speedup = baseline["time_to_gap"] / cancer["newton"]
        print(f"{'NumPy GD to 1e-6 / our Newton to 1e-8 (cancer)':<48} {speedup:>9.1f}x {'':>28} {'':>7} "
              f"{'>= 10x':>7} {'met' if speedup >= 10 else 'NOT met'}")
    else:
        print("NumPy GD to 1e-6 / our Newton to 1e-8: not measured (NumPy not importable; try --numpy-python)")


def print_baseline(baseline, cancer):
    print(f"Original NumPy class (NumPy {baseline['numpy']}), breast cancer, reg = 1/569:")
    print(f"  one epoch {baseline['epoch'] * 1e3:.3f} ms; ours {cancer['epoch'] * 1e3:.3f} ms "
          f"= {cancer['epoch'] / baseline['epoch']:.1f} x NumPy's")
    reached = "" if baseline["reached"] else " (not reached: gave up there)"
    print(f"  to within {GAP:g} of the optimal objective: {baseline['epochs_to_gap']} epochs, "
          f"{baseline['time_to_gap']:.3f} s{reached}")
    if baseline["reached"]:
        print(f"  our Newton fit to a gradient of 1e-8: {cancer['newton']:.3f} s "
              f"= {baseline['time_to_gap'] / cancer['newton']:.1f} x faster, and at the exact optimum")


if __name__ == "__main__":
    sys.exit(main())

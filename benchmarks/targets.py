"""The targets of issue 26, as ratios measured in one run against the reference libraries.

``python benchmarks/bench.py --targets`` prints, for each task, our time, the reference's,
their ratio and the target. The references (statsmodels, scikit-learn, NumPy, pandas) run
in this interpreter when it has them, or in the one given by ``--reference-python PATH``
(repeatable: the first that has a library runs its tasks), as a subprocess that times
them on the same data, sent as JSON. Without them, the table prints our times and says
which reference was missing. The data: synthetic sets made here (seeded); randhie and
fair from statsmodels' datasets and wine from scikit-learn's, loaded in the reference
interpreter and sent here (they are not copied into the project).

``python benchmarks/bench.py --crossover`` times Newton's method against L-BFGS as the
number of parameters grows: the measurement behind ``solver="auto"``'s rule (chapter 15's
``NEWTON_MOST_PARAMETERS``).
"""

import json
import math
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import warnings

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from logreg_pure import LogisticRegression, SoftmaxRegression  # noqa: E402
from logreg_pure.part3_solvers.solvers import NEWTON_MOST_PARAMETERS, auto_solver, parameter_count  # noqa: E402
from logreg_pure.part4_estimators.features import Standardizer  # noqa: E402

THIS = os.path.abspath(__file__)


def best_time(function, repeats):
    """The least wall time of ``repeats`` calls: on a shared machine, the least disturbed."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def synthetic_classes(n, d, k, seed=0):
    """Standard normal features; K classes drawn from a softmax model with scores of spread 1."""
    rng = random.Random(seed)
    W = [[rng.gauss(0.0, 1.0 / math.sqrt(d)) for _ in range(d)] for _ in range(k)]
    X, y = [], []
    for _ in range(n):
        x = [rng.gauss(0.0, 1.0) for _ in range(d)]
        scores = [sum(a * b for a, b in zip(w, x)) for w in W]
        top = max(scores)
        weights = [math.exp(s - top) for s in scores]
        u, label = rng.random() * sum(weights), 0
        while u > weights[label]:
            u -= weights[label]
            label += 1
        X.append(x)
        y.append(min(label, k - 1))
    return X, y


# ------------------------------------------------------------------ the crossover

def crossover_cases(smoke):
    """(n, d, K) triples whose parameter counts (d + 1)(K - 1) straddle the rule's limit."""
    if smoke:
        return [(200, 4, 2), (200, 4, 3)]
    binary = [(4000, d, 2) for d in (10, 20, 30, 40, 60, 100)]
    classes = [(4000, d, 5) for d in (2, 5, 8, 12, 20)]
    return binary + classes


def crossover_data(smoke):
    """(name, X, y, K): the synthetic cases, then real ones whose conditioning differs."""
    for n, d, k in crossover_cases(smoke):
        X, y = synthetic_classes(n, d, k, seed=d * 10 + k)
        yield "synthetic", X, y, k
    if smoke:
        return
    from logreg_pure.part6_command_line.datasets import load_breast_cancer, load_iris
    cancer, iris = load_breast_cancer(), load_iris()
    yield "cancer, standardized", Standardizer().fit_transform(cancer.X), cancer.y, 2
    yield "cancer, raw scales", cancer.X, cancer.y, 2
    yield "iris", iris.X, iris.y, 3


def crossover_table(smoke, repeats):
    """Newton's method and L-BFGS (tol 1e-8, reg 1/n), timed alternately on the same data."""
    print()
    print(f"Newton's method against L-BFGS (tol 1e-8, reg = 1/n), best of {repeats}; auto's rule: Newton "
          f"up to p = {NEWTON_MOST_PARAMETERS} parameters, (d + 1)(K - 1)")
    print(f"{'data':<20} {'n':>6} {'d':>4} {'K':>2} {'p':>4} | {'newton':>8} {'iters':>5} | {'lbfgs':>8} "
          f"{'iters':>5} | {'newton / lbfgs':>14} | auto")
    for name, X, y, k in crossover_data(smoke):
        n, d = len(X), len(X[0])
        make = LogisticRegression if k == 2 else SoftmaxRegression
        models = {s: make(solver=s, reg=1.0 / n, tol=1e-8) for s in ("newton", "lbfgs")}
        times = {s: [] for s in models}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # an unfinished L-BFGS fit shows as its iteration count
            for _ in range(repeats):
                for solver, model in models.items():
                    times[solver].append(best_time(lambda: model.fit(X, y), 1))
        t_newton, t_lbfgs = min(times["newton"]), min(times["lbfgs"])
        unfinished = "" if models["lbfgs"].converged_ else "*"
        print(f"{name:<20} {n:>6} {d:>4} {k:>2} {parameter_count(d, k):>4} | {t_newton:>7.3f}s "
              f"{models['newton'].n_iter_:>5} | {t_lbfgs:>7.3f}s {models['lbfgs'].n_iter_:>4}{unfinished:1} | "
              f"{t_newton / t_lbfgs:>14.2f} | {auto_solver('l2', n_features=d, n_classes=k)}")
    print("(* L-BFGS stopped at its iteration limit, 1000, short of tol)")


# ------------------------------------------------------------------ the references

def reference_side(spec_path):
    """Run in the reference interpreter: time each task of the spec it can, print JSON."""
    with open(spec_path, encoding="utf-8") as handle:
        spec = json.load(handle)
    answers = {}
    for task in spec["tasks"]:
        try:
            answers[task] = REFERENCE_TASKS[task](spec)
        except ImportError as error:
            answers[task] = {"missing": str(error)}
    print(json.dumps(answers))


def _load_anchor_data(name):
    """randhie and fair (statsmodels), wine (scikit-learn), as plain lists."""
    if name == "wine":
        from sklearn.datasets import load_wine
        data = load_wine()
        return {"X": data.data.tolist(), "y": data.target.tolist(), "source": "scikit-learn load_wine"}
    import statsmodels.api as sm
    if name == "randhie":
        frame = sm.datasets.randhie.load_pandas().data
        X = frame.drop(columns=["mdvis"]).astype(float).values.tolist()
        return {"X": X, "y": (frame["mdvis"] > 0).astype(int).tolist(), "source": "statsmodels randhie, y = mdvis > 0"}
    frame = sm.datasets.fair.load_pandas().data
    X = frame.drop(columns=["affairs"]).astype(float).values.tolist()
    return {"X": X, "y": (frame["affairs"] > 0).astype(int).tolist(), "source": "statsmodels fair, y = affairs > 0"}


def _data_task(spec):
    return {name: _load_anchor_data(name) for name in spec["data"]}


def _randhie_statsmodels(spec):
    import numpy as np
    import statsmodels.api as sm
    data = _load_anchor_data("randhie")
    X, y = sm.add_constant(np.array(data["X"])), np.array(data["y"])
    return {"seconds": best_time(lambda: sm.Logit(y, X).fit(disp=0, method="newton", tol=1e-8), spec["repeats"])}


def _softmax_lbfgs(spec):
    import numpy as np
    from sklearn.linear_model import LogisticRegression as Reference
    X, y = np.array(spec["softmax"]["X"]), np.array(spec["softmax"]["y"])
    C = 1.0 / (len(y) * spec["softmax"]["reg"])
    return {"seconds": best_time(lambda: Reference(C=C, solver="lbfgs", tol=1e-8, max_iter=10000).fit(X, y),
                                 spec["repeats"])}


def _wine_saga(spec):
    import numpy as np
    from sklearn.linear_model import LogisticRegression as Reference
    from sklearn.preprocessing import StandardScaler
    data = _load_anchor_data("wine")
    X, y = StandardScaler().fit_transform(np.array(data["X"])), np.array(data["y"])
    C = 1.0 / (len(y) * spec["wine_reg"])
    model = Reference(C=C, solver="saga", l1_ratio=1.0, tol=1e-6, max_iter=100000)
    return {"seconds": best_time(lambda: model.fit(X, y), spec["repeats"])}


def _fair_cv(spec):
    import numpy as np
    from sklearn.linear_model import LogisticRegressionCV
    from sklearn.preprocessing import StandardScaler
    data = _load_anchor_data("fair")
    X, y = StandardScaler().fit_transform(np.array(data["X"])), np.array(data["y"])
    model = LogisticRegressionCV(Cs=100, cv=5, solver="saga", l1_ratios=(1.0,), max_iter=10000)
    return {"seconds": best_time(lambda: model.fit(X, y), 1)}


def _csv_pandas_statsmodels(spec):
    import pandas as pd
    import statsmodels.api as sm
    start = time.perf_counter()
    frame = pd.read_csv(spec["csv"])
    X, y = sm.add_constant(frame.drop(columns=["label"]).values), frame["label"].values
    sm.Logit(y, X).fit(disp=0, method="newton", tol=1e-8)
    return {"seconds": time.perf_counter() - start,
            "peak_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024}


REFERENCE_TASKS = {"data": _data_task, "randhie": _randhie_statsmodels, "softmax": _softmax_lbfgs,
                   "wine": _wine_saga, "fair": _fair_cv, "csv": _csv_pandas_statsmodels}


def run_references(pythons, spec):
    """Each task from the first interpreter that can do it: ``{task: answer}``."""
    answers = {}
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "spec.json")
        for python in pythons:
            wanted = [task for task in spec["tasks"] if task not in answers or "missing" in answers[task]]
            if not wanted:
                break
            with open(path, "w", encoding="utf-8") as handle:
                json.dump(dict(spec, tasks=wanted), handle)
            result = subprocess.run([python, THIS, "--reference-json", path], capture_output=True, text=True)
            if result.returncode != 0:
                for task in wanted:
                    answers.setdefault(task, {"missing": f"{python} failed: {result.stderr.strip()[-300:]}"})
                continue
            for task, answer in json.loads(result.stdout).items():
                if task not in answers or "missing" in answers[task]:
                    answers[task] = answer
    return answers


# ------------------------------------------------------------------ ours, and the table

CSV_FEATURES = 20


def write_csv(path, n, seed=0, features=CSV_FEATURES):
    """n rows of ``features`` standard normal features (6 decimals) and a 0/1 label: 192
    bytes a row at 20 features."""
    rng = random.Random(seed)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(",".join(f"x{j}" for j in range(features)) + ",label\n")
        for _ in range(n):
            x = [rng.gauss(0.0, 1.0) for _ in range(features)]
            p = 1.0 / (1.0 + math.exp(-sum(x) / math.sqrt(features)))
            handle.write(",".join(f"{v:.6f}" for v in x) + f",{int(rng.random() < p)}\n")


OUR_CSV_FIT = ("import json, resource, sys, time; from logreg_pure.part6_command_line.cli import main; "
               "start = time.perf_counter(); code = main(['fit', sys.argv[1], '--target', 'label', '--model', "
               "sys.argv[2]], open('/dev/null', 'w')); print(json.dumps({'seconds': time.perf_counter() - start, "
               "'peak_bytes': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024, 'code': code}))")


def ours_csv(path, folder):
    """``python -m logreg_pure fit`` on the file, in a fresh process: its time and peak RSS."""
    command = [sys.executable, "-c", OUR_CSV_FIT, path, os.path.join(folder, "model.json")]
    result = subprocess.run(command, capture_output=True, text=True, env=dict(os.environ, PYTHONPATH=ROOT))
    return json.loads(result.stdout.strip().splitlines()[-1])


def ours(task, data, repeats):
    """Our time for a task, on the data the reference gets."""
    if task == "randhie":
        return best_time(lambda: LogisticRegression(tol=1e-8).fit(data["X"], data["y"]), repeats)
    if task == "softmax":
        model = SoftmaxRegression(reg=data["reg"], tol=1e-8)
        return best_time(lambda: model.fit(data["X"], data["y"]), repeats)
    if task == "wine":
        model = SoftmaxRegression(penalty="l1", reg=data["reg"], solver="cd", tol=1e-6)
        X = Standardizer().fit_transform(data["X"])
        return best_time(lambda: model.fit(X, data["y"]), repeats)
    from logreg_pure import choose_reg
    return best_time(lambda: choose_reg(data["X"], data["y"], k=5, random_state=0, standardize=True), 1)


TARGETS = [  # task, what, the reference, the most our time may be as a multiple of it
    ("csv", "fit on a CSV of 20 features, end to end", "pandas + statsmodels", 3.0),
    ("randhie", "auto (Newton) on randhie, 20,190 x 9", "statsmodels Logit", 4.0),
    ("softmax", "auto (L-BFGS) softmax, 20,000 x 10, 5 classes", "scikit-learn lbfgs", 15.0),
    ("wine", "softmax L1 by cd on wine, 178 x 13, 3 classes", "scikit-learn saga", 20.0),
    ("fair", "path on fair: 100 regs, 5-fold CV", "LogisticRegressionCV saga", 1.0),
]


def targets_table(args, repeats, pythons):
    """Every target of issue 26 as a ratio in this one run (and what could not be measured)."""
    smoke = args.smoke
    n_soft = 500 if smoke else 20000
    X, y = synthetic_classes(n_soft, 10, 5, seed=5)
    softmax = {"X": X, "y": y, "reg": 1.0 / n_soft}
    with tempfile.TemporaryDirectory() as folder:
        csv = os.path.join(folder, "fit.csv")
        write_csv(csv, 2000 if smoke else (30000 if args.quick else 300000))
        tasks = ["data"] + [task for task, _, _, _ in TARGETS if not (smoke and task == "fair")]
        spec = {"tasks": tasks, "data": ["randhie", "wine", "fair"],
                "repeats": repeats, "softmax": softmax, "wine_reg": 0.01, "csv": csv}
        answers = run_references(pythons, spec)
        loaded = answers.get("data", {})
        data = dict(loaded if "missing" not in loaded else {}, softmax=softmax)
        if "wine" in data:
            data["wine"]["reg"] = 0.01
        ours_answers = {"csv": ours_csv(csv, folder)}
        size = os.path.getsize(csv)
        for task, _, _, _ in TARGETS[1:]:
            if task in data and not (smoke and task == "fair"):
                ours_answers[task] = {"seconds": ours(task, data[task], repeats)}
        again = run_references(pythons, dict(spec, tasks=[task for task in tasks if task != "data"]))
    return print_targets(ours_answers, least_of(answers, again), size, smoke)


def least_of(first, second):
    """Each reference's least time of its two runs, one before ours and one after: a burst of
    load on a shared machine then cannot fall on the reference's side alone."""
    merged = dict(first)
    for task, answer in second.items():
        if "seconds" in answer and answer["seconds"] < merged.get(task, {}).get("seconds", float("inf")):
            merged[task] = dict(merged.get(task, {}), seconds=answer["seconds"])
    return merged


def print_targets(ours_answers, answers, size, smoke=False):
    """The table; ``True`` when every reference it asked for was measured."""
    measured = True
    print()
    sizes = " AT SMOKE SIZES (500 rows for the softmax, 2,000 for the CSV): not the targets' data" if smoke else ""
    print(f"Issue 26's targets, in this run (ours / reference; best of the repeats, the reference's "
          f"run before and after ours){sizes}:")
    print(f"{'task':<48} {'ours':>9} {'reference':>28} {'ratio':>7} {'target':>7}")
    for task, what, reference, most in TARGETS:
        mine, theirs = ours_answers.get(task), answers.get(task, {})
        mine_text = f"{mine['seconds']:.3f}s" if mine else "-"
        if mine and "seconds" in theirs:
            ratio = mine["seconds"] / theirs["seconds"]
            verdict = "met" if ratio <= most else "NOT met"
            print(f"{what:<48} {mine_text:>9} {reference + ' ' + format(theirs['seconds'], '.3f') + 's':>28} "
                  f"{ratio:>6.1f}x {'<= ' + format(most, 'g') + 'x':>7} {verdict}")
        elif mine or task in answers:
            measured = False
            why = theirs.get("missing", "no reference interpreter (give --reference-python PATH)")
            print(f"{what:<48} {mine_text:>9} {reference + ': not measured':>28} ({why[:60]})")
    mine = ours_answers["csv"]
    share = mine["peak_bytes"] / size
    print(f"CSV file {size / 1e6:.1f} MB; peak RSS ours {mine['peak_bytes'] / 1e6:.0f} MB = "
          f"{share:.1f}x the file (target <= 4x: {'met' if share <= 4.0 else 'NOT met'})", end="")
    theirs = answers.get("csv", {})
    print(f"; pandas + statsmodels {theirs['peak_bytes'] / 1e6:.0f} MB" if "peak_bytes" in theirs else "")
    return measured


if __name__ == "__main__" and sys.argv[1:2] == ["--reference-json"]:
    reference_side(sys.argv[2])

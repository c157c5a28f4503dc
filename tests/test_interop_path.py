"""Chapters 16 and 26, checked live against scikit-learn's saga (elastic net, C = 1 / (n reg)).

Skipped where scikit-learn is not importable; with LOGREG_REQUIRE_INTEROP=1 (set by .ci/run
in the virtual environment that has it) a missing scikit-learn is a failure instead.
The same comparison, computed once and pinned, runs everywhere:
tests/test_coordinate.py::test_agrees_with_scikit_learns_saga_on_breast_cancer.
"""

import math
import os
import random
import warnings

import pytest

from logreg_pure import LogisticRegression
from logreg_pure.part4_estimators.features import Standardizer
from logreg_pure.part5_inference.path import regularization_path
from logreg_pure.part6_command_line.datasets import load_breast_cancer


try:
    import numpy as np
    import sklearn
    from sklearn import linear_model
except ImportError:
    if os.environ.get("LOGREG_REQUIRE_INTEROP") == "1":
        raise  # a required check that cannot run is a failure, not a skip
    pytest.skip("scikit-learn is not importable (LOGREG_REQUIRE_INTEROP=1 makes this a failure)",
                allow_module_level=True)


def saga(X, y, reg, l1_ratio):
    """scikit-learn's saga at C = 1 / (n reg), run to a tight tolerance. From 1.8 the
    penalty is given by l1_ratio alone; before, penalty="elasticnet" names it."""
    options = dict(C=1.0 / (len(X) * reg), l1_ratio=l1_ratio, solver="saga", tol=1e-12, max_iter=100000)
    major, minor = (int(part) for part in sklearn.__version__.split(".")[:2])
    if (major, minor) < (1, 8):
        options["penalty"] = "elasticnet"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # saga's ConvergenceWarning at max_iter: checked below instead
        model = linear_model.LogisticRegression(**options).fit(np.array(X), np.array(y))
    return [float(model.intercept_[0])] + [float(w) for w in model.coef_[0]]


def synthetic(n, d, seed):
    rng = random.Random(seed)
    X = [[rng.gauss(0.0, 1.0) for _ in range(d)] for _ in range(n)]
    y = [1.0 if rng.random() < 1.0 / (1.0 + math.exp(row[1] - row[0])) else 0.0 for row in X]
    return X, y


@pytest.mark.parametrize("reg, l1_ratio", [(0.05, 0.5), (0.02, 1.0), (0.01, 0.2)])
def test_coordinate_descent_matches_saga_on_breast_cancer(reg, l1_ratio):
    data = load_breast_cancer()
    X = Standardizer().fit_transform(data.X)
    penalty = {"penalty": "elasticnet", "l1_ratio": l1_ratio}
    ours = LogisticRegression(solver="cd", reg=reg, tol=1e-10, **penalty).fit(X, data.y)
    theirs = saga(X, data.y, reg, l1_ratio)
    assert max(abs(a - b) for a, b in zip([ours.intercept_] + ours.coef_, theirs)) <= 1e-5


def test_the_path_matches_saga_at_every_reg():
    X, y = synthetic(200, 5, seed=3)
    path = regularization_path(X, y, l1_ratio=0.7, n_regs=6, tol=1e-10)
    for reg, coef, intercept in zip(path.regs[1:], path.coefs[1:], path.intercepts[1:]):
        theirs = saga(X, y, reg, 0.7)
        assert max(abs(a - b) for a, b in zip([intercept] + coef, theirs)) <= 1e-5

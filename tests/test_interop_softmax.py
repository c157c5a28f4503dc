"""Chapter 9b, live: SoftmaxRegression against scikit-learn's multinomial LogisticRegression.

Skipped when scikit-learn is not installed; with LOGREG_REQUIRE_INTEROP=1 (as .ci/run
sets it, in a virtual environment that has scikit-learn) a missing library is a
failure instead. The pinned numbers in test_multinomial.py hold without it.
"""

import importlib
import os

import pytest

from logreg_pure.datasets import load_iris
from logreg_pure.features import Standardizer
from logreg_pure.multinomial import SoftmaxRegression


def _require(name):
    try:
        return importlib.import_module(name)
    except ImportError:
        if os.environ.get("LOGREG_REQUIRE_INTEROP") == "1":
            pytest.fail(f"LOGREG_REQUIRE_INTEROP=1 but {name} is not installed")
        pytest.skip(f"{name} is not installed")


@pytest.mark.parametrize("reg, standardize", [(0.01, False), (0.1, True), (1e-3, True)])
def test_probabilities_match_scikit_learn_with_c_equal_to_one_over_n_reg(reg, standardize):
    linear_model = _require("sklearn.linear_model")
    data = load_iris()
    X = Standardizer().fit_transform(data.X) if standardize else data.X
    y = data.labels()
    ours = SoftmaxRegression(solver="newton", reg=reg, tol=1e-12).fit(X, y)
    theirs = linear_model.LogisticRegression(C=1.0 / (len(X) * reg), tol=1e-12, max_iter=100000).fit(X, y)
    assert list(theirs.classes_) == ours.classes_
    for p, q in zip(ours.predict_proba(X), theirs.predict_proba(X).tolist()):
        assert max(abs(a - b) for a, b in zip(p, q)) <= 1e-6

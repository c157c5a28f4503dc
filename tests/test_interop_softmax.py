"""Chapter 19, live: SoftmaxRegression against scikit-learn's multinomial LogisticRegression.

Skipped when scikit-learn is not installed; with LOGREG_REQUIRE_INTEROP=1 (as .ci/run
sets it, in a virtual environment that has scikit-learn) a missing library is a
failure instead. The pinned numbers in test_multinomial.py hold without it.
"""

import importlib
import os

import pytest

from logreg_pure.part4_estimators.features import Standardizer
from logreg_pure.part4_estimators.multinomial import SoftmaxRegression
from logreg_pure.part6_command_line.datasets import load_iris


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


def test_scikit_learn_tools_take_the_softmax_model_and_pandas_data():
    # The estimator conventions (chapter 17) hold for K classes too: clone rebuilds it,
    # cross_val_score fits it on DataFrame folds, and neg_log_loss reads predict_proba's
    # K columns, which are scikit-learn's own layout here.
    pandas = _require("pandas")
    model_selection = _require("sklearn.model_selection")
    base = _require("sklearn.base")
    data = load_iris()
    X, y = pandas.DataFrame(data.X, columns=data.feature_names), pandas.Series(data.labels())
    model = SoftmaxRegression(solver="newton", reg=0.01)
    assert repr(base.clone(model)) == repr(model)
    accuracy = model_selection.cross_val_score(model, X, y, cv=3)
    log_loss = model_selection.cross_val_score(model, X, y, cv=3, scoring="neg_log_loss")
    assert min(accuracy) > 0.9 and max(log_loss) < 0.0
    assert SoftmaxRegression(solver="newton", reg=0.01).fit(X, y).feature_names_in_ == data.feature_names

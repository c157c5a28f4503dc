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


@pytest.mark.parametrize("penalty, l1_ratio, reg, weighted", [
    ("l2", None, 0.01, False),
    ("l1", None, 0.01, False),
    ("l1", None, 0.003, True),
    ("elasticnet", 0.5, 0.01, False),
    ("elasticnet", 0.25, 0.003, True),
])
def test_coordinate_descent_matches_saga_on_the_same_objective(penalty, l1_ratio, reg, weighted):
    # SoftmaxRegression(solver="cd") against scikit-learn's saga, multinomial, on the same
    # objective: C = 1 / (S reg), S the total weight (n without weights), and l1_ratio 1
    # for "l1", 0 for "l2". Both are run to 1e-12; saga's intercepts are centred as ours
    # are reported. Agreement to 1e-5 on the probabilities and on every coefficient. Three
    # classes: with pure L1 the optimum's weights are unique only for an odd K (the
    # median of the classes' weights of a feature), so the comparison is well posed.
    linear_model = _require("sklearn.linear_model")
    np = _require("numpy")
    data = load_iris()
    X, y = Standardizer().fit_transform(data.X), data.labels()
    weights = [1.0 + (i % 4) / 2.0 for i in range(len(X))] if weighted else None
    S = sum(weights) if weighted else float(len(X))
    options = {"l1_ratio": l1_ratio} if penalty == "elasticnet" else {}
    ours = SoftmaxRegression(solver="cd", penalty=penalty, reg=reg, tol=1e-12, **options).fit(X, y, weights)
    ratio = {"l1": 1.0, "l2": 0.0}.get(penalty, l1_ratio)
    theirs = linear_model.LogisticRegression(C=1.0 / (S * reg), l1_ratio=ratio, solver="saga", tol=1e-12,
                                             max_iter=1000000).fit(np.array(X), y, sample_weight=weights)
    assert ours.converged_ and list(theirs.classes_) == ours.classes_
    P, Q = ours.predict_proba(X), theirs.predict_proba(np.array(X)).tolist()
    assert max(abs(p - q) for row_p, row_q in zip(P, Q) for p, q in zip(row_p, row_q)) <= 1e-5
    centred = (theirs.intercept_ - theirs.intercept_.mean()).tolist()
    assert max(abs(a - b) for a, b in zip(ours.intercept_, centred)) <= 1e-5
    assert max(abs(a - b) for row_a, row_b in zip(ours.coef_, theirs.coef_.tolist())
               for a, b in zip(row_a, row_b)) <= 1e-5

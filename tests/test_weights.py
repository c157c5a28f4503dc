"""Chapter 10: sample weights and class weights say how much each row counts.

``class_weight`` is a shorthand for sample weights that depend on the label only:
each law fits twice, once with the shorthand and once with the sample weights it
stands for, computed here from the definition, and compares the two fits.
"""

import math

import pytest
from hypothesis import example, given, strategies as st

from logreg_pure import LogisticRegression, summarize
from logreg_pure.part2_problem.problem import Problem
from logreg_pure.part2_problem.softmax_problem import SoftmaxProblem
from strategies import class_weights, weighted_datasets

REG = 0.1  # a penalty, so that every fit has a unique, finite minimizer


def newton(**options):
    return LogisticRegression(solver="newton", reg=REG, tol=1e-10, **options)


def assert_same_fit(a, b):
    """Two fits of the same objective by the same solver: equal to rounding (1e-12)."""
    for u, v in zip(a.coef_ + [a.intercept_], b.coef_ + [b.intercept_]):
        assert math.isclose(u, v, rel_tol=1e-12, abs_tol=1e-12)


@given(weighted_datasets(max_rows=10), class_weights())
def test_a_class_weight_dict_is_the_matching_sample_weight(data, weights):
    """Law: class_weight={0: a, 1: b} fits what sample_weight s_i * (a if y_i = 0 else b)
    fits, a class left out of the dict having weight 1, on top of any sample weights.

    Both fits minimize the same weighted J with the same solver: equal to 1e-12.
    """
    X, y, sample_weight = data
    explicit = [s * weights.get(int(label), 1.0) for s, label in zip(sample_weight or [1.0] * len(y), y)]
    by_class = newton(class_weight=weights).fit(X, y, sample_weight=sample_weight)
    assert_same_fit(by_class, newton().fit(X, y, sample_weight=explicit))


@given(weighted_datasets(max_rows=10))
@example(([[0.0], [1.0], [2.0], [3.0], [4.0]], [0.0, 1.0, 1.0, 0.0, 1.0], None))  # several positives
def test_balanced_class_weight_is_n_over_twice_the_class_count(data):
    """Law: class_weight="balanced" weighs a row of class c by n / (2 n_c), n_c the
    number of rows of class c, so that both classes carry the same total weight n / 2
    (scikit-learn's rule); any sample weights multiply it.

    Both fits minimize the same weighted J with the same solver: equal to 1e-12.
    """
    X, y, sample_weight = data
    count = {c: sum(1 for label in y if label == c) for c in (0.0, 1.0)}
    explicit = [s * len(y) / (2 * count[label]) for s, label in zip(sample_weight or [1.0] * len(y), y)]
    balanced = newton(class_weight="balanced").fit(X, y, sample_weight=sample_weight)
    assert_same_fit(balanced, newton().fit(X, y, sample_weight=explicit))


@pytest.mark.parametrize("weighting", [dict(sample_weight=[1, 2, 1, 1, 2, 1]), dict(class_weight="balanced"),
                                       dict(class_weight={1: 2.0})])
def test_summarize_refuses_a_weighted_fit(weighting):
    # Standard errors from the unweighted information would describe another fit.
    X, y = [[0.0], [1.0], [2.0], [3.0], [1.5], [2.5]], [0, 0, 1, 1, 0, 1]
    sample_weight = weighting.pop("sample_weight", None)
    model = LogisticRegression(solver="newton", reg=REG, **weighting).fit(X, y, sample_weight=sample_weight)
    assert model.sample_weight_used_
    with pytest.raises(ValueError, match="summarize supports unweighted fits only"):
        summarize(model, X, y)


# ------------------------------------------------ the lead's review: a class that weighs nothing

@given(st.integers(2, 4), st.data())
def test_a_class_of_total_weight_zero_is_refused_by_every_problem(n_classes, draw):
    """Law: a problem (two classes, or K) is refused at construction, naming the class and
    the cure, exactly when some class's rows all have weight 0; any positive total is
    accepted. Such a class's probability is best at 0, reached only at an infinite
    intercept: a penalized fit would stop somewhere finite and call it converged (with
    intercepts that depended on the solver: -14.2 by cd, -15.2 by Newton's method).
    Precondition: every class has at least one row; weights are 0 or 1. Exact: it is a
    comparison of sums of ones with 0.
    """
    y = list(range(n_classes)) + draw.draw(st.lists(st.integers(0, n_classes - 1), max_size=6))
    X = [[float(i % 3), float(i % 2)] for i in range(len(y))]
    weights = draw.draw(st.lists(st.sampled_from([0.0, 1.0]), min_size=len(y), max_size=len(y))
                        .filter(lambda w: max(w) > 0.0))
    empty = [k for k in range(n_classes) if not any(s for s, label in zip(weights, y) if label == k)]
    make = (lambda: Problem(X, y, sample_weight=weights)) if n_classes == 2 else \
        (lambda: SoftmaxProblem(X, y, sample_weight=weights))
    if empty:
        with pytest.raises(ValueError, match=f"^class {empty[0]} .* has total weight 0: .*; give its rows weight"):
            make()
    else:
        assert make().class_totals() == [float(sum(s for s, label in zip(weights, y) if label == k))
                                         for k in range(n_classes)]

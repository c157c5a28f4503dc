"""Chapters 10 and 11b: features, standardization, splits and folds."""

import math
import warnings

import pytest
from hypothesis import example, given, strategies as st

from logreg_pure import LogisticRegression
from logreg_pure.features import Standardizer, add_interactions, original_units, polynomial_features
from logreg_pure.selection import cross_validate, k_fold_indices, train_test_split
from strategies import EPS, overlapping_datasets


def matrices(max_abs=1e3):
    """Rows of normal (not subnormal) floats: below 2.2e-308 floats lose significant
    bits, and tolerances stated relative to a value's size no longer hold."""
    cell = st.floats(-max_abs, max_abs, allow_nan=False, allow_infinity=False, allow_subnormal=False)
    return st.integers(1, 3).flatmap(lambda d: st.lists(
        st.lists(cell, min_size=d, max_size=d), min_size=2, max_size=15))


@given(matrices())
@example([[0.0], [1.1874047703740684e-203]])  # squared deviations underflowed to a zero spread
@example([[682.7793125815754]] * 3)  # 3 v / 3 != v: a constant column got a spread of 1e-13
def test_standardized_columns_have_mean_zero_and_variance_one(X):
    """Law: after standardizing, each non-constant column has mean 0 and population
    variance 1; a constant column becomes all zeros (the stated rule).

    Tolerance: the column's rounding, relative to its spread, is a few eps times
    (|mean| / std + 1), times n for the sums.
    """
    s = Standardizer().fit(X)
    Z = s.transform(X)
    n = len(X)
    for j in range(len(X[0])):
        column = [row[j] for row in Z]
        centre = math.fsum(column) / n
        slack = 8 * n * EPS * (abs(s.mean_[j]) / s.scale_[j] + 1.0)
        assert abs(centre) <= slack
        variance = math.fsum((v - centre) ** 2 for v in column) / n
        constant = min(row[j] for row in X) == max(row[j] for row in X)
        if constant:
            assert column == [0.0] * n
        elif s.scale_[j] > 1e-6 * (abs(s.mean_[j]) + 1.0):  # well-conditioned columns only
            assert abs(variance - 1.0) <= 1e-9


@given(matrices())
def test_inverse_transform_recovers_the_data(X):
    """Law: inverse_transform(transform(X)) = X, to the rounding of one subtraction,
    division, multiplication and addition (4 eps of the larger of |x| and |mean|)."""
    s = Standardizer().fit(X)
    back = s.inverse_transform(s.transform(X))
    for row, original in zip(back, X):
        for j, (v, x) in enumerate(zip(row, original)):
            assert abs(v - x) <= 8 * EPS * (abs(x) + abs(s.mean_[j]) + s.scale_[j])


@pytest.mark.filterwarnings("ignore")
@given(overlapping_datasets())
def test_standardized_fit_in_original_units_predicts_the_same(data):
    """Law: a converged unpenalized fit on standardized data, converted back with
    original_units, predicts the same probabilities as a fit on the raw data.

    Standardizing is an invertible affine map of the features, and with reg = 0 the
    likelihood does not care how the features are scaled. Both fits by Newton to
    1e-10; the probabilities agree to 1e-7.
    """
    X, y = data
    s = Standardizer().fit(X)
    scaled = LogisticRegression(solver="newton", tol=1e-10).fit(s.transform(X), y)
    raw = LogisticRegression(solver="newton", tol=1e-10).fit(X, y)
    coef, intercept = original_units(scaled.coef_, scaled.intercept_, s)
    converted = LogisticRegression(solver="newton")
    converted.coef_, converted.intercept_, converted.n_features_in_ = coef, intercept, len(coef)
    for p, q in zip(converted.predict_proba(X), raw.predict_proba(X)):
        assert abs(p - q) <= 1e-7


def test_feature_names_and_errors():
    rows, names = polynomial_features([[2.0, 3.0]], 3, ["a", "b"])
    assert names == ["a", "b", "a^2", "a*b", "b^2", "a^3", "a^2*b", "a*b^2", "b^3"]
    assert rows == [[2.0, 3.0, 4.0, 6.0, 9.0, 8.0, 12.0, 18.0, 27.0]]
    with pytest.raises(ValueError, match="degree must be at least 1"):
        polynomial_features([[1.0]], 0)
    with pytest.raises(ValueError, match="feature_names has 1 names but X has 2 columns"):
        add_interactions([[1.0, 2.0]], ["a"])
    s = Standardizer().fit([[1.0, 2.0], [3.0, 5.0]])
    with pytest.raises(ValueError, match="has 1 values, but the model was fit on 2"):
        s.transform([[1.0]])


def test_xor_needs_an_interaction():
    """The article's lesson: on XOR data a linear model is no better than chance;
    with the x1*x2 interaction it classifies every point."""
    corners = [[-1.0, -1.0], [-1.0, 1.0], [1.0, -1.0], [1.0, 1.0]]
    X = [[a + da, b + db] for a, b in corners for da in (-0.1, 0.1) for db in (-0.2, 0.2)]
    y = [1 if (row[0] > 0) != (row[1] > 0) else 0 for row in X]
    plain = LogisticRegression(solver="newton", reg=0.01).fit(X, y)
    assert plain.score(X, y) <= 0.5 + 1e-12
    crossed, _ = add_interactions(X)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        rich = LogisticRegression(solver="newton", reg=0.01).fit(crossed, y)
    assert rich.score(crossed, y) == 1.0


@given(st.integers(2, 40), st.floats(0.05, 0.95), st.integers(0, 10 ** 6), st.booleans())
def test_split_partitions_the_rows(n, test_size, seed, stratify):
    """Law: train and test together hold every row exactly once; the test part has
    ceil(test_size * n) rows (per class when stratified)."""
    X = [[float(i)] for i in range(n)]
    y = [i % 2 for i in range(n)]
    try:
        X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=test_size,
                                                            random_state=seed, stratify=stratify)
    except ValueError as error:
        assert "leaves an empty part" in str(error)
        return
    ids = sorted(int(row[0]) for row in X_train + X_test)
    assert ids == list(range(n))
    assert [y[int(row[0])] for row in X_test] == y_test
    if not stratify:
        assert len(X_test) == math.ceil(test_size * n)


@given(st.integers(2, 40), st.integers(2, 10), st.integers(0, 10 ** 6), st.booleans())
def test_folds_partition_the_rows(n, k, seed, stratify):
    """Law: the k test folds are disjoint, cover every row once, differ in size by
    at most 2 (1 per class), and each train part is the complement of its fold."""
    y = [i % 3 == 0 for i in range(n)]
    if k > n:
        with pytest.raises(ValueError, match="k must be between 2 and the number of rows"):
            k_fold_indices(y, k, random_state=seed)
        return
    folds = k_fold_indices(y, k, random_state=seed, stratify=stratify)
    tested = sorted(i for _, test in folds for i in test)
    assert tested == list(range(n))
    sizes = [len(test) for _, test in folds]
    assert max(sizes) - min(sizes) <= 2
    for train, test in folds:
        assert sorted(train + test) == list(range(n))


def test_split_and_cross_validate_are_reproducible_and_checked():
    X = [[float(i)] for i in range(20)]
    y = [0, 1] * 10
    assert train_test_split(X, y, random_state=7) == train_test_split(X, y, random_state=7)
    scores = cross_validate(lambda: LogisticRegression(solver="newton", reg=0.1), X, y, k=4,
                            scoring="roc_auc", random_state=1)
    assert len(scores) == 4 and all(0.0 <= s <= 1.0 for s in scores)
    assert scores == cross_validate(lambda: LogisticRegression(solver="newton", reg=0.1), X, y, k=4,
                                    scoring="roc_auc", random_state=1)
    for bad in (0.0, 1.0, 1.5):
        with pytest.raises(ValueError, match="test_size must be strictly between 0 and 1"):
            train_test_split(X, y, test_size=bad)
    with pytest.raises(ValueError, match="k must be between 2"):
        cross_validate(LogisticRegression, X, y, k=1)
    with pytest.raises(ValueError, match="scoring must be one of"):
        cross_validate(LogisticRegression, X, y, scoring="f2")

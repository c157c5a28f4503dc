"""Chapters 20 and 25: features, standardization, splits and folds."""

import math
import warnings

import pytest
from hypothesis import assume, example, given, strategies as st

from logreg_pure import LogisticRegression, NotFittedError
from logreg_pure.part4_estimators.features import (
    Standardizer,
    add_interactions,
    original_units,
    polynomial_features,
)
from logreg_pure.part5_inference.selection import cross_validate, k_fold_indices, train_test_split
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
    for p, q in zip(converted.probability(X), raw.probability(X)):
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


def alternating_rows(n):
    """Rows 0..n-1 that name themselves, with labels 0, 1, 0, 1, ..."""
    return [[float(i)] for i in range(n)], [i % 2 for i in range(n)]


def expected_test_sizes(y, test_size, stratify):
    """The number of test rows of each class the documented rule asks for:
    ceil(test_size * n), per class when stratified."""
    groups = [[t for t in y if t == c] for c in (0, 1)] if stratify else [y]
    return [math.ceil(test_size * len(group)) for group in groups if group]


def group_sizes(y, stratify):
    return [len([t for t in y if t == c]) for c in (0, 1)] if stratify else [len(y)]


split_cases = st.tuples(st.integers(2, 40), st.floats(0.05, 0.95), st.integers(0, 10 ** 6), st.booleans())


@given(split_cases)
def test_split_partitions_the_rows(case):
    """Law: train and test together hold every row exactly once, each with its label.

    Precondition: the rule leaves the training part non-empty (else see
    test_split_refuses_to_leave_a_part_empty).
    """
    n, test_size, seed, stratify = case
    X, y = alternating_rows(n)
    assume(sum(expected_test_sizes(y, test_size, stratify)) < n)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=test_size, random_state=seed,
                                                        stratify=stratify)
    assert sorted(int(row[0]) for row in X_train + X_test) == list(range(n))
    assert [y[int(row[0])] for row in X_train + X_test] == y_train + y_test


@given(split_cases)
def test_split_test_part_has_the_documented_size(case):
    """Law: the test part has ceil(test_size * n) rows; stratified, ceil(test_size * n_c)
    rows of each class c, so that each class keeps its share.

    Precondition: the training part is not left empty.
    """
    n, test_size, seed, stratify = case
    X, y = alternating_rows(n)
    sizes = expected_test_sizes(y, test_size, stratify)
    assume(sum(sizes) < n)
    _, _, _, y_test = train_test_split(X, y, test_size=test_size, random_state=seed, stratify=stratify)
    if stratify:
        assert [sum(1 for t in y_test if t == c) for c in (0, 1)] == sizes
    else:
        assert len(y_test) == sizes[0]


@given(st.integers(2, 50).flatmap(lambda n: st.tuples(
    st.just(n), st.floats((n - 1) / n, 1.0, exclude_min=True, exclude_max=True))),
    st.integers(0, 10 ** 6), st.booleans())
def test_split_refuses_to_leave_a_part_empty(case, seed, stratify):
    """Law: where the rule ceil(test_size * n) (per class, when stratified) puts every
    row in the test part, the split is refused with a ValueError that says so,
    instead of returning an empty training part.

    Precondition: the rule, computed in floats as the library does, asks for all n
    rows (test_size is drawn just above (n - 1) / n, where it nearly always does).
    """
    n, test_size = case
    X, y = alternating_rows(n)
    assume(sum(expected_test_sizes(y, test_size, stratify)) == n)
    with pytest.raises(ValueError, match="leaves an empty part"):
        train_test_split(X, y, test_size=test_size, random_state=seed, stratify=stratify)


fold_cases = st.tuples(st.integers(2, 40), st.integers(2, 10), st.integers(0, 10 ** 6), st.booleans())


def every_third(n):
    """Labels with about one 1 in three: the classes differ in size."""
    return [1 if i % 3 == 0 else 0 for i in range(n)]


@given(fold_cases)
def test_folds_partition_the_rows(case):
    """Law: the k test folds are disjoint and cover every row once, and each train
    part is the complement of its fold.

    Precondition: 2 <= k <= n (else see test_more_folds_than_rows_are_refused).
    """
    n, k, seed, stratify = case
    assume(k <= n)
    folds = k_fold_indices(every_third(n), k, random_state=seed, stratify=stratify)
    assert sorted(i for _, test in folds for i in test) == list(range(n))
    for train, test in folds:
        assert sorted(train + test) == list(range(n))


@given(fold_cases)
def test_folds_are_as_even_as_possible(case):
    """Law: rows are dealt round-robin, so fold sizes differ by at most one (per
    class, when stratified: each class is spread as evenly as it can be).

    Precondition: 2 <= k <= n.
    """
    n, k, seed, stratify = case
    assume(k <= n)
    y = every_third(n)
    folds = k_fold_indices(y, k, random_state=seed, stratify=stratify)
    groups = [[c] for c in (0, 1)] if stratify else [[0, 1]]
    for classes in groups:
        sizes = [sum(1 for i in test if y[i] in classes) for _, test in folds]
        assert max(sizes) - min(sizes) <= 1


@given(st.integers(2, 20), st.integers(0, 20))
def test_more_folds_than_rows_are_refused(n, extra):
    """Law: k > n leaves a fold empty, so k_fold_indices refuses it with a ValueError
    naming the allowed range."""
    with pytest.raises(ValueError, match="k must be between 2 and the number of rows"):
        k_fold_indices(every_third(n), n + 1 + extra)


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


@given(matrices(max_abs=10.0))
def test_fit_transform_is_fit_then_transform(X):
    """Law: fit_transform(X) = fit(X).transform(X), exactly (the same arithmetic)."""
    assert Standardizer().fit_transform(X) == Standardizer().fit(X).transform(X)


@given(matrices(max_abs=10.0))
def test_interactions_append_every_product_of_two_columns(X):
    """Law: add_interactions keeps the columns and appends x_i x_j for every pair i < j,
    in order, named "a*b": d + d (d - 1) / 2 columns, each product exact as computed."""
    d = len(X[0])
    names = [f"f{j}" for j in range(d)]
    rows, new_names = add_interactions(X, names)
    pairs = [(i, j) for i in range(d) for j in range(i + 1, d)]
    assert new_names == names + [f"f{i}*f{j}" for i, j in pairs]
    assert rows == [list(x) + [x[i] * x[j] for i, j in pairs] for x in X]


@given(matrices(max_abs=3.0), st.integers(1, 3))
def test_polynomial_features_are_every_monomial_up_to_the_degree(X, degree):
    """Law: polynomial_features gives one column per monomial x_1^a_1 ... x_d^a_d with
    1 <= a_1 + ... + a_d <= degree: C(d + degree, degree) - 1 of them, each the
    product of its factors (to 4 eps relative: the order of the multiplications may
    differ; plus 4 of the smallest subnormal, 5e-324, where a product underflows and
    loses its relative precision)."""
    d = len(X[0])
    rows, names = polynomial_features(X, degree)
    assert len(names) == len(set(names)) == math.comb(d + degree, degree) - 1
    for x, row in zip(X, rows):
        for name, value in zip(names, row):
            factors = [part.split("^") for part in name.split("*")]
            expected = math.prod(x[int(f[0][1:])] ** (int(f[1]) if len(f) > 1 else 1) for f in factors)
            assert abs(value - expected) <= 4 * EPS * abs(expected) + 4 * 2.0 ** -1074


def test_a_single_row_standardizes_to_zeros_and_back():
    # One row: every column is constant, so each keeps its value as mean and 1 as scale.
    s = Standardizer().fit([[5.0, -2.0]])
    assert (s.mean_, s.scale_) == ([5.0, -2.0], [1.0, 1.0])
    assert s.transform([[5.0, -2.0]]) == [[0.0, 0.0]] and s.inverse_transform([[0.0, 0.0]]) == [[5.0, -2.0]]


def test_an_unfitted_standardizer_and_mismatched_coefficients_are_refused():
    with pytest.raises(NotFittedError, match="not fitted yet"):
        Standardizer().transform([[1.0]])
    with pytest.raises(NotFittedError, match="not fitted yet"):
        Standardizer().inverse_transform([[1.0]])
    with pytest.raises(ValueError, match="coef has 1 values but the standardizer has 2 columns"):
        original_units([1.0], 0.0, Standardizer().fit([[1.0, 2.0], [3.0, 5.0]]))

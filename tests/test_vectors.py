"""Chapter 1: vectors as lists."""

import math

import pytest
from hypothesis import given, strategies as st

from logreg_pure.part1_mathematics.vectors import add, dot, matvec, mean, norm, scale, subtract, total, transpose
from logreg_pure.part8_appendix import fast
from logreg_pure.part8_appendix.fast import fast_dot
from strategies import EPS, finite_floats


def vector_pairs(max_abs=1e6):
    return st.integers(0, 30).flatmap(
        lambda n: st.tuples(st.lists(finite_floats(max_abs), min_size=n, max_size=n),
                            st.lists(finite_floats(max_abs), min_size=n, max_size=n)))


DOT_PRODUCTS = [fast._sum_of_products, fast._indexed_loop_dot] + (
    [math.sumprod] if hasattr(math, "sumprod") else [])


@pytest.mark.parametrize("fast", DOT_PRODUCTS, ids=lambda f: f.__name__)
@given(pair=vector_pairs())
def test_every_dot_product_matches_the_exact_reference(fast, pair):
    """Law: each dot-product route equals fsum(a_i b_i) up to the summation error bound.

    Any order of summing n rounded products errs by at most (n + 1) eps times
    sum |a_i b_i| (the standard bound for recursive summation), so that is the
    tolerance; math.sumprod, which keeps the products exact, does better.
    """
    a, b = pair
    reference = math.fsum(x * y for x, y in zip(a, b))
    bound = (len(a) + 1) * EPS * math.fsum(abs(x * y) for x, y in zip(a, b))
    assert abs(fast(a, b) - reference) <= bound
    assert abs(dot(a, b) - reference) <= bound


def test_fast_dot_is_the_documented_choice():
    import platform
    if hasattr(math, "sumprod"):
        assert fast_dot is math.sumprod
    elif platform.python_implementation() == "PyPy":
        assert fast_dot is fast._indexed_loop_dot
    else:
        assert fast_dot is fast._sum_of_products


@pytest.mark.parametrize("function", [dot, add, subtract])
def test_length_mismatch_is_an_error_not_a_truncation(function):
    with pytest.raises(ValueError, match="same length, got 2 and 3"):
        function([1.0, 2.0], [1.0, 2.0, 3.0])


def test_hand_examples():
    assert add([1.0, 2.0], [3.0, 4.0]) == [4.0, 6.0]
    assert subtract([1.0, 2.0], [3.0, 4.0]) == [-2.0, -2.0]
    assert scale(2.0, [1.5, -1.0]) == [3.0, -2.0]
    assert norm([1e200, 1e200]) == pytest.approx(math.sqrt(2.0) * 1e200)  # no overflow in the squares
    assert transpose([[1.0, 2.0, 3.0]]) == [[1.0], [2.0], [3.0]]
    assert transpose([]) == []
    assert matvec([[1.0, 0.0], [0.0, 2.0]], [3.0, 4.0]) == [3.0, 8.0]


def test_total_is_exact_and_survives_overflow():
    assert total([0.1] * 10) == 1.0
    assert total([1e308, 1e308]) == math.inf  # fsum alone raises OverflowError here
    with pytest.raises(ValueError, match="both inf and -inf"):
        total([math.inf, -math.inf])


def test_mean_of_nothing_is_an_error():
    with pytest.raises(ValueError, match="at least one value"):
        mean([])


def test_ragged_transpose_is_an_error():
    with pytest.raises(ValueError, match="row 1 has 1 values"):
        transpose([[1.0, 2.0], [3.0]])


@given(st.lists(st.lists(finite_floats(1e3), min_size=3, max_size=3), min_size=1, max_size=5))
def test_transpose_twice_is_identity(m):
    """Law: transpose(transpose(m)) == m for a non-empty rectangular m."""
    assert transpose(transpose(m)) == m


def test_callers_lists_are_not_modified():
    a, b = [1.0, 2.0], [3.0, 4.0]
    add(a, b), subtract(a, b), scale(3.0, a), transpose([a, b])
    assert a == [1.0, 2.0] and b == [3.0, 4.0]

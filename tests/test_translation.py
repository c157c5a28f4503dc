"""The same penalty in other libraries, with sample weights (chapter 18).

Issue 21, point 6. Our objective divides the weighted loss by the total weight S, so
with ``sample_weight`` scikit-learn's ``C`` is ``1 / (S reg)``, not ``1 / (n reg)``.
``sklearn_C`` says so in code, and the guide's table (``pages/other-libraries.md``) in
words; this law checks the translation against scikit-learn's own optimality condition
without importing it (``tests/test_interop.py`` compares with scikit-learn itself where
it is installed).
"""

from hypothesis import given, strategies as st

from logreg_pure import LogisticRegression
from logreg_pure.part1_mathematics.gradient import gradient
from logreg_pure.part4_estimators.model import sklearn_C
from strategies import at_most, datasets


@at_most(30)
@given(datasets(min_rows=3, max_rows=10, max_features=2), st.data(), st.sampled_from([0.05, 0.5]))
def test_the_weighted_optimum_is_scikit_learns_with_c_over_the_total_weight(data, draw, reg):
    """Law: with any positive sample weights, our L2 optimum at ``reg`` satisfies
    scikit-learn's stationarity conditions for ``C = sklearn_C(reg, n, weights)``:
    ``C sum_i s_i (p_i - y_i) x_ij + w_j = 0`` for every weight and
    ``sum_i s_i (p_i - y_i) = 0`` for the free intercept, to 1e-7 (scaled by C S).

    Precondition: datasets with both classes; weights in [0.1, 10] (their total differs
    from n, where the old translation 1 / (n reg) fails); reg > 0, so the optimum is
    finite. Tolerance: our fit stops at a gradient of 1e-11 per unit weight, which the
    condition multiplies by C S = 1 / reg <= 20.
    """
    X, y = data
    weights = draw.draw(st.lists(st.floats(0.1, 10.0), min_size=len(X), max_size=len(X)), label="weights")
    model = LogisticRegression(solver="newton", reg=reg, tol=1e-11).fit(X, y, sample_weight=weights)
    C = sklearn_C(reg, len(X), weights)
    grad_w, grad_b = gradient(model.coef_, model.intercept_, X, y, 0.0, sample_weight=weights)
    S = sum(weights)  # gradient() is per unit weight: (1/S) sum_i s_i (p_i - y_i) x_i
    for g, w in zip(grad_w, model.coef_):
        assert abs(C * S * g + w) <= 1e-7 * (1.0 + abs(w))
    assert abs(C * S * grad_b) <= 1e-7

"""Chapter 19. The model for K classes: ``SoftmaxRegression``.

The general member of the family whose ``K = 2`` member is chapter 18's model: both are
chapter 17's ``LinearClassifier``, with the same parameters, the same ``fit`` and the
same warnings, and this chapter adds only what K classes change. ``fit`` sorts the
labels into ``classes_`` (any hashable labels: strings, numbers), codes every row by
its class's position, prepares a ``SoftmaxProblem`` (chapter 11, through chapter 10's
seam, ``make_softmax_problem``), picks the update rule from the same table (Newton's
method by default, coordinate descent for a penalty with an L1 part) and runs it
through the same ``solve`` and the same loop. Nothing about iterating is new; only
the problem is.

After ``fit``:

- ``coef_`` (K rows of d weights) and ``intercept_`` (K numbers), one per class in
  the order of ``classes_``. Without a penalty the first class is the reference:
  its row is all zeros and every other row holds log-odds against it,
  ``log(p_k / p_0) = intercept_[k] + coef_[k] . x``, as statsmodels' MNLogit
  reports them. With a penalty all K rows are fitted (with an L2 part their weights
  sum to zero at the optimum) and the intercepts are reported centred, summing to
  zero, as scikit-learn does: only differences of scores matter, so nothing is lost;
- ``reference_``: whether the first class was the reference;
- ``scores(X)``: the K scores of every row; ``decision_function(X)``: the same, except
  that with two classes it is, as for the binary model and in scikit-learn, the one
  log-odds of class 1 per row, ``s_1 - s_0``;
- ``predict_proba(X)``: their softmax, rows that sum to 1;
- ``probability(X)``: for two classes, the probability of class 1 (the second column
  of ``predict_proba``), as the binary model's; refused in words for more;
- ``predict(X)``: the label of the largest score (the first such class on a tie);
- ``score(X, y)``: the accuracy.

With two classes the unpenalized fit *is* the binary model: ``coef_[1]`` and
``intercept_[1]`` are ``LogisticRegression``'s ``coef_`` and ``intercept_`` for
``y = (label == classes_[1])``. What the binary model has and this one has not, it
refuses in words: Firth's penalty (its problem, chapter 12, has two classes).

Newton's method solves a system in all ``K'(d + 1)`` free parameters at every step;
when that matrix would not fit in memory (``linalg.MATRIX_MEMORY_LIMIT``) it refuses
before building it and says to use ``"lbfgs"``, ``"cd"``, ``"gd"`` or ``"sgd"``.
``solver="auto"`` takes L-BFGS long before that, beyond 40 parameters (chapter 15).
"""

import math
import numbers
from types import SimpleNamespace
from typing import Any, Dict, List, Optional, Sequence

from ..part1_mathematics.checks import check_field, check_field_numbers
from ..part1_mathematics.softmax import softmax
from ..part1_mathematics.vectors import Matrix, dot
from ..part2_problem.separation import Separation
from ..part2_problem.softmax_problem import SoftmaxProblem, make_softmax_problem
from .estimator import LinearClassifier, as_given, sklearn_tags

__all__ = ["SoftmaxRegression"]

Label = Any  # any hashable, sortable label: a string, a number


class SoftmaxRegression(LinearClassifier):
    """Multinomial logistic regression: ``P(y = k | x) = softmax(B + W x)_k``.

    Fitting minimizes ``J = mean_i [log sum_k exp(s_ik) - s_i,y_i] + (reg/2) sum_k ||w_k||^2``
    (or ``+ reg sum_k ||w_k||_1`` with ``penalty="l1"``, or the elastic net's mix with
    ``l1_ratio``), intercepts never penalized. The parameters are the binary model's
    (chapter 17's ``LinearClassifier``); ``class_weight`` is ``None``, ``"balanced"``
    (class k weighs ``n / (K n_k)``) or ``{label: weight}``; ``penalty="firth"`` is refused
    (two classes only).

    scikit-learn's ``LogisticRegression(C=..., l1_ratio=...)`` with its multinomial loss is
    the penalized fit with ``C = 1 / (n * reg)``; statsmodels' ``MNLogit`` is the
    unpenalized one.

    >>> model = SoftmaxRegression(reg=0.1).fit(
    ...     [[0.0], [1.0], [2.0], [3.0], [4.0], [5.0]], ["a", "a", "b", "b", "c", "c"])
    >>> model.classes_, model.predict([[-9.0], [2.5], [9.0]])
    (['a', 'b', 'c'], ['a', 'b', 'c'])
    """

    MAX_CLASSES = None  # any number

    def estimator_tags(self) -> SimpleNamespace:
        # multi_class is the one difference from the binary model
        # No expected failure: on the sample-weight check's three classes (62 parameters, 15 rows)
        # solver="auto" takes L-BFGS, which stops where it detects the separation, the same
        # point for weighted and for repeated rows (LogisticRegression's Newton refuses instead).
        return sklearn_tags("classifier", multi_class=True)

    def _check_class_count(self, classes: List[Label]) -> None:
        if len(classes) < 2:
            raise ValueError(f"y holds only one class ({classes[0]!r}); fitting needs examples of at least "
                             f"two classes")

    def _problem(self, X: Any, positions: List[int], classes: List[Label], params: Dict[str, Any],
                 **options: Any) -> SoftmaxProblem:
        return make_softmax_problem(X, positions, fast=params["fast"], n_classes=len(classes), reg=params["reg"],
                                    penalty=params["penalty"], l1_ratio=params["l1_ratio"],
                                    class_names=classes, **options)

    def _store_parameters(self, problem: SoftmaxProblem, theta: Sequence[float]) -> None:
        W, B = problem.unpack(theta)
        if not problem.reference:  # only differences of intercepts matter: report them centred
            centre = sum(B) / len(B)
            B = [b - centre for b in B]
        self.coef_: Matrix = W
        self.intercept_: List[float] = B
        self.reference_: bool = problem.reference

    def _parameters_state(self) -> Dict[str, Any]:
        coef, intercept = self.plain_parameters()
        return {"classes": self._known_classes(), "coef": [list(w) for w in coef],
                "intercept": list(intercept), "reference": self.reference_}

    def _classes_field(self, state: Dict[str, Any]) -> List[Label]:
        return _classes_field(state)

    def _restore_parameters(self, state: Dict[str, Any]) -> None:
        K = len(self.classes_)
        rows = check_field(state, "coef", list)
        if len(rows) != K:
            raise ValueError(f"field 'coef' has {len(rows)} rows, expected one per class ({K})")
        self.coef_ = [check_field_numbers({f"coef[{k}]": row}, f"coef[{k}]", self.n_features_in_)
                      for k, row in enumerate(rows)]
        self.intercept_ = check_field_numbers(state, "intercept", K)
        self.reference_ = check_field(state, "reference", bool)

    def _separation_message(self, separation: Optional[Separation], n_rows: int) -> str:
        return ("a hyperplane splits a class off from all the others (the classes are separated), so "
                "with reg=0 the maximum-likelihood estimate does not exist (the weights would grow "
                "without bound) and these coefficients only mark where the fit stopped. Set reg > 0 "
                f"(for example reg={1.0 / n_rows:.3g}, that is 1/n) for a finite, unique answer")

    # -------------------------------------------------------------- prediction

    def scores(self, X: Any) -> Matrix:
        """The scores ``s_k = intercept_[k] + coef_[k] . x``, K per row, for any K."""
        return as_given(X, self._scores(self._check_fitted_X(X)))

    def decision_function(self, X: Any) -> Any:
        """``scores(X)``, K per row; with two classes the log-odds of class 1, ``s_1 - s_0``,
        one per row, as the binary model's (and scikit-learn's: one column for two classes)."""
        scores = self._scores(self._check_fitted_X(X))
        if len(self._known_classes()) == 2:
            return as_given(X, [s[1] - s[0] for s in scores])
        return as_given(X, scores)

    def _scores(self, rows: Matrix) -> Matrix:
        W, B = self.plain_parameters()
        return [[b + dot(w, x) for w, b in zip(W, B)] for x in rows]

    def predict_proba(self, X: Any) -> Matrix:
        """``P(y = classes_[k] | x)``: the softmax of each row's scores (each row sums to 1)."""
        return as_given(X, [softmax(s) for s in self._scores(self._check_fitted_X(X))])

    def probability(self, X: Any) -> List[float]:
        """With two classes, ``P(y = classes_[1] | x)`` for each row (the binary model's
        question); with more, a ``ValueError`` pointing to ``predict_proba``."""
        self._check_fitted()
        K = len(self._known_classes())
        if K != 2:
            raise ValueError(f"probability(X) is the probability of class 1 of a two-class model; this model has "
                             f"{K} classes: use predict_proba(X), one column per class")
        return as_given(X, [softmax(s)[1] for s in self._scores(self._check_fitted_X(X))])

    def predict(self, X: Any) -> List[Label]:
        """The class with the largest score (the most probable; the first one on a tie)."""
        scores = self._scores(self._check_fitted_X(X))
        return as_given(X, self.decode_labels([max(range(len(s)), key=s.__getitem__) for s in scores]))



def _classes_field(state: Dict[str, Any]) -> List[Label]:
    """The ``classes`` field of a saved fit: at least two distinct, sorted strings or numbers."""
    classes = check_field(state, "classes", list)
    plain = all(isinstance(c, str) or (isinstance(c, numbers.Real) and not isinstance(c, bool)
                                       and math.isfinite(c)) for c in classes)
    if len(classes) < 2 or not plain:
        raise ValueError("field 'classes' must list at least two labels, each a string or a finite number")
    try:
        ordered = sorted(classes) == classes and len(set(classes)) == len(classes)
    except TypeError:
        ordered = False
    if not ordered:
        raise ValueError("field 'classes' must list distinct labels in sorted order, as fit stores them")
    return list(classes)

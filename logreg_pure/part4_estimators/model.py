"""Chapter 18. The model: ``LogisticRegression``, tying the chapters together.

``LogisticRegression`` is softmax regression with two classes: the base of chapter 17
(``LinearClassifier``) does the work, and this chapter adds only what is particular to
two classes. ``fit`` prepares the ``Problem`` (chapter 10: the data are checked there,
once; the fast forms of appendix A are reached through ``make_problem``, or the
reference formulas with ``fast=False``), picks the update rule for its solver and
penalty (chapter 15's table) and runs it through the loop (chapter 14). Then it reports
what ``solve`` decided: a ``ConvergenceWarning`` when the fit ran out of iterations, a
``SeparationWarning`` when the classes are perfectly separated (with ``reg = 0`` the
optimum is then at infinity). The warnings only read the result.

After ``fit``:

- ``classes_`` holds the two labels seen, sorted; the second is class 1 (chapter 17);
- ``decision_function(X)`` gives the log-odds ``z = w . x + b``, the model's real output;
- ``probability(X)`` gives ``sigmoid(z)``, the probability of class 1;
- ``predict_proba(X)`` gives both classes' probabilities, ``[sigmoid(-z), sigmoid(z)]``
  per row (one column per class, scikit-learn's layout, chapter 17);
- ``predict(X, threshold)`` gives class 1 where ``z >= logit(threshold)``: a linear
  rule, so the decision boundary is the hyperplane ``w . x + b = logit(threshold)``.

``y`` may hold any two labels (strings or numbers): ``fit`` hands the solvers their
positions 0 and 1 in ``classes_``, and ``predict`` answers in the labels. The model
follows the estimator conventions of chapter 17, so scikit-learn's ``clone``,
``GridSearchCV`` and ``Pipeline`` can use it. Two classes only: Firth's penalty
(chapter 12), the separation verdict of chapter 9's linear program (which estimates
are infinite) and ``predict``'s ``threshold``.

**The original class.** The parameter names ``lr``, ``epochs`` and ``reg`` are the
original class's, and ``LogisticRegression(solver="gd", lr=..., epochs=..., tol=0)``
repeats its iterates (to 1e-9, tests/test_gradient_descent.py). That is no longer the
default: gradient descent with a fixed step diverges on raw features whose scales are
large (on the breast-cancer data, at its first step) and crawls on standardized ones,
so ``LogisticRegression()`` now uses ``solver="auto"``: Newton's method (L-BFGS for many
features), or coordinate descent for a penalty with an L1 part, as the command line does.
"""

import math
from types import SimpleNamespace
from typing import Any, Dict, List, Optional, Sequence

from ..part1_mathematics.checks import (
    check_field,
    check_field_numbers,
    check_finite_number,
    check_positive_int,
    check_probability_threshold,
    check_sample_weight,
)
from ..part1_mathematics.links import logit, sigmoid
from ..part1_mathematics.vectors import Matrix, Vector, dot
from ..part2_problem.firth import make_firth_problem
from ..part2_problem.problem import Problem, make_problem
from ..part2_problem.separation import Separation
from .estimator import EXPECTED_FAILED_CHECKS, LinearClassifier, as_given, sklearn_tags

__all__ = ["LogisticRegression", "sklearn_C"]


class LogisticRegression(LinearClassifier):
    """Binary logistic regression: ``P(y = 1 | x) = sigmoid(w . x + b)``.

    Fitting minimizes ``J(w, b) = mean_i [softplus(z_i) - y_i z_i] + (reg/2) ||w||^2``
    (or ``+ reg ||w||_1`` with ``penalty="l1"``, or the elastic net's
    ``+ reg (l1_ratio ||w||_1 + (1 - l1_ratio) / 2 ||w||^2)``); the intercept ``b`` is
    never penalized. With ``penalty="firth"``: Firth's penalized likelihood
    ``log L + (1/2) log det I`` (chapter 12; ``reg=0``), finite even when the classes
    are separated.

    The parameters are chapter 17's (``LinearClassifier``): ``lr``, ``epochs``, ``reg``,
    ``tol``, ``solver`` (``"auto"``: Newton's method, L-BFGS for many features, or
    coordinate descent for an L1 part; ``"gd"`` is the original algorithm), ``penalty``,
    ``l1_ratio``, ``batch_size``, ``random_state``, ``class_weight`` (``"balanced"``: weight
    ``n / (K n_c)`` for class c of K)
    and ``fast``.

    The same penalty elsewhere (our J is the *mean* loss plus the penalty, the
    intercept unpenalized): scikit-learn's ``C = 1 / (n * reg)``, or with ``sample_weight``
    ``C = 1 / (sum(sample_weight) * reg)`` (``sklearn_C``); statsmodels'
    ``GLM(...).fit_regularized(alpha=reg, L1_wt=0 or 1)`` and
    ``Logit(...).fit_regularized(alpha=n * reg)`` (alpha 0 on the constant);
    glmnet's ``lambda = reg`` and ``alpha = l1_ratio``.

    >>> model = LogisticRegression().fit([[0.0], [1.0], [2.0], [3.0]], [0, 1, 0, 1])
    >>> model.predict([[10.0], [-10.0]])
    [1, 0]
    """

    MAX_CLASSES = 2

    def estimator_tags(self) -> SimpleNamespace:
        return sklearn_tags("classifier", expected_failed_checks=EXPECTED_FAILED_CHECKS)

    def _check_class_count(self, classes: List[Any]) -> None:
        if len(classes) != 2:
            raise ValueError(_class_count_message(classes))

    def _problem(self, X: Any, positions: List[int], classes: List[Any], params: Dict[str, Any],
                 **options: Any) -> Problem:
        """The problem the parameters describe, through the seam: Firth's, or the penalized likelihood's."""
        if params["penalty"] == "firth":
            return make_firth_problem(X, positions, fast=params["fast"], **options)
        return make_problem(X, positions, fast=params["fast"], reg=params["reg"], penalty=params["penalty"],
                            l1_ratio=params["l1_ratio"], **options)

    def _store_parameters(self, problem: Problem, theta: Sequence[float]) -> None:
        self.intercept_: float = theta[0]
        self.coef_: Vector = list(theta[1:])

    def _parameters_state(self) -> Dict[str, Any]:
        coef, intercept = self.plain_parameters()
        return {"coef": list(coef), "intercept": intercept}

    def _classes_field(self, state: Dict[str, Any]) -> List[Any]:
        return [0, 1]  # a file names its labels in its own label mapping

    def _restore_parameters(self, state: Dict[str, Any]) -> None:
        self.coef_ = check_field_numbers(state, "coef", self.n_features_in_)
        self.intercept_ = check_field(state, "intercept", float)

    def _separation_message(self, separation: Optional[Separation], n_rows: int) -> str:
        return _separation_message(separation, n_rows)

    # -------------------------------------------------------------- prediction

    def decision_function(self, X: Any) -> Vector:
        """The predicted log-odds ``z = w . x + b`` for each row."""
        return as_given(X, self._log_odds(self._check_fitted_X(X)))

    def _log_odds(self, rows: Matrix) -> Vector:
        w, b = self.plain_parameters()
        return [dot(x, w) + b for x in rows]

    def probability(self, X: Any) -> Vector:
        """``P(y = 1 | x) = sigmoid(w . x + b)`` for each row: the probability of class 1
        (``classes_[1]``)."""
        return as_given(X, [sigmoid(z) for z in self._log_odds(self._check_fitted_X(X))])

    def predict_proba(self, X: Any) -> Matrix:
        """Each class's probability, one column per class as in ``classes_``:
        ``[P(y = 0 | x), P(y = 1 | x)] = [sigmoid(-z), sigmoid(z)]`` for each row.

        ``sigmoid(-z)`` rather than ``1 - sigmoid(z)``: where class 0 is nearly certain, the
        subtraction would round its small probability of class 1 away, and vice versa.

        >>> model = LogisticRegression()
        >>> model.coef_, model.intercept_, model.n_features_in_ = [1.0], 0.0, 1
        >>> model.predict_proba([[0.0]])
        [[0.5, 0.5]]
        """
        return as_given(X, [[sigmoid(-z), sigmoid(z)] for z in self._log_odds(self._check_fitted_X(X))])

    def predict(self, X: Any, threshold: float = 0.5) -> List[Any]:
        """Class 1 (``classes_[1]``) where ``P(y = 1 | x) >= threshold``, decided on the
        log-odds scale; otherwise ``classes_[0]``. For 0/1 labels: the ints 0 and 1.

        ``p >= t`` is the same as ``z >= logit(t)``; comparing log-odds makes the rule
        exactly linear in ``x`` (no rounding of the sigmoid near the boundary).
        """
        cut = logit(check_probability_threshold(threshold))
        z = self._log_odds(self._check_fitted_X(X))
        return as_given(X, self.decode_labels([1 if value >= cut else 0 for value in z]))


def sklearn_C(reg: float, n_rows: int, sample_weight: Optional[Sequence[float]] = None) -> float:
    """scikit-learn's ``C`` for our penalty ``reg``: ``C = 1 / (S * reg)``, ``S`` the total
    sample weight (``n_rows`` without weights).

    Our objective is the weighted *mean* loss, ``(1/S) sum_i s_i loss_i``, plus the penalty;
    scikit-learn's is ``C sum_i s_i loss_i`` plus ``||w||^2 / 2`` (or ``||w||_1``). Divided by
    ``C S``, the two agree when ``1 / (C S) = reg``. Weights matter only through their
    ratios here, so ``C`` changes with their total: ``1 / (n * reg)`` is right only when
    the weights sum to n.

    >>> sklearn_C(0.01, 50), sklearn_C(0.01, 2, [10.0, 15.0])
    (2.0, 4.0)

    Raises ``ValueError`` for ``reg <= 0`` (no penalty is ``C = inf``) and for bad weights.
    """
    reg = check_finite_number(reg, "reg", minimum=0.0, strict=True)
    n_rows = check_positive_int(n_rows, "n_rows")
    weights = check_sample_weight(sample_weight, n_rows)
    total_weight = float(n_rows) if weights is None else math.fsum(weights)
    C = 1.0 / (total_weight * reg)
    if not math.isfinite(C):
        raise ValueError(f"C = 1 / (S * reg) = 1 / ({total_weight!r} * {reg!r}) is beyond the float range")
    return C


def _class_count_message(classes: List[Any]) -> str:
    if len(classes) == 1:
        return f"y holds only one class ({classes[0]!r}); fitting needs examples of two classes"
    shown = ", ".join(map(repr, classes[:5])) + (" ..." if len(classes) > 5 else "")
    return (f"Only binary classification is supported: y has {len(classes)} distinct labels ({shown}); "
            f"LogisticRegression separates two "
            f"classes: use SoftmaxRegression (multinomial logistic regression) for {len(classes)} classes, "
            f"or recode y into two")


INFINITE_SHOWN = 6  # the warning names at most this many infinite estimates


def _infinite_clause(separation: Optional[Separation]) -> str:
    """``": NV = +Inf"``, or the first few of many, from the linear program's verdict."""
    if separation is None or not separation.separated:
        return ""
    named = separation.infinite
    more = f" and {len(named) - INFINITE_SHOWN} more" if len(named) > INFINITE_SHOWN else ""
    return f"; the estimates at infinity are {', '.join(named[:INFINITE_SHOWN])}{more}"


def _separation_message(separation: Optional[Separation], n_rows: int) -> str:
    """Complete separation: a hyperplane splits the classes. Quasi-complete: some rows
    sit on the boundary whatever the direction. Either way the MLE does not exist."""
    if separation is None or separation.complete:
        what = "the classes are perfectly separated by a hyperplane (complete separation)"
    else:
        what = ("the classes are quasi-completely separated (a hyperplane puts every example on "
                "its side or on the hyperplane itself)")
    return (f"{what}, so with reg=0 the maximum-likelihood estimate does not exist: the loss "
            f"keeps falling as the weights grow without bound{_infinite_clause(separation)}, and "
            f"these coefficients only mark where the fit stopped. Set reg > 0 (for example "
            f"reg={1.0 / n_rows:.3g}, that is 1/n) for a finite, unique answer, or use "
            f"penalty='firth' (with solver='newton') for finite, nearly unbiased estimates")

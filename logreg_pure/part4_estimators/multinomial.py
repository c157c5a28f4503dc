"""Chapter 19. The model for K classes: ``SoftmaxRegression``.

The binary model of chapter 18, told once more for any number of classes. ``fit``
sorts the labels into ``classes_`` (any hashable labels: strings, numbers), codes
every row by its class's position, prepares a ``SoftmaxProblem`` (chapter 11,
through chapter 10's seam, ``make_softmax_problem``), picks the same update rule the
binary model would pick, and runs it through the same ``solve`` and the same loop.
Nothing about iterating is new; only the problem is.

After ``fit``:

- ``coef_`` (K rows of d weights) and ``intercept_`` (K numbers), one per class in
  the order of ``classes_``. Without a penalty the first class is the reference:
  its row is all zeros and every other row holds log-odds against it,
  ``log(p_k / p_0) = intercept_[k] + coef_[k] . x``, as statsmodels' MNLogit
  reports them. With a penalty all K rows are fitted (their weights sum to zero
  at the optimum) and the intercepts are reported centred, summing to zero, as
  scikit-learn does: only differences of scores matter, so nothing is lost;
- ``decision_function(X)``: the K scores of every row;
- ``predict_proba(X)``: their softmax, rows that sum to 1;
- ``predict(X)``: the label of the largest score (the first such class on a tie);
- ``score(X, y)``: the accuracy.

With two classes the unpenalized fit *is* the binary model: ``coef_[1]`` and
``intercept_[1]`` are ``LogisticRegression``'s ``coef_`` and ``intercept_`` for
``y = (label == classes_[1])``.

Newton's method solves a system in all ``K'(d + 1)`` free parameters at every step;
when that matrix would not fit in memory (``linalg.MATRIX_MEMORY_LIMIT``) it refuses
before building it and says to use ``"gd"`` or ``"sgd"``.
"""

import math
import numbers
import warnings
from types import SimpleNamespace
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

from ..part1_mathematics.checks import (
    check_classes,
    check_columns,
    check_feature_names,
    check_field,
    check_field_numbers,
    check_finite_number,
    check_matrix,
    check_positive_int,
)
from ..part1_mathematics.errors import ConvergenceWarning, NotFittedError, SeparationWarning
from ..part1_mathematics.softmax import softmax
from ..part1_mathematics.vectors import Matrix, Vector, dot
from ..part2_problem.driver import STOP_REASONS, FitResult
from ..part2_problem.softmax_problem import SoftmaxProblem, make_softmax_problem
from ..part3_solvers.solvers import SOLVERS, solve
from .estimator import Classes, Classifier, sklearn_tags
from .model import _check_choice, _check_class_weight, _check_random_state, _class_weight_by_position, _rule

__all__ = ["SoftmaxRegression"]

Label = Any  # any hashable, sortable label: a string, a number


class SoftmaxRegression(Classifier):
    """Multinomial logistic regression: ``P(y = k | x) = softmax(B + W x)_k``.

    Fitting minimizes ``J = mean_i [log sum_k exp(s_ik) - s_i,y_i] + (reg/2) sum_k ||w_k||^2``
    (or ``+ reg sum_k ||w_k||_1`` with ``penalty="l1"``), intercepts never penalized.
    The options are the binary model's (``LogisticRegression``), stored as given and
    checked at once (the estimator conventions of chapter 17):
    ``lr``, ``epochs``, ``reg``, ``tol``, ``solver`` (``"gd"``, ``"newton"``,
    ``"sgd"``), ``penalty``, ``batch_size``, ``random_state``; ``class_weight`` is
    ``None``, ``"balanced"`` (class k weighs ``n / (K n_k)``) or ``{label: weight}``.

    scikit-learn's ``LogisticRegression(C=...)`` with a multinomial loss is the
    penalized fit with ``C = 1 / (n * reg)``; statsmodels' ``MNLogit`` is the
    unpenalized one.

    >>> model = SoftmaxRegression(solver="newton", reg=0.1).fit(
    ...     [[0.0], [1.0], [2.0], [3.0], [4.0], [5.0]], ["a", "a", "b", "b", "c", "c"])
    >>> model.classes_, model.predict([[-9.0], [2.5], [9.0]])
    (['a', 'b', 'c'], ['a', 'b', 'c'])
    """

    def __init__(self, lr: float = 0.1, epochs: int = 1000, reg: float = 0.0, *,
                 tol: float = 1e-6, solver: str = "gd", penalty: str = "l2",
                 batch_size: int = 1, random_state: Optional[int] = None,
                 class_weight: Any = None) -> None:
        self.lr = lr
        self.epochs = epochs
        self.reg = reg
        self.tol = tol
        self.solver = solver
        self.penalty = penalty
        self.batch_size = batch_size
        self.random_state = random_state
        self.class_weight = class_weight
        self._checked_params()  # a bad value fails now; the values stay as given (chapter 17)

    def _checked_params(self) -> Dict[str, Any]:
        """The parameters, checked, as plain Python values: what ``fit`` uses."""
        checked = {
            "lr": check_finite_number(self.lr, "lr", minimum=0.0, strict=True),
            "epochs": check_positive_int(self.epochs, "epochs"),
            "reg": check_finite_number(self.reg, "reg", minimum=0.0),
            "tol": check_finite_number(self.tol, "tol", minimum=0.0),
            "solver": _check_choice(self.solver, "solver", SOLVERS),
            "penalty": _check_softmax_penalty(self.penalty),
            "batch_size": check_positive_int(self.batch_size, "batch_size"),
            "random_state": _check_random_state(self.random_state),
            "class_weight": _check_class_weight(self.class_weight),
        }
        if checked["penalty"] == "l1" and checked["solver"] != "gd":
            raise ValueError(f"solver={checked['solver']!r} cannot fit penalty='l1'; use solver='gd' "
                             f"(proximal gradient descent) for an L1 penalty")
        return checked

    def saved_params(self) -> Dict[str, Any]:
        """The parameters as a model file keeps them: plain values, class weights keyed by
        class position (the file lists the classes)."""
        params = self._checked_params()
        if isinstance(params["class_weight"], dict) and hasattr(self, "classes_"):
            params["class_weight"] = _class_weight_by_position(params["class_weight"], self.classes_)
        return params

    def __sklearn_tags__(self) -> SimpleNamespace:
        tags = sklearn_tags("classifier")
        tags.classifier_tags.multi_class = True  # the one difference from the binary model
        return tags

    # ------------------------------------------------------------ fitted state

    def fitted_state(self) -> Dict[str, Any]:
        """Everything ``fit`` learned that later use depends on, as plain data (for a file)."""
        self._check_fitted()
        return {"classes": list(self.classes_), "coef": [list(w) for w in self.coef_],
                "intercept": list(self.intercept_), "feature_names": list(self.feature_names_in_),
                "reference": self.reference_, "converged": self.converged_, "n_iter": self.n_iter_,
                "stop_reason": self.stop_reason_, "grad_max": self.grad_max_,
                "sample_weight_used": self.sample_weight_used_}

    @classmethod
    def from_fitted_state(cls, params: Dict[str, Any], state: Dict[str, Any]) -> "SoftmaxRegression":
        """A fitted model from ``get_params()`` (or ``saved_params()``) and ``fitted_state()``,
        every field checked.

        Raises ``ValueError`` naming the field: the classes distinct, sorted strings or
        numbers; one row of coefficients per class, one per feature; finite numbers.
        """
        model = cls(**params)
        model.classes_ = Classes(_classes_field(state))
        names = check_field(state, "feature_names", list)
        if not names or not all(isinstance(n, str) for n in names):
            raise ValueError("field 'feature_names' must be a non-empty list of strings")
        model.feature_names_in_ = check_feature_names(names, len(names))
        model.n_features_in_ = len(names)
        K = len(model.classes_)
        rows = check_field(state, "coef", list)
        if len(rows) != K:
            raise ValueError(f"field 'coef' has {len(rows)} rows, expected one per class ({K})")
        model.coef_ = [check_field_numbers({f"coef[{k}]": row}, f"coef[{k}]", len(names))
                       for k, row in enumerate(rows)]
        model.intercept_ = check_field_numbers(state, "intercept", K)
        model.reference_ = check_field(state, "reference", bool)
        _restore_diagnostics(model, state)
        return model

    # ----------------------------------------------------------------- fitting

    def fit(self, X: Any, y: Any, sample_weight: Any = None, *,
            feature_names: Optional[Sequence[str]] = None,
            progress: Optional[Callable[[int, float], None]] = None) -> "SoftmaxRegression":
        """Learn ``coef_`` and ``intercept_`` (one per class) from rows ``X`` and labels ``y``.

        ``X`` and ``y`` as for ``LogisticRegression.fit`` (rows, a DataFrame, arrays);
        ``y`` holds two or more labels, strings or numbers. Warns ``ConvergenceWarning`` or
        ``SeparationWarning`` as the binary model does; raises ``DivergenceError`` if the
        objective blows up, ``ValueError`` / ``TypeError`` for bad data.
        """
        params = self._checked_params()
        classes, positions = _classes(X, y)
        problem = make_softmax_problem(
            X, positions, n_classes=len(classes), reg=params["reg"], penalty=params["penalty"],
            sample_weight=sample_weight, class_weight=_class_weight_by_position(params["class_weight"], classes),
            feature_names=feature_names, class_names=classes)
        result = solve(problem, _rule(params), epochs=params["epochs"], tol=params["tol"], progress=progress)
        self._store(problem, classes, result)
        self._warn_about(result, problem.n_rows, params)
        return self

    def _store(self, problem: SoftmaxProblem, classes: List[Label], result: FitResult) -> None:
        W, B = problem.unpack(result.theta)
        if not problem.reference:  # only differences of intercepts matter: report them centred
            centre = sum(B) / len(B)
            B = [b - centre for b in B]
        self.classes_: Classes = Classes(classes)
        self.coef_: Matrix = W
        self.intercept_: Vector = B
        self.reference_: bool = problem.reference
        self.loss_history_: Vector = result.loss_history
        self.n_iter_: int = result.n_iter
        self.converged_: bool = result.converged
        self.stop_reason_: str = result.stop_reason
        self.grad_max_: float = result.grad_max
        self.n_features_in_: int = problem.n_features
        self.feature_names_in_: List[str] = problem.names
        self.sample_weight_used_: bool = problem.sample_weight is not None

    def _warn_about(self, result: FitResult, n_rows: int, params: Dict[str, Any]) -> None:
        """Say what ``solve`` decided about an unfinished fit (this reads; it computes nothing)."""
        if result.stop_reason == "separated":
            warnings.warn(
                "a hyperplane splits a class off from all the others (the classes are separated), so "
                "with reg=0 the maximum-likelihood estimate does not exist (the weights would grow "
                "without bound) and these coefficients only mark where the fit stopped. Set reg > 0 "
                f"(for example reg={1.0 / n_rows:.3g}, that is 1/n) for a finite, unique answer",
                SeparationWarning, stacklevel=3)
        elif not result.converged and params["tol"] > 0.0:
            solver = params["solver"]
            advice = ([f"standardize the features ({result.scale_note})"] if result.scale_note else [])
            advice += [f"raise epochs (now {params['epochs']})"] if result.stop_reason == "iteration limit" else []
            advice += ["use solver='newton'"] if solver != "newton" and params["penalty"] != "l1" else []
            warnings.warn(
                f"{solver} stopped ({result.stop_reason}) after {result.n_iter} steps with the "
                f"largest gradient component {result.grad_max:.3g} > tol={params['tol']:g}, so the "
                f"coefficients are not the optimum. Try: {'; or '.join(advice)}",
                ConvergenceWarning, stacklevel=3)

    # -------------------------------------------------------------- prediction

    def _check_fitted(self) -> None:
        if not hasattr(self, "coef_"):
            raise NotFittedError("this SoftmaxRegression is not fitted yet: call fit(X, y) first")

    def decision_function(self, X: Any) -> Matrix:
        """The scores ``s_k = intercept_[k] + coef_[k] . x``, K per row."""
        self._check_fitted()
        rows = check_matrix(X, "X", n_features=self.n_features_in_)
        check_columns(X, getattr(self, "feature_names_in_", []))
        return [[b + dot(w, x) for w, b in zip(self.coef_, self.intercept_)] for x in rows]

    def predict_proba(self, X: Any) -> Matrix:
        """``P(y = classes_[k] | x)``: the softmax of each row's scores (each row sums to 1)."""
        return [softmax(s) for s in self.decision_function(X)]

    def predict(self, X: Any) -> List[Label]:
        """The class with the largest score (the most probable; the first one on a tie)."""
        return self.decode_labels([max(range(len(s)), key=s.__getitem__) for s in self.decision_function(X)])


SOFTMAX_PENALTIES = ("l2", "l1")  # the elastic net and Firth's penalty are LogisticRegression's (two classes)


def _check_softmax_penalty(penalty: Any) -> str:
    """``penalty``, one of ``SOFTMAX_PENALTIES``; the two-class penalties are refused in words."""
    if penalty in ("firth", "elasticnet"):
        raise ValueError(f"penalty={penalty!r} is LogisticRegression's, for two classes; SoftmaxRegression "
                         f"takes penalty='l2' or 'l1' (with solver='gd')")
    return _check_choice(penalty, "penalty", SOFTMAX_PENALTIES)


def _classes(X: Any, y: Any) -> Tuple[List[Label], List[int]]:
    """The labels of ``y``, sorted (at least two), and each row's class position."""
    try:
        classes, positions = check_classes(y)
        if len(classes) < 2:
            raise ValueError(f"y holds only the class {classes[0]!r}; fitting needs examples of at "
                             f"least two classes")
        return classes, positions
    except (TypeError, ValueError) as error:
        wrong_y = error
    check_matrix(X, "X")  # a bad X is reported first, as by every other door
    raise wrong_y


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


def _restore_diagnostics(model: SoftmaxRegression, state: Dict[str, Any]) -> None:
    model.converged_ = check_field(state, "converged", bool)
    model.n_iter_ = check_field(state, "n_iter", int)
    model.stop_reason_ = check_field(state, "stop_reason", str)
    if model.stop_reason_ not in STOP_REASONS:
        raise ValueError(f"field 'stop_reason' must be one of {', '.join(map(repr, STOP_REASONS))}, "
                         f"got {model.stop_reason_!r}")
    model.grad_max_ = check_field(state, "grad_max", float)
    model.sample_weight_used_ = check_field(state, "sample_weight_used", bool)
    model.loss_history_ = []

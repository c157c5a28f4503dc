"""Chapter 9b. The model for K classes: ``SoftmaxRegression``.

The binary model of chapter 9, told once more for any number of classes. ``fit``
sorts the labels into ``classes_`` (any hashable labels: strings, numbers), codes
every row by its class's position, prepares a ``SoftmaxProblem`` (chapter 8b,
through the seam ``fast.make_softmax_problem``), picks the same update rule the
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
beyond ``solvers.MAX_NEWTON_PARAMETERS`` it refuses and says to use ``"gd"`` or
``"sgd"``.
"""

import math
import numbers
import warnings
from typing import Any, Callable, Dict, List, Optional, Sequence

from .checks import (
    check_feature_names,
    check_field,
    check_field_numbers,
    check_finite_number,
    check_matrix,
    check_positive_int,
)
from .driver import STOP_REASONS, FitResult
from .errors import ConvergenceWarning, NotFittedError, SeparationWarning
from .fast import make_softmax_problem
from .loss import PENALTIES
from .softmax import SoftmaxProblem, softmax
from .solvers import SOLVERS, GradientDescent, Newton, ProximalGradient, Rule, StochasticGradientDescent, solve
from .vectors import Matrix, Vector, dot

__all__ = ["SoftmaxRegression"]

Label = Any  # any hashable, sortable label: a string, a number


class SoftmaxRegression:
    """Multinomial logistic regression: ``P(y = k | x) = softmax(B + W x)_k``.

    Fitting minimizes ``J = mean_i [log sum_k exp(s_ik) - s_i,y_i] + (reg/2) sum_k ||w_k||^2``
    (or ``+ reg sum_k ||w_k||_1`` with ``penalty="l1"``), intercepts never penalized.
    The options are the binary model's (``LogisticRegression``), checked here:
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
        self.lr = check_finite_number(lr, "lr", minimum=0.0, strict=True)
        self.epochs = check_positive_int(epochs, "epochs")
        self.reg = check_finite_number(reg, "reg", minimum=0.0)
        self.tol = check_finite_number(tol, "tol", minimum=0.0)
        if solver not in SOLVERS:
            raise ValueError(f"solver must be one of {', '.join(map(repr, SOLVERS))}, got {solver!r}")
        if penalty not in PENALTIES:
            raise ValueError(f"penalty must be one of {', '.join(map(repr, PENALTIES))}, got {penalty!r}")
        if penalty == "l1" and solver != "gd":
            raise ValueError(f"solver={solver!r} cannot fit penalty='l1'; use solver='gd' "
                             f"(proximal gradient descent) for an L1 penalty")
        self.solver, self.penalty = solver, penalty
        self.batch_size = check_positive_int(batch_size, "batch_size")
        if random_state is not None and (isinstance(random_state, bool) or not isinstance(random_state, int)):
            raise TypeError(f"random_state must be None or an int, got {random_state!r}")
        self.random_state = random_state
        self.class_weight = _check_class_weight(class_weight)

    def get_params(self) -> Dict[str, Any]:
        """The constructor's parameters, as a dict (``SoftmaxRegression(**params)`` rebuilds it)."""
        return {
            "lr": self.lr, "epochs": self.epochs, "reg": self.reg, "tol": self.tol,
            "solver": self.solver, "penalty": self.penalty, "batch_size": self.batch_size,
            "random_state": self.random_state, "class_weight": self.class_weight,
        }

    def __repr__(self) -> str:
        inside = ", ".join(f"{key}={value!r}" for key, value in self.get_params().items())
        return f"SoftmaxRegression({inside})"

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
        """A fitted model from ``get_params()`` and ``fitted_state()``, every field checked.

        Raises ``ValueError`` naming the field: the classes distinct, sorted strings or
        numbers; one row of coefficients per class, one per feature; finite numbers.
        """
        model = cls(**params)
        model.classes_ = _classes_field(state)
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

    def fit(self, X: Sequence[Sequence[float]], y: Sequence[Label],
            sample_weight: Optional[Sequence[float]] = None, *,
            feature_names: Optional[Sequence[str]] = None,
            progress: Optional[Callable[[int, float], None]] = None) -> "SoftmaxRegression":
        """Learn ``coef_`` and ``intercept_`` (one per class) from rows ``X`` and labels ``y``.

        Warns ``ConvergenceWarning`` or ``SeparationWarning`` as the binary model does;
        raises ``DivergenceError`` if the objective blows up, ``ValueError`` /
        ``TypeError`` for bad data (fewer than two classes, unsortable labels ...).
        """
        classes = _sorted_classes(y)
        position = {label: k for k, label in enumerate(classes)}
        codes = [position[label] for label in y]
        problem = make_softmax_problem(
            X, codes, n_classes=len(classes), reg=self.reg, penalty=self.penalty,
            sample_weight=sample_weight, class_weight=_class_weight_codes(self.class_weight, position),
            feature_names=feature_names, class_names=classes)
        result = solve(problem, self._rule(), epochs=self.epochs, tol=self.tol, progress=progress)
        self._store(problem, classes, result)
        self._warn_about(result, problem.n_rows)
        return self

    def _store(self, problem: SoftmaxProblem, classes: List[Label], result: FitResult) -> None:
        W, B = problem.unpack(result.theta)
        if not problem.reference:  # only differences of intercepts matter: report them centred
            centre = sum(B) / len(B)
            B = [b - centre for b in B]
        self.classes_: List[Label] = classes
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

    def _rule(self) -> Rule:
        """The update rule for this model's solver and penalty (the binary model's choice)."""
        if self.solver == "newton":
            return Newton()
        if self.solver == "sgd":
            return StochasticGradientDescent(self.lr, self.batch_size, self.random_state)
        if self.penalty == "l1":
            return ProximalGradient(self.lr)
        return GradientDescent(self.lr)

    def _warn_about(self, result: FitResult, n_rows: int) -> None:
        """Say what ``solve`` decided about an unfinished fit (this reads; it computes nothing)."""
        if result.stop_reason == "separated":
            warnings.warn(
                "a hyperplane splits a class off from all the others (the classes are separated), so "
                "with reg=0 the maximum-likelihood estimate does not exist (the weights would grow "
                "without bound) and these coefficients only mark where the fit stopped. Set reg > 0 "
                f"(for example reg={1.0 / n_rows:.3g}, that is 1/n) for a finite, unique answer",
                SeparationWarning, stacklevel=3)
        elif not result.converged and self.tol > 0.0:
            advice = ([f"standardize the features ({result.scale_note})"] if result.scale_note else [])
            advice += [f"raise epochs (now {self.epochs})"] if result.stop_reason == "iteration limit" else []
            advice += ["use solver='newton'"] if self.solver != "newton" and self.penalty != "l1" else []
            warnings.warn(
                f"{self.solver} stopped ({result.stop_reason}) after {result.n_iter} steps with the "
                f"largest gradient component {result.grad_max:.3g} > tol={self.tol:g}, so the "
                f"coefficients are not the optimum. Try: {'; or '.join(advice)}",
                ConvergenceWarning, stacklevel=3)

    # -------------------------------------------------------------- prediction

    def _check_fitted(self) -> None:
        if not hasattr(self, "coef_"):
            raise NotFittedError("this SoftmaxRegression is not fitted yet: call fit(X, y) first")

    def decision_function(self, X: Sequence[Sequence[float]]) -> Matrix:
        """The scores ``s_k = intercept_[k] + coef_[k] . x``, K per row."""
        self._check_fitted()
        rows = check_matrix(X, "X", n_features=self.n_features_in_)
        return [[b + dot(w, x) for w, b in zip(self.coef_, self.intercept_)] for x in rows]

    def predict_proba(self, X: Sequence[Sequence[float]]) -> Matrix:
        """``P(y = classes_[k] | x)``: the softmax of each row's scores (each row sums to 1)."""
        return [softmax(s) for s in self.decision_function(X)]

    def predict(self, X: Sequence[Sequence[float]]) -> List[Label]:
        """The class with the largest score (the most probable; the first one on a tie)."""
        return [self.classes_[max(range(len(s)), key=s.__getitem__)] for s in self.decision_function(X)]

    def score(self, X: Sequence[Sequence[float]], y: Sequence[Label]) -> float:
        """Accuracy: the fraction of rows whose predicted class equals ``y``."""
        predicted = self.predict(X)
        if isinstance(y, (str, bytes)) or not hasattr(y, "__len__") or len(y) != len(predicted):
            raise ValueError(f"y must hold one label per row of X ({len(predicted)})")
        return sum(1 for p, t in zip(predicted, y) if p == t) / len(predicted)


def _sorted_classes(y: Any) -> List[Label]:
    """The distinct labels of ``y``, sorted; at least two, none NaN, all comparable."""
    if isinstance(y, (str, bytes)) or not hasattr(y, "__len__") or not hasattr(y, "__iter__"):
        raise TypeError(f"y must be a list (or tuple) of labels, got {type(y).__name__}")
    for i, label in enumerate(y):
        _check_label(label, i)
    try:
        classes = sorted(set(y))
    except TypeError:
        kinds = sorted({type(label).__name__ for label in y})
        raise TypeError(f"y mixes labels that cannot be sorted together ({', '.join(kinds)}); "
                        f"make them all strings or all numbers") from None
    if len(classes) < 2:
        raise ValueError(f"y holds {'no labels' if not classes else f'only the class {classes[0]!r}'}; "
                         f"fitting needs examples of at least two classes")
    return classes


def _check_label(label: Any, i: int) -> None:
    if isinstance(label, float) and math.isnan(label):
        raise ValueError(f"y[{i}] is NaN, which is not a label; drop or label the row")
    try:
        hash(label)
    except TypeError:
        raise TypeError(f"y[{i}] is {label!r}: labels must be hashable (strings or numbers)") from None


def _check_class_weight(class_weight: Any) -> Any:
    if class_weight is None or class_weight == "balanced":
        return class_weight
    if not isinstance(class_weight, dict):
        raise TypeError(f"class_weight must be None, 'balanced' or a dict {{label: weight}}, got {class_weight!r}")
    return {label: check_finite_number(weight, f"class_weight[{label!r}]", minimum=0.0, strict=True)
            for label, weight in class_weight.items()}


def _class_weight_codes(class_weight: Any, position: Dict[Label, int]) -> Any:
    """``class_weight`` with labels replaced by class indices (every label must be a class)."""
    if not isinstance(class_weight, dict):
        return class_weight
    unknown = [label for label in class_weight if label not in position]
    if unknown:
        raise ValueError(f"class_weight has a weight for {unknown[0]!r}, which is not a class of y "
                         f"({', '.join(map(repr, position))})")
    return {position[label]: weight for label, weight in class_weight.items()}


def _classes_field(state: Dict[str, Any]) -> List[Label]:
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

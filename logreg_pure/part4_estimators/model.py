"""Chapter 18. The model: ``LogisticRegression``, tying the chapters together.

``fit`` prepares the ``Problem`` (chapter 10: the data are checked there, once; the
fast forms of appendix A are reached through ``make_problem``), picks the update rule
for its solver and penalty (chapter 15) and runs it through the loop (chapter 14). Then
it reports what ``solve`` decided: a ``ConvergenceWarning`` when the fit ran out of
iterations, a ``SeparationWarning`` when the classes are perfectly separated (with
``reg = 0`` the optimum is then at infinity). The warnings only read the result.

After ``fit``:

- ``classes_`` holds the two labels seen, sorted; the second is class 1 (chapter 17);
- ``decision_function(X)`` gives the log-odds ``z = w . x + b``, the model's real output;
- ``predict_proba(X)`` gives ``sigmoid(z)``, the probability of class 1;
- ``predict(X, threshold)`` gives class 1 where ``z >= logit(threshold)``: a linear
  rule, so the decision boundary is the hyperplane ``w . x + b = logit(threshold)``.

``y`` may hold any two labels (strings or numbers): ``fit`` hands the solvers their
positions 0 and 1 in ``classes_``, and ``predict`` answers in the labels. The model
follows the estimator conventions of chapter 17, so scikit-learn's ``clone``,
``GridSearchCV`` and ``Pipeline`` can use it.

The parameter names ``lr``, ``epochs`` and ``reg`` are the original class's, and with
``tol=0`` the default solver reproduces its iterates.
"""

import math
import warnings
import numbers
import operator
from collections.abc import Mapping
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
    check_probability_threshold,
    check_sample_weight,
)
from ..part1_mathematics.errors import ConvergenceWarning, NotFittedError, SeparationWarning
from ..part1_mathematics.links import logit, sigmoid
from ..part1_mathematics.loss import PENALTIES, penalty_split
from ..part1_mathematics.vectors import Matrix, Vector, dot
from ..part2_problem.driver import STOP_REASONS, FitResult
from ..part2_problem.firth import make_firth_problem
from ..part2_problem.problem import ClassWeight, Problem, make_problem
from ..part2_problem.separation import Separation
from ..part3_solvers.coordinate import CoordinateDescent
from ..part3_solvers.solvers import (
    SOLVERS,
    GradientDescent,
    Newton,
    ProximalGradient,
    Rule,
    StochasticGradientDescent,
    solve,
)
from .estimator import Classes, Classifier

__all__ = ["MODEL_PENALTIES", "LogisticRegression", "sklearn_C"]

MODEL_PENALTIES = PENALTIES + ("firth",)  # Firth's penalized likelihood (chapter 12)


class LogisticRegression(Classifier):
    """Binary logistic regression: ``P(y = 1 | x) = sigmoid(w . x + b)``.

    Fitting minimizes ``J(w, b) = mean_i [softplus(z_i) - y_i z_i] + (reg/2) ||w||^2``
    (or ``+ reg ||w||_1`` with ``penalty="l1"``, or the elastic net's
    ``+ reg (l1_ratio ||w||_1 + (1 - l1_ratio) / 2 ||w||^2)``); the intercept ``b`` is
    never penalized.

    Parameters (checked here, so a bad value fails at once, and stored as given):

    - ``lr``: step size of gradient descent (initial step for SGD); > 0.
    - ``epochs``: the most passes over the data (Newton: the most iterations); >= 1.
    - ``reg``: penalty strength; >= 0.
    - ``tol``: stop when the largest gradient component is at most ``tol``; 0 never
      stops early (exactly ``epochs`` steps, as in the original).
    - ``solver``: ``"gd"`` (the original), ``"newton"``, ``"sgd"`` or ``"cd"`` (coordinate
      descent, glmnet's algorithm: the fast way to an L1 or elastic-net fit).
    - ``penalty``: ``"l2"``, ``"l1"`` or ``"elasticnet"`` (with ``l1_ratio`` in [0, 1]); a
      penalty with an L1 part needs ``solver="cd"`` or ``"gd"`` (proximal gradient). Or
      ``"firth"``: Firth's penalized likelihood ``log L + (1/2) log det I`` (chapter 12;
      needs ``solver="newton"`` and ``reg=0``), finite even when the classes are separated.
    - ``batch_size``, ``random_state``: mini-batch size and seed for ``solver="sgd"``.
    - ``class_weight``: ``None``, ``"balanced"`` (weight ``n / (2 n_c)`` for class c) or
      ``{label: weight}`` (``{0: a, 1: b}``); multiplies any ``sample_weight`` given to ``fit``.

    The same penalty elsewhere (our J is the *mean* loss plus the penalty, the
    intercept unpenalized): scikit-learn's ``C = 1 / (n * reg)``, or with ``sample_weight``
    ``C = 1 / (sum(sample_weight) * reg)`` (``sklearn_C``); statsmodels'
    ``GLM(...).fit_regularized(alpha=reg, L1_wt=0 or 1)`` and
    ``Logit(...).fit_regularized(alpha=n * reg)`` (alpha 0 on the constant);
    glmnet's ``lambda = reg`` and ``alpha = l1_ratio``.

    >>> model = LogisticRegression(solver="newton").fit([[0.0], [1.0], [2.0], [3.0]], [0, 1, 0, 1])
    >>> model.predict([[10.0], [-10.0]])
    [1, 0]
    """

    def __init__(self, lr: float = 0.1, epochs: int = 1000, reg: float = 0.0, *,
                 tol: float = 1e-6, solver: str = "gd", penalty: str = "l2",
                 l1_ratio: Optional[float] = None, batch_size: int = 1,
                 random_state: Optional[int] = None, class_weight: Any = None) -> None:
        self.lr = lr
        self.epochs = epochs
        self.reg = reg
        self.tol = tol
        self.solver = solver
        self.penalty = penalty
        self.l1_ratio = l1_ratio
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
            "penalty": _check_choice(self.penalty, "penalty", MODEL_PENALTIES),
            "l1_ratio": None if self.l1_ratio is None else check_finite_number(self.l1_ratio, "l1_ratio"),
            "batch_size": check_positive_int(self.batch_size, "batch_size"),
            "random_state": _check_random_state(self.random_state),
            "class_weight": _check_class_weight(self.class_weight),
        }
        _check_firth(checked["penalty"], checked["solver"], checked["reg"])
        sharp = _sharp_part(checked["penalty"], checked["l1_ratio"])
        if sharp > 0.0 and checked["solver"] not in ("gd", "cd"):
            raise ValueError(f"solver={checked['solver']!r} cannot fit penalty={checked['penalty']!r}, whose "
                             f"L1 part has no gradient at 0; use solver='cd' (coordinate descent) or 'gd' "
                             f"(proximal gradient)")
        return checked

    def saved_params(self) -> Dict[str, Any]:
        """The parameters as a model file keeps them: plain Python values, and class
        weights keyed by class position (0, 1), as the file's label mapping is."""
        params = self._checked_params()
        if isinstance(params["class_weight"], dict) and hasattr(self, "classes_"):
            params["class_weight"] = _class_weight_by_position(params["class_weight"], self.classes_)
        return params

    # ------------------------------------------------------------ fitted state

    def fitted_state(self) -> Dict[str, Any]:
        """Everything ``fit`` learned that later use depends on, as plain data (for a file).

        ``LogisticRegression.from_fitted_state(model.saved_params(), model.fitted_state())``
        rebuilds a model that predicts and summarizes exactly as this one, in class
        positions 0 and 1 (a model file keeps the labels in its label mapping).
        """
        self._check_fitted()
        return {"coef": list(self.coef_), "intercept": self.intercept_,
                "feature_names": list(self.feature_names_in_), "converged": self.converged_,
                "n_iter": self.n_iter_, "stop_reason": self.stop_reason_, "grad_max": self.grad_max_,
                "sample_weight_used": self.sample_weight_used_}

    @classmethod
    def from_fitted_state(cls, params: Dict[str, Any], state: Dict[str, Any]) -> "LogisticRegression":
        """A fitted model from ``saved_params()`` and ``fitted_state()``, every field checked.

        Raises ``ValueError`` naming the field: numbers must be finite, counts whole,
        flags true or false, the stop reason a known one.
        """
        model = cls(**params)
        model.classes_ = Classes([0, 1])  # a file names its labels in its own label mapping
        names = check_field(state, "feature_names", list)
        if not names or not all(isinstance(n, str) for n in names):
            raise ValueError("field 'feature_names' must be a non-empty list of strings")
        model.feature_names_in_ = check_feature_names(names, len(names))
        model.n_features_in_ = len(names)
        model.coef_ = check_field_numbers(state, "coef", len(names))
        model.intercept_ = check_field(state, "intercept", float)
        model.converged_ = check_field(state, "converged", bool)
        model.n_iter_ = check_field(state, "n_iter", int)
        model.stop_reason_ = check_field(state, "stop_reason", str)
        if model.stop_reason_ not in STOP_REASONS:
            raise ValueError(f"field 'stop_reason' must be one of {', '.join(map(repr, STOP_REASONS))}, "
                             f"got {model.stop_reason_!r}")
        model.grad_max_ = check_field(state, "grad_max", float)
        model.sample_weight_used_ = check_field(state, "sample_weight_used", bool)
        model.loss_history_ = []
        return model

    # ----------------------------------------------------------------- fitting

    def fit(self, X: Any, y: Any, sample_weight: Any = None, *,
            feature_names: Optional[Sequence[str]] = None,
            progress: Optional[Callable[[int, float], None]] = None) -> "LogisticRegression":
        """Learn ``coef_`` and ``intercept_`` from rows ``X`` and two-class labels ``y``.

        ``X``: rows of numbers, a pandas DataFrame or a NumPy array; ``y``: any two
        labels (a list, a Series, an array). ``feature_names`` (optional; default: a
        DataFrame's columns) are used in messages; ``progress(step, J)`` is called once
        per step. Returns ``self``. Warns ``ConvergenceWarning`` if the iteration limit
        came first and ``SeparationWarning`` if the classes are perfectly separated
        (``reg == 0``); raises ``DivergenceError`` if the objective blows up, and
        ``ValueError`` / ``TypeError`` for bad data.
        """
        params = self._checked_params()
        classes, positions = _two_classes(X, y)
        problem = _problem(X, positions, params, sample_weight, feature_names,
                           _class_weight_by_position(params["class_weight"], classes))
        result = solve(problem, _rule(params), epochs=params["epochs"], tol=params["tol"], progress=progress)
        self.classes_: Classes = Classes(classes)
        self.intercept_: float = result.theta[0]
        self.coef_: Vector = result.theta[1:]
        self.loss_history_: Vector = result.loss_history
        self.n_iter_: int = result.n_iter
        self.converged_: bool = result.converged
        self.stop_reason_: str = result.stop_reason
        self.grad_max_: float = result.grad_max
        self.n_features_in_: int = problem.n_features
        self.feature_names_in_: List[str] = problem.names
        self.sample_weight_used_: bool = problem.sample_weight is not None
        self.separation_: Optional[Separation] = result.separation
        self._warn_about(result, problem.n_rows)
        return self

    def _warn_about(self, result: FitResult, n_rows: int) -> None:
        """Say what ``solve`` decided about an unfinished fit (this reads; it computes nothing)."""
        if result.stop_reason == "separated":
            warnings.warn(_separation_message(result.separation, n_rows), SeparationWarning, stacklevel=3)
        elif not result.converged and self.tol > 0.0:  # tol = 0 asked for exactly `epochs` steps
            warnings.warn(self._convergence_message(result), ConvergenceWarning, stacklevel=3)

    def _convergence_message(self, result: FitResult) -> str:
        unit = "iterations" if self.solver in ("newton", "cd") else "epochs"
        advice = []
        if result.scale_note:
            advice.append(f"standardize the features ({result.scale_note})")
        if result.stop_reason == "iteration limit":
            advice.append(f"raise epochs (now {self.epochs})")
        if self.solver not in ("newton", "cd"):
            advice.append("use solver='newton'" if self.penalty == "l2" else "use solver='cd'")
        return (f"{self.solver} stopped ({result.stop_reason}) after {result.n_iter} {unit} with the "
                f"largest gradient component {result.grad_max:.3g} > tol={self.tol:g}, so the "
                f"coefficients are not the optimum. Try: {'; or '.join(advice)}")

    # -------------------------------------------------------------- prediction

    def _check_fitted(self) -> None:
        if not hasattr(self, "coef_"):
            raise NotFittedError("this LogisticRegression is not fitted yet: call fit(X, y) first")

    def _check_fitted_X(self, X: Any) -> Matrix:
        self._check_fitted()
        rows = check_matrix(X, "X", n_features=self.n_features_in_)
        check_columns(X, getattr(self, "feature_names_in_", []))
        return rows

    def decision_function(self, X: Any) -> Vector:
        """The predicted log-odds ``z = w . x + b`` for each row."""
        rows = self._check_fitted_X(X)
        return [dot(x, self.coef_) + self.intercept_ for x in rows]

    def predict_proba(self, X: Any) -> Vector:
        """``P(y = 1 | x) = sigmoid(w . x + b)`` for each row."""
        return [sigmoid(z) for z in self.decision_function(X)]

    def predict(self, X: Any, threshold: float = 0.5) -> List[Any]:
        """Class 1 (``classes_[1]``) where ``P(y = 1 | x) >= threshold``, decided on the
        log-odds scale; otherwise ``classes_[0]``. For 0/1 labels: the ints 0 and 1.

        ``p >= t`` is the same as ``z >= logit(t)``; comparing log-odds makes the rule
        exactly linear in ``x`` (no rounding of the sigmoid near the boundary).
        """
        cut = logit(check_probability_threshold(threshold))
        return self.decode_labels([1 if z >= cut else 0 for z in self.decision_function(X)])


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


def _rule(params: Dict[str, Any]) -> Rule:
    """The update rule for the (checked) solver and penalty."""
    if params["solver"] == "newton":
        return Newton()
    if params["solver"] == "sgd":
        return StochasticGradientDescent(params["lr"], params["batch_size"], params["random_state"])
    if params["solver"] == "cd":
        return CoordinateDescent()
    if params["penalty"] != "l2":
        return ProximalGradient(params["lr"])
    return GradientDescent(params["lr"])


def _sharp_part(penalty: str, l1_ratio: Optional[float]) -> float:
    """The share of the penalty that is L1 (0 for Firth's); checks ``l1_ratio``."""
    if penalty == "firth" and l1_ratio is not None:
        raise ValueError(f"l1_ratio={l1_ratio!r} is the elastic net's mix; penalty='firth' has its own "
                         f"penalty, (1/2) log det I: leave l1_ratio out")
    return 0.0 if penalty == "firth" else penalty_split(1.0, penalty, l1_ratio)[0]


def _problem(X: Any, positions: List[int], params: Dict[str, Any], sample_weight: Any, feature_names: Any,
             class_weight: ClassWeight) -> Problem:
    """The problem the parameters describe, through the seam: Firth's, or the penalized likelihood's."""
    if params["penalty"] == "firth":
        return make_firth_problem(X, positions, sample_weight=sample_weight, class_weight=class_weight,
                                  feature_names=feature_names)
    return make_problem(X, positions, reg=params["reg"], penalty=params["penalty"], l1_ratio=params["l1_ratio"],
                        sample_weight=sample_weight, feature_names=feature_names, class_weight=class_weight)


def _two_classes(X: Any, y: Any) -> Tuple[List[Any], List[int]]:
    """The two labels of ``y``, sorted, and each row's class position (0 or 1)."""
    try:
        classes, positions = check_classes(y)
        if len(classes) != 2:
            raise ValueError(_class_count_message(classes))
        return classes, positions
    except (TypeError, ValueError) as error:
        wrong_y = error
    check_matrix(X, "X")  # a bad X is reported first, as by every other door
    raise wrong_y


def _class_count_message(classes: List[Any]) -> str:
    if len(classes) == 1:
        return f"y holds only the class {classes[0]!r}; fitting needs examples of two classes"
    shown = ", ".join(map(repr, classes[:5])) + (" ..." if len(classes) > 5 else "")
    return (f"y has {len(classes)} distinct labels ({shown}); LogisticRegression separates two "
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


def _check_firth(penalty: str, solver: str, reg: float) -> None:
    """Firth's method is fitted by Newton's method (logistf's), with no other penalty."""
    if penalty != "firth":
        return
    if solver != "newton":
        raise ValueError(f"penalty='firth' is fitted by Newton's method on Firth's modified score; "
                         f"use solver='newton' (got solver={solver!r})")
    if reg != 0.0:
        raise ValueError(f"penalty='firth' has its own penalty, (1/2) log det I; leave reg=0 "
                         f"(got reg={reg!r})")


def _check_choice(value: Any, name: str, choices: Sequence[str]) -> str:
    if not isinstance(value, str) or value not in choices:
        raise ValueError(f"{name} must be one of {', '.join(map(repr, choices))}, got {value!r}")
    return value


def _check_random_state(random_state: Any) -> Optional[int]:
    """``None`` or a whole number (NumPy's too), as a Python int; bools are refused."""
    if random_state is None:
        return None
    if isinstance(random_state, bool) or not isinstance(random_state, numbers.Integral):
        raise TypeError(f"random_state must be None or an int, got {random_state!r}")
    return operator.index(random_state)


def _check_class_weight(class_weight: Any) -> Any:
    """``None``, ``"balanced"``, or a dict of positive weights keyed by label (checked against
    the labels in ``fit``)."""
    if class_weight is None or (isinstance(class_weight, str) and class_weight == "balanced"):
        return class_weight
    if not isinstance(class_weight, Mapping):
        raise TypeError(f"class_weight must be None, 'balanced' or a dict {{label: weight}} such as "
                        f"{{0: 1.0, 1: 2.0}}, got {type(class_weight).__name__} {class_weight!r}")
    return {label: check_finite_number(weight, f"class_weight[{label!r}]", minimum=0.0, strict=True)
            for label, weight in class_weight.items()}


def _class_weight_by_position(class_weight: Any, classes: Sequence[Any]) -> ClassWeight:
    """Class weights keyed by label, re-keyed by class position (what the Problem takes)."""
    if not isinstance(class_weight, dict):
        return class_weight
    position = {label: k for k, label in enumerate(classes)}
    for label in class_weight:
        if label not in position:
            raise ValueError(f"class_weight has a weight for class {label!r}, but the classes are "
                             f"{' and '.join(map(repr, classes))}")
    return {position[label]: weight for label, weight in class_weight.items()}

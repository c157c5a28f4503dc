"""Chapter 9. The model: ``LogisticRegression``, tying the chapters together.

``fit`` prepares the ``Problem`` (chapter 6: the data are checked there, once; the
fast forms of appendix A are reached through ``make_problem``), picks the update rule
for its solver and penalty (chapter 8) and runs it through the loop (chapter 7). Then
it reports what ``solve`` decided: a ``ConvergenceWarning`` when the fit ran out of
iterations, a ``SeparationWarning`` when the classes are perfectly separated (with
``reg = 0`` the optimum is then at infinity). The warnings only read the result.

After ``fit``:

- ``decision_function(X)`` gives the log-odds ``z = w . x + b``, the model's real output;
- ``predict_proba(X)`` gives ``sigmoid(z)``, the probability of class 1;
- ``predict(X, threshold)`` gives 1 where ``z >= logit(threshold)``: a linear rule, so
  the decision boundary is the hyperplane ``w . x + b = logit(threshold)``.

The parameter names ``lr``, ``epochs`` and ``reg`` are the original class's, and with
``tol=0`` the default solver reproduces its iterates.
"""

import warnings
from typing import Any, Callable, Dict, List, Optional, Sequence

from .checks import (
    check_feature_names,
    check_field,
    check_field_numbers,
    check_finite_number,
    check_labels,
    check_matrix,
    check_positive_int,
    check_probability_threshold,
)
from .driver import STOP_REASONS, FitResult
from .problem import ClassWeight
from .separation import Separation
from .errors import ConvergenceWarning, NotFittedError, SeparationWarning
from .fast import make_firth_problem, make_problem
from .links import logit, sigmoid
from .loss import PENALTIES
from .solvers import (
    SOLVERS,
    GradientDescent,
    Newton,
    ProximalGradient,
    Rule,
    StochasticGradientDescent,
    solve,
)
from .vectors import Matrix, Vector, dot

__all__ = ["MODEL_PENALTIES", "LogisticRegression"]

MODEL_PENALTIES = PENALTIES + ("firth",)  # Firth's penalized likelihood (chapter 8b)


class LogisticRegression:
    """Binary logistic regression: ``P(y = 1 | x) = sigmoid(w . x + b)``.

    Fitting minimizes ``J(w, b) = mean_i [softplus(z_i) - y_i z_i] + (reg/2) ||w||^2``
    (or ``+ reg ||w||_1`` with ``penalty="l1"``); the intercept ``b`` is never penalized.

    Parameters (all checked here, so a bad value fails at once):

    - ``lr``: step size of gradient descent (initial step for SGD); > 0.
    - ``epochs``: the most passes over the data (Newton: the most iterations); >= 1.
    - ``reg``: penalty strength; >= 0.
    - ``tol``: stop when the largest gradient component is at most ``tol``; 0 never
      stops early (exactly ``epochs`` steps, as in the original).
    - ``solver``: ``"gd"`` (the original), ``"newton"`` or ``"sgd"``.
    - ``penalty``: ``"l2"`` or ``"l1"`` (``"l1"`` needs ``solver="gd"``), or ``"firth"``:
      Firth's penalized likelihood ``log L + (1/2) log det I`` (chapter 8b; needs
      ``solver="newton"`` and ``reg=0``), finite even when the classes are separated.
    - ``batch_size``, ``random_state``: mini-batch size and seed for ``solver="sgd"``.
    - ``class_weight``: ``None``, ``"balanced"`` (weight ``n / (2 n_c)`` for class c) or
      ``{0: a, 1: b}``; multiplies any ``sample_weight`` given to ``fit``.

    The same penalty elsewhere (our J is the *mean* loss plus the penalty, the
    intercept unpenalized): scikit-learn's ``C = 1 / (n * reg)``; statsmodels'
    ``GLM(...).fit_regularized(alpha=reg, L1_wt=0 or 1)`` and
    ``Logit(...).fit_regularized(alpha=n * reg)`` (alpha 0 on the constant);
    glmnet's ``lambda = reg``.

    >>> model = LogisticRegression(solver="newton").fit([[0.0], [1.0], [2.0], [3.0]], [0, 1, 0, 1])
    >>> model.predict([[10.0], [-10.0]])
    [1, 0]
    """

    def __init__(self, lr: float = 0.1, epochs: int = 1000, reg: float = 0.0, *,
                 tol: float = 1e-6, solver: str = "gd", penalty: str = "l2",
                 batch_size: int = 1, random_state: Optional[int] = None,
                 class_weight: ClassWeight = None) -> None:
        self.lr = check_finite_number(lr, "lr", minimum=0.0, strict=True)
        self.epochs = check_positive_int(epochs, "epochs")
        self.reg = check_finite_number(reg, "reg", minimum=0.0)
        self.tol = check_finite_number(tol, "tol", minimum=0.0)
        if solver not in SOLVERS:
            raise ValueError(f"solver must be one of {', '.join(map(repr, SOLVERS))}, got {solver!r}")
        if penalty not in MODEL_PENALTIES:
            raise ValueError(f"penalty must be one of {', '.join(map(repr, MODEL_PENALTIES))}, got {penalty!r}")
        if penalty == "l1" and solver != "gd":
            raise ValueError(f"solver={solver!r} cannot fit penalty='l1'; use solver='gd' "
                             f"(proximal gradient descent) for an L1 penalty")
        _check_firth(penalty, solver, self.reg)
        self.solver = solver
        self.penalty = penalty
        self.batch_size = check_positive_int(batch_size, "batch_size")
        if random_state is not None and (isinstance(random_state, bool) or not isinstance(random_state, int)):
            raise TypeError(f"random_state must be None or an int, got {random_state!r}")
        self.random_state = random_state
        self.class_weight = _check_class_weight(class_weight)

    def get_params(self) -> Dict[str, Any]:
        """The constructor's parameters, as a dict (``LogisticRegression(**params)`` rebuilds it)."""
        return {
            "lr": self.lr, "epochs": self.epochs, "reg": self.reg, "tol": self.tol,
            "solver": self.solver, "penalty": self.penalty, "batch_size": self.batch_size,
            "random_state": self.random_state, "class_weight": self.class_weight,
        }

    # ------------------------------------------------------------ fitted state

    def fitted_state(self) -> Dict[str, Any]:
        """Everything ``fit`` learned that later use depends on, as plain data (for a file).

        ``LogisticRegression.from_fitted_state(model.get_params(), model.fitted_state())``
        rebuilds a model that predicts and summarizes exactly as this one.
        """
        self._check_fitted()
        return {"coef": list(self.coef_), "intercept": self.intercept_,
                "feature_names": list(self.feature_names_in_), "converged": self.converged_,
                "n_iter": self.n_iter_, "stop_reason": self.stop_reason_, "grad_max": self.grad_max_,
                "sample_weight_used": self.sample_weight_used_}

    @classmethod
    def from_fitted_state(cls, params: Dict[str, Any], state: Dict[str, Any]) -> "LogisticRegression":
        """A fitted model from ``get_params()`` and ``fitted_state()``, every field checked.

        Raises ``ValueError`` naming the field: numbers must be finite, counts whole,
        flags true or false, the stop reason a known one.
        """
        model = cls(**params)
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

    def __repr__(self) -> str:
        inside = ", ".join(f"{key}={value!r}" for key, value in self.get_params().items())
        return f"LogisticRegression({inside})"

    # ----------------------------------------------------------------- fitting

    def fit(self, X: Sequence[Sequence[float]], y: Sequence[float],
            sample_weight: Optional[Sequence[float]] = None, *,
            feature_names: Optional[Sequence[str]] = None,
            progress: Optional[Callable[[int, float], None]] = None) -> "LogisticRegression":
        """Learn ``coef_`` and ``intercept_`` from rows ``X`` and 0/1 labels ``y``.

        ``feature_names`` (optional) are used in messages; ``progress(step, J)`` is
        called once per step. Returns ``self``. Warns ``ConvergenceWarning`` if the
        iteration limit came first and ``SeparationWarning`` if the classes are
        perfectly separated (``reg == 0``); raises ``DivergenceError`` if the
        objective blows up, and ``ValueError`` / ``TypeError`` for bad data.
        """
        if self.penalty == "firth":
            problem = make_firth_problem(X, y, sample_weight=sample_weight, class_weight=self.class_weight,
                                         feature_names=feature_names)
        else:
            problem = make_problem(X, y, reg=self.reg, penalty=self.penalty, sample_weight=sample_weight,
                                   class_weight=self.class_weight, feature_names=feature_names)
        result = solve(problem, self._rule(), epochs=self.epochs, tol=self.tol, progress=progress)
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

    def _rule(self) -> Rule:
        """The update rule for this model's solver and penalty."""
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
            warnings.warn(_separation_message(result.separation, n_rows), SeparationWarning, stacklevel=3)
        elif not result.converged and self.tol > 0.0:  # tol = 0 asked for exactly `epochs` steps
            warnings.warn(self._convergence_message(result), ConvergenceWarning, stacklevel=3)

    def _convergence_message(self, result: FitResult) -> str:
        unit = "iterations" if self.solver == "newton" else "epochs"
        advice = []
        if result.scale_note:
            advice.append(f"standardize the features ({result.scale_note})")
        if result.stop_reason == "iteration limit":
            advice.append(f"raise epochs (now {self.epochs})")
        if self.solver != "newton":
            advice.append("use solver='newton'")
        return (f"{self.solver} stopped ({result.stop_reason}) after {result.n_iter} {unit} with the "
                f"largest gradient component {result.grad_max:.3g} > tol={self.tol:g}, so the "
                f"coefficients are not the optimum. Try: {'; or '.join(advice)}")

    # -------------------------------------------------------------- prediction

    def _check_fitted(self) -> None:
        if not hasattr(self, "coef_"):
            raise NotFittedError("this LogisticRegression is not fitted yet: call fit(X, y) first")

    def _check_fitted_X(self, X: Sequence[Sequence[float]]) -> Matrix:
        self._check_fitted()
        return check_matrix(X, "X", n_features=self.n_features_in_)

    def decision_function(self, X: Sequence[Sequence[float]]) -> Vector:
        """The predicted log-odds ``z = w . x + b`` for each row."""
        rows = self._check_fitted_X(X)
        return [dot(x, self.coef_) + self.intercept_ for x in rows]

    def predict_proba(self, X: Sequence[Sequence[float]]) -> Vector:
        """``P(y = 1 | x) = sigmoid(w . x + b)`` for each row."""
        return [sigmoid(z) for z in self.decision_function(X)]

    def predict(self, X: Sequence[Sequence[float]], threshold: float = 0.5) -> List[int]:
        """Class 1 where ``P(y = 1 | x) >= threshold``, decided on the log-odds scale.

        ``p >= t`` is the same as ``z >= logit(t)``; comparing log-odds makes the rule
        exactly linear in ``x`` (no rounding of the sigmoid near the boundary).
        """
        cut = logit(check_probability_threshold(threshold))
        return [1 if z >= cut else 0 for z in self.decision_function(X)]

    def score(self, X: Sequence[Sequence[float]], y: Sequence[float]) -> float:
        """Accuracy: the fraction of rows whose predicted class equals ``y``."""
        predicted = self.predict(X)
        labels = check_labels(y, len(predicted), require_both=False)
        return sum(1 for p, t in zip(predicted, labels) if p == t) / len(labels)


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


def _check_class_weight(class_weight: ClassWeight) -> ClassWeight:
    if class_weight is None or class_weight == "balanced":
        return class_weight
    if not isinstance(class_weight, dict):
        raise TypeError(f"class_weight must be None, 'balanced' or a dict {{0: a, 1: b}}, got {class_weight!r}")
    checked = {}
    for label, weight in class_weight.items():
        if label not in (0, 1):
            raise ValueError(f"class_weight has a weight for class {label!r}, but the classes are 0 and 1")
        checked[int(label)] = check_finite_number(weight, f"class_weight[{label!r}]", minimum=0.0, strict=True)
    return checked

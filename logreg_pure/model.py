"""Chapter 7. The model: ``LogisticRegression``, tying the chapters together.

``fit`` checks the data (chapter 0), prepares a ``Problem`` and hands it to a solver
(chapter 6), then looks at how the solver stopped and says so: a
``ConvergenceWarning`` when it ran out of iterations, a ``SeparationWarning`` when the
classes are perfectly separated (with ``reg = 0`` the optimum is then at infinity).

After ``fit``:

- ``decision_function(X)`` gives the log-odds ``z = w . x + b``, the model's real output;
- ``predict_proba(X)`` gives ``sigmoid(z)``, the probability of class 1;
- ``predict(X, threshold)`` gives 1 where ``z >= logit(threshold)``: a linear rule, so
  the decision boundary is the hyperplane ``w . x + b = logit(threshold)``.

The parameter names ``lr``, ``epochs`` and ``reg`` are the original class's, and with
``tol=0`` the default solver reproduces its iterates.
"""

import warnings
from typing import Any, Callable, Dict, List, Optional, Sequence, Union

from .checks import (
    check_finite_number,
    check_labels,
    check_matrix,
    check_positive_int,
    check_probability_threshold,
    check_sample_weight,
)
from .errors import ConvergenceWarning, NotFittedError, SeparationWarning
from .links import logit, sigmoid
from .loss import PENALTIES, logits
from .solvers import SOLVERS, FitResult, Problem, gradient_descent, newton, scale_spread, separation_probe, sgd
from .vectors import Vector

__all__ = ["LogisticRegression"]

ClassWeight = Union[None, str, Dict[int, float]]


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
    - ``penalty``: ``"l2"`` or ``"l1"`` (``"l1"`` needs ``solver="gd"``).
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
        if penalty not in PENALTIES:
            raise ValueError(f"penalty must be one of {', '.join(map(repr, PENALTIES))}, got {penalty!r}")
        if penalty == "l1" and solver != "gd":
            raise ValueError(f"solver={solver!r} cannot fit penalty='l1'; use solver='gd' "
                             f"(proximal gradient descent) for an L1 penalty")
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
        rows = check_matrix(X, "X")
        labels = check_labels(y, len(rows))
        weights = check_sample_weight(sample_weight, len(rows))
        weights = _apply_class_weight(self.class_weight, labels, weights)
        d = len(rows[0])
        if feature_names is None:
            names = [f"x{j}" for j in range(d)]
        else:
            names = [str(name) for name in feature_names]
            if len(names) != d:
                raise ValueError(f"feature_names has {len(names)} names but X has {d} columns")
        problem = Problem(rows, labels, self.reg, self.penalty, weights, names)
        result = self._solve(problem, progress)

        self.coef_: Vector = result.coef
        self.intercept_: float = result.intercept
        self.loss_history_: Vector = result.loss_history
        self.n_iter_: int = result.n_iter
        self.converged_: bool = result.converged
        self.stop_reason_: str = result.stop_reason
        self.grad_max_: float = result.grad_max
        self.n_features_in_: int = d
        self.feature_names_in_: List[str] = names
        self.sample_weight_used_: bool = weights is not None
        self._warn_about(result, problem)
        return self

    def _solve(self, problem: Problem, progress: Optional[Callable[[int, float], None]]) -> FitResult:
        if self.solver == "newton":
            return newton(problem, epochs=self.epochs, tol=self.tol, progress=progress)
        if self.solver == "sgd":
            return sgd(problem, lr=self.lr, epochs=self.epochs, tol=self.tol,
                       batch_size=self.batch_size, random_state=self.random_state, progress=progress)
        return gradient_descent(problem, lr=self.lr, epochs=self.epochs, tol=self.tol, progress=progress)

    def _warn_about(self, result: FitResult, problem: Problem) -> None:
        if result.converged:
            return
        if result.stop_reason != "separated" and self.reg == 0.0 and separation_probe(problem):
            self.stop_reason_ = "separated"
        if self.stop_reason_ == "separated":
            warnings.warn(
                "the classes are perfectly separated by a hyperplane, so with reg=0 the "
                "maximum-likelihood estimate does not exist: the loss keeps falling as the "
                "weights grow without bound, and these coefficients only mark where the fit "
                f"stopped. Set reg > 0 (for example reg={1.0 / len(problem.X):.3g}, that is 1/n) "
                "for a finite, unique answer",
                SeparationWarning, stacklevel=3)
            return
        if self.tol == 0.0:
            return  # exactly `epochs` steps were asked for: not converging is expected
        unit = "iterations" if self.solver == "newton" else "epochs"
        advice = []
        spread = scale_spread(problem.columns, problem.names or [])
        if spread:
            advice.append(f"standardize the features ({spread})")
        if result.stop_reason == "iteration limit":
            advice.append(f"raise epochs (now {self.epochs})")
        if self.solver != "newton":
            advice.append("use solver='newton'")
        warnings.warn(
            f"{self.solver} stopped ({result.stop_reason}) after {result.n_iter} {unit} with the "
            f"largest gradient component {result.grad_max:.3g} > tol={self.tol:g}, so the "
            f"coefficients are not the optimum. Try: {'; or '.join(advice)}",
            ConvergenceWarning, stacklevel=3)

    # -------------------------------------------------------------- prediction

    def _check_fitted_X(self, X: Sequence[Sequence[float]]) -> List[List[float]]:
        if not hasattr(self, "coef_"):
            raise NotFittedError("this LogisticRegression is not fitted yet: call fit(X, y) first")
        return check_matrix(X, "X", n_features=self.n_features_in_)

    def decision_function(self, X: Sequence[Sequence[float]]) -> Vector:
        """The predicted log-odds ``z = w . x + b`` for each row."""
        rows = self._check_fitted_X(X)
        return logits(self.coef_, self.intercept_, rows)

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


def _apply_class_weight(class_weight: ClassWeight, labels: Vector,
                        sample_weight: Optional[Vector]) -> Optional[Vector]:
    if class_weight is None:
        return sample_weight
    if class_weight == "balanced":
        n = len(labels)
        n_pos = sum(1 for label in labels if label == 1.0)
        per_class = {1: n / (2.0 * n_pos), 0: n / (2.0 * (n - n_pos))}
    else:
        per_class = {0: 1.0, 1: 1.0}
        per_class.update(class_weight)  # type: ignore[arg-type]
    base = sample_weight or [1.0] * len(labels)
    return [s * per_class[int(label)] for s, label in zip(base, labels)]

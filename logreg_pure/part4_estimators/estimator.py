"""Chapter 17. The estimator conventions, and the base of the two classifiers.

A model has two kinds of state. Its *parameters* are what its user chose when making
it (``LogisticRegression(reg=0.1)``); what it *learned* is set by ``fit`` and ends in
an underscore (``coef_``, ``classes_``). scikit-learn's tools (``clone``,
``cross_val_score``, ``GridSearchCV``, ``Pipeline``) rely on a few rules about the
two, and a library that follows them works inside those tools without importing
them. The rules, as this chapter keeps them:

- ``__init__`` stores each parameter unchanged under its own name. It also checks
  them, so that a bad value fails at once, but it never converts one: ``clone``
  rebuilds a model as ``type(m)(**m.get_params())`` and checks that every parameter
  came back as the very same object. ``fit`` uses the checked, converted values.
- ``get_params(deep=True)`` returns the parameters by name; ``set_params(**params)``
  checks the new combination (by building a model from it) before changing anything,
  and returns the model.
- ``fit(X, y)`` returns the model. A classifier accepts any labels, strings or
  numbers, and stores the distinct ones, sorted, as ``classes_``; with two classes
  the second is class 1, the one whose probability the model gives. ``predict``
  answers in those labels and ``score(X, y)`` is the accuracy. (Labels 0 and 1, of
  any type, are the classes ``[0, 1]``: the predictions are then the ints 0 and 1.)
- ``n_features_in_`` and ``feature_names_in_``: the number and the names of the
  columns seen by ``fit`` (a pandas DataFrame's ``columns``, or ``x0, x1, ...``).
- scikit-learn 1.6 and later asks ``__sklearn_tags__()`` what kind of estimator an
  object is; it gets ``sklearn_tags(...)``, a plain table with the fields of
  scikit-learn's ``Tags`` (duck typing again: nothing is imported). Earlier versions
  read the class attribute ``_estimator_type``.

One convention is not followed, on purpose: ``predict_proba`` gives P(class 1), one
number per row (this library's question throughout), where scikit-learn's
classifiers return an (n, 2) array. scikit-learn's ROC-AUC and average-precision
scorers ask for ``decision_function`` first, which here gives the log-odds (the same
ranking), so they work; the scorers that need the two-column array
(``neg_log_loss``, ``neg_brier_score``) do not.

**One family.** ``LogisticRegression`` (chapter 18) and ``SoftmaxRegression`` (chapter
19) are one model, softmax regression, with K = 2 classes and with any K. What they
share is written once, in ``LinearClassifier`` below: their parameters and the checks
of them (one table, chapter 15's ``SOLVER_TABLE``, says which solver fits which
penalty, for how many classes), ``fit`` (labels to class positions, the problem through
chapter 10's seam, the rule through ``make_rule``, the one ``solve`` of chapter 15), the
fitted attributes, the warnings, and the fields a model file keeps. A subclass adds only
what differs: how many classes it takes, its problem, the shape of its coefficients,
and how it predicts. So a feature added for one is there for the other, or refused
for it in words (Firth's penalty, whose problem has two classes).

``solver="auto"``, the default, is Newton's method while its Hessian is cheap, L-BFGS
for an L2 fit of more parameters, and coordinate descent for a penalty with an L1 part
(``auto_solver``, next to the table, chosen in ``fit`` from the problem's size): each
reaches the optimum in a few steps to a few dozen, and Newton's steps do not depend on the features'
scales at all (a gradient step with a fixed ``lr`` diverges on large ones). The original
algorithm, gradient descent with a fixed step, is ``solver="gd"`` (with ``lr`` and
``epochs``). ``fast=False`` runs the reference formulas of chapters 4 to 13 end to end,
instead of the appendix's fast forms; the fits agree to rounding.
"""

import inspect
import numbers
import operator
import warnings
from collections.abc import Mapping
from types import SimpleNamespace
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

from ..part1_mathematics.checks import (
    check_classes,
    check_columns,
    check_feature_names,
    check_field,
    check_finite_number,
    check_matrix,
    check_positive_int,
)
from ..part1_mathematics.errors import ConvergenceWarning, NotFittedError, SeparationWarning
from ..part1_mathematics.loss import PENALTIES
from ..part1_mathematics.vectors import Matrix
from ..part2_problem.driver import STOP_REASONS, FitResult
from ..part2_problem.problem import BaseProblem, ClassWeight
from ..part2_problem.separation import Separation
from ..part3_solvers.coordinate import CoordinateDescent
from ..part3_solvers.quasi_newton import LBFGS
from ..part3_solvers.solvers import (
    SOLVERS,
    BaseRule,
    GradientDescent,
    Newton,
    ProximalGradient,
    StochasticGradientDescent,
    auto_solver,
    penalty_kind,
    solve,
    solver_refusal,
)

__all__ = ["Classes", "Classifier", "Estimator", "LinearClassifier", "MODEL_PENALTIES", "make_rule", "sklearn_tags"]

MODEL_PENALTIES = PENALTIES + ("firth",)  # Firth's penalized likelihood (chapter 12)


def sklearn_tags(estimator_type: str) -> SimpleNamespace:
    """The answer to scikit-learn's ``__sklearn_tags__()``: its ``Tags`` fields, as plain data.

    ``estimator_type`` is ``"classifier"`` or ``"transformer"``. Input is a 2-d table
    of finite numbers (no NaN, no sparse matrices); a classifier needs ``y`` and
    separates two classes.

    >>> tags = sklearn_tags("classifier")
    >>> tags.estimator_type, tags.target_tags.required, tags.input_tags.allow_nan
    ('classifier', True, False)
    """
    classifier = estimator_type == "classifier"
    return SimpleNamespace(
        estimator_type=estimator_type,
        target_tags=SimpleNamespace(required=classifier, one_d_labels=False, two_d_labels=False,
                                    positive_only=False, multi_output=False, single_output=True),
        transformer_tags=None if classifier else SimpleNamespace(preserves_dtype=[]),
        classifier_tags=SimpleNamespace(poor_score=False, multi_class=False, multi_label=False)
        if classifier else None,
        regressor_tags=None,
        array_api_support=False,
        no_validation=False,
        non_deterministic=False,
        requires_fit=True,
        _skip_test=False,
        input_tags=SimpleNamespace(one_d_array=False, two_d_array=True, three_d_array=False, sparse=False,
                                   categorical=False, string=False, dict=False, positive_only=False,
                                   allow_nan=False, pairwise=False),
    )


class Estimator:
    """Parameters by name: ``get_params``, ``set_params`` and a ``repr`` that rebuilds the object.

    A subclass's ``__init__`` names its parameters and stores each unchanged; its class
    attribute ``_estimator_type`` (``"classifier"`` or ``"transformer"``) says what it is.
    """

    _estimator_type: str

    @classmethod
    def _parameter_names(cls) -> List[str]:
        """The names ``__init__`` takes, in order (``self`` aside; none without an ``__init__``)."""
        if cls.__init__ is object.__init__:
            return []
        return [name for name in inspect.signature(cls.__init__).parameters if name != "self"]

    def get_params(self, deep: bool = True) -> Dict[str, Any]:
        """The parameters as given, by name: ``type(self)(**params)`` rebuilds the object.

        ``deep`` is scikit-learn's (it would add the parameters of estimators held as
        parameters; there are none here).
        """
        return {name: getattr(self, name) for name in self._parameter_names()}

    def set_params(self, **params: Any) -> "Estimator":
        """Change parameters by name and return ``self``.

        The new combination is checked first, by building an object from it, so a bad
        value raises (``ValueError``, ``TypeError``, as the constructor's) and changes nothing.
        """
        names = self._parameter_names()
        unknown = sorted(set(params) - set(names))
        if unknown:
            raise ValueError(f"{type(self).__name__} has no parameter {unknown[0]!r}; "
                             f"its parameters are {', '.join(names)}")
        type(self)(**dict(self.get_params(), **params))
        for name, value in params.items():
            setattr(self, name, value)
        return self

    def __repr__(self) -> str:
        inside = ", ".join(f"{key}={value!r}" for key, value in self.get_params().items())
        return f"{type(self).__name__}({inside})"

    def __sklearn_tags__(self) -> SimpleNamespace:
        return sklearn_tags(self._estimator_type)


class Classes(list):
    """The class labels a classifier saw, sorted: a list, with the ``tolist()`` that
    scikit-learn's scorers call on ``classes_`` (where they expect a NumPy array)."""

    def tolist(self) -> List[Any]:
        return list(self)


class Classifier(Estimator):
    """An estimator that learns ``classes_`` from ``y``, predicts labels and scores by accuracy.

    A subclass's ``predict(X)`` returns labels from ``classes_``.
    """

    _estimator_type = "classifier"  # scikit-learn before 1.6 reads this; later ones, the tags

    def _known_classes(self) -> List[Any]:
        """``classes_``; a model whose coefficients were set by hand, without ``fit``, has
        the classes 0 and 1."""
        return getattr(self, "classes_", [0, 1])

    def encode_labels(self, y: Any, n_rows: Optional[int] = None, name: str = "y") -> List[int]:
        """Each label's class: its position in ``classes_`` (0 or 1 for two classes).

        Raises ``ValueError`` for a label the model was not fit on, naming it.
        """
        classes = self._known_classes()
        seen, positions = check_classes(y, n_rows, name)
        known = {label: k for k, label in enumerate(classes)}
        unknown = [label for label in seen if label not in known]
        if unknown:
            raise ValueError(f"{name} holds {unknown[0]!r}, which is not one of the classes the model "
                             f"was fit on ({', '.join(map(repr, classes))})")
        return [known[seen[k]] for k in positions]

    def decode_labels(self, positions: Sequence[int]) -> List[Any]:
        """The labels of class positions: ``classes_[k]`` for each ``k``."""
        classes = self._known_classes()
        return [classes[k] for k in positions]

    def score(self, X: Any, y: Any) -> float:
        """Accuracy: the fraction of rows whose predicted label equals ``y``'s."""
        predicted = self.predict(X)
        truth = self.decode_labels(self.encode_labels(y, len(predicted)))
        return sum(1 for p, t in zip(predicted, truth) if p == t) / len(truth)


# ------------------------------------------------------------ the base of the two classifiers

class LinearClassifier(Classifier):
    """Softmax regression with K classes, the base of ``LogisticRegression`` (K = 2) and
    ``SoftmaxRegression`` (any K): the parameters, ``fit``, the fitted attributes, the
    warnings and the fields of a model file.

    Parameters (checked here, so a bad value fails at once, and stored as given):

    - ``lr``: step size of gradient descent (initial step for SGD); > 0.
    - ``epochs``: the most passes over the data (Newton, L-BFGS, coordinate descent: the
      most iterations); >= 1.
    - ``reg``: penalty strength; >= 0.
    - ``tol``: stop when the largest gradient component (the optimality conditions'
      largest violation, with an L1 part) is at most ``tol``; 0 never stops early
      (exactly ``epochs`` steps, as the original algorithm did).
    - ``solver``: ``"auto"`` (the default: ``"newton"`` up to ``NEWTON_MOST_PARAMETERS``
      parameters, ``"lbfgs"`` beyond, ``"cd"`` for a penalty with an L1 part),
      ``"newton"``, ``"lbfgs"`` (L-BFGS, memory 10), ``"cd"`` (coordinate descent,
      glmnet's algorithm), ``"gd"`` (gradient descent, the original; proximal gradient
      for an L1 part) or ``"sgd"``.
      Which fits which penalty is chapter 15's ``SOLVER_TABLE``.
    - ``penalty``: ``"l2"``, ``"l1"``, ``"elasticnet"`` (with ``l1_ratio`` in [0, 1]) or, for
      two classes, ``"firth"``: Firth's penalized likelihood (chapter 12), with ``reg=0``.
    - ``batch_size``, ``random_state``: mini-batch size and seed for ``solver="sgd"``.
    - ``class_weight``: ``None``, ``"balanced"`` (class k weighs ``n / (K n_k)``) or
      ``{label: weight}``; multiplies any ``sample_weight`` given to ``fit``.
    - ``fast``: ``True`` (the appendix's fast forms) or ``False`` (the reference formulas
      of chapters 4 to 13, end to end: slower, the same fit to rounding).

    A subclass sets ``MAX_CLASSES`` (2, or ``None`` for any number) and supplies
    ``_labels_of`` (the classes and each row's position), ``_problem`` (its problem,
    through chapter 10's seam), ``_store_parameters`` and ``_restore_parameters`` (its
    coefficients' shape), ``_separation_message`` and the predictions.
    """

    MAX_CLASSES: Optional[int] = None

    def __init__(self, lr: float = 0.1, epochs: int = 1000, reg: float = 0.0, *,
                 tol: float = 1e-6, solver: str = "auto", penalty: str = "l2",
                 l1_ratio: Optional[float] = None, batch_size: int = 1,
                 random_state: Optional[int] = None, class_weight: Any = None, fast: bool = True) -> None:
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
        self.fast = fast
        self._checked_params()  # a bad value fails now; the values stay as given (see above)

    def _checked_params(self) -> Dict[str, Any]:
        """The parameters, checked, as plain Python values: what ``fit`` uses."""
        checked = {
            "lr": check_finite_number(self.lr, "lr", minimum=0.0, strict=True),
            "epochs": check_positive_int(self.epochs, "epochs"),
            "reg": check_finite_number(self.reg, "reg", minimum=0.0),
            "tol": check_finite_number(self.tol, "tol", minimum=0.0),
            "solver": check_choice(self.solver, "solver", ("auto",) + SOLVERS),
            "penalty": check_choice(self.penalty, "penalty", MODEL_PENALTIES),
            "l1_ratio": None if self.l1_ratio is None else check_finite_number(self.l1_ratio, "l1_ratio"),
            "batch_size": check_positive_int(self.batch_size, "batch_size"),
            "random_state": check_random_state(self.random_state),
            "class_weight": check_class_weight(self.class_weight),
            "fast": check_flag(self.fast, "fast"),
        }
        _check_firth(checked["penalty"], checked["reg"], checked["l1_ratio"])
        reason = solver_refusal(_solver_of(checked), checked["penalty"], checked["l1_ratio"],
                                n_classes=self.MAX_CLASSES)
        if reason:
            raise ValueError(f"{type(self).__name__}: {reason}")
        return checked

    def saved_params(self) -> Dict[str, Any]:
        """The parameters as a model file keeps them: plain Python values, class weights
        keyed by class position (the file lists the classes, or maps the labels to 0 and 1)."""
        params = self._checked_params()
        if isinstance(params["class_weight"], dict) and hasattr(self, "classes_"):
            params["class_weight"] = class_weight_by_position(params["class_weight"], self.classes_)
        return params

    # ----------------------------------------------------------------- fitting

    def fit(self, X: Any, y: Any, sample_weight: Any = None, *, feature_names: Optional[Sequence[str]] = None,
            progress: Optional[Callable[[int, float], None]] = None) -> "LinearClassifier":
        """Learn ``coef_`` and ``intercept_`` from rows ``X`` and labels ``y``.

        ``X``: rows of numbers, a pandas DataFrame or a NumPy array; ``y``: labels, strings
        or numbers (a list, a Series, an array). ``feature_names`` (optional; default: a
        DataFrame's columns) are used in messages; ``progress(step, J)`` is called once
        per step. Returns ``self``. Warns ``ConvergenceWarning`` if the iteration limit
        came first and ``SeparationWarning`` if the classes are separated (``reg == 0``);
        raises ``DivergenceError`` if the objective blows up, and ``ValueError`` /
        ``TypeError`` for bad data.
        """
        params = self._checked_params()
        classes, positions = self._labels_of(X, y)
        class_weight = class_weight_by_position(params["class_weight"], classes)
        problem = self._problem(X, positions, classes, params, sample_weight=sample_weight,
                                class_weight=class_weight, feature_names=feature_names)
        solver = _solver_of(params, problem)
        result = solve(problem, make_rule(solver, params), epochs=params["epochs"], tol=params["tol"],
                       progress=progress)
        self.classes_: Classes = Classes(classes)
        self._store_parameters(problem, result.theta)
        self.loss_history_: List[float] = result.loss_history
        self.n_iter_: int = result.n_iter
        self.converged_: bool = result.converged
        self.stop_reason_: str = result.stop_reason
        self.grad_max_: float = result.grad_max
        self.n_features_in_: int = problem.n_features
        self.feature_names_in_: List[str] = problem.names
        self.sample_weight_used_: bool = problem.sample_weight is not None
        self.separation_: Optional[Separation] = result.separation
        self._warn_about(result, problem.n_rows, params, solver)
        return self

    def _warn_about(self, result: FitResult, n_rows: int, params: Dict[str, Any], solver: str) -> None:
        """Say what ``solve`` decided about an unfinished fit (this reads; it computes nothing)."""
        if result.stop_reason == "separated":
            warnings.warn(self._separation_message(result.separation, n_rows), SeparationWarning, stacklevel=3)
        elif not result.converged and params["tol"] > 0.0:  # tol = 0 asked for exactly `epochs` steps
            warnings.warn(_convergence_message(result, params, solver), ConvergenceWarning, stacklevel=3)

    # ------------------------------------------------------------ fitted state

    def _check_fitted(self) -> None:
        if not hasattr(self, "coef_"):
            raise NotFittedError(f"this {type(self).__name__} is not fitted yet: call fit(X, y) first")

    def _check_fitted_X(self, X: Any) -> Matrix:
        """``X``'s rows, checked against what ``fit`` saw: as many columns, the same names."""
        self._check_fitted()
        rows = check_matrix(X, "X", n_features=self.n_features_in_)
        check_columns(X, getattr(self, "feature_names_in_", []))
        return rows

    def fitted_state(self) -> Dict[str, Any]:
        """Everything ``fit`` learned that later use depends on, as plain data (for a file).

        ``type(model).from_fitted_state(model.saved_params(), model.fitted_state())``
        rebuilds a model that predicts and summarizes exactly as this one.
        """
        self._check_fitted()
        return dict(self._parameters_state(), feature_names=list(self.feature_names_in_),
                    converged=self.converged_, n_iter=self.n_iter_, stop_reason=self.stop_reason_,
                    grad_max=self.grad_max_, sample_weight_used=self.sample_weight_used_)

    @classmethod
    def from_fitted_state(cls, params: Dict[str, Any], state: Dict[str, Any]) -> Any:
        """A fitted model from ``saved_params()`` (or ``get_params()``) and ``fitted_state()``,
        every field checked.

        Raises ``ValueError`` naming the field: numbers must be finite, counts whole,
        flags true or false, the stop reason a known one, the coefficients of the shape
        the feature names and classes give.
        """
        model = cls(**params)
        model.classes_ = Classes(model._classes_field(state))
        names = check_field(state, "feature_names", list)
        if not names or not all(isinstance(n, str) for n in names):
            raise ValueError("field 'feature_names' must be a non-empty list of strings")
        model.feature_names_in_ = check_feature_names(names, len(names))
        model.n_features_in_ = len(names)
        model._restore_parameters(state)
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

    # -------------------------------------------------- what a subclass supplies

    def _labels_of(self, X: Any, y: Any) -> Tuple[List[Any], List[int]]:
        raise NotImplementedError  # pragma: no cover

    def _problem(self, X: Any, positions: List[int], classes: List[Any], params: Dict[str, Any],
                 **options: Any) -> BaseProblem:
        raise NotImplementedError  # pragma: no cover

    def _store_parameters(self, problem: Any, theta: Sequence[float]) -> None:
        raise NotImplementedError  # pragma: no cover

    def _parameters_state(self) -> Dict[str, Any]:
        raise NotImplementedError  # pragma: no cover

    def _classes_field(self, state: Dict[str, Any]) -> List[Any]:
        raise NotImplementedError  # pragma: no cover

    def _restore_parameters(self, state: Dict[str, Any]) -> None:
        raise NotImplementedError  # pragma: no cover

    def _separation_message(self, separation: Optional[Separation], n_rows: int) -> str:
        raise NotImplementedError  # pragma: no cover


def _solver_of(params: Dict[str, Any], problem: Optional[BaseProblem] = None) -> str:
    """The solver the (checked) parameters ask for, ``"auto"`` resolved by ``auto_solver``
    (by the size of ``problem``, once there is one)."""
    if params["solver"] != "auto":
        return params["solver"]
    if problem is None:
        return auto_solver(params["penalty"], params["l1_ratio"])
    return auto_solver(params["penalty"], params["l1_ratio"], n_features=problem.n_features,
                       n_classes=problem.n_classes)


def make_rule(solver: str, params: Dict[str, Any]) -> BaseRule:
    """The update rule of ``solver`` (not "auto") for the (checked) parameters: ``lr`` for
    gradient descent, with ``batch_size`` and ``random_state`` for SGD; ``penalty`` and
    ``l1_ratio`` choose proximal gradient descent for an L1 part.

    >>> make_rule("gd", {"lr": 0.5, "penalty": "l1", "l1_ratio": None}).name
    'proximal gradient descent'

    Raises ``ValueError`` for a solver that is not in chapter 15's table.
    """
    if solver not in SOLVERS:
        raise ValueError(f"make_rule makes the rules of {', '.join(map(repr, SOLVERS))}, got {solver!r}; "
                         f"resolve 'auto' first (auto_solver)")
    if solver == "newton":
        return Newton()
    if solver == "lbfgs":
        return LBFGS()
    if solver == "sgd":
        return StochasticGradientDescent(params["lr"], params["batch_size"], params["random_state"])
    if solver == "cd":
        return CoordinateDescent()
    if penalty_kind(params["penalty"], params["l1_ratio"]) == "l1":
        return ProximalGradient(params["lr"])
    return GradientDescent(params["lr"])


def _convergence_message(result: FitResult, params: Dict[str, Any], solver: str) -> str:
    """Why the coefficients are not the optimum (``solver`` stopped short), and what to try."""
    unit = "iterations" if solver in ("newton", "cd", "lbfgs") else "epochs"
    advice = []
    if result.scale_note:
        advice.append(f"standardize the features ({result.scale_note})")
    if result.stop_reason == "iteration limit":
        advice.append(f"raise epochs (now {params['epochs']})")
    if solver == "lbfgs":
        advice.append("use solver='newton' (its steps do not depend on the features' scales)")
    elif solver not in ("newton", "cd"):
        advice.append(f"use solver={auto_solver(params['penalty'], params['l1_ratio'])!r}")
    return (f"{solver} stopped ({result.stop_reason}) after {result.n_iter} {unit} with the largest "
            f"gradient component {result.grad_max:.3g} > tol={params['tol']:g}, so the coefficients are "
            f"not the optimum. Try: {'; or '.join(advice)}")


def _check_firth(penalty: str, reg: float, l1_ratio: Optional[float]) -> None:
    """Firth's penalty is its own: no strength to set, no elastic-net mix."""
    if penalty != "firth":
        return
    if reg != 0.0:
        raise ValueError(f"penalty='firth' has its own penalty, (1/2) log det I; leave reg=0 (got reg={reg!r})")
    if l1_ratio is not None:
        raise ValueError(f"l1_ratio={l1_ratio!r} is the elastic net's mix; penalty='firth' has its own "
                         f"penalty, (1/2) log det I: leave l1_ratio out")


def check_choice(value: Any, name: str, choices: Sequence[str]) -> str:
    """``value``, one of ``choices``, or a ``ValueError`` listing them.

    >>> check_choice("newton", "solver", ("auto", "newton"))
    'newton'
    """
    if not isinstance(value, str) or value not in choices:
        raise ValueError(f"{name} must be one of {', '.join(map(repr, choices))}, got {value!r}")
    return value


def check_flag(value: Any, name: str) -> bool:
    """``True`` or ``False`` (NumPy's too), as a Python bool; a ``TypeError`` for anything else."""
    if isinstance(value, bool) or type(value).__name__ == "bool_":
        return bool(value)
    raise TypeError(f"{name} must be True or False, got {value!r} ({type(value).__name__})")


def check_random_state(random_state: Any) -> Optional[int]:
    """``None`` or a whole number (NumPy's too), as a Python int; bools are refused."""
    if random_state is None:
        return None
    if isinstance(random_state, bool) or not isinstance(random_state, numbers.Integral):
        raise TypeError(f"random_state must be None or an int, got {random_state!r}")
    return operator.index(random_state)


def check_class_weight(class_weight: Any) -> Any:
    """``None``, ``"balanced"``, or a dict of positive weights keyed by label (checked against
    the labels in ``fit``)."""
    if class_weight is None or (isinstance(class_weight, str) and class_weight == "balanced"):
        return class_weight
    if not isinstance(class_weight, Mapping):
        raise TypeError(f"class_weight must be None, 'balanced' or a dict {{label: weight}} such as "
                        f"{{0: 1.0, 1: 2.0}}, got {type(class_weight).__name__} {class_weight!r}")
    return {label: check_finite_number(weight, f"class_weight[{label!r}]", minimum=0.0, strict=True)
            for label, weight in class_weight.items()}


def class_weight_by_position(class_weight: Any, classes: Sequence[Any]) -> ClassWeight:
    """Class weights keyed by label, re-keyed by class position (what a problem takes).

    >>> class_weight_by_position({"b": 2.0}, ["a", "b"])
    {1: 2.0}
    """
    if not isinstance(class_weight, dict):
        return class_weight
    position = {label: k for k, label in enumerate(classes)}
    for label in class_weight:
        if label not in position:
            listed = ", ".join(map(repr, classes[:-1])) + " and " + repr(classes[-1])
            raise ValueError(f"class_weight has a weight for class {label!r}, but the classes are {listed}")
    return {position[label]: weight for label, weight in class_weight.items()}

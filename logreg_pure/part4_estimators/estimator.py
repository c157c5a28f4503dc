"""Chapter 17. The estimator conventions, and the base of the two classifiers.

A model has two kinds of state. Its *parameters* are what its user chose when making
it (``LogisticRegression(reg=0.1)``); what it *learned* is set by ``fit`` and ends in
an underscore (``coef_``, ``classes_``). scikit-learn's tools (``clone``,
``cross_val_score``, ``GridSearchCV``, ``Pipeline``) rely on a few rules about the
two, and a library that follows them works inside those tools without importing
them. The rules, as this chapter keeps them:

- ``__init__`` stores each parameter unchanged under its own name, and does nothing
  else: ``clone`` rebuilds a model as ``type(m)(**m.get_params())`` and checks that
  every parameter came back as the very same object, and scikit-learn's tools build
  and re-parameterize models freely before fitting them. ``fit`` checks the
  parameters (one table of checks, ``_checked_params``) and uses the checked,
  converted values; ``check_params()`` runs the same checks without fitting.
- ``get_params(deep=True)`` returns the parameters by name; ``set_params(**params)``
  refuses a name that is not a parameter and returns the model.
- ``fit(X, y)`` returns the model. A classifier accepts any labels, strings or
  numbers, and stores the distinct ones, sorted, as ``classes_``; with two classes
  the second is class 1, the one whose probability the model gives. ``predict``
  answers in those labels and ``score(X, y)`` is the accuracy. (Labels 0 and 1, of
  any type, are the classes ``[0, 1]``: the predictions are then the ints 0 and 1.)
- ``n_features_in_`` and ``feature_names_in_``: the number and the names of the
  columns seen by ``fit`` (a pandas DataFrame's ``columns``, or ``x0, x1, ...``),
  checked again by every method that takes ``X``.
- ``predict_proba(X)`` has one column per class, in the order of ``classes_``, for
  two classes too; the chapters' own question, ``P(y = 1 | x)``, is ``probability(X)``.
- scikit-learn 1.6 and later asks ``__sklearn_tags__()`` what kind of estimator an
  object is; ``estimator_tags()`` is the answer as a plain table with the fields of
  scikit-learn's ``Tags``, handed over as scikit-learn's own ``Tags`` objects (which
  it insists on) when scikit-learn is the one asking. Earlier versions read the class
  attribute ``_estimator_type``.

**The door: arrays in, arrays out.** The chapters compute with lists. When ``X`` is a
NumPy array or a pandas DataFrame or Series, the answers are NumPy arrays of
scikit-learn's shapes: ``predict`` (n,), ``predict_proba`` (n, K), ``decision_function``
(n,) for two classes and (n, K) for more; a model fit on such data keeps ``coef_`` as
a (1, d) or (K, d) array and ``intercept_`` as a (1,) or (K,) array, and ``classes_``
as an array. With lists in, lists come out, and ``coef_`` is the chapter's ``w``, a list
(K lists for K classes). ``plain_parameters()`` gives the lists either way. NumPy is
never imported: if the caller's data are NumPy's, NumPy is already loaded, and it is
found in ``sys.modules`` (``array_module``). The same goes for the two classes whose
scikit-learn twins its checks test for, ``NotFittedError`` and
``DataConversionWarning`` (``sklearn_class``).

**One family.** ``LogisticRegression`` (chapter 18) and ``SoftmaxRegression`` (chapter
19) are one model, softmax regression, with ``K = 2`` classes and with any K. What they
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

import dataclasses
import inspect
import numbers
import operator
import sys
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
    check_sample_weight,
)
from ..part1_mathematics.errors import ConvergenceWarning, DataConversionWarning, NotFittedError, SeparationWarning
from ..part1_mathematics.linalg import check_matrix_memory
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

__all__ = ["EXPECTED_FAILED_CHECKS", "Classes", "Classifier", "Estimator", "LinearClassifier", "MODEL_PENALTIES", "array_module", "make_rule",
           "sklearn_class", "sklearn_tags"]

MODEL_PENALTIES = PENALTIES + ("firth",)  # Firth's penalized likelihood (chapter 12)

# The checks of scikit-learn's check_estimator that the default models fail on purpose, and why
# (tests/test_interop_checks.py runs the checks; the guide's python.md page gives the reasons too).
EXPECTED_FAILED_CHECKS: Dict[str, str] = {
    "check_sample_weight_equivalence_on_dense_data": (
        "the default is the unpenalized maximum-likelihood fit (reg=0, as statsmodels' Logit and R's "
        "glm), and the check fits 15 rows of 30 features: with more parameters than rows the estimate "
        "does not exist (the Hessian is singular, and fit says so: SingularMatrixError, set reg > 0), so "
        "there is no fit for weighted and repeated rows to agree on. With reg > 0 the check passes"),
}


def sklearn_tags(estimator_type: str, *, multi_class: bool = False,
                 expected_failed_checks: Optional[Dict[str, str]] = None) -> SimpleNamespace:
    """The answer to scikit-learn's ``__sklearn_tags__()``: its ``Tags`` fields, as plain data.

    ``estimator_type`` is ``"classifier"`` or ``"transformer"``. Input is a 2-d table
    of finite numbers (no NaN, no sparse matrices); a classifier needs ``y`` and
    separates two classes, or any number with ``multi_class``. One field is ours:
    ``expected_failed_checks``, the checks of scikit-learn's ``check_estimator`` the
    estimator fails on purpose, each with the reason (scikit-learn takes them as
    ``check_estimator``'s argument of that name; its ``Tags`` have no such field).

    >>> tags = sklearn_tags("classifier")
    >>> tags.estimator_type, tags.target_tags.required, tags.input_tags.allow_nan
    ('classifier', True, False)
    """
    classifier = estimator_type == "classifier"
    return SimpleNamespace(
        expected_failed_checks=dict(expected_failed_checks or {}),
        estimator_type=estimator_type,
        target_tags=SimpleNamespace(required=classifier, one_d_labels=False, two_d_labels=False,
                                    positive_only=False, multi_output=False, single_output=True),
        transformer_tags=None if classifier else SimpleNamespace(preserves_dtype=[]),
        classifier_tags=SimpleNamespace(poor_score=False, multi_class=multi_class, multi_label=False)
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


def in_sklearn_terms(tags: SimpleNamespace) -> Any:
    """``tags`` as scikit-learn's own ``Tags`` (its checks test the classes), when
    ``sklearn.utils`` is loaded; else as they are. Fields its classes lack are left out."""
    utils = sys.modules.get("sklearn.utils")
    if utils is None or not hasattr(utils, "Tags"):
        return tags
    parts = {"target_tags": "TargetTags", "transformer_tags": "TransformerTags", "input_tags": "InputTags",
             "classifier_tags": "ClassifierTags", "regressor_tags": "RegressorTags"}
    fields = {name: _dataclass_of(getattr(utils, parts[name]), value) if name in parts and value is not None
              else value for name, value in vars(tags).items()}
    return _dataclass_of(utils.Tags, SimpleNamespace(**fields))


def _dataclass_of(kind: Any, table: SimpleNamespace) -> Any:
    """``kind(**fields)`` from the fields of ``table`` that ``kind`` has."""
    names = {field.name for field in dataclasses.fields(kind)}
    return kind(**{name: value for name, value in vars(table).items() if name in names})


_BOTH: Dict[Tuple[type, type], type] = {}


def sklearn_class(ours: type, module: str, name: str) -> type:
    """``ours``, or, when scikit-learn's ``module`` is loaded and has a class ``name`` of
    the same meaning, a subclass of both: an ``except`` for either catches it, and
    scikit-learn's checks see their own class. Nothing is imported.

    >>> sklearn_class(NotFittedError, "no.such.module", "NotFittedError") is NotFittedError
    True
    """
    theirs = getattr(sys.modules.get(module), name, None)
    if not isinstance(theirs, type) or issubclass(ours, theirs):
        return ours
    if (ours, theirs) not in _BOTH:
        _BOTH[(ours, theirs)] = type(ours.__name__, (ours, theirs), {"__module__": ours.__module__,
                                                                      "__doc__": ours.__doc__})
    return _BOTH[(ours, theirs)]


def array_module(X: Any) -> Any:
    """NumPy, if ``X`` is a NumPy array or a pandas DataFrame or Series; else ``None``.

    Looked up in ``sys.modules``, never imported: an array exists only once NumPy is
    loaded. Lists, tuples and other sequences answer ``None``: lists in, lists out.

    >>> array_module([[1.0, 2.0]]) is None
    True
    """
    numpy = sys.modules.get("numpy")
    if numpy is None or type(X) is list or type(X) is tuple:
        return None
    if isinstance(X, numpy.ndarray):
        return numpy
    pandas = sys.modules.get("pandas")
    if pandas is not None and isinstance(X, (pandas.DataFrame, pandas.Series)):
        return numpy
    return None


def as_given(X: Any, values: Any) -> Any:
    """``values`` (lists) as a NumPy array if ``X`` is NumPy's or pandas' (``array_module``), else as they are."""
    numpy = array_module(X)
    return values if numpy is None else numpy.asarray(values)


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

        A name that is not a parameter raises ``ValueError`` and changes nothing; the
        values are checked by ``fit`` (scikit-learn's rule: a search may set a value
        that only another parameter makes valid).
        """
        names = self._parameter_names()
        unknown = sorted(set(params) - set(names))
        if unknown:
            raise ValueError(f"{type(self).__name__} has no parameter {unknown[0]!r}; "
                             f"its parameters are {', '.join(names)}")
        for name, value in params.items():
            setattr(self, name, value)
        return self

    def __repr__(self) -> str:
        inside = ", ".join(f"{key}={value!r}" for key, value in self.get_params().items())
        return f"{type(self).__name__}({inside})"

    def estimator_tags(self) -> SimpleNamespace:
        """What kind of estimator this is, as plain data (``sklearn_tags``)."""
        return sklearn_tags(self._estimator_type)

    def __sklearn_tags__(self) -> Any:
        return in_sklearn_terms(self.estimator_tags())


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
        """``classes_`` as a list (a NumPy array's as Python values); a model whose
        coefficients were set by hand, without ``fit``, has the classes 0 and 1."""
        classes = getattr(self, "classes_", [0, 1])
        return classes if type(classes) is list else list(classes.tolist())

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

    Parameters (stored as given; checked by ``fit`` and ``check_params``):

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
    ``_check_class_count`` (how many classes it takes), ``_problem`` (its problem,
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

    def check_params(self) -> "LinearClassifier":
        """Check the parameters as ``fit`` will, without fitting; returns ``self``.

        ``LogisticRegression(reg=-1).check_params()`` raises the ``ValueError`` that ``fit``
        would (the command line calls this before reading any data).
        """
        self._checked_params()
        return self

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
        _check_l1_strength(checked["penalty"], checked["reg"])
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
        classes, positions = self._labels_of(X, _flat_labels(y, type(self).__name__))
        _check_weighted_classes(positions, sample_weight, classes)
        class_weight = class_weight_by_position(params["class_weight"], classes)
        problem = self._problem(X, positions, classes, params, sample_weight=sample_weight,
                                class_weight=class_weight, feature_names=feature_names)
        result, solver = _solve(problem, params, progress)
        self.classes_: Any = Classes(classes)
        self._store_parameters(problem, result.theta)
        numpy = array_module(X)
        if numpy is not None:  # the door: a model fit on arrays keeps scikit-learn's shapes
            self._store_arrays(numpy)
        self.loss_history_: List[float] = result.loss_history
        self.n_iter_: int = result.n_iter
        self.converged_: bool = result.converged
        self.stop_reason_: str = result.stop_reason
        self.grad_max_: float = result.grad_max
        self.n_features_in_: int = problem.n_features
        self.feature_names_in_: List[str] = problem.names
        self.sample_weight_used_: bool = problem.sample_weight is not None
        self.n_rows_: int = problem.n_rows  # n and S: what other libraries' settings depend on
        self.total_weight_: float = problem.total_weight
        self.sample_weight_given_: bool = sample_weight is not None
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
            error = sklearn_class(NotFittedError, "sklearn.exceptions", "NotFittedError")
            raise error(f"this {type(self).__name__} is not fitted yet: call fit(X, y) first")

    def _check_fitted_X(self, X: Any) -> Matrix:
        """``X``'s rows, checked against what ``fit`` saw: as many columns, the same names."""
        self._check_fitted()
        rows = check_matrix(X, "X", n_features=self.n_features_in_, owner=type(self).__name__)
        check_columns(X, getattr(self, "feature_names_in_", []))
        return rows

    def _labels_of(self, X: Any, y: Any) -> Tuple[List[Any], List[int]]:
        """The labels of ``y``, sorted (the classes), and each row's class position; a bad
        ``X`` is reported first, as by every other door."""
        try:
            classes, positions = check_classes(y)
            _refuse_continuous(classes)
            self._check_class_count(classes)
            return classes, positions
        except (TypeError, ValueError) as error:
            wrong_y = error
        check_matrix(X, "X")
        raise wrong_y

    def plain_parameters(self) -> Tuple[Any, Any]:
        """``(coef_, intercept_)`` as the chapters write them, plain Python lists and floats,
        whatever kind ``fit`` stored them as (the door keeps arrays for a fit on arrays)."""
        self._check_fitted()
        coef, intercept = _as_lists(self.coef_), _as_lists(self.intercept_)
        if self.MAX_CLASSES == 2 and isinstance(intercept, list):  # a binary model's arrays of one row
            coef, intercept = coef[0], intercept[0]
        return coef, intercept

    def _store_arrays(self, numpy: Any) -> None:
        """The fitted state in scikit-learn's shapes: ``coef_`` (1, d) or (K, d), ``intercept_``
        (1,) or (K,), ``classes_`` an array."""
        coef, intercept = self.plain_parameters()
        binary = self.MAX_CLASSES == 2
        self.coef_ = numpy.asarray([coef] if binary else coef)
        self.intercept_ = numpy.asarray([intercept] if binary else intercept)
        self.classes_ = numpy.asarray(self._known_classes())

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
        model = cls(**params).check_params()
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

    def _check_class_count(self, classes: List[Any]) -> None:
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


def _as_lists(value: Any) -> Any:
    """A NumPy array's values as Python lists and numbers (``tolist``); lists as they are."""
    return value.tolist() if callable(getattr(value, "tolist", None)) and type(value) is not list else value


def _flat_labels(y: Any, owner: str) -> Any:
    """``y``, or a NumPy column of labels (shape (n, 1)) as the flat array it holds, with a
    ``DataConversionWarning`` (scikit-learn's, when it is loaded). ``None`` is refused."""
    if y is None:
        raise ValueError(f"{owner} requires y to be passed, but the target y is None: give the labels, "
                         f"one per row of X")
    shape = getattr(y, "shape", None)
    if isinstance(shape, tuple) and len(shape) == 2 and shape[1] == 1 and callable(getattr(y, "ravel", None)):
        warnings.warn(sklearn_class(DataConversionWarning, "sklearn.exceptions", "DataConversionWarning")(
            "A column-vector y was passed when a 1d array was expected: it was read as its one column; "
            "pass y.ravel() to say so"), stacklevel=3)
        return y.ravel()
    return y


def _refuse_continuous(classes: List[Any]) -> None:
    """A label with a fractional part (0.37) is a measurement, not a class: scikit-learn's
    "continuous" target, refused in its words."""
    fractional = [c for c in classes if isinstance(c, float) and not c.is_integer()]
    if fractional:
        raise ValueError(f"Unknown label type: continuous. y holds {fractional[0]!r}, a number with a "
                         f"fractional part, among {len(classes)} distinct values: a classifier's labels are "
                         f"classes; predict a number with a regression, or recode y into classes")


def _check_weighted_classes(positions: List[int], sample_weight: Any, classes: List[Any]) -> None:
    """Refuse weights that leave one class only: with the others weighted 0 there is
    nothing to separate."""
    weights = check_sample_weight(sample_weight, len(positions))
    if weights is None:
        return
    present = sorted({k for k, s in zip(positions, weights) if s > 0.0})
    if len(present) == 1:
        raise ValueError(f"sample_weight leaves only one class ({classes[present[0]]!r}) with a positive "
                         f"weight; fitting needs examples of two classes: weigh some rows of another class")


def _solver_of(params: Dict[str, Any], problem: Optional[BaseProblem] = None) -> str:
    """The solver the (checked) parameters ask for, ``"auto"`` resolved by ``auto_solver``
    (by the size of ``problem``, once there is one)."""
    if params["solver"] != "auto":
        return params["solver"]
    if problem is None:
        return auto_solver(params["penalty"], params["l1_ratio"])
    return auto_solver(params["penalty"], params["l1_ratio"], n_features=problem.n_features,
                       n_classes=problem.n_classes)


def _solve(problem: BaseProblem, params: Dict[str, Any], progress: Any) -> Tuple[FitResult, str]:
    """Fit ``problem`` by the solver the parameters ask for, and say which one answered.

    ``solver="auto"`` promises a default that works: where it chose L-BFGS (a large
    problem) and L-BFGS stopped short of the optimum (badly scaled columns slow it), the
    fit goes on from where it stopped by Newton's method, whose steps do not depend on the
    columns' scales, unless its Hessian would not fit in memory."""
    solver = _solver_of(params, problem)
    result = solve(problem, make_rule(solver, params), epochs=params["epochs"], tol=params["tol"],
                   progress=progress)
    if params["solver"] != "auto" or solver != "lbfgs" or result.converged or result.stop_reason == "separated":
        return result, solver
    try:
        check_matrix_memory(len(result.theta), "Newton's method", "")
    except ValueError:  # too large for a Hessian: L-BFGS's answer stands, with its warning
        return result, solver
    finish = solve(problem, Newton(), epochs=params["epochs"], tol=params["tol"], progress=progress,
                   start=result.theta)
    history = result.loss_history + finish.loss_history[1:]
    return dataclasses.replace(finish, loss_history=history, n_iter=result.n_iter + finish.n_iter), "newton"


def make_rule(solver: str, params: Dict[str, Any]) -> BaseRule:
    """The update rule of ``solver`` (not "auto") for the (checked) parameters: ``lr`` for
    gradient descent, with ``batch_size`` and ``random_state`` for SGD; ``penalty`` and
    ``l1_ratio`` choose proximal gradient descent for an L1 part.

    >>> make_rule("gd", {"lr": 0.5, "penalty": "l1", "l1_ratio": None}).name
    'proximal gradient descent'

    Raises ``ValueError`` for a solver that is not in chapter 15's table.
    """
    if not isinstance(solver, str) or solver not in SOLVERS:
        raise ValueError(f"make_rule makes the rules of {', '.join(map(repr, SOLVERS))}, got {solver!r}; "
                         f"resolve 'auto' first (auto_solver)")
    if solver == "newton":
        return Newton()
    if solver == "lbfgs":
        return LBFGS()
    if solver == "cd":
        return CoordinateDescent()
    lr = check_finite_number(_rule_parameter(solver, params, "lr"), "params['lr']", minimum=0.0, strict=True)
    if solver == "sgd":
        return StochasticGradientDescent(lr, check_positive_int(_rule_parameter(solver, params, "batch_size"),
                                                                "params['batch_size']"),
                                         check_random_state(_rule_parameter(solver, params, "random_state")))
    if penalty_kind(_rule_parameter(solver, params, "penalty"), _rule_parameter(solver, params, "l1_ratio")) == "l1":
        return ProximalGradient(lr)
    return GradientDescent(lr)


def _rule_parameter(solver: str, params: Any, key: str) -> Any:
    """``params[key]``, or an error that names the key and where the parameters come from."""
    if not isinstance(params, dict):
        raise TypeError(f"make_rule's params must be a dict of the estimator's parameters, got {params!r}")
    if key not in params:
        raise ValueError(f"make_rule({solver!r}, params) needs params[{key!r}]; the estimators' checked "
                         f"parameters (check_params) hold it")
    return params[key]


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
    measure = ("gradient component" if penalty_kind(params["penalty"], params["l1_ratio"], params["reg"]) != "l1"
               else "violation of the optimality conditions")  # an L1 part has no gradient at 0
    return (f"{solver} stopped ({result.stop_reason}) after {result.n_iter} {unit} with the largest "
            f"{measure} {result.grad_max:.3g} > tol={params['tol']:g}, so the coefficients are "
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


def _check_l1_strength(penalty: str, reg: float) -> None:
    """An L1 or elastic-net penalty asked for by name needs a strength: with ``reg=0`` it
    is no penalty at all, and the flag would be silently without effect (some solvers
    refused it, others fitted the unpenalized model)."""
    if penalty in ("l1", "elasticnet") and reg == 0.0:
        raise ValueError(f"penalty={penalty!r} with reg=0 is no penalty at all (reg is its strength); give "
                         f"reg > 0, or leave penalty out for the unpenalized fit")


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

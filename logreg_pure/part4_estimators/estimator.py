"""Chapter 17. The estimator conventions: what a model object promises the code around it.

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
"""

import inspect
from types import SimpleNamespace
from typing import Any, Dict, List, Optional, Sequence

from ..part1_mathematics.checks import check_classes

__all__ = ["Classes", "Classifier", "Estimator", "sklearn_tags"]


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

"""Hypothesis strategies named after the domains of the mathematics.

Each strategy draws only where the law under test holds: finite floats, never NaN;
probabilities strictly inside (0, 1); datasets whose shapes agree and whose labels
hold both classes.
"""

import itertools

from hypothesis import settings, strategies as st

EPS = 2.0 ** -52  # machine epsilon: the spacing of floats just above 1.0


def at_most(n):
    """Settings for a slow law: n examples, or the profile's number if that is fewer.

    The quick default profile (8 examples) then runs every law at most 8 times; the
    thorough ci profile (200) runs this law n times, the number its author chose."""
    return settings(max_examples=min(n, settings.default.max_examples))


def at_least(n):
    """Settings for a cheap law that guards a mutant-prone chapter: n examples, or the
    profile's number if that is more. A kill that depends on the draw needs enough
    draws: the mutant catalogue's kill check gives every mutant at least 50
    (tests/mutants.py), and so do these laws, whatever the profile."""
    return settings(max_examples=max(n, settings.default.max_examples))


def finite_floats(max_abs=None):
    """Any finite float (or those with |v| <= max_abs)."""
    if max_abs is None:
        return st.floats(allow_nan=False, allow_infinity=False)
    return st.floats(min_value=-max_abs, max_value=max_abs, allow_nan=False, allow_infinity=False)


def logits(max_abs=None):
    """Log-odds: any finite real number, or those in [-max_abs, max_abs]."""
    return finite_floats(max_abs)


def probabilities():
    """Probabilities strictly between 0 and 1, subnormal ones included."""
    return st.floats(min_value=0.0, max_value=1.0, exclude_min=True, exclude_max=True)


def labels():
    """One 0/1 label, as a float."""
    return st.sampled_from([0.0, 1.0])


def features(max_abs=5.0):
    """One feature value of moderate size: the scale standardized data have."""
    return st.floats(min_value=-max_abs, max_value=max_abs, allow_nan=False,
                     allow_infinity=False, allow_subnormal=False)


@st.composite
def datasets(draw, min_rows=2, max_rows=12, min_features=1, max_features=3, max_abs=5.0):
    """``(X, y)``: an n x d matrix of moderate features and 0/1 labels with both classes."""
    n = draw(st.integers(min_rows, max_rows))
    d = draw(st.integers(min_features, max_features))
    X = draw(st.lists(st.lists(features(max_abs), min_size=d, max_size=d), min_size=n, max_size=n))
    y = draw(st.lists(labels(), min_size=n, max_size=n).filter(lambda ys: 0.0 in ys and 1.0 in ys))
    return X, y


@st.composite
def parameters(draw, d, max_abs=3.0):
    """``(w, b)``: weights for d features and an intercept."""
    w = draw(st.lists(features(max_abs), min_size=d, max_size=d))
    b = draw(features(max_abs))
    return w, b


@st.composite
def problems(draw, with_reg=True, **dataset_options):
    """``(X, y, w, b, reg)``: a dataset, a point in parameter space and a penalty."""
    X, y = draw(datasets(**dataset_options))
    w, b = draw(parameters(len(X[0])))
    reg = draw(st.sampled_from([0.0, 0.1, 1.0])) if with_reg else 0.0
    return X, y, w, b, reg


@st.composite
def separable_datasets(draw, min_rows=2, max_rows=12, max_features=3):
    """``(X, y)`` split by a hyperplane with margin: ``y = 1`` exactly where ``u . x + c >= 1``.

    Rows with ``|u . x + c| < 1`` are pushed out along ``u`` so that every row is at
    distance at least ``1 / ||u||`` from the boundary: a clear, not a marginal, split.
    """
    d = draw(st.integers(1, max_features))
    u = draw(st.lists(st.floats(0.5, 2.0), min_size=d, max_size=d))
    signs = draw(st.lists(st.sampled_from([-1.0, 1.0]), min_size=d, max_size=d))
    u = [s * v for s, v in zip(signs, u)]
    c = draw(st.floats(-1.0, 1.0))
    n = draw(st.integers(min_rows, max_rows))
    X, y = [], []
    uu = sum(v * v for v in u)
    for _ in range(n):
        x = draw(st.lists(features(3.0), min_size=d, max_size=d))
        score = sum(ui * xi for ui, xi in zip(u, x)) + c
        if abs(score) < 1.0:
            side = 1.0 if score >= 0 else -1.0
            shift = (side * 1.0 - score) / uu
            x = [xi + shift * ui for xi, ui in zip(x, u)]
            score = side
        X.append(x)
        y.append(1.0 if score > 0 else 0.0)
    if 0.0 not in y or 1.0 not in y:  # make sure both classes appear
        x = [-(1.0 + c) * ui / uu if y[0] == 1.0 else (1.0 - c) * ui / uu for ui in u]
        X.append(x)
        y.append(1.0 - y[0])
    return X, y


@st.composite
def overlapping_datasets(draw, max_rows=10, max_features=2):
    """``(X, y)`` whose maximum-likelihood estimate exists and is unique.

    The origin and each unit vector appear with both labels: d + 1 affinely
    independent points that no hyperplane can put on their correct sides, so the
    data are not even quasi-separable; random extra rows follow.
    """
    d = draw(st.integers(1, max_features))
    anchors = [[0.0] * d] + [[1.0 if j == k else 0.0 for j in range(d)] for k in range(d)]
    X = [a for a in anchors for _ in (0, 1)]
    y = [label for _ in anchors for label in (0.0, 1.0)]
    extra = draw(st.integers(0, max_rows))
    for _ in range(extra):
        X.append(draw(st.lists(features(3.0), min_size=d, max_size=d)))
        y.append(draw(st.sampled_from([0.0, 1.0])))
    return X, y


@st.composite
def scored_labels(draw, min_size=2, max_size=30, distinct=20):
    """``(y, scores)``: 0/1 labels with both classes and scores drawn from a small set
    of values, so that ties are common."""
    n = draw(st.integers(min_size, max_size))
    y = draw(st.lists(labels(), min_size=n, max_size=n).filter(lambda ys: 0.0 in ys and 1.0 in ys))
    scores = draw(st.lists(st.integers(0, distinct).map(lambda k: k / distinct), min_size=n, max_size=n))
    return y, scores


@st.composite
def separable_datasets_with_ignored_rows(draw, max_rows=8, max_ignored=3):
    """``(X, y, sample_weight)``: separable rows of weight 1 (see ``separable_datasets``)
    with up to ``max_ignored`` rows of weight 0 inserted anywhere, with any features
    and either label, so that they may lie on the wrong side."""
    X, y = draw(separable_datasets(max_rows=max_rows))
    d = len(X[0])
    rows = [(x, label, 1.0) for x, label in zip(X, y)]
    for _ in range(draw(st.integers(1, max_ignored))):
        extra = (draw(st.lists(features(3.0), min_size=d, max_size=d)), draw(labels()), 0.0)
        rows.insert(draw(st.integers(0, len(rows))), extra)
    return [r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows]


@st.composite
def class_weights(draw, low=0.25, high=4.0):
    """A ``class_weight`` dict: a positive weight for class 0, for class 1, or for both."""
    classes = draw(st.sampled_from([(0,), (1,), (0, 1)]))
    return {c: draw(st.floats(low, high)) for c in classes}


def integer_weights(n, max_weight=3):
    """``n`` whole-number sample weights from 1 to ``max_weight``."""
    return st.lists(st.integers(1, max_weight).map(float), min_size=n, max_size=n)


def grid_probabilities(steps=20):
    """Probabilities on the grid 0, 1/steps, ..., 1 (ends included): ties are common."""
    return st.integers(0, steps).map(lambda k: k / steps)


@st.composite
def predicted_labels(draw, min_size=1, max_size=20):
    """``(y_true, y_pred)``: two equally long lists of 0/1 labels, any mix."""
    n = draw(st.integers(min_size, max_size))
    return (draw(st.lists(st.sampled_from([0, 1]), min_size=n, max_size=n)),
            draw(st.lists(st.sampled_from([0, 1]), min_size=n, max_size=n)))


@st.composite
def labelled_probabilities(draw, min_size=1, max_size=20, steps=20):
    """``(y_true, y_prob)``: 0/1 labels and probabilities on a grid (ties, 0 and 1 included)."""
    n = draw(st.integers(min_size, max_size))
    return (draw(st.lists(st.sampled_from([0, 1]), min_size=n, max_size=n)),
            draw(st.lists(grid_probabilities(steps), min_size=n, max_size=n)))


@st.composite
def weighted_datasets(draw, **dataset_options):
    """``(X, y, sample_weight)``: a dataset (see ``datasets``) with whole-number sample
    weights from 1 to 3, or ``None`` (every weight 1)."""
    X, y = draw(datasets(**dataset_options))
    weights = draw(st.one_of(st.none(), integer_weights(len(X))))
    return X, y, weights


@st.composite
def factorial_datasets(draw, max_features=3, max_copies=3):
    """``(X, y)`` on a balanced two-level factorial design: every pattern of d signs
    +-1 appears the same number of times, so the columns are centred and uncorrelated
    (orthogonal); the labels are anything with both classes."""
    d = draw(st.integers(1, max_features))
    copies = draw(st.integers(1, max_copies))
    X = [list(pattern) for pattern in itertools.product([-1.0, 1.0], repeat=d) for _ in range(copies)]
    y = draw(st.lists(st.sampled_from([0.0, 1.0]), min_size=len(X), max_size=len(X))
             .filter(lambda ys: 0.0 in ys and 1.0 in ys))
    return X, y


@st.composite
def class_datasets(draw, min_classes=2, max_classes=3, max_rows=10, max_features=2, max_abs=3.0):
    """``(X, y)``: rows of moderate features and class indices 0..K-1, every class present
    (K from ``min_classes`` to ``max_classes``)."""
    K = draw(st.integers(min_classes, max_classes))
    d = draw(st.integers(1, max_features))
    n = draw(st.integers(K + 1, max(K + 1, max_rows)))
    X = draw(st.lists(st.lists(features(max_abs), min_size=d, max_size=d), min_size=n, max_size=n))
    y = list(range(K)) + draw(st.lists(st.integers(0, K - 1), min_size=n - K, max_size=n - K))
    return X, y

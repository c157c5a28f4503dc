"""Appendix A. The fast path: the same formulas, arranged for the interpreter.

Chapters 1 to 12 state each formula in its plainest form. This appendix computes the
same quantities faster, and each piece is tested equal to its reference (to
rounding). Nothing here is new mathematics; it is what a pure-Python program must do
to come within a small factor of what the interpreter can do at all.

- ``fast_dot``: the dot product without a length check (the data were checked once,
  at the door), by whatever this interpreter does fastest: ``math.sumprod`` on CPython
  3.12+ (one C loop, extended precision), ``sum(map(operator.mul, a, b))`` on older
  CPythons, and a plain index loop on PyPy, whose JIT compiles it to machine code.
- ``loss_and_residuals``: each row's loss and its ``p - y`` from one shared
  ``exp(-|z|)``, in one plain loop.
- ``column_gradient``: ``X^T r`` as one dot product per column of a transpose made
  once per fit, instead of one small vector per row.
- ``column_hessian``: ``X1^T W X1`` from column products, using its symmetry.
- ``softmax_loss_and_residuals`` and ``block_hessian``: the same for K classes
  (chapter 6): one pass over the rows for every class's loss and ``p_k - y_k``,
  and the Hessian's blocks from column products.
- ``curvature_weights``: ``s_i p_i (1 - p_i) / S`` from one ``exp(-|z|)`` per row.
- ``column_hessian_column``: one column of that Hessian, ``X1^T (v * x1_j)``, as one
  dot product per column: what coordinate descent asks for, and only for the weights
  that move; ``block_hessian_column``, the same for K classes.

- ``column_leverages``: Firth's ``h_i = w_i x1_i^T I^{-1} x1_i`` column by column.

**Typed data, chosen per operation (issue 26).** An ``array('d')`` holds a value in 8
bytes where a list holds a 24-byte float object and an 8-byte reference; but every value
read from an array becomes a new float object, so reading one costs more. Measured by
``python benchmarks/bench.py --typed`` (20,000 x 20, best of 9, load average 1.6; the time
on arrays over the time on lists, per product, on CPython 3.8, 3.11, 3.12, 3.13 and PyPy
7.3): the log-odds by rows, ``fast_dot(x_i, w)``, 1.11, 1.24, 1.53, 1.56 and 1.98; the
gradient by columns, ``fast_dot(x_j, r)``, 0.96, 1.21, 1.43, 1.27 and 3.73; a Hessian
column (``v * x_j``, then ``fast_dot``), 0.90, 1.15, 1.29, 1.30 and 3.60.

So the form follows where the data come from. Rows given as lists (the estimators'
door): the log-odds read them as they are, and the columns (``typed_columns``) are
lists sharing the rows' floats, 8 bytes a value like an array and 15 to 43% faster on
CPython 3.11+. A ``ColumnTable`` (the CSV reader's typed columns, chapter 30): its
``array('d')`` columns are used as they are, and the log-odds read one ``array('d')``
per row (``typed_rows``): 11 bytes a value at 20 features, where rows of Python floats
took 32 and more, for products 1.1 to 1.6 times slower. On PyPy the typed form is a
list (``typed``): its list strategies store floats unboxed, 8 bytes a value, and its JIT
reads them 2 to 3.7 times faster than arrays.

``FastProblem`` is ``problem.Problem`` with its questions answered by these;
``FastFirthProblem`` (chapter 12's ``FirthProblem``) and ``FastSoftmaxProblem``
(chapter 11's ``SoftmaxProblem``) likewise. ``FAST_FORMS`` pairs each reference class
with its fast form. No chapter imports this appendix: the package's ``__init__.py``
hands ``FAST_FORMS`` to the seam of chapter 10 (``problem.use_fast_forms``), through
which the chapters make their problems (``make_problem``, ``make_firth_problem``,
``make_softmax_problem``; ``fast=False`` runs the reference formulas instead).
"""

import math
import operator
import platform
from array import array
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple

from ..part1_mathematics.checks import ColumnTable
from ..part1_mathematics.linalg import inverse_spd
from ..part1_mathematics.links import sigmoid, sigmoid_derivative
from ..part1_mathematics.loss import example_loss
from ..part1_mathematics.vectors import Matrix, Vector, total
from ..part2_problem.firth import FirthProblem, information_factor, log_det
from ..part2_problem.problem import Point, Problem
from ..part2_problem.softmax_problem import SoftmaxProblem

# The public door is the seam of chapter 10 (problem.make_problem and its siblings),
# whose problems check their data once. The pieces below take checked data and check nothing.
__all__ = ["FAST_FORMS", "FastFirthProblem", "FastProblem", "FastSoftmaxProblem"]


def _sum_of_products(a: Sequence[float], b: Sequence[float]) -> float:
    """``sum(a_i * b_i)`` by the fastest pure built-in route on CPython before 3.12."""
    return sum(map(operator.mul, a, b))


def _indexed_loop_dot(a: Sequence[float], b: Sequence[float]) -> float:
    """``sum(a_i * b_i)`` as a plain index loop: what PyPy's JIT compiles best."""
    result = 0.0
    for i in range(len(a)):
        result += a[i] * b[i]
    return result


if hasattr(math, "sumprod"):
    fast_dot = math.sumprod
elif platform.python_implementation() == "PyPy":
    fast_dot = _indexed_loop_dot
else:
    fast_dot = _sum_of_products


# PyPy stores a list of floats unboxed, 8 bytes a value like an array('d') (its "list
# strategies"), and its JIT reads such a list 2 to 3.75 times faster than an array
# (bench.py --typed): there the typed form of the data is a list.
ON_PYPY = platform.python_implementation() == "PyPy"


def typed(values: Iterable[float]) -> Sequence[float]:
    """``values`` in the appendix's typed form: an ``array('d')`` (a list on PyPy, above).

    >>> list(typed((1.0, 2.5)))
    [1.0, 2.5]
    """
    return list(values) if ON_PYPY else array("d", values)


def typed_columns(X: Sequence[Sequence[float]]) -> List[Any]:
    """The columns of checked rows ``X``, column-major: a ``ColumnTable``'s own arrays
    (shared, not copied; lists on PyPy), else lists made once from the rows, which share
    the rows' float objects (8 bytes a value, as an array, and faster to read: above).

    >>> typed_columns([[1.0, 2.0], [3.0, 4.0]])
    [[1.0, 3.0], [2.0, 4.0]]
    """
    if isinstance(X, ColumnTable):
        return [list(column) for column in X.arrays] if ON_PYPY else X.arrays
    return [list(column) for column in zip(*X)]


def typed_rows(X: Sequence[Sequence[float]], columns: Sequence[Any]) -> Sequence[Sequence[float]]:
    """The rows the log-odds are read from: the caller's checked lists as they are (the
    fastest form to read, and already in memory), or for a ``ColumnTable`` one typed row
    each, made once from its columns (no row of Python floats is kept).

    >>> typed_rows([[1.0, 2.0]], [])
    [[1.0, 2.0]]
    """
    if isinstance(X, ColumnTable):
        return [typed(row) for row in zip(*columns)]
    return X


def with_ones(columns: Sequence[Any], n: int) -> List[Any]:
    """The columns of ``X1 = [1, X]``: a column of ones (n references to one float), then
    ``columns`` (shared)."""
    return [[1.0] * n] + list(columns)


def loss_and_residuals(z: Sequence[float], y: Sequence[float],
                       sample_weight: Optional[Sequence[float]] = None) -> Tuple[float, Vector]:
    """In one pass: the summed loss ``sum_i s_i (softplus(z_i) - y_i z_i)`` and the
    residuals ``r_i = s_i (sigmoid(z_i) - y_i)``.

    The stable sigmoid and softplus both call ``exp`` on ``-|z|`` only, so one
    ``e = exp(-|z|)`` per row serves both: for ``z >= 0``, ``p = 1 / (1 + e)`` and the
    loss is ``log1p(e) + (1 - y) z``; for ``z < 0``, ``p = e / (1 + e)`` and the loss is
    ``log1p(e) - y z``. Both loss terms are sums of non-negative parts (y is 0 or
    1), so nothing cancels. The probabilities are bit for bit those of
    ``links.sigmoid``; the loss matches ``loss.example_loss`` to rounding.
    A plain loop: on CPython 3.11+ and on PyPy it beats any chain of built-ins.

    >>> loss_and_residuals([0.0, 0.0], [0.0, 1.0]) == (2 * math.log(2.0), [0.5, -0.5])
    True
    """
    exp, log1p = math.exp, math.log1p
    loss = 0.0
    r: List[float] = []
    append = r.append
    for zi, yi in zip(z, y):
        if zi >= 0.0:
            e = exp(-zi)
            loss += log1p(e) + (1.0 - yi) * zi
            append(1.0 / (1.0 + e) - yi)
        else:
            e = exp(zi)
            loss += log1p(e) - yi * zi
            append(e / (1.0 + e) - yi)
    if sample_weight is None:
        return loss, r
    # Weighted fits (the rare case) pay for a second pass over the losses, so that
    # the loop above, run every epoch of every unweighted fit, stays as lean as it is.
    weighted = [si * example_loss(yi, zi) for si, zi, yi in zip(sample_weight, z, y)]
    return total(weighted), [si * ri for si, ri in zip(sample_weight, r)]


def column_gradient(columns: Sequence[Sequence[float]], r: Sequence[float], w: Sequence[float],
                    l2: float, total_weight: float) -> Vector:
    """The gradient ``(sum(r) / S, X^T r / S + l2 w)``, intercept first, column-major.

    ``columns`` is ``transpose(X)``, so each component of ``X^T r`` is a single dot
    product of a column with the residuals, done by one built-in call.

    >>> column_gradient([[1.0, 3.0]], [0.5, -0.5], [0.0], 0.0, 2.0)
    [0.0, -0.5]
    """
    grad_w = [fast_dot(column, r) / total_weight + l2 * wj for column, wj in zip(columns, w)]
    return [total(r) / total_weight] + grad_w


def column_hessian(columns: Sequence[Sequence[float]], z: Sequence[float], l2: float,
                   total_weight: float, sample_weight: Optional[Sequence[float]] = None) -> Matrix:
    """``gradient.hessian`` built from column products, using its symmetry.

    ``H[j][k] = sum_i v_i x1_ij x1_ik / S`` with ``v_i = s_i p_i (1 - p_i)``: for each
    column j the weighted column ``v * x1_j`` is formed once, then dotted with every
    column k >= j; the lower triangle is a copy of the upper.

    >>> column_hessian([[1.0, -1.0]], [0.0, 0.0], 0.0, 2.0)
    [[0.25, 0.0], [0.0, 0.25]]
    """
    v = curvature_weights(z, 1.0, sample_weight)  # s_i p_i (1 - p_i), one exp per row (below)
    x1_columns = with_ones(columns, len(z))  # the columns shared, not copied
    d1 = len(x1_columns)
    H = [[0.0] * d1 for _ in range(d1)]
    for j in range(d1):
        weighted = list(map(operator.mul, v, x1_columns[j]))  # v_i x1_ij, multiplied in C
        for k in range(j, d1):
            H[j][k] = H[k][j] = fast_dot(weighted, x1_columns[k]) / total_weight
    for j in range(1, d1):
        H[j][j] += l2
    return H


def curvature_weights(z: Sequence[float], total_weight: float,
                      sample_weight: Optional[Sequence[float]] = None) -> Vector:
    """``v_i = s_i p_i (1 - p_i) / S`` with one ``e = exp(-|z_i|)`` per row: ``p (1 - p)
    = e / (1 + e)^2`` on both sides of 0 (the function is even), with nothing that can
    overflow or cancel.

    >>> curvature_weights([0.0, 0.0], 2.0)  # p (1 - p) = 1/4, divided by S = 2
    [0.125, 0.125]
    """
    exp = math.exp
    v = []
    append = v.append
    for zi in z:
        e = exp(-zi) if zi >= 0.0 else exp(zi)
        append(e / ((1.0 + e) * (1.0 + e) * total_weight))
    if sample_weight is None:
        return v
    return [si * vi for si, vi in zip(sample_weight, v)]


def column_hessian_column(x1_columns: Sequence[Sequence[float]], v: Sequence[float], j: int, l2: float,
                          among: Sequence[int]) -> Vector:
    """Rows ``among`` of column ``j`` of ``X1^T diag(v) X1 + l2 I_w`` (intercept first): the
    weighted column ``v * x1_j`` formed once (in C), then one dot product per row wanted.
    ``x1_columns`` are the columns of ``X1``: a column of ones, then ``transpose(X)``.

    >>> column_hessian_column([[1.0, 1.0], [1.0, -1.0]], [0.125, 0.125], 1, 0.5, [0, 1])
    [0.0, 0.75]
    """
    weighted = list(map(operator.mul, v, x1_columns[j])) if j > 0 else v
    column = [fast_dot(x1_columns[k], weighted) for k in among]
    if j > 0:
        column = [h + l2 if k == j else h for k, h in zip(among, column)]
    return column


class FastProblem(Problem):
    """``Problem`` with every answer from the fast forms above (tested equal)."""

    def __init__(self, X: Any, y: Any, **options: Any) -> None:
        super().__init__(X, y, **options)
        self.columns = typed_columns(self.X)
        self.x1_columns = with_ones(self.columns, self.n_rows)  # X1's columns, shared with X's
        self.rows = typed_rows(self.X, self.columns)

    def _logits(self, theta: Sequence[float]) -> Vector:
        b, w = theta[0], theta[1:]
        return [fast_dot(x, w) + b for x in self.rows]

    def objective(self, theta: Sequence[float]) -> float:
        data_loss, _ = loss_and_residuals(self._logits(theta), self.y, self.sample_weight)
        return data_loss / self.total_weight + self.penalty_value(theta[1:])

    def at(self, theta: Sequence[float]) -> Point:
        z = self._logits(theta)
        data_loss, r = loss_and_residuals(z, self.y, self.sample_weight)
        J = data_loss / self.total_weight + self.penalty_value(theta[1:])
        return Point(list(theta), z, J, column_gradient(self.columns, r, theta[1:], self.l2, self.total_weight))

    def hessian(self, point: Point) -> Matrix:
        return column_hessian(self.columns, point.z, self.l2, self.total_weight, self.sample_weight)

    def information(self, theta: Sequence[float], z: Optional[Sequence[float]] = None) -> Matrix:
        z = self._logits(theta) if z is None else z
        return column_hessian(self.columns, z, 0.0, 1.0, self.sample_weight)  # S = 1: I itself

    def curvature_weights(self, point: Point) -> Vector:
        return curvature_weights(point.z, self.total_weight, self.sample_weight)

    def hessian_column(self, v: Sequence[float], j: int, among: Optional[Sequence[int]] = None) -> Vector:
        wanted = range(self.n_features + 1) if among is None else among
        return column_hessian_column(self.x1_columns, v, j, self.l2, wanted)

    def batch_gradient(self, theta: Sequence[float], rows: Sequence[int]) -> Vector:
        b, w = theta[0], theta[1:]
        factor = self.n_rows / self.total_weight / len(rows)
        grad_w = [self.l2 * wj for wj in w]
        grad_b = 0.0
        for i in rows:
            x = self.rows[i]
            error = factor * (sigmoid(fast_dot(x, w) + b) - self.y[i])
            if self.sample_weight is not None:
                error *= self.sample_weight[i]
            grad_b += error
            grad_w = [gj + error * xj for gj, xj in zip(grad_w, x)]
        return [grad_b] + grad_w


# ------------------------------------------------------------ K classes (chapters 6 and 11)

def softmax_loss_and_residuals(scores: Sequence[Sequence[float]], y: Sequence[int],
                               sample_weight: Optional[Sequence[float]] = None) -> Tuple[float, Matrix]:
    """In one pass: the summed loss ``sum_i s_i (log sum_l exp(z_il) - z_i,y_i)`` and the
    residuals ``R[k][i] = s_i (p_ik - y_ik)``, one list per class (``s_i`` the row's
    weight, as in chapter 10; ``z_il`` its score for class l, chapter 6's ``s_l``).

    Per row one ``exp`` per class, of ``s_l - m`` (m the largest score), as in
    ``softmax.softmax``; the terms other than the largest are summed apart, so that
    ``log1p`` keeps the loss of a confident right answer (as ``example_softmax_loss``).

    >>> loss, R = softmax_loss_and_residuals([[0.0, 0.0]], [1])
    >>> loss == math.log(2.0), R
    (True, [[0.5], [-0.5]])
    """
    exp, log1p = math.exp, math.log1p
    loss = 0.0
    R: Matrix = [[] for _ in range(len(scores[0]))]
    for i, (s, label) in enumerate(zip(scores, y)):
        m = max(s)
        top = s.index(m)
        e = [exp(v - m) for v in s]
        e[top] = 0.0
        rest = sum(e)
        e[top] = 1.0
        weight = 1.0 if sample_weight is None else sample_weight[i]
        loss += weight * ((m - s[label]) + log1p(rest))
        denominator = 1.0 + rest
        for k, ek in enumerate(e):
            R[k].append(weight * (ek / denominator - (1.0 if k == label else 0.0)))
    return loss, R


def _softmax(s: Sequence[float]) -> Vector:
    """``softmax.softmax`` for checked scores, with a plain sum (tested equal to rounding)."""
    m = max(s)
    e = [math.exp(v - m) for v in s]
    denominator = sum(e)
    return [v / denominator for v in e]


def block_hessian(columns: Sequence[Sequence[float]], P: Sequence[Sequence[float]],
                  free: Sequence[Tuple[int, int]], l2: float, total_weight: float,
                  sample_weight: Optional[Sequence[float]] = None) -> Matrix:
    """``softmax.softmax_hessian`` for the components ``free`` ((class, column) pairs,
    column 0 the intercept), from column products, using its symmetry.

    ``H[(k, j)][(l, m)] = sum_i v_i x1_ij x1_im / S`` with
    ``v_i = s_i p_ik (delta_kl - p_il)``: for each pair of classes v is formed once.

    >>> block_hessian([[1.0, -1.0]], [[0.5, 0.5], [0.5, 0.5]], [(1, 0), (1, 1)], 0.0, 2.0)
    [[0.25, 0.0], [0.0, 0.25]]
    """
    n = len(P)
    x1_columns = with_ones(columns, n)  # the columns shared, not copied
    s = sample_weight or [1.0] * n
    by_class = _components_by_class(free)
    classes = sorted(by_class)
    H = [[0.0] * len(free) for _ in free]
    for position, k in enumerate(classes):
        for l in classes[position:]:
            v = [si * p[k] * ((1.0 if k == l else 0.0) - p[l]) for si, p in zip(s, P)]
            _fill_block(H, v, x1_columns, by_class[k], by_class[l], total_weight)
    for a, (_, j) in enumerate(free):
        if j > 0:
            H[a][a] += l2
    return H


def _components_by_class(free: Sequence[Tuple[int, int]]) -> Dict[int, List[Tuple[int, int]]]:
    """For each class, its components' positions in theta and their columns (0: intercept)."""
    by_class: Dict[int, List[Tuple[int, int]]] = {}
    for a, (k, j) in enumerate(free):  # class-major: each class's components are contiguous
        by_class.setdefault(k, []).append((a, j))
    return by_class


def _fill_block(H: Matrix, v: Sequence[float], x1_columns: Sequence[Sequence[float]],
                rows: Sequence[Tuple[int, int]], cols: Sequence[Tuple[int, int]], total_weight: float) -> None:
    """The block of classes (k, l) on and above the diagonal, mirrored below it."""
    for a, j in rows:
        weighted = list(map(operator.mul, v, x1_columns[j]))
        for b, m in cols:
            if b >= a:
                H[a][b] = H[b][a] = fast_dot(weighted, x1_columns[m]) / total_weight


def block_hessian_column(x1_columns: Sequence[Sequence[float]], v: Sequence[Tuple[float, Vector]],
                         free: Sequence[Tuple[int, int]], a: int, l2: float, among: Sequence[int]) -> Vector:
    """Rows ``among`` of column ``a`` of the K-class Hessian (``SoftmaxProblem.hessian_column``),
    from each row's ``(s_i / S, p_i)``: for column ``a = (l, m)`` and each class k met, the
    weighted column ``s_i / S p_ik (delta_kl - p_il) x1_im`` is formed once, then one dot
    product per row wanted.

    >>> block_hessian_column([[1.0, 1.0], [1.0, -1.0]], [(0.5, [0.5, 0.5])] * 2, [(0, 1), (1, 0), (1, 1)],
    ...                      0, 0.1, [0, 1, 2]) == [0.25 + 0.1, 0.0, -0.25]
    True
    """
    l, m = free[a]
    weighted: Dict[int, Vector] = {}
    column = []
    for b in among:
        k, j = free[b]
        if k not in weighted:
            weighted[k] = [share * p[k] * ((1.0 if k == l else 0.0) - p[l]) * x
                           for (share, p), x in zip(v, x1_columns[m])]
        h = fast_dot(weighted[k], x1_columns[j])
        column.append(h + l2 if b == a and m > 0 else h)
    return column


class FastSoftmaxProblem(SoftmaxProblem):
    """``SoftmaxProblem`` with every answer from the fast forms above (tested equal)."""

    def __init__(self, X: Any, y: Any, **options: Any) -> None:
        super().__init__(X, y, **options)
        self.columns = typed_columns(self.X)
        self.x1_columns = with_ones(self.columns, self.n_rows)
        self.rows = typed_rows(self.X, self.columns)

    def _scores(self, W: Matrix, B: Vector) -> Matrix:
        return [[fast_dot(x, w) + b for w, b in zip(W, B)] for x in self.rows]

    def _penalty(self, W: Matrix) -> float:
        return self.penalty_value([v for w in W for v in w])

    def objective(self, theta: Sequence[float]) -> float:
        W, B = self.unpack(theta)
        data_loss, _ = softmax_loss_and_residuals(self._scores(W, B), self.y, self.sample_weight)
        return data_loss / self.total_weight + self._penalty(W)

    def at(self, theta: Sequence[float]) -> Point:
        W, B = self.unpack(theta)
        scores = self._scores(W, B)
        data_loss, R = softmax_loss_and_residuals(scores, self.y, self.sample_weight)
        S, l2 = self.total_weight, self.l2
        gradient = [total(R[k]) / S if j == 0 else fast_dot(self.columns[j - 1], R[k]) / S + l2 * W[k][j - 1]
                    for k, j in self.free]
        return Point(list(theta), scores, data_loss / S + self._penalty(W), gradient)  # type: ignore[arg-type]

    def hessian(self, point: Point) -> Matrix:
        P = [_softmax(s) for s in point.z]  # type: ignore[arg-type]
        return block_hessian(self.columns, P, self.free, self.l2, self.total_weight, self.sample_weight)

    def information(self, theta: Sequence[float], z: Optional[Matrix] = None) -> Matrix:
        scores = self._scores(*self.unpack(theta)) if z is None else z
        P = [_softmax(s) for s in scores]
        return block_hessian(self.columns, P, self.free, 0.0, 1.0, self.sample_weight)  # S = 1: I itself

    def hessian_column(self, v: Sequence[Tuple[float, Vector]], a: int,
                       among: Optional[Sequence[int]] = None) -> Vector:
        wanted = range(len(self.free)) if among is None else among
        return block_hessian_column(self.x1_columns, v, self.free, a, self.l2, wanted)

    def batch_gradient(self, theta: Sequence[float], rows: Sequence[int]) -> Vector:
        W, B = self.unpack(theta)
        factor = self.n_rows / self.total_weight / len(rows)
        grad = [[self.l2 * v for v in w] for w in W]
        grad_B = [0.0] * self.n_classes
        for i in rows:
            x = self.rows[i]
            p = _softmax([fast_dot(x, w) + b for w, b in zip(W, B)])
            p[self.y[i]] -= 1.0
            weight = factor if self.sample_weight is None else factor * self.sample_weight[i]
            for k, r in enumerate(p):
                grad_B[k] += weight * r
                grad[k] = [g + weight * r * xj for g, xj in zip(grad[k], x)]
        return self.pack(grad, grad_B)




def column_leverages(x1_columns: Sequence[Sequence[float]], v: Sequence[float], inverse: Matrix) -> Vector:
    """Firth's leverages ``h_i = v_i x1_i^T M x1_i`` (``M = I^{-1}``, ``v_i = s_i p_i (1 - p_i)``).

    ``G_k = sum_j M_jk x1_j`` is formed one column at a time, then ``h = v * sum_k G_k * x1_k``.

    >>> column_leverages([[1.0, 1.0], [1.0, -1.0]], [0.25, 0.25], [[2.0, 0.0], [0.0, 2.0]])
    [1.0, 1.0]
    """
    n = len(v)
    quadratic = [0.0] * n
    for k, column_k in enumerate(x1_columns):
        g = [0.0] * n
        for j, column_j in enumerate(x1_columns):
            m = inverse[j][k]
            if m:
                g = [gi + m * xj for gi, xj in zip(g, column_j)]
        quadratic = [q + gi * xk for q, gi, xk in zip(quadratic, g, column_k)]
    return [vi * q for vi, q in zip(v, quadratic)]


class FastFirthProblem(FirthProblem):
    """``FirthProblem`` with every answer from the fast forms above (tested equal)."""

    def __init__(self, X: Any, y: Any, **options: Any) -> None:
        super().__init__(X, y, **options)
        self.columns = typed_columns(self.X)
        self.x1_columns = with_ones(self.columns, self.n_rows)
        self.rows = typed_rows(self.X, self.columns)

    def _logits(self, theta: Sequence[float]) -> Vector:
        b, w = theta[0], theta[1:]
        return [fast_dot(x, w) + b for x in self.rows]

    def information(self, theta: Sequence[float], z: Optional[Sequence[float]] = None) -> Matrix:
        z = self._logits(theta) if z is None else z
        return column_hessian(self.columns, z, 0.0, 1.0, self.sample_weight)  # S = 1: I itself

    def _log_det(self, I: Matrix) -> float:
        return log_det(information_factor(I, self.parameter_names))

    def objective(self, theta: Sequence[float]) -> float:
        z = self._logits(theta)
        data_loss, _ = loss_and_residuals(z, self.y, self.sample_weight)
        return (data_loss - 0.5 * self._log_det(self.information(theta, z))) / self.total_weight

    def _leverages(self, z: Sequence[float], I: Matrix) -> Vector:
        """``h`` at log-odds ``z``, kept for the ``hessian`` of the same point (Newton asks
        for it right after ``at``)."""
        v = [sigmoid_derivative(zi) for zi in z]
        if self.sample_weight is not None:
            v = [si * vi for si, vi in zip(self.sample_weight, v)]
        h = column_leverages(self.x1_columns, v, inverse_spd(I))
        self._last = (z, h)
        return h

    def at(self, theta: Sequence[float]) -> Point:
        z = self._logits(theta)
        data_loss, r = loss_and_residuals(z, self.y, self.sample_weight)
        I = self.information(theta, z)
        J = (data_loss - 0.5 * self._log_det(I)) / self.total_weight
        h = self._leverages(z, I)
        r = [ri + hi * (sigmoid(zi) - 0.5) for ri, hi, zi in zip(r, h, z)]
        grad = column_gradient(self.columns, r, [0.0] * self.n_features, 0.0, self.total_weight)
        return Point(list(theta), z, J, grad)

    def hessian(self, point: Point) -> Matrix:
        last = getattr(self, "_last", None)
        if last is not None and last[0] is point.z:
            h = last[1]
        else:
            h = self._leverages(point.z, self.information(point.theta, point.z))
        boosted = [s + hi for s, hi in zip(self.sample_weight or [1.0] * self.n_rows, h)]
        return column_hessian(self.columns, point.z, 0.0, self.total_weight, boosted)

    def with_penalty(self, reg: float, penalty: str = "l2", l1_ratio: Optional[float] = None) -> Problem:
        return FastProblem(self.X, self.y, reg=reg, penalty=penalty, l1_ratio=l1_ratio,
                           sample_weight=self.sample_weight, feature_names=self.names)


# The fast form of each reference problem, for the seam (problem.use_fast_forms).
FAST_FORMS = {Problem: FastProblem, FirthProblem: FastFirthProblem, SoftmaxProblem: FastSoftmaxProblem}

"""Chapter 27. Beyond one machine: the same fit from blocks of rows, and in other libraries.

Every sum in J, its gradient and its Hessian runs over the rows (chapters 4 to 6):

    J(theta)  = (1/S) sum_i s_i loss_i(theta)  + l1 ||w||_1 + (l2 / 2) ||w||^2,
    grad J    = (1/S) sum_i s_i grad loss_i    + l2 (0, w),
    Hessian   = (1/S) sum_i s_i Hess loss_i    + l2 I_w,          S = sum_i s_i.

A sum over the rows is a sum over any partition of them. Split the rows into blocks
(one per machine); let each block add up its own four sums, its total weight ``S_b``,
loss ``L_b``, gradient ``G_b`` and Hessian ``H_b``; add the blocks' sums; and only then
divide by ``S`` and add the penalty, which depends on ``theta`` alone. A block needs no other
block's rows, and a block of one row, or of none, is still a block (its sums are that
row's terms, or zero). ``block_sums`` is what one machine computes, ``add_blocks`` what
the machines' answers add up to, and ``from_blocks`` the driver's last step: J, its
gradient and its Hessian, which the law of this chapter finds equal to chapter 10's and
11's for every partition of the rows, to rounding.

**What Spark MLlib does with it.** Spark's ``LogisticRegression`` sends ``theta`` to every
partition of the data; each partition's *aggregator* adds its rows into a weight sum, a
loss sum and a gradient sum (``add``, the ``seqOp``), and ``treeAggregate`` merges the
partitions' aggregators in a tree of depth ``aggregationDepth``, 2 by default (``merge``,
the ``combOp``): groups of partitions first, on the executors, then the groups' sums on
the driver, so that the driver does not receive every partition's vector. The driver
then divides by the weight sum (``loss = lossSum / weightSum``: the weighted *mean*, as
here), adds the L2 penalty's value and gradient, and hands both to L-BFGS (Breeze's),
or to OWL-QN when the penalty has an L1 part, which treats ``|w|`` itself as proximal
gradient and coordinate descent do here (chapters 15 and 16). The intercept is never
penalized (``fitIntercept=True``, Spark's default, fits one as here). Spark never forms
the Hessian: its ``(d + 1)^2`` numbers per block are cheap for tens of features and not
for a million, and L-BFGS needs gradients only; Newton's method would add the blocks'
``H_b`` the same way and solve once, on the driver.

Two of Spark's defaults change the problem. ``standardization=True`` (the default)
penalizes each weight in units of its column's standard deviation, ``(w_j sigma_j)^2``,
not ``w_j^2``; ``standardization=False`` penalizes the weights as given (Spark still
scales the columns to converge faster, and scales the penalty back), which is J here.
And ``family="multinomial"`` keeps all K weight vectors with no reference class, as a
penalized ``SoftmaxRegression`` does, and centres the intercepts: with no penalty on
them they are defined only up to a constant, so two K-class fits are compared by their
probabilities.

**The same objective elsewhere.** ``equivalent_settings(model, y, sample_weight)`` gives,
as data, the settings with which scikit-learn, statsmodels, glmnet and Spark MLlib
minimize this J for these labels and weights; ``fit --equivalents`` prints them, and
``translation_table`` is the table of the guide's page on other libraries. Each
library's convention was read in its source: scikit-learn's ``C`` multiplies the *sum*
of the weighted losses (so ``C = 1 / (S reg)``: the weights' total, not n); statsmodels'
``GLM.fit_regularized`` divides the log-likelihood by the number of rows n, whatever the
frequency weights sum to (so ``alpha = reg S / n``); glmnet scales the weights to sum to
n and divides by n (``lambda = reg``); Spark divides by the weight sum
(``regParam = reg``).

Public names: ``BlockSums``, ``block_sums``, ``add_blocks``, ``from_blocks``,
``Equivalent``, ``equivalent_settings``, ``translation_table``.
"""

import math
from typing import Any, Callable, Dict, List, NamedTuple, Sequence, Tuple

from ..part1_mathematics.checks import check_classes, check_sample_weight, check_vector
from ..part1_mathematics.links import sigmoid, sigmoid_derivative
from ..part1_mathematics.loss import example_loss
from ..part1_mathematics.softmax import example_softmax_loss, softmax
from ..part1_mathematics.vectors import Matrix, Vector, dot, total
from ..part2_problem.firth import FirthProblem
from ..part2_problem.problem import BaseProblem, Problem, with_class_weight
from ..part2_problem.softmax_problem import SoftmaxProblem
from ..part4_estimators.estimator import class_weight_by_position

__all__ = ["BlockSums", "Equivalent", "add_blocks", "block_sums", "equivalent_settings", "from_blocks",
           "translation_table"]


class BlockSums(NamedTuple):
    """What one block of rows sends back: its four sums (theta's layout, intercept first)."""

    weight: float  # S_b = sum_i s_i
    loss: float  # L_b = sum_i s_i loss_i
    gradient: Vector  # G_b = sum_i s_i grad loss_i
    hessian: Matrix  # H_b = sum_i s_i Hess loss_i


# ------------------------------------------------------------ one row's terms

RowTerms = Tuple[float, Vector, Matrix]  # s_i loss_i, s_i grad loss_i, s_i Hess loss_i


def _two_class_terms(problem: Problem, theta: Sequence[float]) -> Callable[[int], RowTerms]:
    """Row i's terms for two classes, chapter 5's formulas: ``s (p - y) x1`` and
    ``s p (1 - p) x1 x1^T``, each product in the order chapter 5 takes it."""
    weights = problem.row_weights

    def terms(i: int) -> RowTerms:
        x1, s, y = [1.0] + problem.X[i], weights[i], problem.y[i]
        z = dot(problem.X[i], theta[1:]) + theta[0]
        r, v = sigmoid(z) - y, s * sigmoid_derivative(z)
        return s * example_loss(y, z), [s * (r * a) for a in x1], [[v * a * c for c in x1] for a in x1]

    return terms


def _k_class_terms(problem: SoftmaxProblem, theta: Sequence[float]) -> Callable[[int], RowTerms]:
    """Row i's terms for K classes, chapter 6's formulas, for the free components ``(k, j)``
    only: ``s (p_k - y_k) x1_j`` and ``s p_k (delta_kl - p_l) x1_j x1_m``."""
    W, B = problem.unpack(theta)
    weights = problem.row_weights

    def terms(i: int) -> RowTerms:
        x1, s, label = [1.0] + problem.X[i], weights[i], problem.y[i]
        scores = [b + dot(w, problem.X[i]) for w, b in zip(W, B)]
        p = softmax(scores)
        r = [s * (pk - (1.0 if k == label else 0.0)) for k, pk in enumerate(p)]
        gradient = [r[k] * x1[j] for k, j in problem.free]
        hessian = [[s * p[k] * ((1.0 if k == l else 0.0) - p[l]) * x1[j] * x1[m] for l, m in problem.free]
                   for k, j in problem.free]
        return s * example_softmax_loss(label, scores), gradient, hessian

    return terms


def _row_terms(problem: Any, theta: Sequence[float]) -> Callable[[int], RowTerms]:
    """The function giving each row's terms, for chapter 10's or chapter 11's problem."""
    _check_problem(problem)
    if isinstance(problem, SoftmaxProblem):
        return _k_class_terms(problem, theta)
    return _two_class_terms(problem, theta)


def _check_problem(problem: Any) -> None:
    """A problem whose J is a sum over rows: chapter 10's ``Problem`` or chapter 11's ``SoftmaxProblem``."""
    if isinstance(problem, FirthProblem):
        raise TypeError("Firth's penalty, half the log-determinant of the whole information matrix, is not "
                        "a sum over rows; sum the information by blocks (S times from_blocks' Hessian with "
                        "reg=0) and take its log-determinant on the driver")
    if not isinstance(problem, (Problem, SoftmaxProblem)):
        raise TypeError(f"problem must be a Problem (chapter 10) or a SoftmaxProblem (chapter 11), "
                        f"got {type(problem).__name__}")


def _checked_theta(problem: BaseProblem, theta: Any) -> Vector:
    return check_vector(theta, "theta", length=len(problem.penalized))


# ------------------------------------------------------------ blocks

def block_sums(problem: Any, theta: Sequence[float], rows: Sequence[int]) -> BlockSums:
    """The sums one machine sends back for its ``rows`` of ``problem`` at ``theta``:
    ``(S_b, L_b, G_b, H_b)``, each correctly rounded (``total``).

    >>> problem = Problem([[1.0], [3.0]], [0, 1])
    >>> block_sums(problem, [0.0, 0.0], [1])  # one row: p = 1/2, y = 1
    BlockSums(weight=1.0, loss=0.6931471805599453, gradient=[-0.5, -1.5], hessian=[[0.25, 0.75], [0.75, 2.25]])
    >>> block_sums(problem, [0.0, 0.0], []).gradient  # an empty block adds nothing
    [0.0, 0.0]

    Raises ``TypeError`` for a problem that is not chapter 10's or 11's (Firth's penalty is
    not a sum over rows) and ``ValueError`` for a theta of the wrong length or a row
    that the problem does not have.
    """
    _check_problem(problem)
    theta = _checked_theta(problem, theta)
    terms = _row_terms(problem, theta)
    rows = _checked_rows(rows, problem.n_rows, "rows")
    parts = [terms(i) for i in rows]
    size = len(problem.penalized)
    weights = problem.row_weights
    return BlockSums(total(weights[i] for i in rows), total(loss for loss, _, _ in parts),
                     [total(g[a] for _, g, _ in parts) for a in range(size)],
                     [[total(h[a][b] for _, _, h in parts) for b in range(size)] for a in range(size)])


def _checked_rows(rows: Any, n_rows: int, name: str) -> List[int]:
    """``rows`` as a list of row indices 0..n_rows-1."""
    if isinstance(rows, (str, bytes)) or not hasattr(rows, "__iter__"):
        raise TypeError(f"{name} must be a list of row indices, got {type(rows).__name__}")
    checked = list(rows)
    for i in checked:
        if isinstance(i, bool) or not isinstance(i, int) or not 0 <= i < n_rows:
            raise ValueError(f"{name} holds {i!r}, which is not a row index 0..{n_rows - 1} of the problem")
    if len(set(checked)) != len(checked):
        twice = next(i for i in checked if checked.count(i) > 1)
        raise ValueError(f"{name} holds row {twice} more than once: each row counts once")
    return checked


def add_blocks(sums: Sequence[BlockSums]) -> BlockSums:
    """The blocks' sums added, each entry correctly rounded: what ``treeAggregate`` returns.

    >>> a = BlockSums(1.0, 2.0, [1.0], [[1.0]])
    >>> add_blocks([a, a, a])
    BlockSums(weight=3.0, loss=6.0, gradient=[3.0], hessian=[[3.0]])

    Spark adds in a tree (``treeAggregate``), in whatever order the machines answer; the
    order changes the rounding only. Raises ``ValueError`` for no blocks or blocks of different sizes.
    """
    sums = list(sums)
    if not sums:
        raise ValueError("add_blocks needs at least one block's sums")
    size = len(sums[0].gradient)
    if any(len(s.gradient) != size or len(s.hessian) != size for s in sums):
        raise ValueError("the blocks' sums have different sizes: they come from different problems")
    return BlockSums(total(s.weight for s in sums), total(s.loss for s in sums),
                     _added([s.gradient for s in sums]), [_added(rows) for rows in zip(*(s.hessian for s in sums))])


def _added(vectors: Sequence[Vector]) -> Vector:
    """The vectors added entry by entry, each entry correctly rounded."""
    return [total(entries) for entries in zip(*vectors)]


def from_blocks(problem: Any, theta: Sequence[float],
                blocks: Sequence[Sequence[int]]) -> Tuple[float, Vector, Matrix]:
    """``(J, gradient, Hessian)`` at ``theta`` from the blocks of a partition of the rows:
    the driver's step, ``L / S + penalty``, ``G / S + l2 (0, w)``, ``H / S + l2 I_w``.

    >>> problem = Problem([[1.0], [3.0], [-1.0]], [0, 1, 0], reg=0.5)
    >>> J, gradient, H = from_blocks(problem, [0.0, 1.0], [[2], [], [0, 1]])
    >>> point = problem.at([0.0, 1.0])
    >>> J == point.objective, gradient == point.gradient  # here equal to the last bit
    (True, True)
    >>> [[round(h, 15) for h in row] for row in H] == [[round(h, 15) for h in row] for row in problem.hessian(point)]
    True

    Raises ``ValueError`` unless ``blocks`` is a partition of the rows (every row in
    exactly one block; empty blocks are allowed), and what ``block_sums`` raises.
    """
    _check_problem(problem)
    _check_partition(blocks, problem.n_rows)
    theta = _checked_theta(problem, theta)
    sums = add_blocks([block_sums(problem, theta, rows) for rows in blocks])
    penalized = problem.penalized
    J = sums.loss / sums.weight + problem.penalty_value([t for t, pen in zip(theta, penalized) if pen])
    gradient = [g / sums.weight + (problem.l2 * t if pen else 0.0)
                for g, t, pen in zip(sums.gradient, theta, penalized)]
    hessian = [[h / sums.weight for h in row] for row in sums.hessian]
    for a, pen in enumerate(penalized):
        if pen:
            hessian[a][a] += problem.l2
    return J, gradient, hessian


def _check_partition(blocks: Any, n_rows: int) -> None:
    """Every row 0..n_rows-1 in exactly one block."""
    if isinstance(blocks, (str, bytes)) or not hasattr(blocks, "__iter__"):
        raise TypeError(f"blocks must be a list of lists of row indices, got {type(blocks).__name__}")
    seen: Dict[int, int] = {}
    for b, rows in enumerate(blocks):
        for i in _checked_rows(rows, n_rows, f"block {b}"):
            if i in seen:
                raise ValueError(f"row {i} is in block {seen[i]} and in block {b}: the blocks must be a "
                                 f"partition of the rows (each row in exactly one block)")
            seen[i] = b
    missing = [i for i in range(n_rows) if i not in seen]
    if missing:
        raise ValueError(f"row {missing[0]} is in no block ({len(missing)} rows are missing): the blocks "
                         f"must be a partition of the rows, every row in one block")


# ------------------------------------------------------------ the same objective elsewhere

class Equivalent(NamedTuple):
    """One library's way to minimize the same J: its call, the values, and the rule behind them."""

    library: str  # "Spark MLlib"
    call: str  # the call with the values filled in, or "" where the library has no equivalent
    settings: Dict[str, Any]  # the call's settings as data: {"regParam": 0.01, ...}; {} where none
    rule: str  # how the settings follow from reg, l1_ratio and the total weight S (or why there are none)


class _Fit(NamedTuple):
    """What the translations need to know of a fit."""

    reg: float
    penalty: str
    l1_ratio: float  # 0 for "l2", 1 for "l1"
    n_rows: int
    total_weight: float  # S: the sum of the rows' weights (sample weight times class weight)
    weighted: bool  # are the rows weighted (sample or class weights)?
    sample_weighted: bool  # were sample weights given (scikit-learn takes class weights on their own)?
    n_classes: int
    softmax: bool  # a SoftmaxRegression: all K weight vectors penalized, even for K = 2
    class_weight: Any  # the model's, keyed by label, for scikit-learn (which takes it as it is)


def _sklearn(fit: _Fit) -> Tuple[str, Dict[str, Any]]:
    if fit.softmax and fit.n_classes == 2 and fit.reg > 0.0:
        return "", {}  # scikit-learn fits two classes with one weight vector; this penalizes two
    C = math.inf if fit.reg == 0.0 else 1.0 / (fit.total_weight * fit.reg)
    settings = {"C": C, "l1_ratio": fit.l1_ratio, "solver": "lbfgs" if fit.l1_ratio == 0.0 else "saga"}
    if fit.class_weight is not None:
        settings["class_weight"] = fit.class_weight
    weights = ", sample_weight=s" if fit.sample_weighted else ""
    return f"LogisticRegression({_keywords(settings)}).fit(X, y{weights})", settings


def _statsmodels(fit: _Fit) -> Tuple[str, Dict[str, Any]]:
    if fit.softmax:
        if fit.reg > 0.0 or fit.weighted:
            return "", {}
        return "MNLogit(y, add_constant(X)).fit()", {}
    weights = ", freq_weights=s" if fit.weighted else ""
    model = f"GLM(y, add_constant(X), family=Binomial(){weights})"
    if fit.reg == 0.0:
        return f"{model}.fit()", {}
    settings = {"alpha": fit.reg * fit.total_weight / fit.n_rows, "L1_wt": fit.l1_ratio}
    return (f"{model}.fit_regularized(alpha=[0] + [{settings['alpha']!r}] * d, L1_wt={fit.l1_ratio!r})",
            settings)


def _glmnet(fit: _Fit) -> Tuple[str, Dict[str, Any]]:
    family = "multinomial" if fit.softmax else "binomial"
    settings: Dict[str, Any] = {"family": family, "alpha": fit.l1_ratio, "lambda": fit.reg, "standardize": False}
    if fit.softmax:
        settings["type.multinomial"] = "ungrouped"
    shown = ", ".join(f"{k}={_r_value(v)}" for k, v in settings.items())
    return f"glmnet(x, y, {shown}{', weights=s' if fit.weighted else ''})", settings


def _spark(fit: _Fit) -> Tuple[str, Dict[str, Any]]:
    settings: Dict[str, Any] = {"regParam": fit.reg, "elasticNetParam": fit.l1_ratio, "standardization": False,
                                "family": "multinomial" if fit.softmax else "binomial"}
    if fit.weighted:
        settings["weightCol"] = "weight"
    return f"LogisticRegression({_keywords(settings)})", settings


# The translations: library, rule (the page's table shows it), and how to fill in the call.
TRANSLATIONS = (
    ("scikit-learn", "`C = 1 / (S reg)`, S the total weight (n without weights; `C = inf` for reg = 0); "
                     "`l1_ratio` = ours (0 for L2, 1 for L1), solver `lbfgs` (L2) or `saga`; the same `sample_weight` "
                     "and `class_weight`; "
                     "K classes: the same (multinomial), but a penalized `SoftmaxRegression` of two classes "
                     "has none (scikit-learn fits two classes with one weight vector)", _sklearn),
    ("statsmodels", "`GLM(..., family=Binomial(), freq_weights=s).fit_regularized(alpha=reg S / n, "
                    "L1_wt=l1_ratio)`, alpha 0 on the constant (statsmodels divides by n, not by S), or for L1 "
                    "without weights `Logit(...).fit_regularized(method=\"l1\", alpha=n reg)`; K classes: "
                    "`MNLogit`, unpenalized and unweighted only (its first class is the reference, as ours "
                    "with reg = 0)",
     _statsmodels),
    ("glmnet (R)", "`lambda = reg`, `alpha = l1_ratio`, `standardize = FALSE`, `weights = s` (glmnet scales "
                   "them to sum to n); K classes (`SoftmaxRegression`): `family = \"multinomial\"`, "
                   "`type.multinomial = \"ungrouped\"`",
     _glmnet),
    ("Spark MLlib", "`regParam = reg`, `elasticNetParam = l1_ratio`, `standardization = False` (the default, "
                    "True, penalizes `w_j sigma_j`), `weightCol` = the weights (class weights multiplied in); "
                    "K classes (`SoftmaxRegression`): `family = \"multinomial\"`, whose intercepts are centred "
                    "(compare probabilities)", _spark),
)


def _keywords(settings: Dict[str, Any]) -> str:
    return ", ".join(f"{k}={v!r}" for k, v in settings.items())


def _r_value(value: Any) -> str:
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    return f'"{value}"' if isinstance(value, str) else repr(value)


def equivalent_settings(model: Any, y: Any = None, sample_weight: Any = None) -> Dict[str, Equivalent]:
    """The settings with which other libraries minimize ``model``'s J on labels ``y`` (and
    ``sample_weight``), as data: ``{library: Equivalent(library, call, settings, rule)}``.

    ``model``'s parameters are read (``reg``, ``penalty``, ``l1_ratio``, ``class_weight``)
    and, for a fitted model with no ``y`` given, what its fit recorded: n, the number of
    classes, and ``S``, the total weight (sample weights times class weights) that
    scikit-learn's ``C`` and statsmodels' ``alpha`` depend on. Give ``y`` and
    ``sample_weight`` (what ``fit`` takes) for a model not fitted, or fitted elsewhere.

    >>> from logreg_pure import LogisticRegression
    >>> same = equivalent_settings(LogisticRegression(reg=0.25), [0, 1, 1, 0])
    >>> same["scikit-learn"].settings["C"], same["Spark MLlib"].settings["regParam"]  # C = 1 / (4 * 0.25)
    (1.0, 0.25)

    A library without an equivalent (Firth's penalty anywhere but R's logistf; a
    penalized or weighted K-class fit in statsmodels) has ``call == ""``, ``settings ==
    {}`` and a rule that says why. Raises what ``fit`` raises for bad labels or weights.
    """
    params = model.get_params()
    softmax = getattr(model, "MAX_CLASSES", None) != 2
    fit = _fit_of(params, y, sample_weight, softmax) if y is not None else _fit_recorded(model, params, softmax)
    found = {}
    for library, rule, translate in TRANSLATIONS:
        if params["penalty"] == "firth":
            found[library] = Equivalent(library, "", {}, "no Firth penalty here; in R, "
                                        "logistf::logistf(y ~ ., data, weights = s) fits the same model")
            continue
        call, settings = translate(fit)
        why = rule if call else _NONE[library]
        found[library] = Equivalent(library, call, settings, why)
    return found


_NONE = {"scikit-learn": "no equivalent: scikit-learn fits two classes with one weight vector, and a "
                         "penalized SoftmaxRegression of two classes penalizes two",
         "statsmodels": ("no equivalent: statsmodels' MNLogit takes no weights, and its only "
                         "penalty (L1) leaves its reference class out, where ours penalizes every class")}


def _fit_recorded(model: Any, params: Dict[str, Any], softmax: bool) -> _Fit:
    """What a fitted model recorded of its data: n, S, K and whether its rows were weighted."""
    if not hasattr(model, "total_weight_"):
        raise ValueError("equivalent_settings(model) reads n and the total weight S from the model's fit: fit "
                         "it first, or give y (and sample_weight) as fit takes them")
    l1_ratio = {"l1": 1.0, "l2": 0.0}.get(params["penalty"], params.get("l1_ratio") or 0.0)
    return _Fit(float(params["reg"]), params["penalty"], float(l1_ratio), model.n_rows_, model.total_weight_,
                model.sample_weight_used_, model.sample_weight_given_, len(model.classes_), softmax,
                params.get("class_weight"))


def _fit_of(params: Dict[str, Any], y: Any, sample_weight: Any, softmax: bool) -> _Fit:
    """reg, the penalty's mix, n, S and K for ``params`` on labels ``y``."""
    classes, positions = check_classes(y)
    if len(classes) < 2 or (not softmax and len(classes) != 2):
        raise ValueError(f"y has {len(classes)} classes; {'SoftmaxRegression' if softmax else 'LogisticRegression'} "
                         f"fits {'two or more' if softmax else 'two'}")
    weights = given = check_sample_weight(sample_weight, len(positions))
    class_weight = params.get("class_weight")
    if class_weight == "balanced" or isinstance(class_weight, dict):
        weights = with_class_weight(weights, class_weight_by_position(class_weight, classes), positions,
                                    len(classes))
    penalty = params["penalty"]
    l1_ratio = {"l1": 1.0, "l2": 0.0}.get(penalty, params.get("l1_ratio") or 0.0)
    S = float(len(positions)) if weights is None else total(weights)
    return _Fit(float(params["reg"]), penalty, float(l1_ratio), len(positions), S, weights is not None,
                given is not None, len(classes), softmax, class_weight)


def translation_table() -> str:
    """The guide's table of the same objective in other libraries, one row per library
    of ``equivalent_settings`` (the page ``other-libraries.md`` holds it, checked by a test).

    >>> translation_table().splitlines()[-1][:42]
    '| Spark MLlib | `regParam = reg`, `elastic'
    """
    lines = ["| library | the same J |", "|---|---|"]
    lines += [f"| {library} | {rule} |" for library, rule, _ in TRANSLATIONS]
    return "\n".join(lines) + "\n"

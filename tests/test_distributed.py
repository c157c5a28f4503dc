"""Chapter 27: beyond one machine. Any partition of the rows gives the same J, gradient and
Hessian; the settings for other libraries minimize the same J.

The partition laws compare ``from_blocks`` with chapter 10's and chapter 11's reference
problems (``fast=False``). The translation law writes each library's objective as its
source defines it (scikit-learn's ``C sum_i s_i loss_i + penalty``, statsmodels' ``-loglike
/ n + alpha penalty``, glmnet's weights scaled to sum to n, Spark's ``lossSum / weightSum``)
and checks that, with ``equivalent_settings``' values, it is a constant multiple of ours at
every theta: the same minimizer. Live fits with Spark are in tests/test_interop_spark.py.
"""

import io
import math
import random

import pytest
from hypothesis import example, given, strategies as st

from logreg_pure import LogisticRegression, SoftmaxRegression
from logreg_pure.part1_mathematics.linalg import solve_spd
from logreg_pure.part1_mathematics.loss import example_loss
from logreg_pure.part1_mathematics.softmax import example_softmax_loss
from logreg_pure.part2_problem.firth import FirthProblem
from logreg_pure.part2_problem.problem import make_problem
from logreg_pure.part2_problem.softmax_problem import make_softmax_problem
from logreg_pure.part4_estimators.features import Standardizer
from logreg_pure.part5_inference.distributed import (
    BlockSums,
    add_blocks,
    block_sums,
    equivalent_settings,
    from_blocks,
    translation_table,
)
from logreg_pure.part6_command_line.cli import main
from logreg_pure.part6_command_line.datasets import export_datasets, load_breast_cancer
from logreg_pure.part7_book.guide import page_markdown
from strategies import at_most, class_datasets, datasets, features

EPS = 2.0 ** -52


@st.composite
def partitions(draw, n):
    """A partition of rows 0..n-1 into blocks, in any order: empty blocks, one-row blocks,
    one block of everything all possible."""
    m = draw(st.integers(1, n + 2))
    owner = draw(st.lists(st.integers(0, m - 1), min_size=n, max_size=n))
    blocks = [[i for i in range(n) if owner[i] == b] for b in range(m)]
    seed = draw(st.integers(0, 2 ** 16))
    for block in blocks:
        random.Random(seed).shuffle(block)
    return blocks


def weights(y):
    """No weights, or weights from 0 to 4 (zeros included), the largest at least 1/4, and
    every class of ``y`` weighing something (a weightless class is refused, chapter 10)."""
    values = st.floats(0.0, 4.0).map(lambda s: s if s >= 1e-3 else 0.0)
    n = len(y)

    def every_class_weighs(s):
        return max(s) >= 0.25 and all(any(w > 0.0 for w, label in zip(s, y) if label == k) for k in set(y))

    return st.one_of(st.none(), st.lists(values, min_size=n, max_size=n).filter(every_class_weighs))


@st.composite
def two_class_cases(draw):
    """``(problem, theta, blocks)``: chapter 10's reference problem with a penalty and
    weights, a point, and a partition of its rows."""
    X, y = draw(datasets(max_rows=10, max_features=3))
    penalty = draw(st.sampled_from(["l2", "l1", "elasticnet"]))
    problem = make_problem(X, y, fast=False, reg=draw(st.sampled_from([0.0, 0.1, 1.0])), penalty=penalty,
                           l1_ratio=0.5 if penalty == "elasticnet" else None, sample_weight=draw(weights(y)))
    theta = draw(st.lists(features(3.0), min_size=len(X[0]) + 1, max_size=len(X[0]) + 1))
    return problem, theta, draw(partitions(len(X)))


@st.composite
def k_class_cases(draw):
    """``(problem, theta, blocks)``: chapter 11's reference problem (a reference class
    without a penalty, all K classes with one), a point, and a partition of its rows."""
    X, y = draw(class_datasets(max_classes=4, max_rows=9))
    problem = make_softmax_problem(X, y, fast=False, reg=draw(st.sampled_from([0.0, 0.1])),
                                   sample_weight=draw(weights(y)))
    theta = draw(st.lists(features(3.0), min_size=len(problem.free), max_size=len(problem.free)))
    return problem, theta, draw(partitions(len(X)))


def reference(problem, theta):
    point = problem.at(theta)
    return point.objective, point.gradient, problem.hessian(point)


def scales(problem, theta):
    """The sizes of the sums' terms, divided by S: ``J`` itself for J (every loss term is
    >= 0), ``sum_i s_i |x1_ia| / S`` for gradient entry a (``|p - y| <= 1``) and ``sum_i
    s_i |x1_ia x1_ib| / S`` for Hessian entry (a, b) (``|p_k (delta - p_l)| <= 1``), plus
    the penalty's part."""
    s, S = problem.row_weights, problem.total_weight
    column = [j for _, j in problem.free] if hasattr(problem, "free") else range(problem.n_features + 1)
    X1 = [[1.0] + x for x in problem.X]
    g = [math.fsum(si * abs(x1[a]) for si, x1 in zip(s, X1)) / S + problem.l2 * abs(t)
         for a, t in zip(column, theta)]
    H = [[math.fsum(si * abs(x1[a] * x1[b]) for si, x1 in zip(s, X1)) / S + problem.l2 for b in column]
         for a in column]
    return g, H


def assert_the_same(problem, theta, blocks):
    J, gradient, hessian = from_blocks(problem, theta, blocks)
    J0, gradient0, hessian0 = reference(problem, theta)
    g_scale, H_scale = scales(problem, theta)
    assert abs(J - J0) <= 16 * EPS * J0, (J, J0)
    for a, (g, g0) in enumerate(zip(gradient, gradient0)):
        assert abs(g - g0) <= 16 * EPS * g_scale[a], (a, g, g0)
    for a, (row, row0) in enumerate(zip(hessian, hessian0)):
        for b, (h, h0) in enumerate(zip(row, row0)):
            assert abs(h - h0) <= 16 * EPS * H_scale[a][b], (a, b, h, h0)


@given(two_class_cases())
@example((make_problem([[1.0], [3.0], [-1.0]], [0, 1, 0], fast=False, reg=0.5, sample_weight=[0.0, 2.0, 1.5]),
          [0.5, -1.0], [[2], [], [0, 1], []]))
def test_every_partition_of_the_rows_gives_the_reference_j_gradient_and_hessian(case):
    """Law (two classes): for every partition of the rows into blocks (empty blocks,
    one-row blocks, any order within a block), with any weights (zeros included) and any
    penalty, ``from_blocks`` gives chapter 10's J, gradient and Hessian.

    Precondition: none beyond a valid problem and point. Tolerance: each row's term is
    computed by the same formula as the reference's, so only the grouping of the sums
    differs: a block's sum is correctly rounded and so is the sum of the blocks' sums
    (two roundings where the reference has one, each at most u = eps/2 times the sum of
    the terms' sizes), and S, summed the same two ways, differs by at most 2u S. The
    terms' sizes over S are J for J (losses are >= 0) and ``sum_i s_i |x1_ia| / S`` (or
    ``|x1_ia x1_ib|``) for the derivatives; 16 eps of those covers the roundings with room.
    """
    assert_the_same(*case)


@at_most(60)
@given(k_class_cases())
def test_every_partition_of_the_rows_gives_the_k_class_reference(case):
    """Law (K classes): for every partition of the rows, ``from_blocks`` gives chapter
    11's J, gradient and Hessian (the free components: a reference class without a
    penalty, all K with one), with or without weights.

    Precondition and tolerance: as for two classes (``|p_k - y_k| <= 1`` and ``|p_k
    (delta_kl - p_l)| <= 1`` bound the terms the same way).
    """
    assert_the_same(*case)


def test_one_block_two_blocks_and_every_row_alone_on_breast_cancer():
    # The case Spark meets: real data, many rows, a few partitions.
    data = load_breast_cancer()
    X = [x[:4] for x in Standardizer().fit(data.X).transform(data.X)]
    problem = make_problem(X, data.y, fast=False, reg=0.01, sample_weight=[1.0 + i % 4 for i in range(len(X))])
    theta = [0.3, -1.0, 0.5, 0.25, -2.0]
    n = problem.n_rows
    for blocks in ([list(range(n))], [list(range(0, n, 2)), list(range(1, n, 2))], [[i] for i in range(n)]):
        assert_the_same(problem, theta, blocks)


def test_newtons_method_from_blocks_reaches_the_same_fit():
    # What a cluster running Newton's method would do: every step's J, gradient and
    # Hessian come from three machines' blocks; the driver solves H step = g. Ten steps
    # reach LogisticRegression's Newton fit on the same weighted, penalized problem.
    data = load_breast_cancer()
    X = [x[:5] for x in Standardizer().fit(data.X).transform(data.X)]
    s = [1.0 + i % 3 for i in range(len(X))]
    problem = make_problem(X, data.y, fast=False, reg=0.01, sample_weight=s)
    blocks = [list(range(k, len(X), 3)) for k in range(3)]
    theta = problem.start()
    for _ in range(10):
        _, gradient, hessian = from_blocks(problem, theta, blocks)
        theta = [t - step for t, step in zip(theta, solve_spd(hessian, gradient))]
    fit = LogisticRegression(solver="newton", reg=0.01, tol=1e-12).fit(X, data.y, sample_weight=s)
    assert max(abs(a - b) for a, b in zip(theta, [fit.intercept_] + fit.coef_)) <= 1e-10


def test_a_partition_is_checked():
    problem = make_problem([[1.0], [3.0], [-1.0]], [0, 1, 0])
    with pytest.raises(ValueError, match="row 1 is in block 0 and in block 1"):
        from_blocks(problem, [0.0, 0.0], [[0, 1], [1, 2]])
    with pytest.raises(ValueError, match="row 2 is in no block"):
        from_blocks(problem, [0.0, 0.0], [[0, 1], []])
    with pytest.raises(ValueError, match="block 1 holds 3, which is not a row index 0..2"):
        from_blocks(problem, [0.0, 0.0], [[0, 1, 2], [3]])
    with pytest.raises(ValueError, match="rows holds row 2 more than once"):
        block_sums(problem, [0.0, 0.0], [2, 0, 2])
    with pytest.raises(TypeError, match="blocks must be a list of lists"):
        from_blocks(problem, [0.0, 0.0], "012")
    with pytest.raises(ValueError, match="theta"):
        from_blocks(problem, [0.0], [[0, 1, 2]])
    with pytest.raises(ValueError, match="at least one block"):
        add_blocks([])
    with pytest.raises(ValueError, match="different sizes"):
        add_blocks([BlockSums(1.0, 1.0, [1.0], [[1.0]]), BlockSums(1.0, 1.0, [1.0, 2.0], [[1.0, 0.0], [0.0, 1.0]])])


def test_firths_penalty_and_other_problems_are_refused_in_words():
    firth = FirthProblem([[1.0], [3.0], [-1.0]], [0, 1, 0])
    with pytest.raises(TypeError, match="not a sum over rows"):
        block_sums(firth, [0.0, 0.0], [0])
    with pytest.raises(TypeError, match="a Problem .chapter 10. or a SoftmaxProblem"):
        block_sums(object(), [0.0, 0.0], [0])


# ------------------------------------------------------------ the same J in other libraries

def objectives(settings, X, y, theta, K, sample_weight):
    """Each library's objective at ``theta`` (intercept first; K classes: class-major, all K),
    written from its source with ``settings`` filled in (statsmodels only where it has one)."""
    n = len(X)
    s = sample_weight or [1.0] * n
    S = math.fsum(s)
    if K == 2:
        losses = [example_loss(yi, theta[0] + math.fsum(w * v for w, v in zip(theta[1:], x))) for x, yi in zip(X, y)]
        w = theta[1:]
    else:
        d1 = len(X[0]) + 1
        rows = [theta[k * d1:(k + 1) * d1] for k in range(K)]
        losses = [example_softmax_loss(yi, [r[0] + math.fsum(a * v for a, v in zip(r[1:], x)) for r in rows])
                  for x, yi in zip(X, y)]
        w = [v for r in rows for v in r[1:]]
    weighted = math.fsum(si * li for si, li in zip(s, losses))

    def mix(r):
        return r * math.fsum(abs(v) for v in w) + (1 - r) / 2 * math.fsum(v * v for v in w)

    sk, sm, gl, sp = (settings[k].settings for k in ("scikit-learn", "statsmodels", "glmnet (R)", "Spark MLlib"))
    found = {"scikit-learn": sk["C"] * weighted + mix(sk["l1_ratio"]),
             "glmnet (R)": math.fsum(si * n / S * li for si, li in zip(s, losses)) / n + gl["lambda"] * mix(gl["alpha"]),
             "Spark MLlib": weighted / S + sp["regParam"] * mix(sp["elasticNetParam"])}
    if sm:
        found["statsmodels"] = weighted / n + sm["alpha"] * mix(sm["L1_wt"])
    return found, S, n


@at_most(60)
@given(st.data())
def test_equivalent_settings_give_a_multiple_of_our_objective_at_every_theta(draw):
    """Law: with ``equivalent_settings``' values, scikit-learn's objective is ``C S`` times
    ours, statsmodels' ``S / n`` times, glmnet's and Spark's equal to ours, at every theta
    (so each has our minimizer), for any penalty, reg > 0, weights, and two or K classes.

    Precondition: reg > 0 (with reg = 0 scikit-learn's C is infinite and every objective is
    the likelihood's multiple). Tolerance: both sides sum the same terms (at most a few
    hundred of them, each >= 0 or a penalty) with fsum and a few products, so they agree to
    a few eps relative; 1e-12 relative is far above that and far below any wrong factor.
    """
    K = draw.draw(st.sampled_from([2, 3]))
    if K == 2:
        X, y = draw.draw(datasets(max_rows=8))
        y = [int(v) for v in y]
    else:
        X, y = draw.draw(class_datasets(min_classes=3, max_classes=3, max_rows=8))
    penalty = draw.draw(st.sampled_from(["l2", "l1", "elasticnet"]))
    options = dict(reg=draw.draw(st.sampled_from([0.01, 0.5, 2.0])), penalty=penalty,
                   l1_ratio=draw.draw(st.floats(0.0, 1.0)) if penalty == "elasticnet" else None)
    model = LogisticRegression(**options) if K == 2 else SoftmaxRegression(**options)
    sample_weight = draw.draw(weights(y))
    settings = equivalent_settings(model, y, sample_weight)
    d1 = len(X[0]) + 1
    size = d1 * (K if K > 2 else 1)
    for _ in range(2):
        theta = draw.draw(st.lists(features(3.0), min_size=size, max_size=size))
        if K == 2:
            J = make_problem(X, y, fast=False, sample_weight=sample_weight, **options).objective(theta)
        else:
            theta[0] = 0.0  # b_0 = 0: a penalized fit keeps all K weight vectors, and b_0 fixed (chapter 11)
            problem = make_softmax_problem(X, y, fast=False, sample_weight=sample_weight, **options)
            rows = [theta[k * d1:(k + 1) * d1] for k in range(K)]
            J = problem.objective(problem.pack([r[1:] for r in rows], [r[0] for r in rows]))
        found, S, n = objectives(settings, X, y, theta, K, sample_weight)
        factors = {"scikit-learn": settings["scikit-learn"].settings["C"] * S, "statsmodels": S / n,
                   "glmnet (R)": 1.0, "Spark MLlib": 1.0}
        for library, value in found.items():
            assert math.isclose(value, factors[library] * J, rel_tol=1e-12), (library, value, factors[library] * J)


def test_equivalent_settings_by_hand():
    # 4 rows, weights 1, 1, 1, 5: S = 8, n = 4; reg = 0.5 and an even elastic net.
    model = LogisticRegression(reg=0.5, penalty="elasticnet", l1_ratio=0.5)
    same = equivalent_settings(model, [0, 1, 1, 0], [1.0, 1.0, 1.0, 5.0])
    assert same["scikit-learn"].settings == {"C": 0.25, "l1_ratio": 0.5, "solver": "saga"}  # 1 / (8 * 0.5)
    assert same["statsmodels"].settings == {"alpha": 1.0, "L1_wt": 0.5}  # 0.5 * 8 / 4
    assert same["glmnet (R)"].settings["lambda"] == 0.5 and same["glmnet (R)"].settings["alpha"] == 0.5
    assert same["Spark MLlib"].settings == {"regParam": 0.5, "elasticNetParam": 0.5, "standardization": False,
                                            "family": "binomial", "weightCol": "weight"}
    assert "sample_weight=s" in same["scikit-learn"].call and "freq_weights=s" in same["statsmodels"].call
    # class weights are weights: "balanced" on labels 0, 0, 0, 1 makes S = 4 (= n)
    balanced = equivalent_settings(LogisticRegression(reg=0.5, class_weight="balanced"), [0, 0, 0, 1])
    assert balanced["scikit-learn"].settings["C"] == pytest.approx(0.5)
    assert balanced["scikit-learn"].settings["class_weight"] == "balanced"
    assert balanced["Spark MLlib"].settings["weightCol"] == "weight"


def test_what_has_no_equivalent_says_why():
    firth = equivalent_settings(LogisticRegression(penalty="firth"), [0, 1, 1, 0])
    assert all(e.call == "" and e.settings == {} and "logistf" in e.rule for e in firth.values())
    penalized = equivalent_settings(SoftmaxRegression(reg=0.1), [0, 1, 2, 1])
    assert penalized["statsmodels"].call == "" and "MNLogit" in penalized["statsmodels"].rule
    assert penalized["Spark MLlib"].settings["family"] == "multinomial"
    two = equivalent_settings(SoftmaxRegression(reg=0.1), [0, 1, 1, 0])
    assert two["scikit-learn"].call == "" and "one weight vector" in two["scikit-learn"].rule
    assert equivalent_settings(SoftmaxRegression(), [0, 1, 2, 1])["statsmodels"].call.startswith("MNLogit")
    with pytest.raises(ValueError, match="y has 3 classes; LogisticRegression fits two"):
        equivalent_settings(LogisticRegression(), [0, 1, 2])


def test_the_guides_table_is_equivalent_settings():
    page = page_markdown("other-libraries")
    assert translation_table() in page, ("the table in logreg_pure/part7_book/pages/other-libraries.md is not "
                                         "equivalent_settings': replace it with the output of python -c 'from "
                                         "logreg_pure.part5_inference.distributed import translation_table; "
                                         "print(translation_table())'")


def test_fit_equivalents_prints_the_same_settings_for_two_and_k_classes(tmp_path):
    # fit --equivalents: after the fit, one line per library, from equivalent_settings;
    # for two classes and for K, and with class weights (which Spark and glmnet take as weights).
    export_datasets(str(tmp_path))

    def fit(*options):
        out = io.StringIO()
        assert main(["fit", *options, "--model", str(tmp_path / "m.json"), "--quiet", "--equivalents"], out=out) == 0
        return out.getvalue().split("The same fit elsewhere", 1)[1]

    binary = fit(str(tmp_path / "study_hours.csv"), "--target", "passed", "--reg", "0.1")
    n = 20  # rows of study_hours.csv
    assert f"C={1 / (n * 0.1)!r}" in binary and "regParam=0.1, elasticNetParam=0.0" in binary
    assert "family='binomial'" in binary and "weightCol" not in binary
    classes = fit(str(tmp_path / "iris.csv"), "--target", "species", "--reg", "0.01", "--penalty", "l1",
                  "--standardize")
    assert "on the standardized columns" in classes and "family='multinomial'" in classes
    assert "statsmodels: no equivalent" in classes and 'family="multinomial"' in classes
    balanced = fit(str(tmp_path / "study_hours.csv"), "--target", "passed", "--reg", "0.1", "--class-weight",
                   "balanced")
    assert "class_weight='balanced'" in balanced and "weightCol='weight'" in balanced
    assert "s: each row's class weight" in balanced


@at_most(10)
@given(st.data())
def test_a_fitted_model_knows_its_own_equivalent_settings(draw):
    """Law: for a fitted model, equivalent_settings(model) (from what the fit recorded: n,
    S, K, whether rows were weighted) equals equivalent_settings(model, y, sample_weight)
    (from the data again), for two classes and K, sample weights and class weights.
    Exact: the same sums of the same weights. Precondition: every class has some weight
    (the fit refuses a weightless one)."""
    K = draw.draw(st.sampled_from([2, 3]))
    y = list(range(K)) * 2 + draw.draw(st.lists(st.integers(0, K - 1), max_size=4))
    X = [[float(i % 4), float((i * 7) % 5)] for i in range(len(y))]
    sample_weight = draw.draw(weights(y))
    options = dict(reg=draw.draw(st.sampled_from([0.1, 1.0])), class_weight=draw.draw(st.sampled_from([None, "balanced"])))
    model = (LogisticRegression if K == 2 and draw.draw(st.booleans()) else SoftmaxRegression)(**options)
    model.fit(X, y, sample_weight=sample_weight)
    assert equivalent_settings(model) == equivalent_settings(model, y, sample_weight)


def test_an_unfitted_model_needs_its_labels_for_equivalent_settings():
    with pytest.raises(ValueError, match=r"fit it first, or give y \(and sample_weight\)"):
        equivalent_settings(LogisticRegression(reg=0.1))

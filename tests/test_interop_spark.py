"""Chapter 27, live: Spark MLlib's LogisticRegression with ``equivalent_settings`` fits our model.

Both sides read the same CSV file (the embedded breast-cancer and iris data, standardized
by ``Standardizer`` and written out, with a column of weights 1 to 4), Spark from three
partitions, so that its ``treeAggregate`` really adds blocks. Spark gets exactly the
settings ``equivalent_settings`` gives (``regParam``, ``elasticNetParam``,
``standardization=False``, ``family``, ``weightCol``), plus a tight ``tol``. Required
agreement: 1e-5 in every coefficient and the intercept for two classes; 1e-5 in every
probability for K classes (Spark's multinomial intercepts, and its coefficients without a
penalty, are defined only up to a constant; it centres them). Each test prints the
agreement it found (``pytest -s`` shows it).

Skipped when pyspark or Java is missing; with ``LOGREG_REQUIRE_SPARK=1`` (as .ci/run sets
it, after installing both) a skip is a failure instead. Spark starts once per module
(about 15 s).
"""

import csv
import importlib
import os
import shutil

import pytest

from logreg_pure import LogisticRegression, SoftmaxRegression
from logreg_pure.part4_estimators.features import Standardizer
from logreg_pure.part5_inference.distributed import equivalent_settings
from logreg_pure.part6_command_line.datasets import load_breast_cancer, load_iris
from logreg_pure.part6_command_line.files import load_csv

REQUIRED = os.environ.get("LOGREG_REQUIRE_SPARK") == "1"
TOLERANCE = 1e-5  # the issue's; found: about 2.5e-7 (L2), 1.8e-6 (L1), 2.2e-7 or less (K classes)
SPARK_TOL = 1e-12  # Spark's L-BFGS / OWL-QN stop on relative change of J; 1e-6 (its default) is too loose


def _unavailable(reason):
    if REQUIRED:
        pytest.fail(f"LOGREG_REQUIRE_SPARK=1 but {reason}")
    pytest.skip(reason, allow_module_level=True)


try:
    importlib.import_module("pyspark.ml.classification")  # which needs NumPy too
except ImportError as error:
    _unavailable(f"pyspark's ML library cannot be imported (pip install pyspark numpy): {error}")
if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
    _unavailable("Spark needs a Java runtime (apt-get install openjdk-17-jre-headless)")

from pyspark.ml.classification import LogisticRegression as SparkLogisticRegression  # noqa: E402
from pyspark.ml.feature import VectorAssembler  # noqa: E402
from pyspark.sql import SparkSession  # noqa: E402


@pytest.fixture(scope="module")
def spark():
    session = (SparkSession.builder.master("local[2]").appName("logreg_pure-interop")
               .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
               .config("spark.sql.shuffle.partitions", "2")
               .getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def write_csv(path, X, y, names):
    """The rows, a label column and a weight column 1, 2, 3, 4, 1, ... as a CSV file."""
    with open(path, "w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(names + ["label", "weight"])
        for i, (x, label) in enumerate(zip(X, y)):
            writer.writerow([repr(v) for v in x] + [label, 1 + i % 4])
    return str(path)


@pytest.fixture(scope="module")
def cancer_csv(tmp_path_factory):
    data = load_breast_cancer()
    X = Standardizer().fit(data.X).transform(data.X)
    return write_csv(tmp_path_factory.mktemp("spark") / "cancer.csv", X, [int(v) for v in data.y], data.feature_names)


@pytest.fixture(scope="module")
def iris_csv(tmp_path_factory):
    data = load_iris()
    X = Standardizer().fit(data.X).transform(data.X)
    y = [int(code) for code in data.y]
    return write_csv(tmp_path_factory.mktemp("spark") / "iris.csv", X, y, data.feature_names)


def ours_from(path, multiclass):
    """Our side of the same file: the features, the labels (0..K-1) and the weights."""
    data = load_csv(path, "label", ignore=["weight"], multiclass=multiclass)
    weights = [row[0] for row in load_csv(path, "label", features=["weight"], multiclass=multiclass).X]
    code_of = {code: int(label) for label, code in data.label_mapping.items()}
    return data.X, [code_of[int(code)] for code in data.y], weights


def both_fits(spark, path, model, weighted):
    """Our fit of the CSV file, and Spark MLlib's from three partitions with the settings
    ``equivalent_settings`` gives for it: ``(ours, settings, theirs, Spark's data)``."""
    X, y, weights = ours_from(path, multiclass=isinstance(model, SoftmaxRegression))
    sample_weight = weights if weighted else None
    ours = model.fit(X, y, sample_weight=sample_weight)
    settings = equivalent_settings(ours, y, sample_weight)["Spark MLlib"].settings
    frame = spark.read.csv(path, header=True, inferSchema=True)
    names = [c for c in frame.columns if c not in ("label", "weight")]
    assembled = VectorAssembler(inputCols=names, outputCol="features").transform(frame).repartition(3)
    theirs = SparkLogisticRegression(maxIter=1000, tol=SPARK_TOL, **settings).fit(assembled)
    return ours, settings, theirs, assembled


CASES = [("L2", dict(reg=0.01), False), ("L1", dict(reg=0.01, penalty="l1"), False),
         ("elastic net", dict(reg=0.01, penalty="elasticnet", l1_ratio=0.5), False),
         ("weighted elastic net", dict(reg=0.02, penalty="elasticnet", l1_ratio=0.3), True)]


@pytest.mark.parametrize("name, options, weighted", CASES, ids=[c[0] for c in CASES])
def test_spark_fits_our_two_class_model_with_equivalent_settings(spark, cancer_csv, name, options, weighted):
    model = LogisticRegression(tol=1e-10, epochs=1000, **options)
    ours, settings, theirs, _ = both_fits(spark, cancer_csv, model, weighted)
    gap = max(abs(a - b) for a, b in zip([theirs.intercept] + list(theirs.coefficients), [ours.intercept_] + ours.coef_))
    print(f"\nSpark MLlib, breast cancer, {name} ({settings}): largest coefficient gap {gap:.2g}")
    assert ours.converged_ and gap <= TOLERANCE


K_CASES = [("L2", dict(reg=0.01), False), ("L1", dict(reg=0.01, penalty="l1"), False),
           ("weighted elastic net", dict(reg=0.02, penalty="elasticnet", l1_ratio=0.3), True)]


@pytest.mark.parametrize("name, options, weighted", K_CASES, ids=[c[0] for c in K_CASES])
def test_spark_fits_our_softmax_model_with_equivalent_settings(spark, iris_csv, name, options, weighted):
    model = SoftmaxRegression(tol=1e-10, epochs=1000, **options)
    ours, settings, theirs, frame = both_fits(spark, iris_csv, model, weighted)
    assert settings["family"] == "multinomial"
    rows = theirs.transform(frame).select("features", "probability").collect()
    P = ours.predict_proba([list(row["features"]) for row in rows])
    gap = max(abs(p - q) for row, p_row in zip(rows, P) for p, q in zip(p_row, row["probability"]))
    print(f"\nSpark MLlib, iris, {name} ({settings}): largest probability gap {gap:.2g}")
    assert ours.converged_ and gap <= TOLERANCE

"""Chapter 14. Three small real data sets that ship inside the package.

- ``load_study_hours()``: hours studied and pass/fail for 20 students, the worked
  example of the Wikipedia article "Logistic regression". One feature, so every
  number can be checked by hand; the maximum-likelihood fit is b = -4.0777,
  w = 1.5046.
- ``load_breast_cancer()``: the Breast Cancer Wisconsin (Diagnostic) data from the
  UCI Machine Learning Repository (W.H. Wolberg, W.N. Street, O.L. Mangasarian;
  CC BY 4.0): 569 tumours, 30 measurements each, 1 = malignant (212), 0 = benign.
- ``load_iris()``: Fisher's iris data (UCI Machine Learning Repository, CC BY 4.0):
  150 flowers, 4 measurements in cm, three species (50 each), for the softmax
  model of chapter 9b. ``y`` holds the codes 0, 1, 2 of ``setosa``, ``versicolor``
  and ``virginica`` (``data.labels()`` gives the names). Setosa is linearly
  separable from the other two, so fit it with ``reg > 0``.

The CSV files are read with ``importlib.resources``, so the loaders work from an
installed copy as well as from the source tree. Each returns a ``Dataset``
(``X``, ``y``, ``feature_names``, ``target_name``, ``description``, ``label_mapping``).
"""

import importlib.resources

from ..files import Dataset, parse_csv_text

__all__ = ["load_breast_cancer", "load_iris", "load_study_hours"]

STUDY_HOURS = ("Hours studied and exam outcome (1 = passed) for 20 students; the worked "
               "example of the Wikipedia article 'Logistic regression'.")
BREAST_CANCER = ("Breast Cancer Wisconsin (Diagnostic): 30 features of cell nuclei from "
                 "569 fine-needle aspirates; 1 = malignant (212), 0 = benign (357). UCI "
                 "Machine Learning Repository, doi:10.24432/C5DW2B, CC BY 4.0.")

IRIS = ("Fisher's iris data: sepal and petal length and width (cm) of 150 flowers, 50 of each "
        "of three species (setosa, versicolor, virginica). R.A. Fisher (1936); UCI Machine "
        "Learning Repository, doi:10.24432/C56C76, CC BY 4.0.")


def _read(filename: str) -> str:
    if hasattr(importlib.resources, "files"):  # Python 3.9+
        return (importlib.resources.files(__name__) / filename).read_text(encoding="utf-8")
    return importlib.resources.read_text(__name__, filename, encoding="utf-8")  # Python 3.8


def load_study_hours() -> Dataset:
    """The 20-student study-hours data: ``X`` is hours (one column), ``y`` is passed."""
    return parse_csv_text(_read("study_hours.csv"), "passed", source="study_hours.csv",
                          description=STUDY_HOURS)


def load_breast_cancer() -> Dataset:
    """The 569 x 30 breast-cancer data; ``y`` is 1 for malignant."""
    return parse_csv_text(_read("breast_cancer.csv"), "malignant", source="breast_cancer.csv",
                          description=BREAST_CANCER)


def load_iris() -> Dataset:
    """The 150 x 4 iris data; ``y`` codes the species 0 (setosa), 1 (versicolor), 2 (virginica)."""
    return parse_csv_text(_read("iris.csv"), "species", source="iris.csv", description=IRIS,
                          multiclass=True)

"""Chapter 14. Three small real data sets that ship inside the package.

- ``load_study_hours()``: hours studied and pass/fail for 20 students, the worked
  example of the Wikipedia article "Logistic regression". One feature, so every
  number can be checked by hand; the maximum-likelihood fit is b = -4.0777,
  w = 1.5046.
- ``load_breast_cancer()``: the Breast Cancer Wisconsin (Diagnostic) data from the
  UCI Machine Learning Repository (W.H. Wolberg, W.N. Street, O.L. Mangasarian;
  CC BY 4.0): 569 tumours, 30 measurements each, 1 = malignant (212), 0 = benign.
- ``load_endometrial()``: histology grade and three risk factors for 79 patients
  with endometrial cancer, the data with which Heinze and Schemper (2002)
  introduced Firth's method for separated data (provided by E. Asseryanis, Medical
  University of Vienna; this copy from the ``Endometrial.dat`` of Agresti's
  *Foundations of Linear and Generalized Linear Models*, 2015). Every patient with
  neovascularization (NV = 1) has a high grade: NV's maximum-likelihood estimate is
  +infinity (quasi-complete separation, chapter 5c).

The CSV files are read with ``importlib.resources``, so the loaders work from an
installed copy as well as from the source tree. Each returns a ``Dataset``
(``X``, ``y``, ``feature_names``, ``target_name``, ``description``, ``label_mapping``).
"""

import importlib.resources

from ..files import Dataset, parse_csv_text

__all__ = ["load_breast_cancer", "load_endometrial", "load_study_hours"]

STUDY_HOURS = ("Hours studied and exam outcome (1 = passed) for 20 students; the worked "
               "example of the Wikipedia article 'Logistic regression'.")
BREAST_CANCER = ("Breast Cancer Wisconsin (Diagnostic): 30 features of cell nuclei from "
                 "569 fine-needle aspirates; 1 = malignant (212), 0 = benign (357). UCI "
                 "Machine Learning Repository, doi:10.24432/C5DW2B, CC BY 4.0.")
ENDOMETRIAL = ("Endometrial cancer: histology grade HG (1 = high) and risk factors NV "
               "(neovascularization), PI (pulsatility index of the arteria uterina) and EH "
               "(endometrium height) for 79 patients; Heinze and Schemper (2002), from "
               "Agresti (2015). NV = 1 only with HG = 1: quasi-complete separation.")


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


def load_endometrial() -> Dataset:
    """The 79 x 3 endometrial-cancer data (NV, PI, EH); ``y`` is HG, 1 for a high grade."""
    return parse_csv_text(_read("endometrial.csv"), "HG", source="endometrial.csv",
                          description=ENDOMETRIAL)

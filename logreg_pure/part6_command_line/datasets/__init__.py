"""Chapter 31. Four small real data sets that ship inside the package.

- ``load_study_hours()``: hours studied and pass/fail for 20 students, the worked
  example of the Wikipedia article "Logistic regression". One feature, so every
  number can be checked by hand; the maximum-likelihood fit is b = -4.0777,
  w = 1.5046.
- ``load_breast_cancer()``: the Breast Cancer Wisconsin (Diagnostic) data from the
  UCI Machine Learning Repository (W.H. Wolberg, W.N. Street, O.L. Mangasarian;
  CC BY 4.0): 569 tumours, 30 measurements each, 1 = malignant (212), 0 = benign.
- ``load_iris()``: Fisher's iris data (UCI Machine Learning Repository, CC BY 4.0):
  150 flowers, 4 measurements in cm, three species (50 each), for the softmax
  model of chapter 19. ``y`` holds the codes 0, 1, 2 of ``setosa``, ``versicolor``
  and ``virginica`` (``data.labels()`` gives the names). Setosa is linearly
  separable from the other two, so fit it with ``reg > 0``.
- ``load_endometrial()``: histology grade and three risk factors for 79 patients
  with endometrial cancer, the data with which Heinze and Schemper (2002)
  introduced Firth's method for separated data (provided by E. Asseryanis, Medical
  University of Vienna; this copy from the ``Endometrial.dat`` of Agresti's
  *Foundations of Linear and Generalized Linear Models*, 2015). Every patient with
  neovascularization (NV = 1) has a high grade: NV's maximum-likelihood estimate is
  +infinity (quasi-complete separation, chapter 9).

The CSV files are read with ``importlib.resources``, so the loaders work from an
installed copy as well as from the source tree. Each returns a ``Dataset``
(``X``, ``y``, ``feature_names``, ``target_name``, ``description``, ``label_mapping``).

``export_datasets(folder)`` writes every file into a folder, unchanged, so that the
command line can be tried on a file the user has: ``python -m logreg_pure datasets
--export DIR``.
"""

import importlib.resources
import os
from typing import Dict, List, NamedTuple

from ..files import Dataset, parse_csv_text
from ..outputs import write_text

__all__ = ["DATASETS", "EmbeddedData", "export_datasets", "load_breast_cancer", "load_endometrial", "load_iris",
           "load_study_hours"]

STUDY_HOURS = ("Hours studied and exam outcome (1 = passed) for 20 students; the worked "
               "example of the Wikipedia article 'Logistic regression'.")
BREAST_CANCER = ("Breast Cancer Wisconsin (Diagnostic): 30 features of cell nuclei from "
                 "569 fine-needle aspirates; 1 = malignant (212), 0 = benign (357). UCI "
                 "Machine Learning Repository, doi:10.24432/C5DW2B, CC BY 4.0.")
ENDOMETRIAL = ("Endometrial cancer: histology grade HG (1 = high) and risk factors NV "
               "(neovascularization), PI (pulsatility index of the arteria uterina) and EH "
               "(endometrium height) for 79 patients; Heinze and Schemper (2002), from "
               "Agresti (2015). NV = 1 only with HG = 1: quasi-complete separation.")

IRIS = ("Fisher's iris data: sepal and petal length and width (cm) of 150 flowers, 50 of each "
        "of three species (setosa, versicolor, virginica). R.A. Fisher (1936); UCI Machine "
        "Learning Repository, doi:10.24432/C56C76, CC BY 4.0.")


class EmbeddedData(NamedTuple):
    """One embedded data set: its file, its target column and what it holds."""

    filename: str
    target: str
    description: str


DATASETS: Dict[str, EmbeddedData] = {
    "study_hours": EmbeddedData("study_hours.csv", "passed", STUDY_HOURS),
    "breast_cancer": EmbeddedData("breast_cancer.csv", "malignant", BREAST_CANCER),
    "iris": EmbeddedData("iris.csv", "species", IRIS),
    "endometrial": EmbeddedData("endometrial.csv", "HG", ENDOMETRIAL),
}


def _read(filename: str) -> str:
    if hasattr(importlib.resources, "files"):  # Python 3.9+
        return (importlib.resources.files(__name__) / filename).read_text(encoding="utf-8")
    return importlib.resources.read_text(__name__, filename, encoding="utf-8")  # Python 3.8


def _load(name: str) -> Dataset:
    data = DATASETS[name]
    # Two-class targets keep their 0/1 rule; iris's three species are coded 0, 1, 2.
    return parse_csv_text(_read(data.filename), data.target, source=data.filename, description=data.description,
                          multiclass=True)


def load_study_hours() -> Dataset:
    """The 20-student study-hours data: ``X`` is hours (one column), ``y`` is passed."""
    return _load("study_hours")


def load_breast_cancer() -> Dataset:
    """The 569 x 30 breast-cancer data; ``y`` is 1 for malignant."""
    return _load("breast_cancer")


def load_endometrial() -> Dataset:
    """The 79 x 3 endometrial-cancer data (NV, PI, EH); ``y`` is HG, 1 for a high grade."""
    return _load("endometrial")


def load_iris() -> Dataset:
    """The 150 x 4 iris data; ``y`` codes the species 0 (setosa), 1 (versicolor), 2 (virginica)."""
    return _load("iris")


def export_datasets(folder: str) -> List[str]:
    """Write every embedded data set into ``folder`` (made if missing) as its CSV file,
    unchanged; returns the paths.

    Nothing of the user's is overwritten: a file of the same name that holds the same
    text is left as it is, and one that differs is refused (``ValueError``, naming it)
    before anything is written. Each file is written whole or not at all.
    """
    texts = {os.path.join(folder, data.filename): _read(data.filename) for data in DATASETS.values()}
    _check_targets(folder, texts)
    try:
        os.makedirs(folder, exist_ok=True)
        for path, text in texts.items():
            if not os.path.exists(path):
                write_text(path, text)
    except OSError as error:
        raise ValueError(f"cannot write the data sets into {folder!r}: {error.strerror or error}") from None
    return list(texts)


def _check_targets(folder: str, texts: Dict[str, str]) -> None:
    """Refuse a folder that is a file, and a file that exists with other contents."""
    if os.path.exists(folder) and not os.path.isdir(folder):
        raise ValueError(f"{folder!r} is a file, not a folder: choose a folder for the data sets")
    for path, text in texts.items():
        if os.path.exists(path) and _read_existing(path) != text:
            raise ValueError(f"{path} exists and holds something else; move it away or choose another folder")


def _read_existing(path: str) -> str:
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            return handle.read()
    except (OSError, UnicodeDecodeError):  # a folder, unreadable, not text: not our file
        return ""

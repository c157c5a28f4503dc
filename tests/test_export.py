"""Chapter 31: the embedded data sets, written out as CSV files to try the command line on."""

import io
import os

import pytest

from logreg_pure.part6_command_line import cli
from logreg_pure.part6_command_line.datasets import DATASETS, export_datasets, load_study_hours
from logreg_pure.part6_command_line.files import load_csv

PACKAGED = os.path.join(os.path.dirname(cli.__file__), "datasets")


def run(*args):
    out = io.StringIO()
    return cli.main(list(args), out=out), out.getvalue()


def test_export_writes_the_packaged_files_unchanged(tmp_path):
    folder = str(tmp_path / "data")  # made if missing
    status, text = run("datasets", "--export", folder)
    assert status == 0 and "Try:" in text and "--target passed" in text
    for data in DATASETS.values():
        with open(os.path.join(folder, data.filename), "rb") as exported, \
                open(os.path.join(PACKAGED, data.filename), "rb") as packaged:
            assert exported.read() == packaged.read()
    # What the user then reads is what the library's own loader reads.
    assert load_csv(os.path.join(folder, "study_hours.csv"), "passed").X == load_study_hours().X
    assert run("datasets", "--export", folder)[0] == 0  # again: the same files are left as they are
    assert sorted(os.listdir(folder)) == sorted(d.filename for d in DATASETS.values())  # no temporary left


def test_export_never_overwrites_a_different_file(tmp_path, capsys):
    mine = tmp_path / "study_hours.csv"
    mine.write_text("my own data\n", encoding="utf-8")
    status, _ = run("datasets", "--export", str(tmp_path))
    assert status == 1 and "exists and holds something else" in capsys.readouterr().err
    assert mine.read_text(encoding="utf-8") == "my own data\n"
    assert not (tmp_path / "breast_cancer.csv").exists()  # refused before anything was written


def test_export_into_a_file_is_refused(tmp_path):
    path = tmp_path / "plain.txt"
    path.write_text("x", encoding="utf-8")
    with pytest.raises(ValueError, match="is a file, not a folder"):
        export_datasets(str(path))


def test_listing_names_every_data_set_and_its_target():
    status, text = run("datasets")
    assert status == 0 and "datasets --export DIR" in text
    for data in DATASETS.values():
        assert f"{data.filename} (target {data.target!r})" in text

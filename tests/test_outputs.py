"""Chapter 28: nothing lost: files written whole or not at all, outputs checked first.

Every output path is checked before any work, and Ctrl-C or a closed pipe ends a
command cleanly.

Failures are made real where that is possible: a file-size limit
(``resource.setrlimit(RLIMIT_FSIZE)`` in a child process, with ``SIGXFSZ`` ignored so
that the write fails with ``EFBIG`` instead of killing the process), a real SIGINT
sent to a running command, a pipe whose reader is gone. Elsewhere the failure is
injected (``os.fsync`` or ``os.replace`` raising) at each stage of a write.
"""

import os
import pathlib
import signal
import subprocess
import sys
import tempfile
import time

import pytest
from hypothesis import given, strategies as st

from logreg_pure import LogisticRegression
from logreg_pure.part6_command_line.files import load_model, save_model

from processes import python_env

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
needs_processes = pytest.mark.skipif(sys.platform == "emscripten", reason="Pyodide has no processes")
needs_posix = pytest.mark.skipif(os.name != "posix" or sys.platform == "emscripten",
                                 reason="needs POSIX signals and resource limits")

DATA = "hours,sleep,passed\n" + "".join(
    f"{h},{s},{p}\n" for h, s, p in [(0.5, 8, 0), (1.0, 6, 0), (1.5, 7, 0), (2.0, 5, 1), (2.5, 8, 0),
                                     (3.0, 6, 1), (3.5, 7, 0), (4.0, 5, 1), (4.5, 8, 1), (5.0, 6, 1)])


def command(*args):
    return [sys.executable, "-m", "logreg_pure", *args]


def run(*args, **options):
    env = python_env()
    return subprocess.run(command(*args), env=env, capture_output=True, text=True, timeout=300, **options)


def folder_listing(folder):
    return sorted(os.listdir(folder))


# ------------------------------------------------------------- the law

SURROGATE = "\ud800"  # a lone surrogate: no UTF-8 encoding exists, so the write fails midway


@given(old=st.text(max_size=50), new=st.text(max_size=200), position=st.integers(0, 200),
       broken=st.booleans())
def test_a_write_leaves_the_old_file_or_the_whole_new_one(old, new, position, broken):
    """Law: after write_text(path, text) the file holds exactly the new text, or, if the
    write failed midway, exactly the old text; and no temporary file remains.

    The failure is real: a lone surrogate, which UTF-8 cannot encode, after part of
    the text was written. Exact comparison: nothing here is arithmetic."""
    from logreg_pure.part6_command_line.outputs import write_text
    with tempfile.TemporaryDirectory() as folder:
        path = pathlib.Path(folder) / "target.txt"
        path.write_bytes(old.encode("utf-8"))
        text = new[:position] + SURROGATE + new[position:] if broken else new
        try:
            write_text(str(path), text)
        except ValueError:  # UnicodeEncodeError
            assert broken
        expected = old if broken else new
        assert path.read_bytes() == expected.encode("utf-8")
        assert folder_listing(folder) == ["target.txt"]


# ---------------------------------------------------- injected failures

@pytest.fixture
def fitted():
    return LogisticRegression(solver="newton", reg=0.1).fit([[0.0], [1.0], [2.0], [3.0]], [0, 1, 0, 1])


@pytest.mark.parametrize("stage, error", [("fsync", OSError(28, "No space left on device")),
                                          ("replace", OSError(5, "Input/output error")),
                                          ("fsync", KeyboardInterrupt())])
def test_a_failure_at_any_stage_keeps_the_old_model_file(tmp_path, fitted, monkeypatch, stage, error):
    from logreg_pure.part6_command_line import outputs
    path = tmp_path / "m.json"
    save_model(str(path), fitted)
    before = path.read_bytes()

    def fail(*args, **kwargs):
        raise error

    monkeypatch.setattr(outputs.os, stage, fail)
    with pytest.raises(type(error) if isinstance(error, KeyboardInterrupt) else ValueError) as raised:
        save_model(str(path), fitted, target_name="other")
    monkeypatch.undo()
    if isinstance(error, OSError):
        assert str(path) in str(raised.value) and "unchanged" in str(raised.value)
    assert path.read_bytes() == before and folder_listing(tmp_path) == ["m.json"]


def test_save_model_with_an_unwritable_label_keeps_the_old_file(tmp_path, fitted):
    # Issue 13, item 1: json.dump into the opened file used to truncate it first.
    path = tmp_path / "m.json"
    save_model(str(path), fitted)
    before = path.read_bytes()
    with pytest.raises(ValueError, match="nothing was written"):
        save_model(str(path), fitted, label_mapping={("a", "tuple"): 0, "b": 1})
    assert path.read_bytes() == before and folder_listing(tmp_path) == ["m.json"]


@pytest.mark.parametrize("options, field", [
    ({"feature_names": [1]}, "feature_names"),
    ({"label_mapping": {"a": 0, "b": 0}}, "label_mapping"),
    ({"target_name": None}, "target_name"),
])
def test_save_model_refuses_what_load_model_would_refuse(tmp_path, fitted, options, field):
    # Issue 13, item 4: these were written, and then the file could not be loaded.
    path = tmp_path / "m.json"
    save_model(str(path), fitted)
    before = path.read_bytes()
    with pytest.raises(ValueError, match=f"field '{field}'.*nothing was written"):
        save_model(str(path), fitted, **options)
    assert path.read_bytes() == before
    load_model(str(path))


def test_a_new_file_gets_the_usual_permissions_and_an_old_one_keeps_its_own(tmp_path):
    from logreg_pure.part6_command_line.outputs import write_text
    mask = os.umask(0o022)
    try:
        write_text(str(tmp_path / "new.txt"), "x")
        assert (tmp_path / "new.txt").stat().st_mode & 0o777 == 0o644  # not mkstemp's 0o600
        (tmp_path / "old.txt").write_text("x")
        os.chmod(tmp_path / "old.txt", 0o640)
        write_text(str(tmp_path / "old.txt"), "y")
        assert (tmp_path / "old.txt").stat().st_mode & 0o777 == 0o640
    finally:
        os.umask(mask)


# --------------------------------------------- a real file-size limit

LIMITED = """
import resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG
resource.setrlimit(resource.RLIMIT_FSIZE, (1024, 1024))
from logreg_pure.part6_command_line.cli import main
sys.exit(main(sys.argv[1:]))
"""


def run_limited(*args):
    env = python_env()
    return subprocess.run([sys.executable, "-c", LIMITED, *args], env=env, capture_output=True,
                          text=True, timeout=300)


@needs_posix
def test_a_file_size_limit_leaves_every_old_output_whole(tmp_path):
    # Issue 13, item 1: with `ulimit -f 1`, fit replaced a valid model with 1,024 bytes
    # of invalid JSON, and predict --output and the plots did the same.
    names = [f"a_feature_with_a_long_name_{j}" for j in range(12)]  # a model file of about 2 KB
    data = tmp_path / "d.csv"
    data.write_text(",".join(names) + ",passed\n" + "".join(
        ",".join(str((i * (j + 3)) % 11) for j in range(12)) + f",{i % 2}\n" for i in range(40)))
    model, plots, output = tmp_path / "m.json", tmp_path / "plots", tmp_path / "p.csv"
    many = tmp_path / "many.csv"
    many.write_text(",".join(names) + "\n" + (",".join(["1.5"] * 12) + "\n") * 400)
    first = run("fit", str(data), "--target", "passed", "--model", str(model), "--reg", "0.1",
                "--plots", str(plots), "--quiet")
    assert first.returncode == 0, first.stderr
    assert run("predict", str(model), str(many), "--output", str(output)).returncode == 0
    before = {path: path.read_bytes() for path in [model, output, *plots.iterdir()]}
    assert all(len(text) > 1024 for path, text in before.items() if path != output)

    refit = run_limited("fit", str(data), "--target", "passed", "--model", str(model), "--reg", "0.5",
                        "--plots", str(plots), "--quiet")
    predicted = run_limited("predict", str(model), str(many), "--proba", "--output", str(output))
    assert {path: path.read_bytes() for path in before} == before
    assert folder_listing(tmp_path) == ["d.csv", "m.json", "many.csv", "p.csv", "plots"]
    assert refit.returncode == 1 and "Traceback" not in refit.stderr
    assert refit.stderr.startswith(f"error: cannot write {model}: File too large")
    assert predicted.returncode == 1 and "File too large" in predicted.stderr
    assert folder_listing(plots) == ["objective.svg", "roc.svg"]


# -------------------------------------------- outputs checked first

@needs_processes
@pytest.mark.parametrize("extra, words", [
    (["--plots", "{file}"], "--plots {file}: is a file, not a folder"),
    (["--plots", "{file}/sub"], "is not a folder"),
])
def test_fit_checks_every_output_before_writing_any(tmp_path, extra, words):
    # Issue 13, item 1: `fit ... --model m.json --plots somefile` overwrote m.json, then failed.
    data = tmp_path / "d.csv"
    data.write_text(DATA)
    somefile = tmp_path / "somefile"
    somefile.write_text("keep me")
    model = tmp_path / "m.json"
    model.write_text("old model")
    extra = [part.replace("{file}", str(somefile)) for part in extra]
    result = run("fit", str(data), "--target", "passed", "--model", str(model), *extra)
    assert result.returncode == 1 and words.replace("{file}", str(somefile)) in result.stderr
    assert model.read_text() == "old model" and somefile.read_text() == "keep me"


@needs_processes
def test_bad_output_paths_are_named_with_what_is_wrong(tmp_path):
    # Issue 14, item 9: "--model /nonexistent/dir/m.json" printed a raw "[Errno 2]".
    data = tmp_path / "d.csv"
    data.write_text(DATA)
    missing = run("fit", str(data), "--target", "passed", "--model", "/nonexistent/dir/m.json")
    assert missing.returncode == 1
    assert missing.stderr.strip() == ("error: --model /nonexistent/dir/m.json: the folder '/nonexistent/dir' "
                                      "does not exist; create it first or choose another path")
    folder = run("fit", str(data), "--target", "passed", "--model", str(tmp_path))
    assert folder.returncode == 1 and f"--model {tmp_path}: is a folder; give a file name" in folder.stderr
    output = run("predict", "m.json", str(data), "--output", "/nonexistent/p.csv")
    assert output.returncode == 1 and "--output /nonexistent/p.csv: the folder" in output.stderr
    demo = run("demo", "--out", str(data))
    assert demo.returncode == 1 and "is a file, not a folder" in demo.stderr
    assert "Errno" not in missing.stderr + folder.stderr + output.stderr + demo.stderr


def test_output_checks():
    from logreg_pure.part6_command_line.outputs import check_output_file, check_output_folder
    with pytest.raises(ValueError, match="the path is empty"):
        check_output_file("", "--model")
    with pytest.raises(ValueError, match="is a folder"):
        check_output_file(os.curdir, "--model")
    check_output_file("new-file-here.json")  # the current folder is writable: fine
    check_output_folder(os.path.join("no", "such", "folders", "yet"))  # will be created


# ------------------------------------------------------ Ctrl-C

def interrupt_after(args, seconds, cwd):
    env = python_env()
    process = subprocess.Popen(command(*args), env=env, cwd=cwd, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    time.sleep(seconds)
    assert process.poll() is None, "the command ended before it could be interrupted: make it longer"
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=120)
    return process.returncode, out, err


@needs_posix
def test_ctrl_c_during_a_fit_prints_one_line_and_leaves_no_file(tmp_path):
    # Issue 13, item 9: a 24-29 line KeyboardInterrupt traceback.
    rows = "".join(f"{i % 97 / 10},{i % 13},{(i * 7919) % 2}\n" for i in range(5000))
    (tmp_path / "big.csv").write_text("a,b,y\n" + rows)
    status, out, err = interrupt_after(["fit", "big.csv", "--target", "y", "--model", "m.json",
                                        "--solver", "gd", "--epochs", "1000000", "--tol", "0", "--quiet",
                                        "--plots", "plots"], 2.0, tmp_path)
    assert (status, err) == (130, "interrupted\n")
    assert folder_listing(tmp_path) == ["big.csv"]


@needs_posix
def test_ctrl_c_while_reading_a_large_file_prints_one_line(tmp_path):
    rows = "".join(f"{i % 97 / 10},{i % 13},{i % 7},{(i * 7919) % 2}\n" for i in range(600000))
    (tmp_path / "huge.csv").write_text("a,b,c,y\n" + rows)
    status, out, err = interrupt_after(["fit", "huge.csv", "--target", "y", "--model", "m.json", "--quiet"],
                                       1.0, tmp_path)
    assert (status, err) == (130, "interrupted\n")
    assert folder_listing(tmp_path) == ["huge.csv"]


# -------------------------------------------------- a closed pipe

@needs_posix
@pytest.mark.parametrize("args", [["summary"], ["demo", "--out", "{tmp}"]])
def test_a_closed_pipe_ends_the_command_quietly(tmp_path, args):
    # Issue 13, item 15: `demo | head -1` printed "error: [Errno 32] Broken pipe" and exited 1.
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before the first line: every write fails
    env = python_env()
    args = [a.replace("{tmp}", str(tmp_path / "plots")) for a in args]
    process = subprocess.run(command(*args), env=env, stdout=write_end, stderr=subprocess.PIPE,
                             text=True, timeout=300)
    os.close(write_end)
    assert process.stderr == "" and process.returncode == 141


@needs_posix
def test_head_reads_the_first_line_and_nothing_complains(tmp_path):
    env = python_env()
    shell = subprocess.run(f"{sys.executable} -m logreg_pure demo --out {tmp_path / 'p'} | head -1",
                           shell=True, env=env, capture_output=True, text=True, timeout=300)
    assert shell.stdout.startswith("Breast cancer") and shell.stderr == ""


# ------------------------------------- issue 23: SIGTERM, SIGHUP, Ctrl-C at start

SIGNALLED = """
import os, signal, sys
from logreg_pure.part6_command_line import outputs
from logreg_pure.part6_command_line.cli import main
real_fsync = outputs.os.fsync

def fsync_then_signal(handle):  # the signal arrives mid-write: the temporary file exists, half done
    real_fsync(handle)
    os.kill(os.getpid(), getattr(signal, sys.argv[1]))

outputs.os.fsync = fsync_then_signal
sys.exit(main(sys.argv[2:]))
"""


@needs_posix
@pytest.mark.parametrize("name, status", [("SIGTERM", 143), ("SIGHUP", 129)])
def test_a_signal_during_a_write_leaves_the_old_file_and_no_temporary(tmp_path, name, status):
    # Issue 23, item 5: SIGTERM or SIGHUP during a write left a .NAME.XXXX.tmp file.
    (tmp_path / "d.csv").write_text(DATA)
    (tmp_path / "m.json").write_text("the old model")
    process = subprocess.run([sys.executable, "-c", SIGNALLED, name, "fit", "d.csv", "--target", "passed",
                              "--model", "m.json", "--reg", "0.1"], cwd=tmp_path, env=python_env(),
                             capture_output=True, text=True, timeout=300)
    assert (process.returncode, process.stderr) == (status, f"stopped by {name}\n")
    assert folder_listing(tmp_path) == ["d.csv", "m.json"] and (tmp_path / "m.json").read_text() == "the old model"


INTERRUPT_DURING_IMPORT = """
import os, signal, sys

class InterruptWhenImported:  # Ctrl-C, delivered while Python imports one module of the package
    def find_spec(self, name, path=None, target=None):
        if name == os.environ.get("LOGREG_INTERRUPT_AT"):
            os.kill(os.getpid(), signal.SIGINT)
        return None

sys.meta_path.insert(0, InterruptWhenImported())
"""


@needs_posix
@pytest.mark.parametrize("module", ["logreg_pure.part1_mathematics.errors", "logreg_pure.part5_inference.inference", "logreg_pure.part6_command_line.cli",
                                    "logreg_pure.part7_book.book"])
def test_ctrl_c_during_the_import_prints_one_line(tmp_path, module):
    # Issue 23, item 3: Ctrl-C in the first 0.2 s (the package's import) printed a traceback
    # and the process died of SIGINT (status -2). The interrupt is sent by an import hook
    # (a sitecustomize module), at a chosen module: no race with the clock.
    (tmp_path / "sitecustomize.py").write_text(INTERRUPT_DURING_IMPORT)
    env = dict(python_env(os.pathsep.join([str(tmp_path), ROOT])), LOGREG_INTERRUPT_AT=module)
    process = subprocess.run(command("summary"), cwd=tmp_path, env=env, capture_output=True, text=True,
                             timeout=300)
    assert (process.returncode, process.stderr, process.stdout) == (130, "interrupted\n", "")

"""How the tests run the command line: in a new Python process, or in this one.

Each such process imports the library afresh. Where ``PYTHONDONTWRITEBYTECODE`` is
set (as on some CI machines) every one of them would compile all forty modules
again, about a fifth of a second each time; here they share one bytecode cache in a
temporary folder (``PYTHONPYCACHEPREFIX``, Python 3.8+), removed when the tests end,
so the source tree gets no ``__pycache__`` folders it did not already have.
"""

import atexit
import contextlib
import io
import os
import shutil
import subprocess
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_CACHE = tempfile.mkdtemp(prefix="logreg-pycache-")
atexit.register(shutil.rmtree, _CACHE, ignore_errors=True)


def python_env(pythonpath: str = ROOT) -> dict:
    """This process's environment, with ``pythonpath`` first on the import path and
    the shared bytecode cache."""
    env = dict(os.environ, PYTHONPATH=pythonpath, PYTHONPYCACHEPREFIX=_CACHE)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def run_in_process(*args, cwd=None) -> subprocess.CompletedProcess:
    """Run one command as ``python -m logreg_pure ARGS`` would, but in this process (the
    module ``__main__`` only calls ``cli.main``), in the folder ``cwd``: its exit status,
    standard output and standard error, as ``subprocess.run`` reports them. A process
    costs a fifth of a second of start-up per command and does not exist in Pyodide;
    the tests of signals, pipes and file-size limits (test_outputs.py) start real ones.
    """
    from logreg_pure.part6_command_line.cli import main

    out, err = io.StringIO(), io.StringIO()
    before = os.getcwd()
    try:
        os.chdir(cwd or before)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):  # argparse's --help too
            try:
                status = main(list(args), out=out)
            except SystemExit as stop:  # argparse's usage errors and --help
                status = stop.code
    finally:
        os.chdir(before)
    return subprocess.CompletedProcess(list(args), status, out.getvalue(), err.getvalue())


class Terminal(io.StringIO):
    """A standard stream that claims to be a terminal, where progress is shown and
    names are escaped: ``monkeypatch.setattr(sys, "stderr", Terminal())``."""

    def isatty(self):
        return True


def run_status(*args, cwd=None):
    """``(status, stdout, stderr)`` of one command run in this process (``run_in_process``)."""
    done = run_in_process(*args, cwd=cwd)
    return done.returncode, done.stdout, done.stderr

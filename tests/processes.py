"""The environment for tests that run this checkout's code in a new Python process.

Each such process imports the library afresh. Where ``PYTHONDONTWRITEBYTECODE`` is
set (as on some CI machines) every one of them would compile all forty modules
again, about a fifth of a second each time; here they share one bytecode cache in a
temporary folder (``PYTHONPYCACHEPREFIX``, Python 3.8+), removed when the tests end,
so the source tree gets no ``__pycache__`` folders it did not already have.
"""

import atexit
import os
import shutil
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

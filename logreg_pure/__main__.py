"""``python -m logreg_pure``: see ``cli.py``.

Ctrl-C in the first moments: Python imports the package (``__init__.py``, and through
it most chapters, about 0.2 s) before it runs this file, so a handler installed here
would come too late (Ctrl-C then printed a traceback and the process died of SIGINT).
``__init__.py`` therefore installs one first, only when it is imported to run as a
program (``sys.argv[0] == "-m"``; a library imported by another program never touches
its handlers): Ctrl-C prints ``interrupted`` and exits with 130. Here, just before the
command runs, Ctrl-C goes back to Python (``KeyboardInterrupt``): from then on
``cli.main`` catches it and removes any half-written file on the way out.
"""

import signal
import sys

if __name__ == "__main__":  # guarded so that importing this module (doctest collection) runs nothing
    try:
        from .part6_command_line.cli import main
    except KeyboardInterrupt:  # Ctrl-C while the chapters are imported, where the package's handler is not set
        print("interrupted", file=sys.stderr)
        sys.exit(130)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    sys.exit(main())

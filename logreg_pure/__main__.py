"""``python -m logreg_pure``: see ``cli.py``."""

import sys

from .cli import main

if __name__ == "__main__":  # guarded so that importing this module (doctest collection) runs nothing
    sys.exit(main())

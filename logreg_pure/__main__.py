"""``python -m logreg_pure``: see ``cli.py``."""

import sys

if __name__ == "__main__":  # guarded so that importing this module (doctest collection) runs nothing
    try:
        from .cli import main
    except KeyboardInterrupt:  # Ctrl-C while the chapters are imported
        print("interrupted", file=sys.stderr)
        sys.exit(130)
    sys.exit(main())

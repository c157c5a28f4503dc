"""Chapter 25. Output files: checked before any work, written whole or not at all.

Opening a file with mode ``"w"`` empties it at once. If the program then fails
(a full disk, a file-size limit, Ctrl-C, a value that cannot be written), the user
is left with half a file and has lost the old one. Editors and databases avoid that
in three steps, and so does ``write_text``, through which every file this library
writes goes (model files, predictions, plots, the book's pages):

1. write the new text to a temporary file in the *same* folder;
2. flush it and ask the operating system to put it on the disk (``os.fsync``);
3. rename it over the target with ``os.replace``, which is atomic within one
   folder on POSIX and on Windows: a reader sees the old file or the new one,
   never a mixture.

If anything fails before the rename, Ctrl-C included, the temporary file is
removed and the old file is untouched. A failed write is a ``ValueError`` that
names the file and says that nothing was changed.

A command that writes several files checks all their paths first: the folder
must exist (or be creatable, for a folder of plots), be a folder and be writable,
and the target must not be a folder. So ``fit ... --model m.json --plots FILE``
stops before the fit, and never overwrites ``m.json`` only to fail on the plots.
"""

import os
import tempfile
from typing import Iterable

__all__ = ["check_output_file", "check_output_folder", "write_text"]


def _file_mode(path: str) -> int:
    """The permissions the new file gets: the old file's, else the usual ``0o666`` less
    the umask (``mkstemp`` alone would make it private, ``0o600``)."""
    try:
        return os.stat(path).st_mode & 0o7777
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask


def _sync_folder(folder: str) -> None:
    """Flush the folder's entry for the renamed file too (POSIX; elsewhere a no-op)."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:  # Windows cannot open folders; the rename is already done
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)


def write_text(path: str, text: str) -> None:
    """Write ``text`` (UTF-8, newlines as given) to ``path``, whole or not at all.

    >>> import os, tempfile
    >>> folder = tempfile.mkdtemp()
    >>> write_text(os.path.join(folder, "a.txt"), "hello\\n")
    >>> open(os.path.join(folder, "a.txt")).read(), os.listdir(folder)
    ('hello\\n', ['a.txt'])

    Raises ``ValueError`` naming the file if it cannot be written (the old file, if
    any, is then unchanged and no temporary file remains).
    """
    folder = os.path.dirname(os.path.abspath(path))
    mode = _file_mode(path)
    try:
        handle, temporary = tempfile.mkstemp(dir=folder, prefix="." + os.path.basename(path) + ".",
                                             suffix=".tmp")
    except OSError as error:
        raise ValueError(f"cannot write {path}: {error.strerror or error}") from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException as error:  # Ctrl-C included: no half-written file is left behind
        if os.path.exists(temporary):
            os.remove(temporary)
        if isinstance(error, OSError):
            raise ValueError(f"cannot write {path}: {error.strerror or error}; "
                             f"the previous file (if any) is unchanged") from None
        raise
    _sync_folder(folder)


def _writable_folder(folder: str, what: str) -> None:
    if not os.path.isdir(folder):
        raise ValueError(f"{what}: {folder!r} is not a folder")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ValueError(f"{what}: the folder {folder!r} is not writable; choose another place")


def check_output_file(path: str, what: str = "output") -> None:
    """Refuse a file path that cannot be written, before any work is done.

    ``what`` names the path in the message (an option such as ``"--model"``). The
    folder must exist and be writable; ``path`` itself must not be a folder.

    >>> check_output_file("/no/such/folder/m.json", "--model")
    Traceback (most recent call last):
    ...
    ValueError: --model /no/such/folder/m.json: the folder '/no/such/folder' does not exist; create it first or choose another path
    """
    if not path:
        raise ValueError(f"{what}: the path is empty; give a file name")
    if os.path.isdir(path):
        raise ValueError(f"{what} {path}: is a folder; give a file name (for example {os.path.join(path, 'out')})")
    folder = os.path.dirname(path) or os.curdir
    if not os.path.exists(folder):
        raise ValueError(f"{what} {path}: the folder {folder!r} does not exist; "
                         f"create it first or choose another path")
    _writable_folder(folder, f"{what} {path}")


def check_output_folder(path: str, what: str = "output folder", names: Iterable[str] = ()) -> None:
    """Refuse a folder that cannot receive files, before any work is done.

    A folder that does not exist yet will be created, so its nearest existing
    parent must be a writable folder. ``names`` are the files that will be written
    inside it: none of them may be a folder.
    """
    if not path:
        raise ValueError(f"{what}: the path is empty; give a folder name")
    if os.path.exists(path):
        if not os.path.isdir(path):
            raise ValueError(f"{what} {path}: is a file, not a folder; choose a folder name")
        _writable_folder(path, f"{what} {path}")
        for name in names:
            check_output_file(os.path.join(path, name), what)
        return
    parent = os.path.dirname(os.path.abspath(path))
    while not os.path.exists(parent):
        parent = os.path.dirname(parent)
    _writable_folder(parent, f"{what} {path}")

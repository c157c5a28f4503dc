"""Chapter 28. Output files: checked before any work, written whole or not at all.

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

The temporary file's name is drawn before it is created, and it is created (with
``O_EXCL``, so never someone else's file) inside the block that removes it: there is
no moment at which a signal could leave it behind. The command line turns SIGTERM
and SIGHUP into an exception too (chapter 35), so ``kill`` cleans up like Ctrl-C.

A **symbolic link** is written through: the new text replaces the link's target,
by the same three steps in the target's folder, and the link stays a link (as
editors do). A link that points nowhere yet gets its target created.

A command that writes several files checks all their paths first: the folder
must exist (or be creatable, for a folder of plots), be a folder and be writable,
and the target must not be a folder. So ``fit ... --model m.json --plots FILE``
stops before the fit, and never overwrites ``m.json`` only to fail on the plots.
An output must also not be one of the command's inputs, nor another of its outputs
(``check_distinct_files``): ``fit d.csv --model d.csv`` would replace the data.
"""

import os
from typing import Iterable, Sequence, Tuple

__all__ = ["check_distinct_files", "check_output_file", "check_output_folder", "same_file", "write_text"]

_NAME_ATTEMPTS = 100  # fresh temporary names to try before giving up (each is 40 random bits)


def _file_mode(path: str) -> int:
    """The permissions the new file gets: the old file's, else the usual ``0o666`` less
    the umask (the temporary file is created private, ``0o600``, until it is whole)."""
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


def _written_path(path: str) -> str:
    """Where the text of ``path`` goes: the target of a symbolic link (followed to its end),
    else ``path`` itself."""
    return os.path.realpath(path) if os.path.islink(path) else path


def _temporary_name(target: str) -> str:
    """A fresh name beside ``target``: ``.NAME.XXXXXXXXXX.tmp``, hidden and easy to recognise."""
    folder, name = os.path.split(os.path.abspath(target))
    return os.path.join(folder, f".{name}.{os.urandom(5).hex()}.tmp")


def _remove_quietly(path: str) -> None:
    try:
        os.remove(path)
    except OSError:  # never created (the failure came first), or already gone
        pass


def _write_whole(temporary: str, target: str, text: str, mode: int) -> None:
    """Create ``temporary`` (only if no such file exists), write, flush, sync, rename."""
    handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
        stream.write(text)
        stream.flush()
        os.fsync(stream.fileno())
    os.chmod(temporary, mode)
    os.replace(temporary, target)


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
    target = _written_path(path)
    mode = _file_mode(target)
    for _ in range(_NAME_ATTEMPTS):
        temporary = _temporary_name(target)  # only a name: no file exists yet to be left behind
        try:
            _write_whole(temporary, target, text, mode)
        except FileExistsError:  # O_EXCL: the name is another file's (only os.open raises this): draw again
            continue
        except BaseException as error:  # Ctrl-C and signals included: no half-written file is left behind
            _remove_quietly(temporary)
            if isinstance(error, OSError):
                raise ValueError(f"cannot write {path}: {error.strerror or error}; "
                                 f"the previous file (if any) is unchanged") from None
            raise
        _sync_folder(os.path.dirname(os.path.abspath(target)))
        return
    raise ValueError(f"cannot write {path}: no free temporary name in its folder after "
                     f"{_NAME_ATTEMPTS} tries; the previous file (if any) is unchanged")


def _writable_folder(folder: str, what: str) -> None:
    if not os.path.isdir(folder):
        raise ValueError(f"{what}: {folder!r} is not a folder")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ValueError(f"{what}: the folder {folder!r} is not writable; choose another place")


def check_output_file(path: str, what: str = "output") -> None:
    """Refuse a file path that cannot be written, before any work is done.

    ``what`` names the path in the message (an option such as ``"--model"``). The
    folder must exist and be writable; ``path`` itself must not be a folder. For a
    symbolic link these hold for its target, which is what will be written.

    >>> check_output_file("/no/such/folder/m.json", "--model")
    Traceback (most recent call last):
    ...
    ValueError: --model /no/such/folder/m.json: the folder '/no/such/folder' does not exist; create it first or choose another path
    """
    if not path:
        raise ValueError(f"{what}: the path is empty; give a file name")
    if os.path.isdir(path):
        raise ValueError(f"{what} {path}: is a folder; give a file name (for example {os.path.join(path, 'out')})")
    target = _written_path(path)
    link = f" (a link to {target})" if target != path else ""
    folder = os.path.dirname(target) or os.curdir
    if not os.path.exists(folder):
        raise ValueError(f"{what} {path}{link}: the folder {folder!r} does not exist; "
                         f"create it first or choose another path")
    _writable_folder(folder, f"{what} {path}{link}")


def same_file(first: str, second: str) -> bool:
    """Do two paths name one file? Links (symbolic and hard) and other spellings
    (``./d.csv``, ``sub/../d.csv``, an absolute path) count: ``os.path.samefile``
    compares the files themselves when both exist; a file not written yet is the same
    as another path only if their real paths (links followed) are equal.

    >>> same_file("d.csv", "./sub/../d.csv"), same_file("a.csv", "b.csv")
    (True, False)
    """
    try:
        return os.path.samefile(first, second)
    except (OSError, ValueError):  # one does not exist (yet), or a name the system refuses
        return os.path.normcase(os.path.realpath(first)) == os.path.normcase(os.path.realpath(second))


def check_distinct_files(outputs: Sequence[Tuple[str, str]], inputs: Sequence[Tuple[str, str]] = ()) -> None:
    """Refuse an output that is one of the inputs, or that an earlier output also names,
    before any work is done. Each entry is ``(what, path)``: ``("--model", "m.json")``,
    ``("the data file", "d.csv")``.

    >>> check_distinct_files([("--model", "d.csv")], [("the data file", "./d.csv")])
    Traceback (most recent call last):
    ...
    ValueError: --model d.csv is the data file ./d.csv: writing it would replace the input; choose another path
    """
    for k, (what, path) in enumerate(outputs):
        for source, given in inputs:
            if same_file(path, given):
                raise ValueError(f"{what} {path} is {source} {given}: writing it would replace the input; "
                                 f"choose another path")
        for other, earlier in outputs[:k]:
            if same_file(path, earlier):
                raise ValueError(f"{what} {path} is also {other} {earlier}: one would replace the other; "
                                 f"give each output its own path")


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

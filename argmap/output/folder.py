"""The output folder, replaced as a whole: written beside it, then swapped in.

The site is written into a temporary sibling folder, each file as soon as it is
rendered (a large map's page is never whole in memory), and swapped in place of the old
output folder only when every file is written (:class:`SiteWriter`). A failed build
therefore leaves the previous output exactly as it was. What was written is recorded
(sealed, in the build cache) so that a build that would write the same files writes
nothing (:func:`output_unchanged`). A folder argmap must not replace, or one reached
through a symbolic link, is refused before anything is written.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import shutil
import stat
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from argmap.diagnostics import environment_error
from argmap.output.files import (
    CLOEXEC,
    NOFOLLOW,
    NONBLOCK,
    replace_file,
    safe_relative_path,
    site_path,
    write_file,
)
from argmap.output.store import cache_folder, open_sealed, read_entry, write_sealed

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

MARKER = ".argmap-output"  # marks a folder argmap may replace as a whole
# Entries of an output folder that a build carries over into the new folder: a custom
# domain for GitHub Pages, a checkout of the branch the site is published from.
KEPT = ("CNAME", ".git", ".well-known")
_MARKER_TEXT = b"This folder is written by `argmap build` and replaced on every build.\n"


class OutputFolderRefusedError(ValueError):
    """The output folder is one argmap must not replace (a usage error, exit code 2)."""


def check_output_folder(out_dir: Path, inputs: list[Path]) -> None:
    """Refuse an output folder whose replacement would delete the user's own files.

    The output folder is replaced as a whole, so it must not contain the current folder
    or any input, and an existing non-empty folder must be one argmap wrote before.
    Nor may it be reached through a link (:func:`refuse_linked_paths`).
    """
    refuse_linked_paths(out_dir)
    out = out_dir.resolve()
    protected = [Path.cwd().resolve(), *(p.resolve() for p in inputs)]
    for path in protected:
        if path == out or out in path.parents:
            raise OutputFolderRefusedError(
                f"the output folder {out_dir} contains {path}, which a build would replace"
            )
    if out.exists() and not out.is_dir():
        raise OutputFolderRefusedError(
            f"{out_dir} exists and is not a folder; choose another --out"
        )
    foreign = out.is_dir() and any(p.name not in KEPT for p in out.iterdir())
    if foreign and not (out / MARKER).is_file():
        raise OutputFolderRefusedError(
            f"{out_dir} already exists and was not written by argmap; "
            "choose a new or empty folder with --out (argmap replaces the whole folder)"
        )


def refuse_linked_paths(out_dir: Path) -> None:
    """Refuse (OutputFolderRefusedError) an output folder that is, or is reached through,
    a symbolic link, and a cache or lock beside it that is a link or not what argmap
    keeps there.

    A project can hold links (a stranger's pull request can add them), and a build
    deletes and replaces files in these places: argmap never follows a link to do so.
    A build calls this before it writes anything, the cache included.
    """
    refuse_links(
        out_dir,
        "the output folder",
        "it is replaced as a whole",
        "remove the link, or give the folder it points to as --out",
    )
    out = out_dir.resolve()
    for beside, what, kind in (
        (cache_folder(out), "the build cache", stat.S_ISDIR),
        (out.parent / f".{out.name}.lock", "the build's lock file", stat.S_ISREG),
    ):
        refuse_links(beside, what, "argmap writes and deletes files there", "remove the link")
        # Missing, or not reachable (a file on the way): the build says so as it writes.
        with contextlib.suppress(FileNotFoundError, NotADirectoryError):
            if not kind(os.lstat(beside).st_mode):
                raise OutputFolderRefusedError(
                    f"{_shown(beside)} is not what argmap keeps there ({what}); "
                    "move it away and build again"
                )


def check_private_folder(
    folder: Path, out_dir: Path, option: str, names: Iterable[str] = ()
) -> None:
    """Refuse (OutputFolderRefusedError) a folder for files that must not be published
    (``--handout-keys``): the output folder, a folder inside it, a folder reached through
    a symbolic link, or something that is not a folder; and, with the ``names`` of the
    files to write there, one that would land in the output folder (``--out DIR/site``
    and a map in a folder ``site``). Called before a build writes anything."""
    refuse_links(
        folder,
        f"the {option} folder",
        "argmap writes files into it",
        f"remove the link, or give the folder it points to as {option}",
    )
    where, site = folder.resolve(), out_dir.resolve()
    if where == site or site in where.parents:
        place = "is" if where == site else "is inside"
        raise OutputFolderRefusedError(
            f"{option} {_shown(folder)} {place} the output folder {_shown(out_dir)}, "
            f"which is published; give {option} a folder outside it"
        )
    if folder.exists() and not folder.is_dir():
        raise OutputFolderRefusedError(
            f"{option} {_shown(folder)} exists and is not a folder; give {option} a folder"
        )
    for name in names:
        target = site_path(folder, name)
        if site in target.resolve().parents:
            raise OutputFolderRefusedError(
                f"{option} {_shown(folder)} would put {_shown(target)} into the output "
                f"folder {_shown(out_dir)}, which is published; give {option} a folder "
                "outside it"
            )


def write_private_files(folder: Path, files: Iterable[tuple[str, bytes]]) -> list[Path]:
    """Write files of one's own (not the site's) below ``folder``, each replaced in one
    step (:func:`replace_file`); a symbolic link on the way below ``folder`` or at a
    file is refused (OutputFolderRefusedError, LinkedTargetError), never followed."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in files:
        here = folder
        for part in safe_relative_path(name).parts[:-1]:
            here = here / part
            refuse_links(here, f"a folder in {folder}", "argmap writes into it", "remove the link")
            here.mkdir(exist_ok=True)
        target = site_path(folder, name)
        replace_file(target, data)
        written.append(target)
    return written


def _shown(path: Path) -> str:
    """``path`` relative to the current folder when it is below it (for messages)."""
    with contextlib.suppress(ValueError):
        return str(path.relative_to(Path.cwd()))
    return str(path)


def refuse_links(path: Path, what: str, why: str, fix: str) -> None:
    """Refuse ``path`` when it, or a folder on its way from the current folder, is a
    symbolic link (OutputFolderRefusedError, a usage error).

    The path is walked a name at a time as the system will (``..`` after a real folder
    is its parent). Only names at or below the current folder are looked at, and the
    last one always: links above it (``/tmp`` on macOS) are the machine's, not the
    project's.
    """
    cwd = Path.cwd()
    here = cwd if not path.is_absolute() else Path(path.anchor)
    parts = [part for part in path.parts[1 if path.is_absolute() else 0 :] if part != "."]
    for index, part in enumerate(parts):
        here = here.parent if part == ".." else here / part
        last = index == len(parts) - 1
        if part == ".." or not (last or here == cwd or cwd in here.parents):
            continue
        if here.is_symlink():
            place = "" if last else f" (on the way to {path})"
            raise OutputFolderRefusedError(
                f"{_shown(here)} is a symbolic link to {here.readlink()}{place}: {what} "
                f"must not be reached through a link ({why}); {fix}"
            )


class SiteWriter:
    """The new output folder, written a file at a time as the build makes them, so that
    no page needs to be held in memory; swapped in for the old one by :meth:`finish`.

    The files go into a temporary sibling folder (:attr:`folder`), which replaces the
    output folder only when every file is written: a failed build (an error, Ctrl-C)
    leaves the previous output exactly as it was, and the temporary folder is removed.
    From entering to the swap, the writer holds the output folder's lock.
    """

    def __init__(self, out_dir: Path, *, state: Path | None = None, site_key: str = "") -> None:
        self.out_dir = out_dir.resolve()
        self.shown = out_dir  # as the user gave it, for messages
        self.state = state
        self.site_key = site_key
        self.hashes: dict[str, str] = {}  # name -> SHA-256 of every file written
        self._staging: Path | None = None
        self._lock = contextlib.ExitStack()

    @property
    def folder(self) -> Path:
        """The temporary folder the files are written into (see :func:`write_file`)."""
        assert self._staging is not None, "a SiteWriter is used inside its with block"
        return self._staging

    def __enter__(self) -> SiteWriter:
        with self._errors():
            self.out_dir.parent.mkdir(parents=True, exist_ok=True)
            self._lock.enter_context(_swap_lock(self.out_dir))
            try:
                _remove_leftovers(self.out_dir)
                prefix = f".{self.out_dir.name}.tmp-"
                self._staging = Path(tempfile.mkdtemp(prefix=prefix, dir=self.out_dir.parent))
            except BaseException:
                self._lock.close()
                raise
        return self

    def __exit__(self, *_: object) -> None:
        try:
            if self._staging is not None:  # not swapped in: nothing half-written stays
                shutil.rmtree(self._staging, ignore_errors=True)
        finally:
            self._lock.close()

    def write(self, name: str, chunks: Iterable[bytes]) -> None:
        """Write one file of the site, a chunk at a time."""
        with self._errors():
            self.hashes[str(safe_relative_path(name))] = write_file(self.folder, name, chunks)

    def record(self, digests: Mapping[str, str]) -> None:
        """Count files written into :attr:`folder` otherwise (by :func:`write_file` in
        another process, or copied from the cache), by name with their SHA-256 in hex."""
        for name, digest in digests.items():
            self.hashes[str(safe_relative_path(name))] = digest

    def finish(self) -> bool:
        """Swap the new folder in; unless, with ``state``, the output folder holds these
        very files already, unchanged since argmap wrote them (content hash, size and
        modification time, as recorded in ``state`` after the last write). Returns
        whether it was replaced."""
        self.write(MARKER, (_MARKER_TEXT,))
        staging = self.folder
        with self._errors():
            if self.state is not None:
                recorded = read_state(self.state)
                if recorded is not None and _matches(self.out_dir, recorded, self.hashes):
                    if recorded.get("site_key") != self.site_key:
                        _write_state(self.state, self.out_dir, self.hashes, self.site_key)
                    return False
            _carry_over(self.out_dir, staging)
            staging.chmod(0o755)
            _swap_in(staging, self.out_dir)
            self._staging = None
            if self.state is not None:
                _write_state(self.state, self.out_dir, self.hashes, self.site_key)
            return True

    @contextlib.contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except OSError as error:
            raise environment_error(  # worded as the command's own (argmap.cli.build)
                error,
                f"cannot write the site to {self.shown}",
                f"; {self.shown}/ was left as it was",
            ) from None


def output_unchanged(out_dir: Path, state: Path, site_key: str) -> bool:
    """Whether ``out_dir`` is, untouched, what a build with the same ``site_key`` wrote.

    The site key hashes every input of every file (see :func:`argmap.build.pipeline.build`), so
    when it matches the one recorded in ``state`` and no file in the folder was added,
    removed or changed since (names, sizes and modification times), nothing needs
    rendering or writing.
    """
    recorded = read_state(state)
    if recorded is None or not site_key or recorded.get("site_key") != site_key:
        return False
    out_dir = out_dir.resolve()
    with _swap_lock(out_dir):
        return _matches(out_dir, recorded, None)


def read_state(state: Path) -> dict[str, object] | None:
    """What the last build recorded writing (None when missing, damaged or not sealed
    with this user's key: the folder is then written again)."""
    sealed = read_entry(state.parent, state.name)
    if sealed is None:
        return None
    opened = open_sealed(state.name, sealed)
    if opened is None:
        return None
    try:
        data = json.loads(opened)
    except ValueError:
        return None
    return data if isinstance(data, dict) and isinstance(data.get("files"), dict) else None


def _matches(out_dir: Path, recorded: dict[str, object], hashes: Mapping[str, str] | None) -> bool:
    files = recorded["files"]
    assert isinstance(files, dict)
    try:
        if hashes is not None and {name: entry[2] for name, entry in files.items()} != hashes:
            return False
        wanted = {name: (entry[0], entry[1]) for name, entry in files.items()}
    except (TypeError, IndexError, KeyError):  # a damaged record: write the folder again
        return False
    return _stats(out_dir) == wanted and not _kept_links(out_dir)


def _kept_links(out_dir: Path) -> bool:
    """Whether a :data:`KEPT` entry is, or (but for ``.git``) holds, a symbolic link,
    which a build drops (see :func:`_carry_over`): the folder must be written again."""
    for name in KEPT:
        path = out_dir / name
        if path.is_symlink():
            return True
        if name != ".git" and path.is_dir():
            for folder, dirs, names in os.walk(path):
                if any((Path(folder) / one).is_symlink() for one in (*dirs, *names)):
                    return True
    return False


def _stats(out_dir: Path) -> dict[str, tuple[int, int]] | None:
    """Size and modification time of every file in the folder (not the KEPT entries)."""
    found: dict[str, tuple[int, int]] = {}
    if not out_dir.is_dir():
        return None
    for folder, dirs, names in os.walk(out_dir):
        here = Path(folder)
        if here == out_dir:
            dirs[:] = [d for d in dirs if d not in KEPT]
            names = [n for n in names if n not in KEPT]
        names = names + [d for d in dirs if (here / d).is_symlink()]  # not walked into
        for name in names:
            path = here / name
            info = path.lstat()
            found[path.relative_to(out_dir).as_posix()] = (info.st_size, info.st_mtime_ns)
    return found


def _write_state(state: Path, out_dir: Path, hashes: Mapping[str, str], site_key: str) -> None:
    """Record what was written (a cache entry: failing to write it only costs time)."""
    stats = _stats(out_dir) or {}
    if set(stats) != set(hashes):
        return  # something else wrote into the folder meanwhile: record nothing
    files = {name: [*stats[name], hashes[name]] for name in sorted(hashes)}
    record = json.dumps({"site_key": site_key, "files": files}).encode()
    write_sealed(state.parent, state.name, lambda file: file.write(record))


def _carry_over(out_dir: Path, staging: Path) -> None:
    """Copy ``CNAME``, ``.git`` and the other :data:`KEPT` entries into the new build.

    Copied, not moved, so the previous output stays whole until the swap. A file the
    build wrote itself wins over one of the same name. Symbolic links are not carried
    over (except inside ``.git``, a checkout's own): one put into the output folder could
    point anywhere on the machine, and publishing the site (``tar --dereference``)
    would copy what it points to.
    """
    for name in KEPT:
        old, new = out_dir / name, staging / name
        try:
            mode = old.lstat().st_mode
        except FileNotFoundError:
            continue
        if os.path.lexists(new) or stat.S_ISLNK(mode):
            continue
        if stat.S_ISDIR(mode):
            links = None if name == ".git" else _links
            shutil.copytree(old, new, symlinks=True, ignore=links)
        elif stat.S_ISREG(mode):
            shutil.copy2(old, new, follow_symlinks=False)


def _links(folder: str, names: list[str]) -> set[str]:
    """The names in ``folder`` that are symbolic links (not carried over)."""
    return {name for name in names if (Path(folder) / name).is_symlink()}


@contextlib.contextmanager
def _swap_lock(out_dir: Path) -> Iterator[None]:
    """One writer at a time per output folder: two builds at once each finish whole.

    The lock is an exclusive ``flock`` on a file beside the folder (released by the
    kernel if the process dies). Where ``fcntl`` does not exist (Windows), no lock.
    """
    lock_path = out_dir.parent / f".{out_dir.name}.lock"
    flags = os.O_RDWR | os.O_CREAT | NOFOLLOW | NONBLOCK | CLOEXEC
    try:
        handle = os.open(lock_path, flags, 0o666)  # never through a link
    except OSError as error:
        if error.errno != errno.ELOOP:
            raise
        handle = -1
    if handle < 0 or not stat.S_ISREG(os.fstat(handle).st_mode):
        if handle >= 0:
            os.close(handle)
        raise OutputFolderRefusedError(
            f"{_shown(lock_path)} is not a regular file: argmap takes the output folder's "
            "lock there; remove it and build again"
        )
    with os.fdopen(handle, "rb") as file:
        if fcntl is not None:
            fcntl.flock(file, fcntl.LOCK_EX)
        try:
            yield
        finally:
            if fcntl is not None:
                fcntl.flock(file, fcntl.LOCK_UN)


def _remove_leftovers(out_dir: Path) -> None:
    """Delete staging and retired folders left by a build that was killed.

    Called under the lock, which every writer holds from creating its staging folder
    to the swap: any such folder found now belongs to a build that is gone.
    """
    for pattern in (f".{out_dir.name}.tmp-*", f".{out_dir.name}.old-*"):
        for leftover in out_dir.parent.glob(pattern):
            # lstat: a link of that name is not followed (rmtree would refuse it anyway)
            if stat.S_ISDIR(leftover.lstat().st_mode):
                shutil.rmtree(leftover, ignore_errors=True)


def _swap_in(staging: Path, out_dir: Path) -> None:
    """Rename ``staging`` to ``out_dir``, the old folder out of the way first. Renames
    move a link itself, never what it points to; rmtree does not follow links."""
    try:
        mode = out_dir.lstat().st_mode
    except FileNotFoundError:
        staging.rename(out_dir)
        return
    if not stat.S_ISDIR(mode):
        raise NotADirectoryError(f"{out_dir} exists and is not a folder")
    retired = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old-", dir=out_dir.parent))
    retired.rmdir()
    out_dir.replace(retired)
    try:
        staging.replace(out_dir)
    except OSError:
        retired.replace(out_dir)  # put the previous build back
        raise
    shutil.rmtree(retired, ignore_errors=True)

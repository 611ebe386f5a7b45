"""Stage 6: write the site to disk. The only module that writes files.

The site is written into a temporary sibling folder, each file as soon as it is
rendered (a large map's page is never whole in memory), and swapped in place of the old
output folder only when every file is written (:class:`SiteWriter`). A failed build
therefore leaves the previous output exactly as it was.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import hashlib
import hmac
import json
import os
import re
import secrets
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, BinaryIO, cast

if TYPE_CHECKING:
    import jinja2

from argmap.diagnostics import environment_error

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


class LinkedTargetError(ValueError):
    """A file to write is a symbolic link to a file (a usage error, exit code 2)."""


def replace_file(path: Path, data: bytes) -> None:
    """Write ``data`` as the file ``path`` (``-o FILE``, a formatted map) in one step: a new
    file beside it, then renamed over it, so a full disk or an interruption leaves the
    previous file whole. An existing file keeps its permissions.

    A symbolic link at ``path`` is never written through to a file (LinkedTargetError):
    a project can hold links, and ``-o out.json`` must not overwrite what a committed
    ``out.json -> ~/.bashrc`` points to. A device or pipe (``-o /dev/stdout``) is
    written to as it is.
    """
    mode = target_mode(path)
    if mode is not None and not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        _write_device(path, data)
        return
    if mode is not None and stat.S_ISDIR(mode):
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC
    handle = os.open(temporary, flags, 0o666)  # the umask applies, as to any new file
    try:
        with os.fdopen(handle, "wb") as file:
            if mode is not None:
                temporary.chmod(stat.S_IMODE(mode))
            _write(file, data)
        temporary.replace(path)  # a rename replaces a link put there since, never follows it
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _write(file: BinaryIO, data: bytes) -> None:
    """Write into a file of the site or a command's file: every such write goes through
    here (the tests make it fail as a full disk does)."""
    file.write(data)


def target_mode(path: Path) -> int | None:
    """The mode of the file a command is to write at ``path`` (None: there is none yet);
    LinkedTargetError when ``path`` is a symbolic link to a file or folder, or to
    nothing (writing would create the file it names)."""
    try:
        mode = path.lstat().st_mode
    except FileNotFoundError:
        return None
    if not stat.S_ISLNK(mode):
        return mode
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        mode = stat.S_IFREG
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        raise LinkedTargetError(
            f"{path} is a symbolic link to {path.readlink()}: argmap does not write "
            "through links; remove the link, or name the file it points to"
        )
    return mode


def _write_device(path: Path, data: bytes) -> None:
    """Write into a device or pipe; a regular file found there instead (swapped in since
    it was looked at) is refused, untouched (no O_TRUNC)."""
    handle = os.open(path, os.O_WRONLY | _CLOEXEC)
    with os.fdopen(handle, "wb") as file:
        if stat.S_ISREG(os.fstat(handle).st_mode):
            raise LinkedTargetError(f"{path} changed while it was being written; try again")
        _write(file, data)


def safe_relative_path(name: str) -> PurePosixPath:
    """Refuse any output name that could land outside the output folder."""
    path = PurePosixPath(name)
    if path.is_absolute() or not path.parts or any(part in ("", ".", "..") for part in path.parts):
        raise ValueError(f"unsafe output path {name!r}")
    if "\\" in name or ":" in name:
        raise ValueError(f"unsafe output path {name!r}")
    return path


def site_path(folder: Path, name: str) -> Path:
    """Where the site's file ``name`` goes below ``folder`` (an unsafe name is refused)."""
    return folder.joinpath(*safe_relative_path(name).parts)


def write_file(folder: Path, name: str, chunks: Iterable[bytes]) -> str:
    """Write one file of the site below ``folder`` (:attr:`SiteWriter.folder`, from any
    process) a chunk at a time; returns the SHA-256 of its content, in hex."""
    target = site_path(folder, name)
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    with target.open("wb") as file:
        for data in chunks:
            digest.update(data)
            _write(file, data)
    return digest.hexdigest()


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
                recorded = _read_state(self.state)
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
    recorded = _read_state(state)
    if recorded is None or not site_key or recorded.get("site_key") != site_key:
        return False
    out_dir = out_dir.resolve()
    with _swap_lock(out_dir):
        return _matches(out_dir, recorded, None)


def _read_state(state: Path) -> dict[str, object] | None:
    sealed = _read_entry(state.parent, state.name)
    if sealed is None:
        return None
    opened = _open_sealed(state.name, sealed)
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
    _write_sealed(state.parent, state.name, lambda file: file.write(record))


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


_STATE = "output-state.json"


class RenderCache:
    """Rendered diagrams by content hash, in ``.NAME.cache/`` beside the output folder.

    :mod:`argmap.build.pipeline` keeps Graphviz's output under a hash of the DOT source and
    format, a map's finished diagrams under a hash of the map's model, and its check,
    its page record and its files (see :func:`argmap.build.pipeline.build`). Every key also
    hashes argmap's version, its modules' sizes and times, and
    the ``dot`` program (path, size, modification time), so an unchanged map is never
    laid out twice and a new Graphviz or argmap starts afresh. Entries are sealed (the
    HMAC of the entry's name and data, then the data) and written as a stream,
    atomically (a temporary file, then a rename); :meth:`prune` removes those
    the last build did not use. Beside the output folder, the cache is neither
    published nor replaced with the site; ``/.build.*`` in .gitignore covers it.
    """

    def __init__(self, out_dir: Path, salt: str) -> None:
        self.folder = cache_folder(out_dir.resolve())
        self.salt = salt
        self.used: set[str] = set()
        self.hits = 0
        self.misses = 0

    def key(self, source: str, output_format: str) -> str:
        digest = hashlib.sha256()
        for part in (self.salt, output_format, source):
            digest.update(part.encode("utf-8", "surrogatepass"))
            digest.update(b"\0")
        return f"{digest.hexdigest()}.{output_format}"

    def get(self, key: str) -> bytes | None:
        """An entry this user's argmap wrote (sealed, see :func:`_write_sealed`), or None."""
        self.used.add(key)
        data = _open_sealed(key, _read_entry(self.folder, key) or b"")
        if data is None:
            self.misses += 1
            return None
        self.hits += 1
        return data

    def put(self, key: str, data: bytes) -> None:
        """Store an entry; a cache that cannot be written only costs time."""
        self.write(key, lambda file: file.write(data))

    def write(self, key: str, produce: Callable[[BinaryIO], object]) -> None:
        """Store the entry that ``produce`` writes into the file it is given, straight to
        disk (``pickle.dump(record, file)``): a large entry is never held in memory."""
        self.used.add(key)
        _write_sealed(self.folder, key, produce)

    @contextlib.contextmanager
    def opened(self, key: str) -> Iterator[BinaryIO | None]:
        """An entry's data as a file, positioned at its start, once its whole seal has
        been checked (a chunk at a time: a large entry is never held in memory); None
        when the entry is missing or its seal is not this user's (see :meth:`get`)."""
        self.used.add(key)
        secret = _cache_secret()
        with _Folder.open(self.folder) as folder:
            entry = folder.open_read(key) if folder is not None else None
        if secret is None or entry is None:
            self.misses += 1
            yield None
            return
        with entry:
            size = hashlib.sha256().digest_size
            mac = hmac.new(secret, key.encode("utf-8") + b"\0", hashlib.sha256)
            try:
                seal = entry.read(size)
                while data := entry.read(_CHUNK):
                    mac.update(data)
                entry.seek(size)
                sealed = len(seal) == size and hmac.compare_digest(seal, mac.digest())
            except OSError:
                sealed = False
            if not sealed:
                self.misses += 1
                yield None
                return
            self.hits += 1
            yield entry

    @property
    def state(self) -> Path:
        """What the last build wrote into the output folder (see :class:`SiteWriter`)."""
        self.used.add(_STATE)
        return self.folder / _STATE

    def prune(self) -> None:
        """Delete the entries this build did not use (and stray temporary files).

        Only regular files named as argmap names them are deleted, and only in the
        cache folder itself, never through a link (see :class:`_Folder`).
        """
        with _Folder.open(self.folder) as folder:
            if folder is None:
                return
            for name, regular in folder.entries():
                if regular and name not in self.used and _ENTRY_NAME.fullmatch(name):
                    with contextlib.suppress(OSError):
                        folder.unlink(name)


def cache_folder(out_dir: Path) -> Path:
    """Where the build cache of the (resolved) output folder ``out_dir`` is kept."""
    return out_dir.parent / f".{out_dir.name}.cache"


# The names of the cache's entries (RenderCache.key), its temporary files and the state.
_ENTRY_NAME = re.compile(r"[0-9a-f]{64}\.[a-z0-9]+|\.tmp-[A-Za-z0-9_]+|output-state\.json")

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)  # a FIFO put in an entry's place must not hang
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
_DIR_FD = {os.open, os.replace, os.unlink} <= os.supports_dir_fd and os.scandir in os.supports_fd


class _Folder:
    """A folder of argmap's own (the build cache), opened once without following a link;
    every entry is then opened, replaced and deleted relative to that open folder, with
    O_NOFOLLOW, so a link put in the folder's place or in an entry's place is never
    followed, not even one put there during the build. Where the system cannot work
    relative to an open folder (Windows), paths are used after checking the folder
    itself is not a link."""

    def __init__(self, path: Path, fd: int | None) -> None:
        self.path = path
        self.fd = fd

    @classmethod
    @contextlib.contextmanager
    def open(cls, path: Path, *, create: bool = False) -> Iterator[_Folder | None]:
        """The folder, or None when it is missing (and not ``create``), is a link, or is
        not a folder."""
        fd: int | None = None
        try:
            if create:
                path.parent.mkdir(parents=True, exist_ok=True)
                with contextlib.suppress(FileExistsError):
                    path.mkdir()  # mkdir never follows a link in the last name
            if _DIR_FD:
                fd = os.open(path, os.O_RDONLY | _DIRECTORY | _NOFOLLOW | _CLOEXEC)
            usable = fd is not None or stat.S_ISDIR(os.lstat(path).st_mode)
        except OSError:
            usable = False
        try:
            yield cls(path, fd) if usable else None
        finally:
            if fd is not None:
                os.close(fd)

    def _at(self, name: str) -> str:
        return name if self.fd is not None else str(self.path / name)

    def open_read(self, name: str) -> BinaryIO | None:
        """The regular file ``name``, open for reading; None if it is anything else."""
        try:
            handle = os.open(
                self._at(name), os.O_RDONLY | _NOFOLLOW | _NONBLOCK | _CLOEXEC, dir_fd=self.fd
            )
        except OSError:
            return None
        file = os.fdopen(handle, "rb")
        try:
            if stat.S_ISREG(os.fstat(handle).st_mode):
                return file
        except OSError:
            pass
        file.close()
        return None

    def create_temporary(self) -> tuple[BinaryIO, str]:
        """A new file of a random name (mode 0600), open for writing, and its name."""
        while True:
            name = f".tmp-{secrets.token_hex(8)}"
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC
            try:
                handle = os.open(self._at(name), flags, 0o600, dir_fd=self.fd)
            except FileExistsError:
                continue
            return os.fdopen(handle, "wb"), name

    def replace(self, source: str, target: str) -> None:
        os.replace(self._at(source), self._at(target), src_dir_fd=self.fd, dst_dir_fd=self.fd)

    def unlink(self, name: str) -> None:
        os.unlink(self._at(name), dir_fd=self.fd)

    def entries(self) -> list[tuple[str, bool]]:
        """Every name in the folder, with whether it is a regular file (not a link)."""
        with os.scandir(self.fd if self.fd is not None else self.path) as found:
            return [(entry.name, entry.is_file(follow_symlinks=False)) for entry in found]


def _read_entry(folder: Path, name: str) -> bytes | None:
    """The content of the regular file ``name`` in ``folder`` (see :class:`_Folder`)."""
    with _Folder.open(folder) as opened:
        file = opened.open_read(name) if opened is not None else None
    if file is None:
        return None
    with file:
        try:
            return file.read()
        except OSError:
            return None


_SECRET_BYTES = 32
_CHUNK = 1 << 20  # bytes read or copied at a time


def copy_out(source: BinaryIO, target: Path, size: int) -> None:
    """Copy the next ``size`` bytes of ``source`` into a new file ``target``, a chunk at
    a time; OSError if ``source`` ends first."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as file:
        while size > 0:
            data = source.read(min(size, _CHUNK))
            if not data:
                raise OSError(f"{target.name}: the cache entry ended {size} bytes early")
            _write(file, data)
            size -= len(data)


def copy_in(path: Path, file: BinaryIO) -> None:
    """Copy the file at ``path`` into ``file`` (a cache entry being written)."""
    with path.open("rb") as source:
        shutil.copyfileobj(source, file, _CHUNK)


def _user_cache_folder() -> Path:
    """argmap's folder in the user's cache (raises RuntimeError without a home)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "argmap"


@functools.cache
def _cache_secret() -> bytes | None:
    """This user's key for the build cache (:func:`read_cache_secret`), read once per
    process from argmap's folder in the user's cache; None without a home."""
    try:
        folder = _user_cache_folder()
    except RuntimeError:  # Path.home() without a home
        return None
    return read_cache_secret(folder)


def read_cache_secret(folder: Path) -> bytes | None:
    """The key for the build cache kept in ``folder`` (``cache-key``, mode 0600), made
    there by the first process that needs it; None when it cannot be read or made.

    The cache holds pickles, compiled templates and finished SVG, all of which argmap
    trusts when it reads them back. It sits beside the output folder, inside a project
    that strangers' pull requests can change; entries sealed with a key they cannot
    know (``$XDG_CACHE_HOME/argmap/cache-key``) cannot be planted there. No key (no
    writable home): no cache, which only costs time.
    """
    path = folder / "cache-key"
    try:
        with contextlib.suppress(OSError):
            secret = path.read_bytes()
            if len(secret) == _SECRET_BYTES:
                return secret
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        handle, temporary = tempfile.mkstemp(prefix=".tmp-", dir=folder)  # mode 0600
        with os.fdopen(handle, "wb") as file:
            file.write(os.urandom(_SECRET_BYTES))
        try:
            os.link(temporary, path)  # atomic; the first of several processes wins
        except FileExistsError:
            if len(path.read_bytes()) != _SECRET_BYTES:  # damaged: replace it
                Path(temporary).replace(path)
        finally:
            with contextlib.suppress(OSError):
                Path(temporary).unlink()
        secret = path.read_bytes()
    except OSError:
        return None
    return secret if len(secret) == _SECRET_BYTES else None


def _mac(secret: bytes, name: str, data: bytes) -> bytes:
    return hmac.new(secret, name.encode("utf-8") + b"\0" + data, hashlib.sha256).digest()


class _Sealing:
    """The file of an entry being written, with the HMAC of what went into it so far."""

    def __init__(self, file: BinaryIO, mac: hmac.HMAC) -> None:
        self.file = file
        self.mac = mac

    def write(self, data: bytes) -> int:
        self.mac.update(data)
        return self.file.write(data)


def _write_sealed(folder: Path, name: str, produce: Callable[[BinaryIO], object]) -> None:
    """Write a sealed entry (the HMAC of its name and data, then the data) from what
    ``produce`` writes, the HMAC computed as the data goes to disk; atomically (a
    temporary file, then a rename).
    Nothing is written without a key; a cache that cannot be written only costs time."""
    secret = _cache_secret()
    if secret is None:
        return
    mac = hmac.new(secret, name.encode("utf-8") + b"\0", hashlib.sha256)
    with _Folder.open(folder, create=True) as opened:
        if opened is None:
            return
        try:
            file, temporary = opened.create_temporary()
        except OSError:
            return
        try:
            with file:
                file.write(bytes(mac.digest_size))  # room for the seal, written last
                produce(cast("BinaryIO", _Sealing(file, mac)))
                file.seek(0)
                file.write(mac.digest())
            opened.replace(temporary, name)
        except BaseException as error:
            with contextlib.suppress(OSError):
                opened.unlink(temporary)
            if not isinstance(error, OSError):
                raise


def _open_sealed(name: str, sealed: bytes) -> bytes | None:
    """The data of a sealed entry, or None when its seal is not this user's."""
    secret = _cache_secret()
    size = hashlib.sha256().digest_size
    if secret is None or len(sealed) < size:
        return None
    data = sealed[size:]
    return data if hmac.compare_digest(sealed[:size], _mac(secret, name, data)) else None


def template_bytecode_cache(cache: RenderCache) -> jinja2.BytecodeCache:
    """Compiled Jinja templates, kept in the user's cache (``~/.cache/argmap/templates``).

    Compiling argmap's templates is half of the Python time of a small map's build, and
    it is the same work for every project and output folder, so it is kept per user,
    not beside the output. Entries are keyed by argmap's code (``cache.salt``), template
    name and source checksum, and sealed like the build cache's; Jinja refuses bytecode
    of another Python version itself.
    """
    import jinja2

    def entry(bucket: jinja2.bccache.Bucket) -> tuple[Path, str] | None:
        try:
            folder = _user_cache_folder() / "templates"
        except RuntimeError:
            return None
        name = cache.key(f"{bucket.key}|{bucket.checksum}", "jinja")
        return folder, name

    class _Bytecode(jinja2.BytecodeCache):
        def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            found = entry(bucket)
            if found is None:
                return
            folder, name = found
            sealed = _read_entry(folder, name)
            if sealed is None:
                return
            data = _open_sealed(name, sealed)
            if data is not None:
                bucket.bytecode_from_string(data)

        def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            found = entry(bucket)
            if found is not None:
                _write_sealed(*found, bucket.write_bytecode)

    return _Bytecode()


@contextlib.contextmanager
def _swap_lock(out_dir: Path) -> Iterator[None]:
    """One writer at a time per output folder: two builds at once each finish whole.

    The lock is an exclusive ``flock`` on a file beside the folder (released by the
    kernel if the process dies). Where ``fcntl`` does not exist (Windows), no lock.
    """
    lock_path = out_dir.parent / f".{out_dir.name}.lock"
    flags = os.O_RDWR | os.O_CREAT | _NOFOLLOW | _NONBLOCK | _CLOEXEC
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

"""The build cache's store: sealed entries in ``.NAME.cache/`` beside the output folder.

An entry is the HMAC of its name and data under this user's key, then the data; it is
written atomically and read only through a folder opened without following links
(:class:`_Folder`), so an entry planted by someone else is a miss. What the entries
hold is :mod:`argmap.build.cache`'s; compiled templates are kept the same way in the
user's cache (:func:`template_bytecode_cache`).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import hmac
import os
import re
import secrets
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, cast

from argmap.output.files import CHUNK, CLOEXEC, NOFOLLOW, NONBLOCK

if TYPE_CHECKING:
    import jinja2

STATE = "output-state.json"  # what the last build wrote (argmap.output.folder)
# The names of the cache's entries (RenderCache.key), its temporary files and the state.
_ENTRY_NAME = re.compile(r"[0-9a-f]{64}\.[a-z0-9]+|\.tmp-[A-Za-z0-9_]+|output-state\.json")
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
_DIR_FD = {os.open, os.replace, os.unlink} <= os.supports_dir_fd and os.scandir in os.supports_fd
_SECRET_BYTES = 32


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
        """An entry this user's argmap wrote (sealed, see :func:`write_sealed`), or None."""
        self.used.add(key)
        data = open_sealed(key, read_entry(self.folder, key) or b"")
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
        write_sealed(self.folder, key, produce)

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
                while data := entry.read(CHUNK):
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
        self.used.add(STATE)
        return self.folder / STATE

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
                fd = os.open(path, os.O_RDONLY | _DIRECTORY | NOFOLLOW | CLOEXEC)
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
                self._at(name), os.O_RDONLY | NOFOLLOW | NONBLOCK | CLOEXEC, dir_fd=self.fd
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
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | NOFOLLOW | CLOEXEC
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


def read_entry(folder: Path, name: str) -> bytes | None:
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


def copy_in(path: Path, file: BinaryIO) -> None:
    """Copy the file at ``path`` into ``file`` (a cache entry being written)."""
    with path.open("rb") as source:
        shutil.copyfileobj(source, file, CHUNK)


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


def write_sealed(folder: Path, name: str, produce: Callable[[BinaryIO], object]) -> None:
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


def open_sealed(name: str, sealed: bytes) -> bytes | None:
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
            sealed = read_entry(folder, name)
            if sealed is None:
                return
            data = open_sealed(name, sealed)
            if data is not None:
                bucket.bytecode_from_string(data)

        def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            found = entry(bucket)
            if found is not None:
                write_sealed(*found, bucket.write_bytecode)

    return _Bytecode()

"""One file, written safely: every byte argmap writes goes through :func:`_write` here.

A command's file (``-o FILE``, a formatted map) is replaced in one step and never
written through a symbolic link (:func:`replace_file`); a file of the site is written
below the new output folder under a name checked not to leave it (:func:`write_file`,
:func:`site_path`). The output folder as a whole is :mod:`argmap.output.folder`'s.
"""

from __future__ import annotations

import errno
import hashlib
import os
import secrets
import stat
from collections.abc import Iterable
from pathlib import Path, PurePosixPath
from typing import BinaryIO

# Flags of os.open where the system has them (not on Windows).
NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
NONBLOCK = getattr(os, "O_NONBLOCK", 0)  # a FIFO put in a file's place must not hang
CLOEXEC = getattr(os, "O_CLOEXEC", 0)
CHUNK = 1 << 20  # bytes read or copied at a time


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
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | NOFOLLOW | CLOEXEC
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
    handle = os.open(path, os.O_WRONLY | CLOEXEC)
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


def copy_out(source: BinaryIO, target: Path, size: int) -> None:
    """Copy the next ``size`` bytes of ``source`` into a new file ``target``, a chunk at
    a time; OSError if ``source`` ends first."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as file:
        while size > 0:
            data = source.read(min(size, CHUNK))
            if not data:
                raise OSError(f"{target.name}: the cache entry ended {size} bytes early")
            _write(file, data)
            size -= len(data)

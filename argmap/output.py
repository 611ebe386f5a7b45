"""Stage 6: write the site to disk. The only module that writes files.

The whole site is rendered in memory first; here it is written into a temporary sibling
folder and swapped in place of the old output folder only when every file is written.
A failed build therefore leaves the previous output exactly as it was.
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path, PurePosixPath

from argmap.diagnostics import SetupError

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

MARKER = ".argmap-output"  # marks a folder argmap may replace as a whole
_MARKER_TEXT = b"This folder is written by `argmap build` and replaced on every build.\n"


class OutputFolderRefusedError(ValueError):
    """The output folder is one argmap must not replace (a usage error, exit code 2)."""


def check_output_folder(out_dir: Path, inputs: list[Path]) -> None:
    """Refuse an output folder whose replacement would delete the user's own files.

    The output folder is replaced as a whole, so it must not contain the current folder
    or any input, and an existing non-empty folder must be one argmap wrote before.
    """
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
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file():
        raise OutputFolderRefusedError(
            f"{out_dir} already exists and was not written by argmap; "
            "choose a new or empty folder with --out (argmap replaces the whole folder)"
        )


def safe_relative_path(name: str) -> PurePosixPath:
    """Refuse any output name that could land outside the output folder."""
    path = PurePosixPath(name)
    if path.is_absolute() or not path.parts or any(part in ("", ".", "..") for part in path.parts):
        raise ValueError(f"unsafe output path {name!r}")
    if "\\" in name or ":" in name:
        raise ValueError(f"unsafe output path {name!r}")
    return path


def write_site(files: Mapping[str, bytes], out_dir: Path) -> None:
    """Replace ``out_dir`` with exactly ``files`` (relative POSIX paths -> content)."""
    relative = {safe_relative_path(name): content for name, content in files.items()}
    relative[safe_relative_path(MARKER)] = _MARKER_TEXT
    out_dir = out_dir.resolve()
    try:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        with _swap_lock(out_dir):
            _remove_leftovers(out_dir)
            _write_and_swap(relative, out_dir)
    except OSError as error:
        raise SetupError(
            f"cannot write the site to {out_dir}: {error.strerror or error}",
            "check free disk space and permissions; the previous output was left as it was",
        ) from None


def _write_and_swap(files: Mapping[PurePosixPath, bytes], out_dir: Path) -> None:
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.tmp-", dir=out_dir.parent))
    try:
        for path in sorted(files):
            target = staging.joinpath(*path.parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(files[path])
        staging.chmod(0o755)
        _swap_in(staging, out_dir)
    except BaseException:  # an error or Ctrl-C: nothing half-written stays behind
        shutil.rmtree(staging, ignore_errors=True)
        raise


@contextlib.contextmanager
def _swap_lock(out_dir: Path) -> Iterator[None]:
    """One writer at a time per output folder: two builds at once each finish whole.

    The lock is an exclusive ``flock`` on a file beside the folder (released by the
    kernel if the process dies). Where ``fcntl`` does not exist (Windows), no lock.
    """
    lock_path = out_dir.parent / f".{out_dir.name}.lock"
    with lock_path.open("a") as handle:
        if fcntl is not None:
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            if fcntl is not None:
                fcntl.flock(handle, fcntl.LOCK_UN)


def _remove_leftovers(out_dir: Path) -> None:
    """Delete staging and retired folders left by a build that was killed.

    Called under the lock, which every writer holds from creating its staging folder
    to the swap: any such folder found now belongs to a build that is gone.
    """
    for pattern in (f".{out_dir.name}.tmp-*", f".{out_dir.name}.old-*"):
        for leftover in out_dir.parent.glob(pattern):
            if leftover.is_dir():
                shutil.rmtree(leftover, ignore_errors=True)


def _swap_in(staging: Path, out_dir: Path) -> None:
    if not out_dir.exists():
        staging.rename(out_dir)
        return
    if not out_dir.is_dir():
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

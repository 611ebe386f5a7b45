"""The build cache: what `argmap build` keeps between runs, so that an unchanged map is
never checked, laid out or rendered twice.

Entries are stored by :class:`argmap.output.RenderCache` (sealed, beside the output
folder; argmap.output writes every file). :class:`BuildCache` owns what they hold: the
one key function (:meth:`BuildCache.key`) and a typed read and write for each kind of
entry. A read gives None, a miss, for what it expects: no entry, an entry this user's
argmap did not seal, or one it cannot unpickle (truncated, corrupt, or a record of
another layout). Anything else is a bug and propagates: a silent miss would hide it.
"""

from __future__ import annotations

import hashlib
import json
import pickle
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, TypeVar

from argmap import __version__
from argmap._pickling import by_constructor
from argmap.analysis.quotes import read_source_text, source_digest
from argmap.output import RenderCache, copy_in, copy_out, site_path

if TYPE_CHECKING:
    from argmap.analysis.quotes import QuoteReport
    from argmap.config import Config
    from argmap.diagnostics import Diagnostic
    from argmap.model import ArgumentMap
    from argmap.render.site import MapPage

# The layout of the records below; a different one is a miss (see _Reader).
_LAYOUT = 1
# What unpickling a damaged entry, or one of another layout, raises (find_class raises
# AttributeError or ImportError for a class that moved; garbage raises the others).
_DAMAGED = (pickle.UnpicklingError, EOFError, ValueError, AttributeError, ImportError)


T = TypeVar("T")


class _DamagedError(Exception):
    """The entry cannot be read back as the record asked for."""


class _Reader:
    """The records of one entry, one :func:`pickle.load` at a time (large SVGs are
    pickled one by one so that neither writing nor reading holds two at once)."""

    def __init__(self, file: BinaryIO, kind: str) -> None:
        self.file = file
        if self.load() != (_LAYOUT, kind):
            raise _DamagedError

    def load(self) -> Any:
        try:
            return pickle.load(self.file)
        except _DAMAGED:
            raise _DamagedError from None

    def typed(self, *types: type) -> Any:
        value = self.load()
        if not isinstance(value, types):
            raise _DamagedError
        return value


def _dump(file: BinaryIO, value: object) -> None:
    pickle.dump(value, file, pickle.HIGHEST_PROTOCOL)


@by_constructor
@dataclass(frozen=True, slots=True)
class CheckRecord:
    """One map's check, as kept: valid while its source text's digest is unchanged."""

    argument_map: ArgumentMap | None
    report: QuoteReport | None
    problems: tuple[Diagnostic, ...]
    well_formed: bool
    source_text: str  # source_text_digest() of the text the quotes were checked against


@dataclass(frozen=True, slots=True)
class StoredDrawing:
    """A map's finished diagrams (as SVG text), its PNG and the entries they came from."""

    svg: str
    evaluated_svg: str
    png: bytes | None
    keys: tuple[str, ...]


@by_constructor
@dataclass(frozen=True, slots=True)
class StoredPage:
    """A map's page record (without files), its files' SHA-256 and sizes by name, and
    the entries its diagrams came from."""

    page: MapPage
    digests: dict[str, str]
    sizes: dict[str, int]
    keys: tuple[str, ...]


class BuildCache:
    """The build cache of the output folder ``out_dir``, for argmap code ``salt``
    (:func:`build_salt`). Records which entries a build used, so that :meth:`prune`
    removes the rest. Sent to a worker process, it arrives with nothing used: the
    worker's own use comes back with its results."""

    def __init__(self, out_dir: Path, salt: str) -> None:
        self.out_dir, self.salt = out_dir, salt
        self.store = RenderCache(out_dir, salt)

    def __reduce__(self) -> tuple[type[BuildCache], tuple[Path, str]]:
        return BuildCache, (self.out_dir, self.salt)

    def fresh(self) -> BuildCache:
        """The same cache with nothing used yet: for one job, which reports its own use."""
        return BuildCache(self.out_dir, self.salt)

    @property
    def used(self) -> set[str]:
        return self.store.used

    @property
    def state(self) -> Path:
        """What the last build wrote into the output folder (argmap.output.SiteWriter)."""
        return self.store.state

    def prune(self) -> None:
        """Delete the entries the build did not use."""
        self.store.prune()

    def key(self, kind: str, *parts: object) -> str:
        """The entry of ``kind`` for ``parts`` (strings, numbers and lists of them):
        a hash of them, of the kind and of argmap's code (the salt)."""
        return self.store.key(json.dumps(parts, ensure_ascii=False), kind)

    def check_key(self, identity: list[str], config: Config, data: bytes) -> str:
        """A map's check: its file's bytes, its path and page names (``identity``) and
        the project's lint settings."""
        lint = config.lint
        settings = [
            sorted(lint.disable),
            sorted(lint.require_quotes) if lint.require_quotes is not None else None,
            lint.max_text_length,
            sorted((code, str(severity)) for code, severity in lint.severity.items()),
            repr(lint.position),
            str(config.path),
        ]
        return self.key("check", identity, settings, hashlib.sha256(data).hexdigest())

    def page_key(self, check_key: str, setting: str, tag_hrefs: list[str], cited: object) -> str:
        """A map's page and files: its check, what every page depends on (``setting``:
        templates, ``[site]``), its tags' page names and what it cites of other maps."""
        return self.key("page", check_key, setting, tag_hrefs, cited)

    def site_key(self, setting: str, date: str | None, page_keys: Mapping[str, str]) -> str:
        """The whole site: every page and the date in sitemap.xml."""
        return self.key("site", setting, date, sorted(page_keys.items()))

    # -- Graphviz's output, by DOT source ---------------------------------------------

    def graphviz(self, key: str) -> bytes | None:
        return self.store.get(key)

    def put_graphviz(self, key: str, data: bytes) -> None:
        self.store.put(key, data)

    # -- a map's check ----------------------------------------------------------------

    def check(self, key: str) -> CheckRecord | None:
        return self._read(key, "check", lambda reader: reader.typed(CheckRecord))

    def put_check(self, key: str, record: CheckRecord) -> None:
        self._write(key, "check", [record])

    # -- both diagrams as Graphviz drew them, by their DOT sources -------------------------

    def layouts(self, key: str, count: int) -> list[str] | None:
        def read(reader: _Reader) -> list[str]:
            return [reader.typed(bytes).decode() for _ in range(count)]

        return self._read(key, "svgs", read)

    def put_layouts(self, key: str, svgs: list[str]) -> None:
        self._write(key, "svgs", (svg.encode() for svg in svgs))  # one at a time

    # -- a map's finished diagrams, by its model ----------------------------------------

    def drawing(self, key: str) -> StoredDrawing | None:
        def read(reader: _Reader) -> StoredDrawing:
            png, keys = reader.typed(bytes, type(None)), reader.typed(tuple)
            svg, evaluated = (reader.typed(bytes).decode() for _ in "ab")
            return StoredDrawing(svg, evaluated, png, keys)

        stored = self._read(key, "map", read)
        if stored is not None:
            self.used.update(stored.keys)  # kept for the day this map changes
        return stored

    def put_drawing(self, key: str, drawing: StoredDrawing) -> None:
        records = (drawing.png, drawing.keys, drawing.svg.encode(), drawing.evaluated_svg.encode())
        self._write(key, "map", iter(records))

    # -- a map's page and its files ---------------------------------------------------

    def page(self, key: str, folder: Path) -> StoredPage | None:
        """The page record, its files copied into ``folder``. A miss may leave some
        of them there: the page is then rendered again and its files written over."""

        def read(reader: _Reader) -> StoredPage:
            stored: StoredPage = reader.typed(StoredPage)
            for name in stored.digests:
                try:
                    copy_out(reader.file, site_path(folder, name), stored.sizes[name])
                except OSError:  # an entry that ends early, or is unreadable
                    raise _DamagedError from None
            return stored

        stored = self._read(key, "page", read)
        if stored is not None:
            self.used.update(stored.keys)  # the diagrams, kept for when the page changes
        return stored

    def put_page(self, key: str, stored: StoredPage, files: Mapping[str, Path]) -> None:
        """Keep the page record, then each file as written (one entry per map, not one
        per file: creating files is most of what a cache costs)."""

        def produce(file: BinaryIO) -> None:
            _dump(file, (_LAYOUT, "page"))
            _dump(file, stored)
            for path in files.values():
                copy_in(path, file)

        self.store.write(key, produce)

    # -- reading and writing ------------------------------------------------------------

    def _read(self, key: str, kind: str, read: Callable[[_Reader], T]) -> T | None:
        """What ``read`` reads from the entry, or None: a miss (see the module's
        docstring). Only a damaged record is taken for a miss; any other error in
        ``read`` propagates."""
        with self.store.opened(key) as file:
            if file is None:
                return None
            try:
                return read(_Reader(file, kind))
            except _DamagedError:
                return None

    def _write(self, key: str, kind: str, records: Iterable[object]) -> None:
        def produce(file: BinaryIO) -> None:
            _dump(file, (_LAYOUT, kind))
            for record in records:
                _dump(file, record)

        self.store.write(key, produce)


def build_salt() -> str:
    """What every key also hashes: argmap's version and code, and the ``dot`` program,
    so that a changed argmap or Graphviz starts with an empty cache."""
    return f"{__version__}|{_code_stamp()}|{_dot_stamp()}"


def _dot_stamp() -> str:
    """The ``dot`` program (path, size, modification time), or "missing"."""
    from argmap.diagnostics import SetupError
    from argmap.render.layout import find_dot

    try:
        dot = Path(find_dot())
        stat = dot.stat()
    except (SetupError, OSError):
        return "missing"
    return f"{dot}|{stat.st_size}|{stat.st_mtime_ns}"


def _code_stamp() -> str:
    """Size and modification time of argmap's own modules: a changed argmap (even
    without a new version number, as in a checkout) starts with an empty cache."""
    package = Path(__file__).parent.parent  # argmap, subpackages and all
    stamps = []
    for module in sorted(package.rglob("*.py")):  # subpackages (interop) too
        info = module.stat()
        name = module.relative_to(package).as_posix()
        stamps.append(f"{name}:{info.st_size}:{info.st_mtime_ns}")
    return ",".join(stamps)


def folder_digest(folders: list[Path | None]) -> str:
    """A hash of every file (name and content) in the folders: the templates."""
    digest = hashlib.sha256()
    for folder in folders:
        digest.update(f"{folder}\0".encode())
        if folder is None or not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
                digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def source_text_digest(argument_map: ArgumentMap | None) -> str:
    """The content of the source text file the map's quotes are checked against."""
    if argument_map is None or argument_map.source.text_file is None:
        return "none"
    try:
        return source_digest(
            read_source_text(argument_map.path.parent / argument_map.source.text_file)
        )
    except OSError as error:
        return source_digest(error)

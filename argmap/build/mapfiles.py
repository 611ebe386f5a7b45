"""The map files a command reads: found under the folders (or as the files) named on
the command line, each with its page name, and never through a link out of the project.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from argmap._pickling import by_constructor


@by_constructor
@dataclass(frozen=True, slots=True)
class MapFile:
    path: Path
    slug: str
    root: Path | None = None  # the maps folder in which its citations are resolved
    root_slug: str | None = None  # its path below root, when known

    @property
    def cite_slug(self) -> str:
        """The map's page name as other maps cite it: its path below its maps folder."""
        if self.root_slug is not None:
            return self.root_slug
        if self.root is None:
            return self.slug
        try:
            return self.path.resolve().relative_to(self.root.resolve()).with_suffix("").as_posix()
        except ValueError:
            return self.slug


class UsageError(ValueError):
    """The command line names something that cannot be used (exit code 2)."""


class OutsideProjectError(UsageError):
    """A map file or folder linked out of the project: refused, the message says what
    to do (exit code 2)."""


# The folder `argmap check` and `argmap build` read when no path is given.
DEFAULT_MAPS = Path("arguments")


def maps_folder(map_file: Path) -> Path:
    """The maps folder of a map named on its own: where its citations are resolved.

    ``./arguments`` (the default folder of check and build) when the file lies below it,
    else the file's own folder.
    """
    default = DEFAULT_MAPS.resolve()
    if default in map_file.resolve().parents:
        return DEFAULT_MAPS
    return map_file.parent


def find_map_files(paths: list[Path]) -> list[MapFile]:
    """Map files under the given folders (recursively) or the given files, in stable order."""
    found: list[MapFile] = []
    for given in paths:
        inside = inside_project(given)
        if given.is_dir():
            inside(given)
            for path in sorted(given.rglob("*.toml")):
                hidden = any(part.startswith(".") for part in path.relative_to(given).parts)
                if hidden or not path.is_file():
                    continue
                inside(path)
                slug = path.relative_to(given).with_suffix("").as_posix()
                found.append(MapFile(path, slug, given, slug))
        elif given.is_file():
            inside(given)
            found.append(MapFile(given, given.stem, maps_folder(given)))
        else:
            raise UsageError(f"{given} does not exist")
    return found


def inside_project(given: Path) -> Callable[[Path], None]:
    """A check that a map file (or folder) found from ``given`` is really inside the
    project: a committed link ``arguments/x.toml -> ~/.cargo/credentials.toml`` (or
    ``arguments -> /home``) would have its lines quoted in the problems, which CI logs
    publish. Inside the current folder, links must stay in it; a path named outside it
    is the user's own choice and must not be left through a link either."""
    cwd = Path.cwd().resolve()
    named = Path(os.path.normpath(Path.cwd() / given))
    root = cwd if named == cwd or cwd in named.parents else given.resolve()

    def inside(path: Path) -> None:
        real = path.resolve()
        if real != root and root not in real.parents:
            raise OutsideProjectError(
                f"{path} is a symbolic link to {real}, outside {root}: argmap reads maps "
                "only inside the project (a link could put another file's lines into its "
                "messages); copy the map in, or name its own folder on the command line"
            )

    return inside

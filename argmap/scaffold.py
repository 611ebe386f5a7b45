"""``argmap init`` and ``argmap new``: the files of a new project and of a new map.

Every template lives here, once. docs/ci.md shows :data:`GITHUB_WORKFLOW` and
:data:`GITLAB_CI` word for word, and tests/test_ci_docs.py checks that the documented
copies are identical and that the argmap commands in them pass on a fresh project.

Where the schema goes: ``.argmap/schema.json`` at the top of the project. It is argmap's
file, not the author's, so it sits in a folder of its own named after the tool, out of
the way of the maps (``arguments/`` holds only maps; argmap would skip a hidden file
there, but people browsing the folder would not) and of the output (``build/`` is
replaced on every build, and is not committed). It is committed, so every clone gets
completion in the editor without running argmap. ``.taplo.toml`` points every map under
``arguments/`` at it, and each map written by argmap also names it in a ``#:schema``
directive on its first line (when the project has the file), for editors that read the
directive but not ``.taplo.toml`` (Tombi, or a map opened on its own). ``argmap schema -o
.argmap/schema.json`` refreshes it after an upgrade.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

MAPS_FOLDER = PurePosixPath("arguments")
SCHEMA_FILE = PurePosixPath(".argmap/schema.json")
EXAMPLE_MAP = MAPS_FOLDER / "example.toml"
CONFIG_FILE = PurePosixPath("argmap.toml")
TAPLO_FILE = PurePosixPath(".taplo.toml")
GITIGNORE_FILE = PurePosixPath(".gitignore")
WORKFLOW_FILE = PurePosixPath(".github/workflows/argmap.yml")

# The same rule as argmap.build._page_names.PAGE_NAME_PART: each part of a page name.
_NAME_PART = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")


class ScaffoldError(ValueError):
    """What was asked cannot be done (a usage error: exit code 2)."""


class LinkOutOfProjectError(ScaffoldError):
    """A link would put the new file outside the project (a refusal, also exit code 2)."""


def schema_directive(map_path: PurePosixPath) -> str:
    """The ``#:schema`` line for a map at ``map_path`` (relative to the project)."""
    relative = posixpath.relpath(SCHEMA_FILE, map_path.parent)
    return f"#:schema {relative}"


EXAMPLE_MAP_TEXT = f"""\
{schema_directive(EXAMPLE_MAP)}
# An example argument map, written by `argmap init`. Change it, or delete it and start
# a map of your own with `argmap new NAME`. The first line lets an editor with a TOML
# language server (Even Better TOML, Taplo, Tombi) complete keys and explain them.
#
# `argmap check` checks every map in arguments/; `argmap build` writes the site into
# build/; `argmap fmt` puts a map's tables and keys in the usual order.

[map]
title = "Should our high street get a cycle lane?"
thesis = "build-lane"
summary = "An example: reasons for a thesis, an objection with its reply, and an undercut."
tags = ["example"]

# A map usually analyses one text. Name it in a [source] table; every key is optional,
# so give only what the text itself states, and never invent a value:
#
# [source]
# title = "The title of the article"
# publisher = "Who published it"
# url = "https://example.org/the-article"
# text_file = "sources/the-article.txt"  # a local copy: every quote is checked against it
#
# Each statement can then carry the source's own words: quote = "..." and paragraph = 3.

# Claims are argued for. The thesis, named in [map], is the main claim.
[claim.build-lane]
text = "The town should build a cycle lane on the high street."

# A claim can also support another claim: it is then an intermediate conclusion.
[claim.safer]
text = "A cycle lane would make cycling on the high street safer."
supports = "build-lane"

# Premises are taken as given. On its own, with `supports`, a premise is an
# independent reason.
[premise.accidents]
text = "Most accidents involving cyclists in the town happen on the high street."
supports = "safer"

# These two premises only work together; the [reason] below links them.
[premise.short-trips]
text = "Most trips into the town centre are shorter than three kilometres."

[premise.cycle-if-safe]
text = "People who feel safe on a bike cycle short trips instead of driving."

# A rebuttal that `attacks` a statement says it is false.
[rebuttal.parking]
text = "A cycle lane would take away the parking spaces that the shops need."
attacks = "build-lane"

# A rebuttal can answer another rebuttal.
[rebuttal.car-park]
text = "The car park behind the market has room for the cars that park on the street now."
attacks = "parking"

# A rebuttal that `undercuts` a reason grants its premises but denies that they
# support the conclusion.
[rebuttal.winter]
text = "In winter few people cycle, however safe the lane."
undercuts = "fewer-cars"

# A linked reason: premises that support a conclusion only together.
[reason.fewer-cars]
premises = ["short-trips", "cycle-if-safe"]
supports = "build-lane"
note = "Linked: short trips only turn into bike rides for people who feel safe."
"""


def _config_text() -> str:
    from argmap.model.lintsettings import DEFAULT_MAX_TEXT_LENGTH

    return f"""\
# argmap's settings for this project. Everything here is optional: the settings
# below are commented out and show the defaults. A map can change them for itself
# in a [lint] table of its own. The rules and their names: `argmap check` prints the
# code of every problem, and docs/rules.md in argmap describes them.

[lint]
# Lint rules to switch off, by name or by code:
# disable = ["orphan-node", "AM404"]

# Warn about statements without a quote: true for every kind, or a list of kinds.
# require_quotes = ["claim", "premise"]

# Warn about statement texts longer than this many characters.
# max_text_length = {DEFAULT_MAX_TEXT_LENGTH}

# Give a switchable rule another severity ("error" or "warning"; to turn it off, use disable):
# [lint.severity]
# overlong-text = "error"
"""


TAPLO_TEXT = f"""\
# Editor support for argmap maps, written by `argmap init`: Taplo and the Even Better
# TOML extension check and complete every map under {MAPS_FOLDER}/ against argmap's
# JSON Schema. After upgrading argmap, refresh the schema with
#   argmap schema -o {SCHEMA_FILE}

[[rule]]
include = ["{MAPS_FOLDER}/**/*.toml"]

[rule.schema]
path = "./{SCHEMA_FILE}"
"""

# What `argmap build` writes beside the site folder NAME (argmap.output): `.NAME.cache/`
# (drawn diagrams by content hash) and `.NAME.lock` (taken while the site is swapped in).
GITIGNORE_TEXT = """\
# Written by `argmap init`: the site argmap builds, the cache of drawn diagrams and the
# lock file it keeps beside the site, and a virtual environment. Another output folder
# (`argmap build -o NAME`, or out in argmap.toml) needs NAME/, .NAME.cache/ and .NAME.lock.
build/
.build.cache/
.build.lock
.venv/
"""

# argmap is not on PyPI, so CI installs it from its git repository, at a tag or commit
# (pip's `git+URL@REV` form): the same argmap on every run until the project moves it.
ARGMAP_PLACEHOLDER = "git+ARGMAP-REPOSITORY-URL@ARGMAP-TAG-OR-COMMIT"

GITHUB_WORKFLOW = f"""\
# Check the argument maps on every push and pull request, build the site, and keep
# it as an artifact of the run. Written by `argmap init`; see argmap's docs/ci.md.
name: argmap

on:
  push:
  pull_request:

permissions:
  contents: read

jobs:
  maps:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
      - name: Install Graphviz
        run: sudo apt-get update && sudo apt-get install --yes graphviz
      - name: Install argmap
        # argmap is not on PyPI: pip installs it from its git repository, at a tag or
        # commit (so that a new version cannot change a run). `argmap init` writes the
        # one it was installed from; if ARGMAP still shows placeholders, put the address
        # of argmap's repository and a tag or commit of it in their place.
        # A wheel of argmap committed to this repository works too, as
        # ARGMAP: ./tools/argmap-0.1.0-py3-none-any.whl (`pip wheel --no-deps .` makes it).
        run: python -m pip install "$ARGMAP"
        env:
          ARGMAP: {ARGMAP_PLACEHOLDER}
      - name: Check the maps
        run: argmap check --format github --strict
      - name: Build the site
        run: argmap build
      - name: Keep the site
        uses: actions/upload-artifact@v4
        with:
          name: argmap-site
          path: build/
"""

GITLAB_CI = f"""\
# Check the argument maps, build the site and keep it as an artifact of the pipeline.
# argmap is not on PyPI: ARGMAP is pip's `git+URL@REV` for argmap's repository at a tag
# or commit; put them in place of the two placeholders (git must be in the image).
argmap:
  image: python:3.12-slim-bookworm
  variables:
    ARGMAP: {ARGMAP_PLACEHOLDER}
  before_script:
    - apt-get update && apt-get install --yes --no-install-recommends graphviz git
    - python -m pip install "$ARGMAP"
  script:
    - argmap check --strict
    - argmap build
  artifacts:
    paths:
      - build/
"""


# What pip records of an install from git (PEP 610's direct_url.json), accepted only in
# this plain form: it is written into a YAML file.
_REMOTE_URL = re.compile(r"(?:https|ssh)://[A-Za-z0-9._~%+@:/-]+")
_COMMIT = re.compile(r"[0-9a-f]{40}")


def installed_from_git() -> str | None:
    """pip's ``git+URL@COMMIT`` for the argmap running now, when pip installed it from a
    remote git repository; None otherwise (a local checkout, a wheel, an odd record).

    ``argmap init`` puts it into the CI workflow, so that CI runs the argmap the author
    uses, at the same commit.
    """
    import json
    from importlib import metadata

    try:
        text = metadata.distribution("argmap").read_text("direct_url.json")
        record = json.loads(text) if text else None
    except (metadata.PackageNotFoundError, ValueError):
        return None
    if not isinstance(record, dict) or not isinstance(record.get("vcs_info"), dict):
        return None
    url, vcs = record.get("url"), record["vcs_info"]
    commit = vcs.get("commit_id")
    if vcs.get("vcs") != "git" or not isinstance(url, str) or not isinstance(commit, str):
        return None
    if not _REMOTE_URL.fullmatch(url) or not _COMMIT.fullmatch(commit):
        return None
    return f"git+{url}@{commit}"


def project_files(argmap_spec: str | None = None) -> dict[PurePosixPath, str]:
    """Every file ``argmap init`` writes, by path relative to the project, in order.

    ``argmap_spec`` (pip's ``git+URL@REV``) replaces the placeholders of the workflow.
    """
    from argmap.model.schema import schema_text

    return {
        EXAMPLE_MAP: EXAMPLE_MAP_TEXT,
        CONFIG_FILE: _config_text(),
        SCHEMA_FILE: schema_text(),
        TAPLO_FILE: TAPLO_TEXT,
        GITIGNORE_FILE: GITIGNORE_TEXT,
        WORKFLOW_FILE: GITHUB_WORKFLOW.replace(
            ARGMAP_PLACEHOLDER, argmap_spec or ARGMAP_PLACEHOLDER
        ),
    }


@dataclass
class InitReport:
    written: list[Path] = field(default_factory=list)
    kept: list[tuple[Path, str]] = field(default_factory=list)  # (path, why it was kept)
    argmap_spec: str | None = None  # what the workflow installs, when filled in


def init_project(root: Path) -> InitReport:
    """Write the files of a new project into ``root``; never overwrite a file.

    A file that exists is kept as it is and listed with the reason. The example map is
    left out when ``arguments/`` already holds maps, so that it does not join a site.
    Raises :class:`ScaffoldError` when ``root`` is not a folder, and ``OSError`` when a
    file cannot be written.
    """
    if root.exists() and not root.is_dir():
        raise ScaffoldError(f"{root} exists and is not a folder")
    report = InitReport(argmap_spec=installed_from_git())
    maps = root / MAPS_FOLDER
    has_maps = maps.is_dir() and any(maps.rglob("*.toml"))
    files = project_files(report.argmap_spec)
    for relative in files:  # all before the first file is written
        _refuse_leaving(root, root / relative)
    for relative, text in files.items():
        path = root / relative
        if path.exists() or path.is_symlink():
            report.kept.append((path, "it already exists"))
            continue
        if relative == EXAMPLE_MAP and has_maps:
            report.kept.append((path, f"{maps} already holds maps"))
            continue
        _write_new(path, text)
        report.written.append(path)
    return report


def map_skeleton(name: str, *, schema: bool = True) -> str:
    """The text of a new map called ``name`` (a page name such as ``school/uniforms``).

    With ``schema``, its first line is a ``#:schema`` directive pointing at
    :data:`SCHEMA_FILE`.
    """
    map_path = MAPS_FOLDER / f"{name}.toml"
    title = name.rsplit("/", 1)[-1].replace("-", " ").replace("_", " ").strip()
    title = title[:1].upper() + title[1:]
    directive = f"{schema_directive(map_path)}\n" if schema else ""
    return f"""\
{directive}# TODO: what this map analyses. The format: docs/format.md in argmap.

[map]
title = "{title}"
thesis = "thesis"
# summary = "TODO: a paragraph about the map."
# tags = ["TODO"]

# TODO: the text the map analyses. Every key is optional: give only what the text
# itself states.
# [source]
# title = "TODO"
# url = "https://TODO"
# text_file = "TODO.txt"  # a local copy of the text, to check every quote against

# The main claim of the text, in your own words.
[claim.thesis]
text = "TODO: the main claim."

# TODO: a reason the text gives for the thesis. Add more premises and claims with
# `supports`, rebuttals with `attacks` or `undercuts`, and [reason.ID] tables for
# premises that only work together.
[premise.first-reason]
text = "TODO: a reason for the thesis."
supports = "thesis"
"""


def new_map(name: str, root: Path = Path()) -> Path:
    """Write ``arguments/NAME.toml`` below ``root``; return its path.

    ``name`` is a page name: parts separated by ``/``, each made of letters, digits,
    ``-`` and ``_`` and starting with a letter or digit (a trailing ``.toml`` is
    dropped). Raises :class:`ScaffoldError` for a name that cannot be a page, and when
    the file, or a map whose page name differs only in case, exists.
    """
    name = name.removesuffix(".toml")
    parts = name.split("/")
    if not all(_NAME_PART.fullmatch(part) for part in parts):
        raise ScaffoldError(
            f"{name!r} cannot be a map's name: use letters, digits, '-' and '_', starting "
            "with a letter or digit (and '/' for a subfolder); the name becomes the "
            "page's address"
        )
    if name.lower() == "index":
        raise ScaffoldError(
            "a map at the top of the maps folder cannot be called 'index': index.html is "
            "the list of all maps"
        )
    maps = root / MAPS_FOLDER
    path = maps / f"{name}.toml"
    if path.exists() or path.is_symlink():
        raise ScaffoldError(f"{path} already exists; choose another name")
    if maps.is_dir():
        for existing in maps.rglob("*.toml"):
            slug = existing.relative_to(maps).with_suffix("").as_posix()
            if slug.lower() == name.lower():
                raise ScaffoldError(
                    f"{existing} has the same page name except for upper and lower case; "
                    "choose another name"
                )
    _refuse_leaving(root, path)
    # The directive only where the schema is: a missing schema is an error in editors.
    _write_new(path, map_skeleton(name, schema=(root / SCHEMA_FILE).is_file()))
    return path


def _refuse_leaving(root: Path, path: Path) -> None:
    """Refuse (ScaffoldError) a file that a link on its way would put outside ``root``.

    A project can hold links (``arguments -> ~/.config/autostart``, committed by a
    stranger): argmap writes no file outside the project through one, and would not
    read a map there either.
    """
    top = root.resolve()
    real = path.parent.resolve()
    if real == top or top in real.parents:
        return
    here = root
    for part in path.relative_to(root).parent.parts:
        here /= part
        if here.is_symlink():
            raise LinkOutOfProjectError(
                f"{here} is a symbolic link to {here.readlink()}, outside {root}: argmap "
                f"writes no file through a link out of the project (it would create "
                f"{real / path.name}); remove the link, or make the folder inside the project"
            )


def _write_new(path: Path, text: str) -> None:
    """Create ``path`` (and its folders) with ``text``; fail if it appeared meanwhile."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8", newline="\n") as stream:
        stream.write(text)

"""The classroom handouts a site build adds to each map's page (``argmap build
--handouts``): A4 and US Letter, full and with the premises blank.

A site is public: its worksheets never carry their answer key, and no key is written
into it. ``argmap build --handout-keys DIR`` writes the keys of the same worksheets
into a folder of their own outside the site (:func:`site_handout_keys`), as
``argmap handout --answer-key`` writes one beside a worksheet of one's own."""

from __future__ import annotations

from typing import TYPE_CHECKING

from argmap.teach.handout import HandoutOptions, make_handout
from argmap.teach.paper import Paper, default_draw

if TYPE_CHECKING:
    from collections.abc import Iterable

    from argmap.analysis.graph import ArgumentGraph
    from argmap.render.layout import DotRunner

# (label on the page, file name suffix, kind of the boxes left blank)
SITE_HANDOUTS = (
    ("A4", "a4", None),
    ("Letter", "letter", None),
    ("A4, premises blank", "a4-blanks", "premise"),
    ("Letter, premises blank", "letter-blanks", "premise"),
)


def _options(suffix: str, blank: str | None, answer_key: bool) -> HandoutOptions:
    """The options of one site handout: the same for its worksheet and its key."""
    paper = Paper.LETTER if suffix.startswith("letter") else Paper.A4
    return HandoutOptions(paper=paper, blank=blank, answer_key=answer_key)


def site_handouts(
    graph: ArgumentGraph, timeout: float, runner: DotRunner | None
) -> tuple[tuple[str, str, bytes], ...]:
    """Each handout of the map as (label, path in the site, HTML)."""
    draw = default_draw(timeout, runner)
    made = []
    for label, suffix, blank in SITE_HANDOUTS:
        html = make_handout(graph, _options(suffix, blank, False), draw).html
        made.append((label, f"handouts/{graph.map.slug}-{suffix}.html", html.encode("utf-8")))
    return tuple(made)


def site_handout_keys(
    graph: ArgumentGraph, timeout: float, runner: DotRunner | None
) -> tuple[tuple[str, bytes], ...]:
    """The answer key of each of the map's site handouts as (path in the keys folder,
    HTML): ``SLUG-SUFFIX-key.html``, the key ``argmap handout --answer-key`` writes
    beside that worksheet."""
    draw = default_draw(timeout, runner)
    made = []
    for _, suffix, blank in SITE_HANDOUTS:
        key = make_handout(graph, _options(suffix, blank, True), draw).key_html
        assert key is not None, "make_handout writes a key with answer_key"
        made.append((key_name(graph.map.slug, suffix), key.encode("utf-8")))
    return tuple(made)


def key_name(slug: str, suffix: str) -> str:
    """The file of a site handout's key in the keys folder, named as ``argmap handout
    --answer-key`` names the key beside that worksheet."""
    return f"{slug}-{suffix}-key.html"


def site_key_names(slugs: Iterable[str]) -> tuple[str, ...]:
    """Every file :func:`site_handout_keys` writes for the maps ``slugs``."""
    return tuple(key_name(slug, suffix) for slug in slugs for _, suffix, _ in SITE_HANDOUTS)

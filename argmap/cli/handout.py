"""``argmap handout``: a print-ready classroom worksheet (HTML, optionally PDF) from a map."""

from __future__ import annotations

import enum
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from argmap.cli.common import checked_map, write_output
from argmap.cli.failures import InputFailedError
from argmap.diagnostics import environment_error

if TYPE_CHECKING:
    from argmap.analysis.graph import ArgumentGraph
    from argmap.model import NodeKind
    from argmap.teach.handout import HandoutOptions
    from argmap.teach.paper import Draw


class _Paper(enum.StrEnum):
    A4 = "a4"
    LETTER = "letter"


class _Level(enum.StrEnum):
    FULL = "full"
    BLANKS = "blanks"
    BANK = "bank"
    RECALL = "recall"


def handout(
    path: Annotated[Path, typer.Argument(help="The map file.", show_default=False)],
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            help="The HTML file to write. Default: MAP-handout.html in the current folder.",
            show_default=False,
        ),
    ] = None,
    pdf: Annotated[
        bool,
        typer.Option("--pdf", help="Also print a PDF next to the HTML (needs Chromium)."),
    ] = False,
    paper: Annotated[_Paper, typer.Option(help="Paper size.", case_sensitive=False)] = _Paper.A4,
    blank: Annotated[
        str | None,
        typer.Option(
            help="Boxes to leave empty, comma-separated: kinds (claims, premises, rebuttals, "
            "thesis), numbers (P3), ids or tags. Implies --level blanks.",
            show_default=False,
        ),
    ] = None,
    seed: Annotated[int, typer.Option(help="Seed for the order of the statement bank.")] = 1,
    answer_key: Annotated[
        bool,
        typer.Option(
            "--answer-key",
            help="Also write the answer key, a file of its own beside the worksheet "
            "(NAME-key.html, and NAME-key.pdf with --pdf).",
        ),
    ] = False,
    level: Annotated[
        _Level | None,
        typer.Option(
            help="full: every text; blanks: chosen boxes empty (default: premises), their "
            "texts in a bank with the map's [handout] distractors; bank: every box empty, "
            "students place the statements; recall: the --blank boxes empty and no bank. "
            "Default: full, or blanks with --blank.",
            case_sensitive=False,
            show_default=False,
        ),
    ] = None,
    source_text: Annotated[
        bool,
        typer.Option(
            "--source-text",
            help="Add the source text (source.text_file) with numbered paragraphs.",
        ),
    ] = False,
    exercise: Annotated[
        str | None,
        typer.Option(
            help="Exercises whose answers are not on the sheet, comma-separated: label, "
            "reconstruct, diagram, evaluate, objection (docs/handouts.md).",
            show_default=False,
        ),
    ] = None,
    distractors_from: Annotated[
        list[Path] | None,
        typer.Option(
            "--distractors-from",
            help="Other maps (files or folders; repeatable): a few of their statements, of "
            "the kinds left blank, join the bank as distractors.",
            show_default=False,
        ),
    ] = None,
    versions: Annotated[
        int,
        typer.Option(
            min=1,
            max=26,
            help="Write a class set: this many versions (NAME-A.html, NAME-B.html ...), "
            "each labelled on every page, with its own bank order and, with --blank-count, "
            "its own blank boxes. Reproducible with --seed.",
        ),
    ] = 1,
    blank_count: Annotated[
        int | None,
        typer.Option(
            min=1,
            help="Leave only this many of the boxes --blank names empty, chosen by the "
            "seed (a different choice in each version).",
            show_default=False,
        ),
    ] = None,
    timeout: Annotated[
        float, typer.Option(min=1, help="Seconds Graphviz, and Chromium, may take.")
    ] = 120.0,
) -> None:
    """Write a print-ready worksheet: diagram, standard form, questions (docs/handouts.md)."""
    from argmap.teach.handout import HandoutOptions, Level
    from argmap.teach.paper import Paper, default_draw

    if out is not None and out.suffix.lower() == ".pdf":
        pdf, out = True, out.with_suffix(".html")
    html_path = out or Path(f"{path.stem}-handout.html")
    graph = checked_map(path)
    base = HandoutOptions(
        paper=Paper(paper.value),
        level=Level(level.value) if level is not None else None,
        blank=blank,
        seed=seed,
        answer_key=answer_key,
        source_text=source_text,
        blank_count=blank_count,
        exercise=exercise,
        borrowed=_statements_of(distractors_from or [], path),
    )
    try:
        html_path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise environment_error(error, f"cannot write {html_path}") from None
    draw = default_draw(timeout)
    written: list[Path] = []
    for version in range(1, versions + 1) if versions > 1 else [0]:
        options = replace(base, version=version)
        target = html_path
        if options.version_name is not None:
            target = html_path.with_name(f"{html_path.stem}-{options.version_name[-1]}.html")
        written += _write(graph, options, draw, target)
    if pdf:
        from argmap.output import target_mode
        from argmap.render.layout import print_pdf

        for target in written:
            pdf_path = target.with_suffix(".pdf")
            target_mode(pdf_path)  # Chromium would write through a link
            print_pdf(target, pdf_path, timeout=timeout)
            typer.echo(f"wrote {pdf_path}")


def _write(graph: ArgumentGraph, options: HandoutOptions, draw: Draw, target: Path) -> list[Path]:
    """Write one worksheet (and its key); report what was written."""
    from argmap.teach.handout import make_handout

    made = make_handout(graph, options, draw)
    written = [(target, made.html)]
    if made.key_html is not None:
        written.append((key_path(target), made.key_html))
    for path, html in written:
        write_output(path, html.encode("utf-8"))
    for note in made.notes:
        typer.echo(f"note: {note}", err=True)
    parts = len(made.parts)
    what = f"level {made.level.value}"
    if options.version_name:
        what = f"{options.version_name}, {what}"
    if made.blanks:
        what += f", {len(made.blanks)} empty box(es), bank seed {options.seed}"
    diagram = "diagram on one page" if parts == 1 else f"diagram in {parts} parts"
    typer.echo(f"wrote {target} ({options.paper.value.upper()}, {what}; {diagram})")
    if made.key_html is not None:
        typer.echo(f"wrote {written[1][0]} (the answer key)")
    return [path for path, _ in written]


def _statements_of(paths: list[Path], own: Path) -> tuple[tuple[NodeKind, str], ...]:
    """Every statement (kind, plain text) of the maps under ``paths`` but ``own``; a map
    with errors is reported as ``argmap check`` does (exit 1)."""
    if not paths:
        return ()
    from argmap.build.pipeline import check
    from argmap.markdown import to_plain

    result = check(paths)
    if result.errors:
        raise InputFailedError("--distractors-from", diagnostics=result.diagnostics)
    return tuple(
        (node.kind, to_plain(node.text))
        for graph in result.graphs
        if graph.map.path.resolve() != own.resolve()
        for node in graph.ordered_nodes()
    )


def key_path(worksheet: Path) -> Path:
    """The answer key's file beside the worksheet: sheet.html -> sheet-key.html."""
    return worksheet.with_name(f"{worksheet.stem}-key{worksheet.suffix}")

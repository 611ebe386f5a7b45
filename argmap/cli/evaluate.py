"""``argmap evaluate``: which statements of a map stand, which fall, and why."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Annotated

import typer

from argmap.cli.common import checked_map
from argmap.cli.failures import CommandLineError, InputFailedError


def evaluate(
    path: Annotated[Path, typer.Argument(help="The map file to evaluate.", show_default=False)],
    semantics: Annotated[
        str,
        typer.Option(
            help="grounded (sceptical, always fast), preferred or stable; preferred and stable "
            "also show which statements are contested (credulously but not sceptically IN)."
        ),
    ] = "grounded",
    scores: Annotated[
        bool, typer.Option("--scores", help="Add the DF-QuAD gradual score of every statement.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for tools.")] = False,
) -> None:
    """Label every statement IN, OUT or UNDEC, with a one-line reason (docs/evaluation.md)."""
    from argmap.analysis import _explain as plain
    from argmap.analysis._af import SearchLimitError
    from argmap.analysis.evaluate import ConvergenceError, Semantics, gradual_scores, to_json
    from argmap.analysis.evaluate import evaluate as run_evaluate

    if semantics not in tuple(Semantics):
        raise CommandLineError(
            f"--semantics must be grounded, preferred or stable, not {semantics!r}"
        )
    graph = checked_map(path)
    try:
        evaluation = run_evaluate(graph, semantics)
        strengths = gradual_scores(graph) if scores else None
    except (SearchLimitError, ConvergenceError) as error:
        raise InputFailedError(
            errors=[f"cannot evaluate {path}: {error}"],
            hint="use --semantics grounded, which is always fast",
        ) from None
    if as_json:
        typer.echo(json.dumps(to_json(evaluation, strengths), ensure_ascii=False, indent=2))
        return
    typer.echo(f"{graph.map.title}: {evaluation.semantics.value} semantics")
    typer.echo(textwrap.fill(plain.assumptions(evaluation.semantics.value), 88))
    if evaluation.stable_exists is False:
        typer.echo("no stable labelling exists for this map")
    for node in graph.ordered_nodes():
        label = evaluation.labels[node.id].value
        extra = " (contested)" if node.id in evaluation.contested else ""
        score = f"  score {strengths[node.id]:.3f}" if strengths is not None else ""
        thesis = " THESIS" if node.id == graph.map.thesis else ""
        typer.echo(f"{graph.numbers[node.id]:>4} {label:<5}{thesis}{extra}{score}  {node.id}")
        # the plain words first, then the formal reason (unless they say the same)
        words = plain.headline(graph, evaluation.labels, node.id)
        explanation = evaluation.explanations[node.id]
        if explanation.removeprefix(f"{label}: ") != words:
            explanation = f"{words}. {explanation}"
        typer.echo(f"       {explanation}")

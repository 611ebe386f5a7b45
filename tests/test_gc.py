"""The cyclic garbage collector is paused while one map is loaded, checked and evaluated
(argmap._gc): its walks over every object took a large part of the time on large maps."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from argmap._gc import collector_paused
from argmap.analysis import evaluate as evaluate_module
from argmap.analysis import lint
from argmap.build import check as check_stage
from argmap.build.pipeline import MapFile, check_map
from argmap.config import Config
from argmap.model import load
from argmap.model._toml_positions import scan_positions

from .conftest import FIXTURES, SEED_MAP


@pytest.fixture
def collector_on() -> Iterator[None]:
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


@pytest.mark.usefixtures("collector_on")
def test_the_collector_is_paused_in_each_stage_and_resumed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: dict[str, bool] = {}

    def spy(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            seen[name] = gc.isenabled()
            return function(*args, **kwargs)

        return wrapped

    monkeypatch.setattr(load, "scan_positions", spy("load", scan_positions))
    monkeypatch.setattr(check_stage, "lint_map", spy("lint", lint.lint_map))
    monkeypatch.setattr(evaluate_module, "_translate", spy("eval", evaluate_module._translate))
    check = check_map(MapFile(SEED_MAP, SEED_MAP.stem), Config())
    assert check.graph is not None
    assert gc.isenabled()
    evaluate_module.evaluate(check.graph)
    assert seen == {"load": False, "lint": False, "eval": False}
    assert gc.isenabled()


@pytest.mark.usefixtures("collector_on")
def test_pauses_nest_and_end_on_an_error() -> None:
    with collector_paused():
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # only the outermost pause resumes
    assert gc.isenabled()
    with pytest.raises(ValueError), collector_paused():
        raise ValueError
    assert gc.isenabled()


@pytest.mark.usefixtures("collector_on")
def test_a_collector_the_caller_switched_off_stays_off() -> None:
    gc.disable()
    with collector_paused():
        pass
    assert not gc.isenabled()


@pytest.mark.usefixtures("collector_on")
def test_the_check_command_keeps_it_paused_until_its_result_is_freed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Resumed while a large map's objects are still alive, the collector's first
    collections walk every one of them: the command keeps the pause up to its end."""
    from typer.testing import CliRunner

    from argmap.cli import build as build_command
    from argmap.cli.printing import report as real_report
    from argmap.cli.root import app

    seen: list[bool] = []

    def report(*args: Any, **kwargs: Any) -> None:
        seen.append(gc.isenabled())
        real_report(*args, **kwargs)

    monkeypatch.setattr(build_command, "report", report)
    result = CliRunner().invoke(app, ["check", str(SEED_MAP)])
    assert result.exit_code == 0, result.output
    assert seen == [False]
    assert gc.isenabled()


@pytest.mark.usefixtures("collector_on")
def test_the_import_command_keeps_it_paused_too(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from typer.testing import CliRunner

    import argmap.interop
    from argmap.cli.root import app

    seen: list[bool] = []
    real_import = argmap.interop.import_map

    def import_map(*args: Any, **kwargs: Any) -> Any:
        seen.append(gc.isenabled())
        return real_import(*args, **kwargs)

    monkeypatch.setattr(argmap.interop, "import_map", import_map)
    source = FIXTURES / "interop" / "nodeset-mixed.json"
    result = CliRunner().invoke(app, ["import", str(source), "-o", str(tmp_path / "m.toml")])
    assert result.exit_code == 0, result.output
    assert seen == [False]
    assert gc.isenabled()

"""argmap.sphinx: the ``argmap`` directive, from reStructuredText and MyST Markdown, in a
real Sphinx build of the tiny project in tests/fixtures/sphinx."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, SEED_MAP

pytest.importorskip("sphinx")
pytest.importorskip("myst_parser")

from sphinx.cmd.build import build_main

PROJECT = FIXTURES / "sphinx"


def project(tmp_path: Path) -> Path:
    source = tmp_path / "src"
    shutil.copytree(PROJECT, source)
    shutil.copy(SEED_MAP, source / "maps" / "russia-resets.toml")
    return source


def build(source: Path, out: Path) -> int:
    return build_main(["-b", "html", "-q", "-W", "-E", str(source), str(out)])


@pytest.mark.needs_dot
def test_directive_in_rst_and_myst(tmp_path: Path) -> None:
    out = tmp_path / "html"
    assert build(project(tmp_path), out) == 0
    index = (out / "index.html").read_text(encoding="utf-8")
    page = (out / "page.html").read_text(encoding="utf-8")
    # rST: the seed map whole, with its outline, and the taxis sub-tree without one.
    assert index.count('<div class="argmap-fragment"') == 2
    assert 'id="argmap-russia-resets"' in index
    assert 'id="argmap-buses-taxis"' in index
    assert index.count('<ul class="outline-tree"') == 1
    assert index.count("<svg") == 2
    assert (
        "The council should keep the night bus service."
        not in index.split('id="argmap-buses-taxis"')[1]
    )
    # MyST: the same map twice, with its outline, each copy with ids of its own.
    assert page.count("<svg") == 2
    assert page.count('<ul class="outline-tree"') == 2
    assert "Night workers could take taxis" in page
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids))
    assert 'id="argmap-buses"' in page and 'id="argmap-buses-2"' in page


@pytest.mark.needs_dot
def test_map_errors_are_sphinx_warnings_at_file_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = project(tmp_path)
    broken = source / "maps" / "broken.toml"
    broken.write_text(
        '[map]\ntitle = "Broken"\nthesis = "a"\n\n[claim.a]\ntext = "A."\n\n'
        '[premise.b]\ntext = "B."\nsupports = "nowhere"\n',
        encoding="utf-8",
    )
    (source / "page.md").write_text(
        "# Broken\n\n```{argmap} maps/broken.toml\n```\n\n```{argmap} maps/buses.toml\n"
        ":node: nope\n```\n",
        encoding="utf-8",
    )
    out = tmp_path / "html"
    assert build_main(["-b", "html", "-q", "--keep-going", "-E", str(source), str(out)]) == 0
    err = capsys.readouterr().err
    assert f"{broken}:10" in err
    assert "error[AM202]" in err
    assert "page.md:3" in err
    assert "no statement 'nope'" in err
    assert "Traceback" not in err
    assert build(source, tmp_path / "strict") != 0

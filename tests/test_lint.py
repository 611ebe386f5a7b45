"""The lint rules (AM4xx), pinned by data-driven fixtures, and how settings switch them.

Each ``fixtures/lint/NAME.toml`` is a valid map that breaks one lint rule (NAME starts
with the rule's name), and ``NAME.expected`` beside it holds exactly what
:func:`argmap.build.pipeline.check` reports for it with the default settings; the format and
how to rewrite the files are in tests/_fixtures.py.
"""

from __future__ import annotations

import difflib
import itertools
import random
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from argmap.analysis._duplicates import _Shape, normalise_plain, normalise_plains
from argmap.analysis.lint import (
    DEFAULT_MAX_TEXT_LENGTH,
    NEAR_DUPLICATE_RATIO,
    SWITCHABLE,
    first_duplicates,
    nearly_equal,
    normalise_text,
)
from argmap.build.pipeline import check
from argmap.codes import BY_CODE, RULES
from argmap.config import Config, load_config
from argmap.diagnostics import Diagnostic, Severity

from ._fixtures import (
    DEFAULTS,
    assert_matches_expected,
    assert_positions_in_the_file_in_order,
    check_fixture,
    expected_codes,
    fixtures,
    render,
)
from .conftest import FIXTURES, REPO, SEED_MAP

LINT = FIXTURES / "lint"
INVALID = FIXTURES / "invalid"

# The fixture that makes each switchable rule speak (AM301/AM302 live with the invalid maps).
RULE_FIXTURES = {
    "AM301": INVALID / "quote-not-in-source.toml",
    "AM302": INVALID / "source-text-file-missing.toml",
    **{rule.code: LINT / f"{rule.name}.toml" for rule in SWITCHABLE if rule.code >= "AM400"},
}

# Codes that no fixture map can produce, each pinned (code and position) by the named test.
COVERED_ELSEWHERE = {
    "AM001": "tests/test_validate.py::test_an_unreadable_map_file",  # read fails, not content
    "AM004": "tests/test_validate.py::test_a_folder_without_maps",  # needs a folder, not a map
    "AM006": "tests/test_validate.py::test_two_maps_whose_page_names_differ_only_in_case",
    "AM007": "tests/test_site.py::test_a_broken_project_template_is_reported_with_file_and_line",
}


def codes(diagnostics: tuple[Diagnostic, ...] | list[Diagnostic]) -> list[str]:
    return [d.code for d in diagnostics]


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def project(tmp_path: Path, text: str) -> Config:
    """The Config of an argmap.toml with ``text``, which must have no problems."""
    write(tmp_path / "argmap.toml", text)
    config, problems = load_config(tmp_path)
    assert problems == []
    return config


def with_map_lint(fixture: Path, folder: Path, lines: str) -> Path:
    """A copy of ``fixture`` in ``folder`` with ``lines`` added to its [lint] table.

    The copy keeps the fixture's neighbours: ``../sources/`` is copied beside it.
    """
    text = fixture.read_text(encoding="utf-8")
    if re.search(r"^\[lint\]$", text, re.MULTILINE):
        text = re.sub(r"^\[lint\]$", f"[lint]\n{lines}", text, count=1, flags=re.MULTILINE)
    else:
        text += f"\n[lint]\n{lines}\n"
    if not (folder.parent / "sources").exists():
        shutil.copytree(FIXTURES / "sources", folder.parent / "sources")
    return write(folder / fixture.name, text)


# -- the fixtures ---------------------------------------------------------------------


@pytest.mark.parametrize("fixture", fixtures(LINT), ids=lambda p: p.stem)
def test_lint_fixture_reports_exactly_the_expected_diagnostics(fixture: Path) -> None:
    assert_matches_expected(fixture, render(check_fixture(fixture).diagnostics, LINT))


@pytest.mark.parametrize("fixture", fixtures(LINT), ids=lambda p: p.stem)
def test_lint_fixture_points_into_the_file_in_line_order(fixture: Path) -> None:
    assert_positions_in_the_file_in_order(fixture, check_fixture(fixture).diagnostics)


@pytest.mark.parametrize("fixture", fixtures(LINT), ids=lambda p: p.stem)
def test_lint_warnings_do_not_fail_the_check(fixture: Path) -> None:
    result = check_fixture(fixture)
    assert result.diagnostics and result.warnings == result.diagnostics
    assert not result.errors
    assert len(result.graphs) == 1


@pytest.mark.parametrize("fixture", fixtures(LINT), ids=lambda p: p.stem)
def test_a_lint_fixture_shows_the_rule_it_is_named_after_and_no_other(fixture: Path) -> None:
    (rule,) = [r for r in SWITCHABLE if fixture.stem.startswith(r.name)]
    assert expected_codes(fixture.with_suffix(".expected")) == {rule.code}


def test_every_lint_rule_has_a_fixture_and_no_file_is_orphaned() -> None:
    assert all(path.is_file() for path in RULE_FIXTURES.values())
    assert {rule.code for rule in SWITCHABLE} == set(RULE_FIXTURES)
    maps = {p.stem for p in fixtures(LINT)}
    assert maps == {p.stem for p in LINT.glob("*.expected")}


def test_every_code_is_pinned_by_a_fixture_or_a_named_test() -> None:
    """A test per code asserts its line and column: an .expected file, or a named test."""
    in_fixtures: set[str] = set()
    for folder in (INVALID, LINT):
        for expected in folder.glob("*.expected"):
            in_fixtures |= expected_codes(expected)
    for code, test in COVERED_ELSEWHERE.items():
        assert code not in in_fixtures, f"{code} has a fixture now; drop it from COVERED_ELSEWHERE"
        file, name = test.split("::")
        assert f"def {name}(" in (REPO / file).read_text(encoding="utf-8"), f"{test} is gone"
    missing = set(BY_CODE) - in_fixtures - set(COVERED_ELSEWHERE)
    assert not missing, f"no fixture or test pins these codes: {sorted(missing)}"
    assert in_fixtures <= set(BY_CODE), "an .expected file names an unknown code"


# -- switching rules off and changing their severity -------------------------------------


@pytest.mark.parametrize("code", sorted(RULE_FIXTURES))
@pytest.mark.parametrize("by", ["code", "name"])
def test_every_switchable_rule_can_be_disabled_in_argmap_toml(
    code: str, by: str, tmp_path: Path
) -> None:
    fixture = RULE_FIXTURES[code]
    before = check_fixture(fixture).diagnostics
    assert code in codes(before)
    entry = code if by == "code" else BY_CODE[code].name
    config = project(tmp_path, f'[lint]\ndisable = ["{entry}"]\n')
    after = check([fixture], config).diagnostics
    assert after == tuple(d for d in before if d.code != code)


@pytest.mark.parametrize("code", sorted(RULE_FIXTURES))
def test_every_switchable_rule_can_be_disabled_in_the_map(code: str, tmp_path: Path) -> None:
    fixture = RULE_FIXTURES[code]
    folder = tmp_path / fixture.parent.name
    plain = with_map_lint(fixture, folder, "")
    before = codes(check([plain], DEFAULTS).diagnostics)
    assert code in before
    (tmp_path / "other").mkdir()
    silenced = with_map_lint(fixture, tmp_path / "other", f'disable = ["{BY_CODE[code].name}"]')
    after = codes(check([silenced], DEFAULTS).diagnostics)
    assert after == [c for c in before if c != code]


def test_a_map_disables_rules_on_top_of_the_project(tmp_path: Path) -> None:
    config = project(tmp_path, '[lint]\ndisable = ["AM402"]\n')
    fixture = LINT / "duplicate-text.toml"
    assert codes(check([fixture], config).diagnostics) == ["AM404", "AM404"]
    silenced = with_map_lint(fixture, tmp_path / "maps", 'disable = ["duplicate-text"]')
    assert codes(check([silenced], config).diagnostics) == []
    orphans = LINT / "orphan-node.toml"  # nor are orphans then reported by AM401 or AM403
    assert codes(check([orphans], config).diagnostics) == []


def test_a_rule_can_be_made_an_error_in_argmap_toml(tmp_path: Path) -> None:
    config = project(tmp_path, '[lint.severity]\noverlong-text = "error"\n')
    result = check([LINT / "overlong-text.toml"], config)
    assert [(d.code, d.severity) for d in result.diagnostics] == [("AM407", Severity.ERROR)]
    assert result.errors and not result.graphs


def test_a_quote_error_can_be_made_a_warning_in_argmap_toml(tmp_path: Path) -> None:
    config = project(tmp_path, "[lint.severity]\nAM301 = 'warning'\n")
    result = check([INVALID / "quote-not-in-source.toml"], config)
    assert [(d.code, d.severity) for d in result.diagnostics] == [("AM301", Severity.WARNING)]
    assert not result.errors and len(result.graphs) == 1
    ((_, report),) = result.quote_reports  # the report the CLI prints agrees
    assert report.checked == 2
    assert [d.severity for d in report.diagnostics] == [Severity.WARNING]


def test_the_maps_own_settings_replace_the_projects(tmp_path: Path) -> None:
    config = project(tmp_path, "[lint]\nrequire_quotes = true\nmax_text_length = 50\n")
    fixture = LINT / "missing-quote.toml"  # its [lint] requires quotes on claims and premises
    # The map's require_quotes wins (its rebuttals need no quote); it sets no length limit,
    # so the project's applies to the 54 characters of `riders`.
    result = check([fixture], config)
    assert [(d.code, d.position.line) for d in result.diagnostics] == [
        ("AM406", 14),
        ("AM407", 15),
    ]
    relaxed = with_map_lint(fixture, tmp_path / "maps", "max_text_length = 60")
    assert codes(check([relaxed], config).diagnostics) == ["AM406"]


def test_require_quotes_from_the_project_and_switched_off_by_a_map(tmp_path: Path) -> None:
    config = project(tmp_path, "[lint]\nrequire_quotes = true\n")
    fixture = LINT / "thesis-undefended.toml"
    result = check([fixture], config)
    assert set(codes(result.diagnostics)) == {"AM405", "AM406"}
    unquoted = sum(d.code == "AM406" for d in result.diagnostics)
    assert unquoted == len(re.findall(r"^\[(claim|premise|rebuttal)\.", fixture.read_text(), re.M))
    off = with_map_lint(fixture, tmp_path / "maps", "require_quotes = false")
    assert codes(check([off], config).diagnostics) == ["AM405"]


def test_thesis_undefended_with_many_objections_and_self_attacks(tmp_path: Path) -> None:
    # AM405 indexes who answers what once for the map. An objection that only undercuts
    # its own reason is not answered; one answered through an attack on it, on a premise
    # of its [reason.ID] or an undercut of that reason by another is. In reading order.
    lines = ["[map]", 'title = "T"', 'thesis = "t"', "[claim.t]", 'text = "The thesis."']
    lines += ["[premise.p]", 'text = "Ground of the thesis."', 'supports = "t"']
    for i in range(40):
        lines += [f"[rebuttal.o{i}]", f'text = "Objection number {i}."', 'attacks = "t"']
        if i % 4 == 0:  # answered
            lines += [f"[rebuttal.a{i}]", f'text = "Answer number {i}."', f'attacks = "o{i}"']
        elif i % 4 == 1:  # attacks another objection, nothing answers it: unanswered
            lines[-1] = f'attacks = ["t", "o{i - 1}"]'
        elif i % 4 == 2:  # a premise of its reason is attacked: answered
            lines += [f"[premise.g{i}]", f'text = "Ground number {i}."']
            lines += [f"[reason.r{i}]", f'premises = ["g{i}"]', f'supports = "o{i}"']
            lines += [f"[rebuttal.a{i}]", f'text = "Answer number {i}."', f'attacks = "g{i}"']
        else:  # its reason is undercut, by itself (unanswered) or by another (answered)
            lines += [f"[premise.g{i}]", f'text = "Ground number {i}."']
            lines += [f"[reason.r{i}]", f'premises = ["g{i}"]', f'supports = "o{i}"']
            if i % 8 == 3:
                lines[lines.index(f"[rebuttal.o{i}]") + 2] = f'attacks = "t"\nundercuts = "r{i}"'
            else:
                lines += [f"[rebuttal.a{i}]", f'text = "Answer number {i}."', f'undercuts = "r{i}"']
    path = write(tmp_path / "many.toml", "\n".join(lines) + "\n")
    diagnostics = check([path], DEFAULTS).diagnostics
    assert {d.code for d in diagnostics} == {"AM404", "AM405"}  # the texts are alike
    found = [d.message.split("answers ")[1] for d in diagnostics if d.code == "AM405"]
    assert found == [f"'o{i}'" for i in range(40) if i % 4 == 1 or i % 8 == 3]


# -- when lint runs -------------------------------------------------------------------


def test_lint_waits_for_a_map_without_load_or_validation_errors(tmp_path: Path) -> None:
    minimal = (FIXTURES / "valid" / "minimal.toml").read_text(encoding="utf-8")
    with_orphan = minimal + "\n[premise.forgotten]\ntext = 'The first night bus ran in 1962.'\n"
    unknown_thesis = with_orphan.replace('thesis = "keep-night-buses"', 'thesis = "x"')
    good = write(tmp_path / "good.toml", with_orphan)
    broken = write(tmp_path / "broken.toml", unknown_thesis)
    assert codes(check([good], DEFAULTS).diagnostics) == ["AM402"]
    assert codes(check([broken], DEFAULTS).diagnostics) == ["AM202"]


def test_a_quote_error_does_not_stop_lint(tmp_path: Path) -> None:
    fixture = with_map_lint(
        INVALID / "quote-not-in-source.toml", tmp_path / "maps", "require_quotes = true"
    )
    assert codes(check([fixture], DEFAULTS).diagnostics) == ["AM301"]  # every node has a quote
    write(fixture, fixture.read_text() + '\n[claim.orphan]\ntext = "Nothing leads here."\n')
    assert codes(check([fixture], DEFAULTS).diagnostics) == ["AM301", "AM402", "AM406"]


def test_the_seed_map_has_no_lint_warnings() -> None:
    result = check([SEED_MAP], DEFAULTS)
    assert not result.errors
    assert [d.headline() for d in result.diagnostics if d.code.startswith("AM4")] == []
    assert [d.code for d in result.diagnostics] in ([], ["AM302"])  # AM302: no source copy


def test_the_maps_in_the_repository_follow_the_repositorys_settings() -> None:
    config, problems = load_config(REPO)
    assert problems == []
    result = check([REPO / "arguments"], config)
    assert [d.headline() for d in result.diagnostics if d.code != "AM302"] == []


# -- the rules' details ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Keep the night bus service.", "keep the  night bus SERVICE"),
        ("Night-bus riders", "night bus riders"),
        ("**Uniforms** cut costs.", "Uniforms cut costs!"),
        ("The [report](https://example.org/a) is wrong.", "The report is wrong."),
        ("The council’s report", "The councils report"),
    ],
)
def test_texts_that_count_as_the_same(first: str, second: str) -> None:
    assert normalise_text(first) == normalise_text(second)


def test_near_duplicates_are_a_ratio_of_at_least_0_9() -> None:
    assert NEAR_DUPLICATE_RATIO == 0.9
    base = normalise_text("About four hundred people a week ride the night buses.")
    each_week = normalise_text("About four hundred people each week ride the night buses.")
    trains = normalise_text("About four hundred people a week ride the trains.")
    assert nearly_equal(base, base) and nearly_equal(base, each_week)
    assert not nearly_equal(base, trains)
    assert not nearly_equal(normalise_text("Buses are late."), normalise_text("Trains are late."))


def test_near_duplicates_lack_at_most_one_word_in_five() -> None:
    twenty = " ".join(f"word{n}" for n in range(20))
    four_typos = twenty.replace("word1 ", "wrd1 ").replace("word2 ", "wrd2 ")
    four_typos = four_typos.replace("word3 ", "wrd3 ").replace("word4 ", "wrd4 ")
    five_typos = four_typos.replace("word5 ", "wrd5 ")
    assert nearly_equal(twenty, four_typos)  # 4 of 20 words differ: one in five
    assert difflib.SequenceMatcher(None, twenty, five_typos, autojunk=False).ratio() >= 0.9
    assert not nearly_equal(twenty, five_typos)  # 5 differ: not, whatever the ratio
    assert nearly_equal("colour", "colour") and not nearly_equal("colour", "color")


def reference_nearly_equal(earlier: str, later: str) -> bool:
    """The AM404 definition of docs/rules.md, written out plainly."""
    if earlier == later:
        return True
    first, second = earlier.split(), later.split()
    longest = max(len(first), len(second))
    shared = sum((Counter(first) & Counter(second)).values())
    ratio = difflib.SequenceMatcher(None, earlier, later, autojunk=False).ratio()
    return shared >= 1 and longest - shared <= max(1, longest // 5) and ratio >= 0.9


def reference_first_duplicates(texts: list[str]) -> list[int | None]:
    """Every pair, in file order: what the index must find, and nothing else."""
    return [
        next((j for j in range(i) if reference_nearly_equal(texts[j], texts[i])), None)
        for i in range(len(texts))
    ]


def random_texts(rng: random.Random) -> list[str]:
    """Normalised texts from a small vocabulary, many of them edits of earlier ones:
    one word replaced, added, dropped or mistyped, two words swapped, a copy."""
    vocabulary = [rng.choice("abcdefg") * rng.randint(1, 3) + str(n) for n in range(12)]
    vocabulary += ["the", "a", "of", "buses", "bus", "night", "nights"]
    texts: list[str] = []
    for _ in range(rng.randint(2, 70)):
        if not texts or rng.random() < 0.3:
            texts.append(" ".join(rng.choices(vocabulary, k=rng.choice([0, 1, 2, 3, 8, 20]))))
            continue
        words = rng.choice(texts).split()
        where = rng.randrange(len(words) + 1)
        edit = rng.choice(["replace", "add", "drop", "typo", "swap", "copy"])
        if edit == "add" or not words:
            words.insert(where, rng.choice(vocabulary))
        elif edit == "replace":
            words[where % len(words)] = rng.choice(vocabulary)
        elif edit == "drop":
            del words[where % len(words)]
        elif edit == "typo":
            word = words[where % len(words)]
            cut = rng.randrange(len(word) + 1)
            words[where % len(words)] = word[:cut] + rng.choice("abz") + word[cut + 1 :]
        elif edit == "swap" and len(words) > 1:
            here = where % (len(words) - 1)
            words[here], words[here + 1] = words[here + 1], words[here]
        texts.append(" ".join(words))
    return texts


# (key_size, prefix_limit): every path through the index, from all texts found through
# single tokens (prefix_limit 0) to keys of four tokens, and the default.
INDEX_SETTINGS = [(1, 9), (2, 0), (2, 3), (2, 12), (3, 9), (4, 12)]


def test_the_duplicate_index_finds_exactly_the_pairs_of_the_definition() -> None:
    """Seeded random sets, with every path through the index (long lists skipped or
    not): any pair the index missed would show here as None or a later node."""
    near = 0
    for seed in range(120):
        texts = random_texts(random.Random(seed))
        expected = reference_first_duplicates(texts)
        for (key_size, prefix_limit), hot_limit in itertools.product(INDEX_SETTINGS, [0, 2, 48]):
            found = first_duplicates(
                texts, key_size=key_size, prefix_limit=prefix_limit, hot_limit=hot_limit
            )
            assert found == expected, (seed, key_size, prefix_limit, hot_limit, texts)
        near += sum(
            j is not None and texts[j] != text for j, text in zip(expected, texts, strict=True)
        )
    assert near > 300  # the sets hold many near duplicates, not only copies


def test_one_word_edits_are_judged_by_the_ratio_alone() -> None:
    """The word condition never hides a one-word edit (AM404 before the index: ratio
    only); for longer texts it allows one word in five."""
    rng = random.Random(4)
    words = ["about", "four", "hundred", "people", "a", "week", "ride", "the", "night", "buses"]
    for _ in range(300):
        base = rng.sample(words, rng.randint(2, len(words)))
        edited = list(base)
        edited[rng.randrange(len(base))] = rng.choice(["each", "per", "trains", "x"])
        first, second = " ".join(base), " ".join(edited)
        ratio = difflib.SequenceMatcher(None, first, second, autojunk=False).ratio()
        assert nearly_equal(first, second) is (first == second or ratio >= 0.9)


def test_the_default_text_limit_is_200_characters() -> None:
    assert DEFAULT_MAX_TEXT_LENGTH == 200


def test_rules_have_the_documented_severities() -> None:
    for rule in RULES:
        if "AM400" <= rule.code < "AM500":  # lint rules: advice
            assert rule.switchable and rule.severity is Severity.WARNING, rule
        if rule.code >= "AM500":  # a failed [expect] is a failed test
            assert not rule.switchable and rule.severity is Severity.ERROR, rule
    assert not BY_CODE["AM205"].switchable


def test_docs_rules_md_has_a_row_for_every_code() -> None:
    text = (REPO / "docs" / "rules.md").read_text(encoding="utf-8")
    rows = re.findall(
        r"^\| (AM\d{3}) \| ([a-z0-9-]+) \| (error|warning) \| (yes|no) \|", text, re.M
    )
    assert rows == [
        (rule.code, rule.name, rule.severity.value, "yes" if rule.switchable else "no")
        for rule in RULES
    ]
    for rule in SWITCHABLE:
        if rule.code >= "AM400":
            assert f"### {rule.code} {rule.name}" in text


def edited_texts(vocabulary: list[str]) -> st.SearchStrategy[list[str]]:
    """Lists of texts in which many are small edits of earlier ones."""
    word = st.sampled_from(vocabulary)
    text = st.lists(word, min_size=0, max_size=26)

    @st.composite
    def build(draw: st.DrawFn) -> list[str]:
        texts: list[list[str]] = []
        for _ in range(draw(st.integers(1, 40))):
            copies = draw(st.booleans()) if texts else False  # an edit of an earlier text
            if copies:
                words = list(draw(st.sampled_from(texts)))
                for _ in range(draw(st.integers(0, 3))):
                    where = draw(st.integers(0, len(words)))
                    edit = draw(st.sampled_from(["add", "drop", "replace", "swap"]))
                    if edit == "add" or not words:
                        words.insert(where, draw(word))
                    elif edit == "drop":
                        del words[where % len(words)]
                    elif edit == "replace":
                        words[where % len(words)] = draw(word)
                    elif len(words) > 1:
                        here = where % (len(words) - 1)
                        words[here], words[here + 1] = words[here + 1], words[here]
                texts.append(words)
            else:
                texts.append(draw(text))
        return [" ".join(words) for words in texts]

    return build()


def test_near_duplicates_that_share_one_word_of_two_are_found() -> None:
    """Two-word texts are near duplicates sharing a single word: the index must not
    look for them under keys of two words."""
    texts = ["night buses", "night bus", "late buses", "late busses"]
    expected = [None, 0, None, 2]
    assert reference_first_duplicates(texts) == expected
    for key_size, prefix_limit in INDEX_SETTINGS:
        assert first_duplicates(texts, key_size=key_size, prefix_limit=prefix_limit) == expected


@settings(max_examples=300, deadline=None)
@given(
    texts=st.one_of(
        edited_texts(["the", "a", "bus", "buses", "late", "night", "trains", "run", "x1", "y"]),
        edited_texts([f"w{i}" for i in range(40)] + ["of", "the", "and"]),
        st.lists(st.lists(st.sampled_from(["w1", "w2", "w3", "the"]), max_size=6).map(" ".join)),
    ),
    index=st.sampled_from(INDEX_SETTINGS),
    hot_limit=st.sampled_from([0, 1, 3, 48]),
)
def test_the_duplicate_index_agrees_with_comparing_every_pair(
    texts: list[str], index: tuple[int, int], hot_limit: int
) -> None:
    """The index (any settings, keys split from any number of texts on) against the
    rule applied to every pair, in file order: the first earlier text that is the same
    or nearly, for every text."""
    key_size, prefix_limit = index
    found = first_duplicates(
        texts, key_size=key_size, prefix_limit=prefix_limit, hot_limit=hot_limit
    )
    assert found == reference_first_duplicates(texts)


def short_texts() -> st.SearchStrategy[list[str]]:
    """Many short texts sharing words: numbered steps, and words of one to four letters
    from a tiny alphabet (every pair of texts a candidate by its words)."""
    numbered = st.lists(st.integers(0, 300), max_size=60).map(
        lambda numbers: [f"step {n}" for n in numbers]
    )
    word = st.text("ab1", min_size=1, max_size=4)
    texts = st.lists(st.lists(word, min_size=0, max_size=4).map(" ".join), max_size=60)
    return st.one_of(numbered, texts, st.tuples(numbered, texts).map(lambda t: t[0] + t[1]))


@settings(max_examples=300, deadline=None)
@given(texts=short_texts(), short_limit=st.sampled_from([0, 1, 5, 12, 30]))
def test_short_texts_are_found_as_comparing_every_pair_finds_them(
    texts: list[str], short_limit: int
) -> None:
    """The index of short texts by their characters (any length limit, 0: none) against
    the rule applied to every pair."""
    assert first_duplicates(texts, short_limit=short_limit) == reference_first_duplicates(texts)


def test_numbered_steps_are_near_duplicates_by_the_rule() -> None:
    """ "step 123" and "step 1234" are near duplicates (ratio 16/17, one word of two
    differs), and so are "step 1" and "step 13" (12/13); "step 1" and "step 2" are not
    (10/12)."""
    texts = [f"step {n}" for n in range(1300)]
    found = first_duplicates(texts)
    assert found[:200] == reference_first_duplicates(texts[:200])
    assert found[1234] == 123 and found[13] == 1 and found[2:10] == [None] * 8


def look_alikes() -> st.SearchStrategy[list[str]]:
    """Numbered look-alikes of one or several lengths ("item 0000000" to "item 0049999"
    is the slow case of issue 15), alone or after a common word or two, with words
    repeated up to three times: most pairs share all but a character or two."""
    digits = st.integers(1, 8)
    numbers = st.lists(st.integers(0, 10**8), min_size=1, max_size=50)
    prefix = st.sampled_from(["item ", "item number ", "the the ", "a a a ", "", "x"])
    return st.builds(
        lambda head, width, values, tail: [
            f"{head}{n % 10**width:0{width}d}{tail}" for n in values
        ],
        prefix,
        digits,
        numbers,
        st.sampled_from(["", " item", " the the the"]),
    )


@settings(max_examples=400, deadline=None)
@given(
    texts=st.one_of(
        look_alikes(), st.tuples(look_alikes(), look_alikes()).map(lambda t: t[0] + t[1])
    ),
    short_limit=st.sampled_from([0, 5, 12, 30]),
    hot_limit=st.sampled_from([0, 2, 48]),
)
def test_look_alikes_are_found_as_comparing_every_pair_finds_them(
    texts: list[str], short_limit: int, hot_limit: int
) -> None:
    """The characters' index (exact keys per pair of lengths) and the words' index
    (repeated words, crowded keys) against the rule applied to every pair."""
    found = first_duplicates(texts, short_limit=short_limit, hot_limit=hot_limit)
    assert found == reference_first_duplicates(texts)


def test_look_alikes_of_one_length_are_found() -> None:
    """'item 0000000' onwards: each text's first earlier near duplicate is one digit
    away (ratio 22/24), and the characters' index finds exactly those."""
    texts = [f"item {n:07d}" for n in range(0, 3000, 7)]
    found = first_duplicates(texts)
    assert found == reference_first_duplicates(texts)
    assert sum(index is not None for index in found) > 300


def test_repeated_words_are_tokens_of_their_own() -> None:
    """A word twice counts as shared only if the other text has it twice: "the the run
    the" and "the the run late" share three words of four (a near duplicate), "the cat
    the dog" and "the cat a dog" three of four, "the the the cat dog" and "the cat dog
    dog" three of five (not)."""
    texts = ["the the run the", "the the run late", "the cat the dog", "the cat a dog"]
    texts += ["the the the cat dog", "the cat dog dog"]
    expected = reference_first_duplicates(texts)
    assert expected[1] == 0
    assert first_duplicates(texts) == expected
    assert first_duplicates(texts, words=[text.split() for text in texts]) == expected


@settings(max_examples=300, deadline=None)
@given(
    plains=st.lists(
        st.text(alphabet=st.sampled_from("aB ß-–.,!?'’«»_()İΣσ\u00a0\t1"), max_size=20),
        max_size=20,
    )
)
def test_texts_normalised_together_are_normalised_one_by_one(plains: list[str]) -> None:
    """AM404 normalises all texts as one string: the same texts, and words, as one at a
    time, with any punctuation, case and white space (a line break too)."""
    texts, words = normalise_plains(plains)
    assert texts == [normalise_plain(plain) for plain in plains]
    assert words == [text.split() for text in texts]


def test_long_texts_look_only_at_counts_of_words_in_the_input() -> None:
    """A text of 100,000 words (a megabyte statement) is filed by single tokens and
    looks only under the counts of words present, not every count that could match
    (which made the probe of one such text take billions of lookups)."""
    shape = _Shape(100_000, 2, 12, {3, 100_000, 110_000, 200_000})
    assert shape.loose and shape.partners == (100_000, 110_000)
    assert first_duplicates(["word " * 20_000, "other " * 20_000]) == [None, None]


def test_every_advice_rule_has_one_check_and_every_check_a_code() -> None:
    from argmap.analysis.lint import LINT_RULES
    from argmap.codes import RULES

    advice = [rule.code for rule in RULES if rule.code.startswith("AM4")]
    checked = [entry.code for entry in LINT_RULES]
    # AM408 (a status that has no effect) is found by the evaluation, with the verdicts.
    assert sorted([*checked, "AM408"]) == sorted(advice)
    assert len(set(checked)) == len(checked)
    assert all(entry.rule.code == entry.code for entry in LINT_RULES)


@settings(max_examples=300, deadline=None)
@given(
    texts=st.one_of(
        look_alikes(),
        st.tuples(look_alikes(), look_alikes()).map(lambda t: t[0] + t[1]),
        edited_texts(["the", "a", "bus", "buses", "late", "night", "trains", "run", "x1", "y"]),
    ),
    short_keys=st.sampled_from([0, 20, 256, 5000]),
    hot_limit=st.sampled_from([0, 2, 48]),
)
def test_candidates_merged_in_order_find_what_comparing_every_pair_finds(
    texts: list[str], short_keys: int, hot_limit: int
) -> None:
    """Candidates merged as they are looked at (as for thousands of look-alikes: here
    from the first), and the characters' index taking longer texts by their count of
    keys, against the rule applied to every pair."""
    from unittest import mock

    from argmap.analysis._duplicates import _Verifier

    with mock.patch.object(_Verifier, "GATHERED", 0):
        found = first_duplicates(texts, short_keys=short_keys, hot_limit=hot_limit)
    assert found == reference_first_duplicates(texts)


@pytest.mark.parametrize("form", ["item number {:07d}", "item {:07d}", "item number {}"])
def test_look_alikes_take_work_in_proportion_to_their_count(form: str) -> None:
    """Texts that share their words and differ in a character or two ("item number
    0000000" onwards, issue 15): each text's first near duplicate is found among a few
    candidates, not among all the texts before it. The work is counted, not timed."""
    looked = {}
    for count in (500, 2000):
        work: Counter[str] = Counter()
        texts = [form.format(n) for n in range(count)]
        found = first_duplicates(texts, work=work)
        assert sum(index is not None for index in found) >= count // 2
        looked[count] = work["candidates"]
        assert work["candidates"] <= 2 * count
    assert looked[2000] <= 5 * looked[500]  # linear: 4 times the texts


def test_merged_candidates_on_the_seeded_sets_find_the_pairs_of_the_definition() -> None:
    """The seeded sets above (crowded keys split from the first texts on), every
    candidate merged in order: the index's lists must stay in ascending order."""
    from unittest import mock

    from argmap.analysis._duplicates import _Verifier

    for seed in range(60):
        texts = random_texts(random.Random(seed))
        expected = reference_first_duplicates(texts)
        for (key_size, prefix_limit), hot_limit in itertools.product(INDEX_SETTINGS, [0, 2]):
            with mock.patch.object(_Verifier, "GATHERED", 0):
                found = first_duplicates(
                    texts, key_size=key_size, prefix_limit=prefix_limit, hot_limit=hot_limit
                )
            assert found == expected, (seed, key_size, prefix_limit, hot_limit)

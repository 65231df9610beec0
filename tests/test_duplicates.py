"""The `duplicate` kind: repeats inside a file, near repeats, and paragraphs shared across files."""

from __future__ import annotations

import pickle
import random
import unicodedata
from pathlib import Path

import pytest
import regex

from healthlint.config import Config
from healthlint.diagnostic import Diagnostic
from healthlint.document.load import parse
from healthlint.engine.linter import Linter
from healthlint.kinds.duplicate import (
    _POSTING_CAP,
    _allow_test,
    _Postings,
    bottom_sketch,
    normalised_words,
    shingle_hashes,
    sketch_similarity,
)
from tests.conftest import EVAL_DOCS, SHARED_SEEDS, write

WITHIN = "duplicates/repeated-block"
ACROSS = "duplicates/repeated-across-files"

ARTICLE = [
    "March 3, 2026",
    "Why your energy dips in the afternoon",
    "Most people feel a slump after lunch. Blood sugar, sleep debt and dehydration all play a part, "
    "and each one has a simple fix you can try this week.",
    "Drink a glass of water before you reach for coffee. Mild dehydration makes many people feel tired "
    "and foggy long before they feel thirsty.",
    "What helps:",
    "• A short walk after lunch",
    "• A protein-rich snack",
    "• Going to bed at the same time each night",
    "If tiredness lasts for weeks, ask your doctor about a blood test for iron and thyroid levels.",
]
CTA = "Discover how Brightwell can transform your health and well-being."


def linter(*selectors: str, **options: object) -> Linter:
    return Linter(Config(rulesets=["duplicates"], options=dict(options)), select=list(selectors) or None)


def lint(text: str, name: str = "page.txt", rule: str = WITHIN) -> list[Diagnostic]:
    return [d for d in linter(rule).lint_text(text, name) if d.rule == rule]


def covers(diagnostic: Diagnostic, line: int) -> bool:
    return diagnostic.line <= line <= diagnostic.end_line


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    index = -1
    for _ in range(occurrence):
        index = text.index(needle, index + 1)
    return text.count("\n", 0, index) + 1


# ----------------------------------------------------------------------------- within a file

def test_a_pasted_article_is_one_finding_and_a_repeated_cta_another() -> None:
    half = "\n\n".join([*ARTICLE, CTA, CTA, CTA])
    text = half + "\n\n" + half + "\n"
    found = lint(text)
    assert len(found) == 2, [(d.line, d.end_line, d.message) for d in found]
    stutter, pasted = found
    # The three CTAs: the second and third are one finding that names the first.
    assert (stutter.line, stutter.end_line) == (line_of(text, CTA, 2), line_of(text, CTA, 3))
    assert f"3 times in a row (first at line {line_of(text, CTA)})" in stutter.message
    # The second half repeats the first, its CTAs included: one finding over the whole repeat.
    assert pasted.line == line_of(text, ARTICLE[0], 2)
    assert pasted.end_line == text.count("\n")
    assert f"repeat lines 1–{line_of(text, CTA, 3)} word for word" in pasted.message
    # The first copy is never flagged.
    for original in range(1, line_of(text, CTA, 2)):
        assert not any(covers(d, original) for d in found), f"line {original} is an original"


def test_positions_slice_out_the_repeat_exactly() -> None:
    text = "# Title\n\n" + CTA + "\n\nSome text in between that is different.\n\n" + CTA + "\n"
    for name in ("page.md", "page.txt"):
        (finding,) = lint(text, name)
        assert finding.match == CTA
        assert finding.line == 7 and finding.column == 1
        assert finding.end_column == len(CTA) + 1
        assert "repeats line 3 word for word" in finding.message


def test_html_repeat_and_the_first_copy_stays_clean() -> None:
    html = (f"<html><body><h1>Drops</h1><p>{CTA}</p>\n<p>Our drops support your immune system.</p>\n"
            f"<p>{CTA.replace('health', '<strong>health</strong>')}</p></body></html>")
    (finding,) = lint(html, "page.html")
    assert finding.line == 3
    assert "<strong>health</strong>" in finding.match  # the source slice, markup and all


def test_a_short_label_repeated_does_not_fire_but_a_short_cta_does() -> None:
    text = "Book now\n\nOur team is ready to help you feel better.\n\nBook now\n\nLearn more\n\nLearn more\n"
    assert lint(text) == []
    assert lint("\n\n".join(["Included"] * 60) + "\n") == []  # a column of table-like labels
    assert lint(f"{CTA}\n\nSomething else entirely.\n\n{CTA}\n")


def test_a_line_repeated_at_several_places_is_flagged_at_each_repeat_with_the_count() -> None:
    filler = ["First section about sleep and rest.", "Second section about food.", "Third section about moving."]
    text = "\n\n".join([CTA, filler[0], CTA, filler[1], CTA, filler[2]]) + "\n"
    found = lint(text)
    assert [d.line for d in found] == [5, 9]
    assert all("repeats line 1" in d.message and "3 times in this file" in d.message for d in found)


def test_near_repeat_with_small_edits_is_found_and_named_as_such() -> None:
    first = ("Our nurses check your blood pressure and heart rate before every infusion, and a doctor "
             "reviews your medical history at your first visit.")
    edited = ("Our nurses check your blood pressure and pulse before every infusion, and a doctor "
              "reviews your medical history at the first visit.")
    (finding,) = lint(f"{first}\n\nPrices start at $150 per session.\n\n{edited}\n")
    assert finding.line == 5
    assert "with small changes" in finding.message and "alike" in finding.message


def test_different_paragraphs_on_one_topic_are_not_near_repeats() -> None:
    text = (
        "Ketamine infusions are given in our clinic while a nurse watches your blood pressure and breathing.\n\n"
        "NAD+ infusions take two to four hours, and some people feel flushed or queasy while the drip runs.\n\n"
        "Vitamin C infusions are quick, and most people go back to work the same afternoon.\n"
    )
    assert lint(text) == []


def test_near_threshold_is_configurable(tmp_path: Path) -> None:
    first = "Magnesium glycinate is gentle on the stomach and many people take it in the evening before bed."
    edited = "Magnesium citrate is gentle on the stomach and some people take it in the evening before sleep."
    assert lint(f"{first}\n\n{edited}\n") == []  # about 0.4 alike: below the default 0.5
    ruleset = write(tmp_path / "loose.yaml", (
        "ruleset: loose\nrules:\n  - id: near\n    kind: duplicate\n    category: duplicate\n"
        "    message: Merge the copies.\n    near_threshold: 0.3\n"))
    loose = Linter(Config(rulesets=[str(ruleset)]))
    assert [d.line for d in loose.lint_text(f"{first}\n\n{edited}\n", "page.txt")] == [3]


def test_a_repeated_list_of_short_items_is_a_run() -> None:
    items = ["Free parking for every visit", "Evening and weekend appointments", "Nurses on site all day",
             "Same-week results for most tests", "Payment plans with no interest", "Care in English and Spanish",
             "Online booking at any hour", "Reminders by text or email"]
    block = "\n".join(f"- {item}" for item in items)
    text = f"# Why choose us\n\n{block}\n\n## Visit us\n\nWe are open six days a week.\n\n{block}\n"
    (finding,) = lint(text, "page.md")
    assert (finding.line, finding.end_line) == (line_of(text, items[0], 2), line_of(text, items[-1], 2))
    # A menu repeated in the footer (links of a word or two) stays quiet, however long.
    menu = "\n".join(f"- {item}" for item in ["Home", "About us", "Ketamine", "NAD+ therapy", "IV drips",
                                                "Weight loss", "Pricing", "Book now", "Contact us", "Blog",
                                                "Careers", "Privacy policy", "Patient portal", "Gift cards",
                                                "Reviews", "FAQ", "Locations", "Memberships", "Events", "Press"])
    assert lint(f"{menu}\n\n# Welcome\n\nWelcome to our clinic.\n\n{menu}\n", "page.md") == []


def test_allow_option_silences_text_meant_to_repeat() -> None:
    text = f"{CTA}\n\nSomething else entirely.\n\n{CTA}\n"
    quiet = [d for d in linter(WITHIN, duplicate_allow=["Brightwell can transform"]).lint_text(text, "p.txt")
             if d.rule == WITHIN]
    assert quiet == []
    patterns = linter(WITHIN, duplicate_allow_patterns=[r"discover how \w+ can transform"])
    assert [d for d in patterns.lint_text(text, "p.txt") if d.rule == WITHIN] == []


ALLOW_LIST_WORDS = ("not been evaluated by the food and drug administration fda intended to diagnose a substitute "
                    "for medical advice do does replace consult your doctor before 988 crisis line call 911 results "
                    "may vary individual copyright all rights reserved privacy policy terms of use cookies we earn "
                    "about the author medically reviewed general informational purposes talk with ask check own")


def test_words_with_marks_and_other_scripts_are_read_as_the_regex_engine_reads_them() -> None:
    # The standard engine splits "नमस्ते" at its vowel signs (combining marks); `regex` keeps the word whole.
    text = "Nam\u0303 — नमस्ते दुनिया, ½ dose, Ｆｕｌｌ ｗｉｄｔｈ; caf\u00e9 “quoted”"
    expected = regex.findall(r"[^\W_]+", unicodedata.normalize("NFKC", text).casefold())
    assert normalised_words(text) == expected
    assert "नमस्ते" in expected
    assert normalised_words("Book NOW — it's free!") == ["book", "now", "it", "s", "free"]


def test_the_allow_list_is_tried_only_where_its_words_stand() -> None:
    """The allow-list regex runs only at words its matches can begin with, and says what a search says."""
    rule = linter(ACROSS).rules_by_id[ACROSS]
    allowed = _allow_test(rule.allow_sources, rule.allow_terms)  # type: ignore[attr-defined]
    assert allowed is not None and allowed.words is not None
    vocabulary = ALLOW_LIST_WORDS.split()
    rng = random.Random(11)
    outcomes = set()
    for _ in range(3000):
        words = [rng.choice(vocabulary) for _ in range(rng.randrange(1, 12))]
        text = " ".join(words)
        expected = allowed.pattern.search(text) is not None
        assert allowed(text, words) == expected, text
        outcomes.add(expected)
    assert outcomes == {True, False}
    assert allowed("about the author", ["about", "the", "author"])  # anchored at the start: searched apart
    assert not allowed("read about the author", ["read", "about", "the", "author"])


def test_postings_count_shared_shingles_up_to_the_cap() -> None:
    """Blocks are compared through the shingles they share; a shingle stops recording blocks at the cap."""
    rng = random.Random(5)
    postings, plain = _Postings(), {}
    for index in range(150):
        shingles = {rng.randrange(40) for _ in range(rng.randrange(0, 40))}
        expected: dict[int, int] = {}
        for value in shingles:  # what a plain posting list per shingle says
            holders = plain.setdefault(value, [])
            for earlier in holders:
                expected[earlier] = expected.get(earlier, 0) + 1
            if len(holders) < _POSTING_CAP:
                holders.append(index)
        assert postings.add(index, shingles) == expected
    assert max(map(len, plain.values())) == _POSTING_CAP


def test_normalisation_ignores_case_punctuation_and_spacing() -> None:
    assert normalised_words("Book NOW — it’s  free!") == normalised_words("book now: it's free")
    text = ("Book your free consultation today, and feel better soon!\n\n"
            "BOOK your free consultation today and feel better soon\n")
    assert len(lint(text)) == 1


# ----------------------------------------------------------------------------- sketches

def test_sketch_similarity_is_exact_for_small_sets_and_close_for_large_ones() -> None:
    words = normalised_words(" ".join(ARTICLE))
    a = shingle_hashes(words, 3)
    b = shingle_hashes([*words[:40], "changed", *words[41:]], 3)
    exact = len(a & b) / len(a | b)
    assert sketch_similarity(bottom_sketch(a, 200), bottom_sketch(b, 200), 200) == pytest.approx(exact)
    assert abs(sketch_similarity(bottom_sketch(a, 16), bottom_sketch(b, 16), 16) - exact) < 0.25


def test_hashes_do_not_depend_on_the_process() -> None:
    # Workers run collect() in other processes: the hashes must be the same everywhere.
    assert min(shingle_hashes(["talk", "to", "your", "doctor"], 3)) == 3794742887134262681


# ----------------------------------------------------------------------------- across files

def shared_repo(root: Path, count: int = 120) -> dict[str, list[Path]]:
    """A generated content repo: shared, drifted, allowed and unique paragraphs."""
    rng = random.Random(7)
    words = ["sleep", "energy", "iron", "vitamin", "magnesium", "doctor", "clinic", "visit", "test", "blood",
             "pressure", "heart", "water", "walk", "food", "protein", "stress", "mood", "nurse", "infusion"]
    shared = ("Book your free wellness consultation today and take the first step toward feeling like "
              "yourself again.")
    drifted = ("Our licensed nurses place every IV line themselves and stay with you for the whole infusion, "
               "checking your blood pressure every fifteen minutes.")
    disclaimer = ("This page is for general information and does not replace advice from your own health "
                  "care provider.")
    groups: dict[str, list[Path]] = {"shared": [], "drifted": [], "all": []}
    for index in range(count):
        own = " ".join(rng.choice(words) for _ in range(40)).capitalize() + "."
        parts = [f"# Page {index}", own, disclaimer]
        if index % 10 == 3:
            parts.insert(2, shared)
            groups["shared"].append(root / f"pages/page-{index:03d}.md")
        if index % 25 == 5:
            parts.insert(2, drifted.replace("fifteen", rng.choice(["ten", "twenty", "thirty"])))
            groups["drifted"].append(root / f"pages/page-{index:03d}.md")
        path = write(root / f"pages/page-{index:03d}.md", "\n\n".join(parts) + "\n")
        groups["all"].append(path)
    return groups


def run_repo(paths: list[Path], **options: object) -> list[Diagnostic]:
    run = linter(ACROSS, **options).lint_paths([str(p) for p in paths])
    return [d for d in run.diagnostics if d.rule == ACROSS]


def test_a_paragraph_shared_by_many_files_is_flagged_in_all_but_the_first(tmp_path: Path) -> None:
    groups = shared_repo(tmp_path)
    found = run_repo(list(reversed(groups["all"])))  # the order given does not matter
    shared = sorted(str(p) for p in groups["shared"])
    flagged = {d.path for d in found if d.match.startswith("Book your free wellness")}
    assert flagged == set(shared[1:])
    first_name = Path(shared[0]).name
    example = next(d for d in found if d.path == shared[-1])
    assert first_name in example.message and f"{len(shared) - 2} other files" in example.message
    assert all(d.severity == "info" and d.category == "duplicate" for d in found)


def test_drifted_copies_are_found_and_the_disclaimer_never_fires(tmp_path: Path) -> None:
    groups = shared_repo(tmp_path)
    found = run_repo(groups["all"])
    drifted = sorted(str(p) for p in groups["drifted"])
    near = {d.path for d in found if d.match.startswith("Our licensed nurses")}
    assert near == set(drifted[1:])
    assert not any("general information" in d.match for d in found)
    # Nothing else in the repo repeats: the pages' own paragraphs stay quiet.
    assert len(found) == len(groups["shared"]) - 1 + len(drifted) - 1


def test_config_allow_list_and_inline_suppression_apply_to_cross_file_findings(tmp_path: Path) -> None:
    groups = shared_repo(tmp_path, count=40)
    allowed = run_repo(groups["all"], duplicate_allow=["first step toward feeling like yourself"])
    assert not [d for d in allowed if d.match.startswith("Book your free")]
    target = groups["shared"][-1]
    target.write_text("<!-- healthlint-disable duplicates -->\n" + target.read_text(encoding="utf-8"),
                      encoding="utf-8")
    assert str(target) not in {d.path for d in run_repo(groups["all"])}


def test_a_repeat_inside_one_file_is_left_to_the_file_rule(tmp_path: Path) -> None:
    paragraph = "Our licensed nurses place every IV line themselves and stay with you for the whole infusion."
    one = write(tmp_path / "a.md", f"{paragraph}\n\n{paragraph}\n")
    assert run_repo([one]) == []
    two = write(tmp_path / "b.md", f"Intro to this page.\n\n{paragraph}\n")
    (finding,) = run_repo([one, two])
    assert finding.path == str(two) and finding.line == 3 and "a.md (line 1)" in finding.message


def test_collect_keeps_hashes_and_a_short_slice_not_the_text(tmp_path: Path) -> None:
    rule = next(r for r in linter(ACROSS).rules if r.id == ACROSS)
    long_paragraph = " ".join(["Magnesium supports normal muscle and nerve function in adults"] * 20) + "."
    parsed = parse("page.md", f"# Title\n\n{long_paragraph}\n")
    data = rule.collect(parsed, linter(ACROSS).context)
    blob = pickle.dumps(data)
    assert len(data) == 1 and len(blob) < 600
    assert long_paragraph[200:260] not in blob.decode("latin-1")


def test_many_files_with_shared_paragraphs_stay_quick(tmp_path: Path) -> None:
    """Hundreds of generated files: the pass finishes at once and finds every copy."""
    groups = shared_repo(tmp_path, count=400)
    found = run_repo(groups["all"])
    assert len([d for d in found if d.match.startswith("Book your free")]) == len(groups["shared"]) - 1


# ----------------------------------------------------------------------------- the labelled documents

@pytest.mark.skipif(not SHARED_SEEDS.is_dir(), reason="shared seeds not present")
def test_seed_000_repeats_are_flagged_and_its_originals_are_not() -> None:
    seed = next(SHARED_SEEDS.glob("000_*.txt"))
    found = [d for d in linter(WITHIN).lint_paths([str(seed)]).diagnostics if d.rule == WITHIN]
    for line in (269, 271, 300, 400, 500, 541):
        assert any(covers(d, line) for d in found), line
    for line in (15, 119, 267):
        assert not any(covers(d, line) for d in found), line
    assert len(found) == 2


@pytest.mark.skipif(not EVAL_DOCS.is_dir(), reason="eval documents not present")
def test_the_clinic_cta_is_a_repeat_in_its_file_and_across_files() -> None:
    paths = sorted(str(p) for p in EVAL_DOCS.iterdir())
    found = [d for d in linter("duplicates").lint_paths(paths).diagnostics]
    clinic = [d for d in found if d.path.endswith("stem-cell-clinic.txt")]
    assert {(d.line, d.rule) for d in clinic} == {(17, ACROSS), (19, WITHIN)}
    assert not [d for d in found if d.path.endswith(("careful-article.md", "supplement-page.md",
                                                      "depression-treatment-guide.md"))]


def test_bad_settings_name_the_file_line_and_key(tmp_path: Path) -> None:
    from healthlint.engine.rulesets import load_ruleset
    from healthlint.errors import RulesetError

    path = write(tmp_path / "bad.yaml", (
        "ruleset: bad\nrules:\n  - id: near\n    kind: duplicate\n    category: duplicate\n"
        "    message: Merge the copies.\n    scope: corpus\n    near_threshold: 1.5\n"))
    with pytest.raises(RulesetError) as error:
        load_ruleset(path)
    assert "near_threshold" in str(error.value) and ":8" in str(error.value)

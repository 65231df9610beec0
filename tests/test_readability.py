"""The readability kind: formulas on prose only, audiences, minimums, and no NLTK or network."""

from __future__ import annotations

import json
import math
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from healthlint.config import Config
from healthlint.document.load import parse
from healthlint.engine.linter import Linter
from healthlint.errors import ConfigError
from healthlint.kinds.readability import prose_of
from healthlint.language.textstats import (
    count_sentence,
    count_syllables,
    flesch_kincaid_grade,
    flesch_reading_ease,
    smog_index,
)
from tests.conftest import EVAL_DOCS, SEEDS, SHARED_SEEDS, write

GRADE = "readability/grade-level"

# 19 words, 26 syllables, 3 polysyllables (hos-pi-tal, fam-i-ly, med-i-cine); counted by hand.
EASY_SENTENCE = "We saw the hospital team and the family doctor gave us a new medicine for the pain we had."
# 10 words of one syllable each.
ONE_SYLLABLE_SENTENCE = "Take one pill with your food at noon each day."


def readability_config(**options: object) -> Config:
    """Only this ruleset, so other packs (and their work in progress) do not enter these tests."""
    return Config(rulesets=["readability"], options=dict(options))


def lint(text: str, select: str | list[str], path: str = "page.md", **options: object) -> list:
    selected = [select] if isinstance(select, str) else select
    return Linter(readability_config(**options), select=selected).lint_text(text, path)


def paragraphs(sentence: str, count: int, per_paragraph: int = 3) -> str:
    chunks = [" ".join([sentence] * min(per_paragraph, count - i)) for i in range(0, count, per_paragraph)]
    return "\n\n".join(chunks) + "\n"


# ---------------------------------------------------------------- syllables and formulas

@pytest.mark.parametrize(("word", "syllables"), [
    ("take", 1), ("people", 2), ("simple", 2), ("doctor", 2), ("hospital", 3), ("family", 3),
    ("medicine", 3), ("area", 3), ("idea", 3), ("utilize", 3), ("hypertension", 4),
    ("administer", 4), ("antidepressants", 5), ("bioavailability", 7), ("don't", 1),
    ("treatment-resistant", 5), ("FDA", 3), ("SSRI", 4), ("COVID", 2), ("2021", 1),
])
def test_syllable_counts(word: str, syllables: int) -> None:
    assert count_syllables(word) == syllables


def test_formulas_match_hand_computation() -> None:
    counts = count_sentence(EASY_SENTENCE)
    assert (counts.words, counts.syllables, counts.polysyllables) == (19, 26, 3)
    # FK = 0.39 * 19 + 11.8 * 26/19 - 15.59 = 7.967; FRE = 206.835 - 1.015*19 - 84.6*26/19 = 71.78
    assert flesch_kincaid_grade(counts) == pytest.approx(7.967, abs=0.01)
    assert flesch_reading_ease(counts) == pytest.approx(71.78, abs=0.01)
    # SMOG = 1.043 * sqrt(3 * 30 / 1) + 3.1291 = 13.024
    assert smog_index(counts) == pytest.approx(13.024, abs=0.01)


def test_document_grade_of_known_passages() -> None:
    # Ten sentences of ten one-syllable words: FK = 0.39*10 + 11.8*1 - 15.59 = 0.11.
    plain = parse("plain.md", paragraphs(ONE_SYLLABLE_SENTENCE, 10))
    counts = prose_of(plain).counts
    assert (counts.sentences, counts.words, counts.syllables) == (10, 100, 100)
    assert flesch_kincaid_grade(counts) == pytest.approx(0.11, abs=0.05)
    assert flesch_reading_ease(counts) == pytest.approx(112.085, abs=0.05)
    # Mixing the two sentences 1:1: 29 words, 36 syllables per pair.
    mixed = parse("mixed.md", paragraphs(f"{EASY_SENTENCE} {ONE_SYLLABLE_SENTENCE}", 6, per_paragraph=1))
    counts = prose_of(mixed).counts
    assert (counts.sentences, counts.words, counts.syllables, counts.polysyllables) == (12, 174, 216, 18)
    expected = 0.39 * 174 / 12 + 11.8 * 216 / 174 - 15.59
    assert flesch_kincaid_grade(counts) == pytest.approx(expected, abs=1e-9)
    assert smog_index(counts) == pytest.approx(1.043 * math.sqrt(18 * 30 / 12) + 3.1291, abs=1e-9)


# ---------------------------------------------------------------- what counts as prose

def test_headings_short_list_items_code_and_references_are_not_sentences() -> None:
    body = paragraphs(ONE_SYLLABLE_SENTENCE, 10)
    noisy = (
        "# Comprehensive Pharmacological Neurotransmission Optimization\n\n"
        + body
        + "\n## Indications\n\n- Hypercholesterolemia\n- Gastrointestinal intolerance\n\n"
        "```\nintravenous_bioavailability = pharmacokinetic_characterization()\n```\n\n"
        "Dr. Jane Okafor, Director of Integrative Psychopharmacology\n\n"
        "## References\n\n1. Abernathy QX, et al. Pharmacokinetic characterization of intravenous formulations. 2021.\n"
    )
    assert prose_of(parse("noisy.md", noisy)).counts == prose_of(parse("body.md", body)).counts


def test_sentence_like_list_items_count() -> None:
    doc = parse("list.md", "- Take one pill with your food at noon each day.\n- Rest\n")
    assert prose_of(doc).counts.sentences == 1


def test_a_shouted_sentence_counts_as_its_words_in_lower_case() -> None:
    # "FDA" alone is spelled out (3 syllables); in a sentence in capitals it is read as a word.
    shouted, plain = "THE FDA WARNS ABOUT IV DRIPS.", "the fda warns about iv drips."
    assert count_sentence(shouted) == count_sentence(plain)
    assert count_sentence("The FDA warns about IV drips.").syllables > count_sentence(plain).syllables
    mixed = parse("m.md", f"{shouted} The FDA warns about IV drips. Caf\u00e9 owners, TAKE NOTE.\n")
    counts = prose_of(mixed).counts
    parts = [count_sentence(text) for text in (plain, "The FDA warns about IV drips.", "café owners, take note.")]
    assert (counts.sentences, counts.words, counts.syllables) == (
        3, sum(p.words for p in parts), sum(p.syllables for p in parts))


def test_citations_are_not_counted_as_words() -> None:
    sentence = "Take one pill with your food at noon each day (Okafor et al., 2021) [3]."
    assert count_sentence(sentence).words == 15  # what a raw count would add
    assert prose_of(parse("c.md", sentence + "\n")).counts.words == 10


# ---------------------------------------------------------------- the document-level rule

def test_hard_page_fires_with_metrics_and_message(tmp_path: Path, cli, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path / ".healthlint.yaml", "rulesets: [readability]\n")
    monkeypatch.chdir(tmp_path)
    page = write(tmp_path / "hard.md", "# Beyond the pill\n\n" + paragraphs(
        "Comprehensive metabolic evaluation frequently identifies modifiable physiological contributors.", 14))
    result = cli("check", "--format", "json", "--select", GRADE, str(page))
    assert result.code == 1
    [finding] = json.loads(result.out)
    assert finding["category"] == "readability"
    assert finding["match"] == "Beyond the pill"  # the title carries the page-level finding
    metrics = finding["metrics"]
    assert metrics["flesch_kincaid_grade"] > 20
    assert metrics["target_grade"] == 8
    assert "smog_index" not in metrics  # 14 sentences: SMOG is not computed
    assert {"flesch_reading_ease", "sentences", "words", "syllables", "polysyllables"} <= set(metrics)
    assert f"Flesch-Kincaid {metrics['flesch_kincaid_grade']}" in finding["message"]
    assert "fewer than 30 sentences" in finding["message"]
    assert "for patients" in finding["message"]


def test_plain_page_and_short_page_stay_quiet() -> None:
    assert not lint(paragraphs(ONE_SYLLABLE_SENTENCE, 12), GRADE)
    short = "Intravenous administration circumvents gastrointestinal absorption limitations. " * 3
    assert not lint(short, GRADE)  # three sentences: too few for a grade


def test_smog_is_judged_only_from_30_sentences() -> None:
    # FK 7.97 is within the patients' target (8 + 0.5); SMOG 13.0 is above it (8 + 2.5).
    assert not lint(paragraphs(EASY_SENTENCE, 29), GRADE)
    [finding] = lint(paragraphs(EASY_SENTENCE, 30), GRADE)
    assert finding.metrics is not None
    assert finding.metrics["smog_index"] == pytest.approx(13.0, abs=0.05)
    assert finding.metrics["flesch_kincaid_grade"] == pytest.approx(8.0, abs=0.05)
    assert "SMOG 13.0" in finding.message


def test_audiences_from_config_and_front_matter() -> None:
    # 39 words, 76 syllables in 3 sentences: FK = 0.39*13 + 11.8*76/39 - 15.59 = 12.47, above
    # patients (8) and general (10), within professionals (14).
    hard = "Your physician may recommend additional laboratory testing before treatment begins."
    text = paragraphs(f"{hard} {hard} {EASY_SENTENCE}", 3, per_paragraph=1)
    assert flesch_kincaid_grade(prose_of(parse("t.md", text)).counts) == pytest.approx(12.47, abs=0.01)
    assert lint(text, GRADE)
    assert lint(text, GRADE, audience="general")
    assert not lint(text, GRADE, audience="professionals")
    assert not lint("---\naudience: professionals\n---\n\n" + text, GRADE)
    with pytest.raises(ConfigError, match="clinicians"):
        lint(text, GRADE, audience="clinicians")


def test_unknown_audience_in_config_is_exit_2(tmp_path: Path, cli, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path / ".healthlint.yaml", "rulesets: [readability]\noptions: {audience: toddlers}\n")
    page = write(tmp_path / "page.md", paragraphs(ONE_SYLLABLE_SENTENCE, 10))
    monkeypatch.chdir(tmp_path)
    result = cli("check", "--select", "readability", str(page))
    assert result.code == 2
    assert "toddlers" in result.err


# ---------------------------------------------------------------- paragraph and sentence rules

def test_paragraph_grade_points_at_the_hard_paragraph() -> None:
    hard = ("Ketamine antagonizes NMDA receptors, attenuating GABAergic interneuron activity and amplifying "
            "glutamatergic transmission. Neurotrophic signaling cascades subsequently facilitate synaptogenesis "
            "throughout vulnerable prefrontal and hippocampal circuits. Consequently, antidepressant responses "
            "materialize considerably faster.")
    text = f"{' '.join([ONE_SYLLABLE_SENTENCE] * 4)}\n\n{hard}\n"
    [finding] = lint(text, "readability/paragraph-grade")
    assert finding.match == hard
    assert finding.metrics is not None and finding.metrics["flesch_kincaid_grade"] > 12
    assert "antidepressant" in finding.message or "glutamatergic" in finding.message
    # On a page that reads well overall, one dense paragraph is not singled out.
    diluted = paragraphs(ONE_SYLLABLE_SENTENCE, 40) + "\n" + hard + "\n"
    assert flesch_kincaid_grade(prose_of(parse("d.md", diluted)).counts) < 8
    assert not lint(diluted, "readability/paragraph-grade")


def test_long_sentence_limit_depends_on_audience() -> None:
    long_sentence = " ".join(["we"] * 18 + ["and"] + ["they"] * 17) + "."  # 36 words
    [finding] = lint(long_sentence, "readability/long-sentence")
    assert finding.metrics == {"words": 36, "limit": 35}
    assert not lint(long_sentence, "readability/long-sentence", audience="professionals")
    items = "\n".join(f"- Step {n}: rest" for n in range(40))
    assert not lint(items, "readability/long-sentence")


def test_long_paragraph() -> None:
    text = " ".join([ONE_SYLLABLE_SENTENCE] * 16)  # 160 words
    [finding] = lint(text, "readability/long-paragraph")
    assert finding.metrics == {"words": 160, "sentences": 16, "limit": 150}
    assert not lint(text, "readability/long-paragraph", audience="general")


# ---------------------------------------------------------------- the labelled documents

def test_careful_pages_are_quiet_and_seeds_fire() -> None:
    linter = Linter(readability_config())
    for name in ("careful-article.md", "depression-treatment-guide.md"):
        assert not linter.lint_file(str(EVAL_DOCS / name)).diagnostics, name
    for seed in sorted(SHARED_SEEDS.glob("*.txt")):
        rules = {d.rule for d in linter.lint_file(str(seed)).diagnostics}
        assert GRADE in rules, seed.name


# ---------------------------------------------------------------- offline, no NLTK

def test_no_network_during_a_lint(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("healthlint tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    seed = SEEDS / "metabolic-roots-of-anxiety.txt"
    assert Linter(readability_config()).lint_file(str(seed)).diagnostics


def test_a_full_run_imports_neither_nltk_nor_textstat() -> None:
    seed = SEEDS / "metabolic-roots-of-anxiety.txt"
    code = (
        "import sys\n"
        "from healthlint.config import Config\n"
        "from healthlint.engine.linter import Linter\n"
        f"assert Linter(Config()).lint_file({str(seed)!r}).diagnostics\n"
        "print(sorted(m for m in ('nltk', 'textstat', 'pyphen') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parents[1])
    assert out.stdout.strip() == "[]"


def test_formulas_agree_with_textstat(monkeypatch: pytest.MonkeyPatch) -> None:
    """textstat, fed the same sentences and our syllable counts, computes the same figures."""
    textstat = pytest.importorskip("textstat")
    from textstat.backend.counts import _count_syllables

    class OurCounts(dict):  # a pronouncing dictionary whose entries carry our syllable counts
        def __missing__(self, word: str) -> list[list[str]]:
            return [["A1"] * count_syllables(word)]

    monkeypatch.setattr(_count_syllables, "get_cmudict", lambda lang: OurCounts())
    sentences = [EASY_SENTENCE, ONE_SYLLABLE_SENTENCE,
                 "Ask your pharmacist about interactions with other medicines you take.",
                 "Untreated high blood pressure can damage your kidneys over many years."]
    text = " ".join(sentences * 3)
    counts = prose_of(parse("same.md", text)).counts
    assert textstat.flesch_kincaid_grade(text) == pytest.approx(flesch_kincaid_grade(counts), abs=0.01)
    assert textstat.flesch_reading_ease(text) == pytest.approx(flesch_reading_ease(counts), abs=0.01)
    assert textstat.smog_index(text) == pytest.approx(smog_index(counts), abs=0.01)

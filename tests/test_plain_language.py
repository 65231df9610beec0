"""The substitution kind and the plain-language pack: jargon with a plain alternative."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from healthlint.config import Config
from healthlint.engine.linter import Linter
from healthlint.engine.rulesets import builtin_dir, load_ruleset
from healthlint.errors import RulesetError
from tests.conftest import write

PACK = "plain-language"


def lint(text: str, path: str = "page.md", select: str = PACK) -> list:
    config = Config(rulesets=[PACK])
    return Linter(config, select=[select]).lint_text(text, path)


def found(text: str, path: str = "page.md") -> list[tuple[str, str | None]]:
    return [(d.match, d.suggestion) for d in lint(text, path)]


def test_jargon_gets_a_plain_suggestion() -> None:
    text = "Untreated hypertension raises the risk of a myocardial infarction.\n"
    diagnostics = lint(text)
    assert [(d.match, d.suggestion) for d in diagnostics] == [
        ("hypertension", "high blood pressure"),
        ("myocardial infarction", "heart attack"),
    ]
    for d in diagnostics:
        assert d.category == "plain-language"
        assert d.severity == "info"
        assert d.rule == "plain-language/medical-jargon"
        assert f'"{d.suggestion}"' in d.message


def test_suggestion_follows_the_case_of_the_match() -> None:
    assert found("Utilize the dropper. Prior to bed, take one.\n") == [("Utilize", "Use"), ("Prior to", "Before")]
    assert found("ADMINISTER SLOWLY.\n") == [("ADMINISTER", "GIVE")]


def test_phrases_match_across_line_breaks_and_hyphens_with_exact_positions() -> None:
    source = "Signs of a myocardial\ninfarction vary. Ask prior-to any change.\n"
    diagnostics = lint(source)
    assert [d.match for d in diagnostics] == ["myocardial\ninfarction", "prior-to"]
    first = diagnostics[0]
    assert (first.line, first.column, first.end_line, first.end_column) == (1, 12, 2, 11)


def test_whole_words_only() -> None:
    assert found("Renalase is an enzyme.\n") == []
    assert found("Its etiologic agent is known, and dosages vary.\n") == []
    assert found("Its etiology is known, and the dosage varies.\n") == [("etiology", "cause"), ("dosage", "dose")]


def test_jargon_in_code_does_not_fire() -> None:
    markdown = (
        "Set the flag below.\n\n"
        "```yaml\nfield: hypertension\nroute: intravenous\n```\n\n"
        "Run `grep bioavailability notes.txt` to search.\n"
    )
    assert found(markdown) == []
    html = ("<p>Use the form.</p><pre><code>hypertension = True</code></pre>"
            "<script>var route = 'intravenous';</script>\n")
    assert found(html, "page.html") == []


def test_quiet_when_the_plain_words_are_already_there() -> None:
    assert found("Hypertension (high blood pressure) often has no symptoms.\n") == []
    assert found("High blood pressure, or hypertension, often has no symptoms.\n") == []
    # Explained in another sentence only: the term is still flagged where it stands alone.
    assert found("High blood pressure is common. Hypertension can be treated.\n") == [
        ("Hypertension", "High blood pressure")]


def test_explained_needs_the_whole_plain_words() -> None:
    # "use" inside "because" does not explain "utilize"; formal words are flagged regardless.
    assert found("Utilize it daily because it helps.\n") == [("Utilize", "Use")]
    assert found("Ask about edema, because swelling can be a warning.\n") == []
    assert found("Ask about edema, because swellings vary.\n") == [("edema", "swelling")]


def test_latin_abbreviations() -> None:
    assert found("Eat foods rich in iron, e.g. beans.\n") == [("e.g.", "for example")]


def test_json_output_carries_the_suggestion(tmp_path: Path, cli, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path / ".healthlint.yaml", "rulesets: [plain-language]\n")
    page = write(tmp_path / "page.md", "Take it orally prior to meals.\n")
    monkeypatch.chdir(tmp_path)
    result = cli("check", "--format", "json", str(page))
    assert result.code == 0  # info findings do not fail the run at the default fail level
    data = json.loads(result.out)
    assert [(d["match"], d["suggestion"], d["category"]) for d in data] == [
        ("orally", "by mouth", "plain-language"), ("prior to", "before", "plain-language")]


def test_pack_is_large_and_well_formed() -> None:
    ruleset = load_ruleset(builtin_dir() / "plain-language.yaml")
    terms = {term: replacement for rule in ruleset.rules for term, replacement in rule.replacements.items()}
    assert len(terms) >= 60
    for term, replacement in terms.items():
        assert replacement and replacement.lower() != term, term
    expected = {"hypertension": "high blood pressure", "administer": "give", "utilize": "use",
                "prior to": "before", "myocardial infarction": "heart attack",
                "bioavailability": "how much reaches your blood"}
    assert expected.items() <= terms.items()
    assert all(rule.category == "plain-language" and rule.severity == "info" for rule in ruleset.rules)


def test_substitution_needs_a_swap_mapping(tmp_path: Path) -> None:
    bad = write(tmp_path / "bad.yaml", (
        "ruleset: house\nrules:\n"
        "  - id: words\n    kind: substitution\n    category: plain-language\n    message: m\n"
    ))
    with pytest.raises(RulesetError, match=r"bad\.yaml:3.*swap"):
        load_ruleset(bad)
    duplicate = write(tmp_path / "dup.yaml", (
        "ruleset: house\nrules:\n"
        "  - id: words\n    kind: substitution\n    category: plain-language\n    message: m\n"
        "    swap:\n      prior to: before\n      prior-to: ahead of\n"
    ))
    with pytest.raises(RulesetError, match=r"dup\.yaml:7.*listed twice"):
        load_ruleset(duplicate)


def test_a_house_swap_list(tmp_path: Path) -> None:
    house = write(tmp_path / "house.yaml", (
        "ruleset: house\nrules:\n"
        "  - id: brand-words\n    kind: substitution\n    category: plain-language\n    severity: warning\n"
        '    message: Say "{replacement}", not "{match}".\n'
        "    case: true\n"
        "    swap:\n      IV drip: IV infusion\n"
        "    examples: {fail: [Book an IV drip.], pass: [Book an iv drip.]}\n"
    ))
    linter = Linter(Config(rulesets=[str(house)]))
    [diagnostic] = linter.lint_text("Book an IV drip today. An iv drip is fine.\n", "page.md")
    assert (diagnostic.match, diagnostic.message) == ("IV drip", 'Say "IV infusion", not "IV drip".')

"""docs/rules.md is generated from the rulesets and must be regenerated when they change."""

from __future__ import annotations

from healthlint import docs_gen
from healthlint.config import Config
from healthlint.engine.linter import load_rules


def test_rules_doc_is_up_to_date() -> None:
    current = docs_gen.DOC.read_text(encoding="utf-8")
    assert current == docs_gen.render(), "run `python -m healthlint.docs_gen` and commit docs/rules.md"


def test_rules_doc_lists_every_rule_with_its_source() -> None:
    text = docs_gen.render()
    for rule in load_rules(Config()):
        assert f"### {rule.id}" in text
        assert rule.source.split()[0] in text

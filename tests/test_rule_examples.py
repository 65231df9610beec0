"""Every built-in rule ships examples that it must flag and must not flag (as proselint does)."""

from __future__ import annotations

import pytest

from healthlint.config import Config
from healthlint.engine.linter import Linter, load_rules

RULES = load_rules(Config())


def test_every_rule_has_examples_and_a_source() -> None:
    missing = [r.id for r in RULES if not (r.examples_fail and r.examples_pass)]
    assert not missing, f"rules without both fail and pass examples: {missing}"
    unsourced = [r.id for r in RULES if not r.source]
    assert not unsourced, f"rules that name no source: {unsourced}"


def lint_example(linter: Linter, rule, example: str) -> list:
    if not rule.corpus:
        return [d for d in linter.lint_text(example, "example.md") if d.rule == rule.id]
    # A cross-file (corpus) rule's example is text that two files of one run share.
    data = example.encode("utf-8")
    run = linter.finish([linter.lint_bytes(name, data) for name in ("example.md", "copy/example.md")])
    return [d for d in run.diagnostics if d.rule == rule.id]


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_examples(rule) -> None:
    linter = Linter(Config(), select=[rule.id])
    for example in rule.examples_fail:
        found = lint_example(linter, rule, example)
        assert found, f"{rule.id} should flag: {example!r}"
        for d in found:
            assert d.match, "a finding must quote what it flags"
    for example in rule.examples_pass:
        found = [d.match for d in lint_example(linter, rule, example)]
        assert not found, f"{rule.id} should not flag {found} in: {example!r}"

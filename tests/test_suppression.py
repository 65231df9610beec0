"""Inline suppression comments in Markdown and HTML."""

from __future__ import annotations

from healthlint.config import Config
from healthlint.engine.linter import Linter

LINTER = Linter(Config(), select=["claims"])


def rules_on_lines(text: str, path: str = "page.md") -> list[tuple[int, str]]:
    return [(d.line, d.rule) for d in LINTER.lint_text(text, path)]


def test_disable_and_enable_a_region() -> None:
    text = """\
Guaranteed relief for everyone.

<!-- healthlint-disable claims/guaranteed-outcome -->
Guaranteed relief, quoted from the 2019 brochure we are retiring.
<!-- healthlint-enable -->

Guaranteed relief again.
"""
    assert rules_on_lines(text) == [(1, "claims/guaranteed-outcome"), (7, "claims/guaranteed-outcome")]


def test_disable_everything_until_end() -> None:
    text = "Guaranteed relief.\n\n<!-- healthlint-disable -->\n\nCures insomnia, guaranteed.\n"
    assert rules_on_lines(text) == [(1, "claims/guaranteed-outcome")]


def test_disable_next_line_only_that_rule() -> None:
    text = """\
<!-- healthlint-disable-next-line claims/disease-claim -->
CalmRoot cures insomnia with guaranteed results.

CalmRoot cures insomnia.
"""
    assert rules_on_lines(text) == [
        (2, "claims/guaranteed-outcome"), (4, "claims/disease-claim")]


def test_selectors_by_category_in_html() -> None:
    text = """<p>Cures insomnia. <!-- healthlint-disable-line disease-claim --></p>
<p>Cures insomnia.</p>"""
    assert rules_on_lines(text, "page.html") == [(2, "claims/disease-claim")]


def test_enable_one_rule_keeps_others_disabled() -> None:
    text = """\
<!-- healthlint-disable claims/disease-claim, claims/guaranteed-outcome -->
Guaranteed to cure insomnia.
<!-- healthlint-enable claims/disease-claim -->

It cures insomnia, guaranteed.
"""
    assert rules_on_lines(text) == [(5, "claims/disease-claim")]

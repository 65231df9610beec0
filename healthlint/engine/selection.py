"""Which rules run: `--select/--ignore` and config selectors, matched like ruff's.

A selector matches a rule by its full id ("claims/guaranteed-outcome"), an id
prefix ("claims/guar"), its ruleset name ("claims"), its category
("absolute-claim"), or "ALL".
"""

from __future__ import annotations

from collections.abc import Iterable

from healthlint.kinds.base import Rule


def matches(selector: str, rule: Rule) -> bool:
    selector = selector.strip()
    return (
        selector == "ALL"
        or selector == rule.id
        or selector == rule.ruleset
        or selector == rule.category
        or (bool(selector) and rule.id.startswith(selector))
    )


def matches_any(selectors: Iterable[str], rule: Rule) -> bool:
    return any(matches(s, rule) for s in selectors)


def select_rules(rules: list[Rule], select: list[str], ignore: list[str], extend_select: list[str] = ()) -> list[Rule]:  # type: ignore[assignment]
    chosen = []
    for rule in rules:
        if select:
            wanted = matches_any(select, rule) or matches_any(extend_select, rule)
        else:
            wanted = rule.enabled or matches_any(extend_select, rule)
        if wanted and not matches_any(ignore, rule):
            chosen.append(rule)
    return chosen


def unknown_selectors(selectors: Iterable[str], rules: list[Rule]) -> list[str]:
    """Selectors that match no loaded rule: almost always a typo worth reporting."""
    return [s for s in selectors if not any(matches(s, r) for r in rules)]

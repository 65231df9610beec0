"""Rule kinds: one module per kind, looked up by the `kind` key of a YAML rule.

Modules are imported only when a loaded ruleset uses the kind, so a run never
pays for a kind (and its libraries) that no selected rule needs.
"""

from __future__ import annotations

from importlib import import_module

from healthlint.kinds.base import Rule

KINDS: dict[str, str] = {
    "pattern": "healthlint.kinds.pattern:PatternRule",
    "citation": "healthlint.kinds.citation:CitationRule",
    "duplicate": "healthlint.kinds.duplicate:DuplicateRule",
    "readability": "healthlint.kinds.readability:ReadabilityRule",
    "structure": "healthlint.kinds.structure:StructureRule",
    "substitution": "healthlint.kinds.substitution:SubstitutionRule",
    "disclaimer": "healthlint.kinds.disclaimer:DisclaimerRule",
    "freshness": "healthlint.kinds.freshness:FreshnessRule",
    "testimonial": "healthlint.kinds.testimonial:TestimonialRule",
}


def kind_class(name: str) -> type[Rule] | None:
    target = KINDS.get(name)
    if target is None:
        return None
    module, _, attr = target.partition(":")
    cls: type[Rule] = getattr(import_module(module), attr)
    return cls

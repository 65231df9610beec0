"""Claims on realistic copy: what fires, and what hedges, negation, quotation and markup defuse."""

from __future__ import annotations

import pytest

from healthlint.config import Config
from healthlint.engine.linter import Linter

LINTER = Linter(Config(), select=["claims"])


def found(text: str, path: str = "page.md") -> list[tuple[str, str]]:
    return [(d.rule.removeprefix("claims/"), d.match) for d in LINTER.lint_text(text, path)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Our drip delivers 100% bioavailability to every cell.", ("total-efficacy", "100% bioavailability")),
        ("Say goodbye to joint pain forever with FlexiJoint.", ("permanent-results", "forever")),
        ("Our peptides rebuild damaged tendons in weeks.", ("regeneration", "rebuild")),
        ("Unlike drugs, our herbal formula has zero side effects.", ("no-side-effects", "zero side effects")),
        ("Hormone pellets are completely safe for women of any age.", ("absolute-safety", "completely safe")),
        ("It is the only treatment that targets the root cause.", ("superiority", "the only treatment")),
        ("Results guaranteed or your next session is free.", ("guaranteed-outcome", "guaranteed")),
        ("A scientifically proven blend for deep, restful sleep.", ("establishment-claim", "scientifically proven")),
        ("Made in an FDA-registered facility.", ("fda-status", "FDA-registered")),
        ("Our chiropractic adjustments prevent ear infections in children.",
         ("disease-claim", "prevent ear infections")),
        ("CBD oil is a natural remedy for anxiety.", ("disease-claim", "remedy for anxiety")),
        ("Ozone therapy eliminates Lyme disease.", ("disease-claim", "eliminates Lyme disease")),
        ("Try our Flu-Away drops.", ("disease-product-name", "Flu-Away")),
    ],
)
def test_claims_fire(text: str, expected: tuple[str, str]) -> None:
    assert expected in found(text)


@pytest.mark.parametrize(
    "text",
    [
        # Hedged efficacy is not an absolute claim.
        "Acupuncture may help reduce chronic low back pain for some people.",
        "Some early studies suggest it might repair damaged nerve cells.",
        # Negation (NegEx-style) before the claim.
        "There is no cure for Alzheimer's disease.",
        "Ketamine is not a cure for depression, and relief is not guaranteed.",
        "This product is not intended to diagnose, treat, cure, or prevent any disease.",
        "Vitamin C does not prevent colds in most adults.",
        "We cannot promise results, and no treatment works for everyone.",
        "This supplement has not been clinically proven to improve memory.",
        # Neutral descriptions of approved treatments.
        "Semaglutide is approved by the FDA to treat type 2 diabetes.",
        "Antibiotics are medicines used to treat bacterial infections.",
        # Questions are not claims.
        "Can ketamine cure depression?",
        # Honest safety information and ordinary words.
        "Some people have mild side effects such as nausea or headache.",
        "The best-case scenario is a full recovery within a month.",
        "Ask your pharmacist about the best option for you.",
        "Every order ships with a money-back guarantee.",
    ],
)
def test_defused_or_benign(text: str) -> None:
    assert found(text) == []


def test_hedge_does_not_rescue_a_disease_claim() -> None:
    assert ("disease-claim", "prevent the flu") in found("ShieldUp may help prevent the flu this winter.")


def test_negation_scope_ends_at_clause_break() -> None:
    text = "If no other drug has worked, our infusions treat depression in days."
    assert ("disease-claim", "treat depression") in found(text)


def test_not_only_is_not_negation() -> None:
    assert ("disease-claim", "cures insomnia") in found("Not only does it taste great, it cures insomnia.")


def test_markup_is_transparent_and_code_is_not_prose() -> None:
    text = "Our drops offer **guaranteed** relief.\n\n```\nguaranteed relief\n```\n\n`cures insomnia`\n"
    assert found(text) == [("guaranteed-outcome", "guaranteed")]


def test_html_entities_and_tags_keep_positions() -> None:
    diagnostics = LINTER.lint_text("<p>Cures&nbsp;<em>insomnia</em> &amp; more.</p>", "page.html")
    assert [(d.line, d.column, d.match) for d in diagnostics] == [(1, 4, "Cures&nbsp;<em>insomnia")]


def test_urls_are_not_prose() -> None:
    text = "See https://example.org/cures-insomnia-guaranteed for our menu.\n"
    assert found(text, "page.txt") == []

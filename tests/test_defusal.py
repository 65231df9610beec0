"""Defusal: what the pattern and citation kinds share to take a claim out of its context."""

from __future__ import annotations

import regex

from healthlint.language.defusers import Defusal


def defuses(defusal: Defusal, text: str, claim: str, **kwargs: object) -> bool:
    start = text.index(claim)
    return defusal.defuses(text, start, start + len(claim), 0, len(text), **kwargs)  # type: ignore[arg-type]


def test_a_plain_claim_stands() -> None:
    every = Defusal(defused_by=("negation", "hedge", "quotation", "attribution", "question"))
    assert not defuses(every, "Our ashwagandha gummies cure anxiety in days.", "cure anxiety")


def test_negation_hedge_question_and_attribution() -> None:
    assert defuses(Defusal(defused_by=("negation",)), "No supplement can cure anxiety.", "cure anxiety")
    assert defuses(Defusal(defused_by=("hedge",)), "Magnesium may ease night cramps.", "ease night cramps")
    assert defuses(Defusal(defused_by=("question",)), "Can CBD cure anxiety?", "cure anxiety")
    assert defuses(Defusal(defused_by=("attribution",)), "It cures everything, she said.", "cures everything")
    # Only the defusers a rule names count.
    assert not defuses(Defusal(defused_by=("hedge",)), "No supplement can cure anxiety.", "cure anxiety")


def test_quotation_inside_marks_or_a_blockquote() -> None:
    quotation = Defusal(defused_by=("quotation",))
    assert defuses(quotation, 'Ads promise "a cure for anxiety" in a bottle.', "a cure for anxiety")
    assert defuses(quotation, "A cure for anxiety in a bottle.", "A cure for anxiety", in_quote=True)
    assert not defuses(quotation, "A cure for anxiety in a bottle.", "A cure for anxiety")


def test_unless_looks_in_its_scope_and_unless_before_in_the_clause() -> None:
    unless = Defusal(unless=(regex.compile(r"\bdefined\s+as\b"),))
    text = "Obesity is defined as a BMI of 30 or higher. Our plan cures obesity."
    start = text.index("cures obesity")
    second = (text.index("Our"), len(text))
    assert unless.defuses(text, start, start + 13, 0, len(text))  # the whole text is the sentence here
    assert not unless.defuses(text, start, start + 13, *second)  # the definition is another sentence
    assert unless.defuses(text, start, start + 13, *second, scope=(0, len(text)))  # block scope reaches it
    before = Defusal(unless_before=regex.compile(r"(?:a\s+form\s+of)\s*$"))
    assert defuses(before, "Esketamine, a form of ketamine, is a nasal spray.", "ketamine, is")
    assert not defuses(before, "Ketamine treats depression fast.", "Ketamine")

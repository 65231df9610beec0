"""Defusal: what the pattern and citation kinds share to take a claim out of its context."""

from __future__ import annotations

import regex

from healthlint.language.defusers import Defusal, clause_bounds, quoted


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


def test_clauses_are_found_alike_in_ascii_and_other_text() -> None:
    # ASCII text is scanned by the standard engine, other text by `regex`: they must cut clauses alike.
    copy = ("It is not, however; a cure (for now) - and yet\x0bit helps. Rates fell 2,5 points.\n \n"
            "New paragraph\x1c- while still ours: ok! but\tWhereas. Odd spaces.\x0bcount\x0b-\x0bhere,\n\x0b\n"
            "and.\x1cnot\x1c-\x1chere.")
    for start in range(len(copy)):
        for end in range(start, min(len(copy), start + 12) + 1):
            assert clause_bounds(copy, start, end) == clause_bounds(copy + " café", start, end, 0, len(copy))
    assert clause_bounds(copy, copy.index("a cure"), copy.index("a cure") + 6) == (
        copy.index("a cure") - 1, copy.index("(for now)"))


def test_quotation_marks_open_and_close_in_order() -> None:
    text = 'He said “it “cures” all” and "it heals" here, «a cure».'
    assert quoted(text, 0, text.index("cures"), text.index("cures") + 5)
    assert not quoted(text, 0, text.index("here"), text.index("here") + 4)
    assert quoted(text, 0, text.index("a cure"), text.index("a cure") + 6)



REFUTATION = Defusal(defused_by=("refutation",))


def refuted(text: str, claim: str, in_quote: bool = False, defusal: Defusal = REFUTATION) -> bool:
    """Whether `defusal` defuses `claim`, whose sentence is the text's first (up to its first ". ")."""
    start = text.index(claim)
    first_end = text.find(". ") + 1 or len(text)
    return defusal.defuses(text, start, start + len(claim), 0, first_end, in_quote=in_quote)


def test_a_claim_reported_only_to_be_refuted_is_not_the_page_s_own() -> None:
    # Framed as somebody else's claim, then refuted in the next sentence.
    assert refuted("Many sites claim that zinc cures colds. That is not what the research found.", "cures colds")
    assert refuted("The idea that one detox tea cures acne is simply wrong.", "cures acne")
    assert refuted('Labels promise "a cure for anxiety". This is false.', "a cure for anxiety")
    assert refuted("Myth: vitamin C cures the common cold.", "cures the common cold")
    assert refuted("A cure for anxiety in a bottle. Fact: none exists.", "A cure for anxiety", in_quote=True)


def test_a_refutation_needs_both_the_report_and_the_denial_close_by() -> None:
    # Reported, but endorsed rather than refuted.
    assert not refuted("Many sites claim that zinc cures colds. We agree.", "cures colds")
    # The page's own claim, next to a refutation of somebody else's.
    assert not refuted("Our tea cures insomnia. Other brands' claims are misleading.", "cures insomnia")
    # "No myth" affirms the claim.
    assert not refuted("It's no myth that our drops cure colds.", "cure colds")
    assert not refuted("It is not a myth: our drops cure colds.", "cure colds")
    # The denial two sentences on is about something else.
    assert not refuted("People say that elderberry cures the flu. It tastes good. That is wrong.", "cures the flu")
    # Only rules that name the defuser use it.
    assert not refuted("Myth: vitamin C cures the common cold.", "cures the common cold",
                       defusal=Defusal(defused_by=("negation",)))

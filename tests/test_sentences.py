"""Sentence splitting: boundaries, abbreviations, decimals, dates, quotes and list numbers."""

from __future__ import annotations

from itertools import pairwise

import pytest

from healthlint.document.sentences import _word_start, split_sentences


def sentences(text: str) -> list[str]:
    return [text[a:b] for a, b in split_sentences(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Our drops are vegan. Take two daily.", ["Our drops are vegan.", "Take two daily."]),
        ("Is it safe? Yes! Ask your doctor.", ["Is it safe?", "Yes!", "Ask your doctor."]),
        ("Results vary… Most clients wait a week.", ["Results vary…", "Most clients wait a week."]),
        ("Results vary... Most clients wait a week.", ["Results vary...", "Most clients wait a week."]),
        # Closing quotes and brackets stay with their sentence.
        ('She said "It worked." Then she booked again.', ['She said "It worked."', "Then she booked again."]),
        ("It ends here.” Next one.", ["It ends here.”", "Next one."]),
        ("(See our FAQ.) Book now.", ["(See our FAQ.)", "Book now."]),
        # A sentence may start with a digit, a quote or a bullet.
        ("Trials were small. 87% of users slept better.", ["Trials were small.", "87% of users slept better."]),
        ('Customers agree. "Best gummies ever," one wrote.', ["Customers agree.", '"Best gummies ever," one wrote.']),
        ("Benefits include: rest. • Calm mornings", ["Benefits include: rest.", "• Calm mornings"]),
        # Lowercase after a period is not a new sentence.
        ("Dose is 5 mg. twice daily.", ["Dose is 5 mg. twice daily."]),
    ],
)
def test_basic_boundaries(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Dr. Lena Park reviewed this page.",
        "Ask Mr. Ortiz or Mrs. Ortiz at the front desk.",
        "Prof. Ames and Ms. Reyes disagree.",
        "Stronger evidence, e.g. Randomized trials, is needed.",
        "Minerals, i.e. Zinc and iron, matter.",
        "Results vs. Placebo were similar.",
        "Smith et al. Reported a small effect.",
        "Approx. 30% of adults respond.",
        "See Fig. 2 for the dose curve.",
        "NCHS Data Brief No. 59 has the numbers.",
        "Enrollment ended Jan. 15 this year.",
        "Our clinic on St. Mark Street opens soon.",
        "The U.S. Food and Drug Administration has not evaluated it.",
        "Written by Dana Reyes, Ph.D. Director of research.",
        "Written by J. Smith and A. B. Jones.",
    ],
)
def test_abbreviations_do_not_split(text: str) -> None:
    assert sentences(text) == [text]


@pytest.mark.parametrize(
    "text",
    [
        "Call (555) 010-2040 to book.",
        "Open 9 a.m. to 5 p.m., Monday to Friday.",
        "Reviewed by Dana Reyes, MD, on 2026-05-14.",
        "See Fig. 2 and Table 3.",
        "The U.S. Food and Drug Administration (FDA) regulates drugs.",
        "Results: 3.5 vs. 2.1 points (p < 0.05).",
        "Open Mon.–Fri. 9–5 and Sat. 10–2.",
        "Enrollment ended Jan. 15 this year.",
    ],
)
def test_everyday_page_copy_stays_one_sentence(text: str) -> None:
    assert sentences(text) == [text]
    # The same sentence followed by another still splits after it.
    assert sentences(f"{text} Ask us anything.") == [text, "Ask us anything."]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("It works. Try it!", ["It works.", "Try it!"]),
        ("She said “It works.” Then she left.", ["She said “It works.”", "Then she left."]),
        ("By Dana Reyes, M.D. She leads the clinic.", ["By Dana Reyes, M.D.", "She leads the clinic."]),
        ("Closed Sun. Open again Mon. at 9.", ["Closed Sun.", "Open again Mon. at 9."]),
        ("Trials ended in Oct. The results follow.", ["Trials ended in Oct.", "The results follow."]),
    ],
)
def test_short_sentences_and_abbreviations_at_the_end_split(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


def test_doctor_byline() -> None:
    text = "By Dr. James Dill, MD. He leads the clinic."
    assert sentences(text) == ["By Dr. James Dill, MD.", "He leads the clinic."]


def test_clock_times() -> None:
    assert sentences("Open 9 a.m. to 5 p.m., Monday to Friday.") == ["Open 9 a.m. to 5 p.m., Monday to Friday."]
    assert sentences("We open at 9 a.m. Monday to Friday.") == ["We open at 9 a.m. Monday to Friday."]
    # A word that cannot continue the sentence ends it, even after an abbreviation.
    assert sentences("We close at 5 p.m. The phone line stays open.") == [
        "We close at 5 p.m.",
        "The phone line stays open.",
    ]
    assert sentences("Made in the U.S. The label lists every ingredient.") == [
        "Made in the U.S.",
        "The label lists every ingredient.",
    ]


def test_citation_with_et_al_and_year() -> None:
    text = "Sleep improved (Jolliffe et al., 2021). Effects were small."
    assert sentences(text) == ["Sleep improved (Jolliffe et al., 2021).", "Effects were small."]


@pytest.mark.parametrize(
    "text",
    [
        "Take 3.5 mg with food.",
        "Reviewed 10.15.2025 by our medical team.",
        "Version 2.0.1 of the leaflet is current.",
        "Doses of 0.5 to 1.5 g were tested.",
    ],
)
def test_decimals_and_dates(text: str) -> None:
    assert sentences(text) == [text]


def test_date_at_sentence_end() -> None:
    assert sentences("Updated 10.15.2025. Call us with questions.") == [
        "Updated 10.15.2025.",
        "Call us with questions.",
    ]


def test_single_letter_names_still_split() -> None:
    assert sentences("Take vitamin D. It supports bone health.") == ["Take vitamin D.", "It supports bone health."]
    assert sentences("We tested plan B. Results follow.") == ["We tested plan B.", "Results follow."]


def test_list_numbers() -> None:
    assert sentences("2. Look Beyond Monoamines") == ["2. Look Beyond Monoamines"]
    assert sentences("2. Look beyond. Then decide.") == ["2. Look beyond.", "Then decide."]
    assert sentences("Steps:\n1. Rest well\n2. Drink water") == ["Steps:\n1. Rest well\n2. Drink water"]
    # A number that ends a sentence mid-text is a boundary.
    assert sentences("The trial ran in 2021. It enrolled 40 adults.") == [
        "The trial ran in 2021.",
        "It enrolled 40 adults.",
    ]


def test_newline_is_whitespace() -> None:
    text = "Our drops support immunity\nduring cold season. Ask a pharmacist\nbefore use."
    assert sentences(text) == ["Our drops support immunity\nduring cold season.", "Ask a pharmacist\nbefore use."]


def test_spans_are_trimmed_and_never_empty() -> None:
    text = "  \n First one.   Second one!  \n"
    spans = split_sentences(text)
    assert [text[a:b] for a, b in spans] == ["First one.", "Second one!"]
    for a, b in spans:
        assert a < b
        assert not text[a].isspace()
        assert not text[b - 1].isspace()
    assert split_sentences("") == []
    assert split_sentences(" \n\t ") == []
    assert split_sentences("...") == [(0, 3)]


def test_no_terminal_punctuation() -> None:
    assert sentences("Book your consultation today") == ["Book your consultation today"]


def test_spans_cover_text_in_order() -> None:
    text = "One. Two? Three! Dr. Who. Four 4.5 five. Six"
    spans = split_sentences(text)
    assert spans == sorted(spans)
    for (_, end), (start, _) in pairwise(spans):
        assert end <= start
        assert text[end:start].strip() == ""


@pytest.mark.parametrize("length", [1, 2, 47, 48, 49, 50, 120])
@pytest.mark.parametrize("before", ["", "Call ", "Call\u00a0", "one\ntwo ", "x\u2003"])
def test_word_start_finds_the_whole_word_whatever_its_length(before: str, length: int) -> None:
    # The word before a period is read with a bounded look-back; longer words are still read whole.
    word = ("(Dr" + "x" * length)[:length]
    text = f"{before}{word}. Next"
    end = len(before) + len(word)
    assert _word_start(text, end) == len(before)
    assert _word_start(text, len(before)) == len(before)  # nothing but a blank before the end

"""StartScan tries a pattern only where its matches can start: the matches must be exactly those of finditer."""

from __future__ import annotations

import random
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import regex

from healthlint.config import Config
from healthlint.document.load import parse
from healthlint.document.model import Document
from healthlint.engine.linter import load_rules
from healthlint.kinds.base import BoundedPattern
from healthlint.kinds.scan import FOLD_EXCEPTIONS, WORD_START, StartScan, leading_literals, text_index

REPO = Path(__file__).resolve().parents[1]
RULES = load_rules(Config())


def scans_of(value: object, depth: int = 0) -> Iterator[StartScan]:
    """Every StartScan a rule holds, and one for every other pattern it holds (screened patterns,
    wordings), directly, in lists or inside helpers: the analysis must hold for all of them."""
    if isinstance(value, StartScan):
        yield value
    elif isinstance(getattr(value, "compiled", value), regex.Pattern):
        # A holder with a finditer of its own (a screened pattern) is scanned by the pattern it holds.
        yield StartScan(value if isinstance(value, regex.Pattern | BoundedPattern) else value.compiled)  # type: ignore[arg-type]
    elif isinstance(value, list | tuple):
        for item in value:
            yield from scans_of(item, depth)
    elif depth < 3 and hasattr(value, "__dict__") and not isinstance(value, type):
        for item in vars(value).values():
            yield from scans_of(item, depth + 1)


SCANS = list({id(scan.compiled): scan for rule in RULES for scan in scans_of(rule)}.values())


def test_fold_exceptions_are_every_character_lower_does_not_fold_like_the_engine() -> None:
    ascii_alnum = regex.compile(r"[a-z0-9]", regex.IGNORECASE)
    odd = set()
    for code in range(0x80, sys.maxunicode + 1):
        char = chr(code)
        lower = char.lower()
        if len(lower) != 1 or (ascii_alnum.fullmatch(char) and not ("a" <= lower <= "z" or char.isascii())):
            odd.add(char)
    assert odd <= set(FOLD_EXCEPTIONS)


@pytest.mark.parametrize(("source", "expected"), [
    (r"\b(?:cures?|treats?|heals?)\s+(?:your\s+)?\w+", {" cure", " treat", " heal"}),
    (r"(?<![\w-])(?:obesity|edema)(?!\w)", {" obesity ", " edema "}),
    (r"\b(?:a|an|one)\s+(?:recent\s+)?study\b", {" a ", " an ", " one "}),
    (r"(?=per)(?<=\b(?:one|two)[\s-]+)percent", {" per"}),
    (r"\b(?:very\s+)?good\b", {" very ", " good "}),
    (r"#\s?1|\bno\.\s?1\b", {"#", " no."}),
    (r"\b[1-5](?:\.\d)?\s*stars?\b", {" 1", " 2", " 3", " 4", " 5"}),
    (r"(?<![\w.,])\d+\s*%", {" " + d for d in "0123456789"}),
])
def test_leading_literals(source: str, expected: set[str]) -> None:
    assert leading_literals(source, {}, int(regex.IGNORECASE)) == expected


@pytest.mark.parametrize("source", [
    r"\w+ly\s+proven",  # starts with any word
    r"(?:very\s+)?",  # may match nothing
    r"(\w)\1",  # a back-reference
    r"(?:miracle){e<=1}",  # fuzzy matching
    r"(?x) miracle",  # verbose: spaces are not literal
    r"^\s*cure",  # a line start before any literal
])
def test_leading_literals_unknown(source: str) -> None:
    assert leading_literals(source, {}, 0) is None


def test_named_lists_give_their_words() -> None:
    literals = leading_literals(r"(?<![\w-])\L<terms>(?!\w)", {"terms": ["side effects", "side-effects", "nausea"]})
    assert literals is not None and {WORD_START + "side", WORD_START + "nausea"} <= literals


def test_unusual_folding_scans_whole_blocks() -> None:
    scan = StartScan(regex.compile(r"\bcures?\b", regex.IGNORECASE))
    plain = parse("page.md", "Our tea cures colds.\n")
    assert scan.blocks(plain) == {0: (8,)}
    odd = parse("page.md", "Our tea \u017fupports and cures colds.\n")  # a long s folds to "s" for the engine
    assert scan.blocks(odd) is None
    assert [m.group() for m in scan.finditer(odd.blocks[0].text, None, 1.0)] == ["cures"]


def corpus_texts() -> list[tuple[str, str]]:
    texts: list[tuple[str, str]] = []
    for folder in (REPO / "seeds", REPO / "tests" / "fixtures" / "corpus"):
        for path in sorted(folder.rglob("*")):
            if path.suffix in (".md", ".html", ".txt"):
                texts.append((path.name, path.read_text(encoding="utf-8", errors="replace")))
    for rule in RULES:
        texts.extend(("example.md", example) for example in [*rule.examples_fail, *rule.examples_pass])
    return texts


def varied(text: str, rng: random.Random) -> str:
    """The same copy with random capitals, line breaks, hyphens and doubled spaces."""
    chars = list(text)
    for index, char in enumerate(chars):
        roll = rng.random()
        if roll < 0.05:
            chars[index] = char.upper()
        elif roll < 0.07 and char == " ":
            chars[index] = rng.choice(["\n", "-", "  ", "\t", " \u00b2"])
    return "".join(chars)


def documents() -> list[Document]:
    rng = random.Random(20261122)
    docs = []
    for name, text in corpus_texts():
        docs.append(parse(name, text))
        docs.append(parse(name, varied(text, rng)))
    return docs


DOCUMENTS = documents()


def spans(matches: Iterator[regex.Match[str]]) -> list[tuple[int, int]]:
    return [m.span() for m in matches]


def test_the_builtin_rules_are_scanned_by_their_literals() -> None:
    used = [scan for rule in RULES for name, scan in vars(rule).items() if isinstance(scan, StartScan)]
    assert len(used) > 25 and all(scan.literals for scan in used)
    assert len(SCANS) > 100


@pytest.mark.parametrize("scan", [s for s in SCANS if s.literals], ids=lambda s: s.compiled.pattern[:50])
def test_scan_finds_what_finditer_finds(scan: StartScan) -> None:
    rng = random.Random(7)
    for document in DOCUMENTS:
        by_block = scan.blocks(document)
        bounded = scan.blocks(document, bounded=True)
        for index, block in enumerate(document.blocks):
            text = block.text
            starts = None if by_block is None else by_block.get(index, [])
            assert spans(scan.finditer(text, starts, 1.0)) == spans(scan.pattern.finditer(text)), document.path
            lo = rng.randrange(len(text) + 1)
            hi = rng.randrange(lo, len(text) + 1)
            window = None if bounded is None else bounded.get(index, [])
            assert (spans(scan.finditer(text, window, 1.0, lo, hi))
                    == spans(scan.pattern.finditer(text, lo, hi))), document.path
        joined = text_index(document).text
        whole = spans(scan.pattern.finditer(joined))
        assert spans(scan.finditer(joined, scan.starts(document), 1.0)) == whole
        assert spans(scan.finditer_from(joined, scan.iter_starts(document), 1.0)) == whole


def test_a_scan_keeps_one_time_limit_for_all_its_tries() -> None:
    scan = StartScan(regex.compile(r"\b(?:a|aa)+b"))
    text = "a" * 40 + " aaa"
    with pytest.raises(TimeoutError):
        list(scan.finditer(text, [0, 41], 0.05))  # overlapping repeats: the first try runs away
    harmless = StartScan(regex.compile(r"\bcures?\b"))
    with pytest.raises(TimeoutError):
        list(harmless.finditer("It cures and cures.", [3, 13], 0.0))  # no time left at all


@pytest.mark.parametrize(("source", "expected"), [
    # A common first word is named with the word after it: " the best" is "the", a gap, then "best...".
    (r"\bthe\s+(?:best|only|#1)\s+\w+", {" the best", " the only", " the 1"}),
    (r"\b(?:a|an|one)\s+(?:recent\s+)?study\b",
     {" a recent", " a study", " an recent", " an study", " one recent", " one study"}),
    (r"(?<![\w-])(?:in[\s-]+order[\s-]+to|optimal)(?!\w)", {" in order", " optimal "}),
    (r"\bno\.\s?1\b", {" no 1"}),
    # A word of any kind after the first one: nothing to pair it with.
    (r"\bno\s+(?:[\w-]+\s+){0,2}?can\s+cure\b", {" no "}),
])
def test_leading_word_pairs(source: str, expected: set[str]) -> None:
    assert leading_literals(source, {}, int(regex.IGNORECASE), pairs=True) == expected


def test_named_lists_pair_their_words_with_what_follows() -> None:
    lists = {"disease": ["acne", "acid reflux", "acid-reflux"]}
    literals = leading_literals(r"(?<![\w-])\L<disease>[\s-](?:Relief|Rescue)\b", lists, int(regex.IGNORECASE),
                                pairs=True)
    assert literals == {" acne relief", " acne rescue", " acid reflux"}


PAIRED_COPY = """\
The best\ncure, the-best-kept secret and THE   Best tea. The #1 choice; the\u00a0only way.

Not the bestseller. Other best things, and the, best.

No. 1 clinic, no.1 rated, NO 1 here, caf\u00e9 no. 1, and no.\u2019 1.
"""


@pytest.mark.parametrize("source", [
    r"\bthe\s+(?:best|only|#1)\s+\w+",
    r"\bthe[\s-]+best\b",
    r"\bno\.\s?1\b",
    r"(?<![\w-])the\s+best(?:seller)?\b",
])
def test_pairs_find_every_match_across_separators(source: str) -> None:
    scan = StartScan(regex.compile(source, regex.IGNORECASE))
    document = parse("page.md", PAIRED_COPY)
    starts = scan.blocks(document)
    assert starts is not None and scan.literals is not None and any(" " in lit[1:] for lit in scan.literals)
    for index, block in enumerate(document.blocks):
        found = spans(scan.finditer(block.text, starts.get(index, []), 1.0))
        assert found == spans(scan.pattern.finditer(block.text))
    assert any(starts.values())

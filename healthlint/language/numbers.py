"""Numbers that are not statistics: dates, times, phone numbers, doses, prices and the like.

Citation rules find figures that need a source ("30% of people", "1 in 4 adults",
"3 times more likely"). Health copy is full of other numbers that need none: a date
("10.15.2025"), opening hours ("9 a.m. to 5 p.m."), a dose ("600 mg", "4,000 IU"), a
duration ("4-8 weeks", "for 60 years"), a price ("$29"), a list number ("2. Look
Beyond"), a name with digits ("Omega-3", "B6", "COVID-19"), a reading time ("7 mins"),
an address, a version, the size of a study ("a review of 43 trials"), an age, a rating,
a discount ("save 15%") or a composition ("100% natural", "0.3% THC").

`non_statistic_spans` finds those spans once per text; `all_non_statistic` tells a rule
whether every number in a candidate match is one of them, so the candidate can be
dropped. Durations are never statistics: "dominated psychiatry for 60 years" states how
long, not how many or how often, and a reviewer does not ask for its source.
"""

from __future__ import annotations

import re
from typing import NamedTuple

import regex

from healthlint import regex_store

_NUM = r"\d+(?:,\d{3})*(?:\.\d+)?"
_WORD_NUM = (
    r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty"
    r"|sixty|seventy|eighty|ninety|a\s+hundred|a\s+few|a\s+couple\s+of|several)"
)
_QTY = rf"(?:{_NUM}|{_WORD_NUM})"
_RANGE = rf"{_QTY}(?:\s*(?:-|–|—|to|or|and)\s*{_QTY})?"
# A percentage or a range of them: "15%", "10-35%", "20 to 30 percent".
_PCT = rf"(?:{_NUM}\s*%?\s*(?:-|–|to)\s*)?{_NUM}\s*(?:%|percent\b)"
_MONTH = (
    r"(?-i:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
_UNIT = (
    r"(?:mg|mcg|µg|μg|g|grams?|kg|kilos?|kilograms?|lbs?|pounds?|oz|ounces?|ml|mL|milliliters?|millilitres?"
    r"|liters?|litres?|IU|CFU|mmol(?:/l)?|mg/dl|mg/kg|mg/ml|ng/ml|nmol/l|pmol/l|µmol/l|kcal|calories|cals?"
    r"|units?|drops?|capsules?|caps|tablets?|tabs|pills?|softgels?|gummies|gumm(?:y|ies)|servings?|scoops?"
    r"|cups?|glasses|tbsp|tsp|teaspoons?|tablespoons?|mm|cm|km|inch(?:es)?|feet|ft|miles?|steps|bpm|mm\s?hg"
    r"|ppm|ppb|degrees|°[cf]?|puffs?|sprays?|doses?|shots?|injections?|infusions?|sessions?|treatments?"
    r"|visits?|reps|sets|servings?|billion\s+CFU|million\s+CFU|watts?|volts?|mAh)"
)
_TIME_UNIT = (
    r"(?:seconds?|secs?|minutes?|mins?|hours?|hrs?|h|days?|nights?|weeks?|wks?|months?|mos?|years?|yrs?"
    r"|decades?|centuries)"
)
_STUDY_UNITS = (
    r"(?:trials|studies|RCTs|participants|subjects|volunteers|respondents|patients|adults|people|women|men"
    r"|children|kids|teens|adolescents|individuals|infants|seniors|athletes|students|nurses|smokers|veterans"
    r"|twins|mice|rats|cases|papers|reviews|meta-analyses|clinics|hospitals|countries)"
)
_BILLED = (
    r"(?:profits|proceeds|sales|revenue|purchases?|orders?|cost|costs|price|bill|fees?|premium|deductible|copay|balance"
    r"|total)"
)
_COMPOSITION = (
    r"(?:pure|natural|organic|vegan|plant[\s-]based|raw|cotton|juice|cacao|cocoa|alcohol|abv|thc|cbd|cbn|cbg"
    r"|hydrocortisone|lidocaine|niacinamide|retinol|salicylic|benzoyl|zinc|solution|cream|gel|ointment|concentrat\w*"
    r"|strength|extract|standardi[sz]ed|withanolides|curcuminoids|polyphenols|ginsenosides|silymarin"
    r"|egcg|hyaluronic|aloe|recycl\w*|biodegradable|compostable|made|sourced|satisfaction"
    r"|money[\s-]back|refund|guarantee\w*|humidity|proof|fat|milk|dairy|whey|protein|dha|epa"
    r"|actives?|w/w|w/v|v/v|by\s+(?:weight|volume)|apr|apy|interest|tip|deposit|battery|wool"
    r"|silk|linen|polyester|fruit|sugar|grass[\s-]fed|wild[\s-]caught|non[\s-]gmo|gluten[\s-]free"
    r"|daily|dv|rda|rdi|nrv|ri|reference\s+intake|doses?|dosage|calories|energy\s+intake|diet|plate"
    r"|ingredients|recommended\s+(?:daily\s+)?(?:intake|allowance|amount|value))"
)
_LABEL_WORDS = (
    r"(?:step|tip|day|week|month|phase|stage|type|level|chapter|part|section|tier|grade|class|schedule"
    r"|round|session|cycle|figure|fig\.|table|page|p\.|pp\.|no\.|number|vol\.|issue|top|spf|gen|web)"
)

# Each class of non-statistic number, in the order they are tried at one position.
_CLASSES: list[tuple[str, str]] = [
    ("date", rf"\b\d{{1,2}}[./-]\d{{1,2}}[./-](?:\d{{4}}|\d{{2}})\b|\b\d{{4}}[./-]\d{{1,2}}[./-]\d{{1,2}}\b"
             rf"|\b{_MONTH}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?\b(?:,?\s+\d{{4}}\b)?"
             rf"|\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}\b(?:,?\s+\d{{4}}\b)?"
             rf"|\b{_MONTH}\s+\d{{4}}\b"),
    ("time", r"\b\d{1,2}(?::\d{2})?\s*(?:a\.?m\.?|p\.?m\.?)(?![a-z])|\b\d{1,2}:\d{2}\b|\b24/7\b"),
    ("phone", r"(?:\+\d{1,3}[\s.-]?)?(?:\(\d{3}\)\s?|\b\d{3}[\s.-])\d{3}[\s.-]\d{4}\b|\b1-8\d\d-[\w-]{7,}"
              r"|\b0\d{3,4}\s\d{3}\s?\d{3,4}\b"
              r"|\b(?:call|text|dial|phone|tel\.?|ring)\s*:?\s+(?:or\s+text\s+|us\s+(?:at|on)\s+)?\+?\d[\d\s().-]{1,16}\d"),
    ("price", rf"[$£€¥₹]\s?{_NUM}(?:\s?(?:k|m|bn|million|billion|thousand)\b)?"
              rf"|\b{_NUM}\s?(?:USD|EUR|GBP|CAD|AUD|dollars|euros)\b"),
    ("version", r"\bv(?:ersion)?\.?\s?\d+(?:\.\d+)+\b|\bversion\s+\d+\b|\b\d+\.\d+\.\d+\b"),
    ("address", r"(?-i:\b\d{1,5}\s+(?:[A-Z][\w.'-]*\s+){1,4}(?:Street|St\.?|Avenue|Ave\.?|Road|Rd\.?|Boulevard"
                r"|Blvd\.?|Lane|Ln\.?|Drive|Dr\.?|Way|Court|Ct\.?|Place|Pl\.?|Parkway|Pkwy\.?|Highway|Hwy\.?"
                r"|Square|Sq\.?|Terrace|Circle|Plaza)\b)"
                r"|\b(?:suite|ste\.?|unit|floor|apt\.?|building|bldg\.?|room|p\.?\s?o\.?\s+box)\s*#?\s*\d+\w*"
                r"|(?-i:\b[A-Z]{2}\s+\d{5}(?:-\d{4})?\b)"),
    ("rating", r"\b\d(?:\.\d)?\s*(?:/|out\s+of)\s*(?:5|10)\s*[-‐]?\s*stars?\b|\b\d\.\d\s*(?:/|out\s+of)\s*(?:5|10)\b"
               r"|\b(?:rated|rating|ratings|score[sd]?|scoring)\s+(?:of\s+|at\s+)?\d(?:\.\d)?"
               r"(?:\s*(?:/|out\s+of)\s*\d+)?|\b\d(?:\.\d)?\s*[-‐]?\s*stars?\b"),
    ("commercial", rf"\b(?:save|saving|get|take|enjoy|extra|additional)\s+"
                   rf"(?:up\s+to\s+|an?\s+(?:extra\s+|additional\s+)?)?{_NUM}\s*(?:%|percent\b)"
                   rf"|\b{_PCT}\s*(?:off|discount|savings?|cash\s*back|back|coupon|promo)\b"
                   rf"|\b(?:discount|coupon|promo(?:\s+code)?)\s+(?:of\s+)?{_NUM}\s*%"
                   rf"|\b{_PCT}\s+of\s+(?:all\s+|our\s+|the\s+|your\s+|every\s+|each\s+)?{_BILLED}\b"),
    ("composition", rf"\b{_PCT}\s*(?:of\s+(?:the\s+|your\s+|our\s+|its\s+|all\s+)?)?{_COMPOSITION}\b"
                    rf"|\b(?:standardi[sz]ed\s+(?:to|for)|contains?|containing)\s+{_NUM}\s*%|%\s*(?:DV|daily\s+value)\b"),
    ("measurement", r"\b(?:(?:hb)?a1c|h(?:a)?emoglobin\s+a1c|body[\s-]fat|ejection\s+fraction|oxygen\s+saturation"
                    r"|spo2|blood\s+alcohol(?:\s+content)?|bac|h(?:a)?ematocrit|transferrin\s+saturation)\b"
                    r"(?:\s+(?:levels?|readings?|values?|target|goal|results?|is|was|are|of|at|below|above|under|over"
                    r"|less|more|greater|lower|higher|than|between|to|from|or|and|should|be|stays?|kept|keep|around"
                    r"|about|near|the|a|an|your|equal|normal|range|typically|usually)){0,6}"
                    rf"\s+{_NUM}(?:\s*%?\s*(?:-|–|to|and|or)\s*{_NUM})?\s*%"),
    ("count", rf"\b[nN]\s*=\s*{_NUM}"
              rf"|\b{_NUM}\s+(?:(?:randomi[sz]ed|controlled|clinical|human|published|separate|independent|different"
              rf"|large|small|peer-reviewed|observational|prospective)\s+){{0,3}}(?:trials|studies|RCTs|participants"
              rf"|subjects|volunteers|respondents|papers|meta-analyses)\b"
              rf"|(?<=\b(?:study|studies|trial|trials|review|reviews|survey|analysis|meta-analysis|cohort|sample|poll"
              rf"|enrolled|enrolling|recruited|followed|surveyed|studied|randomi[sz]ed|included|including|involving"
              rf"|analy[sz]ed|pooled|among)\s+(?:of\s+|with\s+|in\s+)?(?:more\s+than\s+|over\s+|nearly\s+|almost\s+"
              rf"|about\s+|around\s+|roughly\s+|some\s+|approximately\s+|just\s+)?){_NUM}"
              rf"(?=\s+(?:[\w-]+\s+){{0,3}}?{_STUDY_UNITS}\b)"),
    ("age", r"\b(?:aged?|ages)\s+\d{1,3}(?:\s*(?:-|–|to|and)\s*\d{1,3})?(?:\s+(?:and|or)\s+(?:over|up|older|above"
            r"|under|younger))?|\b\d{1,3}[\s-]*(?:years?|yrs?)[\s-]*(?:old|of\s+age)\b|\b\d{2}\+|\b(?:19|20)?\d0'?s\b"),
    ("duration", rf"\b{_RANGE}[\s-]*{_TIME_UNIT}\b|\b{_RANGE}\s*(?:x|times)\s+(?:a|per|each)\s+(?:day|week|month"
                 rf"|year)\b|\b{_RANGE}\s*(?:x|times)\s+(?:daily|weekly|monthly|nightly)\b"
                 rf"|\b(?:once|twice)\s+(?:a|per|each)\s+(?:day|week|month|year)\b"),
    ("dose", rf"\b{_RANGE}[\s-]*{_UNIT}(?![\w/])"),
    ("year", r"\b(?:1[89]|20)\d{2}\b(?!\s*(?:%|percent|per\s+cent))"),
    ("list-number", r"^\s*(?:#|no\.\s*|step\s+|tip\s+|reason\s+|part\s+)?\d{1,2}(?:[.):](?=\s)|\s+[-–—]\s)"),
    ("label", rf"\b{_LABEL_WORDS}\s*#?\s*\d+[a-z]?\b|#\d+\b"),
    ("name", r"\b[A-Za-z]+(?:[-‐]?\d+(?:\.\d+)?)+[A-Za-z+]*(?![\w%])|\b\d+-[A-Z][A-Za-z]+\b"),
]


class _Way(NamedTuple):
    """One way a class can match in a window: a word of each group occurs in it (lower-cased), a
    number written out does if `number_word`, and `pattern`, if any, matches in it.

    `lowered`: the pattern has no lookbehind, no `\\b` before its first character, no upper-case
    escape (`\\S`, `\\W`...) and `\\s` only where any space may stand, so in an ASCII window its
    lower-cased spelling may run, case sensitive, on the lower-cased window with the standard `re`
    engine (several times faster for these word lists; its `\\s` takes a few more control
    characters, which only lets more through)."""

    groups: tuple[tuple[str, ...], ...] = ()
    pattern: str | None = None
    number_word: bool = False
    lowered: bool = False


_STREET = (r"(?:Street|St\.?|Avenue|Ave\.?|Road|Rd\.?|Boulevard|Blvd\.?|Lane|Ln\.?|Drive|Dr\.?|Way|Court|Ct\.?|Place"
           r"|Pl\.?|Parkway|Pkwy\.?|Highway|Hwy\.?|Square|Sq\.?|Terrace|Circle|Plaza)")
_PERCENT = ("%", "percent")
_TIMES = r"(?:x|times)\s+(?:a|per|each|daily|weekly|monthly|nightly)\b"  # "3 times a day", "2x daily"
# Every match of a class has what one of its ways asks for, so a class with no way open in a
# candidate's window has no match there and need not run: most classes never match near a
# statistic, and these tests cost a fraction of the classes. Most look for a digit in the
# context the class needs around some digit of its match ("600 mg": a digit before a unit).
# tests/test_citations.py checks them against the classes.
_NEEDS: dict[str, tuple[_Way, ...]] = {
    "date": (_Way(pattern=r"\d[./-]\d|(?-i:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"),),
    "time": (_Way(pattern=r"\d(?=\s*[ap]\.?m|:\d|4/7)"),),
    "phone": (_Way(pattern=r"\d(?:(?=\d\d[\s.-]\d{4}|\d\d\s\d{3}|-8\d\d-)|(?<=(?:call|text|dial|phone|tel\.?|ring)"
                           r"\s*:?\s+(?:or\s+text\s+|us\s+(?:at|on)\s+)?\+?\d))"),),
    "price": (_Way((("$", "£", "€", "¥", "₹", "usd", "eur", "gbp", "cad", "aud", "dollars"),)),),
    "version": (_Way((("version",),)), _Way(pattern=r"\d\.\d")),
    "address": (_Way(pattern=rf"\d(?:(?=(?-i:\s+(?:[A-Z][\w.'-]*\s+){{1,4}}{_STREET}\b))|(?<=(?-i:[A-Z]{{2}})\s+\d)"
                             r"|(?<=(?:suite|ste\.?|unit|floor|apt\.?|building|bldg\.?|room|box)\s*#?\s*\d))"),),
    "rating": (_Way((("star", "rated", "rating", "scor"),)), _Way(pattern=r"\d\.\d")),
    "commercial": (_Way((_PERCENT, ("sav", "get", "take", "enjoy", "extra", "additional", "discount", "coupon", "promo",
                                    "off", "cash", "back", "profits", "proceeds", "sales", "revenue", "purchase",
                                    "order", "cost", "price", "bill", "fee", "premium", "deductible", "copay",
                                    "balance", "total"))),),
    "composition": (_Way((_PERCENT, ("standardi", "contain", "dv", "daily"))),
                    _Way((_PERCENT,), rf"\d(?=\s*(?:%|percent\b)\s*(?:of\s+(?:the\s+|your\s+|our\s+|its\s+|all\s+)?)?"
                                      rf"{_COMPOSITION}\b)")),
    "measurement": (_Way((("%",), ("a1c", "body", "ejection", "oxygen", "spo2", "blood", "bac", "matocrit",
                                   "transferrin"))),),
    "count": (_Way((("=",),)), _Way(pattern=rf"\d(?=\s+(?:[\w-]+\s+){{0,3}}?{_STUDY_UNITS}\b)")),
    "age": (_Way((("age", "old", "+", "0s", "0's"),)),),
    # A range of digits ends in a digit; one written out ends in a number word.
    "duration": (_Way(pattern=rf"\d(?:[\s-]*{_TIME_UNIT}\b|\s*{_TIMES})", lowered=True),
                 _Way(pattern=rf"{_WORD_NUM}(?:[\s-]*{_TIME_UNIT}\b|\s*{_TIMES})", number_word=True, lowered=True),
                 _Way((("once", "twice"),))),
    "dose": (_Way(pattern=rf"\d[\s-]*{_UNIT}(?![\w/])", lowered=True),
             _Way(pattern=rf"{_WORD_NUM}[\s-]*{_UNIT}(?![\w/])", number_word=True, lowered=True)),
    "year": (_Way(pattern=r"(?:1[89]|20)\d\d"),),
    "list-number": (_Way(pattern=r"\d(?:[.):](?=\s)|\s+[-–—]\s)"),),
    "label": (_Way((("#",),)), _Way(pattern=rf"(?<={_LABEL_WORDS}\s*#?\s*)\d")),
    "name": (_Way(pattern=r"(?<=[a-z][-‐]?)\d|\d-[a-z]"),),
}
_FLAGS = regex.IGNORECASE | regex.MULTILINE
# One regex per class: separately each keeps the engine's fast scanning, which one big
# alternation of them loses (measured: three times slower).
CLASSES: list[tuple[str, regex.Pattern[str]]] = [
    (name, regex_store.compile(pattern, _FLAGS)) for name, pattern in _CLASSES
]
# (groups, pattern, number_word, the pattern for the lower-cased ASCII window or None)
_CompiledWay = tuple[tuple[tuple[str, ...], ...], "regex.Pattern[str] | None", bool, "re.Pattern[str] | None"]
# (name, class pattern, its ways), in class order.
# A class may match when any of its ways is open, so the ways with no pattern to run are tried first.
_TESTED: list[tuple[str, regex.Pattern[str], tuple[_CompiledWay, ...]]] = [
    (name, pattern, tuple((way.groups, None if way.pattern is None else regex_store.compile(way.pattern, _FLAGS),
                           way.number_word, re.compile(way.pattern.lower()) if way.pattern and way.lowered else None)
                          for way in sorted(_NEEDS[name], key=lambda way: way.pattern is not None)))
    for name, pattern in CLASSES
]
_INDEXED = [(index, name, pattern, ways) for index, (name, pattern, ways) in enumerate(_TESTED)]
# Every number written out (`_WORD_NUM`) holds one of these.
_NUMBER_WORDS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
                 "fifteen", "twenty", "thirty", "forty", "fifty", "hundred", "few", "couple", "several")
# Characters the engine, ignoring case, takes for an ASCII letter that `str.lower` does not give
# (as healthlint.kinds.scan.FOLD_EXCEPTIONS): in a window with one, every class runs.
_FOLD_EXCEPTIONS = "\u0130\u0131\u017f"
# How much text around a candidate can decide its numbers ("A1c of 6.5% or higher", "study of 1,200 adults").
CONTEXT_BEFORE = 60
CONTEXT_AFTER = 40
# A number written in digits: what must be explained away before a candidate is dropped.
DIGITS = regex_store.compile(r"\d+(?:[.,]\d+)*")


class _Window:
    """The spans of each class in text[start:end], found as they are asked for."""

    __slots__ = ("ascii", "end", "found", "lowered", "number_word", "start", "text")

    def __init__(self, text: str, start: int, end: int) -> None:
        self.text, self.start, self.end = text, start, end
        window = text[start:end]
        folds = not window.isascii() and any(char in window for char in _FOLD_EXCEPTIONS)
        self.lowered = None if folds else window.lower()  # None: no cheap test can be trusted
        self.ascii = window.isascii()
        self.found: list[list[tuple[int, int]] | None] = [None] * len(_TESTED)
        self.number_word: bool | None = None  # whether a number is written out here, once asked

    def spans(self, index: int) -> list[tuple[int, int]]:
        """(start, end) of the matches of class `index`, as `finditer` over the window gives them."""
        found = self.found[index]
        if found is None:
            _, pattern, ways = _TESTED[index]
            found = self.found[index] = self._find(pattern, ways)
        return found

    def _find(self, pattern: regex.Pattern[str], ways: tuple[_CompiledWay, ...]) -> list[tuple[int, int]]:
        if not self._may_match(ways):
            return []
        return [found.span() for found in pattern.finditer(self.text, self.start, self.end)]

    def _may_match(self, ways: tuple[_CompiledWay, ...]) -> bool:
        lowered = self.lowered
        if lowered is None or not ways:
            return True
        for groups, test, number_word, lowered_test in ways:
            for group in groups:  # (a loop, not all(...): this runs for every class of every candidate)
                if not any(map(lowered.__contains__, group)):
                    break
            else:
                if number_word and not self._has_number_word():
                    continue
                if test is None:
                    return True
                if lowered_test is not None and self.ascii:
                    if lowered_test.search(lowered) is not None:
                        return True
                elif test.search(self.text, self.start, self.end) is not None:
                    return True
        return False

    def _has_number_word(self) -> bool:
        if self.number_word is None:
            lowered = self.lowered
            self.number_word = lowered is None or _holds_one(lowered, _NUMBER_WORDS)
        return self.number_word

    def classify(self, start: int, end: int) -> str | None:
        """The first class with a span covering text[start:end]."""
        found = self.found
        for index, name, pattern, ways in _INDEXED:
            spans = found[index]
            if spans is None:
                spans = found[index] = self._find(pattern, ways)
            for lo, hi in spans:
                if lo <= start and end <= hi:
                    return name
        return None


def _holds_one(text: str, words: tuple[str, ...]) -> bool:
    return any(map(text.__contains__, words))


def non_statistic_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int, str]]:
    """(start, end, class) of every number in text[start:end] that is not a statistic.

    Lookbehinds and line starts still see the text before `start`, so a window gives the
    same spans as the whole text, except for spans that cross its edges.
    """
    window = _Window(text, start, len(text) if end is None else end)
    return [(lo, hi, name) for index, (name, *_) in enumerate(_TESTED) for lo, hi in window.spans(index)]


def classify(text: str, start: int, end: int, spans: list[tuple[int, int, str]] | None = None) -> str | None:
    """The class of the non-statistic number covering text[start:end], or None."""
    if spans is None:
        return _Window(text, max(0, start - CONTEXT_BEFORE), min(len(text), end + CONTEXT_AFTER)).classify(start, end)
    for lo, hi, name in spans:
        if lo <= start and end <= hi:
            return name
    return None


def all_non_statistic(text: str, start: int, end: int, spans: list[tuple[int, int, str]] | None = None) -> str | None:
    """When every digit number inside text[start:end] is a date, dose, price..., the class of the first.

    None when the span holds at least one number that may be a statistic, or no digits at
    all ("two-thirds of people" is decided by the rule's own pattern). Without `spans`, only
    the text around the span is examined, each class only as far as the numbers need it.
    """
    numbers = DIGITS.finditer(text, start, end)
    first_number = next(numbers, None)
    if first_number is None:
        return None  # no digits: nothing to explain away
    if spans is None:
        window = _Window(text, max(0, start - CONTEXT_BEFORE), min(len(text), end + CONTEXT_AFTER))
        find = window.classify
    else:
        def find(lo: int, hi: int) -> str | None:
            return classify(text, lo, hi, spans)
    first = find(*first_number.span())
    if first is None:
        return None
    for number in numbers:
        if find(*number.span()) is None:
            return None
    return first

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
                   rf"|\b{_PCT}\s+of\s+(?:all\s+|our\s+|the\s+|your\s+|every\s+|each\s+)?(?:profits|proceeds"
                   r"|sales|revenue|purchases?|orders?|cost|costs|price|bill|fees?|premium|deductible|copay|balance|total)\b"),
    ("composition", rf"\b{_PCT}\s*(?:of\s+(?:the\s+|your\s+|our\s+|its\s+|all\s+)?)?(?:pure|natural|organic|vegan"
                    r"|plant[\s-]based|raw|cotton|juice|cacao|cocoa|alcohol|abv|thc|cbd|cbn|cbg|hydrocortisone"
                    r"|lidocaine|niacinamide|retinol|salicylic|benzoyl|zinc|solution|cream|gel|ointment|concentrat\w*"
                    r"|strength|extract|standardi[sz]ed|withanolides|curcuminoids|polyphenols|ginsenosides|silymarin"
                    r"|egcg|hyaluronic|aloe|recycl\w*|biodegradable|compostable|made|sourced|satisfaction"
                    r"|money[\s-]back|refund|guarantee\w*|humidity|proof|fat|milk|dairy|whey|protein|dha|epa"
                    r"|actives?|w/w|w/v|v/v|by\s+(?:weight|volume)|apr|apy|interest|tip|deposit|battery|wool"
                    r"|silk|linen|polyester|fruit|sugar|grass[\s-]fed|wild[\s-]caught|non[\s-]gmo|gluten[\s-]free"
                    r"|daily|dv|rda|rdi|nrv|ri|reference\s+intake|doses?|dosage|calories|energy\s+intake|diet|plate"
                    r"|ingredients|recommended\s+(?:daily\s+)?(?:intake|allowance|amount|value))\b"
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
    ("label", r"\b(?:step|tip|day|week|month|phase|stage|type|level|chapter|part|section|tier|grade|class|schedule"
              r"|round|session|cycle|figure|fig\.|table|page|p\.|pp\.|no\.|number|vol\.|issue|top|spf|gen|web)\s*#?"
              r"\s*\d+[a-z]?\b|#\d+\b"),
    ("name", r"\b[A-Za-z]+(?:[-‐]?\d+(?:\.\d+)?)+[A-Za-z+]*(?![\w%])|\b\d+-[A-Z][A-Za-z]+\b"),
]

# One regex per class: separately each keeps the engine's fast scanning, which one big
# alternation of them loses (measured: three times slower).
CLASSES: list[tuple[str, regex.Pattern[str]]] = [
    (name, regex_store.compile(pattern, regex.IGNORECASE | regex.MULTILINE)) for name, pattern in _CLASSES
]
# How much text around a candidate can decide its numbers ("A1c of 6.5% or higher", "study of 1,200 adults").
CONTEXT_BEFORE = 60
CONTEXT_AFTER = 40
# A number written in digits: what must be explained away before a candidate is dropped.
DIGITS = regex_store.compile(r"\d+(?:[.,]\d+)*")


def non_statistic_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int, str]]:
    """(start, end, class) of every number in text[start:end] that is not a statistic.

    Lookbehinds and line starts still see the text before `start`, so a window gives the
    same spans as the whole text, except for spans that cross its edges.
    """
    end = len(text) if end is None else end
    return [(found.start(), found.end(), name)
            for name, pattern in CLASSES for found in pattern.finditer(text, start, end)]


def classify(text: str, start: int, end: int, spans: list[tuple[int, int, str]] | None = None) -> str | None:
    """The class of the non-statistic number covering text[start:end], or None."""
    if spans is None:
        spans = non_statistic_spans(text, max(0, start - CONTEXT_BEFORE), min(len(text), end + CONTEXT_AFTER))
    for lo, hi, name in spans:
        if lo <= start and end <= hi:
            return name
    return None


def all_non_statistic(text: str, start: int, end: int, spans: list[tuple[int, int, str]] | None = None) -> str | None:
    """When every digit number inside text[start:end] is a date, dose, price..., the class of the first.

    None when the span holds at least one number that may be a statistic, or no digits at
    all ("two-thirds of people" is decided by the rule's own pattern). Without `spans`, only
    the text around the span is examined.
    """
    numbers = list(DIGITS.finditer(text, start, end))
    if not numbers:
        return None  # no digits: nothing to explain away
    if spans is None:
        spans = non_statistic_spans(text, max(0, start - CONTEXT_BEFORE), min(len(text), end + CONTEXT_AFTER))
    first: str | None = None
    for number in numbers:
        name = classify(text, number.start(), number.end(), spans)
        if name is None:
            return None
        first = first or name
    return first

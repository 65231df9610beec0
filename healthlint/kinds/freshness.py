"""`freshness`: does a health-information page say when it was written or last reviewed, and is that recent?

The JAMA benchmarks (Silberg et al., 1997) and HONcode ask health pages to show the
date content was posted and last updated. A page counts as dated by a date that a
reader sees as one: after a label in the same sentence ("Last reviewed: 2 June 2026",
"Updated 09.03.2025"), or alone on its line ("February 11, 2026"), or in front matter
(`date:`, `reviewed:`), which site templates render as the byline date.

The scope keys are those of the `disclaimer` kind (triggers, min_mentions, page_requires,
min_words...): they say which pages are health information worth dating.

YAML keys (besides the common and scope ones):
  date_labels:        regex for words that make a date a publication or review date
  front_matter_keys:  front matter keys that hold such a date
  require_date:       report a page with no date at all (default true), at its first trigger
  stale_after_months: report the newest date when it is older than this (default 0: never);
                      config `options: {stale_after_months: N}` overrides it
  stale_message:      the message for a stale date; {date}, {age} and {limit} are filled in
  day_first_locales:  locales whose numeric dates are day first (config `options: {locale: UK}`)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

import regex

from healthlint import regex_store
from healthlint.diagnostic import Diagnostic
from healthlint.document.model import Document
from healthlint.kinds.base import REGEX_TIMEOUT, LintContext, SpecReader
from healthlint.kinds.disclaimer import DisclaimerRule, Mention, prose_of

MONTHS = {name: index for index, names in enumerate((
    ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
    ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
    ("october", "oct"), ("november", "nov"), ("december", "dec")), start=1) for name in names}
_MONTH = "(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
# The date forms health pages use; numeric ones are month first unless the locale says otherwise.
DATE = regex_store.compile(
    rf"\b(?P<iso_y>(?:19|20)\d\d)[-/.](?P<iso_m>\d{{1,2}})[-/.](?P<iso_d>\d{{1,2}})\b"
    rf"|\b(?P<a>\d{{1,2}})[-/.](?P<b>\d{{1,2}})[-/.](?P<y>(?:19|20)\d\d)\b"
    rf"|\b(?P<md_m>{_MONTH})\s+(?P<md_d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<md_y>(?:19|20)\d\d)\b"
    rf"|\b(?P<dm_d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<dm_m>{_MONTH}),?\s+(?P<dm_y>(?:19|20)\d\d)\b"
    rf"|\b(?P<my_m>{_MONTH})\s+(?P<my_y>(?:19|20)\d\d)\b",
    regex.IGNORECASE,
)
YEAR = regex_store.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
YEAR_REACH = 24  # "September 30th, " before the year: the longest lead-in a DATE form has
# What may stand beside a date on a line of its own and still leave it a bare date.
BARE_REST = regex_store.compile(r"[\W\d_]*(?:(?:min(?:ute)?s?|read|posted|updated|on|by)\b[\W\d_]*)*", regex.IGNORECASE)
DAYS_PER_MONTH = 30.44


@dataclass
class Dated:
    """A date a reader sees as the page's date, and where it stands in the source."""

    day: dt.date
    start: int
    end: int
    text: str


def parse_date(found: regex.Match[str], day_first: bool) -> dt.date | None:
    """The calendar date of a DATE match, or None when it is not a real date."""
    groups = found.groupdict()
    try:
        if groups["iso_y"]:
            return dt.date(int(groups["iso_y"]), int(groups["iso_m"]), int(groups["iso_d"]))
        if groups["y"]:
            first, second = int(groups["a"]), int(groups["b"])
            if first > 12 or (day_first and second <= 12):
                first, second = second, first
            return dt.date(int(groups["y"]), first, second)
        for prefix in ("md", "dm"):
            if groups[f"{prefix}_y"]:
                month = MONTHS[groups[f"{prefix}_m"].rstrip(".").lower()]
                return dt.date(int(groups[f"{prefix}_y"]), month, int(groups[f"{prefix}_d"]))
        if groups["my_y"]:
            return dt.date(int(groups["my_y"]), MONTHS[groups["my_m"].rstrip(".").lower()], 1)
    except ValueError:  # 31 February and the like
        return None
    return None


class FreshnessRule(DisclaimerRule):
    kind = "freshness"

    def configure(self, spec: SpecReader) -> None:
        self.configure_scope(spec)
        labels = spec.text("date_labels", required=True)
        self.date_labels = spec.compile("date_labels", labels, regex.IGNORECASE)
        self.front_matter_keys = spec.texts("front_matter_keys")
        self.require_date = spec.flag("require_date", True)
        self.stale_after_months = spec.integer("stale_after_months", 0, minimum=0)
        self.stale_message = spec.text("stale_message", self.message)
        self.day_first_locales = {name.upper() for name in spec.texts("day_first_locales")}

    def check(self, document: Document, context: LintContext) -> Iterator[Diagnostic]:
        if not document.blocks or not self.applies(document):
            return
        trigger = self.first_trigger(document, context)
        if trigger is None:
            return
        dates = self.dates(document, context)
        if not dates:
            if self.require_date:
                yield self.finding(document, trigger, self.suggestion)
            return
        limit = self._limit(context)
        if not limit:
            return
        newest = max(dates, key=lambda d: d.day)
        age_months = (dt.date.today() - newest.day).days / DAYS_PER_MONTH
        if age_months > limit:
            message = (self.stale_message.replace("{date}", newest.day.isoformat())
                       .replace("{age}", _describe_months(age_months)).replace("{limit}", _describe_months(limit)))
            yield self.finding(document, Mention(newest.start, newest.end, newest.text), self.suggestion, message)

    def _limit(self, context: LintContext) -> int:
        configured = context.options.get("stale_after_months")
        if configured is None or not self.stale_after_months:
            return self.stale_after_months
        try:
            return max(int(configured), 0)
        except (TypeError, ValueError):
            return self.stale_after_months

    def dates(self, document: Document, context: LintContext) -> list[Dated]:
        """Every labelled or bare date in the prose, and the front matter's dates (shared by
        the rules of this kind that read dates the same way)."""
        day_first = self.locale_of(context) in self.day_first_locales
        prose = prose_of(document)
        key = ("freshness", self.date_labels.pattern, tuple(self.front_matter_keys), day_first)
        cached = prose.memo.get(key)
        if isinstance(cached, list):
            return cached
        found: list[Dated] = []
        for match in _dates_in(prose.plain.text):
            located = prose.locate(match.start(), match.end())
            day = parse_date(match, day_first)
            if located is None or day is None:
                continue
            index, start, end = located
            if self._presented_as_date(document, index, start, end):
                src_start, src_end = document.blocks[index].span(start, end)
                found.append(Dated(day, src_start, src_end, match.group()))
        found.extend(self._front_matter_dates(document, day_first))
        prose.memo[key] = found
        return found

    def _presented_as_date(self, document: Document, index: int, start: int, end: int) -> bool:
        """A reader takes it for the page's date: alone on its line, or after a label."""
        text = document.blocks[index].text
        if BARE_REST.fullmatch(text[:start] + " " + text[end:]):
            return True
        sentence_start = 0
        for sentence in document.block_sentences[index]:
            if sentence.start <= start:
                sentence_start = sentence.start
        return self.date_labels.search(text, sentence_start, start) is not None

    def _front_matter_dates(self, document: Document, day_first: bool) -> list[Dated]:
        data = document.front_matter_data
        if not self.front_matter_keys or not isinstance(data, dict) or not document.front_matter:
            return []
        region = document.source.find(document.front_matter)
        out: list[Dated] = []
        for key in self.front_matter_keys:
            value = data.get(key)
            day = _as_date(value, day_first)
            if day is None:
                continue
            line = regex.search(rf"(?m)^\s*{regex.escape(key)}\s*:\s*(.+?)\s*$", document.front_matter)
            start, end = (region + line.start(1), region + line.end(1)) if line and region >= 0 else (0, 0)
            out.append(Dated(day, start, end, f"{key}: {value}"))
        return out


def _dates_in(text: str) -> Iterator[regex.Match[str]]:
    """DATE matches, looked for only around four-digit years (every date form has one)."""
    end = -1
    for year in YEAR.finditer(text):
        lo, hi = max(year.start() - YEAR_REACH, end, 0), year.end() + 4
        if hi <= end:
            continue
        yield from DATE.finditer(text, lo, min(hi, len(text)), timeout=REGEX_TIMEOUT)
        end = hi


def _as_date(value: object, day_first: bool) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        found = DATE.search(value)
        return parse_date(found, day_first) if found else None
    return None


def _describe_months(months: float) -> str:
    whole = round(months)
    if whole >= 24 and whole % 12 == 0:
        return f"{whole // 12} years"
    if whole >= 24:
        return f"about {round(months / 12)} years"
    return f"{whole} months"

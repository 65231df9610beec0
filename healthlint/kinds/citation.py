"""`citation`: claims that need a source, and whether the copy gives one nearby.

A trigger (a statistic, "studies show", "experts agree", "one of the most consistent
findings") is a claim the reader cannot check unless it carries a reference. The rule
looks for evidence in a window around it: a link to another site, a DOI, PMID or PMCID,
a footnote or numbered marker that resolves to a reference list or footnote in the same
document, or an author-year citation ("(Smith et al., 2021)", "the CDC (2023)").
Links to the publisher's own site are not evidence: those domains come from
`options.self_domains` in the user's config or, where config is silent, are inferred
(most links share one domain; the domain carries the site's own name; a link reads
"our … page"; a relative link).

YAML keys (besides the common ones):
  terms, patterns: triggers, as in the pattern kind (`{{name}}` term lists; a named group
                 `flag` narrows the span)
  case:          match case exactly (default false)
  extend_before: regexes; words just before a trigger that the finding includes ("as many as")
  anchors:       words (lower-case substrings); with anchor_patterns (regexes run on the lower-cased
                 text), a fast pre-check: only sentences holding one are searched for triggers, so
                 every trigger must contain an anchor
  window:        sentence | next-sentence | paragraph — where evidence may stand (default sentence)
  skip_numbers:  drop a trigger whose every number is a date, time, dose, price... (default false)
  unless:        regexes; a match in the sentence means it needs no source (definitions, hedged
                 summaries of the evidence)
  unless_before: regex matched against the clause text just before the trigger
  defused_by:    any of negation, question, quotation
  continues:     regexes; a sentence that matches refers back ("The same study…") and may use the
                 evidence of the sentences before it
  elaborated_by: regexes; a next sentence that matches ("In one trial, …", "This figure comes
                 from …") goes on about the same evidence, and its citation covers the claim
  method_report: regexes; a paragraph reporting one's own study ("we enrolled…") is covered as a
                 whole by evidence anywhere in it
  source_domains: domains that are independent sources, never the publisher's own
  not_evidence_domains: domains whose links are neither evidence nor the publisher's own (social
                 media, maps, booking and shop sites)
  weak_source:   regexes; a sentence that names only a year, institution or journal gets
                 `weak_source_message`
  self_link_message, weak_source_message, unresolved_message: messages for those cases (links
                 only to your own site; a source named only by year, institution or journal; a
                 footnote marker with no reference); besides `{match}` they may use `{domain}`,
                 `{how}` (why it counts as your own site), `{where}` and `{marker}`
  report:        claim (default) | document — one finding for a page whose claims have no
                 source and which cites no sources at all
  claims_from:   (report: document) ids of citation rules defined earlier in the same ruleset
  requires:      (report: document) regexes; the page must match one (it is a health page)
  min_claims:    (report: document) claims needed before the page is reported (default 1)
In document messages `{count}` is the number of claims; the finding's metrics carry it as "claims".
"""

from __future__ import annotations

import weakref
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import regex

from healthlint import regex_store
from healthlint.diagnostic import Diagnostic
from healthlint.document.model import Block, Document, Sentence
from healthlint.kinds.base import REGEX_TIMEOUT, LintContext, Rule, SpecReader
from healthlint.kinds.pattern import compile_terms_pattern, read_defusal
from healthlint.kinds.scan import FOLD_EXCEPTIONS, WORD_START, StartScan
from healthlint.language import numbers, references

WINDOWS = ("sentence", "next-sentence", "paragraph")
DEFUSERS = ("negation", "question", "quotation")
# A sentence (or the start of the next block) that only gives the source of the one before.
SOURCE_LINE = regex_store.compile(
    r"^\W*(?:[(\[]|(?:sources?|references?|citations?|data|via|see)\s*:"
    r"|(?:read|see|view|download|find)\s+(?:the|this|that|our)?\s*(?:full\s+|original\s+|published\s+)?"
    r"(?:study|studies|paper|report|research|review|trial|data|article|abstract|source|evidence)\b)",
    regex.IGNORECASE,
)
# Where a site states its own name: "At Rejuvenate, we…", "CalmRoots Clinic is a … practice".
_NAME_SEQ = r"\p{Lu}[\p{L}\p{N}&'’+-]*(?:\s+(?:&\s+)?\p{Lu}[\p{L}\p{N}&'’+-]*){0,4}"
OWN_NAME = regex_store.compile(
    rf"\bAt\s+(?P<n>{_NAME_SEQ})\s*,?\s+(?:we|our)\b"
    rf"|(?P<n>{_NAME_SEQ})\s+(?:is|are)\s+an?\s+(?:[\w-]+\s+){{0,4}}?(?:clinic|practice|company|brand|cent(?:er|re)"
    rf"|provider|pharmacy|studio|spa|service|group|network|platform|business|organi[sz]ation)\b"
    rf"|\b(?:[Cc]o[\s-]?[Ff]ounder|[Ff]ounder|[Ff]ounded|consultation\s+with|[Vv]isit|[Cc]ontact)\s*,?\s+(?P<n>{_NAME_SEQ})"
)
NAME_SEQ = regex_store.compile(_NAME_SEQ)
# Text every OWN_NAME match holds, one for each branch: "At", a kind of business, or the verb before the name.
OWN_NAME_WORDS = ("At", "clinic", "practice", "company", "brand", "center", "centre", "provider", "pharmacy", "studio",
                  "spa", "service", "group", "network", "platform", "business", "organi", "ounde", "consultation",
                  "isit", "ontact")
OWNER_BLOCK = regex_store.compile(r"©|\(c\)\s*\d{4}|\bcopyright\b|\ball rights reserved\b", regex.IGNORECASE)
OWNER_WORDS = ("©", "(c)", "copyright", "all rights reserved")  # one of them is in every OWNER_BLOCK match
OUR = regex_store.compile(r"\bour\b", regex.IGNORECASE)  # "on our [science page](…)", "[our team](…)"
EVIDENCE_WORDS = regex_store.compile(r"\b(?:study|studies|trial|paper|journal|review|research|report|data|source)\b",
                               regex.IGNORECASE)
FRONT_MATTER_NAMES = ("title", "author", "site", "publisher", "brand", "organization", "organisation",
                      "company", "name")


@dataclass
class LinkInfo:
    block: int
    start: int  # block-text offset of the link's visible text
    url: str
    host: str | None  # None when not a web URL elsewhere
    internal: bool  # a relative link or fragment on the same site


@dataclass
class Sources:
    """What one document offers as evidence; computed once and shared by every citation rule."""

    links: list[LinkInfo] = field(default_factory=list)
    block_links: dict[int, list[LinkInfo]] = field(default_factory=dict)  # each block's own links, in order
    footnote_labels: set[str] = field(default_factory=set)
    skip_blocks: set[int] = field(default_factory=set)  # reference lists and footnotes: never claims
    entries: int = 0  # reference entries and footnotes, for resolving numbered markers
    has_references: bool = False
    names: list[str] = field(default_factory=list)  # name keys the site goes by
    our_domains: set[str] = field(default_factory=set)  # linked as "our … page"
    text_evidence: bool | None = None  # a DOI, PMID or author-year citation anywhere; None: not looked for yet
    trailing: dict[int, list[LinkInfo]] = field(default_factory=dict)  # loose links after a block
    claims: dict[Any, list[Claim]] = field(default_factory=dict)
    sites: dict[Any, SelfSites] = field(default_factory=dict)
    # Answers every citation rule may ask again: text evidence by (block, start, end), and whether
    # a sentence has evidence in reach (see `CitationRule._supported`).
    text_evidence_at: dict[tuple[int, int, int], bool] = field(default_factory=dict)
    supported: dict[Any, bool] = field(default_factory=dict)
    reported: dict[Any, bool] = field(default_factory=dict)  # blocks that report one's own study

    def resolves(self, label: str) -> bool:
        """A footnote or numbered marker with a definition or reference entry to point at."""
        if label in self.footnote_labels:
            return True
        number = references.first_number(label)
        if number is None:
            return self.has_references
        return 0 < number <= self.entries

    def cites_anywhere(self, document: Document) -> bool:
        """A DOI, PMID or author-year citation anywhere in the document (only page-level rules ask)."""
        if self.text_evidence is None:
            self.text_evidence = any(references.cites(block.text) for block in document.blocks)
        return self.text_evidence

    def text_evidence_in(self, text: str, index: int, lo: int, hi: int) -> bool:
        """An identifier, an author-year citation or a resolving numbered marker in block `index`'s text[lo:hi]."""
        key = (index, lo, hi)
        found = self.text_evidence_at.get(key)
        if found is None:
            found = self.text_evidence_at[key] = references.cites(text, lo, hi) or any(
                self.resolves(str(n)) for _, _, n in references.text_markers(text, lo, hi))
        return found


@dataclass
class Claim:
    block: int
    start: int
    end: int
    message: str


@dataclass
class SelfSites:
    """The publisher's own domains for one run: registrable domain -> how we know."""

    domains: dict[str, str]
    known: dict[str, str | None] = field(default_factory=dict)

    def owns(self, host: str) -> str | None:
        if host not in self.known:
            self.known[host] = next((d for d in self.domains if references.domain_matches(host, d)), None)
        return self.known[host]


# The last document analysed and its Sources, replaced as one tuple so threads never mix them.
_last: tuple[weakref.ref[Document], Sources] | None = None
_registry: dict[str, dict[str, CitationRule]] = {}  # ruleset path -> short id -> rule, for claims_from


def sources_of(document: Document) -> Sources:
    """The document's Sources; every citation rule asks for them, so the last one is kept."""
    global _last
    last = _last
    if last is not None and last[0]() is document:
        return last[1]
    found = _analyse(document)
    _last = (weakref.ref(document), found)
    return found


def _analyse(document: Document) -> Sources:
    sources = Sources()
    blocks = document.blocks
    # Words some patterns below need, looked up once in the whole text (most pages have no copyright line).
    joined = "\n".join(block.text for block in blocks)
    owner_lines = _may_hold(joined, OWNER_WORDS)
    name_words = [word for word in OWN_NAME_WORDS if word in joined]
    for index, block in enumerate(blocks):
        if block.links:
            sources.block_links[index] = own = []
        for link in block.links:
            info = LinkInfo(index, link.start, link.url, references.url_host(link.url),
                            references.is_internal(link.url))
            sources.links.append(info)
            own.append(info)
            context = block.text[max(0, link.start - 12):link.start] + " " + link.text
            if info.host and OUR.search(context) and not EVIDENCE_WORDS.search(link.text):
                sources.our_domains.add(references.registrable_domain(info.host))
        if block.kind == "footnote":
            sources.footnote_labels.add(block.label)
            sources.skip_blocks.add(index)
            sources.entries += 1
        elif block.kind in ("list_item", "paragraph") and references.is_reference_entry(block.text):
            sources.skip_blocks.add(index)
            sources.entries += 1
        if owner_lines and OWNER_BLOCK.search(block.text):
            sources.names.extend(references.name_key(m.group()) for m in NAME_SEQ.finditer(block.text))
        if any(map(block.text.__contains__, name_words)):  # (OWN_NAME can match)
            for found in OWN_NAME.finditer(block.text):
                sources.names.append(references.name_key(found.group("n")))
    _add_loose_links(document, sources)
    _reference_sections(document, sources)
    sources.has_references = sources.entries > 0
    for key in FRONT_MATTER_NAMES:
        value = document.front_matter_data.get(key)
        if isinstance(value, str):
            sources.names.append(references.name_key(value))
    sources.names = [name for name in sources.names if len(name) >= 5]
    return sources


def _may_hold(text: str, words: tuple[str, ...]) -> bool:
    """Whether a pattern matched ignoring case whose every match holds one of `words` (lower case) can
    match in `text`: False only when none of them occurs in the lower-cased text."""
    if not text.isascii() and any(char in text for char in FOLD_EXCEPTIONS):
        return True  # the engine folds these to ASCII letters; `lower` does not
    lowered = text.lower()
    return any(word in lowered for word in words)


def _add_loose_links(document: Document, sources: Sources) -> None:
    """Links no block holds (a URL on a line of its own) stand at the end of the block before them."""
    loose = getattr(document, "loose_links", None) or []
    if not loose or not document.blocks:
        return
    ends = [block.src_end for block in document.blocks]
    for link in loose:
        index = max(bisect_right(ends, link.src_start) - 1, 0)
        sources.links.append(LinkInfo(index, len(document.blocks[index].text), link.url,
                                      references.url_host(link.url), references.is_internal(link.url)))
        sources.trailing.setdefault(index, []).append(sources.links[-1])


def _reference_sections(document: Document, sources: Sources) -> None:
    """Blocks under a "References" / "Sources" heading are entries, not claims.

    An entry that is only a URL has no block; such links inside the section count too.
    """
    blocks = document.blocks
    loose = sorted(link.src_start for link in getattr(document, "loose_links", None) or [])
    index = 0
    while index < len(blocks):
        block = blocks[index]
        if block.kind in ("paragraph", "list_item") and references.SOURCES_LINE.match(block.text):
            sources.skip_blocks.add(index)  # "Sources: CDC 2023; Smith et al. 2021"
            sources.entries += 1
        short = len(block.text) <= 40
        if not (short and block.kind in ("heading", "paragraph") and references.REFERENCE_HEADING.match(block.text)):
            index += 1
            continue
        level = block.level if block.kind == "heading" else 0
        section_start = block.src_end
        index += 1
        counted = 0
        while index < len(blocks):
            entry = blocks[index]
            if not _entry_like(entry):
                ends = entry.kind == "heading" and (level == 0 or entry.level <= level)
                if ends or counted:
                    break  # the next section, or a footer after the list
            elif index not in sources.skip_blocks:
                sources.skip_blocks.add(index)
                sources.entries += 1
                counted += 1
            index += 1
        section_end = blocks[index].src_start if index < len(blocks) else len(document.source)
        sources.entries += bisect_right(loose, section_end) - bisect_right(loose, section_start)


def _entry_like(block: Block) -> bool:
    """An entry of a reference section: a footnote, a list item, an entry-shaped or dated line."""
    if block.kind == "footnote" or references.is_reference_entry(block.text):
        return True
    if block.kind not in ("list_item", "paragraph") or len(block.text) > references.ENTRY_MAX // 2:
        return False
    if block.kind == "list_item":
        return True
    return references.YEAR.search(block.text) is not None and not OWNER_BLOCK.search(block.text)


def self_sites(sources: Sources, options: dict[str, Any], source_domains: frozenset[str],
               elsewhere: frozenset[str] = frozenset()) -> SelfSites:
    """The publisher's own domains: configured, or inferred where config is silent (cached per document)."""
    key = (repr(options.get("self_domains")), source_domains, elsewhere)
    if key not in sources.sites:
        sources.sites[key] = _self_sites(sources, options, source_domains, elsewhere)
    return sources.sites[key]


def _self_sites(sources: Sources, options: dict[str, Any], source_domains: frozenset[str],
                elsewhere: frozenset[str]) -> SelfSites:
    configured = options.get("self_domains")
    if configured is not None:
        items = [configured] if isinstance(configured, str) else configured if isinstance(configured, list) else []
        return SelfSites({references.normalise_domain(d): "set in options.self_domains"
                          for d in items if isinstance(d, str) and d.strip()})
    counts: Counter[str] = Counter()
    independent = source_domains | elsewhere
    for link in sources.links:
        if link.host and not references.is_public_source(link.host, independent):
            counts[references.registrable_domain(link.host)] += 1
    inferred: dict[str, str] = {}
    if counts:
        domain, count = counts.most_common(1)[0]
        if count >= 2 and count * 2 > sum(counts.values()):
            inferred[domain] = "inferred: most links on this page go there"
    for domain in counts:
        if domain not in inferred and _carries_name(domain, sources.names):
            inferred[domain] = "inferred: the domain carries the site's own name"
    for domain in sources.our_domains:
        if domain in counts:
            inferred.setdefault(domain, "inferred: the page links to it as its own")
    return SelfSites(inferred)


def _carries_name(domain: str, names: list[str]) -> bool:
    label = references.name_key(domain.split(".")[0])
    if len(label) < 5:
        return False
    # "Bright Path Ketamine Center" owns brightpath-ketamine.example; "Rejuvenate" owns rejuvenatehealth.com.
    return any(name.startswith(label) or (len(name) >= 6 and label.startswith(name)) for name in names)


class CitationRule(Rule):
    kind = "citation"

    def configure(self, spec: SpecReader) -> None:
        flags = 0 if spec.flag("case", False) else int(regex.IGNORECASE)
        terms = dict(self.terms)
        patterns = spec.texts("patterns")
        if spec.texts("terms"):
            terms["rule_terms"] = spec.texts("terms")
            patterns = [r"(?<![\w-]){{rule_terms}}(?!\w)", *patterns]
        self._terms = terms
        self.trigger = compile_terms_pattern(spec, "patterns", patterns, terms, flags) if patterns else None
        self.trigger_scan = StartScan(self.trigger) if self.trigger is not None else None
        extend = spec.texts("extend_before")
        ends = [f"\\b(?:{p})$" for p in extend]
        self.extend_before = compile_terms_pattern(spec, "extend_before", ends, terms, flags) if extend else None
        self.anchor_words = tuple(word.lower() for word in spec.texts("anchors"))
        self.anchor_patterns = [spec.compile("anchor_patterns", p) for p in spec.texts("anchor_patterns")]
        self.anchored = bool(self.anchor_words or self.anchor_patterns)
        self._anchor_searches = _searches(self.anchor_patterns)
        self._anchor_starts = _literal_starts(self.anchor_patterns)  # a quick test before the patterns
        self.window = spec.text("window", "sentence", choices=WINDOWS)
        self.skip_numbers = spec.flag("skip_numbers", False)
        self.defusal = read_defusal(spec, terms, flags, DEFUSERS)
        self.continues = self._compile_each(spec, "continues", int(regex.IGNORECASE))
        self.method_report = self._compile_each(spec, "method_report", int(regex.IGNORECASE))
        self.elaborated_by = self._compile_each(spec, "elaborated_by", int(regex.IGNORECASE))
        self.weak_source = self._compile_each(spec, "weak_source", flags)
        self.source_domains = frozenset(references.normalise_domain(d) for d in spec.texts("source_domains"))
        self.elsewhere = frozenset(references.normalise_domain(d) for d in spec.texts("not_evidence_domains"))
        self._elsewhere_known: dict[str, bool] = {}
        self.flagged = self.trigger is not None and "flag" in self.trigger.groupindex
        # The engines' own searches, called with the wrappers' timeout: fewer calls per sentence.
        self._continues, self._method_reports, self._elaborations, self._weak_sources = (
            _searches(self.continues), _searches(self.method_report), _searches(self.elaborated_by),
            _searches(self.weak_source))
        # Each method_report search with its StartScan: a block whose words cannot start a match is not searched.
        self._method_checks = list(zip(map(StartScan, self.method_report), self._method_reports, strict=True))
        # What decides whether evidence is in reach; compiled patterns are shared through regex_store.
        self._method_key = _pattern_ids(self.method_report)
        self._evidence_key = (self.window, self.elsewhere, _pattern_ids(self.continues), self._method_key,
                              _pattern_ids(self.elaborated_by))
        self.self_link_message: str = spec.text("self_link_message", self.message)
        self.weak_source_message: str = spec.text("weak_source_message", self.message)
        self.unresolved_message: str = spec.text("unresolved_message", self.message)
        self.report = spec.text("report", "claim", choices=("claim", "document"))
        self.requires = self._compile_each(spec, "requires", int(regex.IGNORECASE))
        self.min_claims = spec.integer("min_claims", 1, minimum=1)
        self.claims_from = self._siblings(spec)
        if self.report == "claim" and self.trigger is None:
            raise spec.fail(None, "a citation rule needs 'terms' or 'patterns' (or report: document)")
        if self.report == "document" and not self.claims_from:
            raise spec.fail("claims_from", "a document citation rule needs 'claims_from'")
        _registry.setdefault(self.path, {})[self.id.split("/", 1)[1]] = self

    def _compile_each(self, spec: SpecReader, key: str, flags: int) -> list[regex.Pattern[str]]:
        return [compile_terms_pattern(spec, key, [p], self._terms, flags) for p in spec.texts(key)]

    def _siblings(self, spec: SpecReader) -> list[CitationRule]:
        earlier = _registry.get(self.path, {})
        out: list[CitationRule] = []
        for name in spec.texts("claims_from"):
            rule = earlier.get(name)
            if rule is None or rule.report != "claim":
                raise spec.fail("claims_from", f"'{name}' is not a citation rule defined earlier in this ruleset")
            out.append(rule)
        return out

    # ------------------------------------------------------------------ checking

    def check(self, document: Document, context: LintContext) -> Iterator[Diagnostic]:
        if not document.blocks:
            return
        if self.report == "document":
            yield from self._check_document(document, context)
            return
        for claim in self.claims(document, context):
            yield self.diagnostic(document, document.blocks[claim.block], claim.start, claim.end,
                                  message=claim.message)

    def _check_document(self, document: Document, context: LintContext) -> Iterator[Diagnostic]:
        found = [claim for rule in self.claims_from for claim in rule.claims(document, context)]
        if len(found) < self.min_claims:
            return
        if self.requires and not any(r.search(b.text) for r in self.requires for b in document.blocks):
            return
        sources = sources_of(document)
        sites = self_sites(sources, context.options, self.source_domains, self.elsewhere)
        if self._page_has_sources(document, sources, sites):
            return
        first = min(found, key=lambda c: (c.block, c.start))
        block = document.blocks[first.block]
        shown = block.text[first.start:first.end]
        own = self._own_links_only(sources.links, sites)
        template = self.self_link_message if own else self.message
        message = self._fill(template, shown, own, "this page only links to your own site")
        message = message.replace("{count}", str(len(found)))
        yield self.diagnostic(document, block, first.start, first.end, message=message,
                              metrics={"claims": float(len(found))})

    def _page_has_sources(self, document: Document, sources: Sources, sites: SelfSites) -> bool:
        if sources.has_references or sources.cites_anywhere(document):
            return True
        return any(self._is_evidence_link(link, sources, sites) for link in sources.links)

    def claims(self, document: Document, context: LintContext) -> list[Claim]:
        """Triggers with no evidence in reach, at most one per sentence; cached per document."""
        sources = sources_of(document)
        sites = self_sites(sources, context.options, self.source_domains, self.elsewhere)
        key = (self.id, tuple(sorted(sites.domains)))
        if key not in sources.claims:
            sources.claims[key] = list(self._find_claims(document, sources, sites))
        return sources.claims[key]

    def _find_claims(self, document: Document, sources: Sources, sites: SelfSites) -> Iterator[Claim]:
        assert self.trigger is not None
        page_own = self._own_links_only(sources.links, sites)
        assert self.trigger_scan is not None
        # Where triggers may start, in whole blocks or (anchored rules) in sentences; None: anywhere.
        starts = ((None, self.trigger_scan.blocks(document, bounded=True)) if self.anchored
                  else (self.trigger_scan.blocks(document), None))
        known = starts[1] if self.anchored else starts[0]
        blocks = document.blocks
        for index in range(len(blocks)) if known is None else sorted(known):
            block = blocks[index]
            if index in sources.skip_blocks or not block.text:
                continue  # (no trigger can start in a block `known` leaves out)
            text = block.text
            # Term lists match words separated by a space or hyphen; a wrapped line must match too.
            scan = text.replace("\n", " ").replace("\r", " ") if "\n" in text or "\r" in text else text
            sentences: list[Sentence] = document.block_sentences[index] or [Sentence(index, 0, len(text), text)]
            done: set[int] = set()
            for found in self._triggers(scan, sentences, *(None if s is None else s.get(index, []) for s in starts)):
                start, end = found.span("flag") if self.flagged and found.group("flag") else found.span()
                if start == end:
                    continue
                number = document.sentence_at(index, start)
                if number in done:
                    continue
                # Evidence in reach covers every trigger of the sentence: nothing else need be asked.
                if self._supported(document, sources, sites, index, number):
                    done.add(number)
                    continue
                if self.skip_numbers and numbers.all_non_statistic(scan, start, end):
                    continue
                sentence = sentences[number]
                lo, hi = min(sentence.start, start), max(sentence.end, end)
                if self.defusal.defuses(scan, start, end, lo, hi, in_quote=block.quoted):
                    continue
                done.add(number)
                start = self._extend(scan, start, sentence.start)
                message = self._message(sources, sites, page_own, block, index, sentence, text[start:end])
                yield Claim(index, start, end, message)

    def _triggers(self, scan: str, sentences: list[Sentence], starts: Sequence[int] | None,
                  bounded_starts: Sequence[int] | None) -> Iterator[regex.Match[str]]:
        """Trigger matches, searched only in the sentences that hold an anchor (a fast pre-check).

        `starts` and `bounded_starts`: where triggers may start in the block (StartScan.blocks).
        """
        assert self.trigger_scan is not None
        if not self.anchored:
            yield from self.trigger_scan.finditer(scan, starts, REGEX_TIMEOUT)
            return
        lowered = scan.lower()
        if len(lowered) != len(scan):
            yield from self.trigger_scan.finditer(scan, starts, REGEX_TIMEOUT)
            return
        whole = len(lowered)
        # What an anchor pattern match starts with (None: anything; the lower-cased text keeps
        # these FOLD_EXCEPTIONS, which the engine may take for ASCII letters).
        heads = None if "\u017f" in lowered or "\u0131" in lowered else self._anchor_starts
        if len(sentences) == 1 and sentences[0].start == 0 and sentences[0].end == whole:
            words = self.anchor_words  # one sentence, the whole block: one test
        else:
            # A sentence can only hold the anchor words and heads its block holds: it tests those alone.
            words = tuple(filter(lowered.__contains__, self.anchor_words))
            heads = heads if heads is None else tuple(filter(lowered.__contains__, heads))
        if not (any(map(lowered.__contains__, words)) or self._anchor_pattern_in(lowered, heads)):
            return
        lo = hi = -1
        for sentence in [*sentences, None]:
            if sentence is not None and not (sentence.start == 0 and sentence.end == whole):  # (the block: it has one)
                piece = lowered[sentence.start:sentence.end]
                for word in words:  # (a loop: most sentences hold the first word they are asked about)
                    if word in piece:
                        break
                else:
                    if heads == () or not self._anchor_pattern_in(piece, heads):
                        continue
            if sentence is not None and lo >= 0 and sentence.start <= hi + 1:
                hi = max(hi, sentence.end)  # neighbours: search them as one stretch
                continue
            if lo >= 0 and _may_start(bounded_starts, lo, hi):
                yield from self.trigger_scan.finditer(scan, bounded_starts, REGEX_TIMEOUT, lo, hi)
            if sentence is not None:
                lo, hi = sentence.start, sentence.end

    def _anchor_pattern_in(self, lowered: str, heads: tuple[str, ...] | None) -> bool:
        """Whether one of `anchor_patterns` matches (`anchors`, plain words, are tested with `in`);
        `heads`: text one of which every match starts with (None: unknown)."""
        if heads is not None and not any(map(lowered.__contains__, heads)):
            return False
        return _any_search(self._anchor_searches, lowered)

    def _extend(self, scan: str, start: int, floor: int) -> int:
        """Move the start back over words that belong to the claim ("as many as" two-thirds)."""
        if self.extend_before is None:
            return start
        for _ in range(4):
            found = self.extend_before.search(scan, max(floor, start - 40), start)
            if found is None or found.start() >= start:
                break
            start = found.start()
        return start

    # ------------------------------------------------------------------ evidence

    def _supported(self, document: Document, sources: Sources, sites: SelfSites, index: int, number: int) -> bool:
        """Evidence in reach of sentence `number` of block `index`.

        Rules that read evidence alike (the same patterns, window and domains) share the answer.
        """
        key = (self._evidence_key, id(sites), index, number)
        found = sources.supported.get(key)
        if found is None:
            found = sources.supported[key] = any(self._evidence_in(document, sources, sites, b, lo, hi)
                                            for b, lo, hi in self._reach(document, index, number))
        return found

    def _reach(self, document: Document, index: int, number: int) -> Iterator[tuple[int, int, int]]:
        """(block, start, end) ranges where evidence for sentence `number` of block `index` may stand."""
        blocks = document.blocks
        block = blocks[index]
        sentences = document.block_sentences[index] or [Sentence(index, 0, len(block.text), block.text)]
        sentence = sentences[number]
        if self.window == "paragraph":
            yield index, 0, len(block.text)
        else:
            yield index, sentence.start, sentence.end
            follower = sentences[number + 1] if number + 1 < len(sentences) else None
            if follower is not None and (self.window == "next-sentence" or SOURCE_LINE.match(follower.text)
                                         or _any_search(self._elaborations, follower.text)):
                yield index, follower.start, follower.end
        if self._reports_method(document, index):
            yield index, 0, len(block.text)
        if _any_search(self._continues, sentence.text):
            if number > 0:
                yield index, 0, sentence.start
            elif index > 0 and blocks[index - 1].kind == block.kind:
                yield index - 1, 0, len(blocks[index - 1].text)
        following = blocks[index + 1] if index + 1 < len(blocks) else None
        last = number == len(sentences) - 1
        if following is not None and (block.kind == "heading" or (last and SOURCE_LINE.match(following.text))):
            yield index + 1, 0, len(following.text)

    def _reports_method(self, document: Document, index: int) -> bool:
        """Block `index` reports one's own study (`method_report`); asked for each of its sentences."""
        if not self.method_report:
            return False
        reported = sources_of(document).reported  # (the Sources `_supported` was given)
        key = (self._method_key, index)
        found = reported.get(key)
        if found is None:
            text = document.blocks[index].text
            found = reported[key] = any(search(text, timeout=REGEX_TIMEOUT) is not None
                                        for scan, search in self._method_checks
                                        if _may_match_in_block(scan, document, index))
        return found

    def _evidence_in(self, document: Document, sources: Sources, sites: SelfSites, index: int,
                     lo: int, hi: int) -> bool:
        if index in sources.skip_blocks:
            return True  # a "Sources: …" line or a reference entry right after the claim
        block = document.blocks[index]
        for link in sources.block_links.get(index, ()):
            if lo <= link.start <= hi and self._is_evidence_link(link, sources, sites):
                return True
        if hi >= len(block.text) and any(self._is_evidence_link(link, sources, sites)
                                         for link in sources.trailing.get(index, ())):
            return True
        if any(lo <= marker.start <= hi and sources.resolves(marker.label) for marker in block.markers):
            return True
        return sources.text_evidence_in(block.text, index, lo, hi)

    def _is_evidence_link(self, link: LinkInfo, sources: Sources, sites: SelfSites) -> bool:
        if link.internal:
            # A fragment link next to a claim is usually a footnote reference ("#ref3").
            return link.url.strip().startswith("#") and sources.has_references
        if link.host is None or self._elsewhere(link.host):
            return False
        return sites.owns(link.host) is None

    def _elsewhere(self, host: str) -> bool:
        known = self._elsewhere_known
        if host not in known:
            if len(known) > 10_000:
                known.clear()
            known[host] = references.matches_any(host, self.elsewhere)
        return known[host]

    # ------------------------------------------------------------------ messages

    def _message(self, sources: Sources, sites: SelfSites, page_own: tuple[str, str] | None, block: Block,
                 index: int, sentence: Sentence, shown: str) -> str:
        marker = _unresolved_marker(sources, block, sentence)
        if marker:
            return self._fill(self.unresolved_message, shown, None, "").replace("{marker}", marker)
        # The block's own links, then loose links standing after it: the order of `sources.links`.
        block_links = sources.block_links.get(index, []) + sources.trailing.get(index, [])
        own = self._own_links_only(block_links, sites)
        if own:
            return self._fill(self.self_link_message, shown, own, "this paragraph only links to your own site")
        if page_own:
            return self._fill(self.self_link_message, shown, page_own, "this page only links to your own site")
        if _any_search(self._weak_sources, sentence.text):
            return self._fill(self.weak_source_message, shown, None, "")
        return self._fill(self.message, shown, None, "")

    def _own_links_only(self, links: list[LinkInfo], sites: SelfSites) -> tuple[str, str] | None:
        """(domain, how) when there are links and every one goes to the publisher's own site."""
        if not links:
            return None
        first: tuple[str, str] | None = None
        relative: tuple[str, str] | None = None
        for link in links:
            if link.internal:
                relative = ("your own pages", "relative links")
                continue
            if link.host is None or self._elsewhere(link.host):
                continue
            domain = sites.owns(link.host)
            if domain is None:
                return None
            first = first or (domain, sites.domains[domain])
        return first or relative

    def _fill(self, template: str, shown: str, own: tuple[str, str] | None, where: str) -> str:
        text = self.render(template, shown) or ""
        domain, how = own if own else ("", "")
        return text.replace("{domain}", domain).replace("{how}", how).replace("{where}", where)


def _pattern_ids(patterns: list[regex.Pattern[str]]) -> tuple[int, ...]:
    """Who the compiled patterns are: regex_store gives equal patterns one object, so rules can share answers."""
    return tuple(id(getattr(pattern, "compiled", pattern)) for pattern in patterns)


def _searches(patterns: list[regex.Pattern[str]]) -> tuple[Callable[..., regex.Match[str] | None], ...]:
    """The `search` of each pattern's engine, to be called with `timeout=REGEX_TIMEOUT` as BoundedPattern does."""
    return tuple(getattr(pattern, "compiled", pattern).search for pattern in patterns)


def _may_start(starts: Sequence[int] | None, lo: int, hi: int) -> bool:
    """Whether a trigger may start in [lo, hi): `starts` (sorted; None: anywhere) has a position there."""
    if starts is None:
        return True
    at = bisect_left(starts, lo)
    return at < len(starts) and starts[at] < hi


def _literal_starts(patterns: list[regex.Pattern[str]]) -> tuple[str, ...] | None:
    """Text every match of one of the patterns starts with (as `leading_literals` finds it), or None."""
    found: set[str] = set()
    for pattern in patterns:
        literals = StartScan(pattern).literals
        if literals is None:
            return None
        found.update(literal.strip(WORD_START) for literal in literals)
    return tuple(sorted(found))


def _may_match_in_block(scan: StartScan, document: Document, index: int) -> bool:
    """Whether the pattern may match in block `index`'s text: its leading literals occur there (the page's
    word index answers for every block at once)."""
    starts = scan.blocks(document)
    return starts is None or index in starts


def _any_search(searches: tuple[Callable[..., regex.Match[str] | None], ...], text: str) -> bool:
    return any(search(text, timeout=REGEX_TIMEOUT) is not None for search in searches)


def _unresolved_marker(sources: Sources, block: Block, sentence: Sentence) -> str | None:
    """A footnote marker in the sentence that points at no reference ("[4]" with three references)."""
    for marker in block.markers:
        if sentence.start <= marker.start <= sentence.end and not sources.resolves(marker.label):
            return marker.label
    if block.text.find("[", sentence.start, sentence.end) < 0:
        return None  # (only bracketed markers count here)
    for start, _, number in references.text_markers(block.text, sentence.start, sentence.end):
        if block.text[start] == "[" and not sources.resolves(str(number)):
            return str(number)
    return None


"""What a reference looks like in prose: DOIs, PMIDs, author-year citations, numbered markers.

The JAMA benchmarks (Silberg et al., JAMA 1997) ask that claims carry an attribution a
reader can follow. This module recognises the forms one takes in health copy:

* identifiers: a DOI ("10.1176/ajp.2006.163.11.1905", "doi:…"), a PMID or PMCID;
* author-year citations: "(Smith et al., 2021)", "Cuijpers et al., 2020", "(Smith & Lee 2019;
  Park 2020)", and a named source with its year: "according to the CDC (2023)";
* a Vancouver-style journal citation: "2021;397:1234";
* numbered markers in the text — "[1]", "[1, 2]", "(4)", "¹", or a scraped "respond.12" —
  which count only when the document has a reference list or footnote for them;
* reference-list headings ("References", "Sources", "Footnotes") and entries.

Naming only a year, an institution or a journal ("a 2021 study from a university in
Ohio", "a study published in JAMA") is not a reference: nothing here matches it.
Link helpers decide what a URL points at (a web page elsewhere, the same site, an e-mail).
"""

from __future__ import annotations

from urllib.parse import urlsplit

import regex

from healthlint import regex_store


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_YEAR = r"(?:19|20)\d{2}[a-z]?"
_NAME = r"(?:(?:van|von|de|der|den|du|le|la|di|da|del)\s+)?(?:Mc|O['’])?\p{Lu}[\p{L}'’-]*\.?"

DOI = regex_store.compile(r"\b(?:doi:\s*)?10\.\d{4,9}/[^\s\"<>]+", regex.IGNORECASE)
PMID = regex_store.compile(r"\bPMID\s*:?\s*\d{5,9}\b|\bPMCID\s*:?\s*PMC\d{4,9}\b|\bPMC\d{5,9}\b", regex.IGNORECASE)
VANCOUVER = regex_store.compile(r"\b(?:19|20)\d{2}\s*;\s*\d+\s*(?:\(\d+\))?\s*:\s*[eE]?\d+")

_CITATION_DIGITS = regex_store.compile(r"\d{4}|10\.\d|\d{5}")
_CITATION_YEAR = regex_store.compile(r"(?:19|20)\d{2}")  # the year every author-year and Vancouver form holds
_PUBMED = regex_store.compile(r"pm(?:id|c)", regex.IGNORECASE)  # what every PMID and PMCID holds
# Author-year forms; the group `name` is checked against NOT_A_NAME afterwards.
AUTHOR_YEAR = regex_store.compile(
    # (Smith et al., 2021) · (CDC, 2023) · (Smith & Lee 2019; Park 2020) · (see Park 2020)
    rf"\(\s*(?:see\s+(?:also\s+)?|e\.g\.,?\s+|cf\.?\s+)?(?P<name>{_NAME}(?:[\s,]+(?:et\s+al\.?|and|&|{_NAME}))*)"
    rf"\s*,?\s+{_YEAR}(?:\s*[;,][^()]{{0,200}})?\)"
    # Cuijpers et al., 2020 · Cuijpers et al. (2020)
    rf"|(?P<name>{_NAME})\s+et\s+al\.?,?\s*\(?{_YEAR}"
    # Smith and Lee (2019) · Smith & Lee, 2019
    rf"|(?P<name>{_NAME})\s+(?:and|&)\s+{_NAME},?\s*\(?{_YEAR}\)?(?!\s*(?:study|trial|survey|review|report))"
    # the CDC (2023) · Smith (2021)
    rf"|(?P<name>{_NAME}(?:\s+(?:of\s+|for\s+|and\s+|&\s+)?{_NAME}){{0,5}})\s*\({_YEAR}\)",
)
# What every AUTHOR_YEAR match holds, one branch for each of its own (the text up to its year, in
# brackets or after "et al", "and" or a name): a search several times quicker that rules most text out.
_AUTHOR_YEAR_NEEDS = regex_store.compile(
    r"\([^()]*\s(?:19|20)\d{2}[^()]*\)"
    r"|et\s+al\.?,?\s*\(?(?:19|20)\d{2}"
    rf"|(?:and|&)\s+{_NAME},?\s*\(?(?:19|20)\d{{2}}"
    r"|\((?:19|20)\d{2}[a-z]?\)"
)
# Words that start an author-year look-alike but name no source: dates, generic nouns, journals.
NOT_A_NAME = _words("""
    january february march april may june july august september october november december jan feb mar apr jun
    jul aug sep sept oct nov dec monday tuesday wednesday thursday friday saturday sunday spring summer fall
    autumn winter updated published reviewed revised accessed retrieved posted est established since founded
    copyright edition issue vol volume in on at by the a an from until as of for and study studies trial trials
    review survey report research data analysis paper journal lancet jama nejm bmj nature science cell plos
    pediatrics circulation neurology q1 q2 q3 q4 fy
""")

# Numbered markers written in the text; group `n` is the first number.
TEXT_MARKER = regex_store.compile(
    r"\[\s*(?P<n>\d{1,3})(?:\s*[,–-]\s*\d{1,3})*\s*\]"
    r"|\(\s*(?P<n>\d{1,3})(?:\s*[,–-]\s*\d{1,3})*\s*\)"
    r"|(?P<sup>[¹²³⁴⁵⁶⁷⁸⁹⁰]+)"
    # A superscript that lost its markup when the page was scraped: "adequately.12 You're".
    r"|(?<=\p{Ll}[.,;])(?P<n>\d{1,3})(?:[,–-]\d{1,3})*(?=\s|$)"
)
_SUPERSCRIPT = str.maketrans("¹²³⁴⁵⁶⁷⁸⁹⁰", "1234567890")

REFERENCE_HEADING = regex_store.compile(
    r"^\s*(?:\d+[.)]?\s*)?(?:references?|sources?(?:\s+cited)?|citations?|bibliography|works\s+cited"
    r"|literature(?:\s+cited)?|footnotes?|endnotes?|notes|studies\s+cited|research\s+cited|cited\s+research"
    r"|scientific\s+(?:references|sources)|clinical\s+references|key\s+studies|further\s+reading)"
    r"\s*:?\s*$",
    regex.IGNORECASE,
)
# A paragraph that lists sources inline: "Sources: CDC (2023); Smith et al., 2021".
SOURCES_LINE = regex_store.compile(r"^\W*(?:sources?|references?|citations?|bibliography)\s*:\s*\S", regex.IGNORECASE)
# A bibliographic entry starts with its authors ("Rush AJ, Trivedi MH", "Smith, J.", "[3] Lee K")
# and holds a year; copy that merely cites someone in passing does not start that way.
YEAR = regex_store.compile(r"\b(?:19|20)\d{2}\b")
_ENTRY_START = regex_store.compile(
    r"^\s*(?:\[?\d{1,3}[.)\]]\s*)?(?!(?i:vitamins?|hepatitis|type|group|grade|stage|class|phase|omega|our|the|this)\b)"
    r"(?:(?:van|von|de|der|den|du|le|la|di|da|del)\s+)?\p{Lu}[\p{L}'’-]+"
    r"(?:\s+\p{Lu}{1,3}(?:,|\.|\s+et\s+al\b|\s+(?:and|&)\s)|,\s+\p{Lu}\.|\s+et\s+al\b)",
)
ENTRY_MAX = 600  # a reference entry is a line or two, not a paragraph of copy


def is_reference_entry(text: str) -> bool:
    """A block that reads like one entry of a reference list."""
    return len(text) <= ENTRY_MAX and bool(_ENTRY_START.match(text)) and bool(YEAR.search(text))


# Registrable domains that sit one level below a country code ("nhs.uk", "example.co.uk").
_SECOND_LEVEL = _words("""
    co.uk org.uk ac.uk gov.uk nhs.uk ltd.uk me.uk com.au net.au org.au edu.au gov.au co.nz org.nz govt.nz
    co.za org.za com.br gov.br co.jp ac.jp co.in gov.in ac.in com.sg gov.sg com.mx gob.mx co.kr ac.kr
    com.cn gov.cn com.hk com.tw org.il co.il ac.il
""")
# Public research and government hosts are never a publisher's own site.
_PUBLIC_SUFFIXES = (".gov", ".edu", ".mil", ".int", ".nhs.uk", ".nih.gov")
_PUBLIC_LABELS = frozenset({"gov", "edu", "ac", "govt", "gob", "mil"})


def is_name(name: str) -> bool:
    """Whether an author-year match's name part can name a source."""
    first = name.split()[0].strip(".,'’").lower() if name.split() else ""
    return bool(first) and first not in NOT_A_NAME and any(ch.isalpha() for ch in first)


def cited_sources(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Spans of identifiers and author-year citations in text[start:end]."""
    end = len(text) if end is None else end
    if not _CITATION_DIGITS.search(text, start, end):
        return []  # every form holds a year, a DOI prefix or a PMID
    out: list[tuple[int, int]] = []
    # Each form holds a literal the window must have ("10." in a DOI, "PMC"/"PMID", a year in the
    # others): patterns whose literal is missing need not run.
    dated = _CITATION_YEAR.search(text, start, end) is not None
    if text.find("10.", start, end) >= 0:
        out.extend(m.span() for m in DOI.finditer(text, start, end))
    if _PUBMED.search(text, start, end) is not None:
        out.extend(m.span() for m in PMID.finditer(text, start, end))
    if dated:
        out.extend(m.span() for m in VANCOUVER.finditer(text, start, end))
    for found in AUTHOR_YEAR.finditer(text, start, end) if dated and _may_cite_author(text, start, end) else ():
        if is_name(found.group("name") or ""):
            out.append(found.span())
    return sorted(out)


def cites(text: str, start: int = 0, end: int | None = None) -> bool:
    """Whether text[start:end] holds an identifier or an author-year citation (`cited_sources` finds one)."""
    end = len(text) if end is None else end
    if not _CITATION_DIGITS.search(text, start, end):
        return False
    if text.find("10.", start, end) >= 0 and DOI.search(text, start, end) is not None:
        return True
    if _PUBMED.search(text, start, end) is not None and PMID.search(text, start, end) is not None:
        return True
    if _CITATION_YEAR.search(text, start, end) is None:
        return False
    if VANCOUVER.search(text, start, end) is not None:
        return True
    return _may_cite_author(text, start, end) and any(
        is_name(found.group("name") or "") for found in AUTHOR_YEAR.finditer(text, start, end))


def _may_cite_author(text: str, start: int, end: int) -> bool:
    return _AUTHOR_YEAR_NEEDS.search(text, start, end) is not None


def text_markers(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int, int]]:
    """(start, end, number) of numbered markers written in the text."""
    end = len(text) if end is None else end
    out: list[tuple[int, int, int]] = []
    for found in TEXT_MARKER.finditer(text, start, end):
        raw = found.group("sup")
        number = raw.translate(_SUPERSCRIPT) if raw else found.group("n")
        if number and number.isdigit():
            out.append((found.start(), found.end(), int(number)))
    return out


_FIRST_NUMBER = regex_store.compile(r"\s*(\d{1,4})")
_SCHEME = regex_store.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def first_number(label: str) -> int | None:
    digits = _FIRST_NUMBER.match(label.translate(_SUPERSCRIPT))
    return int(digits.group(1)) if digits else None


# --- links ----------------------------------------------------------------------------------


def url_host(url: str) -> str | None:
    """The lower-case host of a web URL (no "www.", no port), or None for anything else."""
    candidate = url.strip()
    if candidate.lower().startswith("www."):
        candidate = "http://" + candidate
    elif candidate.startswith("//"):
        candidate = "http:" + candidate
    try:
        parts = urlsplit(candidate)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    host = parts.hostname.lower().rstrip(".")
    return host[4:] if host.startswith("www.") else host


def is_internal(url: str) -> bool:
    """A relative link or a fragment: a page of the same site."""
    candidate = url.strip()
    if not candidate or candidate.startswith("//") or candidate.lower().startswith("www."):
        return False
    return _SCHEME.match(candidate) is None


def registrable_domain(host: str) -> str:
    """"blog.example.co.uk" -> "example.co.uk"; "www.cdc.gov" -> "cdc.gov"."""
    labels = host.lower().strip(".").split(".")
    if len(labels) >= 3 and ".".join(labels[-2:]) in _SECOND_LEVEL:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def normalise_domain(domain: str) -> str:
    """A configured domain or URL as a bare host ("https://www.Example.com/x" -> "example.com")."""
    text = domain.strip().lower()
    host = url_host(text if "://" in text else "http://" + text)
    return host or text


def domain_matches(host: str, domain: str) -> bool:
    return host == domain or host.endswith("." + domain)


def matches_any(host: str, domains: frozenset[str] | set[str]) -> bool:
    """Whether `domain_matches(host, d)` for some d in `domains`: one set look-up per label of the host."""
    if host in domains:
        return True
    at = host.find(".")
    while at >= 0:
        if host[at + 1:] in domains:
            return True
        at = host.find(".", at + 1)
    return False


def is_public_source(host: str, extra: frozenset[str] = frozenset()) -> bool:
    """Government, academic and international bodies, plus the configured source domains."""
    if host.endswith(_PUBLIC_SUFFIXES) or matches_any(host, extra):
        return True
    labels = host.split(".")
    return len(labels) >= 3 and labels[-2] in _PUBLIC_LABELS


def name_key(text: str) -> str:
    """Letters and digits only, lower-cased: how a site's name and its domain are compared."""
    return "".join(ch for ch in text.lower() if ch.isalnum())

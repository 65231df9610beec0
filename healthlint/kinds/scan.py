"""Fast scanning for rule kinds: try a pattern only where one of its matches can start.

Most rule patterns begin with a word from a list (`\\b(?:cures?|treats?|heals?)\\s+…`), and
the `regex` engine tries every alternative at every position of the text. `leading_literals`
reads a pattern's source and returns the literal text every match must begin with ("cure",
"treat", "heal"), and where a common first word is followed by a known second one, both ("the
best"); `TextIndex` finds those literals in the document once (among its words, split and
sorted once per document and shared by every rule); `StartScan.finditer` then calls
`pattern.match` only at those positions. The matches are exactly those of
`pattern.finditer(text)`: leftmost first, none overlapping, since no match can start anywhere
else. When the analysis cannot tell (a pattern that starts with `\\w+`, a back-reference, an
unusual flag) or the text has characters whose case folding is not what `str.lower` gives,
the pattern scans the whole text as before.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Mapping, Sequence
from functools import lru_cache
from itertools import accumulate, compress, islice
from operator import itemgetter, methodcaller
from time import monotonic
from typing import Any

import regex

from healthlint.document.model import Document

# Characters the `regex` engine matches to an ASCII letter ignoring case although `str.lower`
# does not lower them to it (dotted and dotless i, long s); U+0130 is also the one character
# whose lower case is two characters long. tests/test_scan.py checks this list.
FOLD_EXCEPTIONS = "\u0130\u0131\u017f"
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_DIGITS = frozenset("0123456789")
# A prefix longer than this gains nothing: the search is for where matches start, not what they are.
MAX_PREFIX = 12
# Flags under which case-insensitive matching is not simple case folding, spaces are not literal,
# or a word boundary is not where word characters (as `\w` sees them) begin or end.
_UNSUPPORTED_FLAGS = int(regex.FULLCASE | regex.VERBOSE | regex.V1 | regex.REVERSE | regex.WORD | regex.ASCII
                         | regex.LOCALE)
# Inline flags that change none of that: (?i), (?m), (?s)... Any other letter (x, f, r, V, w, a, L,
# or R for recursion) leaves the pattern unanalysed.
_SAFE_INLINE = frozenset("imsubep-")
# Escapes that consume exactly one character (or a grapheme, \X; a line break, \R) whatever it is.
_CONSUMING_ESCAPES = frozenset("dDwWsSpPNXxuUntrfvae0R")
# The body of a negative lookaround for word characters, (?<!\w) or (?![\w-]): a word starts or ends there.
_WORD_LOOKAROUND = re.compile(r"(?:\\w|\[(?!\^)(?:[^\]\[\\]|\\.)*?\\w(?:[^\]\[\\]|\\.)*\])\)")
# A class of non-word characters only: spaces, \W and ASCII punctuation ([\s-], [\s,.-]).
_NONWORD_CLASS = re.compile(r"\[(?!\^)(?:\\[sW]|\\[^\w\s]|[^\w\s\\\]\[^-]|-(?=\]))+\]", re.ASCII)
_ZERO_WIDTH_ESCAPES = frozenset("bBmM")


class _Unknown(Exception):
    """The analysis cannot vouch for this pattern."""


# Parsed nodes are tuples: ("lit", char) | ("any",) | ("digit",) | ("chars", frozenset) | ("zero",)
# | ("anchor",) | ("ahead", node) | ("alt", [seq, ...]) | ("seq", [node, ...]) | ("rep", node, least, most)
# | ("list", name); ("any", "nonword") consumes a non-word character; ("zero", "wordstart" | "wordend" |
# "boundary") marks where a word starts or ends.
Node = tuple[Any, ...]


def leading_literals(source: str, lists: Mapping[str, Sequence[str]] | None = None, flags: int = 0,
                     pairs: bool = False) -> frozenset[str] | None:
    """Lower-case strings one of which every match of `source` starts with, or None if unknown.

    `pairs`: where a match must begin with a word, a gap of non-word characters and another word,
    the literal says both words, as " the best" (see PAIR below).
    Sound by construction: anything the parser does not fully understand gives None.
    """
    if flags & _UNSUPPORTED_FLAGS:
        return None
    try:
        node, end = _parse_alt(source, 0)
        if end != len(source):
            return None  # an unbalanced ')'
        named = {name: tuple(items) for name, items in (lists or {}).items()}  # hashable: list analyses are cached
        prefixes, nullable = _first(node, named)
        if pairs and prefixes and not nullable:
            prefixes = _pair_first(node, _Analysis(named), False, False, 0) or prefixes
    except (_Unknown, IndexError, ValueError):
        return None
    if prefixes is None or nullable or not prefixes or "" in prefixes:
        return None
    return frozenset(prefixes)


# ------------------------------------------------------------------ parsing
def _parse_alt(src: str, i: int) -> tuple[Node, int]:
    branches: list[Node] = []
    items: list[Node] = []
    while i < len(src) and src[i] != ")":
        if src[i] == "|":
            branches.append(("seq", items))
            items = []
            i += 1
            continue
        atom, i = _parse_atom(src, i)
        atom, i = _quantified(atom, src, i)
        items.append(atom)
    branches.append(("seq", items))
    return ("alt", branches), i


def _parse_atom(src: str, i: int) -> tuple[Node, int]:
    char = src[i]
    if char == "(":
        return _parse_group(src, i)
    if char == "[":
        end = _skip_class(src, i)
        if _NONWORD_CLASS.fullmatch(src, i, end):
            return ("any", "nonword"), end
        chars = _small_class(src[i + 1:end - 1])
        return (("chars", chars) if chars else ("any",)), end
    if char == "\\":
        return _parse_escape(src, i)
    if char == ".":
        return ("any",), i + 1
    if char in "^$":
        return ("anchor",), i + 1
    if char in "*+?{":
        raise _Unknown  # a quantifier with nothing before it
    return ("lit", char), i + 1


def _parse_group(src: str, i: int) -> tuple[Node, int]:
    start = i
    i += 1
    kind = "group"
    if src.startswith("?", i):
        word = _WORD_LOOKAROUND.match(src, i + 3 if src.startswith("?<!", i) else i + 2)
        if src.startswith("?!", i) and word:
            return ("zero", "wordend"), word.end()  # no word character after: a word ends here
        if src.startswith("?<!", i) and word:
            return ("zero", "wordstart"), word.end()  # no word character before: a word starts here
        if src.startswith(("?=", "?!"), i):
            kind, i = ("ahead" if src[i + 1] == "=" else "zero"), i + 2
        elif src.startswith(("?<=", "?<!"), i):
            kind, i = "zero", i + 3
        elif src.startswith(("?P<", "?<"), i):
            i = src.index(">", i) + 1
        elif src.startswith(("?:", "?>", "?|"), i):
            i += 2
        elif src.startswith("?#", i):
            return ("zero",), src.index(")", i) + 1
        else:  # scoped or inline flags: (?i:  (?-i:  (?i)
            close = i + 1
            while src[close] not in ":)":
                if not (src[close].isalpha() or src[close] == "-"):
                    raise _Unknown  # conditionals, recursion, back-references by name
                close += 1
            if not _SAFE_INLINE.issuperset(src[i + 1:close]):
                raise _Unknown  # see _UNSUPPORTED_FLAGS
            if src[close] == ")":
                return ("zero",), close + 1
            i = close + 1
    behind = src.startswith("?<=", start + 1)
    node, i = _parse_alt(src, i)
    if src[i] != ")":
        raise _Unknown
    if behind and all(_ends_nonword(branch[1]) for branch in node[1]):
        return ("zero", "wordstart"), i + 1  # (?<=\b(?:one|two)\s+): a space before, so a word starts here
    if kind == "ahead":
        return ("ahead", node), i + 1
    if kind == "zero":
        return ("zero",), i + 1
    return node, i + 1


def _parse_escape(src: str, i: int) -> tuple[Node, int]:
    kind = src[i + 1]
    if kind == "L" and src.startswith("<", i + 2):
        close = src.index(">", i)
        return ("list", src[i + 3:close]), close + 1
    if kind in "pPN" and src.startswith("{", i + 2):
        return ("any",), src.index("}", i) + 1
    if kind in "pP":
        return ("any",), i + 3  # \pL: a one-letter property
    if kind == "d":
        return ("digit",), i + 2
    if kind == "x":
        return ("any",), i + 4 if not src.startswith("{", i + 2) else src.index("}", i) + 1
    if kind == "u":
        return ("any",), i + 6
    if kind == "U":
        return ("any",), i + 10
    if kind == "0":
        raise _Unknown  # octal escapes: rare, and of variable length
    if kind in "sW":
        return ("any", "nonword"), i + 2
    if kind in _CONSUMING_ESCAPES:
        return ("any",), i + 2
    if kind == "b":
        return ("zero", "boundary"), i + 2  # a word starts or ends here
    if kind == "m":
        return ("zero", "wordstart"), i + 2
    if kind in _ZERO_WIDTH_ESCAPES:
        return ("zero",), i + 2
    if kind in "AZzG":
        return ("anchor",), i + 2
    if kind.isalnum() or kind == "_":
        raise _Unknown  # \K, back-references, escapes this reader does not know
    return ("lit", kind), i + 2


def _skip_class(src: str, i: int) -> int:
    i += 1
    if src[i] == "^":
        i += 1
    if src[i] == "]":
        i += 1
    while src[i] != "]":
        if src[i] == "[":
            raise _Unknown  # POSIX classes and nested sets
        i += 2 if src[i] == "\\" else 1
    return i + 1


_CLASS_ITEM = re.compile(r"\\([^\w\s])|([!-\[\]-~])-([!-\[\]-~])|([!-\[\]-~])", re.ASCII)
MAX_CLASS_CHARS = 10


def _small_class(body: str) -> frozenset[str] | None:
    """The characters of a short class of printable ASCII ([1-5], [.,;]), lower-cased; None otherwise."""
    if body.startswith("^"):
        return None
    chars: set[str] = set()
    at = 0
    while at < len(body):
        item = _CLASS_ITEM.match(body, at)
        if item is None:
            return None
        escaped, low, high, single = item.groups()
        if low is not None:
            if ord(high) < ord(low):
                return None
            chars.update(chr(code) for code in range(ord(low), ord(high) + 1))
        else:
            chars.add(escaped or single)
        at = item.end()
        if len(chars) > MAX_CLASS_CHARS:
            return None
    return frozenset(char.lower() for char in chars) if chars else None


_QUANTIFIER = re.compile(r"\{(\d*)(?:(,)(\d*))?\}")


def _quantified(atom: Node, src: str, i: int) -> tuple[Node, int]:
    if i >= len(src) or src[i] not in "?*+{":
        return atom, i
    if atom[0] in ("zero", "ahead", "anchor"):
        raise _Unknown  # a quantified assertion: legal, pointless, and not worth reasoning about
    char = src[i]
    if char == "{":
        found = _QUANTIFIER.match(src, i)
        if found is None or not (found.group(1) or found.group(3)):
            raise _Unknown  # fuzzy constraints {e<=2}, literal braces
        least = int(found.group(1) or 0)
        most = least if not found.group(2) else int(found.group(3)) if found.group(3) else None
        i = found.end()
    else:
        least = 1 if char == "+" else 0
        most = 1 if char == "?" else None
        i += 1
    if i < len(src) and src[i] in "?+":  # lazy or possessive
        i += 1
    return ("rep", atom, least, most), i


def _ends_nonword(items: list[Node]) -> bool:
    """The last character these items match is a non-word character (a space, a hyphen)."""
    if not items:
        return False
    last = items[-1]
    if last[0] == "rep":
        return last[2] >= 1 and _ends_nonword([last[1]])
    if last[0] == "lit":
        return not _is_word(last[1])
    return last[0] == "any" and last[1:] == ("nonword",)


# ------------------------------------------------------------------ first literals
# A prefix written with a leading space stands at the start of a word (a word boundary comes right
# before it); one with a trailing space is a whole word (no word character may follow it).
# Prefixes never hold a space otherwise.
WORD_START = " "


def _first(node: Node, lists: dict[str, tuple[str, ...]], at_word: bool = False,
           then_nonword: bool = False) -> tuple[set[str] | None, bool]:
    """(prefixes every non-empty match starts with, or None; whether the node can match nothing).

    `at_word`: a word boundary stands right before the node; `then_nonword`: what follows the
    node must begin with a non-word character (or end the text).
    """
    kind = node[0]
    if kind == "alt":
        out: set[str] | None = set()
        nullable = False
        for branch in node[1]:
            prefixes, empty = _first(branch, lists, at_word, then_nonword)
            nullable = nullable or empty
            out = None if out is None or prefixes is None else out | prefixes
        return out, nullable
    if kind == "seq":
        return _first_of_sequence(node[1], lists, at_word, then_nonword)
    if kind == "rep":
        prefixes, empty = _first(node[1], lists, at_word, then_nonword and node[3] == 1)
        return prefixes, empty or node[2] == 0
    if kind == "lit":
        return _first_of_sequence([node], lists, at_word, then_nonword)
    if kind == "digit":
        return {_marked(d, at_word, False) for d in _DIGITS}, False
    if kind == "chars":
        return {_marked(c, at_word, False) for c in node[1]}, False
    if kind == "list":
        prefixes, empty = _first_of_list(lists[node[1]])
        return (None if prefixes is None else {_marked(p, at_word, False) for p in prefixes}), empty
    if kind == "zero":
        return set(), True
    return None, False  # any, anchor, ahead (handled in sequences)


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"


def _marked(prefix: str, at_word: bool, whole: bool) -> str:
    """The prefix, marked as standing at the start of a word, and as a whole word."""
    if not (at_word and _is_word(prefix[0])):
        return prefix
    return WORD_START + prefix + (WORD_START if whole and _is_word(prefix[-1]) else "")


def _extends(char: str) -> bool:
    return char.isascii() and not char.isspace()


def _begins_nonword(items: list[Node], then_nonword: bool) -> bool:
    """The text matched by `items` (and what follows them) begins with a non-word character or ends."""
    for item in items:
        kind = item[0]
        if kind == "zero":
            if item[1:] in (("wordend",), ("boundary",)):
                return True  # after a word character, as the callers' literals end
            continue
        if kind == "lit":
            return not _is_word(item[1])
        if kind == "any":
            return item[1:] == ("nonword",)
        if kind == "chars":
            return not any(_is_word(char) for char in item[1])
        if kind == "rep":
            return item[2] >= 1 and _begins_nonword([item[1]], False)
        return False
    return then_nonword


def _first_of_sequence(items: list[Node], lists: dict[str, tuple[str, ...]], at_word: bool,
                       then_nonword: bool) -> tuple[set[str] | None, bool]:
    literal = ""
    # Assertions at the start all hold at the same position, in whatever order they are written.
    for item in items:
        if item[0] not in ("zero", "ahead"):
            break
        at_word = at_word or item[1:] in (("wordstart",), ("boundary",))
    for k, item in enumerate(items):
        kind = item[0]
        if kind == "lit" and _extends(item[1]) and len(literal) < MAX_PREFIX:
            literal += item[1].lower()
            continue
        if literal:
            whole = not (kind == "lit" and _extends(item[1])) and _begins_nonword(items[k:], then_nonword)
            return {_marked(literal, at_word, whole)}, False
        if kind == "lit":
            return None, False  # a space or non-ASCII letter first: not worth indexing
        if kind == "zero":
            at_word = at_word or item[1:] in (("wordstart",), ("boundary",))
            continue
        if kind == "anchor":
            return None, False
        if kind == "ahead":
            prefixes, empty = _first(item[1], lists, at_word)
            if prefixes and not empty:
                return prefixes, False  # the text at the start must begin with these
            continue
        prefixes, empty = _first(item, lists, at_word, _begins_nonword(items[k + 1:], then_nonword))
        if not empty:
            return prefixes, False
        rest, rest_empty = _first_of_sequence(items[k + 1:], lists, at_word, then_nonword)
        if prefixes is None or rest is None:
            return None, rest_empty
        return prefixes | rest, rest_empty
    if literal:
        whole = len(literal) < MAX_PREFIX and then_nonword
        return {_marked(literal, at_word, whole)}, False
    return set(), True


@lru_cache(maxsize=256)
def _first_of_list(items: tuple[str, ...]) -> tuple[frozenset[str] | None, bool]:
    out: set[str] = set()
    for item in items:
        prefix = ""
        for char in item:
            if not _extends(char) or len(prefix) >= MAX_PREFIX:
                break
            prefix += char.lower()
        if not prefix:
            return None, item == ""
        out.add(prefix)
    return frozenset(out), False


# ------------------------------------------------------------------ word pairs
# A common first word ("the", "is", "a") gives a start on every line of copy, and each try of the
# pattern there costs a call into the engine. Where every match begins with a word, one or more
# non-word characters, then another word, a pair literal names both: " the best" is the whole word
# "the" at a word start, then a word that begins with "best". The text's words find such pairs
# without the engine. A pair literal holds one inner space and never a trailing one.
PAIR = " "
MAX_STRINGS = 512  # exact strings followed through a pattern before giving up
MAX_PAIRS = 8192
MAX_DEPTH = 12  # nested groups and optional parts followed
_NONWORD_RUN = re.compile(r"[^\w]*", re.ASCII)


class _Analysis:
    """The named lists of one pattern, and what the pair analysis found for its parts so far
    (the part after a group is reached again from every branch of the group)."""

    def __init__(self, lists: dict[str, tuple[str, ...]]) -> None:
        self.lists = lists
        # Keyed by the ids of parse nodes; each value keeps its nodes alive, so no id is reused meanwhile.
        self._finite: dict[int, tuple[Node, set[str] | None]] = {}
        self._after_gap: dict[tuple[Any, ...], tuple[list[Node], set[str] | None]] = {}

    def finite(self, node: Node) -> set[str] | None:
        known = self._finite.get(id(node))
        if known is None:
            known = self._finite[id(node)] = (node, _finite(node, self))
        return known[1]

    def words_after_gap(self, items: list[Node], then_nonword: bool, spaced: bool, depth: int) -> set[str] | None:
        key = (*map(id, items), then_nonword, spaced)
        known = self._after_gap.get(key)
        if known is None:
            known = self._after_gap[key] = (items, _words_after_gap(items, self, then_nonword, spaced, depth))
        return known[1]


def _pair_first(node: Node, ctx: _Analysis, at_word: bool, then_nonword: bool,
                depth: int) -> set[str] | None:
    """Like `_first`, with pair literals wherever they can be told; None if nothing can be."""
    if depth > MAX_DEPTH:
        return None
    found: set[str] | None = None
    if node[0] == "alt":
        found = set()
        for branch in node[1]:
            part = _pair_first(branch, ctx, at_word, then_nonword, depth + 1)
            if part is None:
                return None
            found |= part
        return found
    if node[0] == "seq":
        found = _pair_sequence(node[1], ctx, at_word, then_nonword, depth)
    elif node[0] == "rep" and node[2] >= 1:
        found = _pair_first(node[1], ctx, at_word, then_nonword and node[3] == 1, depth + 1)
    if found is not None:
        return found
    prefixes, empty = _first(node, ctx.lists, at_word, then_nonword)
    return None if prefixes is None or empty or "" in prefixes else prefixes


def _pair_sequence(items: list[Node], ctx: _Analysis, at_word: bool, then_nonword: bool,
                   depth: int) -> set[str] | None:
    k = 0
    while k < len(items) and items[k][0] in ("zero", "ahead"):  # assertions consume nothing
        at_word = at_word or items[k][1:] in (("wordstart",), ("boundary",))
        k += 1
    if k < len(items) and items[k][0] in ("alt", "rep") and ctx.finite(items[k]) is None:
        # (?:a|b)c is (?:ac|bc), and a?c is (?:ac|c): what follows may complete each branch's pair.
        found: set[str] = set()
        for branch in _branches(items[k], items[k + 1:]):
            part = _pair_first(("seq", branch), ctx, at_word, then_nonword, depth + 1)
            if part is None or len(found) + len(part) > MAX_PAIRS:
                return None
            found |= part
        return found
    strings = {""}  # the exact strings items[k:end] can match
    end = k
    while end < len(items):
        part = ctx.finite(items[end])
        if part is None or len(strings) * len(part) > MAX_STRINGS:
            break
        strings = {a + b for a in strings for b in part}
        end += 1
    while end > k and items[end - 1][0] in ("zero", "ahead", "anchor"):
        end -= 1  # assertions after the strings stay in the rest: they tell whether a word ends there
    if end == k or not at_word:
        return None
    rest = items[end:]
    follows: dict[bool, set[str] | None] = {}
    found = set()
    for string in strings:
        word = _LEADING_WORD.match(string).group()  # type: ignore[union-attr]
        if not word:
            return None  # empty, or a non-word character first
        gap = _NONWORD_RUN.match(string, len(word)).end()  # type: ignore[union-attr]
        after = _LEADING_WORD.match(string, gap).group()  # type: ignore[union-attr]
        if after and gap > len(word):
            found.add(WORD_START + word + PAIR + after)  # "side effects", "acid-reflux"
            continue
        spaced = gap > len(word)
        if spaced not in follows:
            follows[spaced] = ctx.words_after_gap(rest, then_nonword, spaced, depth + 1)
        follow = follows[spaced]
        if follow is None:
            found.add(_marked(word, True, spaced or _begins_nonword(rest, then_nonword)))
        else:
            found.update(WORD_START + word + PAIR + second for second in follow)
        if len(found) > MAX_PAIRS:
            return None
    return found


def _branches(node: Node, rest: list[Node]) -> list[list[Node]]:
    """The sequences `node` followed by `rest` can be read as, one per alternative or repeat count."""
    if node[0] == "alt":
        return [branch[1] + rest for branch in node[1]]
    _, inner, least, most = node
    if least >= 1:
        return [[inner, ("rep", inner, least - 1, None if most is None else most - 1), *rest]]
    more = [] if most == 1 else [("rep", inner, 0, None if most is None else most - 1)]
    return [[inner, *more, *rest], rest]


def _words_after_gap(items: list[Node], ctx: _Analysis, then_nonword: bool, spaced: bool,
                     depth: int) -> set[str] | None:
    """The beginnings of the word that `items` must start with after one or more non-word characters
    (`spaced`: some were already matched); None when that cannot be told."""
    if depth > MAX_DEPTH:
        return None
    if items:
        head, rest = items[0], items[1:]
        kind = head[0]
        if kind == "zero":
            return ctx.words_after_gap(rest, then_nonword, spaced, depth + 1)
        if _nonword_gap(head):  # more of the gap
            return ctx.words_after_gap(rest, then_nonword, spaced or head[0] != "rep" or head[2] >= 1, depth + 1)
        if not spaced and (kind == "alt" or (kind == "rep" and head[2] == 0)):  # each branch, then the rest
            found: set[str] = set()
            for branch in _branches(head, rest):
                part = ctx.words_after_gap(branch, then_nonword, False, depth + 1)
                if part is None:
                    return None
                found |= part
            return found
    if not spaced:
        return None
    prefixes, empty = _first_of_sequence(items, ctx.lists, True, then_nonword)
    if prefixes is None or empty or not prefixes:
        return None
    words: set[str] = set()
    for prefix in prefixes:
        # " best": a word; "#1": more non-word characters first, then the word ("1").
        skip = 1 if prefix.startswith(WORD_START) else _NONWORD_RUN.match(prefix).end()  # type: ignore[union-attr]
        word = _LEADING_WORD.match(prefix, skip).group()  # type: ignore[union-attr]
        if not word:
            return None
        words.add(word)
    return words


def _nonword_gap(node: Node) -> bool:
    """`node` matches non-word characters only (\\s, [\\s-], a space, a comma...), maybe none."""
    if node[0] == "rep":
        node = node[1]
    if node[0] == "lit":
        return node[1].isascii() and not _is_word(node[1])
    if node[0] == "chars":
        return not any(_is_word(char) for char in node[1])
    return node == ("any", "nonword")


@lru_cache(maxsize=256)
def _list_strings(items: tuple[str, ...]) -> frozenset[str] | None:
    if len(items) > MAX_STRINGS or not all(item.isascii() for item in items):
        return None
    return frozenset(item.lower() for item in items)


def _finite(node: Node, ctx: _Analysis) -> set[str] | None:
    """Every string `node` can match, lower-cased, when they are few and ASCII; None otherwise.

    Assertions count as matching nothing: the strings may be more than the node allows, never fewer.
    """
    kind = node[0]
    if kind == "lit":
        return {node[1].lower()} if node[1].isascii() else None
    if kind == "chars":
        return set(node[1])
    if kind == "digit":
        return set(_DIGITS)  # texts with other digits are not indexed (_plain_char)
    if kind in ("zero", "ahead", "anchor"):
        return {""}
    if kind == "list":
        strings = _list_strings(ctx.lists[node[1]])
        return None if strings is None else set(strings)
    if kind == "seq":
        out = {""}
        for item in node[1]:
            part = ctx.finite(item)
            if part is None or len(out) * len(part) > MAX_STRINGS:
                return None
            out = {a + b for a in out for b in part}
        return out
    if kind == "alt":
        out = set()
        for branch in node[1]:
            part = ctx.finite(branch)
            if part is None:
                return None
            out |= part
        return out if len(out) <= MAX_STRINGS else None
    if kind == "rep" and node[3] is not None and node[3] <= 3:
        part = ctx.finite(node[1])
        if part is None:
            return None
        out, power = set(), {""}
        for count in range(node[3] + 1):
            if count >= node[2]:
                out |= power
            if len(power) * len(part) > MAX_STRINGS:
                return None
            power = {a + b for a in power for b in part}
        return out
    return None


# ------------------------------------------------------------------ the document's text
class TextIndex:
    """A document's block texts, lower-cased and joined, with where each literal occurs (memoised).

    A literal at the start of a word is looked up among the text's words, sorted once with
    their offsets: the occurrences of a word, or of all the words with a given beginning, are
    one slice of that order. One split and one sort per document replace a scan of the whole
    text per literal.
    """

    def __init__(self, texts: list[str]) -> None:
        joined = "\n\n".join(texts)
        self.usable = joined.isascii() or all(map(_plain_char, set(_NON_ASCII.findall(joined))))
        self.text = joined
        self.lowered = joined.lower() if self.usable else ""
        self.starts: list[int] = []  # where each block's text starts and ends in the joined text
        self.ends: list[int] = []
        offset = 0
        for text in texts:
            self.starts.append(offset)
            self.ends.append(offset + len(text))
            offset += len(text) + 2
        # Offsets are kept in tuples: the collector need not walk them.
        self._positions: dict[str, tuple[int, ...]] = {}
        self._tokens: list[str] = []  # the words of the lower-cased text in order, and "" after the last
        self._token_starts: list[int] = []  # where each starts
        self._order: list[int] = []  # their numbers, sorted by word
        self._sorted_words: list[str] | None = None  # the words in that order
        self._words: set[str] = set()  # the distinct words
        self._heads: set[str] = set()  # their first HEAD letters
        self._by_block: dict[frozenset[str], dict[int, tuple[int, ...]]] = {}
        self._in_text: dict[frozenset[str], tuple[int, ...]] = {}

    def _index_words(self) -> list[str]:
        parts = _TOKENS.split(self.lowered)  # gap, word, gap, word, ..., gap
        offsets = list(accumulate(map(len, parts), initial=0))  # where each part starts
        words = parts[1::2]
        self._token_starts = offsets[1:len(parts):2]
        self._order = sorted(range(len(words)), key=words.__getitem__)  # stable: a word's offsets stay ascending
        self._sorted_words = list(map(words.__getitem__, self._order))
        self._words = set(words)
        self._heads = set(map(_HEAD, self._words))
        words.append("")  # what follows the last word
        self._tokens = words
        return self._sorted_words

    def _word_starts(self, stem: str, whole: bool) -> list[int]:
        """Where a word equal to `stem` (whole) or beginning with it starts; unsorted for a beginning."""
        words = self._sorted_words if self._sorted_words is not None else self._index_words()
        if whole and stem not in self._words:
            return []
        lo = bisect_left(words, stem)
        hi = bisect_right(words, stem, lo) if whole else bisect_left(words, _after_prefix(stem), lo)
        return list(map(self._token_starts.__getitem__, self._order[lo:hi]))

    def positions(self, literal: str) -> tuple[int, ...]:
        """Where `literal` occurs in the lower-cased text, as marked: at word starts, as a whole word."""
        found = self._positions.get(literal)
        if found is None:
            text = self.text
            whole = len(literal) > 2 and literal.endswith(WORD_START)
            if literal.startswith(WORD_START) and _WORD_RUN.fullmatch(literal.strip(WORD_START)):
                found = sorted(self._word_starts(literal.strip(WORD_START), whole))
            elif whole:
                length = len(literal) - 2
                found = [at for at in self.positions(literal[:-1])
                         if at + length == len(text) or not _is_word_char(text[at + length])]
            elif literal.startswith(WORD_START):
                found = [at for at in self.positions(literal[1:]) if at == 0 or not _is_word_char(text[at - 1])]
            else:
                found = []
                lowered, at = self.lowered, self.lowered.find(literal)
                while at >= 0:
                    found.append(at)
                    at = lowered.find(literal, at + 1)
            found = self._positions[literal] = tuple(found)
        return found

    def starts_in_text(self, literals: frozenset[str]) -> tuple[int, ...]:
        """Sorted offsets in the joined text where one of `literals` occurs."""
        found = self._in_text.get(literals)
        if found is None:
            found = self._in_text[literals] = self._find(literals)
        return found

    def _find(self, literals: frozenset[str]) -> tuple[int, ...]:
        exact, prefixes, short_prefixes, pairs, others = _split(literals)
        words = self._sorted_words if self._sorted_words is not None else self._index_words()
        order = self._order
        found: list[int] = []  # token numbers
        for word in self._words.intersection(exact):
            lo = bisect_left(words, word)
            found += order[lo:bisect_right(words, word, lo)]
        # A beginning is looked for only when some word begins with its first letters (a set lookup).
        for head in self._heads.intersection(prefixes):
            for prefix, bound in prefixes[head]:
                lo = bisect_left(words, prefix)
                found += order[lo:bisect_left(words, bound, lo)]
        for prefix, bound in short_prefixes:
            lo = bisect_left(words, prefix)
            found += order[lo:bisect_left(words, bound, lo)]
        for word in self._words.intersection(pairs):
            lo = bisect_left(words, word)
            tokens = order[lo:bisect_right(words, word, lo)]
            followed = map(methodcaller("startswith", pairs[word]), map(self._tokens.__getitem__, map(_NEXT, tokens)))
            found += compress(tokens, followed)
        hits = set(map(self._token_starts.__getitem__, found))
        for literal, word in others:
            if word is None or word in self._words:
                hits.update(self.positions(literal))
        return tuple(sorted(hits))

    def iter_starts_in_text(self, literals: frozenset[str]) -> Iterator[int]:
        """`starts_in_text`, as an iterator: for a caller that may stop at the first match."""
        return iter(self.starts_in_text(literals))

    def starts_by_block(self, literals: frozenset[str]) -> dict[int, tuple[int, ...]]:
        """Block index -> sorted offsets (in that block's text) where one of `literals` occurs."""
        found = self._by_block.get(literals)
        if found is None:
            found = {}
            positions = self.starts_in_text(literals)
            block_starts, block_ends = self.starts, self.ends
            at, count = 0, len(positions)
            while at < count:  # one block at a time: its offsets are a run of the sorted positions
                index = bisect_right(block_starts, positions[at]) - 1
                start = block_starts[index]
                upto = bisect_left(positions, block_ends[index], at)
                if upto > at:
                    found[index] = tuple([offset - start for offset in positions[at:upto]])
                    at = upto
                else:  # between blocks: no literal holds the blank line, kept for safety
                    at += 1
            self._by_block[literals] = found
        return found


def _after_prefix(prefix: str) -> str:
    """The least string above every string that begins with `prefix` (its last character is ASCII)."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


# Word beginnings are grouped by their first letters, which the text's words must have.
HEAD = 3
_HEAD = itemgetter(slice(HEAD))
_NEXT = (1).__add__


@lru_cache(maxsize=1024)
def _split(literals: frozenset[str]) -> tuple[frozenset[str], dict[str, list[tuple[str, str]]],
                                              list[tuple[str, str]], dict[str, tuple[str, ...]],
                                              list[tuple[str, str | None]]]:
    """The literals by how they are looked up: whole words; word beginnings (with the bound of
    their slice of the sorted words) by their first HEAD letters, and those shorter; pairs, as the
    beginnings of the second word by the first word; and the others, with the whole word the text
    must have for them to occur (a literal such as "e.g." or "won't" needs its first word, "e" or
    "won"), or None."""
    exact: set[str] = set()
    prefixes: dict[str, list[tuple[str, str]]] = {}
    short: list[tuple[str, str]] = []
    pairs: dict[str, set[str]] = {}
    others: list[tuple[str, str | None]] = []
    for literal in sorted(literals):
        if not literal.startswith(WORD_START):
            others.append((literal, None))
            continue
        whole = len(literal) > 2 and literal.endswith(WORD_START)
        stem = literal[1:-1] if whole else literal[1:]
        run = _LEADING_WORD.match(stem).group()  # type: ignore[union-attr]
        if stem.startswith(PAIR, len(run)) and run:
            pairs.setdefault(run, set()).add(stem[len(run) + 1:])
        elif run != stem:
            others.append((literal, run or None))
        elif whole:
            exact.add(stem)
        elif len(stem) < HEAD:
            short.append((stem, _after_prefix(stem)))
        else:
            prefixes.setdefault(stem[:HEAD], []).append((stem, _after_prefix(stem)))
    return frozenset(exact), prefixes, short, {word: tuple(sorted(after)) for word, after in pairs.items()}, others


_LEADING_WORD = re.compile(r"\w*", re.ASCII)
_WORD_RUN = re.compile(r"\w+", re.ASCII)
_TOKENS = re.compile(r"(\w+)")  # the words of the lower-cased text; _plain_char vouches the engines agree on \w


_WORD_CHAR = regex.compile(r"\w")
_DIGIT = regex.compile(r"\d")
_WORDS = re.compile(r"\w+")  # the standard engine's \w, which _TOKENS splits words by


@lru_cache(maxsize=4096)
def _plain_char(char: str) -> bool:
    """A non-ASCII character that changes nothing here: not one of FOLD_EXCEPTIONS, not a digit
    (`\\d` matches digits beyond 0-9), and a word character to both engines, lower-cased or not, or to neither."""
    if char in FOLD_EXCEPTIONS or _DIGIT.match(char):
        return False
    word = _WORD_CHAR.match(char) is not None
    return word == (_WORDS.match(char) is not None) == (_WORDS.match(char.lower()) is not None)


def _is_word_char(char: str) -> bool:
    """`\\w` as the `regex` engine sees it (marks and connector punctuation count)."""
    if char.isascii():
        return char.isalnum() or char == "_"
    return _WORD_CHAR.match(char) is not None


def text_index(document: Document) -> TextIndex:
    """The document's TextIndex, built on first use and kept on the document."""
    index = document.memo.get("scan.text_index")
    if index is None:
        index = document.memo["scan.text_index"] = TextIndex([block.text for block in document.blocks])
    return index  # type: ignore[no-any-return]


class StartScan:
    """A compiled pattern and the literals its matches start with."""

    def __init__(self, pattern: regex.Pattern[str]) -> None:
        self.pattern = pattern
        # The engine's own pattern: the loops below pass their timeout to every call.
        self.compiled: regex.Pattern[str] = getattr(pattern, "compiled", pattern)
        lists = {name: list(items) for name, items in self.compiled.named_lists.items()}
        self.literals = leading_literals(self.compiled.pattern, lists, int(self.compiled.flags), pairs=True)
        # For searches that stop before the end of the text (an `endpos`), where a word may seem to
        # end: whole words are only word beginnings there.
        self.open_literals = None if self.literals is None else frozenset(
            literal[:-1] if len(literal) > 2 and literal.endswith(WORD_START) else literal for literal in self.literals)

    def blocks(self, document: Document, bounded: bool = False) -> dict[int, tuple[int, ...]] | None:
        """Block index -> where matches may start in its text; None when every block must be scanned whole.

        `bounded`: the caller searches parts of blocks (with an end position).
        """
        literals = self.open_literals if bounded else self.literals
        if literals is None:
            return None
        index = text_index(document)
        return index.starts_by_block(literals) if index.usable else None

    def block_matches(self, document: Document, timeout: float,
                      blank_newlines: bool = False) -> Iterator[tuple[int, regex.Match[str]]]:
        """(block index, match) for every match in the document's blocks, trying only possible starts.

        `blank_newlines`: match against the text with line breaks read as spaces (same offsets),
        for patterns whose term lists spell multi-word terms with single spaces.
        """
        starts = self.blocks(document)  # where matches may start; None: anywhere
        blocks = document.blocks
        for index in range(len(blocks)) if starts is None else sorted(starts):
            text = blocks[index].text
            if not text:
                continue
            if blank_newlines and ("\n" in text or "\r" in text):
                text = text.replace("\n", " ").replace("\r", " ")
            for found in self.finditer(text, None if starts is None else starts[index], timeout):
                yield index, found

    def starts(self, document: Document, bounded: bool = False) -> tuple[int, ...] | None:
        """Where matches may start in the block texts joined by blank lines (None: anywhere)."""
        literals = self.open_literals if bounded else self.literals
        if literals is None:
            return None
        index = text_index(document)
        return index.starts_in_text(literals) if index.usable else None

    def iter_starts(self, document: Document) -> Iterator[int] | None:
        """`starts`, found as they are needed (None: anywhere)."""
        if self.literals is None:
            return None
        index = text_index(document)
        return index.iter_starts_in_text(self.literals) if index.usable else None

    def finditer_from(self, text: str, starts: Iterator[int] | None, timeout: float) -> Iterator[regex.Match[str]]:
        """`pattern.finditer(text)`, trying only the positions `starts` yields, in order (all when None)."""
        if starts is None:
            yield from self.pattern.finditer(text, timeout=timeout)
            return
        yield from _matches_in_order(self.compiled, text, starts, timeout)

    def finditer(self, text: str, starts: Sequence[int] | None, timeout: float, pos: int = 0,
                 endpos: int | None = None) -> Iterator[regex.Match[str]]:
        """`pattern.finditer(text, pos, endpos)`, trying only `starts` (all positions when None)."""
        if starts is None:
            if pos == 0 and endpos is None:
                yield from self.pattern.finditer(text, timeout=timeout)
            else:
                yield from self.pattern.finditer(text, pos, len(text) if endpos is None else endpos, timeout=timeout)
            return
        yield from matches_at(self.compiled, text, starts, timeout, pos, endpos)


def matches_at(compiled: regex.Pattern[str], text: str, starts: Sequence[int], timeout: float, pos: int = 0,
               endpos: int | None = None) -> Iterator[regex.Match[str]]:
    """`compiled.finditer(text, pos, endpos)` when every match starts at one of the sorted `starts`."""
    return _matches_in_order(compiled, text, islice(starts, bisect_left(starts, pos), None), timeout, pos, endpos)


def _matches_in_order(compiled: regex.Pattern[str], text: str, starts: Iterable[int], timeout: float, pos: int = 0,
                      endpos: int | None = None) -> Iterator[regex.Match[str]]:
    """Matches at the positions `starts` yields (in order, none before `pos`), none overlapping. The
    timeout counts the whole scan, like one finditer's, and is checked in line: this runs for every
    candidate position."""
    endpos = len(text) if endpos is None else endpos
    match = compiled.match
    deadline = monotonic() + timeout
    end = pos
    for at in starts:
        if at >= endpos:
            break
        if at < end:
            continue
        left = deadline - monotonic()
        if left <= 0:
            raise TimeoutError("regex timed out")
        found = match(text, at, endpos, timeout=left)
        if found is not None:
            yield found
            end = found.end()

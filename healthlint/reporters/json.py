"""A flat JSON array, one object per finding, sorted by path, line and column (see DESIGN.md).

Written object by object, exactly as `json.dumps(findings, ensure_ascii=False, indent=2)` would
write the whole array: the standard encoder formats indented output in pure Python, which is
slower than building each object's lines here.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from json.encoder import encode_basestring

from healthlint.diagnostic import OUTPUT_FIELDS, Diagnostic
from healthlint.reporters import Summary

# The text before each value: '    "key": ' (an object is indented 2 spaces in the array, its keys 4).
_KEY_PREFIX = {name: f'    {encode_basestring(name)}: ' for name in OUTPUT_FIELDS}


def stream(diagnostics: Iterable[Diagnostic], summary: Summary) -> Iterator[str]:
    first = True
    for d in diagnostics:
        yield ("[\n" if first else ",\n") + finding_object(d)
        first = False
    yield "[]\n" if first else "\n]\n"


def finding_object(d: Diagnostic) -> str:
    lines = []
    for key, value in d.to_json().items():
        if isinstance(value, str):
            text = encode_basestring(value)
        elif isinstance(value, int):
            text = int.__repr__(value)
        else:  # metrics: a nested object; rare enough for the standard encoder
            text = json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n    ")
        lines.append(_KEY_PREFIX[key] + text)
    return "  {\n" + ",\n".join(lines) + "\n  }"

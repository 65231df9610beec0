"""The data YAML loading produces: maps and lists that know their lines, and the error it raises.

Apart from the loader (yamlload.py), so that code which only reads such data, like rules
loaded from the compiled cache, never imports a YAML parser.
"""

from __future__ import annotations

from typing import Any


class YamlMap(dict[str, Any]):
    """A mapping that knows the 1-based line of itself and of each key."""

    line: int
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class YamlList(list[Any]):
    """A sequence that knows the 1-based line of itself and of each item."""

    line: int
    item_lines: list[int]


class YamlError(ValueError):
    def __init__(self, line: int | None, problem: str) -> None:
        super().__init__(problem)
        self.line, self.problem = line, problem

"""Safe YAML loading that remembers where every key came from.

Rulesets and config are data from the repository being linted, so they are read
with the safe loader only, with a bound on size after alias expansion (a
"billion laughs" document is refused) and on nesting depth.
"""

from __future__ import annotations

from typing import Any

import yaml

from healthlint.engine.yamltypes import YamlError, YamlList, YamlMap

# libyaml's parser when PyYAML was built with it: several times faster at start-up.
SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MAX_NODES = 200_000
MAX_DEPTH = 64

__all__ = ["YamlError", "YamlList", "YamlMap", "load_yaml"]


def load_yaml(text: str) -> Any:
    """Parse one YAML document into plain data with line numbers attached."""
    loader = SafeLoader(text)
    try:
        _check_nesting(text)
        node = loader.get_single_node()
        if node is None:
            return None
        budget = [MAX_NODES]
        return _convert(loader, node, 0, budget)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise YamlError(line, f"invalid YAML: {exc.problem or exc.context}") from None
    except yaml.YAMLError as exc:
        raise YamlError(None, f"invalid YAML: {exc}") from None
    finally:
        loader.dispose()


def _check_nesting(text: str) -> None:
    """Refuse deep nesting before composing: the composer recurses once per level, and libyaml's
    (in C) overflows the stack on a file of 100,000 '[' characters, killing the process."""
    events = SafeLoader(text)
    try:
        depth = 0
        while True:
            event = events.get_event()
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    raise YamlError(event.start_mark.line + 1, f"document nested deeper than {MAX_DEPTH} levels")
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
            elif event is None or isinstance(event, yaml.StreamEndEvent):
                return
    finally:
        events.dispose()


def _convert(loader: yaml.BaseLoader, node: yaml.Node, depth: int, budget: list[int]) -> Any:
    budget[0] -= 1
    line = node.start_mark.line + 1
    if budget[0] < 0:
        raise YamlError(line, f"document too large after expanding aliases (over {MAX_NODES} nodes)")
    if depth > MAX_DEPTH:
        raise YamlError(line, f"document nested deeper than {MAX_DEPTH} levels")
    if isinstance(node, yaml.MappingNode):
        loader.flatten_mapping(node)
        mapping = YamlMap()
        mapping.line, mapping.key_lines = line, {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise YamlError(key_node.start_mark.line + 1, "mapping keys must be plain scalars")
            key = str(loader.construct_object(key_node))
            mapping[key] = _convert(loader, value_node, depth + 1, budget)
            mapping.key_lines[key] = key_node.start_mark.line + 1
        return mapping
    if isinstance(node, yaml.SequenceNode):
        items = YamlList()
        items.line, items.item_lines = line, []
        for item in node.value:
            items.append(_convert(loader, item, depth + 1, budget))
            items.item_lines.append(item.start_mark.line + 1)
        return items
    return loader.construct_object(node)

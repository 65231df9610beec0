"""The engine: rulesets from YAML, rule selection, linting documents, suppressions."""

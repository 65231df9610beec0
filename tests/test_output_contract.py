"""The JSON contract: schema-valid, sorted, and every position slices out exactly `match`."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from healthlint.config import Config
from healthlint.engine.linter import Linter
from tests.conftest import EVAL_DOCS, REPO, SEEDS, SHARED_SEEDS

SCHEMA = json.loads((REPO / "healthlint" / "schemas" / "diagnostics.schema.json").read_text())


def corpus() -> list[Path]:
    paths = sorted(p for p in SEEDS.iterdir() if p.is_file())
    for folder in (EVAL_DOCS, SHARED_SEEDS):
        if folder.is_dir():
            paths += sorted(p for p in folder.iterdir() if p.is_file())
    return paths


def slice_of(text: str, line: int, column: int, end_line: int, end_column: int) -> str:
    lines = text.splitlines(keepends=True)
    starts = [0]
    for chunk in lines:
        starts.append(starts[-1] + len(chunk))
    return text[starts[line - 1] + column - 1: starts[end_line - 1] + end_column - 1]


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> list[dict]:
    from healthlint.reporters import Summary, reporter

    run = Linter(Config()).lint_paths([str(p) for p in corpus()])
    return json.loads(reporter("json")(run.diagnostics, Summary()))


def test_json_output_validates_against_schema(report: list[dict]) -> None:
    assert report, "the seeds must produce findings"
    jsonschema.validate(report, SCHEMA)


def test_sorted_by_path_line_column(report: list[dict]) -> None:
    keys = [(d["path"], d["line"], d["column"]) for d in report]
    assert keys == sorted(keys)


def test_positions_slice_out_match(report: list[dict]) -> None:
    texts: dict[str, str] = {}
    for d in report:
        if d["path"] not in texts:
            texts[d["path"]] = Path(d["path"]).read_text(encoding="utf-8")
        got = slice_of(texts[d["path"]], d["line"], d["column"], d["end_line"], d["end_column"])
        assert got == d["match"], (d["path"], d["line"], d["rule"])


def test_seeds_show_every_family(report: list[dict]) -> None:
    seeds = {str(p) for p in SEEDS.iterdir()}
    categories = {d["category"] for d in report if d["path"] in seeds}
    assert {"absolute-claim", "disease-claim"} <= categories

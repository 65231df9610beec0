"""How the cross-file duplicate pass scales: 1,000 and 10,000 generated files.

    python bench/duplicates_scaling.py [--sizes 1000 10000] [--repeat 2] [--keep DIR]

Files are generated deterministically from the project's own seeds (seeds/): each page
mixes paragraphs shared with other pages (exact copies and copies with a word or two
changed), paragraphs of its own, a paragraph repeated inside the page and a shared
disclaimer. The script times the corpus pass of `duplicates/repeated-across-files`
(`collect` on every parsed file, then `finish` once) in CPU seconds of this process (so
other work on the machine does not blur the comparison), and measures its peak memory
with tracemalloc in a second, separate run (tracemalloc slows allocation, so it is not
timed). Parsing the files is timed apart: it is the readers' cost, not this pass's.
"""

from __future__ import annotations

import argparse
import pickle
import random
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from healthlint.config import Config  # noqa: E402
from healthlint.document.load import parse  # noqa: E402
from healthlint.engine.linter import load_rules  # noqa: E402
from healthlint.kinds.base import LintContext, Rule  # noqa: E402

SEED = 20260214
DISCLAIMER = ("This page is for general information and does not replace advice from your own "
              "health care provider.")


def seed_paragraphs() -> tuple[list[str], list[str]]:
    """Prose paragraphs of the project's seeds (the shared pool) and their vocabulary."""
    pool: list[str] = []
    for path in sorted((ROOT / "seeds").iterdir()):
        document = parse(str(path), path.read_text(encoding="utf-8"))
        pool.extend(" ".join(b.text.split()) for b in document.blocks
                    if b.kind == "paragraph" and len(b.text.split()) >= 10)
    vocabulary = sorted({word.strip(".,:;!?()\"'").lower() for text in pool for word in text.split()} - {""})
    return pool, vocabulary


def drift(text: str, rng: random.Random, vocabulary: list[str]) -> str:
    """A copy with one or two words changed, as copies drift from page to page."""
    words = text.split()
    for _ in range(rng.randint(1, 2)):
        words[rng.randrange(1, len(words) - 1)] = rng.choice(vocabulary)
    return " ".join(words)


def own_paragraph(rng: random.Random, vocabulary: list[str]) -> str:
    sentences = []
    for _ in range(rng.randint(2, 4)):
        words = [rng.choice(vocabulary) for _ in range(rng.randint(10, 22))]
        sentences.append(" ".join(words).capitalize() + ".")
    return " ".join(sentences)


def page(index: int, rng: random.Random, pool: list[str], vocabulary: list[str]) -> str:
    parts = [f"# Page {index}: {rng.choice(vocabulary)} and {rng.choice(vocabulary)}"]
    for _ in range(rng.randint(8, 14)):
        roll = rng.random()
        if roll < 0.25:
            parts.append(rng.choice(pool))  # shared with other pages, word for word
        elif roll < 0.35:
            parts.append(drift(rng.choice(pool), rng, vocabulary))  # shared, drifted
        else:
            parts.append(own_paragraph(rng, vocabulary))
    parts.insert(rng.randint(1, len(parts)), parts[rng.randint(1, len(parts) - 1)])  # a repeat in the page
    parts.append(f"*{DISCLAIMER}*")
    return "\n\n".join(parts) + "\n"


def generate(directory: Path, count: int) -> int:
    """Write `count` Markdown pages under `directory`; returns their total size in bytes."""
    rng = random.Random(SEED)
    pool, vocabulary = seed_paragraphs()
    total = 0
    for index in range(count):
        folder = directory / f"section-{index // 500:03d}"
        folder.mkdir(parents=True, exist_ok=True)
        data = page(index, rng, pool, vocabulary).encode("utf-8")
        (folder / f"page-{index:05d}.md").write_bytes(data)
        total += len(data)
    return total


def corpus_rule() -> Rule:
    rules = [rule for rule in load_rules(Config(rulesets=["duplicates"])) if rule.corpus]
    return rules[0]


def corpus_pass(rule: Rule, files: list[Path]) -> dict[str, Any]:
    """Parse, collect and finish; times each stage."""
    context = LintContext()
    collected: dict[str, Any] = {}
    parse_seconds = collect_seconds = 0.0
    paragraphs = 0
    for path in files:
        started = time.process_time()
        document = parse(str(path), path.read_text(encoding="utf-8"))
        parsed = time.process_time()
        data = rule.collect(document, context)
        collect_seconds += time.process_time() - parsed
        parse_seconds += parsed - started
        if data is not None:
            collected[str(path)] = data
            paragraphs += len(data)
    started = time.process_time()
    findings = list(rule.finish(collected, context))
    finish_seconds = time.process_time() - started
    return {"parse": parse_seconds, "collect": collect_seconds, "finish": finish_seconds,
            "paragraphs": paragraphs, "findings": len(findings),
            "collected_bytes": len(pickle.dumps(collected, protocol=pickle.HIGHEST_PROTOCOL))}


def peak_memory(rule: Rule, files: list[Path]) -> float:
    """Peak traced memory (MB) of collect over every file plus finish; one document alive at a time."""
    context = LintContext()
    tracemalloc.start()
    collected = {}
    for path in files:
        document = parse(str(path), path.read_text(encoding="utf-8"))
        collected[str(path)] = rule.collect(document, context)
        del document
    for _ in rule.finish(collected, context):
        pass
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 1e6


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--keep", type=Path, help="generate into this folder and keep it")
    parser.add_argument("--repeat", type=int, default=2, help="timed runs per size; the fastest counts")
    args = parser.parse_args()
    rule = corpus_rule()
    rows = []
    for count in args.sizes:
        with tempfile.TemporaryDirectory(prefix="healthlint-dup-bench-") as temp:
            directory = (args.keep / str(count)) if args.keep else Path(temp)
            size = generate(directory, count)
            files = sorted(directory.rglob("*.md"))
            runs = [corpus_pass(rule, files) for _ in range(max(args.repeat, 1))]
            timing = min(runs, key=lambda run: run["collect"] + run["finish"])
            timing.update(files=count, megabytes=size / 1e6, peak=peak_memory(rule, files))
            rows.append(timing)
    print(f"{'files':>7} {'text MB':>8} {'paragraphs':>10} {'parse s':>8} {'collect s':>9} {'finish s':>9} "
          f"{'pass s':>7} {'us/para':>8} {'peak MB':>8} {'kept MB':>8} {'findings':>9}")
    for row in rows:
        total = row["collect"] + row["finish"]
        print(f"{row['files']:>7} {row['megabytes']:>8.1f} {row['paragraphs']:>10} {row['parse']:>8.2f} "
              f"{row['collect']:>9.2f} {row['finish']:>9.2f} {total:>7.2f} "
              f"{total / max(row['paragraphs'], 1) * 1e6:>8.1f} {row['peak']:>8.1f} "
              f"{row['collected_bytes'] / 1e6:>8.1f} {row['findings']:>9}")
    if len(rows) >= 2:
        first, last = rows[0], rows[-1]
        scale = last["files"] / first["files"]
        time_ratio = (last["collect"] + last["finish"]) / (first["collect"] + first["finish"])
        print(f"\n{scale:.0f}x the files: {time_ratio:.1f}x the time of the pass, "
              f"{last['peak'] / first['peak']:.1f}x the peak memory (linear growth is {scale:.0f}x).")
    print("CPU seconds; pass s = collect + finish; peak MB = tracemalloc peak of the pass (one document parsed"
          " at a time); kept MB = pickled size of what collect() returned for all files.")
    return 0


if __name__ == "__main__":
    sys.exit(main())

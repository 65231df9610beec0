"""Where the time goes: CPU seconds of parsing and of each rule over generated pages.

    python bench/rule_times.py            # 200 generated pages, the 15 costliest rules
    python bench/rule_times.py --pages 500 --top 40

Rules run in the linter's order on documents parsed beforehand, best of three rounds; the first
rule to ask for per-document work (the word index, sentences) pays for it.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import generate

from healthlint.config import load_config
from healthlint.document.load import parse
from healthlint.engine.linter import Linter


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--top", type=int, default=15)
    args = parser.parse_args()
    linter = Linter(load_config())
    with tempfile.TemporaryDirectory(prefix="healthlint-rule-times-") as temp:
        paths = generate(args.pages, Path(temp))
        texts = [(str(path), path.read_text(encoding="utf-8")) for path in paths]
    megabytes = sum(len(text.encode("utf-8")) for _, text in texts) / 1e6
    best: tuple[float, float, Counter[str]] | None = None
    for _ in range(3):
        started = time.process_time()
        documents = [parse(path, text) for path, text in texts]
        parse_seconds = time.process_time() - started
        per_rule: Counter[str] = Counter()
        for document in documents:
            for rule in linter.rules:
                started = time.process_time()
                if rule.corpus:
                    rule.collect(document, linter.context)
                list(rule.check(document, linter.context))
                per_rule[rule.id] += time.process_time() - started
        total = sum(per_rule.values())
        if best is None or total < best[1]:
            best = (parse_seconds, total, per_rule)
    assert best is not None
    parse_seconds, total, per_rule = best
    print(f"{args.pages} pages, {megabytes:.2f} MB: parse {parse_seconds:.2f} s, rules {total:.2f} s CPU "
          f"({total / megabytes:.2f} s/MB)")
    for rule_id, seconds in per_rule.most_common(args.top):
        print(f"  {seconds:6.3f} s  {rule_id}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""A deterministic corpus of health-marketing Markdown pages, generated from the project's seeds/.

Pages recombine the seeds' sentences into new paragraphs (so most text is unique, as
on a real site), and some carry shared blocks the way content repos do: a call to
action pasted on many pages, a paragraph repeated within a page, and a block copied
to a few other pages with a small edit.

    python bench/corpus.py 1000 /tmp/corpus-1000
"""

from __future__ import annotations

import random
import re
import sys
from pathlib import Path

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")
MARKUP = re.compile(r"<[^>]+>|^[#>*\-•\s]+|\*\*|__|\[|\]\([^)]*\)", re.MULTILINE)
PRODUCTS = ["NightCalm", "ShieldUp", "Revive", "Summit", "CalmRoots", "VitaDrip", "ClearMind", "JointEase"]
HEADINGS = ["Why it works", "What to expect", "How we treat you", "The science", "Your first visit",
            "What our clients say", "Pricing", "Frequently asked questions"]
SHARED_CTA = ("Book a free consultation today and take the first step toward feeling like yourself "
              "again with our caring team.")


def sentence_pool() -> list[str]:
    pool: list[str] = []
    for seed in sorted(SEEDS.iterdir()):
        text = MARKUP.sub(" ", seed.read_text(encoding="utf-8"))
        for paragraph in re.split(r"\n\s*\n|\n(?=[A-Z])", text):
            for sentence in SENTENCE.split(" ".join(paragraph.split())):
                if len(sentence.split()) >= 6 and sentence[-1] in ".!?":
                    pool.append(sentence)
    return sorted(set(pool))


def page(index: int, pool: list[str], rng: random.Random, borrowed: list[str]) -> str:
    product = PRODUCTS[index % len(PRODUCTS)]
    lines = [f"# {product} guide {index}", ""]
    paragraphs: list[str] = []
    for _ in range(rng.randint(11, 15)):
        sentences = rng.sample(pool, rng.randint(3, 5))
        paragraphs.append(" ".join(sentences).replace("Rejuvenate", product))
    if borrowed and rng.random() < 0.3:  # a block copied from another page, lightly edited
        paragraphs.insert(rng.randrange(len(paragraphs)), borrowed[-1].replace(" the ", " our ", 1))
    if rng.random() < 0.1:  # a paragraph pasted twice within the page
        paragraphs.append(paragraphs[rng.randrange(len(paragraphs))])
    for number, paragraph in enumerate(paragraphs):
        if number % 3 == 2:
            lines += [f"## {rng.choice(HEADINGS)}", ""]
        lines += [paragraph, ""]
    if rng.random() < 0.4:
        lines += [SHARED_CTA, ""]
    borrowed.append(paragraphs[0])
    return "\n".join(lines)


def generate(count: int, directory: Path, seed: int = 20261122) -> list[Path]:
    """Write `count` pages into `directory` (sub-folders of 100) and return their paths."""
    rng = random.Random(seed)
    pool = sentence_pool()
    borrowed: list[str] = []
    paths = []
    for index in range(count):
        path = directory / f"section{index // 100:03d}" / f"page{index:05d}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(page(index, pool, rng, borrowed), encoding="utf-8")
        paths.append(path)
    return paths


if __name__ == "__main__":
    written = generate(int(sys.argv[1]), Path(sys.argv[2]))
    size = sum(p.stat().st_size for p in written)
    print(f"wrote {len(written)} pages, {size / 1e6:.1f} MB, into {sys.argv[2]}")

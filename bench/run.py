"""The benchmark: healthlint (and proselint, when installed) on generated corpora and one file.

    python bench/run.py                 # 1,000 and 10,000 pages, one-file latency
    python bench/run.py --sizes 1000    # a quicker run

Prints wall time, CPU time, peak memory, MB/s and files/s for a cold run (--no-cache),
an unchanged re-run (cache warm), and the median one-file latency of cold runs.
Not part of the test suite: timings are measured here, never asserted in tests.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import generate

REPO = Path(__file__).resolve().parents[1]
ONE_FILE_RUNS = 9


@dataclass
class Timing:
    wall: float
    cpu: float
    peak_mb: float
    exit_code: int


def timed(command: list[str], cwd: Path) -> Timing:
    """Run a command; wall time, CPU of it and its workers, and the peak RSS of the largest process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Timing(wall, cpu, after.ru_maxrss / 1024, proc.returncode)


def healthlint_command() -> list[str]:
    found = shutil.which("healthlint")
    return [found] if found else [sys.executable, "-m", "healthlint"]


def line(label: str, timing: Timing, megabytes: float, files: int) -> str:
    return (f"  {label:<34} wall {timing.wall:7.2f} s  cpu {timing.cpu:7.2f} s  peak {timing.peak_mb:6.0f} MB  "
            f"{megabytes / timing.wall:6.2f} MB/s  {files / timing.wall:8.0f} files/s")


def corpus_run(size: int, workdir: Path, proselint: str | None) -> dict[str, Timing]:
    folder = workdir / f"corpus-{size}"
    paths = generate(size, folder)
    megabytes = sum(p.stat().st_size for p in paths) / 1e6
    print(f"{size} pages, {megabytes:.1f} MB")
    results = {}
    cache = workdir / f"cache-{size}"
    base = [*healthlint_command(), "check", "--format", "json", "--cache-dir", str(cache)]
    results["cold"] = timed([*base, "--no-cache", "."], folder)
    print(line("healthlint, all rules, no cache", results["cold"], megabytes, size))
    timed([*base, "."], folder)  # fill the cache
    results["warm"] = timed([*base, "."], folder)
    print(line("healthlint, unchanged re-run", results["warm"], megabytes, size))
    print(f"  re-run / cold run: {results['warm'].wall / results['cold'].wall:.1%}")
    if proselint:
        results["proselint"] = timed([proselint, "check", *[str(p) for p in paths]], folder)
        print(line("proselint", results["proselint"], megabytes, size))
        print(f"  proselint / healthlint: {results['proselint'].wall / results['cold'].wall:.1f}x")
    return results


def one_file(path: Path, proselint: str | None) -> None:
    command = [*healthlint_command(), "check", "--no-cache", str(path)]
    walls = [timed(command, path.parent).wall for _ in range(ONE_FILE_RUNS)]
    print(f"one file ({path.name}, {path.stat().st_size / 1000:.0f} KB), median of {ONE_FILE_RUNS} cold runs:")
    print(f"  healthlint {statistics.median(walls):.3f} s")
    if proselint:
        walls = [timed([proselint, "check", str(path)], path.parent).wall for _ in range(ONE_FILE_RUNS)]
        print(f"  proselint  {statistics.median(walls):.3f} s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--file", type=Path, help="the one-file case (default: the largest seed)")
    parser.add_argument("--proselint", default=os.environ.get("PROSELINT") or shutil.which("proselint"),
                        help="proselint executable to compare with (default: on PATH)")
    args = parser.parse_args()
    print(f"healthlint: {' '.join(healthlint_command())}; proselint: {args.proselint or 'not installed'}; "
          f"cores: {os.cpu_count()}")
    seed_file = args.file or max((p for p in (REPO / "seeds").iterdir() if p.is_file()), key=lambda p: p.stat().st_size)
    one_file(seed_file, args.proselint)
    with tempfile.TemporaryDirectory(prefix="healthlint-bench-") as temp:
        runs = {size: corpus_run(size, Path(temp), args.proselint) for size in args.sizes}
    if len(runs) >= 2:
        small, large = sorted(runs)
        ratio = runs[large]["cold"].wall / runs[small]["cold"].wall
        print(f"{large} / {small} files: {ratio:.1f}x the time for {large / small:.0f}x the files")
    return 0


if __name__ == "__main__":
    sys.exit(main())

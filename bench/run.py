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
    """Run a command; wall time, CPU of it and its workers, and the peak RSS of its largest process.

    os.wait4 reports the resources of this one command (and the workers it waited for), so each
    row's peak is its own, not the largest of every command run so far.
    """
    start = time.perf_counter()
    proc = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return Timing(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, proc.returncode)


def compile_bytecode() -> None:
    """Write healthlint's .pyc files first, as `pip install` does: an editable install under
    PYTHONDONTWRITEBYTECODE would otherwise recompile every module on every run (about 60 ms)."""
    import healthlint

    subprocess.run([sys.executable, "-m", "compileall", "-q", str(Path(healthlint.__file__).parent)],
                   stdout=subprocess.DEVNULL, check=False)


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


def one_file(path: Path, proselint: str | None, workdir: Path) -> None:
    """Median wall time of one file: with nothing cached, and with compiled rules cached but no results.

    The second is what a pre-commit hook or an editor sees once healthlint has run once in a
    repository: the file changed (so its results are not cached), the rules did not.
    """
    cold = [timed([*healthlint_command(), "check", "--no-cache", str(path)], path.parent).wall
            for _ in range(ONE_FILE_RUNS)]
    cache = workdir / "one-file-cache"
    command = [*healthlint_command(), "check", "--cache-dir", str(cache), str(path)]
    timed(command, path.parent)
    warm = []
    for _ in range(ONE_FILE_RUNS):
        for stale in cache.glob("results-*.pickle"):
            stale.unlink()
        warm.append(timed(command, path.parent).wall)
    print(f"one file ({path.name}, {path.stat().st_size / 1000:.0f} KB), median of {ONE_FILE_RUNS} runs:")
    print(f"  healthlint, nothing cached          {statistics.median(cold):.3f} s")
    print(f"  healthlint, compiled rules cached   {statistics.median(warm):.3f} s")
    if proselint:
        walls = [timed([proselint, "check", str(path)], path.parent).wall for _ in range(ONE_FILE_RUNS)]
        print(f"  proselint                           {statistics.median(walls):.3f} s")


def seed_sized_page(directory: Path) -> Path:
    """A page the size of a long real article (about 24 KB), made from the corpus generator."""
    pages = generate(12, directory / "one-file-source")
    path = directory / "one-file.md"
    path.write_text("\n".join(p.read_text(encoding="utf-8") for p in pages[:4]), encoding="utf-8")
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--file", type=Path, help="the one-file case (default: a generated 24 KB page)")
    parser.add_argument("--proselint", default=os.environ.get("PROSELINT") or shutil.which("proselint"),
                        help="proselint executable to compare with (default: on PATH)")
    args = parser.parse_args()
    compile_bytecode()
    print(f"healthlint: {' '.join(healthlint_command())}; proselint: {args.proselint or 'not installed'}; "
          f"cores: {os.cpu_count()}")
    with tempfile.TemporaryDirectory(prefix="healthlint-bench-") as temp:
        one_file(args.file or seed_sized_page(Path(temp)), args.proselint, Path(temp))
        runs = {size: corpus_run(size, Path(temp), args.proselint) for size in args.sizes}
    if len(runs) >= 2:
        small, large = sorted(runs)
        ratio = runs[large]["cold"].wall / runs[small]["cold"].wall
        print(f"{large} / {small} files: {ratio:.1f}x the time for {large / small:.0f}x the files")
    return 0


if __name__ == "__main__":
    sys.exit(main())

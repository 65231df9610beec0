"""Start-up is the product for a pre-commit hook: a one-file run imports only what it uses.

Timings are measured in bench/run.py, never asserted; what is tested here is the cause of slow
start-ups, an import that the run did not need.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import write

# Heavy modules a one-file run with no config file and cached rules has no use for.
NOT_NEEDED = ("yaml", "tomllib", "multiprocessing", "pygls", "jsonschema")

PROBE = """
import sys
from healthlint.cli import main
code = main(["check", "--cache-dir", sys.argv[2], sys.argv[1]])
print("imported:" + ",".join(sorted(name for name in {names!r} if name in sys.modules)))
"""


def imported_by_a_run(page: Path, cache: Path) -> list[str]:
    probe = PROBE.format(names=NOT_NEEDED)
    done = subprocess.run([sys.executable, "-c", probe, str(page), str(cache)], capture_output=True, text=True,
                          cwd=page.parent, check=False)
    assert done.returncode in (0, 1), done.stderr
    listed = done.stdout.rsplit("imported:", 1)[1].strip()
    return [name for name in listed.split(",") if name]


def test_a_one_file_run_with_cached_rules_imports_no_parser_or_pool(tmp_path: Path) -> None:
    page = write(tmp_path / "site" / "sleep.md", "# Sleep\n\nOur tea cures insomnia in every case.\n")
    cache = tmp_path / "cache"
    first = imported_by_a_run(page, cache)
    assert "yaml" in first  # the first run compiles the rulesets from their YAML
    assert imported_by_a_run(page, cache) == []


# Counts the standard library's own regex compilations (re._compiler.compile) made during the run.
COUNT_COMPILES = """
import sys
from re import _compiler
made = []
real = _compiler.compile
_compiler.compile = lambda pattern, flags=0: made.append(pattern) or real(pattern, flags)
from healthlint.cli import main
code = main(["check", "--cache-dir", sys.argv[2], sys.argv[1]])
print("compiled:", len(made))
"""


def re_compilations_in_a_run(page: Path, cache: Path) -> int:
    done = subprocess.run([sys.executable, "-c", COUNT_COMPILES, str(page), str(cache)], capture_output=True,
                          text=True, cwd=page.parent, check=False)
    assert done.returncode in (0, 1), done.stderr
    return int(done.stdout.rsplit("compiled:", 1)[1])


def test_a_second_run_rebuilds_re_patterns_from_the_cache_instead_of_compiling_them(tmp_path: Path) -> None:
    page = write(tmp_path / "site" / "sleep.md", "# Sleep\n\nOur tea *cures* insomnia in [every case](x.md).\n")
    cache = tmp_path / "cache"
    first = re_compilations_in_a_run(page, cache)
    assert first > 50  # ours, markdown-it's and the linter's patterns
    # What is left is compiled before the cache directory is known (argparse, the CLI's own imports).
    assert re_compilations_in_a_run(page, cache) < first / 4

"""healthlint as a pre-commit hook, with the real `pre-commit` on a temporary git content repo.

How this stays offline. The hook (.pre-commit-hooks.yaml) is `language: python`, so pre-commit
makes a virtualenv (virtualenv seeds pip from wheels it bundles) and runs `pip install .` on a
clone of this repository, which needs healthlint's build backend and dependencies. Two runs:

* `python`: the hook definition exactly as shipped. pip honours PIP_NO_INDEX and PIP_FIND_LINKS
  from the environment, so pre-commit's own install runs against `.ci/cache/wheelhouse`, which
  `.ci/fetch_test_inputs.py` fills at install time. This is the path users take, minus the index.
* `unsupported`: the same hook with only `language` switched to `unsupported` (pre-commit 4.4's
  name for `system`), so pre-commit runs the `healthlint` of this test environment. It needs no
  wheelhouse, so the hook's entry, file types and output are tested on every machine.

pre-commit clones hook repositories with git, so each run uses a commit of this working tree
(uncommitted edits included) made in a temporary copy; the real repository is never touched.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.ci_inputs import ci_input
from tests.conftest import REPO, write

pytest.importorskip("pre_commit", reason="pre-commit is not installed (it is in the test extra)")

HOOK_FILES = ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml", "healthlint", "rulesets")
BAD = "# Better sleep\n\nNightCalm gummies cure insomnia, with guaranteed results.\n"
CLEAN = "# Better sleep\n\nMost adults need seven or more hours of sleep a night.\n"


def git(cwd: Path, *args: str, env: dict[str, str]) -> str:
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True).stdout


def base_env(home: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("GIT_", "PIP_", "PRE_COMMIT"))}
    env.update({
        # The test environment's python, pre-commit and healthlint come first on PATH.
        "PATH": os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")]),
        "PRE_COMMIT_HOME": str(home / "pre-commit"),
        "VIRTUALENV_OVERRIDE_APP_DATA": str(home / "virtualenv"),
        "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "Content Team", "GIT_AUTHOR_EMAIL": "content@example.com",
        "GIT_COMMITTER_NAME": "Content Team", "GIT_COMMITTER_EMAIL": "content@example.com",
        "PIP_DISABLE_PIP_VERSION_CHECK": "1", "NO_COLOR": "1",
    })
    return env


def hook_repo(tmp: Path, language: str, env: dict[str, str]) -> tuple[Path, str]:
    """A git repository holding this working tree's hook; returns it and its commit."""
    repo = tmp / f"healthlint-{language}"
    for name in HOOK_FILES:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, repo / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            repo.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, repo / name)
    if language != "python":
        hooks = yaml.safe_load((repo / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
        for hook in hooks:
            hook["language"] = language
        (repo / ".pre-commit-hooks.yaml").write_text(yaml.safe_dump(hooks, sort_keys=False), encoding="utf-8")
    git(repo, "init", "--quiet", env=env)
    git(repo, "add", "--all", env=env)
    git(repo, "commit", "--quiet", "--message", "healthlint hook", env=env)
    return repo, git(repo, "rev-parse", "HEAD", env=env).strip()


def content_repo(tmp: Path, env: dict[str, str]) -> Path:
    site = tmp / "site"
    site.mkdir()
    git(site, "init", "--quiet", env=env)
    write(site / "README.md", "# Clinic site\n\nPages for the clinic's website.\n")
    # The team's config: these tests are about the hook, so they pin the rules they expect.
    write(site / ".healthlint.yaml", "select: [claims]\n")
    git(site, "add", "README.md", ".healthlint.yaml", env=env)
    git(site, "commit", "--quiet", "--message", "start", env=env)
    return site


def run(cwd: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(args), cwd=cwd, env=env, capture_output=True, text=True, check=False, timeout=300)


@pytest.fixture(params=["python", "unsupported"])
def setup(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Path, Path, str, dict[str, str]]:
    env = base_env(tmp_path)
    if request.param == "python":
        wheelhouse = ci_input("wheelhouse")
        env.update({"PIP_NO_INDEX": "1", "PIP_FIND_LINKS": str(wheelhouse)})
    hooks, rev = hook_repo(tmp_path, request.param, env)
    return hooks, content_repo(tmp_path, env), rev, env


def test_try_repo_fails_on_bad_copy_and_passes_clean_copy(setup: tuple[Path, Path, str, dict[str, str]]) -> None:
    hooks, site, rev, env = setup
    write(site / "pages" / "sleep.md", BAD)
    git(site, "add", "pages/sleep.md", env=env)
    bad = run(site, sys.executable, "-m", "pre_commit", "try-repo", str(hooks), "healthlint", "--ref", rev, env=env)
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "healthlint" in bad.stdout and "Failed" in bad.stdout
    assert "pages/sleep.md:3:19: warning claims/disease-claim" in bad.stdout
    assert "pages/sleep.md:3:39: warning claims/guaranteed-outcome" in bad.stdout

    write(site / "pages" / "sleep.md", CLEAN)
    git(site, "add", "pages/sleep.md", env=env)
    clean = run(site, sys.executable, "-m", "pre_commit", "try-repo", str(hooks), "healthlint", "--ref", rev, env=env)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "Passed" in clean.stdout


def test_commit_of_bad_copy_is_stopped(setup: tuple[Path, Path, str, dict[str, str]]) -> None:
    hooks, site, rev, env = setup
    # The snippet users paste (docs/integrations.md), pointed at the local hook repository.
    write(site / ".pre-commit-config.yaml",
          f"repos:\n  - repo: {hooks}\n    rev: {rev}\n    hooks:\n      - id: healthlint\n")
    git(site, "add", ".pre-commit-config.yaml", env=env)
    installed = run(site, sys.executable, "-m", "pre_commit", "install", env=env)
    assert installed.returncode == 0, installed.stdout + installed.stderr

    write(site / "pages" / "sleep.md", BAD)
    write(site / "pages" / "logo.svg", "<svg/>")  # not copy: the hook's file types leave it out
    git(site, "add", "--all", env=env)
    refused = run(site, "git", "commit", "--message", "Add sleep page", env=env)
    assert refused.returncode != 0
    output = refused.stdout + refused.stderr
    assert "pages/sleep.md:3:19: warning claims/disease-claim" in output
    assert "logo.svg" not in output
    assert git(site, "rev-list", "--count", "HEAD", env=env).strip() == "1"

    write(site / "pages" / "sleep.md", CLEAN)
    git(site, "add", "--all", env=env)
    accepted = run(site, "git", "commit", "--message", "Add sleep page", env=env)
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    assert "Passed" in accepted.stdout + accepted.stderr
    assert git(site, "rev-list", "--count", "HEAD", env=env).strip() == "2"

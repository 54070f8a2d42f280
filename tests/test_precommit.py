"""The pre-commit hook: the manifest follows pre-commit's schema and the ecosystem conventions,
and the hook really runs through ``pre-commit try-repo`` on a throwaway git repository
(installing a11ycheck into pre-commit's own virtualenv, as users get it)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MANIFEST = ROOT / ".pre-commit-hooks.yaml"

BAD = "<!DOCTYPE html>\n<html>\n<head><title>Bad</title></head>\n<body><main><h1>x</h1><img src='a.png'></main></body>\n</html>\n"
GOOD = "<!DOCTYPE html>\n<html lang='en'>\n<head><title>Good</title></head>\n<body><main><h1>x</h1></main></body>\n</html>\n"


def test_manifest_is_valid_and_follows_the_conventions() -> None:
    clientlib = pytest.importorskip("pre_commit.clientlib")
    hooks = clientlib.load_manifest(str(MANIFEST))  # pre-commit's own schema check
    assert [h["id"] for h in hooks] == ["a11ycheck"]
    hook = hooks[0]
    assert hook["language"] == "python" and hook["types_or"] == ["html"]
    assert hook["entry"] == "a11ycheck check --force-exclude" and hook["require_serial"] is True
    assert hook["pass_filenames"] is True


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                   env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid",
                        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid"})


def _hook_repository(dest: Path) -> Path:
    """This working tree as a hook repository (a git repo with what ``pip install .`` needs), so
    the test exercises the files as they are, committed or not."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in ("src", "rules"):
        shutil.copytree(ROOT / name, dest / name, ignore=ignore)
    for name in ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml"):
        shutil.copy(ROOT / name, dest / name)
    _git(dest, "init", "-q")
    _git(dest, "add", ".")
    _git(dest, "commit", "-q", "-m", "a11ycheck")
    return dest


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_hook_runs_through_pre_commit_try_repo(tmp_path: Path) -> None:
    pytest.importorskip("pre_commit")
    hook_repo = _hook_repository(tmp_path / "a11ycheck")
    project = tmp_path / "site"
    (project / "pages").mkdir(parents=True)
    (project / "vendor").mkdir()
    (project / "pages" / "bad.html").write_text(BAD, encoding="utf-8")
    (project / "pages" / "good.html").write_text(GOOD, encoding="utf-8")
    (project / "vendor" / "widget.html").write_text(BAD, encoding="utf-8")  # excluded by the project's config
    (project / "notes.txt").write_text("not html\n", encoding="utf-8")
    (project / "pyproject.toml").write_text('[tool.a11ycheck]\nexclude = ["vendor/"]\n', encoding="utf-8")
    _git(project, "init", "-q")
    _git(project, "add", ".")
    _git(project, "commit", "-q", "-m", "pages")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PRE_COMMIT", "GITHUB_"))}
    env.update(PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"), NO_COLOR="1")
    proc = subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(hook_repo), "a11ycheck", "--all-files", "--verbose",
         "--color", "never"],
        cwd=project, env=env, capture_output=True, text=True, timeout=900,
    )
    out = proc.stdout + proc.stderr
    if not re.search(r"^a11ycheck\.+(Passed|Failed)$", out, re.M):
        log = tmp_path / "pre-commit-home" / "pre-commit.log"
        detail = log.read_text(encoding="utf-8")[-3000:] if log.exists() else ""
        pytest.fail(f"pre-commit could not install or run the hook (exit {proc.returncode}):\n{out[-3000:]}\n{detail}")
    assert proc.returncode == 1, out[-3000:]
    assert re.search(r"^a11ycheck\.+Failed$", out, re.M)
    assert "pages/bad.html:2:1: html-has-lang" in out
    assert "pages/bad.html:4:" in out and "image-alt" in out
    assert "good.html:" not in out
    assert "vendor/widget.html" not in out  # --force-exclude applied the project's exclude to a named file

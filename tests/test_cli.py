"""The command line: exit codes, formats, rule documentation, stdin, errors without tracebacks."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from a11ycheck import __version__
from a11ycheck.cli import main
from a11ycheck.registry import load_schema

GOOD = "<!DOCTYPE html><html lang='en'><head><title>T</title></head><body><main><h1>Hi</h1></main></body></html>"
BAD = "<!DOCTYPE html><html><head></head><body><main><h1>Hi</h1></main></body></html>"


@pytest.fixture(autouse=True)
def _not_in_github_actions(monkeypatch: pytest.MonkeyPatch) -> None:
    """Inside GitHub Actions the default format is github; these tests are about text."""
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)


def run(args: list[str], input: bytes | None = None):
    return CliRunner().invoke(main, args, input=input, catch_exceptions=False)


def write(tmp_path: Path, name: str, text: str | bytes) -> str:
    p = tmp_path / name
    p.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return str(p)


def test_version() -> None:
    assert __version__ in run(["--version"]).output


def test_clean_file_exits_0(tmp_path: Path) -> None:
    res = run(["check", "--select", "document", write(tmp_path, "a.html", GOOD)])
    assert res.exit_code == 0, res.output
    assert "Found 0 findings" in res.output


def test_findings_exit_1_with_path_line_col(tmp_path: Path) -> None:
    p = write(tmp_path, "b.html", BAD)
    res = run(["check", "--select", "document", p])
    assert res.exit_code == 1
    assert f"{p}:1:16: document-title the page has no <title> element" in res.output
    assert f"{p}:1:16: html-has-lang" in res.output


def test_json_output_validates(tmp_path: Path) -> None:
    res = run(["check", "--format", "json", "--select", "document", write(tmp_path, "b.html", BAD)])
    data = json.loads(res.output)
    jsonschema.validate(data, load_schema("report"))
    assert data["summary"]["by_rule"] == {"document-title": 1, "html-has-lang": 1}


def test_output_file(tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    res = run(["check", "--format", "json", "-o", str(out), "--select", "document", write(tmp_path, "b.html", BAD)])
    assert res.exit_code == 1 and res.output == ""
    assert json.loads(out.read_text())["summary"]["findings"] == 2


def test_stdin(tmp_path: Path) -> None:
    res = run(["check", "--select", "document", "-"], input=BAD.encode())
    assert res.exit_code == 1
    assert "-:1:16: document-title" in res.output


def test_bad_inputs_are_errors_not_tracebacks_and_others_still_checked(tmp_path: Path) -> None:
    empty = write(tmp_path, "empty.html", b"")
    binary = write(tmp_path, "img.html", b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    good = write(tmp_path, "good.html", BAD)
    missing = str(tmp_path / "nope.html")
    nohtml = tmp_path / "emptydir"
    nohtml.mkdir()
    res = CliRunner().invoke(main, ["check", "--select", "document", empty, binary, good, missing, str(nohtml)])
    assert res.exit_code == 2
    assert "Traceback" not in res.output
    assert f"{good}:1:16: document-title" in res.stdout
    for frag in ("empty: the file is empty", "binary: binary data (a PNG image)", "not-found", "no-html"):
        assert frag in res.stderr, frag


def test_json_lists_errors(tmp_path: Path) -> None:
    empty = write(tmp_path, "empty.html", b"   \n")
    res = CliRunner().invoke(main, ["check", "--format", "json", empty])
    data = json.loads(res.stdout)
    jsonschema.validate(data, load_schema("report"))
    assert data["errors"] == [{"path": empty, "kind": "empty", "message": "the file is empty (no HTML to check)"}]
    assert res.exit_code == 2


def test_too_large(tmp_path: Path) -> None:
    p = write(tmp_path, "big.html", BAD + " " * 200)
    res = CliRunner().invoke(main, ["check", "--max-bytes", "100", p])
    assert res.exit_code == 2 and "too-large" in res.stderr


def test_unknown_selector_is_usage_error(tmp_path: Path) -> None:
    res = CliRunner().invoke(main, ["check", "--select", "no-such-rule", write(tmp_path, "a.html", GOOD)])
    assert res.exit_code == 2 and "unknown rule or family" in res.output


def test_rules_and_rule_commands() -> None:
    res = run(["rules"])
    assert "document-title" in res.output and res.exit_code == 0
    listed = json.loads(run(["rules", "--format", "json"]).output)
    assert {r["id"] for r in listed} >= {"document-title", "html-has-lang", "html-lang-valid"}
    doc = run(["rule", "html-lang-valid"]).output
    for section in ("## What it does", "## Why it matters", "## How to fix", "## Examples", "word-not-code"):
        assert section in doc
    assert CliRunner().invoke(main, ["rule", "nope"]).exit_code == 2


def test_schema_command() -> None:
    assert json.loads(run(["schema", "report"]).output) == load_schema("report")


def test_no_color_by_default_and_forced(tmp_path: Path) -> None:
    p = write(tmp_path, "b.html", BAD)
    assert "\x1b[" not in run(["check", p]).output
    assert "\x1b[" in CliRunner(env={"FORCE_COLOR": "1"}).invoke(main, ["check", p]).output
    assert "\x1b[" not in CliRunner(env={"FORCE_COLOR": "", "NO_COLOR": "1"}).invoke(main, ["check", "--no-color", p]).output


def test_directory_recursion_sorted(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    write(tmp_path, "z.html", BAD)
    write(tmp_path / "sub", "a.htm", BAD)
    write(tmp_path, "notes.txt", "x")
    data = json.loads(run(["check", "--format", "json", "--select", "document", str(tmp_path)]).output)
    assert [Path(f["path"]).name for f in data["files"]] == ["a.htm", "z.html"]


def test_readme_rule_table_is_in_sync() -> None:
    """README's rule list is the catalogue: regenerate with `a11ycheck rules --format markdown`."""
    import re

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    table = re.search(r"<!-- rules:start -->\n(.*)\n<!-- rules:end -->", readme, re.S)
    assert table is not None
    assert table.group(1) == run(["rules", "--format", "markdown"]).output.strip()


def test_readme_opens_with_the_two_setup_commands_and_ci_runs_the_test_one() -> None:
    root = Path(__file__).resolve().parents[1]
    readme = (root / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```sh\n(.*?)\n```", readme, re.S)
    assert block is not None
    commands = block.group(1).splitlines()
    assert len(commands) == 2 and "a11ycheck check examples/" in commands[0] and "pytest" in commands[1]
    assert commands[1] in (root / ".ci" / "run").read_text(encoding="utf-8")

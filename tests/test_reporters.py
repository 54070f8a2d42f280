"""CI formats: SARIF validated against the official 2.1.0 schema plus GitHub code scanning's
requirements, GitHub workflow commands parsed as the runner parses them (limits, escaping),
JUnit parsed by junitparser and lxml (unique names), GitLab Code Quality against its documented
shape, --statistics, and exit codes with --fail-on / --exit-zero."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner
from lxml import etree

from a11ycheck.cli import main
from a11ycheck.registry import load_rules, load_schema
from a11ycheck.reporters import REPORTERS, github, junit

from conftest import SHARED

SARIF_SCHEMA = SHARED / "schemas" / "sarif-schema-2.1.0.json"
SELECT = "document,image-alt,heading-order,empty-heading,unused-suppression"

PAGES = {
    # image-alt: critical (x3)
    "site/posts/hello/index.html": """<!DOCTYPE html>
<html lang="en">
<head><title>Hello</title></head>
<body><main><h1>Hello</h1>
<img src="a.png">
<img src="b.png"
     class="wide">
<p>100% of "cats" &amp; dogs, <b>bold</b></p>
<img src="c.png">
</main></body></html>
""",
    # document-title: serious; heading-order: moderate; empty-heading: minor; unused-suppression: minor
    "site/about.html": """<!DOCTYPE html>
<html lang="en">
<head></head>
<body><main><h1>About</h1>
<h3>Skipped</h3>
<h2></h2>
<p data-a11ycheck-ignore="image-alt">No image here</p>
</main></body></html>
""",
    "site/clean.html": """<!DOCTYPE html>
<html lang="en"><head><title>Clean</title></head><body><main><h1>Clean</h1></main></body></html>
""",
    "site/broken.html": "",  # a tool error: the file is empty
}


@pytest.fixture(autouse=True)
def _env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    for var in ("GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY", "NO_COLOR", "FORCE_COLOR"):
        monkeypatch.delenv(var, raising=False)


@pytest.fixture()
def site(tmp_path: Path) -> Path:
    for rel, text in PAGES.items():
        p = tmp_path / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
    return tmp_path


def run(*args: str, env: dict | None = None):
    return CliRunner(env=env).invoke(main, ["check", "--isolated", *args], catch_exceptions=False)


def output(fmt: str, *args: str, env: dict | None = None) -> str:
    res = run("--format", fmt, "--select", SELECT, *args, "site", env=env)
    assert res.exit_code == 2, res.output  # findings, and one file could not be checked
    return res.stdout


# ------------------------------------------------------------------------------ SARIF
def sarif(site: Path) -> dict:
    return json.loads(output("sarif"))


def test_sarif_validates_against_the_official_schema(site: Path) -> None:
    if not SARIF_SCHEMA.is_file():
        pytest.skip(f"SARIF schema not available at {SARIF_SCHEMA}")
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
    errors = sorted(validator.iter_errors(sarif(site)), key=lambda e: list(e.absolute_path))
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors[:5]]


def test_sarif_has_what_github_code_scanning_needs(site: Path) -> None:
    """GitHub's documented requirements (empty strings are not accepted for required fields)."""
    log = sarif(site)
    assert log["version"] == "2.1.0" and log["$schema"].endswith("sarif-2.1.0.json")
    assert len(log["runs"]) == 1
    run_ = log["runs"][0]
    driver = run_["tool"]["driver"]
    assert driver["name"] == "a11ycheck" and driver["semanticVersion"]
    rules = driver["rules"]
    ids = [r["id"] for r in rules]
    assert ids == sorted(ids) and len(ids) == len(set(ids))
    for r in rules:
        for key in ("shortDescription", "fullDescription"):
            assert 0 < len(r[key]["text"]) <= 1024
        assert r["help"]["text"] and r["help"]["markdown"]
        assert r["defaultConfiguration"]["level"] in ("note", "warning", "error")
        assert "security-severity" not in r["properties"] and len(r["properties"]["tags"]) <= 20
        assert r["properties"]["problem.severity"] in ("error", "warning", "recommendation")
    assert run_["automationDetails"]["id"] == "a11ycheck/"
    results = run_["results"]
    assert len(results) == 7
    seen = set()
    for res in results:
        assert rules[res["ruleIndex"]]["id"] == res["ruleId"]
        assert res["message"]["text"]
        loc = res["locations"][0]["physicalLocation"]
        assert not loc["artifactLocation"]["uri"].startswith(("/", "file:"))  # relative to the repository
        region = loc["region"]
        assert region["startLine"] >= 1 and region["startColumn"] >= 1
        assert (region["endLine"], region["endColumn"]) > (region["startLine"], region["startColumn"])
        fp = res["partialFingerprints"]["primaryLocationLineHash"]
        assert re.fullmatch(r"[0-9a-f]{20}:1", fp) and fp not in seen
        seen.add(fp)
    levels = {r["ruleId"]: r["level"] for r in results}
    assert levels == {"image-alt": "error", "document-title": "error", "heading-order": "warning",
                      "empty-heading": "note", "unused-suppression": "note"}
    multi = next(r for r in results if "b.png" in r["locations"][0]["physicalLocation"]["region"]["snippet"]["text"])
    region = multi["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"], region["endLine"], region["endColumn"]) == (6, 1, 7, 19)
    notes = run_["invocations"][0]
    assert notes["executionSuccessful"] is False
    assert notes["toolExecutionNotifications"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == \
        "site/broken.html"


def test_sarif_fingerprints_survive_moved_lines(site: Path) -> None:
    before = {r["partialFingerprints"]["primaryLocationLineHash"] for r in sarif(site)["runs"][0]["results"]}
    page = site / "site/posts/hello/index.html"
    page.write_text("\n\n\n" + page.read_text(encoding="utf-8"), encoding="utf-8")
    after_results = sarif(site)["runs"][0]["results"]
    assert {r["partialFingerprints"]["primaryLocationLineHash"] for r in after_results} == before


# ------------------------------------------------------------------------------ GitHub annotations
_COMMAND = re.compile(r"::(?P<cmd>[a-z]+)(?: (?P<props>[^:]*))?::(?P<msg>.*)")


def _unescape(text: str, prop: bool) -> str:
    pairs = [("%0D", "\r"), ("%0A", "\n")] + ([("%3A", ":"), ("%2C", ",")] if prop else []) + [("%25", "%")]
    for a, b in pairs:
        text = text.replace(a, b)
    return text


def parse_commands(text: str) -> list[dict]:
    """Workflow commands as the Actions runner reads them: ``::cmd k=v,k=v::message``."""
    out = []
    for line in text.splitlines():
        m = _COMMAND.fullmatch(line)
        assert m, f"not a workflow command: {line!r}"
        props = {}
        for item in (m["props"] or "").split(","):
            if item:
                key, _, value = item.partition("=")
                props[key] = _unescape(value, True)
        out.append({"command": m["cmd"], **props, "message": _unescape(m["msg"], False)})
    return out


def test_github_annotations(site: Path) -> None:
    cmds = parse_commands(output("github"))
    assert [c["command"] for c in cmds].count("error") == 1 + 4  # the broken file, 3 x image-alt, document-title
    first = cmds[0]
    assert first["file"] == "site/broken.html" and first["title"] == "a11ycheck (empty)"
    img = next(c for c in cmds if c.get("title") == "a11ycheck (image-alt)")
    assert img["file"] == "site/posts/hello/index.html" and img["line"] == "5" and img["col"] == "1"
    assert img["message"].startswith("site/posts/hello/index.html:5:1: image-alt ")
    multi = next(c for c in cmds if c.get("line") == "6" and c.get("title") == "a11ycheck (image-alt)")
    assert multi["endLine"] == "7" and "col" not in multi and "endColumn" not in multi  # spans two lines
    summary = cmds[-1]
    assert summary["command"] == "notice" and summary["title"] == "a11ycheck"
    assert summary["message"].startswith("Found 7 findings (7 failed, 0 to review) in 3 files; 1 file could not")


def test_github_annotation_limits_and_summary(tmp_path: Path) -> None:
    body = "\n".join(f'<img src="{i}.png">' for i in range(25))  # 25 critical
    body += "\n" + "\n".join("<h1>x</h1><h3>y</h3>" for _ in range(12))  # 12 moderate (heading-order)
    body += "\n" + "\n".join("<h2></h2>" for _ in range(15))  # minor (empty-heading)
    page = tmp_path / "many.html"
    page.write_text(f"<!DOCTYPE html><html lang='en'><head><title>T</title></head><body><main>{body}</main></body></html>",
                    encoding="utf-8")
    res = run("--format", "github", "--select", "image-alt,heading-order,empty-heading", "many.html")
    assert res.exit_code == 1
    cmds = parse_commands(res.stdout)
    counts = {k: sum(1 for c in cmds if c["command"] == k) for k in ("error", "warning", "notice")}
    assert counts == {"error": 10, "warning": 10, "notice": 10}
    total = 25 + 12 + 15
    assert f"Found {total} findings" in cmds[-1]["message"]
    assert f"29 shown as annotations, {total - 29} not shown" in cmds[-1]["message"]


def test_github_escaping_round_trips() -> None:
    line = github.command("error", "100% sure\r\nnext: line, more", title="a11ycheck (x)", file="dir/a,b:c.html", line=3)
    assert line == "::error title=a11ycheck (x),file=dir/a%2Cb%3Ac.html,line=3::100%25 sure%0D%0Anext: line, more"
    (parsed,) = parse_commands(line)
    assert parsed["file"] == "dir/a,b:c.html" and parsed["message"] == "100% sure\r\nnext: line, more"


def test_github_format_is_the_default_inside_github_actions_and_writes_the_job_summary(site: Path) -> None:
    summary = site / "summary.md"
    res = run("--select", SELECT, "site", env={"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)})
    assert res.stdout.startswith("::error ")
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("## a11ycheck: 7 findings in 3 files")
    assert text.count("| `site/") == 7 and "`site/broken.html`: empty" in text
    assert "the job summary lists all" not in res.stdout  # every finding fitted in the annotations


def test_step_summary_is_cut_at_the_limit(site: Path) -> None:
    from a11ycheck.api import check_paths, make_runs, select_rules

    report = check_paths(["site"], make_runs(select_rules(load_rules(), SELECT.split(","))))
    cut = github.step_summary(report, limit=400)
    assert len(cut.encode("utf-8")) < 400 + 200 and "more findings not listed" in cut


# ------------------------------------------------------------------------------ JUnit
def test_junit_parses_with_junitparser_and_names_are_unique(site: Path) -> None:
    junitparser = pytest.importorskip("junitparser")
    text = output("junit")
    etree.fromstring(text.encode("utf-8"))  # well-formed XML
    xml = junitparser.JUnitXml.fromstring(text.encode("utf-8"))
    suites = list(xml)
    assert [s.name for s in suites] == ["site/about.html", "site/broken.html", "site/clean.html",
                                        "site/posts/hello/index.html"]
    selected = sorted(r.id for r in load_rules().values() if r.id in {
        "document-title", "html-has-lang", "html-lang-valid", "image-alt", "heading-order", "empty-heading",
        "unused-suppression"})
    keys = []
    for suite in suites:
        cases = list(suite)
        keys += [(c.classname, c.name) for c in cases]
        if suite.name == "site/broken.html":
            assert [c.name for c in cases] == ["a11ycheck"]
            assert cases[0].result[0].type == "empty"
        else:
            assert [c.name for c in cases] == selected  # one test case per page and rule
    assert len(keys) == len(set(keys)), "GitLab keeps only the first of duplicate classname+name"
    hello = next(s for s in suites if s.name.endswith("index.html"))
    failing = {c.name: c for c in hello if c.result}
    assert set(failing) == {"image-alt"}
    case = failing["image-alt"]
    assert case.classname == "site.posts.hello.index"
    assert case.result[0].message.startswith("3 findings: ")
    body = case.result[0].text
    assert "site/posts/hello/index.html:5:1: image-alt " in body and "WCAG 1.1.1" in body
    assert int(xml.tests) == sum(int(s.tests) for s in suites) and int(xml.failures) == 5 and int(xml.errors) == 1


def test_junit_fail_on_moves_lower_impacts_to_system_out(site: Path) -> None:
    text = output("junit", "--fail-on", "serious")
    root = etree.fromstring(text.encode("utf-8"))
    failed = sorted(c.get("name") for c in root.iter("testcase") if c.find("failure") is not None)
    assert failed == ["document-title", "image-alt"]
    out = [c for c in root.iter("testcase") if c.find("system-out") is not None]
    assert sorted(c.get("name") for c in out) == ["empty-heading", "heading-order", "unused-suppression"]


def test_junit_classnames_stay_unique_and_xml_safe(tmp_path: Path) -> None:
    for rel in ("a.b.html", "a/b.html", "a_b.html"):
        p = tmp_path / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text("<!DOCTYPE html><html><head><title>T\x01</title></head><body></body></html>", encoding="utf-8")
    res = run("--format", "junit", "--select", "html-has-lang", "a.b.html", "a/b.html", "a_b.html")
    root = etree.fromstring(res.stdout.encode("utf-8"))
    names = [c.get("classname") for c in root.iter("testcase")]
    assert len(names) == 3 and len(set(names)) == 3
    assert junit.classname("site/posts/hello/index.html") == "site.posts.hello.index"


# ------------------------------------------------------------------------------ GitLab Code Quality
CODE_QUALITY = {
    # The fields GitLab's Code Quality documentation lists as required, and their values.
    "type": "array",
    "items": {
        "type": "object",
        "required": ["description", "check_name", "fingerprint", "severity", "location"],
        "properties": {
            "description": {"type": "string", "minLength": 1},
            "check_name": {"type": "string", "minLength": 1},
            "fingerprint": {"type": "string", "minLength": 1},
            "severity": {"enum": ["info", "minor", "major", "critical", "blocker"]},
            "location": {
                "type": "object", "required": ["path", "positions"],
                "properties": {
                    "path": {"type": "string", "minLength": 1, "not": {"pattern": "^(/|\\./)"}},
                    "positions": {"type": "object", "required": ["begin"], "properties": {
                        "begin": {"type": "object", "required": ["line"],
                                  "properties": {"line": {"type": "integer", "minimum": 1}}}}},
                },
            },
        },
    },
}


def test_gitlab_code_quality(site: Path) -> None:
    issues = json.loads(output("gitlab"))
    jsonschema.validate(issues, CODE_QUALITY)
    assert len(issues) == 7 and len({i["fingerprint"] for i in issues}) == 7
    assert {i["check_name"]: i["severity"] for i in issues} == {
        "image-alt": "blocker", "document-title": "critical", "heading-order": "major", "empty-heading": "minor",
        "unused-suppression": "minor"}


# ------------------------------------------------------------------------------ JSON, text, statistics
def test_json_report_with_suppressed_and_baselined_validates(site: Path) -> None:
    run("--select", SELECT, "--write-baseline", "b.json", "site/about.html")
    page = site / "site/about.html"
    page.write_text(page.read_text().replace("</main>", '<img src="x.png" data-a11ycheck-ignore="images"></main>'))
    res = run("--format", "json", "--select", SELECT, "--baseline", "b.json", "site/about.html")
    data = json.loads(res.stdout)
    jsonschema.validate(data, load_schema("report"))
    assert data["summary"]["suppressed"] == 1 and data["summary"]["baselined"] == 4
    assert res.exit_code == 0


def test_statistics(site: Path) -> None:
    res = run("--statistics", "--select", SELECT, "site")
    lines = res.stdout.splitlines()
    assert re.fullmatch(r"3  image-alt +critical  \S.*", lines[0]), lines[0]
    assert [line.split()[1] for line in lines[:-1]] == ["image-alt", "document-title", "empty-heading",
                                                        "heading-order", "unused-suppression"]
    assert lines[-1].startswith("Found 7 findings")
    rows = json.loads(run("--statistics", "--format", "json", "--select", SELECT, "site").stdout)
    assert rows[0] == {"rule": "image-alt", "count": 3, "impact": "critical",
                       "title": load_rules()["image-alt"].data["title"]}


def test_every_format_is_deterministic(site: Path) -> None:
    for fmt in REPORTERS:
        assert output(fmt) == output(fmt), fmt


# ------------------------------------------------------------------------------ exit codes
@pytest.mark.parametrize(("page", "fail_on", "code"), [
    ("site/posts/hello/index.html", None, 1),  # critical
    ("site/posts/hello/index.html", "critical", 1),
    ("site/about.html", "critical", 0),  # serious at worst
    ("site/about.html", "serious", 1),
    ("site/clean.html", "minor", 0),
])
def test_exit_codes_with_fail_on(site: Path, page: str, fail_on: str | None, code: int) -> None:
    args = ["--select", SELECT, page] + (["--fail-on", fail_on] if fail_on else [])
    assert run(*args).exit_code == code


def test_fail_on_counts_minor_findings_only_at_minor(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text("<!DOCTYPE html><html lang='en'><head><title>T</title></head><body>"
                                     "<p data-a11ycheck-ignore='image-alt'>x</p></body></html>", encoding="utf-8")
    assert run("--select", SELECT, "a.html").exit_code == 1
    assert run("--select", SELECT, "--fail-on", "moderate", "a.html").exit_code == 0


def test_exit_zero_reports_without_failing_but_tool_errors_still_exit_2(site: Path) -> None:
    res = run("--exit-zero", "--select", SELECT, "site/posts/hello/index.html")
    assert res.exit_code == 0 and "image-alt" in res.output
    assert run("--exit-zero", "--select", SELECT, "site").exit_code == 2


def test_text_lines_parse_like_a_gnu_problem_matcher(site: Path) -> None:
    """Every text finding line is ``path:line:col: rule message`` (what editors and CI problem
    matchers read), and says the same as the JSON report."""
    text = run("--format", "text", "--select", SELECT, "site").stdout.splitlines()
    report = json.loads(output("json"))
    want = [(fr["path"], f["line"], f["column"], f["rule"], f["message"]) for fr in report["files"]
            for f in fr["findings"]]
    matcher = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<code>[a-z0-9-]+) (?P<msg>.+)$")
    got = []
    for line in text[:-1]:
        m = matcher.match(line)
        assert m, line
        got.append((m["file"], int(m["line"]), int(m["col"]), m["code"], m["msg"]))
    assert got == want
    assert text[-1].startswith("Found 7 findings")


def test_inside_github_actions_a_report_file_stays_text(site: Path) -> None:
    res = run("--select", SELECT, "-o", "report.txt", "site", env={"GITHUB_ACTIONS": "true"})
    assert res.exit_code == 2 and (site / "report.txt").read_text(encoding="utf-8").startswith("site/about.html:2:1: ")

"""Inline suppression (attribute and comment forms, used and unused) and baselines (round trip
after an edit that shifts every line)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from a11ycheck.api import check_bytes, make_runs, select_rules
from a11ycheck.cli import main
from a11ycheck.engine import fingerprint, fingerprint_path
from a11ycheck.registry import load_rules
from a11ycheck.suppress import scan

from helpers import doc_of

PAGE = """<!DOCTYPE html>
<html lang="en">
<head><title>Article</title></head>
<body>
<main>
<h1>Story</h1>
{body}
</main>
</body>
</html>
"""


@pytest.fixture(autouse=True)
def _env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)


def check(html: str, select: str = "image-alt,unused-suppression"):
    runs = make_runs(select_rules(load_rules(), select.split(",")))
    outcome = check_bytes(html.encode(), "page.html", runs)
    assert outcome.result is not None, outcome.errors
    return outcome.result


def found(result) -> list[tuple[str, int, str]]:
    return [(f.rule, f.line, f.message.split(" ")[0]) for f in result.findings]


def rules_at(result) -> list[tuple[str, int]]:
    return [(f.rule, f.line) for f in result.findings]


# ------------------------------------------------------------------------------ attribute form
def test_attribute_suppresses_element_and_subtree_only() -> None:
    html = PAGE.format(body='<figure data-a11ycheck-ignore="image-alt">\n<img src="a.png">\n</figure>\n<img src="b.png">')
    result = check(html)
    assert rules_at(result) == [("image-alt", 10)]  # b.png only
    assert result.suppressed == 1


def test_attribute_accepts_lists_families_and_all() -> None:
    for value in ("region, image-alt", "images", "all", "image-alt region"):
        html = PAGE.format(body=f'<img src="a.png" data-a11ycheck-ignore="{value}">')
        result = check(html, "image-alt,region,unused-suppression")
        assert [f.rule for f in result.findings if f.rule == "image-alt"] == [], value
        assert result.suppressed >= 1


def test_unused_attribute_is_a_finding_of_its_own() -> None:
    html = PAGE.format(body='<img src="a.png" alt="A cat" data-a11ycheck-ignore="image-alt">')
    result = check(html)
    assert [(f.rule, f.line) for f in result.findings] == [("unused-suppression", 7)]
    f = result.findings[0]
    assert 'data-a11ycheck-ignore="image-alt" (line 7) suppresses nothing: image-alt reported no finding' in f.message
    assert f.impact == "minor" and result.suppressed == 0


def test_misspelt_rule_is_reported() -> None:
    html = PAGE.format(body='<img src="a.png" data-a11ycheck-ignore="image-atl">')
    result = check(html)
    assert sorted(f.rule for f in result.findings) == ["image-alt", "unused-suppression"]
    assert "names image-atl, which is no rule id" in next(f.message for f in result.findings if f.rule == "unused-suppression")


def test_verdict_does_not_depend_on_the_selection() -> None:
    """A suppression for a rule that is not selected is judged by running that rule."""
    used = PAGE.format(body='<img src="a.png" data-a11ycheck-ignore="image-alt">')
    assert check(used, "unused-suppression").findings == []
    unused = PAGE.format(body='<img src="a.png" alt="x" data-a11ycheck-ignore="image-alt">')
    assert rules_at(check(unused, "unused-suppression")) == [("unused-suppression", 7)]


def test_unused_suppression_findings_can_themselves_be_suppressed() -> None:
    html = PAGE.format(body='<div data-a11ycheck-ignore="unused-suppression"><img src="a.png" alt="x" '
                            'data-a11ycheck-ignore="image-alt"></div>')
    result = check(html)
    assert result.findings == [] and result.suppressed == 1


# ------------------------------------------------------------------------------ comment forms
def test_disable_next_covers_the_next_element_and_its_subtree() -> None:
    html = PAGE.format(body="<!-- a11ycheck-disable-next image-alt -- decorative, alt set by the CMS -->\n"
                            "<p><img src='a.png'></p>\n<img src='b.png'>")
    result = check(html)
    assert rules_at(result) == [("image-alt", 9)] and result.suppressed == 1


def test_disable_enable_range_per_rule() -> None:
    html = PAGE.format(body="<!-- a11ycheck-disable image-alt, region -->\n<img src='a.png'>\n<img src='b.png'>\n"
                            "<!-- a11ycheck-enable image-alt -->\n<img src='c.png'>")
    result = check(html, "image-alt,unused-suppression")
    # c.png is after the enable; region is not selected but its directive entry is judged: still open, and
    # region reports nothing inside <main>, so the directive is unused for region
    assert rules_at(result) == [("unused-suppression", 8), ("image-alt", 11)]
    assert "region reported no finding" in result.findings[0].message
    assert result.suppressed == 2


def test_enable_without_names_ends_every_range_and_unterminated_disable_runs_to_the_end() -> None:
    html = PAGE.format(body="<!-- a11ycheck-disable image-alt -->\n<img src='a.png'>\n<!-- a11ycheck-enable -->\n"
                            "<img src='b.png'>\n<!-- a11ycheck-disable image-alt -->\n<img src='c.png'>")
    result = check(html)
    assert rules_at(result) == [("image-alt", 10)]
    assert result.suppressed == 2


def test_disable_block_covers_the_rest_of_the_parent() -> None:
    html = PAGE.format(body="<img src='a.png'>\n<section><img src='b.png'>\n<!-- a11ycheck-disable-block image-alt -->\n"
                            "<img src='c.png'></section>\n<img src='d.png'>")
    result = check(html)
    assert rules_at(result) == [("image-alt", 7), ("image-alt", 8), ("image-alt", 11)]
    assert result.suppressed == 1


def test_comment_before_html_covers_page_level_findings() -> None:
    html = "<!DOCTYPE html>\n<!-- a11ycheck-disable-next html-has-lang -->\n<html><head><title>T</title></head><body></body></html>"
    result = check(html, "html-has-lang,unused-suppression")
    assert result.findings == [] and result.suppressed == 1


def test_unused_comment_forms_are_reported_at_the_next_element_with_the_comment_line() -> None:
    html = PAGE.format(body="<!-- a11ycheck-disable-next image-alt -->\n<img src='a.png' alt='A cat'>\n"
                            "<!-- a11ycheck-disabel image-alt -->\n<p>x</p>\n<!-- a11ycheck-disable-next -->\n<p>y</p>")
    result = check(html)
    got = [(f.rule, f.line, f.message) for f in result.findings]
    assert [g[:2] for g in got] == [("unused-suppression", 8), ("unused-suppression", 10), ("unused-suppression", 12)]
    assert "<!-- a11ycheck-disable-next image-alt --> (line 7) suppresses nothing" in got[0][2]
    assert "is not an a11ycheck directive" in got[1][2]
    assert "names no rule" in got[2][2]


def test_ordinary_comments_and_pages_without_directives() -> None:
    doc = doc_of(PAGE.format(body="<!-- a11ycheck: generated 2026 --><img src='a.png'>"))
    assert not scan(doc)
    doc = doc_of(PAGE.format(body="<img src='a.png'>"))
    assert not scan(doc) and scan(doc).directives == []


def test_deep_tree_with_directives_does_not_recurse() -> None:
    depth = 1500
    html = PAGE.format(body="<div>" * depth + "<img src='a.png' data-a11ycheck-ignore='image-alt'>" + "</div>" * depth)
    result = check(html)
    assert result.findings == [] and result.suppressed == 1


def test_cli_counts_suppressed_findings(tmp_path: Path) -> None:
    page = tmp_path / "a.html"
    page.write_text(PAGE.format(body='<img src="a.png" data-a11ycheck-ignore="image-alt">'), encoding="utf-8")
    res = CliRunner().invoke(main, ["check", "--select", "images", str(page)])
    assert res.exit_code == 0 and "1 suppressed inline" in res.output
    data = json.loads(CliRunner().invoke(main, ["check", "--format", "json", "--select", "images", str(page)]).output)
    assert data["summary"]["suppressed"] == 1


# ------------------------------------------------------------------------------ baselines
LEGACY = """<!DOCTYPE html>
<html>
<head><title>Legacy</title></head>
<body>
<main><h1>Old</h1>
<img src="a.png">
<img src="b.png" alt="">
</main>
</body>
</html>
"""


def cli(*args: str):
    return CliRunner().invoke(main, ["check", "--isolated", "--select", "document,images", *args], catch_exceptions=False)


def test_baseline_round_trip_survives_an_edit_that_shifts_every_line(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    page = site / "index.html"
    page.write_text(LEGACY, encoding="utf-8")
    assert cli("site").exit_code == 1
    res = cli("--write-baseline", "baseline.json", "site")
    assert res.exit_code == 0 and "wrote 2 finding(s) to the baseline baseline.json" in res.stderr
    data = json.loads((tmp_path / "baseline.json").read_text())
    assert [e["rule"] for e in data["findings"]] == ["html-has-lang", "image-alt"]
    assert {e["path"] for e in data["findings"]} == {"site/index.html"}

    # a rebuild adds a banner comment and re-indents everything: every line moves
    shifted = "<!-- generated by the site builder -->\n\n\n" + "\n".join("    " + line for line in LEGACY.splitlines())
    page.write_text(shifted, encoding="utf-8")
    res = cli("--baseline", "baseline.json", "site")
    assert res.exit_code == 0, res.output
    assert "Found 0 findings" in res.output and "2 in the baseline" in res.output

    # a new defect is reported and gates; the old ones stay baselined
    page.write_text(shifted.replace("</main>", '<img src="new.png"></main>'), encoding="utf-8")
    res = cli("--baseline", "baseline.json", "--format", "json", "site")
    assert res.exit_code == 1
    report = json.loads(res.stdout)
    assert [(f["rule"], f["snippet"]) for fr in report["files"] for f in fr["findings"]] == [
        ("image-alt", '<img src="new.png">')]
    assert report["summary"]["baselined"] == 2


def test_baseline_matches_however_the_path_was_written(tmp_path: Path) -> None:
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "index.html").write_text(LEGACY, encoding="utf-8")
    assert cli("--write-baseline", "b.json", "./site/").exit_code == 0
    assert cli("--baseline", "b.json", str(tmp_path / "site" / "index.html")).exit_code == 0
    assert fingerprint_path(str(tmp_path / "site" / "index.html")) == "site/index.html"
    assert fingerprint("r", "./site//index.html", "img", "<img>") == fingerprint("r", "site/index.html", "img", "<img>")


def test_baseline_problems_are_usage_errors(tmp_path: Path) -> None:
    page = tmp_path / "a.html"
    page.write_text(LEGACY, encoding="utf-8")
    res = cli("--baseline", "missing.json", str(page))
    assert res.exit_code == 2 and "missing.json: baseline file not found" in res.output
    (tmp_path / "bad.json").write_text("{not json", encoding="utf-8")
    res = cli("--baseline", "bad.json", str(page))
    assert res.exit_code == 2 and "not a baseline file" in res.output
    (tmp_path / "other.json").write_text('{"version": 1, "runs": []}', encoding="utf-8")
    res = cli("--baseline", "other.json", str(page))
    assert res.exit_code == 2 and "not an a11ycheck baseline" in res.output


def test_baseline_file_is_deterministic(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text(LEGACY, encoding="utf-8")
    cli("--write-baseline", "one.json", "a.html")
    cli("--write-baseline", "two.json", "a.html")
    assert (tmp_path / "one.json").read_bytes() == (tmp_path / "two.json").read_bytes()

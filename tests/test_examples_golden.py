"""Golden reports for examples/: each page's JSON and text report is pinned in
``<name>.expected.json`` / ``.expected.txt``. Run ``pytest --update-golden`` to rewrite them and
review the diff."""

from __future__ import annotations

import json
import os
from pathlib import Path

import jsonschema
import pytest

from a11ycheck.api import check_paths
from a11ycheck.registry import load_schema
from a11ycheck.reporters import REPORTERS

ROOT = Path(__file__).resolve().parents[1]
PAGES = sorted(p.name for p in (ROOT / "examples").glob("*.html"))


@pytest.fixture()
def in_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


@pytest.mark.parametrize("page", PAGES)
def test_golden_report(page: str, in_root: None, update_golden: bool) -> None:
    report = check_paths([f"examples/{page}"])
    got_json = REPORTERS["json"](report)
    got_text = REPORTERS["text"](report)
    jsonschema.validate(json.loads(got_json), load_schema("report"))
    stem = ROOT / "examples" / page[: -len(".html")]
    json_path, text_path = Path(f"{stem}.expected.json"), Path(f"{stem}.expected.txt")
    if update_golden:
        json_path.write_text(got_json, encoding="utf-8")
        text_path.write_text(got_text, encoding="utf-8")
    assert json_path.exists(), f"missing golden {json_path.name}: run pytest --update-golden"
    assert got_json == json_path.read_text(encoding="utf-8")
    assert got_text == text_path.read_text(encoding="utf-8")


def test_good_article_is_clean(in_root: None) -> None:
    """The compliant example must produce no findings at all."""
    report = check_paths(["examples/good-article.html"])
    assert report.errors == []
    assert [f"{f.rule} {f.line}:{f.column}" for f in report.findings] == []


def test_every_defect_page_has_findings(in_root: None) -> None:
    for page in PAGES:
        if page != "good-article.html":
            assert check_paths([f"examples/{page}"]).findings, f"{page} should demonstrate defects"


def test_golden_positions_point_at_start_tags(in_root: None) -> None:
    """line:col in the goldens is where the reported element's start tag begins in the source."""
    for page in PAGES:
        lines = (ROOT / "examples" / page).read_text(encoding="utf-8").splitlines()
        for f in check_paths([f"examples/{page}"]).findings:
            text = lines[f.line - 1]
            assert text[f.column - 1] == "<", f"{page}:{f.line}:{f.column} is not at a start tag"

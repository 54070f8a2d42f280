"""Robustness: every malformed, hostile or huge input ends as findings or as a tool error, never a
traceback, a hang or an out-of-memory kill, and the JSON report stays valid.

Inputs: ``shared/corpus/malformed/`` (1,796 html5lib tree-construction inputs, the hostile files
with their ``manifest.json``, and ``shared/tools/gen_hostile.py`` for larger ones). These tests
skip when ``shared/`` is absent. Everything runs the real default rule set.
"""

from __future__ import annotations

import contextlib
import json
import os
import resource
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

import jsonschema
import pytest

from a11ycheck import __version__
from a11ycheck.api import DEFAULT_MAX_BYTES, check_bytes, make_runs, select_rules
from a11ycheck.document import InputError, parse_document
from a11ycheck.registry import load_rules, load_schema
from a11ycheck.reporters import REPORTERS
from a11ycheck.results import Report

ROOT = Path(__file__).resolve().parents[1]
# A hang guard, not a speed test (speed is the benchmark's business): far above what any input
# takes, so a slow CI machine never trips it and an endless loop still fails instead of hanging.
PER_FILE_SECONDS = 60
# Address-space cap for CLI subprocesses: a runaway input must fail, not take the machine down.
MEMORY_LIMIT = 4 * 1024**3

# Inputs that are refused on purpose, with the error kind they get.
REFUSED = {
    "empty.html": "empty",
    "whitespace_only.html": "empty",
    "bom_only.html": "empty",
    "png_named.html": "binary",
    "random_binary.html": "binary",
    "utf16le_nobom.html": "binary",
}
DEPTH_LIMITED = {"nested_divs_10000.html", "nested_divs_100000.html", "nested_inline_10000.html",
                 "nested_tables_1000.html", "nested_unclosed_divs_10000.html"}


@pytest.fixture(scope="module")
def runs():
    return make_runs(select_rules(load_rules()))


@contextlib.contextmanager
def time_limit(seconds: int, what: str):
    """Fail (instead of hanging CI) when one input takes longer than ``seconds``."""

    def on_alarm(signum, frame):  # pragma: no cover - only on a hang
        raise TimeoutError(f"{what}: still running after {seconds} s")

    if not hasattr(signal, "SIGALRM"):  # pragma: no cover - Windows
        yield
        return
    old = signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def validate_report(report: Report) -> dict:
    data = json.loads(REPORTERS["json"](report, color=False))
    jsonschema.validate(data, load_schema("report"))
    return data


def _limit_memory() -> None:  # runs in the child before exec
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run_cli(args: list[str], timeout: float, cwd: Path | None = None, stdin: bytes | None = None):
    cmd = [sys.executable, "-m", "a11ycheck", *args]
    return subprocess.run(cmd, capture_output=True, timeout=timeout, cwd=cwd, input=stdin,
                          preexec_fn=_limit_memory if os.name == "posix" else None)


# ------------------------------------------------------------------------------ html5lib inputs
def test_html5lib_inputs_end_as_findings_or_errors(shared_dir: Path, runs) -> None:
    """All 1,796 html5lib tree-construction inputs: no exception, no internal error, no hang;
    each one ends as a checked file or a tool error, and the whole report validates."""
    files = sorted((shared_dir / "corpus" / "malformed" / "html5lib").glob("*.html"))
    assert len(files) >= 1796
    report = Report(__version__)
    kinds: Counter = Counter()
    for path in files:
        with time_limit(PER_FILE_SECONDS, path.name):
            outcome = check_bytes(path.read_bytes(), path.name, runs)
        assert outcome.result is not None or outcome.errors, path.name
        if outcome.result is not None:
            report.files.append(outcome.result)
        report.errors.extend(outcome.errors)
        kinds.update(e.kind for e in outcome.errors)
    assert kinds["internal-error"] == 0, [e for e in report.errors if e.kind == "internal-error"][:5]
    # Only inputs with no element at all (or with NUL/control bytes that make them look binary)
    # are refused.
    assert set(kinds) <= {"empty", "binary"}, kinds
    assert len(report.files) > 1700
    report.sort()
    data = validate_report(report)
    assert data["summary"]["files"] == len(report.files)


# ------------------------------------------------------------------------------ hostile files
def _hostile(shared_dir: Path) -> tuple[Path, list[dict]]:
    folder = shared_dir / "corpus" / "malformed" / "hostile"
    return folder, json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["cases"]


def test_hostile_files_through_the_cli(shared_dir: Path, tmp_path: Path) -> None:
    """The CLI over every hostile file in one run (memory capped; the subprocess timeout only
    guards against a hang, speed is the benchmark's business): a valid JSON report, each file
    either checked or a clear tool error of the expected kind, no traceback."""
    folder, cases = _hostile(shared_dir)
    out = tmp_path / "report.json"
    files = sorted(str(p) for p in folder.iterdir() if p.suffix in (".html", ".xhtml"))
    proc = run_cli(["check", "--isolated", "--format", "json", "-o", str(out), "--jobs", "2", *files], timeout=600)
    stderr = proc.stderr.decode("utf-8", "replace")
    assert "Traceback" not in stderr, stderr[-3000:]
    assert proc.returncode in (1, 2), stderr[-3000:]
    data = json.loads(out.read_text(encoding="utf-8"))
    jsonschema.validate(data, load_schema("report"))
    checked = {Path(f["path"]).name for f in data["files"]}
    errors: dict[str, list[str]] = {}
    for e in data["errors"]:
        errors.setdefault(Path(e["path"]).name, []).append(e["kind"])
    assert not [n for n, k in errors.items() if "internal-error" in k or "timeout" in k], errors
    for name in (Path(f).name for f in files):
        assert name in checked or name in errors, f"{name}: neither checked nor reported as an error"
    for name, kind in REFUSED.items():
        assert errors.get(name) == [kind], (name, errors.get(name))
        assert name not in checked
    for name in DEPTH_LIMITED:
        assert "too-deeply-nested" in errors.get(name, []), name
        assert name in checked  # what was parsed is still checked
    assert {c["file"] for c in cases} == {Path(f).name for f in files}


def _text(doc) -> str:
    return "".join("".join(top.itertext()) for top in doc.roots)


def test_hostile_manifest_expectations(shared_dir: Path) -> None:
    """What a loss-free parse must keep (manifest ``expect``): the end sentinel unless the input
    is refused or cut off for depth (then an error says so), element counts where our parser
    agrees with the browser, decoded text, no entity expansion, no file contents pulled in."""
    folder, cases = _hostile(shared_dir)
    # Element counts where libxml2's tree differs from a browser's on purpose-built soup; the
    # checks do not depend on them (they test "inside" with ancestor searches).
    count_differs = {
        "formatting_amplification_300.html",  # no adoption-agency cloning, and cut off by depth
        "frameset_only.html",  # libxml2 adds a <body>
        "script_close_in_string.html",
        "utf16le_nobom.html",  # refused: UTF-16 without a byte-order mark
        "plaintext.html",
    }
    for case in cases:
        name, expect = case["file"], case["expect"]
        data = (folder / name).read_bytes()
        try:
            with time_limit(PER_FILE_SECONDS, name):
                doc = parse_document(data, name)
        except InputError as exc:
            assert name in REFUSED, f"{name}: refused: {exc.kind}: {exc.message}"
            continue
        assert name not in REFUSED, f"{name} should be refused"
        text = _text(doc)
        if expect.get("sentinel"):
            found = any(e.get("id") == "sentinel-end" for e in doc.elements)
            if name in DEPTH_LIMITED or name == "formatting_amplification_300.html":
                assert found or doc.depth_limit_line is not None, name
            else:
                assert found, f"{name}: content was dropped silently (no #sentinel-end)"
        if "must_not_contain" in expect:
            assert expect["must_not_contain"] not in text, name
        if "text_contains" in expect:
            assert expect["text_contains"] in text, name
        if "max_text_len" in expect:
            assert len(text) < 100 * expect["max_text_len"], f"{name}: entities expanded ({len(text)} characters)"
        if "count" in expect and name not in count_differs and doc.depth_limit_line is None:
            for tag, n in expect["count"].items():
                got = sum(1 for top in doc.roots for _ in top.iter(tag))
                assert got == n, f"{name}: {got} <{tag}>, expected {n}"


# ------------------------------------------------------------------------------ generated big inputs
BIG_CASES = [
    # (generator, size argument, expected error kinds) - each must finish well inside the budget
    ("nested_divs", 500_000, {"too-deeply-nested"}),        # 5.5 MB, 500k-deep
    ("nested_tables", 100_000, {"too-deeply-nested"}),
    ("text_node", 20_000_000, set()),                        # past libxml2's 10 MB text-node cap
    ("attr_value", 20_000_000, set()),                       # a 20 MB attribute value
    ("many_comments", 1_000_000, set()),
    ("long_tag_name", 10_000_000, set()),
    ("many_attributes", 100_000, {"too-large"}),             # quadratic in libxml2: refused
    ("flat_elements", 1_500_000, {"too-large"}),             # 12 MB, 1.5M elements: over --max-elements
]


def test_generated_big_hostile_inputs(shared_dir: Path, tmp_path: Path) -> None:
    """Larger hostile inputs made by gen_hostile.py, each through the CLI in its own subprocess
    (memory capped; the timeout only guards against a hang): a JSON report, the expected errors only."""
    gen = shared_dir / "tools" / "gen_hostile.py"
    if not gen.exists():
        pytest.skip("shared/tools/gen_hostile.py not available")
    for case, size, kinds in BIG_CASES:
        folder = tmp_path / case
        subprocess.run([sys.executable, str(gen), "--big", case, "--size", str(size), "--out", str(folder)],
                       check=True, capture_output=True, timeout=120)
        (page,) = folder.glob("*.html")
        out = tmp_path / f"{case}.json"
        proc = run_cli(["check", "--isolated", "--format", "json", "-o", str(out), str(page)], timeout=300)
        stderr = proc.stderr.decode("utf-8", "replace")
        assert "Traceback" not in stderr and "MemoryError" not in stderr, (case, stderr[-2000:])
        data = json.loads(out.read_text(encoding="utf-8"))
        jsonschema.validate(data, load_schema("report"))
        got = {e["kind"] for e in data["errors"]}
        assert got == kinds, (case, data["errors"])
        if "too-large" not in kinds:
            assert data["summary"]["files"] == 1, case
        page.unlink()


# ------------------------------------------------------------------------------ size limit
def test_input_over_the_size_limit_is_a_clear_error(tmp_path: Path) -> None:
    """A file over the 50 MB limit is refused from its size (never read into memory)."""
    big = tmp_path / "huge.html"
    with open(big, "wb") as fh:  # sparse: costs no disk
        fh.truncate(DEFAULT_MAX_BYTES + 1)
    proc = run_cli(["check", "--isolated", "--format", "json", str(big)], timeout=60)
    data = json.loads(proc.stdout)
    assert proc.returncode == 2
    assert [e["kind"] for e in data["errors"]] == ["too-large"]
    assert "50" in data["errors"][0]["message"] or "52,428,800" in data["errors"][0]["message"]


def test_size_limit_applies_to_stdin_and_to_max_bytes() -> None:
    page = b"<!DOCTYPE html><html lang=en><title>t</title><p>" + b"x" * 5000
    proc = run_cli(["check", "--isolated", "--format", "json", "--max-bytes", "1000", "-"], timeout=60, stdin=page)
    data = json.loads(proc.stdout)
    assert proc.returncode == 2
    assert [e["kind"] for e in data["errors"]] == ["too-large"]


def test_element_limit_refuses_before_parsing_and_is_adjustable() -> None:
    """More start tags than --max-elements: a clear too-large error naming the option (the
    memory a tree costs is about 500 bytes per element, whatever the byte size); a page under
    the limit is checked as usual."""
    page = b"<!DOCTYPE html><html lang=en><title>t</title><main>" + b"<p>x</p>" * 600 + b"</main>"
    proc = run_cli(["check", "--isolated", "--format", "json", "--max-elements", "500", "-"], timeout=60, stdin=page)
    data = json.loads(proc.stdout)
    assert proc.returncode == 2
    assert [e["kind"] for e in data["errors"]] == ["too-large"]
    assert "--max-elements" in data["errors"][0]["message"]
    proc = run_cli(["check", "--isolated", "--format", "json", "--max-elements", "1000", "-"], timeout=60, stdin=page)
    data = json.loads(proc.stdout)
    assert data["errors"] == [] and data["summary"]["files"] == 1


def test_element_limit_counts_only_when_the_text_has_many_angle_brackets() -> None:
    from a11ycheck.document.parse import start_tag_count

    assert start_tag_count("<p>a < b</p>", 10) == 3  # few "<": their number is the bound
    assert start_tag_count("<p>a < b</p><p>" * 5, 10) == 10  # many: only "<" + letter counts


# ------------------------------------------------------------------------------ recursion
def test_deep_trees_never_use_python_recursion(runs) -> None:
    """2,000 nested elements (all parsed: libxml2's limit is 2,048) checked with every rule under
    a recursion limit far below the depth: any recursive walk would raise RecursionError."""
    depth = 2000
    html = ("<!DOCTYPE html><html lang=en><title>deep</title><main><h1>Deep</h1>" + "<div><span>" * (depth // 2)
            + "<img src=a.png><a href=#x>x</a><section aria-label=s><h3>h</h3></section><figure><img src=b>"
            + "<figcaption>c</figcaption></figure>" + "</span></div>" * (depth // 2) + "</main>").encode()
    frame_depth = len(__import__("inspect").stack(0))
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(frame_depth + 400)
    try:
        outcome = check_bytes(html, "deep.html", runs)
    finally:
        sys.setrecursionlimit(old)
    assert not outcome.errors, outcome.errors
    assert outcome.result is not None


# ------------------------------------------------------------------------------ decoding
def test_a_page_that_starts_like_html_is_never_binary() -> None:
    """WHATWG MIME sniffing matches the HTML signatures before the binary-data check: control
    characters or NUL bytes inside a page that starts with <!DOCTYPE html>, <html, <body... do not
    make it "binary" (the hostile control_chars.html used to be refused)."""
    from a11ycheck.document.decode import decode_html

    page = b"<!DOCTYPE html><html><body><p>" + bytes(range(1, 9)) * 20 + b"</p><p id=end>x</p>"
    assert "id=end" in decode_html(page).text
    assert decode_html(b"<body>\x00").text.startswith("<body>")
    for data in (b"\x89PNG\r\n\x1a\n<html>", "<html><p>x</p></html>".encode("utf-16-le"), b"<svg>\x00\x01\x02"):
        with pytest.raises(InputError):
            decode_html(data)


def test_attributes_on_an_end_tag_count_as_attribute_work() -> None:
    """``</p b b b ...>`` is read attribute by attribute like a start tag; 30,000 of them are
    refused like 30,000 attributes on a start tag."""
    from a11ycheck.document.parse import MAX_ATTRIBUTE_WORK, attribute_work

    end_tag = "<p>x</p" + " b" * 30_000 + ">"
    assert attribute_work(end_tag)[0] > MAX_ATTRIBUTE_WORK
    assert attribute_work("<p>x</p" + " b" * 100 + ">")[0] == 0

"""--jobs: checking files in worker processes gives output identical to a serial run, in
every format; small runs stay serial; the progress bar only appears on a terminal."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import a11ycheck.api as api
from a11ycheck.cli import FORMATS, _default_jobs, _Progress, _use_progress, main

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _env(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY", "CI"):
        monkeypatch.delenv(var, raising=False)


@pytest.fixture()
def site(tmp_path: Path) -> Path:
    """Enough pages to use the pool: the examples, edited copies, a suppression and broken files."""
    root = tmp_path / "site"
    for i, page in enumerate(sorted((ROOT / "examples").glob("*.html"))):
        for j in range(3):
            dest = root / f"section{j}" / f"{i}-{page.name}"
            dest.parent.mkdir(parents=True, exist_ok=True)
            text = page.read_text(encoding="utf-8")
            if j == 1:
                text = text.replace("<main", "<main data-a11ycheck-ignore='heading-order'", 1)
            if j == 2:
                text = "\n" * 7 + text.replace("</body>", "<img src='extra.png'></body>")
            dest.write_text(text, encoding="utf-8")
    (root / "section0" / "site.css").write_text(".teaser img { display: none }", encoding="utf-8")
    (root / "section0" / "styled.html").write_text(
        "<!DOCTYPE html><html lang='en'><head><title>T</title><link rel='stylesheet' href='site.css'></head>"
        "<body><main><h1>x</h1><div class='teaser'><img src='hidden.png'></div><img src='shown.png'></main></body></html>",
        encoding="utf-8")
    (root / "empty.html").write_bytes(b"")
    (root / "binary.htm").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    return tmp_path


def run(cwd: Path, *args: str):
    with _chdir(cwd):
        return CliRunner().invoke(main, ["check", "--isolated", *args], catch_exceptions=False)


class _chdir:
    def __init__(self, path: Path) -> None:
        self.path, self.old = path, None

    def __enter__(self) -> None:
        import os

        self.old = os.getcwd()
        os.chdir(self.path)

    def __exit__(self, *exc: object) -> None:
        import os

        os.chdir(self.old)


@pytest.fixture()
def pool_calls(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts runs that went through the process pool."""
    calls: list[int] = []
    real = api._check_parallel

    def spy(files, *args, **kwargs):
        calls.append(len(files))
        return real(files, *args, **kwargs)

    monkeypatch.setattr(api, "_check_parallel", spy)
    return calls


@pytest.mark.parametrize("fmt", FORMATS)
def test_jobs_output_is_identical_to_serial(site: Path, fmt: str, pool_calls: list[int]) -> None:
    serial = run(site, "--jobs", "1", "--format", fmt, "site")
    parallel = run(site, "--jobs", "2", "--format", fmt, "site")
    assert pool_calls == [len(list((site / "site").rglob("*.htm*")))]
    assert parallel.exit_code == serial.exit_code == 2  # findings, and two inputs that cannot be checked
    assert parallel.stdout == serial.stdout
    assert parallel.stderr == serial.stderr
    assert parallel.stdout.strip()


def test_local_stylesheets_are_read_in_workers_too(site: Path, pool_calls: list[int]) -> None:
    """The run's stylesheet cache reaches the workers: an image hidden by a linked local
    stylesheet is not reported, serially or in parallel."""
    for jobs in ("1", "2"):
        res = run(site, "--jobs", jobs, "--select", "image-alt", "--format", "json", "site")
        styled = next(f for f in __import__("json").loads(res.stdout)["files"] if f["path"].endswith("styled.html"))
        assert [f["snippet"] for f in styled["findings"]] == ["<img src='shown.png'>"], jobs
    assert pool_calls


def test_jobs_with_statistics_baseline_and_config(site: Path, pool_calls: list[int]) -> None:
    (site / "pyproject.toml").write_text('[tool.a11ycheck]\nexclude = ["*.htm"]\nfail-on = "serious"\n'
                                         '[tool.a11ycheck.per-file-ignores]\n"section1/**" = ["landmarks"]\n',
                                         encoding="utf-8")
    with _chdir(site):
        serial = CliRunner().invoke(main, ["check", "-j", "1", "--statistics", "--write-baseline", "b1.json", "site"])
        parallel = CliRunner().invoke(main, ["check", "-j", "2", "--statistics", "--write-baseline", "b2.json", "site"])
    assert serial.stdout == parallel.stdout and serial.exit_code == parallel.exit_code
    assert (site / "b1.json").read_bytes() == (site / "b2.json").read_bytes()
    assert pool_calls


def test_jobs_over_the_shared_corpus(shared_dir: Path, tmp_path: Path, pool_calls: list[int]) -> None:
    """Real article pages (a slice of the corpus, to keep the suite fast): same JSON report."""
    pages = sorted((shared_dir / "corpus" / "articles").glob("*.html"))[:24]
    for p in pages:
        shutil.copy(p, tmp_path / p.name)
    serial = run(tmp_path, "--jobs", "1", "--format", "json", ".")
    parallel = run(tmp_path, "--jobs", "2", "--format", "json", ".")
    assert parallel.stdout == serial.stdout and parallel.exit_code == serial.exit_code
    assert pool_calls == [len(pages)]


def test_few_files_stay_in_process(site: Path, pool_calls: list[int]) -> None:
    files = sorted(str(p) for p in (site / "site" / "section0").glob("*.html"))[: api.PARALLEL_MIN_FILES - 1]
    assert run(site, "--jobs", "4", *files).exit_code == 1
    assert pool_calls == []


def test_stdin_is_read_in_the_parent(site: Path, pool_calls: list[int]) -> None:
    with _chdir(site):
        res = CliRunner().invoke(main, ["check", "--isolated", "--jobs", "2", "--select", "document",
                                        "--stdin-filename", "piped.html", "-", "site"],
                                 input=b"<!DOCTYPE html><html><head></head><body></body></html>")
    assert "piped.html:1:16: document-title" in res.stdout and pool_calls


def test_default_jobs_is_the_number_of_cpus() -> None:
    import os

    assert _default_jobs() == (os.cpu_count() or 1)


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_only_on_a_terminal_and_after_a_delay(monkeypatch: pytest.MonkeyPatch) -> None:
    tty = _Terminal()
    bar = _Progress(tty, enabled=True, delay=0)
    for i in range(1, 11):
        bar(i, 10)
    bar.close()
    text = tty.getvalue()
    assert "10/10 files" in text and text.endswith("\r\x1b[K")
    quiet = _Terminal()
    late = _Progress(quiet, enabled=True, delay=60)  # a short run never shows it
    late(1, 1)
    late.close()
    off = _Terminal()
    disabled = _Progress(off, enabled=False, delay=0)
    disabled(1, 1)
    disabled.close()
    assert quiet.getvalue() == "" and off.getvalue() == ""
    assert _use_progress(None, _Terminal()) is True
    assert _use_progress(None, io.StringIO()) is False
    assert _use_progress(False, _Terminal()) is False
    monkeypatch.setenv("CI", "true")
    assert _use_progress(None, _Terminal()) is False

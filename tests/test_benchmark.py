"""tools/benchmark.py keeps working (the README documents it): one run over examples/ without
axe-core or the CLI extras. Only the report's shape and counts are checked, never a timing."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_benchmark_runs_over_a_folder(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    proc = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "benchmark.py"), str(ROOT / "examples"), "--no-axe", "--no-extras",
         "--json", str(out)],
        capture_output=True, text=True, timeout=300, cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr
    figures = json.loads(out.read_text(encoding="utf-8"))
    pages = len(list((ROOT / "examples").glob("*.html")))
    for phase in ("parse", "floor", "check"):
        assert figures[phase]["pages"] == pages
        assert figures[phase]["median_ms"] > 0
    # the warm-up page's findings are not counted: the same total as the CLI over examples/
    golden = [json.loads(p.read_text(encoding="utf-8")) for p in (ROOT / "examples").glob("*.expected.json")]
    assert figures["check"]["findings"] == sum(g["summary"]["findings"] for g in golden)
    assert figures["check"]["errors"] == 0
    assert figures["axe"] == {"skipped": "--no-axe"}
    for label in ("check/parse:", "floor/parse:", "median check <= 3x bare parse"):
        assert label in proc.stdout

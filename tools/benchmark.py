#!/usr/bin/env python3
"""Benchmark a11ycheck against the bare lxml parse and axe-core in jsdom, in one run.

    .venv/bin/python tools/benchmark.py                          # generated article pages
    .venv/bin/python tools/benchmark.py ../shared/corpus/articles/ --jobs 2
    .venv/bin/python tools/benchmark.py PAGES/ --no-axe --json build/bench.json

Without a path it benchmarks a generated set of realistic article pages of several sizes
(``tools/gen_pages.py``, written to ``build/bench-pages/``). For every page it times:

* **parse**: the bare lxml parse of the bytes (``lxml.etree.HTMLParser``), what the ratios divide by;
* **floor**: what a checker on lxml in Python cannot avoid before any CSS, role, name or rule:
  decoding, the parse, one pass reading each element's tag and attribute names, and the
  start-tag scan that gives columns (``floor/parse`` says how much of a 3x budget it takes);
* **check**: the full check with the selected rules (default: every rule on by default) through
  the Python API, ``a11ycheck.api.check_bytes``, findings and their positions, selectors and
  snippets included;
* **axe**: when ``node`` and ``tools/axe-reference/node_modules`` are present, axe-core in jsdom
  (``tools/axe-reference/run-axe.mjs``) on the same pages with the same rules (those of the
  selection that are axe-core rules); its per-page time is jsdom's parse + axe injection + the
  axe run, as the harness reports them.

Each phase runs in its own fresh subprocess; a page's bytes are read before its clock starts.
Peak memory is the phase process's ``ru_maxrss`` (``resource.getrusage``; interpreter and
libraries included, so it is what the operating system sees). It also measures:

* the whole folder with ``a11ycheck check --jobs N`` (the real CLI in a subprocess, wall time
  including interpreter start; when the CLI has no ``--jobs`` option, the CLI runs serially and
  an N-process pool of the API is timed as well);
* scaling: one generated page of 100 kB and one of 1,000 kB (same structure), check time of
  each (median of repeats) and the ratio; plus the slope of log(check time) against
  log(page size) over the folder (1.0 is linear);
* cold start: ``a11ycheck check`` on one small file, wall time including interpreter start
  (``hyperfine`` when installed, else the median of repeated runs).

The figures are printed with the targets of the project (median check <= 3x parse, --jobs 2
wall < 3 s on the 345-page article corpus, peak memory < 150 MB, 10x page <= 12x time, cold
start < 0.3 s); ``--json FILE`` also writes them as JSON.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
AXE_DIR = ROOT / "tools" / "axe-reference"
DEFAULT_PAGES = ROOT / "build" / "bench-pages"
SMALL_FILE = ROOT / "examples" / "good-article.html"
HTML_SUFFIXES = (".html", ".htm")

TARGETS = {
    "check_parse_ratio": 3.0,   # median check time per page <= 3x median bare parse time
    "jobs2_wall_s": 3.0,        # whole corpus with --jobs 2 (only meaningful on the 345-page corpus)
    "peak_mb": 150.0,           # peak memory of a single-process check
    "scaling_10x": 12.0,        # a page 10x larger costs <= 12x the time
    "cold_start_s": 0.3,        # a11ycheck check on one small file, interpreter start included
}


# ---------------------------------------------------------------------------------- helpers
def _percentile(xs: list[float], p: float) -> float:
    if not xs:
        return float("nan")
    s = sorted(xs)
    k = (len(s) - 1) * p
    lo, hi = math.floor(k), math.ceil(k)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


def _maxrss_mb(ru_maxrss: int) -> float:
    # Linux reports kilobytes, macOS bytes.
    return ru_maxrss / (1024 * 1024) if sys.platform == "darwin" else ru_maxrss / 1024


def collect(paths: list[str]) -> list[Path]:
    files: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            files.extend(sorted(f for f in p.rglob("*") if f.is_file() and f.name.lower().endswith(HTML_SUFFIXES)))
        elif p.is_file():
            files.append(p)
        else:
            raise SystemExit(f"benchmark: no such file or directory: {p}")
    if not files:
        raise SystemExit("benchmark: no .html/.htm files to benchmark")
    return files


def _run_measured(cmd: list[str], timeout: float | None = None, **kw) -> tuple[int, bytes, bytes, float, float]:
    """Run a command and measure its own peak RSS with wait4 (exact for that process)."""
    with tempfile.TemporaryFile() as fo, tempfile.TemporaryFile() as fe:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=fo, stderr=fe, **kw)
        deadline = None if timeout is None else t0 + timeout
        while True:
            pid, status, ru = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if deadline is not None and time.perf_counter() > deadline:
                proc.kill()
                os.wait4(proc.pid, 0)
                raise subprocess.TimeoutExpired(cmd, timeout or 0)
            time.sleep(0.002)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        fo.seek(0)
        fe.seek(0)
        return proc.returncode, fo.read(), fe.read(), wall, _maxrss_mb(ru.ru_maxrss)


# ---------------------------------------------------------------------------------- phases (children)
def _phase_main(phase: str, list_file: str, select: str | None) -> None:
    """Runs in a fresh subprocess: time one phase over the listed files, print JSON."""
    files = [Path(line) for line in Path(list_file).read_text(encoding="utf-8").splitlines() if line]
    baseline = _maxrss_mb(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
    times: list[float] = []
    sizes: list[int] = []
    extra: dict = {}
    if phase == "parse":
        from lxml import etree

        def one(data: bytes, path: Path) -> None:
            parser = etree.HTMLParser(huge_tree=True, no_network=True)
            etree.fromstring(data, parser)

        baseline = _maxrss_mb(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
    elif phase == "floor":
        # The work every finding depends on before any rule runs: decode the bytes (WHATWG
        # sniffing), the parse, one Python-level pass that reads each element's tag and attribute
        # names (what any role, name or hidden-ness computation has to touch at least once), and
        # the start-tag scan that gives columns. No CSS, roles, names, indexes or rules.
        from lxml import etree

        from a11ycheck.document.decode import decode_html
        from a11ycheck.document.parse import parse_text
        from a11ycheck.document.positions import PositionMap

        def one(data: bytes, path: Path) -> None:
            text = decode_html(data).text
            for top in parse_text(text).roots:
                for el in top.iter(etree.Element):
                    el.tag, el.keys()
            PositionMap(text)._scan()

        baseline = _maxrss_mb(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
    elif phase == "check":
        from a11ycheck.api import check_bytes, make_runs, select_rules
        from a11ycheck.registry import load_rules

        rules = select_rules(load_rules(), select.split(",") if select else None)
        runs = make_runs(rules)
        extra["rules"] = [r.rule.id for r in runs]
        counts = {"findings": 0, "errors": 0}

        def one(data: bytes, path: Path) -> None:
            outcome = check_bytes(data, str(path), runs, page_path=path)
            counts["errors"] += len(outcome.errors)
            if outcome.result is not None:
                counts["findings"] += len(outcome.result.findings)

        extra["counts"] = counts
        baseline = _maxrss_mb(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
    else:
        raise SystemExit(f"unknown phase {phase}")
    # One untimed warm-up page: lazy imports and compiled patterns are a per-process cost (the cold
    # start figure covers it), not a per-page one.
    one(b"<!DOCTYPE html><html lang=en><title>warm-up</title><style>p{color:red}</style><h1>x</h1><img src=a>",
        Path("warm-up.html"))
    for key in extra.get("counts", {}):  # the warm-up page's findings are not the folder's
        extra["counts"][key] = 0
    cpu0 = time.process_time()
    for path in files:
        data = path.read_bytes()
        t0 = time.perf_counter()
        one(data, path)
        times.append(time.perf_counter() - t0)
        sizes.append(len(data))
    cpu = time.process_time() - cpu0
    peak = _maxrss_mb(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
    json.dump({"phase": phase, "times": times, "sizes": sizes, "cpu": cpu, "peak_mb": peak,
               "baseline_mb": baseline, **extra}, sys.stdout)


def _pool_one(args: tuple[str, str | None]) -> int:
    from a11ycheck.api import check_file, make_runs, select_rules
    from a11ycheck.registry import load_rules

    path, select = args
    global _POOL_RUNS
    try:
        runs = _POOL_RUNS
    except NameError:
        runs = _POOL_RUNS = make_runs(select_rules(load_rules(), select.split(",") if select else None))
    outcome = check_file(path, runs)
    return len(outcome.result.findings) if outcome.result else 0


# ---------------------------------------------------------------------------------- phases (parent)
def run_phase(phase: str, files: list[Path], select: str | None, workdir: Path) -> dict:
    list_file = workdir / f"{phase}.list"
    list_file.write_text("".join(f"{f}\n" for f in files), encoding="utf-8")
    cmd = [sys.executable, str(Path(__file__).resolve()), "--_phase", phase, "--_list", str(list_file)]
    if select:
        cmd += ["--select", select]
    code, out, err, wall, _ = _run_measured(cmd)
    if code != 0:
        raise SystemExit(f"benchmark: the {phase} phase failed:\n{err.decode(errors='replace')}")
    res = json.loads(out)
    res["wall"] = wall
    return res


def summarize(times: list[float], sizes: list[int]) -> dict:
    total = sum(times)
    nbytes = sum(sizes)
    return {
        "pages": len(times),
        "total_s": total,
        "pages_per_s": len(times) / total if total else float("inf"),
        "mb_per_s": nbytes / 1e6 / total if total else float("inf"),
        "median_ms": statistics.median(times) * 1000,
        "p95_ms": _percentile(times, 0.95) * 1000,
        "max_ms": max(times) * 1000,
    }


def loglog_slope(times: list[float], sizes: list[int]) -> float | None:
    pts = [(math.log(s), math.log(t)) for t, s in zip(times, sizes) if s > 0 and t > 0]
    if len(pts) < 3:
        return None
    mx = statistics.fmean(x for x, _ in pts)
    my = statistics.fmean(y for _, y in pts)
    sxx = sum((x - mx) ** 2 for x, _ in pts)
    if sxx == 0:
        return None
    return sum((x - mx) * (y - my) for x, y in pts) / sxx


def cli_cmd() -> list[str]:
    exe = Path(sys.executable).with_name("a11ycheck")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "a11ycheck"]


def cli_has_jobs() -> bool:
    proc = subprocess.run([*cli_cmd(), "check", "--help"], capture_output=True, text=True)
    return "--jobs" in proc.stdout


def run_cli_folder(paths: list[str], jobs: int, select: str | None, workdir: Path) -> dict:
    out = workdir / "report.json"
    cmd = [*cli_cmd(), "check", "--format", "json", "-o", str(out)]
    if select:
        cmd += ["--select", select]
    has_jobs = cli_has_jobs()
    if has_jobs:
        cmd += ["--jobs", str(jobs)]
    code, _, err, wall, peak = _run_measured(cmd + paths)
    res = {"cmd": " ".join(cmd[len(cli_cmd()):] + ["PATHS"]), "exit": code, "wall_s": wall, "peak_mb": peak,
           "jobs": jobs if has_jobs else 1, "cli_has_jobs": has_jobs}
    try:
        report = json.loads(out.read_text(encoding="utf-8"))
        res["files"] = report["summary"]["files"]
        res["findings"] = report["summary"]["findings"]
        res["errors"] = report["summary"]["errors"]
    except (OSError, ValueError, KeyError):
        res["stderr"] = err.decode(errors="replace")[-2000:]
    return res


def run_pool(files: list[Path], jobs: int, select: str | None) -> dict:
    import multiprocessing as mp

    t0 = time.perf_counter()
    ctx = mp.get_context("fork") if sys.platform != "win32" else mp.get_context()
    with ctx.Pool(jobs) as pool:
        findings = sum(pool.map(_pool_one, [(str(f), select) for f in files], chunksize=4))
    return {"wall_s": time.perf_counter() - t0, "jobs": jobs, "findings": findings}


def run_scaling(select: str | None, workdir: Path, sizes_kb: tuple[int, int] = (100, 1000)) -> dict:
    sys.path.insert(0, str(ROOT / "tools"))
    from gen_pages import write_pages

    pages = write_pages(workdir / "scaling", list(sizes_kb), seed="a11ycheck-scaling")
    code = (
        "import json,statistics,sys,time\n"
        "from pathlib import Path\n"
        "from a11ycheck.api import check_bytes, make_runs, select_rules\n"
        "from a11ycheck.registry import load_rules\n"
        "from lxml import etree\n"
        "sel=sys.argv[1] or None\n"
        "runs=make_runs(select_rules(load_rules(), sel.split(',') if sel else None))\n"
        "out=[]\n"
        "for p,rep in zip(sys.argv[2:], (9,5)):\n"
        "    d=Path(p).read_bytes(); ct=[]; pt=[]\n"
        "    check_bytes(d,p,runs,page_path=Path(p))\n"
        "    for _ in range(rep):\n"
        "        t=time.perf_counter(); check_bytes(d,p,runs,page_path=Path(p)); ct.append(time.perf_counter()-t)\n"
        "        t=time.perf_counter(); etree.fromstring(d, etree.HTMLParser(huge_tree=True,no_network=True)); pt.append(time.perf_counter()-t)\n"
        "    out.append({'bytes':len(d),'check_ms':statistics.median(ct)*1000,'parse_ms':statistics.median(pt)*1000})\n"
        "json.dump(out,sys.stdout)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code, select or "", *map(str, pages)], capture_output=True, text=True)
    if proc.returncode != 0:
        return {"error": proc.stderr[-2000:]}
    small, big = json.loads(proc.stdout)
    return {"small": small, "big": big, "bytes_ratio": big["bytes"] / small["bytes"],
            "time_ratio": big["check_ms"] / small["check_ms"], "parse_ratio": big["parse_ms"] / small["parse_ms"]}


def run_cold_start(runs: int = 15) -> dict:
    target = SMALL_FILE if SMALL_FILE.exists() else None
    if target is None:
        return {"error": "examples/good-article.html not found"}
    cmd = [*cli_cmd(), "check", str(target)]
    hyperfine = shutil.which("hyperfine")
    if hyperfine:
        with tempfile.NamedTemporaryFile(suffix=".json") as tf:
            subprocess.run([hyperfine, "-N", "--warmup", "3", "--runs", str(runs), "-i", "--export-json", tf.name,
                            " ".join(cmd)], capture_output=True, check=False)
            try:
                data = json.loads(Path(tf.name).read_text())["results"][0]
                return {"tool": "hyperfine", "runs": runs, "median_s": data["median"], "min_s": data["min"],
                        "mean_s": data["mean"], "file": str(target.relative_to(ROOT))}
            except (ValueError, KeyError, IndexError):
                pass
    walls = []
    for i in range(runs + 2):
        code, _, _, wall, _ = _run_measured(cmd)
        if i >= 2:  # two warm-up runs (file cache, .pyc)
            walls.append(wall)
    return {"tool": "repeated runs", "runs": runs, "median_s": statistics.median(walls), "min_s": min(walls),
            "mean_s": statistics.fmean(walls), "file": str(target.relative_to(ROOT))}


def axe_available() -> tuple[bool, str]:
    node = shutil.which("node")
    if not node:
        return False, "Node.js (node) is not installed"
    if not (AXE_DIR / "run-axe.mjs").exists():
        return False, "tools/axe-reference/run-axe.mjs is missing"
    if not (AXE_DIR / "node_modules" / "axe-core").is_dir() or not (AXE_DIR / "node_modules" / "jsdom").is_dir():
        return False, "tools/axe-reference/node_modules is missing: run `npm ci --prefix tools/axe-reference`"
    return True, node


def run_axe(files: list[Path], axe_rules: list[str], workdir: Path, timeout_ms: int) -> dict:
    ok, node = axe_available()
    if not ok:
        return {"skipped": node}
    if not axe_rules:
        return {"skipped": "none of the selected rules is an axe-core rule"}
    out = workdir / "axe.jsonl"
    cmd = [node, str(AXE_DIR / "run-axe.mjs"), "--rules", ",".join(axe_rules), "--out", str(out), "--jobs", "1",
           "--timeout-ms", str(timeout_ms), *map(str, files)]
    code, _, err, wall, peak = _run_measured(cmd)
    recs = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines() if line.strip()] if out.exists() else []
    by_file = {r["file"]: r for r in recs}
    times, sizes, errors = [], [], 0
    for f in files:
        r = by_file.get(str(f))
        if r is None or "error" in r:
            errors += 1
            continue
        times.append((r.get("ms_parse", 0) + r.get("ms_inject", 0) + r.get("ms", 0)) / 1000)
        sizes.append(f.stat().st_size)
    if not times:
        return {"skipped": f"run-axe produced no result (exit {code}): {err.decode(errors='replace')[-500:]}"}
    res = summarize(times, sizes)
    res.update({"wall_s": wall, "peak_mb": peak, "errors": errors, "rules": axe_rules, "times": times})
    return res


# ---------------------------------------------------------------------------------- report
def _fmt_row(name: str, s: dict, peak: float | None) -> str:
    pk = f"{peak:8.0f}" if peak is not None else "     n/a"
    return (f"  {name:<20}{s['pages_per_s']:9.1f}{s['mb_per_s']:9.1f}{s['median_ms']:11.2f}{s['p95_ms']:10.2f}"
            f"{s['total_s']:10.2f}{pk}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Benchmark a11ycheck: bare lxml parse vs full check vs axe-core in jsdom.",
                                 epilog="See the Benchmark section of README.md.")
    ap.add_argument("paths", nargs="*", help="pages or folders (default: the generated set in build/bench-pages)")
    ap.add_argument("--jobs", type=int, default=2, help="processes for the whole-folder CLI run (default 2)")
    ap.add_argument("--select", help="rules or families to run (comma-separated; default: the rules on by default)")
    ap.add_argument("--no-axe", action="store_true", help="skip axe-core even when Node.js is present")
    ap.add_argument("--axe-timeout-ms", type=int, default=120000, help="per-page limit for axe-core (default 120000)")
    ap.add_argument("--no-extras", action="store_true", help="only the per-page phases: no CLI run, scaling or cold start")
    ap.add_argument("--regenerate", action="store_true", help="rewrite build/bench-pages even if it exists")
    ap.add_argument("--json", metavar="FILE", help="also write every figure as JSON")
    ap.add_argument("--_phase", help=argparse.SUPPRESS)
    ap.add_argument("--_list", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args._phase:
        _phase_main(args._phase, args._list, args.select)
        return 0

    paths = args.paths
    if not paths:
        sys.path.insert(0, str(ROOT / "tools"))
        from gen_pages import default_sizes, write_default_set

        if args.regenerate or not DEFAULT_PAGES.is_dir() or len(list(DEFAULT_PAGES.glob("*.html"))) != len(default_sizes()):
            shutil.rmtree(DEFAULT_PAGES, ignore_errors=True)
            write_default_set(DEFAULT_PAGES)
        paths = [str(DEFAULT_PAGES)]
    files = collect(paths)
    nbytes = sum(f.stat().st_size for f in files)

    from lxml import etree

    import a11ycheck
    from a11ycheck.api import select_rules
    from a11ycheck.registry import load_rules

    rules = select_rules(load_rules(), args.select.split(",") if args.select else None)
    results: dict = {"pages": len(files), "bytes": nbytes, "paths": paths, "python": platform.python_version(),
                     "lxml": ".".join(map(str, etree.LXML_VERSION)), "a11ycheck": a11ycheck.__version__,
                     "cpus": os.cpu_count(), "rules": [r.id for r in rules],
                     "memory_method": "ru_maxrss of each phase's own process (resource.getrusage / os.wait4)"}
    print(f"a11ycheck {a11ycheck.__version__} benchmark: {len(files)} pages, {nbytes / 1e6:.1f} MB ({', '.join(paths)})")
    print(f"  {len(rules)} rules, Python {platform.python_version()}, lxml {results['lxml']}, {os.cpu_count()} CPUs")
    sizes = sorted(f.stat().st_size for f in files)
    print(f"  page size: min {sizes[0] / 1e3:.0f} kB, median {statistics.median(sizes) / 1e3:.0f} kB, "
          f"max {sizes[-1] / 1e3:.0f} kB")

    with tempfile.TemporaryDirectory(prefix="a11ycheck-bench-") as tmp:
        work = Path(tmp)
        parse = run_phase("parse", files, None, work)
        floor = run_phase("floor", files, None, work)
        check = run_phase("check", files, args.select, work)
        ps, cs = summarize(parse["times"], parse["sizes"]), summarize(check["times"], check["sizes"])
        fs = summarize(floor["times"], floor["sizes"])
        results["parse"] = {**ps, "peak_mb": parse["peak_mb"], "baseline_mb": parse["baseline_mb"]}
        results["floor"] = {**fs, "peak_mb": floor["peak_mb"], "baseline_mb": floor["baseline_mb"]}
        results["floor_parse_ratio"] = fs["median_ms"] / ps["median_ms"]
        results["check"] = {**cs, "peak_mb": check["peak_mb"], "baseline_mb": check["baseline_mb"],
                            "findings": check["counts"]["findings"], "errors": check["counts"]["errors"]}
        ratios = [c / p for c, p in zip(check["times"], parse["times"]) if p > 0]
        results["check_parse_ratio"] = cs["median_ms"] / ps["median_ms"]
        results["check_parse_ratio_total"] = cs["total_s"] / ps["total_s"]
        results["check_parse_ratio_per_page_median"] = statistics.median(ratios)
        results["loglog_slope_check"] = loglog_slope(check["times"], check["sizes"])
        slow = sorted(zip(check["times"], files), reverse=True)[:5]
        results["slowest"] = [{"file": str(f), "ms": t * 1000} for t, f in slow]

        axe = None
        if args.no_axe:
            results["axe"] = {"skipped": "--no-axe"}
        else:
            axe_rules = [r.id for r in rules if r.data.get("axe")]
            print(f"  running axe-core in jsdom on {len(files)} pages ({len(axe_rules)} rules); this takes a while...",
                  flush=True)
            axe = run_axe(files, axe_rules, work, args.axe_timeout_ms)
            results["axe"] = {k: v for k, v in axe.items() if k != "times"}

        if not args.no_extras:
            results["cli"] = run_cli_folder(paths, args.jobs, args.select, work)
            if not results["cli"]["cli_has_jobs"] and args.jobs > 1:
                results["pool"] = run_pool(files, args.jobs, args.select)
            results["scaling"] = run_scaling(args.select, work)
            results["cold_start"] = run_cold_start()

    # ------------------------------------------------------------------ print
    print()
    print(f"  {'phase':<20}{'pages/s':>9}{'MB/s':>9}{'median ms':>11}{'p95 ms':>10}{'total s':>10}{'peak MB':>8}")
    print(_fmt_row("lxml parse", ps, parse["peak_mb"]))
    print(_fmt_row("input floor", fs, floor["peak_mb"]))
    print(_fmt_row("a11ycheck check", cs, check["peak_mb"]))
    if axe is not None and "skipped" not in axe:
        print(_fmt_row("axe-core (jsdom)", axe, axe["peak_mb"]))
    print(f"  (peak MB = ru_maxrss of the phase's own process; interpreter alone: {check['baseline_mb']:.0f} MB "
          f"after imports for check, {parse['baseline_mb']:.0f} MB for parse)")
    print()
    print(f"  check/parse: {results['check_parse_ratio']:.2f}x (median per page), "
          f"{results['check_parse_ratio_total']:.2f}x (total time), "
          f"{results['check_parse_ratio_per_page_median']:.2f}x (median of per-page ratios)")
    print(f"  floor/parse: {results['floor_parse_ratio']:.2f}x (median per page): decoding, the parse, one "
          "pass over the elements and the column scan, before any CSS, role, name or rule")
    if axe is not None and "skipped" not in axe:
        results["axe_check_ratio"] = axe["median_ms"] / cs["median_ms"]
        results["axe_check_ratio_total"] = axe["total_s"] / cs["total_s"]
        print(f"  axe/check:   {results['axe_check_ratio']:.0f}x (median per page), "
              f"{results['axe_check_ratio_total']:.0f}x (total time); axe wall {axe['wall_s']:.1f} s, "
              f"{axe['errors']} page errors")
    elif axe is not None:
        print(f"  axe-core: skipped ({axe['skipped']})")
    else:
        print("  axe-core: skipped (--no-axe)")
    print(f"  findings: {results['check']['findings']}, tool errors: {results['check']['errors']}")
    if results["loglog_slope_check"] is not None:
        print(f"  check time vs page size over these pages: log-log slope {results['loglog_slope_check']:.2f} (1.0 = linear)")
    print("  slowest pages: " + ", ".join(f"{Path(s['file']).name} {s['ms']:.0f} ms" for s in results["slowest"][:3]))

    targets: list[tuple[str, bool, str]] = []
    targets.append(("median check <= 3x bare parse", results["check_parse_ratio"] <= TARGETS["check_parse_ratio"],
                    f"{results['check_parse_ratio']:.2f}x"))
    targets.append(("peak memory < 150 MB (single-process check)", check["peak_mb"] < TARGETS["peak_mb"],
                    f"{check['peak_mb']:.0f} MB"))
    if "cli" in results:
        cli = results["cli"]
        label = f"a11ycheck check --jobs {cli['jobs']}" if cli["cli_has_jobs"] else "a11ycheck check (no --jobs: serial)"
        print(f"\n  {label} over the folder: {cli['wall_s']:.2f} s wall ({len(files) / cli['wall_s']:.0f} pages/s, "
              f"peak {cli['peak_mb']:.0f} MB, exit {cli['exit']}, {cli.get('findings', '?')} findings, "
              f"{cli.get('errors', '?')} errors)")
        if "pool" in results:
            pool = results["pool"]
            print(f"  API in a {pool['jobs']}-process pool: {pool['wall_s']:.2f} s wall "
                  f"({len(files) / pool['wall_s']:.0f} pages/s)")
        wall2 = cli["wall_s"] if cli["cli_has_jobs"] else results.get("pool", cli)["wall_s"]
        note = "" if len(files) == 345 else f" ({len(files)} pages here; the target is for the 345-page corpus)"
        targets.append((f"whole folder with --jobs {args.jobs} < 3 s wall{note}", wall2 < TARGETS["jobs2_wall_s"],
                        f"{wall2:.2f} s"))
        sc = results["scaling"]
        if "error" in sc:
            print(f"  scaling: failed: {sc['error']}")
        else:
            print(f"  scaling: {sc['small']['bytes'] / 1e3:.0f} kB page {sc['small']['check_ms']:.1f} ms, "
                  f"{sc['big']['bytes'] / 1e3:.0f} kB page {sc['big']['check_ms']:.1f} ms: {sc['time_ratio']:.1f}x time "
                  f"for {sc['bytes_ratio']:.1f}x bytes (bare parse {sc['parse_ratio']:.1f}x)")
            targets.append(("10x larger page costs <= 12x the time", sc["time_ratio"] <= TARGETS["scaling_10x"],
                            f"{sc['time_ratio']:.1f}x"))
        cs_ = results["cold_start"]
        if "error" in cs_:
            print(f"  cold start: {cs_['error']}")
        else:
            print(f"  cold start: a11ycheck check {cs_['file']}: median {cs_['median_s']:.3f} s, min {cs_['min_s']:.3f} s "
                  f"({cs_['runs']} runs, {cs_['tool']})")
            targets.append(("a11ycheck check on one small file < 0.3 s", cs_["median_s"] < TARGETS["cold_start_s"],
                            f"{cs_['median_s']:.3f} s"))
    print("\n  targets:")
    for name, ok, value in targets:
        print(f"    [{'PASS' if ok else 'MISS'}] {name}: {value}")
    results["targets"] = [{"target": n, "met": ok, "value": v} for n, ok, v in targets]
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
        print(f"\n  figures written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

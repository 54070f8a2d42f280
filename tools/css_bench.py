"""Time a11ycheck.document.css.compute_styles over a directory of saved pages.

    python tools/css_bench.py [CORPUS_DIR] [--repeat N]

CORPUS_DIR defaults to ../shared/corpus/articles next to the repository. Pages are parsed
once with lxml (not timed). "cold" runs every page once through a fresh StylesheetCache
(each distinct <style> text parsed on first sight, as in a real run over many sites);
"warm" runs them again through the filled cache. With --repeat N (default 3) each figure is
the per-page minimum over N rounds, which filters out noise from a busy machine.
Also prints how many elements end up display:none / visibility hidden across the corpus.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from a11ycheck.document.css import StylesheetCache, compute_styles  # noqa: E402


def load(corpus: Path) -> list[tuple[Path, list]]:
    docs = []
    parser = etree.HTMLParser(huge_tree=True, no_network=True)
    for path in sorted(corpus.glob("*.htm*")):
        root = etree.fromstring(path.read_bytes(), parser)
        if root is None:
            continue
        first = root
        while first.getprevious() is not None:
            first = first.getprevious()
        roots = []
        node = first
        while node is not None:
            if isinstance(node.tag, str):
                roots.append(node)
            node = node.getnext()
        docs.append((path, roots))
    return docs


def summary(label: str, times: list[float]) -> str:
    ts = sorted(times)
    p95 = ts[min(len(ts) - 1, int(0.95 * len(ts)))]
    return (f"{label}: median {statistics.median(ts) * 1e3:.2f} ms  p95 {p95 * 1e3:.2f} ms  "
            f"max {ts[-1] * 1e3:.1f} ms  total {sum(ts):.3f} s")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus", nargs="?", type=Path, default=ROOT.parent / "shared" / "corpus" / "articles")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    docs = load(args.corpus)
    cold = [float("inf")] * len(docs)
    warm = [float("inf")] * len(docs)
    stats = None
    for _ in range(max(1, args.repeat)):
        cache = StylesheetCache()
        for i, (path, roots) in enumerate(docs):
            t = time.perf_counter()
            compute_styles(roots, page_path=path, cache=cache)
            cold[i] = min(cold[i], time.perf_counter() - t)
        none = vis = hid = notes = 0
        for i, (path, roots) in enumerate(docs):
            t = time.perf_counter()
            res = compute_styles(roots, page_path=path, cache=cache)
            warm[i] = min(warm[i], time.perf_counter() - t)
            none += len(res.display_none)
            vis += len(res.visibility)
            hid += sum(1 for v in res.visibility.values() if v != "visible")
            notes += len(res.notes)
        stats = (none, vis, hid, notes, cache.parse_count)
    print(f"{len(docs)} pages from {args.corpus}")
    print(summary("cold cache", cold))
    print(summary("warm cache", warm))
    assert stats is not None
    none, vis, hid, notes, parses = stats
    pages_none = sum(1 for path, roots in docs
                     if compute_styles(roots, page_path=path, cache=cache).display_none)
    print(f"display:none elements {none} (on {pages_none} pages); visibility entries {vis}, "
          f"of which hidden/collapse {hid}; notes {notes}; stylesheets parsed per round {parses}")
    worst = sorted(zip(cold, (p.name for p, _ in docs)))[-5:]
    print("slowest cold pages: " + ", ".join(f"{n} {t * 1e3:.1f} ms" for t, n in reversed(worst)))


if __name__ == "__main__":
    main()

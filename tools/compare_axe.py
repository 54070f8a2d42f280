#!/usr/bin/env python3
"""Measure agreement between a11ycheck findings and axe-core results, rule by rule.

    python tools/compare_axe.py --ours REPORT.json --axe AXE.jsonl [--rules a,b] [--show N] [--json]

--ours   an a11ycheck JSON report ({"version": 1, "files": [{"path", "findings": [...]}], "errors"})
         or a JSON-lines file written by tools/axe-reference/run-axe.mjs (then "ours" is axe in
         jsdom: violation counts as failed, incomplete as cant_tell).
--axe    either a run-axe.mjs JSON-lines file (nodes carry line/column: compared node by node), or
         the browser reference format of /work/shared/reference/axe-browser-corpus*.jsonl
         ({file, violations: [{rule, impact, count, targets}]}, no locations: compared by the
         number of flagged nodes per page and rule; only violations exist there, so our
         cant_tell findings are left out of that comparison, and the rules compared default to
         the 24 the browser ran).

Node mode matches a finding to an axe node by (page, rule, line, column): axe violation <-> our
failed, axe incomplete <-> our cant_tell. The same element with different outcomes is an
"outcome mismatch", counted apart from axe-only and ours-only.
    node agreement = both / (both + axe-only + ours-only)
    page agreement = pages where the rule's set of (line, column, outcome) is identical on both
                     sides (pages where neither side flags the rule agree).
Count mode, per page and rule, takes min(axe count, our count) as "both" and the excess on either
side as axe-only / ours-only, so its node agreement is an upper bound; page agreement = pages with
equal counts. --by-target (run-axe.mjs output against the browser format only) matches
violations by axe's target selector text instead; axe builds some selectors differently in jsdom
and in Chromium, so that is a lower bound.

Pages are paired by file name, preferring the longest common path suffix, so "x.html",
"articles/x.html" and "/abs/corpus/articles/x.html" pair up. Pages with an error on either side
are left out and listed.

Rules compared: --rules, else every rule axe flagged anywhere plus those of our rules that are
axe rule ids (other a11ycheck rules have no axe counterpart).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import PurePosixPath

# Rules a11ycheck anchors on (see /work/shared/docs/axe-rules.md).
AXE_RULE_IDS = frozenset(
    """
    bypass skip-link image-alt image-redundant-alt role-img-alt svg-img-alt input-image-alt
    area-alt object-alt heading-order page-has-heading-one empty-heading p-as-heading
    landmark-one-main landmark-no-duplicate-banner landmark-no-duplicate-contentinfo
    landmark-no-duplicate-main landmark-banner-is-top-level landmark-contentinfo-is-top-level
    landmark-main-is-top-level landmark-complementary-is-top-level landmark-unique region
    aria-allowed-role aria-roles duplicate-id duplicate-id-aria html-has-lang html-lang-valid
    document-title link-name aria-hidden-focus presentation-role-conflict
    """.split()
)

# The rules of /work/shared/reference/axe-browser-corpus*.jsonl.
BROWSER_REFERENCE_RULES = frozenset(
    """
    bypass skip-link image-alt image-redundant-alt role-img-alt svg-img-alt heading-order
    page-has-heading-one empty-heading landmark-one-main landmark-no-duplicate-banner
    landmark-no-duplicate-contentinfo landmark-no-duplicate-main landmark-banner-is-top-level
    landmark-contentinfo-is-top-level landmark-main-is-top-level
    landmark-complementary-is-top-level landmark-unique region document-title html-has-lang
    link-name duplicate-id-aria aria-hidden-focus
    """.split()
)

VIOLATION, INCOMPLETE = "violation", "incomplete"
OUR_OUTCOMES = {"failed": VIOLATION, "cant_tell": INCOMPLETE}
OUR_NAMES = {v: k for k, v in OUR_OUTCOMES.items()}


@dataclass
class Node:
    line: int | None
    column: int | None
    outcome: str  # VIOLATION or INCOMPLETE
    label: str  # axe target or our selector
    message: str = ""

    @property
    def key(self) -> tuple[int | None, int | None]:
        return (self.line, self.column)


@dataclass
class Page:
    path: str
    error: str | None = None
    nodes: dict[str, list[Node]] = field(default_factory=lambda: defaultdict(list))
    counts: dict[str, int] = field(default_factory=dict)  # count mode only
    targets: dict[str, list[str]] = field(default_factory=dict)  # count mode only


@dataclass
class Source:
    name: str
    kind: str  # "report", "located" (run-axe.mjs) or "counts" (browser reference)
    pages: dict[str, Page]
    warnings: list[str] = field(default_factory=list)


def _norm(path: str) -> str:
    return str(PurePosixPath(path.replace("\\", "/")))


def load_report(name: str, data: dict) -> Source:
    src = Source(name, "report", {})
    skipped: dict[str, int] = defaultdict(int)
    for f in data.get("files", []):
        page = Page(_norm(str(f["path"])))
        if f.get("error"):
            page.error = str(f["error"])
        for fd in f.get("findings", []):
            outcome = OUR_OUTCOMES.get(fd.get("outcome"))
            if outcome is None:
                skipped[str(fd.get("outcome"))] += 1
                continue
            page.nodes[fd["rule"]].append(
                Node(fd.get("line"), fd.get("column"), outcome, str(fd.get("selector") or ""), str(fd.get("message") or ""))
            )
        src.pages[page.path] = page
    for err in data.get("errors", []) or []:
        path = err.get("path") or err.get("file") if isinstance(err, dict) else None
        msg = (err.get("message") or err.get("kind") or json.dumps(err)) if isinstance(err, dict) else str(err)
        if path:
            p = src.pages.setdefault(_norm(str(path)), Page(_norm(str(path))))
            p.error = str(msg)
        else:
            src.warnings.append(f"{name}: report error without a path: {msg}")
    for outcome, n in skipped.items():
        src.warnings.append(f"{name}: ignored {n} finding(s) with outcome {outcome!r}")
    return src


def load_jsonl(name: str, lines: list[str]) -> Source:
    kind = None
    pages: dict[str, Page] = {}
    for no, line in enumerate(lines, 1):
        if not line.strip():
            continue
        rec = json.loads(line)
        page = Page(_norm(str(rec["file"])))
        if rec.get("error"):
            page.error = str(rec["error"])
        elif "results" in rec:
            if kind == "counts":
                raise SystemExit(f"{name}:{no}: mixes run-axe.mjs and browser-reference records")
            kind = "located"
            for r in rec["results"]:
                outcome = VIOLATION if r["outcome"] == VIOLATION else INCOMPLETE
                for n in r["nodes"]:
                    page.nodes[r["rule"]].append(Node(n.get("line"), n.get("column"), outcome, str(n.get("target", ""))))
        elif "violations" in rec:
            if kind == "located":
                raise SystemExit(f"{name}:{no}: mixes run-axe.mjs and browser-reference records")
            kind = "counts"
            for v in rec["violations"]:
                page.counts[v["rule"]] = page.counts.get(v["rule"], 0) + int(v.get("count", len(v.get("targets", []))))
                page.targets.setdefault(v["rule"], []).extend(v.get("targets", []))
        else:
            raise SystemExit(f"{name}:{no}: neither a run-axe.mjs nor a browser-reference record")
        pages[page.path] = page
    return Source(name, kind or "located", pages)


def load(name: str) -> Source:
    with open(name, encoding="utf-8") as fh:
        text = fh.read()
    stripped = text.lstrip()
    if stripped.startswith("{"):
        try:
            data = json.loads(text)
        except json.JSONDecodeError:
            data = None  # JSON lines
        if isinstance(data, dict) and "files" in data:
            return load_report(name, data)
        if isinstance(data, dict) and "file" in data:
            return load_jsonl(name, [text])
    return load_jsonl(name, text.splitlines())


def pair_pages(ours: Source, axe: Source) -> tuple[list[tuple[Page, Page]], list[str]]:
    """Pair pages by basename, preferring the longest common path suffix; one-to-one."""
    notes: list[str] = []
    by_base: dict[str, list[str]] = defaultdict(list)
    for p in axe.pages:
        by_base[PurePosixPath(p).name].append(p)

    def common_suffix(a: str, b: str) -> int:
        pa, pb = PurePosixPath(a).parts, PurePosixPath(b).parts
        n = 0
        while n < min(len(pa), len(pb)) and pa[-1 - n] == pb[-1 - n]:
            n += 1
        return n

    claims: dict[str, list[tuple[int, str]]] = defaultdict(list)
    unmatched_ours = []
    for op in ours.pages:
        cands = [(common_suffix(op, ap), ap) for ap in by_base.get(PurePosixPath(op).name, [])]
        if not cands:
            unmatched_ours.append(op)
            continue
        best = max(s for s, _ in cands)
        top = [ap for s, ap in cands if s == best]
        if len(top) > 1:
            notes.append(f"ambiguous: {op} matches {', '.join(sorted(top))}; skipped")
            continue
        claims[top[0]].append((best, op))
    pairs = []
    for ap, cl in claims.items():
        cl.sort(reverse=True)
        if len(cl) > 1 and cl[0][0] == cl[1][0]:
            notes.append(f"ambiguous: {ap} claimed by {', '.join(o for _, o in cl)}; skipped")
            continue
        pairs.append((ours.pages[cl[0][1]], axe.pages[ap]))
    pairs.sort(key=lambda t: t[1].path)
    unmatched_axe = sorted(set(axe.pages) - {a.path for _, a in pairs})
    if unmatched_ours:
        notes.append(f"{len(unmatched_ours)} page(s) only in --ours, e.g. {unmatched_ours[0]}")
    if unmatched_axe:
        notes.append(f"{len(unmatched_axe)} page(s) only in --axe, e.g. {unmatched_axe[0]}")
    return pairs, notes


def _pct(num: int, den: int) -> float | None:
    return None if den == 0 else 100.0 * num / den


def compare(ours: Source, axe: Source, rules: list[str] | None, show: int, by_target: bool = False) -> dict:
    if ours.kind == "counts":
        raise SystemExit("--ours must have node locations (an a11ycheck report or run-axe.mjs output)")
    if axe.kind == "located":
        mode = "nodes"
    elif ours.kind == "located" and by_target:
        mode = "targets"  # axe in jsdom vs axe in a browser: both sides carry axe target selectors
    else:
        mode = "counts"
    pairs, notes = pair_pages(ours, axe)
    notes = ours.warnings + axe.warnings + notes
    errored = [(o.path, o.error, a.error) for o, a in pairs if o.error or a.error]
    good = [(o, a) for o, a in pairs if not (o.error or a.error)]

    if rules is None:
        if axe.kind == "counts":
            # the browser reference ran exactly these; other rules would all be "ours-only"
            rules = sorted(BROWSER_REFERENCE_RULES)
        else:
            axe_rules = {r for _, a in good for r in a.nodes}
            our_rules = {r for o, _ in good for r in o.nodes if r in AXE_RULE_IDS}
            rules = sorted(axe_rules | our_rules)

    def key(n: Node):
        return n.label if mode == "targets" else n.key

    stats: dict[str, dict] = {}
    dups = {"axe": 0, "ours": 0}
    examples: dict[str, dict[str, list]] = {}
    for rule in rules:
        st = dict(pages=len(good), both=0, axe_only=0, ours_only=0, outcome_mismatch=0, pages_agree=0,
                  axe_nodes=0, ours_nodes=0, axe_unlocated=0, ours_unlocated=0)
        ex: dict[str, list] = {"axe_only": [], "ours_only": [], "outcome_mismatch": []}
        for o, a in good:
            if mode == "counts":
                # the browser format lists violations only: leave our cant_tell out
                mine = [n for n in o.nodes.get(rule, []) if n.outcome == VIOLATION]
                na, no = a.counts.get(rule, 0), len(mine)
                st["axe_nodes"] += na
                st["ours_nodes"] += no
                st["both"] += min(na, no)
                st["axe_only"] += max(0, na - no)
                st["ours_only"] += max(0, no - na)
                if na == no:
                    st["pages_agree"] += 1
                else:
                    kind = "axe_only" if na > no else "ours_only"
                    if len(ex[kind]) < show:
                        ex[kind].append({
                            "file": a.path, "axe_count": na, "our_count": no,
                            "axe_targets": a.targets.get(rule, [])[:5],
                            "our_nodes": [f"{n.line}:{n.column} {n.label}" for n in mine[:5]],
                            "our_messages": [n.message for n in mine[:5]],
                        })
                continue
            if mode == "targets":
                a_nodes = [Node(None, None, VIOLATION, t) for t in a.targets.get(rule, [])]
                o_nodes = [n for n in o.nodes.get(rule, []) if n.outcome == VIOLATION]
            else:
                a_nodes, o_nodes = a.nodes.get(rule, []), o.nodes.get(rule, [])
            an: dict = {}
            for n in a_nodes:
                if key(n) in an:
                    dups["axe"] += 1
                an.setdefault(key(n), n)
            on: dict = {}
            for n in o_nodes:
                if key(n) in on:
                    dups["ours"] += 1
                on.setdefault(key(n), n)
            st["axe_nodes"] += len(an)
            st["ours_nodes"] += len(on)
            if mode == "nodes":
                st["axe_unlocated"] += sum(1 for k in an if k[0] is None)
                st["ours_unlocated"] += sum(1 for k in on if k[0] is None)
            same = True
            order = (lambda k: k) if mode == "targets" else (lambda k: (k[0] or 0, k[1] or 0))
            for k in sorted(an.keys() | on.keys(), key=order):
                x, y = an.get(k), on.get(k)
                if x and y and x.outcome == y.outcome:
                    st["both"] += 1
                    continue
                kind = "outcome_mismatch" if x and y else "axe_only" if x else "ours_only"
                same = False
                st[kind] += 1
                if len(ex[kind]) < show:
                    ref = y or x
                    ex[kind].append({
                        "file": a.path, "line": ref.line, "column": ref.column,
                        "axe_outcome": x.outcome if x else None, "axe_target": x.label if x else None,
                        "our_outcome": (y.outcome if ours.kind == "located" else OUR_NAMES[y.outcome]) if y else None,
                        "our_selector": y.label if y else None,
                        "our_message": y.message if y else None,
                    })
            st["pages_agree"] += same
        st["node_agreement_pct"] = _pct(st["both"], st["both"] + st["axe_only"] + st["ours_only"])
        st["page_agreement_pct"] = _pct(st["pages_agree"], st["pages"])
        if mode != "nodes":
            for k in ("outcome_mismatch", "axe_unlocated", "ours_unlocated"):
                del st[k]
        stats[rule] = st
        examples[rule] = ex

    for side, n in dups.items():
        if n:
            notes.append(f"{side}: {n} node(s) repeat a (page, rule, {'target' if mode == 'targets' else 'line, column'})"
                         " already seen; counted once")
    keys = ("both", "axe_only", "ours_only") + (("outcome_mismatch",) if mode == "nodes" else ())
    total = {k: sum(s[k] for s in stats.values()) for k in keys}
    total["node_agreement_pct"] = _pct(total["both"], total["both"] + total["axe_only"] + total["ours_only"])
    return {
        "mode": mode,
        "ours": ours.name, "axe": axe.name,
        "pages_paired": len(pairs), "pages_compared": len(good),
        "pages_excluded": [{"file": p, "our_error": oe, "axe_error": ae} for p, oe, ae in errored],
        "notes": notes,
        "rules": stats, "total": total,
        "examples": examples if show else {},
    }


MODE_TEXT = {
    "nodes": "nodes matched by (page, rule, line, column); axe violation = our failed, axe incomplete = our cant_tell",
    "targets": "axe-vs-axe: violations matched by (page, rule, axe target selector); incomplete left out",
    "counts": "flagged-node COUNTS per page and rule (axe side has no locations; violations only, our cant_tell left out)",
}


def _fmt_pct(x: float | None) -> str:
    return "-" if x is None else f"{x:.1f}%"


def print_text(res: dict, out=sys.stdout) -> None:
    w = out.write
    mode = res["mode"]
    nodes = mode == "nodes"
    w(f"ours: {res['ours']}\naxe:  {res['axe']}\nmode: {MODE_TEXT[mode]}\n")
    w(f"pages paired {res['pages_paired']}, compared {res['pages_compared']}, excluded (errors) {len(res['pages_excluded'])}\n")
    for e in res["pages_excluded"]:
        w(f"  excluded {e['file']}: ours={e['our_error']!r} axe={e['axe_error']!r}\n")
    for n in res["notes"]:
        w(f"  note: {n}\n")
    hdr = ["rule", "pages", "both", "axe-only", "ours-only"] + (["mismatch"] if nodes else []) + ["node-agree", "pages-agree"]
    rows = []
    for rule, s in res["rules"].items():
        rows.append([rule, str(s["pages"]), str(s["both"]), str(s["axe_only"]), str(s["ours_only"])]
                    + ([str(s["outcome_mismatch"])] if nodes else [])
                    + [_fmt_pct(s["node_agreement_pct"]), f"{s['pages_agree']}/{s['pages']} {_fmt_pct(s['page_agreement_pct'])}"])
    t = res["total"]
    rows.append(["TOTAL", str(res["pages_compared"]), str(t["both"]), str(t["axe_only"]), str(t["ours_only"])]
                + ([str(t["outcome_mismatch"])] if nodes else []) + [_fmt_pct(t["node_agreement_pct"]), ""])
    widths = [max(len(r[i]) for r in [hdr] + rows) for i in range(len(hdr))]
    for r in [hdr] + rows:
        w("  ".join(c.ljust(widths[i]) if i == 0 else c.rjust(widths[i]) for i, c in enumerate(r)).rstrip() + "\n")
    if mode == "counts":
        w("(count mode: both = sum of min(counts), so node-agree is an upper bound)\n")
    if nodes:
        unl = [(r, s["axe_unlocated"], s["ours_unlocated"]) for r, s in res["rules"].items() if s["axe_unlocated"] or s["ours_unlocated"]]
        if unl:
            w("nodes without a source location (matched only to each other): "
              + ", ".join(f"{r} axe {a}/ours {o}" for r, a, o in unl) + "\n")
    for rule, ex in res["examples"].items():
        for kind, items in ex.items():
            if not items:
                continue
            w(f"\n[{rule}] {kind.replace('_', '-')}:\n")
            for e in items:
                if mode == "counts":
                    w(f"  {e['file']}: axe {e['axe_count']} / ours {e['our_count']}\n")
                    w(f"    axe targets: {e['axe_targets']}\n    our nodes:   {e['our_nodes']}\n")
                    continue
                w(f"  {e['file']}" + (f":{e['line']}:{e['column']}" if e["line"] is not None or mode == "nodes" else ""))
                if kind == "outcome_mismatch":
                    w(f"  axe {e['axe_outcome']} / ours {e['our_outcome']}")
                w("\n")
                if e["axe_target"] is not None:
                    w(f"    axe target:   {e['axe_target']}\n")
                if e["our_selector"] is not None:
                    w(f"    our selector: {e['our_selector']}\n")
                if e["our_message"]:
                    w(f"    our message:  {e['our_message']}\n")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ours", required=True, help="a11ycheck JSON report (or run-axe.mjs JSON lines)")
    ap.add_argument("--axe", required=True, help="run-axe.mjs JSON lines, or browser-reference JSON lines")
    ap.add_argument("--rules", help="comma-separated rule ids to compare")
    ap.add_argument("--show", type=int, default=0, metavar="N", help="list up to N examples of each disagreement kind per rule")
    ap.add_argument("--json", action="store_true", help="print the statistics as JSON")
    ap.add_argument("--by-target", action="store_true",
                    help="only with run-axe.mjs output as --ours and a browser-reference --axe: match violations by "
                         "axe target selector text instead of counting (stricter; axe builds some selectors "
                         "differently in jsdom and in Chromium, so this undercounts agreement)")
    args = ap.parse_args(argv)
    rules = [r.strip() for r in args.rules.split(",") if r.strip()] if args.rules else None
    res = compare(load(args.ours), load(args.axe), rules, max(0, args.show), args.by_target)
    if args.json:
        json.dump(res, sys.stdout, indent=1)
        sys.stdout.write("\n")
    else:
        print_text(res)
    return 0


if __name__ == "__main__":
    sys.exit(main())

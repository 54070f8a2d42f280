"""JUnit XML, as GitLab, Jenkins and Bitbucket read it: one test case per page and rule.

``testsuite`` per page (``name`` = path); ``testcase`` per rule that ran, with
``classname`` = the page path as a dotted name (shown as the suite by GitLab; unique per page)
and ``name`` = the rule id, so ``classname`` + ``name`` is unique (GitLab keeps only the first
of duplicates). A rule with findings at or above ``fail_on`` fails its test case: the
``failure`` text lists every finding (``path:line:col: rule message``, the snippet) and ends
with the rule's help and WCAG reference. Findings below ``fail_on`` do not fail it; they are
listed in ``system-out``. Pages that could not be checked get an ``error`` test case named
``a11ycheck``. Times are 0 (deterministic output).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import defaultdict
from typing import TYPE_CHECKING

from ..results import IMPACT_RANK
from ._common import catalogue, plural, posix_path, wcag_line, xml_text

if TYPE_CHECKING:
    from ..registry import Rule
    from ..results import Finding, Report, ToolError


def classname(path: str) -> str:
    """``site/posts/hello/index.html`` -> ``site.posts.hello.index`` (dots inside names become ``_``)."""
    p = posix_path(path)
    p = re.sub(r"\.html?\Z", "", p, flags=re.I)
    parts = [re.sub(r"[.\s]", "_", seg) or "_" for seg in p.split("/") if seg not in ("", ".")]
    return ".".join(parts) or "_"


def _finding_text(f: Finding) -> str:
    review = " (needs review)" if f.outcome == "cant_tell" else ""
    return f"{posix_path(f.path)}:{f.line}:{f.column}: {f.rule} {f.message}{review} [{f.impact}]\n    {f.snippet}"


def render(report: Report, *, rules: dict[str, Rule] | None = None, fail_on: str = "minor", **_: object) -> str:
    cat = catalogue(rules)
    floor = IMPACT_RANK[fail_on]
    rule_ids = sorted(set(report.rules) | {f.rule for f in report.findings})
    errors: dict[str, list[ToolError]] = defaultdict(list)
    for e in report.errors:
        errors[e.path].append(e)
    pages: dict[str, list[Finding] | None] = {fr.path: fr.findings for fr in report.files}
    for path in errors:
        pages.setdefault(path, None)
    used: dict[str, str] = {}
    root = ET.Element("testsuites", name="a11ycheck")
    totals = {"tests": 0, "failures": 0, "errors": 0}
    for path in sorted(pages):
        cls = classname(path)
        base, n = cls, 2
        while cls in used and used[cls] != path:  # two paths with the same dotted name
            cls, n = f"{base}_{n}", n + 1
        used[cls] = path
        suite = ET.SubElement(root, "testsuite", name=xml_text(posix_path(path)))
        counts = {"tests": 0, "failures": 0, "errors": 0}
        for e in errors.get(path, []):
            case = ET.SubElement(suite, "testcase", classname=xml_text(cls), name="a11ycheck",
                                 file=xml_text(posix_path(path)), time="0")
            err = ET.SubElement(case, "error", type=e.kind, message=xml_text(e.message))
            err.text = xml_text(f"{posix_path(path)}: {e.kind}: {e.message}")
            counts["tests"] += 1
            counts["errors"] += 1
        findings = pages[path]
        if findings is not None:
            by_rule: dict[str, list[Finding]] = defaultdict(list)
            for f in findings:
                by_rule[f.rule].append(f)
            for rule_id in rule_ids:
                case = ET.SubElement(suite, "testcase", classname=xml_text(cls), name=rule_id,
                                     file=xml_text(posix_path(path)), time="0")
                counts["tests"] += 1
                mine = by_rule.get(rule_id, [])
                failing = [f for f in mine if IMPACT_RANK[f.impact] >= floor]
                below = [f for f in mine if IMPACT_RANK[f.impact] < floor]
                if failing:
                    rule = cat.get(rule_id)
                    text = "\n".join(_finding_text(f) for f in failing)
                    if rule is not None:
                        text += f"\n\nHow to fix: {rule.data['help']}\n{wcag_line(rule)}"
                    fail = ET.SubElement(case, "failure", type=failing[0].impact,
                                         message=xml_text(f"{plural(len(failing), 'finding')}: {failing[0].message}"))
                    fail.text = xml_text(text)
                    counts["failures"] += 1
                if below:
                    out = ET.SubElement(case, "system-out")
                    out.text = xml_text(f"Below --fail-on {fail_on}:\n" + "\n".join(_finding_text(f) for f in below))
        for key in ("tests", "failures", "errors"):
            suite.set(key, str(counts[key]))
            totals[key] += counts[key]
        suite.set("skipped", "0")
        suite.set("time", "0")
    for key in ("tests", "failures", "errors"):
        root.set(key, str(totals[key]))
    root.set("time", "0")
    ET.indent(root, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"

"""Regenerate src/a11ycheck/data/language-subtags.txt from the IANA Language Subtag Registry.

Usage: python tools/gen_language_subtags.py path/to/language-subtag-registry.txt

Keeps records with ``Type: language`` that are not deprecated and whose subtag is 2 or 3
letters (private-use ranges such as ``qaa..qtz`` are skipped), which is what
``html-lang-valid`` accepts as a primary language subtag.
"""

from __future__ import annotations

import sys
from pathlib import Path


def main(registry: str) -> None:
    text = Path(registry).read_text(encoding="utf-8")
    records = text.split("\n%%\n")
    file_date = records[0].strip()
    keep = []
    for rec in records[1:]:
        fields = {}
        for line in rec.splitlines():
            if ":" in line and not line.startswith(" "):
                k, v = line.split(":", 1)
                fields.setdefault(k.strip(), v.strip())
        if fields.get("Type") != "language" or "Deprecated" in fields:
            continue
        tag = fields.get("Subtag", "")
        if ".." in tag or not (2 <= len(tag) <= 3) or not tag.isalpha():
            continue
        keep.append(tag.lower())
    out = Path(__file__).resolve().parents[1] / "src" / "a11ycheck" / "data" / "language-subtags.txt"
    lines = [f"# IANA Language Subtag Registry, {file_date}; {len(keep)} primary language subtags"]
    keep.sort()
    for i in range(0, len(keep), 20):
        lines.append(" ".join(keep[i : i + 20]))
    out.write_text("\n".join(lines) + "\n", encoding="ascii")
    print(f"wrote {len(keep)} subtags to {out}")


if __name__ == "__main__":
    main(sys.argv[1])

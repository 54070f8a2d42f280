"""No quadratic walk anywhere in a check: for page shapes that stress one structure each (flat
content, deep nesting, nested landmarks, captioned figures, links, headings, references by id,
findings on every element), doubling the page at most about doubles the work of the whole
pipeline (decode, parse, model, every rule on by default, findings with positions, selectors
and snippets). Work is counted, not timed (helpers.work), so these tests are deterministic."""

from __future__ import annotations

import pytest

from a11ycheck.api import check_bytes, make_runs, select_rules
from a11ycheck.registry import load_rules

from helpers import assert_linear

RUNS = make_runs(select_rules(load_rules()))


def page(body: str) -> str:
    return ('<!DOCTYPE html><html lang="en"><head><title>T</title><style>.hide{display:none}</style></head><body>'
            '<a href="#main">Skip to main content</a><header><a href="/">Home</a><nav aria-label="Main">'
            f'<a href="/w">World</a></nav></header><main id="main"><h1>Story</h1>{body}</main>'
            '<footer><p>(c)</p></footer></body></html>')


SHAPES = {
    # side by side: content, findings (missing alt, skipped heading levels), hidden elements
    "paragraphs": lambda n: page("".join(f"<p>Paragraph <b>{i}</b> <a href='/x{i}'>link</a></p>" for i in range(n))),
    "images-without-alt": lambda n: page("".join(f'<p><img src="p{i}.jpg"></p>' for i in range(n))),
    "captioned-figures": lambda n: page("".join(
        f'<figure><img src="p{i}.jpg" alt="Photo {i}"><figcaption>Photo {i}. (AP)</figcaption></figure>' for i in range(n))),
    "headings": lambda n: page("".join(f"<h{i % 6 + 1}>Heading {i}</h{i % 6 + 1}><p>t</p>" for i in range(n))),
    "hidden-and-css": lambda n: page("".join(f'<div class="hide"><p>x{i}</p></div><div style="visibility:hidden">y</div>'
                                             for i in range(n))),
    "labelledby-references": lambda n: page("".join(
        f'<span id="l{i}">Label {i}</span><section aria-labelledby="l{i}"><p>t</p></section>' for i in range(n))),
    "same-page-links": lambda n: page("".join(f'<a href="#t{i}">to {i}</a><p id="t{i}">x</p>' for i in range(n))),
    # nested: each level holds content, and the deep variants keep a landmark at every level
    "deep-divs": lambda n: page("<div><p>t</p>" * n + "</div>" * n),
    "nested-landmarks": lambda n: page('<section aria-label="s"><p>t</p><aside><p>a</p></aside>' * n + "</section>" * n),
    "nested-lists": lambda n: page("<ul><li><a href='/x'>x</a>" * n + "</li></ul>" * n),
    # outside every landmark: region findings, each widened once
    "regionless": lambda n: page("").replace("</footer>", "</footer>" + "<div><p>Outside</p></div>" * n),
}


def _pipeline(html: str):
    data = html.encode("utf-8")

    def go() -> None:
        outcome = check_bytes(data, "page.html", RUNS)
        assert outcome.result is not None

    return go


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_whole_check_is_linear(shape: str) -> None:
    assert_linear(lambda n: _pipeline(SHAPES[shape](n)), 300)

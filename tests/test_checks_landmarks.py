"""Edge cases of the landmarks family (rules/landmark-*.json, region.json, aria-roles.json) that
are too ugly or too specific for the rule examples: axe-core's quirks, the region walk, skip
links, pixel images, role explanations, and the time the region walk takes on huge pages."""

from __future__ import annotations

import time

import pytest

from a11ycheck.checks.landmarks import is_pixel_image, role_reason

from helpers import doc_of, outcomes, select_one


def page(body: str, head: str = "") -> str:
    return f'<!DOCTYPE html><html lang="en"><head><title>T</title>{head}</head><body>{body}</body></html>'


def failed(rule_id: str, html: str) -> list[tuple[str, str | None]]:
    return outcomes(rule_id, html).get("failed", [])


# ------------------------------------------------------------------ model: UA-hidden elements
@pytest.mark.parametrize("markup", ['<meta itemprop="x" content="y">', '<link rel="x" href="y">',
                                    '<input type="HIDDEN" name="t" value="v">', "<datalist><option>a</option></datalist>",
                                    "<title>In body</title>"])
def test_ua_stylesheet_hidden_elements_are_not_rendered(markup: str) -> None:
    """HTML §15.3.1: meta, link, datalist, title, input[type=hidden i]... are display:none
    (model.py edit; axe sees them hidden, and for region they stop the widening)."""
    doc = doc_of(page(f"<div>{markup}</div>"))
    el = select_one(doc, "div > *")
    assert doc.is_hidden_for_everyone(el)
    assert not doc.is_hidden_for_everyone(select_one(doc, "div"))


def test_svg_title_is_not_hidden_by_the_html_title_rule() -> None:
    doc = doc_of(page('<svg role="img"><title>Logo</title></svg>'))
    assert not doc.is_hidden_for_everyone(select_one(doc, "svg title"))


def test_meta_in_body_stops_region_widening_like_axe() -> None:
    """A hidden element (here a <meta> of microdata) marks its ancestors as holding a region:
    the paragraph next to it is reported, not the wrapper."""
    html = page('<main><p>x</p></main><div class="w"><p class="t">Title</p><meta itemprop="a" content="b"></div>')
    assert failed("region", html) == [("html > body:nth-child(2) > div:nth-child(2) > p:nth-child(1)", "outside")]

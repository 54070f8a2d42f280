"""Edge cases of the landmarks family (rules/landmark-*.json, region.json, aria-roles.json) that
are too ugly or too specific for the rule examples: axe-core's quirks, the region walk, skip
links, pixel images, role explanations, and the time the region walk takes on huge pages."""

from __future__ import annotations

import pytest

from a11ycheck.checks import CHECKS, Context
from a11ycheck.checks.landmarks import _Classifier, is_pixel_image, role_reason

from helpers import assert_linear, doc_of, outcomes, rule, select_one


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


# ------------------------------------------------------------------ region: the walk
def test_region_reports_the_widened_node_once() -> None:
    html = page('<main><p>x</p></main><div class="w"><div><p>One</p><p>Two</p></div><img src="a.png" alt="A"></div>')
    assert failed("region", html) == [("html > body:nth-child(2) > div:nth-child(2)", "outside")]


def test_region_text_directly_in_body_is_ignored() -> None:
    assert failed("region", page("Loose text<main><p>x</p></main>")) == []


def test_region_label_only_element_is_looked_into() -> None:
    """Deliberate difference: a container whose only content is its aria-label is not content;
    when it holds real content, the finding is the same widened element axe reports."""
    assert failed("region", page('<div aria-label="Advert"></div><main><p>x</p></main>')) == []
    html = page('<div class="ad" aria-label="Advert"><p>Buy</p></div><main><p>x</p></main>')
    assert failed("region", html) == [("html > body:nth-child(2) > div:nth-child(1)", "outside")]


def test_region_presentational_image_and_role_none_without_text() -> None:
    html = page('<img src="a.png" alt=""><img src="b.png" role="presentation"><main><p>x</p></main>')
    assert failed("region", html) == []


def test_region_stops_at_buttons_iframes_svgs_live_regions_and_dialogs() -> None:
    html = page('<button>Menu</button><iframe src="x.html" title="Ad"></iframe><svg><text>1</text></svg>'
                '<div role="status">Saved</div><div role="dialog" aria-label="Cookies"><p>We use cookies</p></div>'
                '<dialog open><p>Hi</p></dialog><main><p>x</p></main>')
    assert failed("region", html) == []


@pytest.mark.parametrize(("attrs", "pixel"), [
    ('width="1" height="1"', True), ('width="0" height="0"', True), ('style="width:1px;height:1px"', True),
    ('width="1px" height="1"', True), ('width="1" height="1" alt=""', True), ('width="1"', False),
    ('width="10" height="1"', False), ("", False), ('width="1" height="1" alt="Top of the page"', False),
    ('width="1" height="1" tabindex="0"', False),
])
def test_pixel_images(attrs: str, pixel: bool) -> None:
    """Tracking pixels and spacers: at most 1×1, no alt text, not focusable (what browsers leave
    out of the accessibility tree); a 1×1 image with alt text is read, so it is content."""
    doc = doc_of(page(f'<img src="p.gif" {attrs}>'))
    assert is_pixel_image(doc, select_one(doc, "img")) is pixel


def test_region_pixel_does_not_stop_widening() -> None:
    """A pixel is ignored, not a region: text next to it is still widened to the wrapper, as axe does."""
    html = page('<main><p>x</p></main><div class="w"><p>Text</p><img src="p.gif" width="1" height="1"></div>')
    assert failed("region", html) == [("html > body:nth-child(2) > div:nth-child(2)", "outside")]


# ------------------------------------------------------------------ region: skip links
def _region_targets(body: str) -> list[str]:
    return [t for t, _ in failed("region", page(body))]


def test_skip_link_after_the_first_ordinary_link_is_content() -> None:
    body = '<a href="/home">Home</a><a class="s" href="#c">Skip</a><main id="c"><p>x</p></main>'
    assert _region_targets(body) == ["html > body:nth-child(2) > a:nth-child(1)", "html > body:nth-child(2) > a:nth-child(2)"]


@pytest.mark.parametrize(("href", "exempt"), [
    ("#c", True), ("/#c", True), ("#", False), ("#/route", False), ("#!c", False), ("#missing", False),
    ("#n", True), ("#%63", True), ("page.html#c", False),
])
def test_skip_link_targets(href: str, exempt: bool) -> None:
    """Same-page links (``#x`` or Angular's ``/#x``, not ``#``, ``#/`` or ``#!`` routes) whose
    target exists by id or by ``name`` stop the walk."""
    body = f'<a href="{href}">Skip</a><main id="c"><a name="n"></a><p>x</p></main>'
    assert (_region_targets(body) == []) is exempt


# ------------------------------------------------------------------ region: explanations
_CLASSIFIER_PAGE = page(
    '<a href="#main">Skip</a><a href="#nowhere">Broken</a><a href="/">Home</a><a href="#main">Later</a>'
    '<div>Text<span> </span>tail</div><div> <p>para</p> </div><p hidden>gone</p><ul role="none"><li>a</li></ul>'
    '<li role="none"></li><div aria-live="polite">live</div><span aria-label="Label"></span>'
    '<ul aria-labelledby="h"><li><a href="/x">x</a></li></ul><h2 id="h">Heading</h2><td>cell</td>'
    '<article><header>Site</header></article><div role="dialog">d</div><p aria-hidden="true">ah</p>'
    '<div role="region" aria-label="R"><p>in</p></div><a aria-label="Named"></a><table><tr><td>c</td></tr></table>'
    '<main id="main"><p>x</p></main><picture><source srcset="a.png"><img src="a.png" alt="A"></picture>')


def test_region_fast_path_classifies_like_the_full_test() -> None:
    """_Classifier.kind settles common tags without role/live/label attributes from hidden-ness
    and own text: it must agree with the full test on every element."""
    doc = doc_of(_CLASSIFIER_PAGE)
    classifier = _Classifier(doc)
    for el in doc.elements:
        assert classifier.kind(el) == classifier._full(el), doc.selector(el)


def test_region_passes_are_skipped_only_when_not_wanted() -> None:
    doc = doc_of(_CLASSIFIER_PAGE)
    r = rule("region")

    def results(want_passes: bool) -> list[tuple[str, str | None]]:
        ctx = Context(r, r.resolve_options(None), want_passes=want_passes)
        return [(res.outcome, res.key) for res in CHECKS["region"](doc, ctx)]
    everything, reported = results(True), results(False)
    assert ("passed", None) in everything
    assert reported == [x for x in everything if x[0] != "passed"] and reported


def test_region_message_names_the_element_that_is_not_a_landmark() -> None:
    msg = _messages("region", page('<section><aside class="rel"><p>Related</p></aside></section><main><p>x</p></main>'))
    assert msg == ['<section> holds content outside every landmark (text "Related"): <aside class="rel"> at line 1 inside it '
                   "is generic here, because it is inside <section> at line 1 and has no accessible name; move the content "
                   "into a landmark or make that element one"]


def test_region_message_explains_an_ancestor() -> None:
    """The content is not widened past the section (it holds a nav), and the section's role is explained."""
    msg = _messages("region", page('<section><nav aria-label="N"><a href="/">a</a></nav><p class="x">Text</p></section>'))
    assert "its ancestor <section> at line 1 is generic here, because it has no accessible name" in msg[0]


def test_role_reason_explicit_and_conflict() -> None:
    doc = doc_of(page('<nav role="none" aria-label="x"><a href="/">a</a></nav><div role="banner">b</div><form id="f">f</form>'))
    assert role_reason(doc, select_one(doc, "nav"))[0].startswith('its role="none" is ignored')
    assert role_reason(doc, select_one(doc, "div"))[0] == 'it has role="banner"'
    assert "no accessible name" in role_reason(doc, select_one(doc, "form"))[0]


def _messages(rule_id: str, html: str) -> list[str]:
    from a11ycheck.engine import to_finding
    from helpers import rule, run_rule

    doc, results = run_rule(rule_id, html)
    return [to_finding(doc, rule(rule_id), r).message for r in results if r.outcome != "passed"]


# ------------------------------------------------------------------ region: performance
def _region_run(html: str):
    from a11ycheck.engine import RuleRun, evaluate

    r = rule("region")

    def go() -> list:
        # the document is parsed inside: the model's lazy work (roles, hidden-ness) counts too
        return evaluate(doc_of(html), RuleRun(r, r.resolve_options(None)))

    return go


def test_region_is_linear_on_flat_and_deep_pages() -> None:
    """One walk plus a memoised climb: regionless paragraphs side by side, and a deep chain with
    content and a landmark at every level, cost work in proportion to their size (a climb to
    the root from every element would quadruple it when the size doubles)."""
    assert_linear(lambda n: _region_run(page("".join(f"<p>Paragraph {i}</p>" for i in range(n)))), 1000)
    assert_linear(lambda n: _region_run(page('<div><p>t</p><nav aria-label="n"></nav>' * n + "</div>" * n)), 400)
    # and at full size the results are right (no recursion limit on the 2,000-deep chain)
    flat = page("".join(f"<p>Paragraph {i}</p>" for i in range(60000)))
    deep = page("".join('<div><p>t</p><nav aria-label="n"></nav>' for _ in range(2000)) + "</div>" * 2000)
    for html, expected in ((flat, 60000), (deep, 2000)):
        assert sum(1 for x in _region_run(html)() if x.outcome == "failed") == expected


# ------------------------------------------------------------------ top-level and duplicates
def test_top_level_ancestor_with_explicit_none_role_is_not_a_landmark() -> None:
    """axe takes an ancestor's explicit role as is, so role=none on a <nav> is no landmark there."""
    html = page('<nav role="none"><div role="banner"><a href="/">VOA</a></div></nav>')
    assert failed("landmark-banner-is-top-level", html) == []


def test_top_level_dpub_landmark_ancestor_counts() -> None:
    """Deliberate difference: DPUB landmark roles are landmarks (DPUB-ARIA 1.1)."""
    html = page('<div role="doc-chapter"><main><p>x</p></main></div>')
    assert [k for _, k in failed("landmark-main-is-top-level", html)] == ["nested"]


def test_no_duplicate_banner_ignores_hidden_first_candidate() -> None:
    html = page('<header hidden>old</header><header class="a">a</header><header class="b">b</header>')
    assert failed("landmark-no-duplicate-banner", html) == [("html > body:nth-child(2) > header:nth-child(2)", "duplicate")]


def test_landmark_one_main_is_inapplicable_when_the_page_is_hidden() -> None:
    """Anti-clickjacking pages hide <html> until a script shows it: nothing is rendered."""
    html = page("<div>x</div>", head="<style>html { display: none }</style>")
    assert outcomes("landmark-one-main", html) == {}


def test_landmark_unique_title_named_sections_are_regions() -> None:
    """Deliberate difference: title names a section (HTML-AAM + accname), so two sections titled
    alike collide; axe skips them."""
    html = page('<section title="More"><p>a</p></section><section title="more"><p>b</p></section>')
    assert [k for _, k in failed("landmark-unique", html)] == ["same-name"]


# ------------------------------------------------------------------ aria-roles
@pytest.mark.parametrize(("role", "key"), [
    ("text", "invalid"), ("generic", None), ("doc-pageheader", None), ("SECTION", "abstract"),
    ("foo section", "abstract"), ("foo button", None), ("butoon", "invalid"), ("image", None),
])
def test_aria_roles_tokens(role: str, key: str | None) -> None:
    res = failed("aria-roles", page(f'<div role="{role}">x</div>'))
    assert [k for _, k in res] == ([key] if key else [])


def test_aria_roles_hint_suggests_a_close_role() -> None:
    assert 'did you mean "button"?' in _messages("aria-roles", page('<div role="butoon">x</div>'))[0]

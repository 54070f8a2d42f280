"""Edge cases of the skip-links family (skip-link, bypass, skip-link-first) that are too ugly or
too technical for the rule JSON examples, the example pages, and a few corpus pages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from a11ycheck.checks import CHECKS
from a11ycheck.checks.skip_links import ORDINARY, SAME_PAGE, SCRIPT, clean_href, link_kind, links_of
from a11ycheck.document import parse_document
from a11ycheck.engine import RuleRun, evaluate, to_finding
from a11ycheck.registry import Rule

from helpers import assert_linear, doc_of

ROOT = Path(__file__).resolve().parents[1]
FAMILY = ("skip-link", "bypass", "skip-link-first")


def _rule(rule_id: str) -> Rule:
    # Built from the rule file directly, so these tests do not depend on the rest of the catalogue.
    path = ROOT / "rules" / f"{rule_id}.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    return Rule(rule_id, data, CHECKS[rule_id], path, data.get("options", {}))


def run(rule_id: str, html: str | bytes, path: str = "test.html") -> list[tuple[str, str, str | None, str]]:
    """(outcome, selector, key, message) for every result, in document order."""
    r = _rule(rule_id)
    doc = doc_of(html, path) if isinstance(html, str) else parse_document(html, path)
    out = []
    for res in evaluate(doc, RuleRun(r, r.resolve_options(None))):
        message = to_finding(doc, r, res).message if res.outcome != "passed" else ""
        out.append((res.outcome, doc.selector(res.element), res.key, message))
    return out


def page(body: str, head: str = "") -> str:
    return f'<!DOCTYPE html><html lang="en"><head><title>t</title>{head}</head><body>{body}</body></html>'


HEADER = '<header><a href="/">Home</a><nav aria-label="Main"><a href="/world">World</a></nav></header>'


# ---------------------------------------------------------------------------- href reading
@pytest.mark.parametrize(
    ("href", "kind"),
    [
        ("#content", SAME_PAGE),
        ("  #content\n", SAME_PAGE),  # a URL parser trims spaces
        ("#", ORDINARY),
        ("", ORDINARY),
        ("#!/latest", ORDINARY),
        ("#/home", ORDINARY),
        ("/#about", ORDINARY),  # the site root, not this page
        ("https://example.com/story#content", ORDINARY),  # the page URL is unknown
        ("javascript:void(0)", SCRIPT),
        ("JavaScript:void(0)", SCRIPT),  # schemes are case-insensitive
        ("#0", SAME_PAGE),
    ],
)
def test_link_kind(href: str, kind: str) -> None:
    assert link_kind(clean_href(href)) == kind


def test_tabs_and_newlines_inside_the_href_are_dropped() -> None:
    got = run("skip-link", page('<a href="#con\ntent">Skip</a>' + HEADER + '<main id="content">x</main>'))
    assert [(o, k) for o, _, k, _ in got] == [("passed", None)]


# ---------------------------------------------------------------------------- target lookup (model)
def test_fragment_target_invalid_utf8_does_not_crash() -> None:
    """model.fragment_target used to raise UnicodeDecodeError on %FF (a real href seen on pages)."""
    doc = doc_of('<body><p id="x">x</p></body>')
    assert doc.fragment_target("%FF") is None
    assert doc.fragment_target("%E2%82") is None  # truncated sequence


def test_fragment_target_follows_html_order() -> None:
    """HTML tries id then a[name] with the raw fragment before decoding it."""
    doc = doc_of('<body><p id="café">decoded id</p><a name="caf%C3%A9">raw name</a></body>')
    assert doc.fragment_target("caf%C3%A9").text == "raw name"
    doc = doc_of('<body><p id="café">decoded id</p></body>')
    assert doc.fragment_target("caf%C3%A9").text == "decoded id"


def test_template_name_target_is_a_template_target() -> None:
    html = page('<a href="#story">Skip</a>' + HEADER + '<template><a name="story"></a></template><main>x</main>')
    assert [k for _, _, k, _ in run("skip-link", html)] == ["template-target"]


def test_duplicate_ids_take_the_first_live_one() -> None:
    html = page('<a href="#content">Skip</a>' + HEADER + '<div id="content" hidden>old</div><main id="content">x</main>')
    assert [k for _, _, k, _ in run("skip-link", html)] == ["hidden-target"]


def test_top_with_an_element_uses_the_element() -> None:
    html = page('<a href="#top">Skip</a>' + HEADER + '<div id="top" style="display:none">x</div><main>x</main>')
    assert [k for _, _, k, _ in run("skip-link", html)] == ["hidden-target"]


def test_hidden_target_message_names_the_reason() -> None:
    html = page('<a href="#content">Skip to main content</a>' + HEADER + '<main id="content" style="display: none">x</main>')
    (_, _, key, message), = run("skip-link", html)
    assert key == "hidden-target"
    assert "“Skip to main content”" in message and 'href="#content"' in message and "display:none" in message


# ---------------------------------------------------------------------------- base href
def test_only_the_first_base_with_href_counts() -> None:
    head = '<base target="_blank"><base href="#"><base href="https://example.com/">'
    html = page('<a href="#content">Skip</a>' + HEADER + '<main id="content">x</main>', head)
    assert [o for o, *_ in run("skip-link", html)] == ["passed"]  # href="#" base is the page itself


def test_relative_base_resolved_against_canonical() -> None:
    head = '<link rel="canonical" href="https://example.com/news/story.html"><base href="story.html">'
    html = page('<a href="#content">Skip</a>' + HEADER + '<main id="content">x</main>', head)
    assert [o for o, *_ in run("skip-link", html)] == ["passed"]
    head = '<link rel="canonical" href="https://example.com/news/story.html"><base href="/">'
    html = page('<a href="#content">Skip</a>' + HEADER + '<main id="content">x</main>', head)
    (_, _, key, message), = run("skip-link", html)
    assert key == "base-href" and "https://example.com/#content" in message


def test_base_href_with_a_leading_skip_link_is_skip_links_finding_only() -> None:
    html = page('<a href="#content">Skip</a>' + HEADER + '<main id="content">x</main>', '<base href="/">')
    assert [k for _, _, k, _ in run("skip-link", html)] == ["base-href"]
    assert run("skip-link-first", html) == []


# ---------------------------------------------------------------------------- focus order
def test_aria_hidden_skip_link_is_still_the_first_tab_stop() -> None:
    """aria-hidden does not take a link out of the Tab order; skip-link does not test it (axe:
    excludeHidden) but skip-link-first sees it as the first Tab stop."""
    html = page('<a href="#content" aria-hidden="true">Skip</a>' + HEADER + '<main id="content">x</main>')
    assert run("skip-link", html) == []
    assert [o for o, *_ in run("skip-link-first", html)] == ["passed"]


def test_display_none_and_disabled_are_not_tab_stops() -> None:
    doc = doc_of(page('<a href="#x" style="display:none">a</a><button disabled>b</button>'
                      '<a href="/" tabindex="-1">c</a><input type="hidden"><a href="/y">d</a>'))
    assert [e.text for e in doc.tab_order()] == ["d"]


def test_positive_tabindex_order() -> None:
    doc = doc_of(page('<a href="/a">a</a><a href="/b" tabindex="2">b</a><a href="/c" tabindex="1">c</a><a href="/d" tabindex="1">d</a>'))
    assert [e.text for e in doc.tab_order()] == ["c", "d", "b", "a"]


def test_focus_order_covers_every_kind_of_tab_stop() -> None:
    """The model's focus-candidate index, filtered by is_tabbable: contenteditable, audio with
    controls, the first summary of a details, a details without summary, tabindex=0, iframe,
    area[href], aria-hidden links; not template content, a without href, disabled controls."""
    doc = doc_of(page('<div contenteditable>e</div><audio src="a.ogg">x</audio><audio controls>au</audio>'
                      '<details><summary>s</summary>d</details><details>open</details>'
                      '<template><a href="/t">t</a></template><span tabindex="0">z</span><a>no href</a>'
                      '<iframe title="f"></iframe><area href="/x"><div tabindex="3">three</div>'
                      '<fieldset disabled><button>off</button></fieldset><a href="/y" aria-hidden="true">y</a>'))
    assert [(e.tag, e.text or "") for e in doc.tab_order()] == [
        ("div", "three"), ("div", "e"), ("audio", "au"), ("summary", "s"), ("details", "open"),
        ("span", "z"), ("iframe", ""), ("area", ""), ("a", "y")]


def test_link_facts_are_built_once_per_document() -> None:
    doc = doc_of(page('<a href="#main">Skip</a><a href=" /home\t">Home</a><main id="main">x</main>'))
    links = links_of(doc)
    assert links_of(doc) is links
    assert [links.kind[a] for a in links.links] == [SAME_PAGE, ORDINARY]
    assert links.href[links.links[1]] == "/home"


def test_first_tab_stop_after_main_is_not_in_main() -> None:
    html = page(HEADER + '<main><h1>Story</h1></main><footer><a href="/about" tabindex="1">About</a></footer>')
    (_, sel, key, message), = run("skip-link-first", html)
    assert key == "no-skip-link" and "“About”" in message and sel.endswith("footer:nth-child(3) > a:nth-child(1)")


def test_skip_link_after_the_header_is_named_in_not_first() -> None:
    html = page(HEADER + '<a href="#content">Skip to main content</a><main id="content"><h1>Story</h1></main>')
    (_, sel, key, message), = run("skip-link-first", html)
    assert key == "not-first" and "“Skip to main content”" in message and "“Home”" in message
    assert sel.endswith("a:nth-child(2)")  # on the skip link that has to move, not on <html>


def test_text_between_anchor_and_main_is_not_landing_at_main() -> None:
    html = page('<a href="#content">Skip</a>' + HEADER + '<a id="content"></a>Breaking news<main><h1>Story</h1></main>')
    assert [k for _, _, k, _ in run("skip-link-first", html)] == ["wrong-target"]
    html = page('<a href="#content">Skip</a>' + HEADER + '<div><a id="content"></a></div>  <!-- c --><main><h1>Story</h1></main>')
    assert [o for o, *_ in run("skip-link-first", html)] == ["passed"]


def test_hidden_target_inside_main_still_points_at_main() -> None:
    """skip-link asks for review of the hidden target; skip-link-first only judges where it points."""
    html = page('<a href="#story">Skip</a>' + HEADER + '<main><span id="story" hidden></span><h1>Story</h1></main>')
    assert [k for _, _, k, _ in run("skip-link", html)] == ["hidden-target"]
    assert [o for o, *_ in run("skip-link-first", html)] == ["passed"]


def test_role_button_first_is_not_a_skip_link() -> None:
    html = page('<a href="#content" role="button">Menu</a>' + HEADER + '<main id="content">x</main>')
    (_, sel, key, message), = run("skip-link-first", html)
    assert key == "no-skip-link" and "button “Menu”" in message and sel.endswith("body:nth-child(2) > a:nth-child(1)")


def test_dialog_before_the_skip_link_is_not_a_repeated_block() -> None:
    """A consent or welcome dialog comes before the skip link on many pages: it is dismissed once
    and is not one of the blocks a skip link bypasses."""
    skip_then_page = '<a href="#content">Skip to main content</a>' + HEADER + '<main id="content"><h1>Story</h1></main>'
    for overlay in ('<div role="dialog" aria-label="Welcome"><button>Close</button></div>',
                    '<dialog open><button>OK</button></dialog>',
                    '<div role="alertdialog" aria-label="Paywall"><a href="/subscribe">Subscribe</a></div>'):
        assert [o for o, *_ in run("skip-link-first", page(overlay + skip_then_page))] == ["passed"], overlay


def test_consent_notice_before_the_skip_link_is_not_a_repeated_block() -> None:
    skip_then_page = '<a href="#content">Skip to main content</a>' + HEADER + '<main id="content"><h1>Story</h1></main>'
    for notice in ('<div class="cookie__wrap"><p>We use cookies. <a href="/privacy">Privacy Policy</a></p><button>Accept</button></div>',
                   '<div id="consent-banner"><button>Agree</button></div>',
                   '<section class="gdpr-notice"><button>OK</button></section>'):
        assert [o for o, *_ in run("skip-link-first", page(notice + skip_then_page))] == ["passed"], notice
    # Without a skip link the finding names the first Tab stop after the notice.
    html = page('<div class="cookie-bar"><button>Accept</button></div>' + HEADER + '<main><h1>Story</h1></main>')
    (_, sel, key, message), = run("skip-link-first", html)
    assert key == "no-skip-link" and "“Home”" in message and sel.endswith("header:nth-child(2) > a:nth-child(1)")


def test_consent_words_on_a_page_wrapper_do_not_exempt_the_page() -> None:
    """The body or a wrapper around the main content may carry such a class (cookie state):
    its links are still the page's."""
    for wrapper in ('<div class="cookies-accepted">{}</div>', '{}'):
        html = page(wrapper.format(HEADER + '<main><h1>Story</h1></main>'))
        html = html.replace("<body>", '<body class="consent-given">')
        assert [k for _, _, k, _ in run("skip-link-first", html)] == ["no-skip-link"], wrapper


def test_consent_words_on_a_wrapper_of_the_landmarks_do_not_exempt_it() -> None:
    """Without a main landmark or h1 nothing marks where the main content starts; a wrapper
    that holds the banner and navigation is still not a consent notice."""
    html = page('<div class="cookie-consent-given">' + HEADER + '<div class="story"><p>Text</p></div></div>')
    assert [k for _, _, k, _ in run("skip-link-first", html)] == ["no-main"]


def test_a_dialog_is_no_skip_link_either() -> None:
    """A skip link inside a dialog is not the page's skip link: the first page Tab stop decides."""
    html = page('<div role="dialog" aria-label="Menu"><a href="#content">Skip</a></div>' + HEADER
                + '<main id="content"><h1>Story</h1></main>')
    assert [k for _, _, k, _ in run("skip-link-first", html)] == ["no-skip-link"]


def test_no_main_finding_goes_on_the_content_skip_link_not_the_first() -> None:
    html = page('<a href="#menu">Menu</a><a href="#container">Content</a><header><nav id="menu"><a href="/">Home</a></nav></header>'
                '<div id="container"><h2>Story</h2></div>')
    (outcome, sel, key, message), = run("skip-link-first", html)
    assert (outcome, key) == ("cant_tell", "no-main-unverified") and "“Content”" in message


def test_url_skip_link_to_navigation_is_not_a_skip_link_to_main() -> None:
    html = page('<a href="/story.html#nav">Skip to navigation</a><header><nav id="nav"><a href="/">Home</a></nav></header>'
                '<main id="content"><h1>Story</h1></main>')
    assert [(o, k) for o, _, k, _ in run("skip-link-first", html)] == [("failed", "no-skip-link")]


def test_main_in_the_banner_is_not_a_repeated_block_before_itself() -> None:
    html = page('<div role="navigation"><main><h1>Story</h1><a href="/x">x</a></main></div>')
    assert run("skip-link-first", html) == []


# ---------------------------------------------------------------------------- messages
def test_every_finding_names_the_link_and_its_target() -> None:
    cases = {
        "skip-link": page('<a href="#main-content">Skip to main content</a>' + HEADER + '<main id="content">x</main>'),
        "skip-link-first": page('<a href="#nav">Skip to navigation</a>' + HEADER.replace("<nav", '<nav id="nav"')
                                + '<main id="content">x</main>'),
    }
    for rule_id, html in cases.items():
        (_, _, _, message), = run(rule_id, html)
        assert "“Skip to" in message and 'href="#' in message
    (_, _, _, message), = run("skip-link-first", page(HEADER + '<main id="content">x</main>'))
    assert "“Home”" in message and 'href="#content"' in message


def test_unnamed_skip_link_message() -> None:
    html = page('<a href="#content"><img src="skip.png"></a>' + HEADER + '<main>x</main>')
    (_, _, key, message), = run("skip-link", html)
    assert key == "missing-target" and "(no accessible name)" in message


# ---------------------------------------------------------------------------- scale
def _skip_page(links: int, depth: int) -> str:
    body = ('<a href="#content">Skip</a><a href="#nav">Skip to navigation</a>' + HEADER
            + "".join(f'<a href="/p{i}">p{i}</a>' for i in range(links)) + '<a id="content"></a><main><h1>Story</h1></main>')
    return page("<div>" * depth + body + "</div>" * depth)


def _family_run(html: str):
    def go() -> dict:
        doc = doc_of(html)
        return {rule_id: [res.outcome for res in evaluate(doc, RuleRun(_rule(rule_id), _rule(rule_id).resolve_options(None)))]
                for rule_id in FAMILY}

    return go


def test_deep_tree_and_many_links_are_linear() -> None:
    """Many links before main, deeply nested: no quadratic walk (the skip link's target is
    checked against every element up to main once), so doubling the links and the depth
    doubles the work; and near the parser's depth limit nothing recurses."""
    assert_linear(lambda n: _family_run(_skip_page(links=n, depth=n // 4)), 1000)
    html = _skip_page(links=20000, depth=2000)
    assert len(list(doc_of(html).iter_tag("a"))) > 20000
    assert _family_run(html)() == {"skip-link": ["passed", "failed"], "bypass": ["passed"], "skip-link-first": ["passed"]}


# ---------------------------------------------------------------------------- example pages
def _example(name: str, rule_id: str) -> list[tuple[str, str, str | None, str]]:
    return run(rule_id, (ROOT / "examples" / name).read_bytes(), f"examples/{name}")


def test_good_article_passes_all_three() -> None:
    assert [(o, k) for o, _, k, _ in _example("good-article.html", "skip-link")] == [("passed", None)] * 3
    assert [(o, s) for o, s, _, _ in _example("good-article.html", "bypass")] == [("passed", "html")]
    assert [(o, s) for o, s, _, _ in _example("good-article.html", "skip-link-first")] == [("passed", "html")]


def test_defects_article_broken_first_skip_link_is_reported_once() -> None:
    got = [(o, k) for o, _, k, _ in _example("defects-article.html", "skip-link")]
    assert got == [("failed", "missing-target"), ("passed", None), ("passed", None)]
    assert _example("defects-article.html", "skip-link-first") == []


def test_missing_skip_link_page() -> None:
    assert _example("missing-skip-link.html", "skip-link") == []
    (outcome, sel, key, message), = _example("missing-skip-link.html", "skip-link-first")
    assert (outcome, key) == ("failed", "no-skip-link")
    assert sel.endswith("header:nth-child(1) > div:nth-child(1) > a:nth-child(1)")  # the logo link: the skip link goes before it
    assert "“VOA Voice of America home”" in message and 'href="#content"' in message


# ---------------------------------------------------------------------------- corpus pages
CORPUS_CASES = [
    # (page, rule, expected (outcome, key) list)
    ("aeb-polygraph.info-1ee91d1f.html", "skip-link", [("passed", None)] * 3),  # the seed's "Accessibility links"
    ("aeb-thehill.com-156770d6.html", "skip-link", [("failed", "missing-target")]),
    ("aeb-smithsonianmag.com-ea25dd7e.html", "skip-link", [("passed", None), ("passed", None), ("failed", "missing-target")]),
]


FIRST_CASES = [
    # skip-link-first on real pages: (page, expected outcome, key, selector or None for "not html")
    ("aeb-polygraph.info-1ee91d1f.html", "cant_tell", "no-main-unverified"),  # seed-like list, no <main>
    ("aeb-hosted.ap.org-82b6d780.html", "passed", None),  # target inside the second of two <main>s
    ("aeb-remember8090.it-20b2b649.html", "failed", "wrong-target"),  # #content wraps the banner
    ("aeb-nytimes.com-04a6711c.html", "failed", "not-first"),  # menu buttons come before the skip links
    ("readability-wikipedia-4.html", "cant_tell", "url-skip-link"),  # "Jump to content" written as a full URL
    ("trafilatura-tagesschau.de.rheinmetall.html", "passed", None),  # navigation skip link first, content second
    ("aeb-thehill.com-156770d6.html", None, None),  # broken first skip link: skip-link's finding only
]


@pytest.mark.parametrize(("name", "outcome", "key"), FIRST_CASES, ids=[c[0] for c in FIRST_CASES])
def test_skip_link_first_on_corpus_pages(shared_dir: Path, name: str, outcome: str | None, key: str | None) -> None:
    path = shared_dir / "corpus" / "articles" / name
    got = [(o, k) for o, _, k, _ in run("skip-link-first", path.read_bytes(), str(path))]
    assert got == ([] if outcome is None else [(outcome, key)])


@pytest.mark.parametrize(("name", "rule_id", "expected"), CORPUS_CASES, ids=[f"{c[0]}::{c[1]}" for c in CORPUS_CASES])
def test_corpus_pages(shared_dir: Path, name: str, rule_id: str, expected: list) -> None:
    path = shared_dir / "corpus" / "articles" / name
    got = run(rule_id, path.read_bytes(), str(path))
    assert [(o, k) for o, _, k, _ in got] == expected

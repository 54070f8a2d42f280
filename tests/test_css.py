"""Tests of a11ycheck.document.css: which elements author CSS hides (display/visibility)."""

from __future__ import annotations

import re
import socket
from pathlib import Path

import pytest
from cssselect import HTMLTranslator
from cssselect import parse as css_parse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from a11ycheck.document import css as cssmod
from a11ycheck.document.css import CssResult, StylesheetCache, ViewportPolicy, compute_styles


# --------------------------------------------------------------------------- helpers


def roots_of(html: str | bytes) -> list:
    """Top-level elements as the document model passes them (html plus any siblings)."""
    data = html.encode("utf-8") if isinstance(html, str) else html
    root = etree.fromstring(data, etree.HTMLParser(huge_tree=True, no_network=True))
    first = root
    while first.getprevious() is not None:
        first = first.getprevious()
    out = []
    node = first
    while node is not None:
        if isinstance(node.tag, str):
            out.append(node)
        node = node.getnext()
    return out


def by_id(roots: list, ident: str):
    for r in roots:
        hit = r.xpath("descendant-or-self::*[@id=$i]", i=ident)
        if hit:
            return hit[0]
    raise AssertionError(f"no element with id {ident!r}")


def run(html: str, **kwargs) -> tuple[list, CssResult]:
    roots = roots_of(html)
    return roots, compute_styles(roots, **kwargs)


def hidden_ids(roots: list, result: CssResult) -> set[str]:
    return {e.get("id") for e in result.display_none if e.get("id")}


def page(style: str, body: str) -> str:
    return f"<!DOCTYPE html><html><head><style>{style}</style></head><body>{body}</body></html>"


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any attempt to open a connection fails the test."""

    def refuse(*_a, **_k):
        raise AssertionError("compute_styles tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


# --------------------------------------------------------------------------- basic cascade


def test_class_rule_hides_header_h2_and_main() -> None:
    """A class rule with display:none hides any element type carrying the class (header,
    heading, landmark) and nothing else."""
    roots, res = run(page(".mobile-only{display:none}",
                          '<header id="h" class="mobile-only">x</header><h2 id="t" class="a mobile-only">t</h2>'
                          '<main id="m" class="mobile-only"><p id="p">p</p></main><h2 id="ok">ok</h2>'))
    assert hidden_ids(roots, res) == {"h", "t", "m"}
    assert res.visibility == {}
    assert res.notes == []


def test_visibility_hidden_parent_visible_child() -> None:
    """visibility is reported per element as specified; a visible descendant stays visible
    (the caller inherits for unlisted elements)."""
    roots, res = run(page(".cloak{visibility:hidden} .cloak .back{visibility:visible} .inh{visibility:inherit}",
                          '<div id="d" class="cloak"><p id="c" class="back">x</p><span id="s">y</span>'
                          '<b id="i" class="inh">z</b></div>'))
    vis = {e.get("id"): v for e, v in res.visibility.items()}
    assert vis == {"d": "hidden", "c": "visible"}
    assert res.display_none == set()


def test_visibility_collapse_and_initial() -> None:
    """collapse is reported as such; initial means visible."""
    roots, res = run(page(".c{visibility:collapse} .i{visibility:hidden} .i.j{visibility:initial}",
                          '<tr id="r" class="c"></tr><p id="p" class="i j">x</p>'))
    vis = {e.get("id"): v for e, v in res.visibility.items()}
    assert vis == {"r": "collapse", "p": "visible"}


def test_stylesheet_important_beats_normal_inline() -> None:
    """A stylesheet !important declaration beats a normal inline style attribute."""
    roots, res = run(page(".x{display:none !important}",
                          '<div id="a" class="x" style="display:block">a</div>'))
    assert hidden_ids(roots, res) == {"a"}


def test_inline_important_beats_stylesheet_important() -> None:
    """An inline !important beats a stylesheet !important; a normal inline beats a normal rule."""
    roots, res = run(page(".x{display:none !important} .y{display:none} #z{display:block}",
                          '<div id="a" class="x" style="display:block !important">a</div>'
                          '<div id="b" class="y" style="display:flex">b</div>'
                          '<div id="z" style="display:none">c</div>'))
    assert hidden_ids(roots, res) == {"z"}


def test_later_rule_reshows() -> None:
    """.ad{display:none} .ad.show{display:block}: the later, more specific rule re-shows."""
    roots, res = run(page(".ad{display:none}.ad.show{display:block}",
                          '<div id="a" class="ad">a</div><div id="b" class="ad show">b</div>'))
    assert hidden_ids(roots, res) == {"a"}


def test_specificity_beats_source_order() -> None:
    """A more specific earlier rule beats a less specific later one; equal specificity: the later wins."""
    roots, res = run(page("#main .ad{display:none} .ad{display:block} .x{display:block} .y{display:none}",
                          '<div id="main"><div id="a" class="ad">a</div></div><div id="b" class="ad">b</div>'
                          '<p id="c" class="x y">c</p><p id="d" class="y x">d</p>'))
    assert hidden_ids(roots, res) == {"a", "c", "d"}


def test_source_order_across_style_elements_and_important_ordering() -> None:
    """Style sheets cascade in document order; !important wins regardless of order."""
    html = ("<html><head><style>.a{display:none} .b{display:none !important}</style>"
            "<style>.a{display:block} .b{display:block}</style></head>"
            '<body><p id="a" class="a">a</p><p id="b" class="b">b</p>'
            "<style>.c{display:none}</style><p id='c' class='c'>c</p></body></html>")
    roots, res = run(html)
    assert hidden_ids(roots, res) == {"b", "c"}


def test_display_values_other_than_none_reshow() -> None:
    """display:contents, initial, unset, revert and two-keyword values all mean not 'none';
    invalid values (IE hack 'none\\9', garbage) are dropped like a browser does."""
    css = (".h{display:none} .c{display:contents} .i{display:initial} .u{display:unset}"
           " .r{display:revert} .two{display:inline flex} .bad{display:blockk}"
           " .ie{display:block} .ie{display:none\\9} .var{display:var(--d)}")
    body = "".join(f'<div id="{k}" class="h {k}">x</div>' for k in ("c", "i", "u", "r", "two", "bad", "ie", "var"))
    roots, res = run(page(css, body))
    assert hidden_ids(roots, res) == {"bad", "var"}


def test_display_inherit_takes_parent_value() -> None:
    """display:inherit on a child of a display:none element is itself none."""
    roots, res = run(page(".h{display:none} .h > .k{display:inherit} .sh{display:block}",
                          '<div id="p" class="h"><span id="k" class="k h">x</span></div>'
                          '<div id="q" class="sh"><span id="k2" class="k h">x</span></div>'))
    assert hidden_ids(roots, res) == {"p", "k", "k2"}


def test_sr_only_is_not_hidden() -> None:
    """The visually-hidden (screen-reader-only) pattern is not hidden for anyone."""
    css = (".sr-only{position:absolute;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;"
           "clip:rect(0 0 0 0);clip-path:inset(50%);white-space:nowrap;border:0}"
           ".visually-hidden:not(:focus):not(:active){clip:rect(0,0,0,0);position:absolute}")
    roots, res = run(page(css, '<h1 id="a" class="sr-only">Title</h1><a id="b" class="visually-hidden" href="#m">Skip</a>'))
    assert res.display_none == set()
    assert res.visibility == {}


def test_class_and_id_matching_is_case_sensitive() -> None:
    """Class and id selectors are case-sensitive (no-quirks mode); type selectors are not."""
    roots, res = run(page(".Hide{display:none} #Top{display:none} DIV.t{display:none}",
                          '<p id="a" class="hide">a</p><p id="b" class="Hide">b</p><p id="top">c</p>'
                          '<div id="d" class="t">d</div>'))
    assert hidden_ids(roots, res) == {"b", "d"}


def test_escaped_class_names() -> None:
    """Escaped identifiers (Tailwind-style md:hidden, 2xl:hidden) match the real class names."""
    roots, res = run(page("@media (min-width: 768px){.md\\:hidden{display:none}} .\\32xl\\:block{display:none}",
                          '<nav id="n" class="md:hidden">n</nav><p id="p" class="2xl:block">p</p>'))
    assert hidden_ids(roots, res) == {"n", "p"}


# --------------------------------------------------------------------------- selectors


def test_pseudo_elements_and_dynamic_pseudo_classes_do_not_apply() -> None:
    """::before/:after never apply to the element; :hover/:focus rules describe a state the
    static page is not in; :not(:hover) does hold."""
    css = (".a::before{display:none} .b:after{display:none} .c:hover{display:none}"
           " .d:focus-within{display:none} .e:not(:hover){display:none} .f:focus .g{display:none}")
    body = ('<p id="a" class="a">a</p><p id="b" class="b">b</p><p id="c" class="c">c</p>'
            '<p id="d" class="d">d</p><p id="e" class="e">e</p><div class="f"><p id="g" class="g">g</p></div>')
    roots, res = run(page(css, body))
    assert hidden_ids(roots, res) == {"e"}


def test_invalid_selector_in_list_drops_the_rule() -> None:
    """A selector list with a syntax error, or a -moz-/-ms- pseudo Chromium rejects, is dropped
    whole, as browsers do; unsupported-but-valid pseudo-classes only skip that selector."""
    css = (".a, .b:::x{display:none} .c, .d::-moz-selection{display:none}"
           " .e, .f:focus-visible{display:none}")
    body = "".join(f'<p id="{k}" class="{k}">{k}</p>' for k in "abcdef")
    roots, res = run(page(css, body))
    assert hidden_ids(roots, res) == {"e"}


def test_combinators_attributes_and_structural_pseudo_classes() -> None:
    """Descendant, child, sibling combinators, attribute selectors, :not/:is/:where/:has and
    :first-child are matched like a browser would."""
    css = ("ul > li + li{display:none} h2 ~ .n{display:none} [data-x='1']{display:none}"
           " :is(.p, .q) em{display:none} div:has(> img) {display:none} li:first-child .z{display:none}"
           " section :where(.w){display:none} p:not(.keep).drop{display:none}")
    body = ('<ul><li id="l1"><b id="z" class="z">z</b></li><li id="l2">b</li></ul><h2>h</h2><p>x</p><p id="n" class="n">n</p>'
            '<span id="x" data-x="1">x</span><div class="q"><em id="em">e</em></div>'
            '<div id="img"><img alt=""></div><section><i id="w" class="w">w</i></section>'
            '<p id="k" class="drop keep">k</p><p id="dr" class="drop">d</p>')
    roots, res = run(page(css, body))
    assert hidden_ids(roots, res) == {"l2", "n", "x", "em", "img", "z", "w", "dr"}


def test_where_zero_specificity_is_and_not_count_argument() -> None:
    """:where() counts 0 (a later .x rule beats it); :is() and :not() count their argument."""
    css = (":where(#a){display:none} div{display:block}"
           " :is(#b){display:none} div.x{display:block}"
           " span:not(#zz){display:block} .c{display:none}")
    roots, res = run(page(css, '<div id="a">a</div><div id="b" class="x">b</div><span id="c" class="c">c</span>'))
    assert hidden_ids(roots, res) == {"b"}


# --------------------------------------------------------------------------- media


def test_media_print_not_applied_and_width_queries() -> None:
    """@media print and (max-width:600px) do not apply at the 1280px desktop policy;
    (min-width:1024px) does."""
    css = ("@media print { h1{display:none} }"
           "@media (max-width: 600px) { .desk{display:none} }"
           "@media (min-width: 1024px) { .mob{display:none} }"
           "@media screen and (min-width: 40em) and (max-width: 90em) { .mid{display:none} }")
    roots, res = run(page(css, '<h1 id="h">t</h1><nav id="d" class="desk">d</nav><nav id="m" class="mob">m</nav>'
                               '<p id="mid" class="mid">m</p>'))
    assert hidden_ids(roots, res) == {"m", "mid"}


def test_media_query_features_and_policy() -> None:
    """Orientation, preferences, hover/pointer, range syntax, 'not', 'only', comma lists and
    unknown features (block not applied) are evaluated against the policy."""
    css = ("@media (orientation: landscape){.a{display:none}}"
           "@media (prefers-color-scheme: dark){.b{display:none}}"
           "@media (prefers-reduced-motion: reduce){.c{display:none}}"
           "@media (hover: hover) and (pointer: fine){.d{display:none}}"
           "@media (width >= 1200px){.e{display:none}}"
           "@media (400px <= width <= 700px){.f{display:none}}"
           "@media not print{.g{display:none}}"
           "@media only screen and (max-width: 767px), print{.h{display:none}}"
           "@media all and (-ms-high-contrast: none){.i{display:none}}"
           "@media (min-resolution: 2dppx), (-webkit-min-device-pixel-ratio: 2){.j{display:none}}"
           "@media not all and (max-width: 500px){.k{display:none}}"
           "@media tv{.l{display:none}}")
    body = "".join(f'<p id="{k}" class="{k}">{k}</p>' for k in "abcdefghijkl")
    roots, res = run(page(css, body))
    assert hidden_ids(roots, res) == {"a", "d", "e", "g", "k"}
    # A phone-sized policy flips the width-dependent ones.
    res2 = compute_styles(roots, policy=ViewportPolicy(width=500, height=900))
    assert {e.get("id") for e in res2.display_none} == {"d", "f", "g", "h"}


def test_style_media_attribute() -> None:
    """<style media="print"> is not applied; media="screen and (min-width: 900px)" is."""
    html = ('<html><head><style media="print">.p{display:none}</style>'
            '<style media="screen and (min-width: 900px)">.s{display:none}</style>'
            '<style type="text/plain">.t{display:none}</style></head>'
            '<body><p id="p" class="p">p</p><p id="s" class="s">s</p><p id="t" class="t">t</p></body></html>')
    roots, res = run(html)
    assert hidden_ids(roots, res) == {"s"}


def test_supports_and_layers() -> None:
    """@supports applies (assumed supported) unless 'not'; unlayered rules beat layered ones
    for normal declarations, layered !important beats unlayered !important, and later layers
    beat earlier ones."""
    css = ("@supports (display: grid) {.s1{display:none}}"
           "@supports not (display: grid) {.s2{display:none}}"
           "@layer base, theme;"
           "@layer theme {.l1{display:none}}"
           "@layer base {.l1{display:block}}"
           ".l2{display:block} @layer base {.l2{display:none}}"
           "@layer base {.l3{display:none !important}} .l3{display:block !important}"
           "@layer {.l4{display:none}}")
    body = "".join(f'<p id="{k}" class="{k}">{k}</p>' for k in ("s1", "s2", "l1", "l2", "l3", "l4"))
    roots, res = run(page(css, body))
    assert hidden_ids(roots, res) == {"s1", "l1", "l3", "l4"}


def test_ignored_at_rules_and_nesting() -> None:
    """@font-face/@keyframes/@page are ignored without disturbing later rules; CSS nesting
    (&) and nested @media apply; @container does not apply."""
    css = ("@font-face{font-family:x;src:url(x.woff);font-display:swap}"
           "@keyframes k{from{display:none}to{opacity:1}}"
           "@page{margin:1cm}"
           ".card{color:red; & .hide{display:none} .also{display:none} @media print{display:none}}"
           "@container (min-width: 10px){.cq{display:none}}"
           ".after{display:none}")
    body = ('<div id="card" class="card"><p id="h" class="hide">h</p><p id="a" class="also">a</p></div>'
            '<p id="cq" class="cq">c</p><p id="af" class="after">x</p>')
    roots, res = run(page(css, body))
    assert hidden_ids(roots, res) == {"h", "a", "af"}


# --------------------------------------------------------------------------- document structure


def test_template_content_is_inert() -> None:
    """<style> inside <template> is not applied and template content is never matched."""
    html = ('<html><head><template><style>.t{display:none}</style></template>'
            '<style>.u{display:none}</style></head><body><p id="t" class="t">t</p>'
            '<template><p id="in" class="u" style="display:none">in</p></template><p id="u" class="u">u</p>'
            '</body></html>')
    roots, res = run(html)
    assert hidden_ids(roots, res) == {"u"}


def test_noscript_style_applies() -> None:
    """Scripting-off model: a <style> inside <noscript> is applied."""
    html = ('<html><head><noscript><style>.js-only{display:none}</style></noscript></head>'
            '<body><div id="j" class="js-only">j</div></body></html>')
    roots, res = run(html)
    assert hidden_ids(roots, res) == {"j"}


def test_comments_cdo_and_strings_in_css() -> None:
    """Comments, <!-- --> wrappers, strings and url() holding braces do not derail the parse."""
    css = ("<!-- /* {display:none} */ .a{display:none} "
           ".q{content:'}'; background:url(x{y}.png)} .b{display:none} -->"
           ".c{font-family:\"x;y\"; display : NONE }")
    roots, res = run(page(css, '<p id="a" class="a">a</p><p id="b" class="b">b</p><p id="c" class="c">c</p>'
                               '<p id="q" class="q">q</p>'))
    assert hidden_ids(roots, res) == {"a", "b", "c"}


def test_cdata_wrapped_style_applies_nothing_but_commented_cdata_is_fine() -> None:
    """<![CDATA[ ... ]]> around a <style>'s CSS is one invalid rule to a browser (nothing
    applies, with a note); the common /*<![CDATA[*/ ... /*]]>*/ form is plain CSS."""
    html = ("<html><head><style><![CDATA[\n.a{display:none} .b[x]{display:none}\n]]></style>"
            "<style>/*<![CDATA[*/ .c{display:none} /*]]>*/</style></head>"
            '<body><p id="a" class="a">a</p><p id="b" class="b" x="1">b</p><p id="c" class="c">c</p></body></html>')
    roots, res = run(html)
    assert hidden_ids(roots, res) == {"c"}
    assert len(res.notes) == 1 and "CDATA" in res.notes[0]


def test_inline_only_fast_path() -> None:
    """Without any stylesheet, inline style attributes alone are read (any letter case)."""
    html = ('<html><body><div id="a" style="color:red;display:none">a</div>'
            '<div id="b" STYLE="DISPLAY: NONE">b</div><div id="c" style="visibility: hidden">c</div>'
            '<div id="d" style="font-display:none">d</div><div id="e" style="display:none;display:block">e</div>'
            '</body></html>')
    roots, res = run(html)
    assert hidden_ids(roots, res) == {"a", "b"}
    assert {e.get("id"): v for e, v in res.visibility.items()} == {"c": "hidden"}


def test_elements_after_html_in_sibling_roots() -> None:
    """All roots are searched, including elements libxml2 places after </html>."""
    root = etree.fromstring(page(".h{display:none}", "<p id='a' class='h'>a</p>"),
                            etree.HTMLParser())
    extra = etree.Element("div", {"id": "x", "class": "h"})
    roots = [root, extra]
    res = compute_styles(roots)
    assert {e.get("id") for e in res.display_none} == {"a", "x"}


def test_empty_and_odd_inputs() -> None:
    """No roots, comment roots, empty style: nothing hidden, no crash."""
    assert compute_styles([]).display_none == set()
    comment = etree.Comment("x")
    assert compute_styles([comment]).display_none == set()
    roots, res = run("<html><head><style></style><style>   </style></head><body>x</body></html>")
    assert res == CssResult()


def test_pathological_nesting_does_not_crash() -> None:
    """Deeply nested @media blocks, media-query parentheses, selectors and a 1500-deep DOM
    neither crash nor recurse without bound; blocks nested beyond the cap are ignored."""
    deep_media = "@media screen{" * 100 + ".m{display:none}" + "}" * 100
    parens = "@media " + "(" * 2000 + "min-width: 1px" + ")" * 2000 + "{.p{display:none}}"
    nots = ".n" + ":not(" * 500 + ".z" + ")" * 500 + "{display:none}"
    css = deep_media + parens + nots + ".ok{display:none} .d .d .leaf{display:none} .leaf{display:inherit}"
    body = '<p id="m" class="m">m</p><p id="p" class="p">p</p><p id="n" class="n">n</p><p id="ok" class="ok">k</p>'
    body += '<div class="d">' * 1500 + '<i id="leaf" class="leaf">x</i>' + "</div>" * 1500
    roots, res = run(page(css, body))
    hidden = hidden_ids(roots, res)
    assert {"ok", "leaf"} <= hidden
    assert not {"m", "p"} & hidden


def test_roots_from_different_documents_with_many_rules() -> None:
    """Roots that are not one document still match correctly on the candidate-indexed path."""
    css = "".join(f".c{i}{{display:none}} .c{i}.on{{display:block}}" for i in range(10))
    root = etree.fromstring(page(css, "".join(f'<p id="p{i}" class="c{i}">x</p>' for i in range(10))),
                            etree.HTMLParser())
    extra = etree.fromstring('<div id="x" class="c1 on"><p id="y" class="c2">y</p></div>')
    roots = [root, extra]
    res = compute_styles(roots)
    assert {e.get("id") for e in res.display_none} == {f"p{i}" for i in range(10)} | {"y"}
    assert all(any(e is r or any(e is d for d in r.iter()) for r in roots) for e in res.display_none)


# --------------------------------------------------------------------------- linked sheets


def _write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_linked_relative_and_root_relative(tmp_path: Path, no_network: None) -> None:
    """<link rel=stylesheet> resolves relative to the page and root-relative against site_root;
    ?query and #fragment are stripped."""
    _write(tmp_path / "site" / "news" / "css" / "page.css", ".rel{display:none}")
    _write(tmp_path / "site" / "css" / "site.css", ".root{display:none}")
    page_path = _write(tmp_path / "site" / "news" / "a.html", "")
    html = ('<html><head><link rel="stylesheet" href="css/page.css?v=3#x">'
            '<link rel="Preload StyleSheet" href="/css/site.css"></head>'
            '<body><p id="r" class="rel">r</p><p id="o" class="root">o</p></body></html>')
    roots = roots_of(html)
    cache = StylesheetCache(site_root=tmp_path / "site")
    res = compute_styles(roots, page_path=page_path, cache=cache)
    assert hidden_ids(roots, res) == {"r", "o"}
    assert res.notes == []


def test_link_without_cache_or_site_root_is_not_read(tmp_path: Path) -> None:
    """Files are read only with a cache; root-relative needs site_root. Each case leaves a note."""
    _write(tmp_path / "css" / "site.css", ".root{display:none}")
    page_path = tmp_path / "a.html"
    html = ('<html><head><link rel="stylesheet" href="css/site.css"><link rel="stylesheet" href="/css/site.css">'
            '</head><body><p id="o" class="root">o</p></body></html>')
    roots = roots_of(html)
    res = compute_styles(roots, page_path=page_path)
    assert res.display_none == set()
    assert len(res.notes) == 2 and all("not read" in n for n in res.notes)
    res = compute_styles(roots, page_path=page_path, cache=StylesheetCache())
    assert hidden_ids(roots, res) == {"o"}
    assert len(res.notes) == 1 and "site_root" in res.notes[0]


def test_link_media_alternate_disabled(tmp_path: Path) -> None:
    """A link's media attribute is honoured; alternate and disabled stylesheets are skipped."""
    _write(tmp_path / "p.css", ".p{display:none}")
    _write(tmp_path / "alt.css", ".alt{display:none}")
    _write(tmp_path / "s.css", ".s{display:none}")
    html = ('<html><head><link rel="stylesheet" media="print" href="p.css">'
            '<link rel="alternate stylesheet" href="alt.css"><link rel="stylesheet" href="alt.css" disabled>'
            '<link rel="stylesheet" media="screen" href="s.css"></head>'
            '<body><p id="p" class="p">p</p><p id="a" class="alt">a</p><p id="s" class="s">s</p></body></html>')
    roots = roots_of(html)
    res = compute_styles(roots, page_path=tmp_path / "x.html", cache=StylesheetCache())
    assert hidden_ids(roots, res) == {"s"}


def test_link_and_style_interleave_in_document_order(tmp_path: Path) -> None:
    """<style> and <link> cascade in the order they appear."""
    _write(tmp_path / "a.css", ".x{display:block} .y{display:none}")
    html = ('<html><head><style>.x{display:none} .y{display:block}</style><link rel="stylesheet" href="a.css">'
            '<style>.y{display:block}</style></head>'
            '<body><p id="x" class="x">x</p><p id="y" class="y">y</p></body></html>')
    roots = roots_of(html)
    res = compute_styles(roots, page_path=tmp_path / "p.html", cache=StylesheetCache())
    assert hidden_ids(roots, res) == set()
    html2 = html.replace('<style>.y{display:block}</style></head>', '</head>')
    roots = roots_of(html2)
    res = compute_styles(roots, page_path=tmp_path / "p.html", cache=StylesheetCache())
    assert hidden_ids(roots, res) == {"y"}


def test_missing_and_remote_stylesheets_noted_not_fetched(tmp_path: Path, no_network: None) -> None:
    """A missing local file and remote (http, https, //host, data:) sheets each give one note
    and nothing is fetched (no socket opened)."""
    html = ('<html><head><link rel="stylesheet" href="missing.css">'
            '<link rel="stylesheet" href="https://cdn.example.com/site.css">'
            '<link rel="stylesheet" href="http://example.com/a.css">'
            '<link rel="stylesheet" href="//example.com/b.css">'
            '<link rel="stylesheet" href="data:text/css,.x%7Bdisplay:none%7D">'
            '<style>@import url("https://fonts.example.com/css?family=X");</style>'
            '</head><body><p class="x">x</p></body></html>')
    roots = roots_of(html)
    res = compute_styles(roots, page_path=tmp_path / "p.html", cache=StylesheetCache(site_root=tmp_path))
    assert res.display_none == set()
    assert len(res.notes) == 6
    assert sum("not found" in n for n in res.notes) == 1
    assert sum("remote stylesheet not fetched" in n for n in res.notes) == 5


def test_remote_base_href_makes_relative_links_remote(tmp_path: Path, no_network: None) -> None:
    """Under an absolute <base href>, a relative stylesheet URL points to the web: not read."""
    _write(tmp_path / "a.css", ".x{display:none}")
    html = ('<html><head><base href="https://example.com/"><link rel="stylesheet" href="a.css"></head>'
            '<body><p id="x" class="x">x</p></body></html>')
    roots = roots_of(html)
    res = compute_styles(roots, page_path=tmp_path / "p.html", cache=StylesheetCache())
    assert res.display_none == set()
    assert len(res.notes) == 1 and "remote stylesheet not fetched" in res.notes[0]


def test_import_local_with_media_and_order(tmp_path: Path) -> None:
    """@import of a local file applies (relative to the importing sheet, with its media list,
    and before the importing sheet's own rules); @media inside a screen import still counts."""
    _write(tmp_path / "css" / "base.css", ".i{display:none} .o{display:none} @media (min-width: 1000px){.w{display:none}}")
    _write(tmp_path / "css" / "print.css", ".p{display:none}")
    _write(tmp_path / "css" / "main.css",
           '@charset "utf-8"; @import "base.css" screen; @import url(print.css) print; .o{display:block}')
    html = ('<html><head><link rel="stylesheet" href="css/main.css"></head><body>'
            '<p id="i" class="i">i</p><p id="o" class="o">o</p><p id="w" class="w">w</p><p id="p" class="p">p</p>'
            '</body></html>')
    roots = roots_of(html)
    res = compute_styles(roots, page_path=tmp_path / "p.html", cache=StylesheetCache())
    assert hidden_ids(roots, res) == {"i", "w"}
    assert res.notes == []


def test_import_from_style_element_and_layer(tmp_path: Path) -> None:
    """@import in a <style> resolves against the page; @import ... layer(x) puts its rules in a layer."""
    _write(tmp_path / "l.css", ".a{display:none} .b{display:none}")
    html = ('<html><head><style>@import url(l.css) layer(lib); .b{display:block}</style></head><body>'
            '<p id="a" class="a">a</p><p id="b" class="b">b</p></body></html>')
    roots = roots_of(html)
    res = compute_styles(roots, page_path=tmp_path / "p.html", cache=StylesheetCache())
    assert hidden_ids(roots, res) == {"a"}


def test_import_loop_is_safe(tmp_path: Path) -> None:
    """a.css imports b.css which imports a.css (and itself): applied once, a note, no hang."""
    _write(tmp_path / "a.css", '@import "b.css"; .a{display:none}')
    _write(tmp_path / "b.css", '@import "a.css"; @import "b.css"; .b{display:none}')
    html = ('<html><head><link rel="stylesheet" href="a.css"></head><body>'
            '<p id="a" class="a">a</p><p id="b" class="b">b</p></body></html>')
    roots = roots_of(html)
    res = compute_styles(roots, page_path=tmp_path / "p.html", cache=StylesheetCache())
    assert hidden_ids(roots, res) == {"a", "b"}
    assert any("@import loop" in n for n in res.notes)


def test_garbage_css_degrades_with_note(tmp_path: Path) -> None:
    """Unparseable stylesheets (an HTML error page served as CSS, binary junk, stray braces)
    are skipped or partly skipped with one note each; valid rules elsewhere still apply."""
    _write(tmp_path / "html.css", "<!DOCTYPE html><html><body><h1>404 Not Found</h1>.x{display:none}</body></html>")
    _write(tmp_path / "bin.css", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR{display:none}")
    _write(tmp_path / "junk.css", "}}} %%% {{{ ]]] .y{display:none")
    html = ('<html><head><link rel="stylesheet" href="html.css"><link rel="stylesheet" href="bin.css">'
            '<link rel="stylesheet" href="junk.css"><style>}}} @@@ ((( .z{display:none}</style>'
            '<style>.ok{display:none}</style></head>'
            '<body><p id="x" class="x">x</p><p id="y" class="y">y</p><p id="z" class="z">z</p>'
            '<p id="ok" class="ok">ok</p></body></html>')
    roots = roots_of(html)
    res = compute_styles(roots, page_path=tmp_path / "p.html", cache=StylesheetCache())
    assert "ok" in hidden_ids(roots, res)
    assert "x" not in hidden_ids(roots, res)
    assert len(res.notes) == 4
    assert all("unparseable" in n for n in res.notes)


def test_huge_stylesheet_skipped(tmp_path: Path) -> None:
    """A 6 MB stylesheet (above max_bytes) is skipped with a note, linked or embedded."""
    big = ".pad{color:red}\n" * (6_000_000 // 16 + 1) + ".x{display:none}"
    _write(tmp_path / "big.css", big)
    html = ('<html><head><link rel="stylesheet" href="big.css"></head>'
            '<body><p id="x" class="x">x</p></body></html>')
    roots = roots_of(html)
    res = compute_styles(roots, page_path=tmp_path / "p.html", cache=StylesheetCache())
    assert res.display_none == set()
    assert len(res.notes) == 1 and "too large" in res.notes[0]
    roots = roots_of(page(big, '<p id="x" class="x">x</p>'))
    res = compute_styles(roots)
    assert res.display_none == set()
    assert len(res.notes) == 1 and "too large" in res.notes[0]


def test_cache_parses_each_file_once(tmp_path: Path) -> None:
    """Two pages linking the same file (and sharing an identical <style>) parse each once;
    the same file under a different policy is reused too."""
    _write(tmp_path / "site.css", ".x{display:none} @media (max-width: 600px){.y{display:none}}")
    cache = StylesheetCache(site_root=tmp_path)
    pages = []
    for name in ("a", "b"):
        html = ('<html><head><link rel="stylesheet" href="/site.css"><style>.s{display:none}</style></head>'
                f'<body><p id="{name}" class="x">x</p><p id="y{name}" class="y">y</p><p id="s{name}" class="s">s</p></body></html>')
        pages.append(roots_of(html))
    r1 = compute_styles(pages[0], page_path=tmp_path / "a.html", cache=cache)
    assert cache.parse_count == 2
    r2 = compute_styles(pages[1], page_path=tmp_path / "sub" / "b.html", cache=cache)
    assert cache.parse_count == 2
    assert hidden_ids(pages[0], r1) == {"a", "sa"}
    assert hidden_ids(pages[1], r2) == {"b", "sb"}
    r3 = compute_styles(pages[1], page_path=tmp_path / "b.html", cache=cache,
                        policy=ViewportPolicy(width=400, height=800))
    assert cache.parse_count == 2
    assert hidden_ids(pages[1], r3) == {"b", "yb", "sb"}


def test_many_rules_use_candidate_index() -> None:
    """With many class rules (the indexed path) results equal those of the plain path."""
    n = 60
    css = "".join(f".c{i}{{display:none}} .c{i}.on{{display:block}} .v{i} .c{i}{{visibility:hidden}}" for i in range(n))
    body = "".join(f'<div class="v{i}"><p id="p{i}" class="c{i}{" on" if i % 3 == 0 else ""}">x</p></div>' for i in range(n))
    roots, res = run(page(css, body))
    assert hidden_ids(roots, res) == {f"p{i}" for i in range(n) if i % 3}
    assert {e.get("id") for e, v in res.visibility.items() if v == "hidden"} == {f"p{i}" for i in range(n)}
    # same page, one rule at a time (forward path) gives the same answer
    for i in (0, 1, 2):
        roots1, res1 = run(page(f".c{i}{{display:none}} .c{i}.on{{display:block}}", body))
        assert hidden_ids(roots1, res1) == ({f"p{i}"} if i % 3 else set())


def test_default_policy_documented_values() -> None:
    """The default policy is a 1280x800 desktop screen."""
    p = ViewportPolicy()
    assert (p.width, p.height, p.media_type) == (1280, 800, "screen")
    assert StylesheetCache().policy == p


# --------------------------------------------------------------------------- property test


_TAGS = ("div", "p", "span", "section")
_CLASSES = ("a", "b", "c", "d")
_DECLS = ("display:none", "display:block", "display:inline", "display:contents",
          "visibility:hidden", "visibility:visible", "visibility:collapse", "visibility:inherit")


@st.composite
def _compound(draw) -> str:
    tag = draw(st.sampled_from(("",) + _TAGS))
    classes = draw(st.lists(st.sampled_from(_CLASSES), max_size=2, unique=True))
    extra = draw(st.sampled_from(("", "", "", ":first-child", ":not(.d)", "[id]", ":hover")))
    text = tag + "".join("." + c for c in classes) + extra
    return text or "*"


@st.composite
def _selector(draw) -> str:
    parts = [draw(_compound())]
    for _ in range(draw(st.integers(0, 2))):
        parts.append(draw(st.sampled_from((" ", " > ", " + ", " ~ "))))
        parts.append(draw(_compound()))
    return "".join(parts)


@st.composite
def _tree(draw) -> str:
    counter = [0]

    def element(depth: int) -> str:
        counter[0] += 1
        ident = f"e{counter[0]}"
        tag = draw(st.sampled_from(_TAGS))
        classes = " ".join(draw(st.lists(st.sampled_from(_CLASSES), max_size=3, unique=True)))
        style = draw(st.sampled_from(("", "", "", "", " style='display:none'", " style='display:block'",
                                      " style='visibility:visible'")))
        kids = ""
        if depth < 3 and tag != "p":
            kids = "".join(element(depth + 1) for _ in range(draw(st.integers(0, 3))))
        return f"<{tag} id='{ident}' class='{classes}'{style}>{kids}</{tag}>"

    return "".join(element(0) for _ in range(draw(st.integers(1, 3))))


def _reference(roots: list, rules: list[tuple[str, str, bool]]) -> tuple[set, dict]:
    """Naive cascade: every rule matched over the whole tree by cssselect's own XPath."""
    tr = HTMLTranslator()
    best: dict = {}
    for order, (sel_text, decl, important) in enumerate(rules):
        sel = css_parse(sel_text)[0]
        if ":hover" in sel_text:
            continue
        xp = etree.XPath(tr.selector_to_xpath(sel))
        prop, value = decl.split(":")
        key = (important, 0, sel.specificity(), order)
        for root in roots:
            for el in xp(root):
                cur = best.get((el, prop))
                if cur is None or key > cur[0]:
                    best[(el, prop)] = (key, value)
    for root in roots:
        for el in root.iter():
            style = el.get("style")
            if style:
                prop, value = style.split(":")
                key = (False, 1, (0, 0, 0), 0)
                cur = best.get((el, prop))
                if cur is None or key > cur[0]:
                    best[(el, prop)] = (key, value)
    none = {el for (el, prop), (_k, v) in best.items() if prop == "display" and v == "none"}
    vis = {el: v for (el, prop), (_k, v) in best.items() if prop == "visibility" and v != "inherit"}
    return none, vis


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tree=_tree(), rules=st.lists(st.tuples(_selector(), st.sampled_from(_DECLS), st.booleans()),
                                    min_size=1, max_size=14))
def test_matches_naive_cascade(tree: str, rules: list[tuple[str, str, bool]]) -> None:
    """The optimised matcher (presence filter, candidate index, re-show pass, regex scanner)
    gives exactly the naive whole-tree cascade on random documents and rules."""
    css = "\n".join(f"{s} {{ {d}{' !important' if imp else ''} }}" for s, d, imp in rules)
    roots, res = run(page(css, tree))
    none, vis = _reference(roots, rules)
    assert res.display_none == none
    assert res.visibility == vis


_FRAGMENTS = (
    ".a{display:none}", ".b { color: red; display : block !important }", '.c{content:"}{";display:none}',
    ".d{background:url(x{y}.png);visibility:hidden}", "/* } { */", "@media (min-width: 10px){ .e{display:none} }",
    "@media print{.f{display:none}}", "@supports (display:grid){.g{display:none}}", "@font-face{font-display:swap}",
    "<!--", "-->", "}", "{", ";", ".h{display:none", '"unclosed\n', "'", "(", "[", '@import "x.css";',
    "@layer a{.i{display:none}}", ".j:not(.k){display:none}", ".l{display:none;.m{display:block}}", "\n", " ",
    ".n,.o{visibility:collapse}", "@media screen{", ".p{x:y}", "div", ".q{display:none\\9}",
    ".r\\{{display:none}", '@charset "utf-8";', "@layer x, y;", ".s{DISPLAY:NONE}", ".t{display:/*c*/none}",
    "@media screen{.u{display:none}}}", "url(", '.v{background:url("a;b");display:none}', ".w{display:var(--x)}",
    "@keyframes k{0%{display:none}}", ".x{background:url(data:image/png;base64,AA)}.y{display:none}",
)


def _effective_rules(sheet) -> list:
    """What a parsed sheet applies: usable selectors, declarations, media, layer kind."""

    def norm(x: str) -> str:
        x = re.sub(r"/\*.*?\*/", " ", x, flags=re.S)
        return re.sub(r"\s*([+>~,()])\s*", r"\1", re.sub(r"\s+", " ", x)).strip().replace("'", '"')

    out = []
    for r in sheet.rules:
        sels = tuple(norm(s.text) for s in r.selectors if s.compile())
        if r.is_valid() and sels:
            layer = ("anon",) if any("\x00" in p for p in r.layer) else r.layer
            out.append((sels, r.decls, tuple(norm(m) for m in r.media), layer))
    return out


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_FRAGMENTS), min_size=1, max_size=12))
def test_fast_scanner_agrees_with_tinycss2(fragments: list[str]) -> None:
    """The regex rule scanner keeps exactly the rules a full tinycss2 parse (CSS Syntax error
    recovery) yields, on soups of valid and broken CSS fragments."""
    text = "".join(fragments)
    cache = StylesheetCache()
    fast = cache._parse(text, "x", None)
    slow = cssmod._Sheet("x", None)
    cssmod._SheetParser(slow, text, cache).parse_slow()
    assert _effective_rules(fast) == _effective_rules(slow)


def test_cache_pickles_as_settings(tmp_path: Path) -> None:
    """A cache sent to a worker process (pickle) arrives empty with the same settings."""
    import pickle

    _write(tmp_path / "a.css", ".x{display:none}")
    cache = StylesheetCache(site_root=tmp_path, policy=ViewportPolicy(width=500), max_bytes=1234)
    roots = roots_of('<html><head><link rel="stylesheet" href="/a.css"></head><body><p class="x" id="x">x</p></body></html>')
    compute_styles(roots, cache=cache)
    clone = pickle.loads(pickle.dumps(cache))
    assert (clone.site_root, clone.policy, clone.max_bytes, clone.parse_count) == (tmp_path, ViewportPolicy(width=500), 1234, 0)
    assert hidden_ids(roots, compute_styles(roots, cache=clone)) == {"x"}

"""The hardened parse: lxml's known traps, each with a test."""

from __future__ import annotations

import pytest

from a11ycheck.document import InputError, parse_document

from helpers import doc_of, select_all


def test_depth_limit_is_reported_not_silent() -> None:
    html = "<html><body>" + "<div>" * 3000 + "<p id=end>end</p>" + "</div>" * 3000 + "</body></html>"
    doc = doc_of(html)
    assert doc.depth_limit_line is not None


def test_normal_depth_is_not_flagged() -> None:
    doc = doc_of("<html><body>" + "<div>" * 500 + "x" + "</div>" * 500 + "</body></html>")
    assert doc.depth_limit_line is None


def test_wrong_meta_charset_does_not_stop_the_parse() -> None:
    """A page declaring gb2312 whose bytes are UTF-8 keeps all its elements (libxml2 would stop)."""
    body = "".join(f"<p id=p{i}>Café {i}</p>" for i in range(50))
    data = ('<html><head><meta charset="gb2312"><title>t</title></head><body>' + body + "</body></html>").encode("utf-8")
    doc = parse_document(data)
    assert len(doc.xpath("descendant-or-self::p")) == 50


def test_late_meta_charset_does_not_truncate() -> None:
    data = b"<html><body><p>" + "é".encode() * 600 + b'</p><meta charset="windows-1252"><p id="end">\xe9</p></body></html>'
    doc = parse_document(data)
    assert doc.by_id("end") is not None


def test_content_after_html_end_is_walked() -> None:
    doc = doc_of("<html><body><p>a</p></body></html><img src=pixel.gif>")
    assert any(e.tag == "img" for e in doc.elements)


@pytest.mark.parametrize("html", ["<!-- only a comment -->", "   "])
def test_no_tree_is_an_input_error(html: str) -> None:
    with pytest.raises(InputError):
        doc_of(html)


def test_template_content_is_inert() -> None:
    doc = doc_of("<body><template><h2 id=t>Hidden</h2></template><h2 id=live>Live</h2></body>")
    t = select_all(doc, "#t")[0]
    assert doc.is_inert(t) and doc.is_hidden(t)
    assert doc.by_id("t") is None
    assert [h.element.get("id") for h in doc.headings] == ["live"]


def test_p_is_not_closed_by_html5_blocks_and_checks_must_not_care() -> None:
    """lxml nests <figure> inside an open <p> (HTML4 tables); the model still sees the figure."""
    doc = doc_of("<body><p>intro<figure><img src=a.jpg alt=x><figcaption>c</figcaption></figure></body>")
    fig = select_all(doc, "figure")[0]
    assert fig.getparent().tag == "p"  # the trap itself
    assert doc.role(fig) == "figure"


def test_p_is_closed_by_headings() -> None:
    doc = doc_of("<body><p>text<h3>Sub</h3></body>")
    h3 = select_all(doc, "h3")[0]
    assert h3.getparent().tag == "body"


def test_no_network_for_entities_and_dtds(monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    def refuse(*a, **k):
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    html = ('<!DOCTYPE html SYSTEM "http://127.0.0.1:9/x.dtd"><html><head><base href="http://127.0.0.1:9/">'
            '<link rel=stylesheet href="http://127.0.0.1:9/s.css"></head><body><img src="http://127.0.0.1:9/i.png" alt=x>'
            "<p>&ent;</p></body></html>")
    doc = doc_of(html)
    assert doc.title() is None


# ------------------------------------------------------------------ head repair
@pytest.mark.parametrize("tag", ["main", "header", "nav", "section", "figure", "svg", "custom-el"])
def test_body_content_without_a_body_tag_is_not_hidden_head_content(tag: str) -> None:
    """libxml2 keeps HTML5 elements that come before any <body> tag in <head> (minified pages
    omit the optional tags); the HTML parser starts the body there, and so do we."""
    from a11ycheck.document import parse_document

    html = f"<!DOCTYPE html><html lang=en><title>t</title><{tag} id=x><h1>x</h1></{tag}><p id=after>a</p>"
    doc = parse_document(html.encode(), "t.html")
    el = doc.by_id("x")
    assert el.getparent().tag == "body"
    assert [c.get("id") for c in el.getparent()] == ["x", "after"]
    assert not doc.is_hidden(el) and not doc.is_hidden(doc.headings[0].element)
    assert doc.location(el) == (1, html.index(f"<{tag} ") + 1)


def test_head_repair_keeps_document_order_and_text() -> None:
    from a11ycheck.document import parse_document

    html = "<html><head><title>t</title><nav>n</nav><!--c--></head><body>lead<p>b</p></body></html>"
    doc = parse_document(html.encode(), "t.html")
    body = doc.body
    assert [c.tag if isinstance(c.tag, str) else "comment" for c in body] == ["nav", "comment", "p"]
    assert body.text is None and body[1].tail == "lead"  # the body's leading text follows the moved nodes
    assert [c.tag for c in doc.root.find("head")] == ["title"]


def test_pages_with_head_content_only_in_head_are_untouched() -> None:
    from a11ycheck.document.parse import parse_text

    roots = parse_text("<!DOCTYPE html><title>t</title><meta charset=utf-8><div>x</div>").roots
    assert [c.tag for c in roots[0].find("head")] == ["title", "meta"]

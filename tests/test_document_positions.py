"""line:column of start tags, selectors that match exactly one element, snippets."""

from __future__ import annotations

from helpers import doc_of, select_all


def test_multiline_start_tag_reports_its_first_line() -> None:
    html = "<html>\n<body>\n  <img\n    src=a.jpg\n    alt=''>\n</body></html>"
    doc = doc_of(html)
    img = select_all(doc, "img")[0]
    assert img.sourceline == 5  # libxml2 reports where the tag ends
    assert doc.location(img) == (3, 3)


def test_columns_on_one_line_and_comments_and_scripts_skipped() -> None:
    html = "<body><!-- <img> --><script>var s='<img>'</script><p><img src=1><img src=2></p></body>"
    doc = doc_of(html)
    imgs = select_all(doc, "img")
    assert [doc.location(i) for i in imgs] == [(1, 54), (1, 65)]


def test_cr_and_crlf_line_breaks() -> None:
    for nl in ("\r\n", "\r", "\n"):
        doc = doc_of(f"<html>{nl}<body>{nl}<p>x</p>{nl}  <img src=a>{nl}</body></html>")
        assert doc.location(select_all(doc, "img")[0]) == (4, 3), repr(nl)


def test_implied_elements_get_a_line() -> None:
    doc = doc_of("<p>hello</p>")
    assert doc.location(doc.root) == (1, 1)


def test_lines_past_65535() -> None:
    html = "<body>\n" + "<p>x</p>\n" * 70000 + "<img src=last>\n</body>"
    doc = doc_of(html)
    assert doc.location(select_all(doc, "img")[0]) == (70002, 1)


def test_selector_uses_unique_id_else_path() -> None:
    doc = doc_of("<body><div id=a><p>1</p><p>2</p></div><p id=d>x</p><p id=d>y</p></body>")
    p2 = select_all(doc, "#a p")[1]
    assert doc.selector(p2) == "#a > p:nth-child(2)"
    dup = select_all(doc, "#d")[1]
    sel = doc.selector(dup)
    assert sel == "html > body:nth-child(1) > p:nth-child(3)"
    assert select_all(doc, sel) == [dup]


def test_selector_escapes_odd_ids() -> None:
    doc = doc_of('<body><p id="a b">x</p><p id="1st">y</p></body>')
    for p in select_all(doc, "p"):
        assert select_all(doc, doc.selector(p)) == [p]


def test_snippet_is_the_source_start_tag() -> None:
    doc = doc_of('<body><h2   class="x"\n  id=t>Title</h2></body>')
    assert doc.snippet(select_all(doc, "h2")[0]) == '<h2 class="x" id=t>Title</h2>'


def test_quote_inside_unquoted_value_does_not_derail_columns() -> None:
    """A quote opens a value only after '='; `content=“x"` is an unquoted value with a literal quote."""
    html = '<html><head><meta name=d content=\u201cx\u2026Z8"></head>\n<body>\n   <p>a</p> <img src=a>\n</body></html>'
    doc = doc_of(html)
    assert doc.location(select_all(doc, "img")[0]) == (3, 13)
    assert doc.location(select_all(doc, "p")[0]) == (3, 4)


def test_gt_inside_quoted_value() -> None:
    doc = doc_of('<body><a title="x>y" href=/>a</a><img src=b></body>')
    assert doc.location(select_all(doc, "img")[0]) == (1, 34)


def test_columns_after_more_than_a_thousand_skipped_tokens() -> None:
    """The scanner skips end tags, comments and stray "<" in bounded runs; positions stay exact."""
    filler = "</i><!-- c --> < x" * 1500
    html = f"<body><p>a</p>{filler}<img src=a>\n{filler}<img src=b></body>"
    doc = doc_of(html)
    first, second = select_all(doc, "img")
    assert doc.positions.locate(first)[2] == html.index("<img src=a>")
    assert doc.location(second) == (2, len(filler) + 1)


def test_raw_text_names_in_any_case_and_self_closing() -> None:
    html = ("<html><head><TiTlE>a <img> b</tItLe><STYLE>p{}</p><img></style></head>"
            "<body><SCRIPT>var s = '<img>';</Script><xmp/><img src=1>"
            "<style a=/><img></style><img src=2></body></html>")
    doc = doc_of(html)
    assert [doc.location(i)[1] for i in select_all(doc, "img")] == [
        html.index("<img src=1>") + 1, html.index("<img src=2>") + 1]


def test_mixed_case_tags_keep_source_order() -> None:
    html = "<body><P>a</P><p>b</p><P>c</P></body>"
    doc = doc_of(html)
    assert [doc.location(p)[1] for p in select_all(doc, "p")] == [7, 15, 23]


def test_tag_cut_off_by_end_of_file_is_no_tag() -> None:
    html = '<body><img src=a><img title="x>'
    doc = doc_of(html)
    located = [doc.positions.locate(i)[2] for i in select_all(doc, "img")]
    assert located[0] == 6 and html.index('<img title') not in located

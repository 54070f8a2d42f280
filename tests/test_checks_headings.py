"""Edge cases of the headings family (heading-order, page-has-heading-one, empty-heading,
p-as-heading) that are too ugly or too technical for the rule JSON examples."""

from __future__ import annotations

import pytest

from a11ycheck.checks.headings import axe_level, counts_as_level_one
from a11ycheck.engine import RuleRun, evaluate, to_finding

from helpers import assert_linear, doc_of, outcomes, rule, run_rule, select_one


def page(body: str) -> str:
    return f'<!DOCTYPE html><html lang="en"><head><title>t</title></head><body>{body}</body></html>'


def messages(rule_id: str, html: str, options: dict | None = None) -> list[str]:
    doc, results = run_rule(rule_id, html, options)
    r = rule(rule_id)
    return [to_finding(doc, r, res).message for res in results if res.outcome != "passed"]


# ---------------------------------------------------------------------------- levels
@pytest.mark.parametrize(
    ("markup", "level"),
    [
        ('<h2 id="x" aria-level="3abc">t</h2>', 3),  # parseInt reads the leading digits
        ('<h2 id="x" aria-level="4.9">t</h2>', 4),
        ('<h2 id="x" aria-level=" 5 ">t</h2>', 5),
        ('<h2 id="x" aria-level="+6">t</h2>', 6),
        ('<h2 id="x" aria-level="12">t</h2>', 12),  # no cap on aria-level, as in axe-core
        ('<h2 id="x" aria-level="0">t</h2>', 2),
        ('<h2 id="x" aria-level="-3">t</h2>', 2),
        ('<h2 id="x" aria-level="">t</h2>', 2),
        ('<h2 id="x" aria-level="  ">t</h2>', 2),
        ('<h2 id="x" aria-level="three">t</h2>', 2),
        ('<h2 id="x" aria-level="\u0663">t</h2>', 2),  # Arabic-Indic digit: not a number to parseInt
        ('<div id="x" role="heading">t</div>', 2),
        ('<div id="x" role="heading" aria-level="x">t</div>', 2),
        ('<div id="x" role="heading" aria-level="5">t</div>', 5),
        ('<div headingoffset="2"><h3 id="x">t</h3></div>', 5),
        ('<div headingoffset="8"><h6 id="x">t</h6></div>', 9),  # WHATWG caps hN + offset at 9
        ('<div headingoffset="2"><h3 id="x" aria-level="1">t</h3></div>', 1),  # aria-level wins
        ('<div headingoffset="junk"><h3 id="x">t</h3></div>', 3),
        ('<div headingoffset="-1"><h3 id="x">t</h3></div>', 3),
    ],
)
def test_axe_level(markup: str, level: int) -> None:
    """heading-order levels: axe-core's parseInt reading of aria-level plus WHATWG headingoffset."""
    doc = doc_of(page(markup))
    assert axe_level(doc, select_one(doc, "#x")) == level


def test_headingreset_on_the_heading_itself_stops_the_offset() -> None:
    """WHATWG: the computed heading offset walks *inclusive* ancestors, adding each headingoffset
    and returning at the first element with headingreset -- the heading's own included
    (model.py fix: the heading's own headingreset used to be skipped)."""
    doc = doc_of(page('<div headingoffset="2"><h2 id="x" headingoffset="1" headingreset>t</h2>'
                      '<h2 id="y" headingreset>u</h2><h2 id="z">v</h2></div>'))
    assert doc.heading_level(select_one(doc, "#x")) == 3
    assert doc.heading_level(select_one(doc, "#y")) == 2
    assert doc.heading_level(select_one(doc, "#z")) == 4


def test_headingoffset_under_deep_nesting() -> None:
    """2000 nested elements between the offset and the heading: no recursion, right level."""
    html = page('<section headingoffset="1">' + "<div>" * 2000 + '<h2 id="x">Deep</h2>' + "</div>" * 2000 + "</section>")
    doc = doc_of(html)
    assert doc.heading_level(select_one(doc, "#x")) == 3


def _rule_run(rule_id: str, html: str):
    r = rule(rule_id)

    def go() -> list:
        # the document is parsed inside: the model's lazy work (levels, roles) counts too
        return evaluate(doc_of(html), RuleRun(r, r.resolve_options(None)))

    return go


def test_headingoffset_levels_are_memoised() -> None:
    """Headings deep below a headingoffset: the offset is memoised per element (model.py), so
    doubling both the headings and the depth doubles the work; walking every heading's
    ancestors to the root would quadruple it."""
    def offset_page(n: int) -> str:
        return page('<main headingoffset="1">' + "<div>" * n + "<h2>x</h2><p>t</p>" * n + "</div>" * n + "</main>")

    assert_linear(lambda n: _rule_run("heading-order", offset_page(n)), 300)
    html = page('<main headingoffset="1">' + "<div>" * 2000 + "<h2>x</h2><p>t</p>" * 20000 + "</div>" * 2000 + "</main>")
    doc = doc_of(html)
    r = rule("heading-order")
    results = evaluate(doc, RuleRun(r, r.resolve_options(None)))
    assert len(results) == 20000 and {x.outcome for x in results} == {"passed"}
    assert {doc.heading_level(h.element) for h in doc.headings} == {3}


def test_closed_dialog_hides_its_headings() -> None:
    """UA stylesheet dialog:not([open]) {display:none}: the modal's heading is not part of the
    outline until the dialog is shown (model.py fix)."""
    html = page('<dialog><h2 id="d">Subscribe</h2></dialog><dialog open><h2 id="o">Shown</h2></dialog><h1 id="t">Title</h1>')
    doc = doc_of(html)
    assert doc.is_hidden_for_everyone(select_one(doc, "#d"))
    assert not doc.is_hidden(select_one(doc, "#o"))
    assert [h.element.get("id") for h in doc.headings] == ["o", "t"]


def test_text_after_a_comment_is_part_of_the_name() -> None:
    """React server rendering writes ``Thanks to <!-- -->Clint``: the text after the comment
    belongs to the heading's name and visible text (model.py fix: lxml's iterwalk reports
    comments only as "comment" events, so their tails were dropped)."""
    doc = doc_of(page('<h4 id="x">Thanks to <!-- -->Clint<!-- --> Fenton<?pi x?>.<b>A<!--c-->B</b></h4>'))
    h = select_one(doc, "#x")
    assert doc.name(h) == "Thanks to Clint Fenton.AB"
    assert doc.visible_text(h) == "Thanks to Clint Fenton.AB"
    html = page('<h2 id="a"><!-- --></h2><h2 id="b"><span aria-hidden="true">x</span><!-- -->y</h2>')
    assert outcomes("empty-heading", html) == {"failed": [("#a", "empty")], "passed": [("#b", None)]}


@pytest.mark.parametrize(
    ("markup", "counts"),
    [
        ("<h1 id=x>t</h1>", True),
        ("<h1 id=x role=heading>t</h1>", False),
        ("<h1 id=x role=heading aria-level=1>t</h1>", True),
        ("<h1 id=x aria-level=1>t</h1>", True),
        ("<h1 id=x aria-level=2>t</h1>", False),
        ("<h1 id=x aria-level=''>t</h1>", False),  # [aria-level] present: the first branch does not match
        ("<h4 id=x aria-level=1>t</h4>", True),
        ("<h4 id=x role=heading aria-level=1>t</h4>", True),
        ("<h4 id=x role=Heading aria-level=1>t</h4>", False),  # attribute value compared exactly
        ("<div id=x role=heading aria-level=1>t</div>", True),
        ("<div id=x role=heading aria-level='1 '>t</div>", False),
        ("<div id=x role='heading' aria-level=01>t</div>", False),
        ("<h1 id=x role=banner>t</h1>", False),
        ("<div headingoffset=1><h1 id=x>t</h1></div>", False),
        ("<div headingoffset=1><h1 id=x aria-level=1>t</h1></div>", True),
    ],
)
def test_counts_as_level_one(markup: str, counts: bool) -> None:
    """page-has-heading-one selector semantics: axe-core's attribute tests, exactly."""
    doc = doc_of(page(markup))
    assert counts_as_level_one(doc, select_one(doc, "#x")) is counts


# ---------------------------------------------------------------------------- heading-order
def test_previous_heading_is_the_preceding_visible_one() -> None:
    """The message names the immediately preceding *visible* heading, its text and line."""
    html = page('<h1 id="a">Title</h1>\n<h2 hidden>Gone</h2>\n<h2 aria-hidden="true">Gone too</h2>\n<h3 id="b">Sub</h3>')
    assert messages("heading-order", html) == [
        '<h3> "Sub" is level 3 but the previous heading, <h1> "Title" on line 1, is level 1: '
        "a heading may go at most one level deeper. Make it level 2, or add the missing level(s) between them"
    ]


def test_role_heading_is_described_with_its_role() -> None:
    html = page('<h2 id="a">Section</h2><div role="heading" aria-level="4" id="b">Detail <b>here</b></div>')
    (msg,) = messages("heading-order", html)
    assert msg.startswith('<div role="heading"> "Detail here" is level 4 but the previous heading, <h2> "Section"')


def test_heading_text_is_the_accessible_name() -> None:
    """An image-only heading is named by its alt in the message."""
    html = page('<h1 id="a"><img src="logo.png" alt="VOA"></h1><h3 id="b">Sub</h3>')
    (msg,) = messages("heading-order", html)
    assert 'previous heading, <h1> "VOA" on line 1' in msg


def test_first_h1_counts_aria_level_one_and_offset_levels() -> None:
    """start=first-h1 starts at the first heading whose level is 1, whatever its element."""
    html = page('<h3 id="c">Cookies</h3><div role="heading" aria-level="1" id="a">Title</div><h2 id="b">S</h2>')
    assert outcomes("heading-order", html, {"start": "first-h1"}) == {"passed": [("#a", None), ("#b", None)]}
    html = page('<h3 id="c">Cookies</h3><div headingoffset="1"><h1 id="x">Not level one</h1></div><h1 id="a">T</h1>')
    assert outcomes("heading-order", html, {"start": "first-h1"}) == {"passed": [("#a", None)]}


def test_invalid_options_are_rejected() -> None:
    import jsonschema

    with pytest.raises(jsonschema.ValidationError):
        rule("heading-order").resolve_options({"start": "first-h2"})
    with pytest.raises(jsonschema.ValidationError):
        rule("heading-order").resolve_options({"max_first_level": 0})


def test_headings_after_html_end_tag_are_in_the_sequence() -> None:
    """libxml2 puts content after </html> into a sibling of the root: still one sequence."""
    html = '<!DOCTYPE html><html><body><h1 id="a">T</h1></body></html><h3 id="b">Late</h3>'
    got = outcomes("heading-order", html)
    assert got["failed"] == [("#b", "skipped-level")]


# ---------------------------------------------------------------------------- page-has-heading-one
def test_page_has_heading_one_prefers_the_most_specific_reason() -> None:
    """A hidden h1 is reported as hidden even when a visible h1 with a role exists."""
    html = page('<h1 hidden>Hidden</h1><h1 role="heading">Role</h1>')
    assert outcomes("page-has-heading-one", html) == {"failed": [("html", "hidden-h1")]}


def test_page_has_heading_one_names_first_heading() -> None:
    html = page("<p>x</p>\n<h2>World</h2>\n<h3>Asia</h3>")
    assert messages("page-has-heading-one", html) == [
        'none of the page\'s 2 heading(s) is level one; the first is <h2> "World" on line 2 (level 2). '
        "Mark up the article's title as <h1>"
    ]


def test_hidden_dialog_does_not_excuse_missing_h1() -> None:
    html = page('<div role="dialog" style="display:none"><p>Cookies</p></div><h2>S</h2>')
    assert outcomes("page-has-heading-one", html) == {"failed": [("html", "no-level-one")]}


# ---------------------------------------------------------------------------- empty-heading
def test_empty_heading_text_in_script_is_not_text() -> None:
    html = page('<h2 id="a"><script>var t = "x";</script></h2>')
    assert outcomes("empty-heading", html) == {"failed": [("#a", "no-text")]}


def test_empty_heading_content_lists_element_kinds() -> None:
    html = page('<h2 id="a"><span class="i"></span><img src="a.png" alt=""><span></span><svg></svg><i></i></h2>')
    (msg,) = messages("empty-heading", html)
    assert "contains only <span>, <img>, <svg> and no text" in msg


def test_heading_nested_in_heading() -> None:
    """Both headings get a result; the outer one is named by the inner one's text."""
    html = page('<div role="heading" aria-level="2" id="o"><h3 id="i">Inner</h3></div>')
    assert outcomes("empty-heading", html) == {"passed": [("#o", None), ("#i", None)]}


# ---------------------------------------------------------------------------- p-as-heading
@pytest.mark.parametrize(
    ("style", "kind"),
    [
        ("font: bold 16px serif", "bold"),
        ("font: italic 600 1em/1.2 Georgia, serif", "bold"),
        ("font: 1.5em serif", "larger"),
        ("font: 12px serif", None),
        ("font-weight: 600", "bold"),
        ("font-weight: 500", None),
        ("font-weight: bolder", "bold"),
        ("FONT-WEIGHT: BOLD !important", "bold"),
        ("font-size: 120%", "larger"),
        ("font-size: 110%", None),
        ("font-size: x-large", "larger"),
        ("font-size: 14pt", "larger"),
        ("font-size: larger", "larger"),
        ("font-size: calc(1em + 4px)", None),  # unknown value: ignored
        ("font-style: italic", None),  # italics alone are not heading-like
        ("", None),
    ],
)
def test_p_as_heading_inline_styles(style: str, kind: str | None) -> None:
    html = page(f'<p id="a" style="{style}">Reactions</p><p id="b">Both parties welcomed the statement in Phnom Penh</p>')
    got = outcomes("p-as-heading", html)
    assert got == ({"cant_tell": [("#a", kind)]} if kind else {"passed": [("#a", None)]})


def test_p_as_heading_bold_must_cover_all_visible_text() -> None:
    """Hidden plain text does not spoil "wholly bold"; visible plain text does."""
    base = '<p>Both parties welcomed the statement in Phnom Penh on Thursday</p>'
    html = page(f'<p id="a"><strong>Reactions</strong><span hidden>plain</span> <br></p>{base}')
    assert outcomes("p-as-heading", html) == {"cant_tell": [("#a", "bold")]}
    html = page(f'<p id="a"><strong>Reactions</strong> and more</p>{base}')
    assert outcomes("p-as-heading", html) == {"passed": [("#a", None)]}
    html = page(f'<p id="a"><strong>Re<em>act</em><a href="/x">ions</a></strong><!-- x --> </p>{base}')
    assert outcomes("p-as-heading", html) == {"cant_tell": [("#a", "bold")]}
    html = page(f'<p id="a"><strong>Reactions</strong><!-- x -->plain</p>{base}')
    assert outcomes("p-as-heading", html) == {"passed": [("#a", None)]}
    html = page(f'<p id="a"><strong>Re<em>act</em><a href="/x">ions</a></strong></p>{base}')
    assert outcomes("p-as-heading", html) == {"cant_tell": [("#a", "bold")]}


def test_p_as_heading_suggests_level_after_previous_heading() -> None:
    html = page('<h2>Section</h2><p><b>Reactions</b></p><p>Both parties welcomed the statement in Phnom Penh</p>')
    (msg,) = messages("p-as-heading", html)
    assert "(e.g. <h3>)" in msg and msg.startswith('<p> "Reactions" is all bold')


def test_p_as_heading_skips_hidden_next_paragraph() -> None:
    html = page('<p id="a"><b>Reactions</b></p><p hidden>x</p><p id="b">Both parties welcomed the statement</p>')
    assert outcomes("p-as-heading", html) == {"cant_tell": [("#a", "bold")]}


# ---------------------------------------------------------------------------- performance
@pytest.mark.parametrize("rule_id", ["heading-order", "page-has-heading-one", "empty-heading", "p-as-heading"])
def test_many_headings_are_linear(rule_id: str) -> None:
    """Pages of n headings and paragraphs (the shape of the hostile headings_100000.html): the
    work doubles with n."""
    assert_linear(lambda n: _rule_run(rule_id, page("".join(f"<h{i % 6 + 1}>H {i}</h{i % 6 + 1}><p>t</p>" for i in range(n)))), 500)


@pytest.mark.parametrize("rule_id", ["heading-order", "page-has-heading-one", "empty-heading", "p-as-heading"])
def test_hostile_100000_headings_are_checked(shared_dir, rule_id: str) -> None:
    """headings_100000.html (100k headings and paragraphs) gives results."""
    path = shared_dir / "corpus" / "malformed" / "hostile" / "headings_100000.html"
    if not path.exists():
        pytest.skip("hostile corpus file not available")
    from a11ycheck.document import parse_document

    doc = parse_document(path.read_bytes(), str(path))
    r = rule(rule_id)
    assert evaluate(doc, RuleRun(r, r.resolve_options(None)))


def test_many_paragraph_siblings_stay_linear() -> None:
    """p-as-heading's next-paragraph scans never overlap: bold paragraphs each followed by 20
    non-paragraph siblings cost work in proportion to their number."""
    unit = "<p><b>Short</b></p>" + "<span>x</span>" * 20 + "<p>A longer ordinary paragraph of text here</p>"
    assert_linear(lambda n: _rule_run("p-as-heading", page(unit * n)), 100)
    results = _rule_run("p-as-heading", page(unit * 2000))()
    assert sum(1 for x in results if x.outcome == "cant_tell") == 2000



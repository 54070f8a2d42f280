"""Roles (WAI-ARIA 1.2 + HTML-AAM), accessible names (accname 1.2), hidden-ness and focus,
one assertion per spec table row."""

from __future__ import annotations

import pytest

from helpers import doc_of, select_one


def role_of(html: str, target: str = "#t"):
    doc = doc_of(html)
    return doc.role(select_one(doc, target))


@pytest.mark.parametrize(
    ("html", "role"),
    [
        ("<body><header id=t>x</header></body>", "banner"),
        ("<body><article><header id=t>x</header></article></body>", None),
        ("<body><main><header id=t>x</header></main></body>", None),
        ("<body><section><footer id=t>x</footer></section></body>", None),
        ("<body><div role=main><header id=t>x</header></div></body>", None),
        ("<body><div><footer id=t>x</footer></div></body>", "contentinfo"),
        ("<body><nav role=none><header id=t>x</header></nav></body>", "banner"),
        ("<body><aside id=t>x</aside></body>", "complementary"),
        ("<body><main><aside id=t>x</aside></main></body>", "complementary"),
        ("<body><section><aside id=t>x</aside></section></body>", None),
        ("<body><article><aside id=t aria-label=Related>x</aside></article></body>", "complementary"),
        ("<body><section id=t>x</section></body>", None),
        ("<body><section id=t aria-label=News>x</section></body>", "region"),
        ("<body><h2 id=h>News</h2><section id=t aria-labelledby=h>x</section></body>", "region"),
        ("<body><section id=t aria-labelledby=missing>x</section></body>", None),
        ("<body><form id=t></form></body>", None),
        ("<body><form id=t aria-label=Search></form></body>", "form"),
        ("<body><main id=t></main></body>", "main"),
        ("<body><nav id=t></nav></body>", "navigation"),
        ("<body><search id=t></search></body>", "search"),
        ("<body><img id=t src=a alt=''></body>", "presentation"),
        ("<body><img id=t src=a alt='' aria-label=x></body>", "img"),
        ("<body><img id=t src=a alt='' tabindex=0></body>", "img"),
        ("<body><img id=t src=a></body>", "img"),
        ("<body><a id=t href=/x>x</a></body>", "link"),
        ("<body><a id=t>x</a></body>", None),
        ("<body><div id=t role='foo button'>x</div></body>", "button"),
        ("<body><div id=t role='landmark'>x</div></body>", None),
        ("<body><div id=t role='BANNER'>x</div></body>", "banner"),
        ("<body><h2 id=t role=presentation>x</h2></body>", "presentation"),
        ("<body><h2 id=t role=presentation aria-describedby=x>x</h2></body>", "heading"),
        ("<body><button id=t role=none>x</button></body>", "button"),
        ("<body><ul role=none><li id=t>x</li></ul></body>", "none"),
        ("<body><table role=presentation><tr><td id=t>x</td></tr></table></body>", "none"),
        ("<body><input id=t type=search></body>", "searchbox"),
        ("<body><input id=t type=image alt=Go></body>", "button"),
        ("<body><div id=t role=image>x</div></body>", "img"),
    ],
)
def test_roles(html: str, role: str | None) -> None:
    assert role_of(html) == role


@pytest.mark.parametrize(
    ("html", "name"),
    [
        ("<img id=t src=a alt='Harbour at dawn'>", "Harbour at dawn"),
        ("<img id=t src=a alt='' title=ignored>", ""),
        ("<img id=t src=a title='Only title'>", "Only title"),
        ("<img id=t src=a aria-label='Label wins' alt=Alt>", "Label wins"),
        ("<span id=a>Kem</span><span id=b hidden>Sokha</span><img id=t src=a aria-labelledby='a b missing' alt=x>", "Kem Sokha"),
        ("<img id=t src=a aria-labelledby=missing alt=fallback>", "fallback"),
        ("<a id=t href=/>Read <b>more</b><span aria-hidden=true> icon</span></a>", "Read more"),
        ("<a id=t href=/><img src=a alt=Home></a>", "Home"),
        ("<a id=t href=/><svg aria-hidden=true></svg></a>", ""),
        ("<a id=t href=/ title=Tip><span></span></a>", "Tip"),
        ("<h2 id=t><img src=a alt='VOA logo'></h2>", "VOA logo"),
        ("<h2 id=t>One<div>Two</div>Three</h2>", "One Two Three"),
        ("<h2 id=t>A&nbsp; <span>b</span>c</h2>", "A bc"),
        ("<h2 id=t><span style='display:none'>gone</span>kept</h2>", "kept"),
        ("<h2 id=t><script>var x</script>Title</h2>", "Title"),
        ("<label for=t>Search the site</label><input id=t>", "Search the site"),
        ("<label>Query <input id=t></label>", "Query"),
        ("<input id=t placeholder=Search>", "Search"),
        ("<input id=t type=submit>", "Submit"),
        ("<button id=t>Go <img src=i alt=now></button>", "Go now"),
        ("<figure id=t><img src=a alt=x><figcaption>Caption text</figcaption></figure>", "Caption text"),
        ("<section id=t title='Titled'>x</section>", "Titled"),
        ("<nav id=t>Links <a href=/>x</a></nav>", ""),
        ("<svg id=t role=img><title>Chart</title></svg>", "Chart"),
        ("<div id=t role=heading aria-label='  '>Text</div>", "Text"),
    ],
)
def test_names(html: str, name: str) -> None:
    doc = doc_of(f"<body>{html}</body>")
    assert doc.name(select_one(doc, "#t")) == name


def test_deep_name_from_content_does_not_recurse() -> None:
    html = "<body><h2 id=t>" + "<span>" * 1500 + "deep" + "</span>" * 1500 + "</h2></body>"
    doc = doc_of(html)
    assert doc.name(select_one(doc, "#t")) == "deep"


@pytest.mark.parametrize(
    ("html", "hidden", "everyone"),
    [
        ("<p id=t hidden>x</p>", True, True),
        ("<div hidden><p id=t>x</p></div>", True, True),
        ("<p id=t aria-hidden=true>x</p>", True, False),
        ("<div aria-hidden=' TRUE '><p id=t>x</p></div>", True, False),
        ("<p id=t aria-hidden=false>x</p>", False, False),
        ("<div inert><p id=t>x</p></div>", True, False),
        ("<p id=t style='display: none'>x</p>", True, True),
        ("<div style='DISPLAY:NONE !important'><p id=t>x</p></div>", True, True),
        ("<p id=t style='visibility:hidden'>x</p>", True, True),
        ("<div style='visibility:hidden'><p id=t style='visibility:visible'>x</p></div>", False, False),
        ("<noscript><p id=t>x</p></noscript>", True, True),
        ("<details><summary id=s>S</summary><p id=t>x</p></details>", True, True),
        ("<details open><summary>S</summary><p id=t>x</p></details>", False, False),
        ("<p id=t class=sr-only style='position:absolute;width:1px;height:1px;clip:rect(0 0 0 0);overflow:hidden'>x</p>", False, False),
    ],
)
def test_hidden(html: str, hidden: bool, everyone: bool) -> None:
    doc = doc_of(f"<body>{html}</body>")
    el = select_one(doc, "#t")
    assert (doc.is_hidden(el), doc.is_hidden_for_everyone(el)) == (hidden, everyone)


def test_summary_of_closed_details_is_visible() -> None:
    doc = doc_of("<body><details><summary id=s>S</summary>x</details></body>")
    assert not doc.is_hidden(select_one(doc, "#s"))


def test_head_content_is_hidden() -> None:
    doc = doc_of("<html><head><title id=t>x</title></head><body></body></html>")
    assert doc.is_hidden(select_one(doc, "#t"))


@pytest.mark.parametrize(
    ("html", "focusable", "tabbable"),
    [
        ("<a id=t href=/>x</a>", True, True),
        ("<a id=t>x</a>", False, False),
        ("<div id=t tabindex=-1>x</div>", True, False),
        ("<div id=t tabindex=' 3abc'>x</div>", True, True),
        ("<button id=t disabled>x</button>", False, False),
        ("<fieldset disabled><input id=t></fieldset>", False, False),
        ("<fieldset disabled><legend><input id=t></legend></fieldset>", True, True),
        ("<input id=t type=hidden>", False, False),
        ("<a id=t href=/ style='display:none'>x</a>", False, False),
        ("<details><summary id=t>s</summary></details>", True, True),
    ],
)
def test_focus(html: str, focusable: bool, tabbable: bool) -> None:
    doc = doc_of(f"<body>{html}</body>")
    el = select_one(doc, "#t")
    assert (doc.is_focusable(el), doc.is_tabbable(el)) == (focusable, tabbable)


def test_focus_order_positive_tabindex_first() -> None:
    doc = doc_of("<body><a id=a href=/>a</a><a id=b href=/ tabindex=2>b</a><a id=c href=/ tabindex=1>c</a></body>")
    assert [e.get("id") for e in doc.focus_order()] == ["c", "b", "a"]


def test_headings_levels_and_hidden() -> None:
    doc = doc_of(
        "<body><h1>A</h1><h2 hidden>B</h2><div role=heading>C</div><div role=heading aria-level=4>D</div>"
        "<h3 aria-level=0>E</h3><h2 role=presentation>F</h2><div headingoffset=1><h2>G</h2></div></body>"
    )
    assert [(doc.name(h.element), h.level) for h in doc.headings] == [("A", 1), ("C", 2), ("D", 4), ("E", 3), ("G", 3)]


def test_id_index_remembers_duplicates_and_fragments() -> None:
    doc = doc_of("<body><p id=x>1</p><p id=x>2</p><a name=anchor>a</a><p id='caf%C3%A9'>q</p><p id='café'>c</p></body>")
    assert len(doc.duplicate_ids()["x"]) == 2
    assert doc.fragment_target("anchor").tag == "a"
    assert doc.fragment_target("caf%C3%A9").text == "q"  # exact id first
    assert doc.fragment_target("nope") is None


def test_landmarks() -> None:
    doc = doc_of("<body><header>h</header><nav>n</nav><main><article><header>ah</header></article></main>"
                 "<section>s</section><section aria-label=More>m</section><footer>f</footer></body>")
    assert [r for _, r in doc.landmarks] == ["banner", "navigation", "main", "region", "contentinfo"]


def test_subtree_end_is_the_last_descendant_position() -> None:
    """Document.subtree_end (shared by caption scopes and suppression ranges) agrees with a
    brute-force walk for every element, asked in any order."""
    doc = doc_of('<div id="a"><p>x<b>y</b></p><ul><li>1</li><li>2<i>z</i></li></ul></div><p>t</p>'
                 '<section><div><div></div></div></section><template><span>inert</span></template>')
    expected = {el: max(doc.order[d] for d in el.iter() if isinstance(d.tag, str)) for el in doc.elements}
    for el in reversed(doc.elements):
        assert doc.subtree_end(el) == expected[el], el.tag
    fresh = doc_of('<div><p><b>x</b></p></div>')
    div = fresh.elements[[e.tag for e in fresh.elements].index("div")]
    assert fresh.subtree_end(div) == fresh.order[fresh.elements[-1]]

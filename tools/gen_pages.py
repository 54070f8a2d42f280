#!/usr/bin/env python3
"""Generate realistic news-article pages for the benchmark (deterministic: same arguments,
same bytes).

The pages follow the structure of ``examples/good-article.html`` (skip links, banner with a
labelled navigation and search form, one ``<main>`` with an ``<article>``: ``h1``, byline,
figures with captions, paragraphs and ``h2`` subheads; related stories; footer) and add what
real article pages carry around that: inline and external scripts, JSON-LD, an inline
stylesheet with ``display:none`` helpers, SVG icon sprites, ad slots, tracking pixels, a cookie
banner, share buttons, comment threads, long navigation menus. A few ordinary defects are
sprinkled in (an image without ``alt``, an empty link, a skipped heading level) so the
benchmark also exercises finding generation (positions, selectors, snippets).

The size of a page is set in kilobytes; the article body, the comment thread and the menus grow
with it while the page skeleton stays the same, so a 10x larger page has 10x more of the same
content (this is what the benchmark's scaling figure relies on).

    python tools/gen_pages.py --out build/bench-pages            # the default benchmark set
    python tools/gen_pages.py --out /tmp/p --size 100 --size 1000 # one page per size (kB)
"""

from __future__ import annotations

import argparse
import hashlib
import html
import random
import sys
from pathlib import Path

__all__ = ["DEFAULT_SET", "generate_page", "write_default_set", "write_pages"]

#: (size in kB, number of pages) of the default benchmark set. The spread follows the real
#: article corpus (median about 120 kB, a tail of pages of several hundred kB and above 1 MB).
DEFAULT_SET: tuple[tuple[int, int], ...] = ((15, 8), (40, 10), (80, 10), (130, 12), (250, 8), (500, 4), (1200, 2))

_WORDS = (
    "the of and to in a is that for on with as was by at from it be are this said an has have "
    "government minister party court election officials report state week year people country "
    "police security talks opposition leader statement president council rights city public "
    "national policy budget health energy market trade workers union protest region border "
    "agreement vote parliament law investigation spokesman according told agency announced "
    "despite however while after before during since including among between against across "
    "economy climate water schools hospital village capital province coast island river "
    "thousands hundreds million billion percent early later recent former current local foreign"
).split()
_NAMES = ("Ana Souza", "Kem Sokha", "Maria Keller", "Yusuf Okafor", "Li Wei", "Sam Rainsy", "Ingrid Olsen",
          "Rahul Mehta", "Chloé Martin", "Tomás García", "Aiko Tanaka", "Olu Adeyemi")
_SECTIONS = ("World", "US News", "Africa", "Asia", "Middle East", "Europe", "Americas", "Science", "Health",
             "Economy", "Technology", "Culture", "Sports", "Opinion", "Video", "Podcasts")


class _Gen:
    def __init__(self, seed: str) -> None:
        self.rng = random.Random(int(hashlib.sha256(seed.encode()).hexdigest()[:16], 16))
        self.serial = 0

    def words(self, lo: int, hi: int) -> str:
        r = self.rng
        return " ".join(r.choice(_WORDS) for _ in range(r.randint(lo, hi)))

    def sentence(self) -> str:
        s = self.words(8, 22)
        return s[0].upper() + s[1:] + self.rng.choice((".", ".", ".", "?", "!"))

    def title(self, lo: int = 4, hi: int = 9) -> str:
        return " ".join(w.capitalize() for w in self.words(lo, hi).split())

    def slug(self) -> str:
        return "-".join(self.words(3, 6).split())

    def uid(self, prefix: str) -> str:
        self.serial += 1
        return f"{prefix}-{self.serial}"

    def paragraph(self) -> str:
        r = self.rng
        out = []
        for _ in range(r.randint(2, 5)):
            s = html.escape(self.sentence(), quote=False)
            roll = r.random()
            if roll < 0.25:
                w = s.split(" ")
                i = r.randrange(len(w))
                w[i] = f'<a href="https://www.example-news.com/{self.slug()}">{w[i]}</a>'
                s = " ".join(w)
            elif roll < 0.35:
                s = f"<em>{s}</em>"
            elif roll < 0.40:
                s = f"“{s}” <strong>{r.choice(_NAMES)}</strong> said."
            out.append(s)
        return " ".join(out)


_STYLE = """
    <style>
      .sr-only { position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden; clip: rect(0, 0, 0, 0); white-space: nowrap; border: 0; }
      .skip-link { position: absolute; left: -10000px; top: 0; }
      .skip-link:focus { left: 0; z-index: 1000; padding: .5em 1em; background: #fff; color: #0162b1; }
      .is-hidden, .js-only, [hidden] { display: none !important; }
      .visually-hidden { visibility: hidden; }
      .site-header { display: flex; align-items: center; justify-content: space-between; }
      .main-nav__list { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; }
      .main-nav__item + .main-nav__item { margin-left: 1rem; }
      .article__figure img { max-width: 100%; height: auto; }
      .article__body p { line-height: 1.6; margin: 0 0 1em; }
      .ad-slot { min-height: 250px; background: #f4f4f4; }
      .cookie-banner { position: fixed; bottom: 0; left: 0; right: 0; display: none; }
      .share-bar button svg { width: 16px; height: 16px; fill: currentColor; }
      @media (max-width: 640px) { .main-nav { display: none; } .site-header { flex-direction: column; } }
      @media print { .ad-slot, .share-bar, .comments { display: none; } }
    </style>"""

_SCRIPT = """
    <script>
      window.dataLayer = window.dataLayer || [];
      function gtag(){ dataLayer.push(arguments); }
      gtag('js', new Date()); gtag('config', 'UA-000000-1', { anonymize_ip: true });
      (function(d, s) { var e = d.createElement(s); e.async = true; e.src = 'https://cdn.example-ads.net/tag.js';
        var f = d.getElementsByTagName(s)[0]; if (f && f.parentNode) { f.parentNode.insertBefore(e, f); }
        if (1 < 2 && 3 > 2) { console.log("</div> is not markup inside a script"); } })(document, 'script');
    </script>"""

_SPRITE = """
    <svg xmlns="http://www.w3.org/2000/svg" style="display: none" aria-hidden="true">
      <symbol id="icon-facebook" viewBox="0 0 24 24"><path d="M22 12a10 10 0 1 0-11.6 9.9v-7H7.9V12h2.5V9.8c0-2.5 1.5-3.9 3.8-3.9 1.1 0 2.2.2 2.2.2v2.5h-1.3c-1.2 0-1.6.8-1.6 1.6V12h2.8l-.4 2.9h-2.3v7A10 10 0 0 0 22 12z"/></symbol>
      <symbol id="icon-twitter" viewBox="0 0 24 24"><path d="M23 3a10.9 10.9 0 0 1-3.1 1.5 4.5 4.5 0 0 0-7.9 3v1A10.7 10.7 0 0 1 3 4s-4 9 5 13a11.6 11.6 0 0 1-7 2c9 5 20 0 20-11.5a4.5 4.5 0 0 0-.1-.8A7.7 7.7 0 0 0 23 3z"/></symbol>
      <symbol id="icon-mail" viewBox="0 0 24 24"><path d="M4 4h16c1.1 0 2 .9 2 2v12c0 1.1-.9 2-2 2H4c-1.1 0-2-.9-2-2V6c0-1.1.9-2 2-2zm16 2-8 5-8-5"/></symbol>
    </svg>"""


def _nav(g: _Gen, n_items: int, label: str, nav_id: str | None = None) -> str:
    idattr = f' id="{nav_id}"' if nav_id else ""
    items = []
    for i in range(n_items):
        sec = _SECTIONS[i % len(_SECTIONS)]
        sub = "" if i < len(_SECTIONS) else f" {i // len(_SECTIONS)}"
        items.append(f'            <li class="main-nav__item"><a class="main-nav__link" href="/{sec.lower().replace(" ", "-")}{sub.strip()}">'
                     f'{html.escape(sec)}{sub}</a></li>')
    body = "\n".join(items)
    return (f'        <nav{idattr} class="main-nav" aria-label="{label}">\n          <ul class="main-nav__list">\n{body}\n'
            f"          </ul>\n        </nav>")


def _figure(g: _Gen, defect: bool) -> str:
    r = g.rng
    w, h = r.choice(((770, 433), (1024, 576), (640, 427)))
    src = f"https://images.example-news.com/{g.slug()}.jpg"
    alt = "" if defect else f' alt="{html.escape(g.words(5, 10).capitalize())}"'
    cap = html.escape(g.sentence(), quote=False)
    return (f'        <figure class="article__figure">\n'
            f'          <img class="article__img" src="{src}"{alt} width="{w}" height="{h}" loading="lazy"'
            f' srcset="{src}?w=480 480w, {src}?w=960 960w" sizes="(max-width: 640px) 100vw, 770px">\n'
            f'          <figcaption class="article__caption">{cap} <span class="credit">Photo: {r.choice(_NAMES)}</span></figcaption>\n'
            f"        </figure>")


def _ad(g: _Gen) -> str:
    slot = g.uid("ad")
    return (f'          <div class="ad-slot" id="{slot}" aria-hidden="true" data-ad-unit="/1234/news/article" data-sizes="[[300,250],[728,90]]">\n'
            f"            <script>googletag.cmd.push(function() {{ googletag.display('{slot}'); }});</script>\n"
            f'            <iframe src="about:blank" title="Advertisement" width="300" height="250" tabindex="-1"></iframe>\n'
            f"          </div>")


def _share(g: _Gen) -> str:
    buttons = []
    for net in ("facebook", "twitter", "mail"):
        buttons.append(f'<button class="share-bar__button" type="button" aria-label="Share on {net}">'
                       f'<svg aria-hidden="true" focusable="false"><use href="#icon-{net}"></use></svg></button>')
    return '          <div class="share-bar">' + "".join(buttons) + "</div>"


def _comment(g: _Gen, depth: int) -> str:
    r = g.rng
    cid = g.uid("comment")
    name = r.choice(_NAMES)
    replies = ""
    if depth < 3 and r.random() < 0.3:
        replies = '\n<ol class="comments__replies">' + "".join(_comment(g, depth + 1) for _ in range(r.randint(1, 2))) + "</ol>"
    return (f'\n<li class="comment" id="{cid}"><article class="comment__body" aria-labelledby="{cid}-author">'
            f'<footer class="comment__meta"><img class="comment__avatar" src="https://avatars.example-news.com/{r.randrange(997)}.png" alt="" width="32" height="32">'
            f'<span id="{cid}-author" class="comment__author">{html.escape(name)}</span> '
            f'<time datetime="2020-0{r.randint(1, 9)}-1{r.randint(0, 9)}T1{r.randint(0, 9)}:00:00Z">{r.randint(1, 59)} minutes ago</time></footer>'
            f"<p>{g.paragraph()}</p>"
            f'<button type="button" class="comment__reply">Reply</button>{replies}</article></li>')


def generate_page(size_kb: int, seed: str = "a11ycheck-bench") -> str:
    """One article page of about ``size_kb`` kilobytes (UTF-8)."""
    g = _Gen(f"{seed}/{size_kb}")
    r = g.rng
    target = size_kb * 1024
    headline = g.title(6, 11)
    # The skeleton (head, scripts, menus, related stories: these grow with the page too) is built
    # first; the article body takes 70% of the remaining bytes and the comment thread 30%.
    nav_items = 16 + size_kb // 12
    related = 4 + size_kb // 25

    rel_items = []
    for i in range(related):
        thumb = (f'<img class="related__thumb" src="https://images.example-news.com/thumb/{g.slug()}.jpg" alt="" width="96" height="54">'
                 if i % 3 == 0 else "")
        # Every 17th related link has only an image without alt: an empty link (defect).
        if i % 17 == 11:
            rel_items.append(f'        <li class="related__item"><a class="related__link" href="/{g.slug()}"><img src="https://images.example-news.com/r{i}.jpg"></a></li>')
            continue
        rel_items.append(f'        <li class="related__item"><a class="related__link" href="/{g.slug()}">{thumb}'
                         f'<span class="related__headline">{html.escape(g.title())}</span></a></li>')

    scripts = "\n".join(
        f'    <script src="https://cdn.example-news.com/js/{name}.{g.uid("v")}.js" defer></script>'
        for name in ("vendor", "app", "analytics", "consent")
    )
    ld = ('    <script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle", '
          f'"headline": "{headline}", "datePublished": "2020-06-02T17:04:00Z", '
          f'"author": {{"@type": "Person", "name": "{r.choice(_NAMES)}"}}, "publisher": {{"@type": "Organization", "name": "Example News"}}}}</script>')
    extra_js = "\n".join(_SCRIPT for _ in range(1 + size_kb // 60))

    page = f"""<!DOCTYPE html>
<html lang="en" class="no-js">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>{html.escape(headline)} | Example News</title>
    <meta name="description" content="{html.escape(g.sentence())}">
    <meta property="og:title" content="{html.escape(headline)}">
    <link rel="canonical" href="https://www.example-news.com/{g.slug()}">
    <link rel="stylesheet" href="https://cdn.example-news.com/css/main.css">
    <link rel="preconnect" href="https://images.example-news.com">{_STYLE}
{ld}
{scripts}{extra_js}
  </head>
  <body class="pg-article">{_SPRITE}
    <ul class="skip-links" aria-label="Accessibility links">
      <li class="skip-links__item"><a class="skip-link" href="#content">Skip to main content</a></li>
      <li class="skip-links__item"><a class="skip-link" href="#main-nav">Skip to main navigation</a></li>
      <li class="skip-links__item"><a class="skip-link" href="#search">Skip to search</a></li>
    </ul>
    <div class="cookie-banner" role="dialog" aria-label="Cookie consent">
      <p>We use cookies to improve your experience. <a href="/privacy">Read our privacy policy</a>.</p>
      <button type="button" class="cookie-banner__accept">Accept</button>
    </div>
    <header class="site-header">
      <div class="site-header__inner">
        <a class="site-header__logo" href="/">
          <img src="https://cdn.example-news.com/img/logo.svg" alt="Example News home" width="120" height="40">
        </a>
{_nav(g, nav_items, "Main navigation", "main-nav")}
        <form id="search" class="site-search" role="search" aria-label="Search" action="/s" method="get">
          <label class="sr-only" for="search-query">Search Example News</label>
          <input id="search-query" class="site-search__input" type="search" name="k" placeholder="Search">
          <button class="site-search__button" type="submit">Search</button>
        </form>
      </div>
    </header>
    <main id="content" class="site-main">
      <div class="breaking-news is-hidden"><p class="breaking-news__label">Breaking News</p></div>
      <article class="article">
        <div class="article__header">
          <h1 class="article__title">{html.escape(headline)}</h1>
          <p class="article__byline"><span class="article__author">By {r.choice(_NAMES)}</span>
            <time class="article__date" datetime="2020-06-02T17:04:00-04:00">June 02, 2020 5:04 PM</time></p>
        </div>
{_figure(g, defect=False)}
        <div class="article__body">
@@BODY@@
        </div>
      </article>
      <section class="comments" aria-label="Comments">
        <h2 class="comments__title">Comments</h2>
        <ol class="comments__list">@@COMMENTS@@
        </ol>
      </section>
    </main>
    <aside class="related" aria-labelledby="related-title">
      <h2 id="related-title" class="related__title">Related stories</h2>
      <ul class="related__list">
{chr(10).join(rel_items)}
      </ul>
    </aside>
    <footer class="site-footer">
{_nav(g, nav_items // 2, "Footer")}
      <p class="site-footer__copyright">© 2020 Example News</p>
    </footer>
    <img src="https://pixel.example-ads.net/p.gif?u={g.uid('px')}" width="1" height="1" alt="" style="position:absolute;left:-9999px">
    <noscript><img src="https://sb.example-metrics.com/p?c1=2&amp;c2=1" alt=""></noscript>
  </body>
</html>
"""
    rest = target - len(page.encode("utf-8"))
    body: list[str] = []
    blocks = 0
    size = 0
    sub = 0
    while size < rest * 0.7 or not blocks:
        roll = r.random()
        if blocks and blocks % 9 == 0:
            sub += 1
            # One subhead in 25 skips to h4: a heading-order defect.
            level = 4 if sub % 25 == 7 else 2
            block = f'          <h{level} class="article__subhead">{html.escape(g.title())}</h{level}>'
        elif roll < 0.08:
            block = _figure(g, defect=(blocks % 31 == 5))
        elif roll < 0.12:
            block = _ad(g)
        elif roll < 0.15:
            block = f'          <blockquote class="pullquote"><p>“{html.escape(g.sentence(), quote=False)}”</p><cite>{r.choice(_NAMES)}</cite></blockquote>'
        elif roll < 0.17:
            block = _share(g)
        elif roll < 0.19:
            items = "".join(f"<li>{html.escape(g.sentence(), quote=False)}</li>" for _ in range(r.randint(3, 6)))
            block = f'          <ul class="article__list">{items}</ul>'
        else:
            block = f"          <p>{g.paragraph()}</p>"
        body.append(block)
        size += len(block.encode()) + 1
        blocks += 1

    comments: list[str] = []
    comment_budget = int(rest * 0.3)
    size = 0
    while size < comment_budget:
        c = _comment(g, 0)
        comments.append(c)
        size += len(c.encode())

    return page.replace("@@BODY@@", "\n".join(body)).replace("@@COMMENTS@@", "".join(comments))


def write_pages(out: Path, sizes: list[int], seed: str = "a11ycheck-bench") -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for i, size in enumerate(sizes):
        path = out / f"article-{size:05d}k-{i:03d}.html"
        path.write_bytes(generate_page(size, f"{seed}/{i}").encode("utf-8"))
        written.append(path)
    return written


def default_sizes() -> list[int]:
    """Sizes (kB) of the default set, spread around each nominal size (+-20%), deterministic."""
    rng = random.Random(20260601)
    sizes = []
    for size, count in DEFAULT_SET:
        sizes.extend(max(5, int(size * rng.uniform(0.8, 1.2))) for _ in range(count))
    return sizes


def write_default_set(out: Path) -> list[Path]:
    return write_pages(out, default_sizes())


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, required=True, help="folder to write the pages into")
    ap.add_argument("--size", type=int, action="append", metavar="KB",
                    help="write one page of this size in kB (repeatable); default: the default benchmark set")
    ap.add_argument("--seed", default="a11ycheck-bench")
    args = ap.parse_args(argv)
    paths = write_pages(args.out, args.size, args.seed) if args.size else write_default_set(args.out)
    total = sum(p.stat().st_size for p in paths)
    print(f"wrote {len(paths)} pages, {total / 1e6:.1f} MB, to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

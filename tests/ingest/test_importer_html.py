"""Tests for the HTML page importer, on pages written here for the purpose."""

from __future__ import annotations

import json
import re

import pytest

from reader.errors import ImportFailed
from reader.ingest.importers.html_page import parse_html

BODY_PARAS = [
    "The harbour council voted on Tuesday to rebuild the old stone pier, a project that "
    "has been discussed, argued over and postponed for more than twenty years.",
    "Engineers say the work will take three summers, because the tides leave only a few "
    "hours each day when the foundations can be reached, and the budget is tight.",
    "Fishermen, who use the pier every morning, welcomed the decision but asked that one "
    "berth stay open during the works, so that the early boats can still land their catch.",
]

JSON_LD = {
    "@context": "https://schema.org",
    "@type": "NewsArticle",
    "headline": "Harbour council approves pier rebuild",
    "author": [{"@type": "Person", "name": "Mara Quill"}],
    "datePublished": "2022-04-14T13:52:00+02:00",
    "publisher": {"@type": "Organization", "name": "The Coastal Gazette"},
}

NEWS_PAGE = f"""<!DOCTYPE html>
<html><head>
<meta charset="utf-8">
<title>Harbour council approves pier rebuild | The Coastal Gazette</title>
<meta property="og:title" content="Harbour council approves pier rebuild">
<meta property="og:site_name" content="The Coastal Gazette">
<meta property="og:url" content="https://gazette.example/news/pier-rebuild">
<meta property="og:description" content="A twenty-year argument ends with a vote.">
<meta property="article:published_time" content="2022-04-14T13:52:00+02:00">
<script type="application/ld+json">{json.dumps(JSON_LD)}</script>
<script>var tracker = "<!-- not a comment -->"; window.trackEverything();</script>
<style>.x {{ color: red }}</style>
</head><body>
<header class="site-header"><a href="/">Gazette home</a> <span>Tide tables</span></header>
<nav><ul><li><a href="/news">News menu</a></li><li><a href="/sport">Sport menu</a></li></ul></nav>
<div class="cookie-banner">We use cookies to improve your visit. Accept all cookies.</div>
<main><article class="article-body">
<h1>Harbour council approves pier rebuild</h1>
<p class="byline">By <a rel="author" href="/staff/mq">Mara Quill</a></p>
<div class="share-bar"><a href="#">Share on Facebook</a> <a href="#">Share on Twitter</a></div>
<p>{BODY_PARAS[0]}</p>
<h2>What happens next</h2>
<p>{BODY_PARAS[1]}</p>
<ul><li>First summer: the foundations of the pier</li><li>Second summer: the deck</li></ul>
<blockquote><p>We have waited long enough for this pier to be mended, said the mayor.</p></blockquote>
<table><tr><th>Year</th><th>Work planned on the pier</th></tr>
<tr><td>2023</td><td>Foundations, piles and the seaward wall, when the tides allow</td></tr>
<tr><td>2024</td><td>The new deck, railings and lighting along the whole length</td></tr></table>
<p>{BODY_PARAS[2]} Read the <a href="https://gazette.example/docs/plan">full plan</a>.</p>
</article>
<aside class="related-articles"><h3>Related stories</h3><ul>
<li><a href="/a">Lighthouse keeper retires after forty years</a></li>
<li><a href="/b">Ferry timetable changes again</a></li></ul></aside>
<section id="comments" class="comments"><h3>Comments</h3>
<div class="comment"><p>Commenter Bob says this is a waste of money and nobody asked.</p></div>
</section>
<div class="newsletter-signup"><p>Sign up for our weekly newsletter digest today.</p></div>
</main>
<footer class="site-footer"><p>Copyright Gazette footer text, all rights reserved.</p></footer>
</body></html>"""


@pytest.fixture(scope="module")
def news():
    return parse_html(NEWS_PAGE.encode("utf-8"), source_path="news.html")


def test_news_metadata(news):
    assert news.source_format == "html"
    assert news.title == "Harbour council approves pier rebuild"
    assert news.author == "Mara Quill"
    assert news.published == "2022-04-14T13:52:00+02:00"  # the page's offset is kept
    assert news.site == "The Coastal Gazette"
    assert news.url == "https://gazette.example/news/pier-rebuild"
    assert news.summary == "A twenty-year argument ends with a vote."
    assert news.source_path == "news.html"


def test_news_keeps_article_text(news):
    for para in BODY_PARAS:
        assert para in news.markdown


@pytest.mark.parametrize(
    "chrome",
    [
        "Gazette home",
        "News menu",
        "cookies",
        "Share on Facebook",
        "Lighthouse keeper",
        "Commenter Bob",
        "weekly newsletter",
        "Gazette footer",
        "trackEverything",
        "color: red",
    ],
)
def test_news_drops_chrome(news, chrome):
    assert chrome not in news.markdown


def test_news_keeps_structure(news):
    md = news.markdown
    assert "## What happens next" in md
    assert "* First summer: the foundations of the pier" in md
    assert "> We have waited long enough" in md
    assert re.search(r"^Year\s*\|\s*Work planned on the pier$", md, re.M)
    assert re.search(r"^---\s*\|\s*---$", md, re.M)
    assert re.search(r"^2024\s*\|\s*The new deck, railings and lighting", md, re.M)
    assert "[full plan](https://gazette.example/docs/plan)" in md


def test_comment_marker_inside_script_does_not_hide_article():
    page = (
        "<html><head><title>Script test page</title>"
        "<script>document.write('<!--'); var y = 1;</script></head>"
        "<body><p>The article text after a tricky script is still here, every word of it, "
        "and a second sentence keeps it long enough to look like an article.</p>"
        "<script>var z = '<!-- again';</script></body></html>"
    )
    article = parse_html(page)
    assert "every word of it" in article.markdown
    assert "document.write" not in article.markdown


def test_cp1252_page_with_meta_charset():
    page = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1252">'
        "<title>Caf\u00e9 notes</title></head><body><p>The caf\u00e9 served cr\u00e8me "
        "br\u00fbl\u00e9e \u2013 \u201cquite good\u201d, said the na\u00efve critic, who "
        "wrote a long paragraph about it for the weekend edition.</p></body></html>"
    ).encode("cp1252")
    article = parse_html(page)
    assert "caf\u00e9 served cr\u00e8me br\u00fbl\u00e9e \u2013 \u201cquite good\u201d" in (
        article.markdown
    )
    assert "na\u00efve" in article.markdown


def test_latin1_bytes_without_charset_fall_back_to_cp1252():
    page = b"<html><body><p>Na\xefve r\xe9sum\xe9 of the long day at the seaside.</p></body></html>"
    assert "Na\u00efve r\u00e9sum\u00e9" in parse_html(page).markdown


def test_utf8_bom_is_handled():
    page = "\ufeff<html><body><p>Bom page with \u00fcmlauts in it.</p></body></html>"
    assert "\u00fcmlauts" in parse_html(page.encode("utf-8")).markdown


def test_title_only_page_with_paragraphs():
    page = (
        "<html><head><title>A quiet walk along the canal - Walking Notes</title></head><body>"
        "<p>We left early, before the mist lifted from the water, and walked east.</p>"
        "<p>By noon the towpath was busy with cyclists and a few anglers.</p></body></html>"
    )
    article = parse_html(page, url="https://walks.example/canal")
    assert article.title == "A quiet walk along the canal"
    assert article.url == "https://walks.example/canal"
    assert "before the mist lifted" in article.markdown
    assert "anglers" in article.markdown
    assert article.author is None and article.published is None


def test_time_element_and_byline_class_give_date_and_author():
    page = (
        "<html><head><title>Notes on bread</title></head><body><article>"
        '<span class="author-name">By Ida Fenn</span> <time datetime="2021-03-02">March 2</time>'
        "<p>Bread needs time more than it needs skill, and a warm kitchen helps it rise.</p>"
        "</article></body></html>"
    )
    article = parse_html(page)
    assert article.author == "Ida Fenn"
    assert article.published == "2021-03-02"


def test_deep_nesting_returns_text():
    page = "<html><body>" + "<div>" * 10000 + "<p>Deep words survive.</p>" + "</div>" * 10000
    article = parse_html(page)
    assert "Deep words survive." in article.markdown


def test_nul_bytes_and_malformed_markup():
    page = b"<html><body><p>Hello\x00 there, reader.<b><i>Bold</p></div></span><table><td>cell"
    article = parse_html(page)
    assert "\x00" not in article.markdown
    assert "Hello there, reader." in article.markdown


def test_huge_line_is_read():
    page = "<html><body><p>" + "word " * 200_000 + "</p></body></html>"
    assert parse_html(page).markdown.count("word") == 200_000


@pytest.mark.parametrize(
    "page",
    [
        b"",
        b"   \n ",
        b"<html><head><title>Only</title></head><body></body></html>",
        b"<script>var a = 1;</script>",
        b"\x00\x00\x00",
        b"<" * 100_000,
    ],
)
def test_empty_pages_raise_import_failed(page):
    with pytest.raises(ImportFailed) as info:
        parse_html(page, source_path="empty.html")
    assert str(info.value).startswith("empty.html: ")


def test_brackets_in_link_text_are_escaped():
    para = " ".join(BODY_PARAS)
    page = (
        f"<html><body><article><p>{para}"
        '<a href="https://notes.example/pier#note-2">[2]</a></p></article></body></html>'
    )
    md = parse_html(page).markdown
    assert "[\\[2\\]](https://notes.example/pier#note-2)" in md
    assert "[[2]]" not in md


def test_list_of_items_citing_links_is_kept():
    items = "".join(
        f"<li>The {name} crew repaired the {part} after the storm - "
        f'<a href="https://tracker.example/{n}">ticket {n} of the harbour works</a></li>'
        for n, (name, part) in enumerate(
            [("harbour", "east railing"), ("night", "signal lamp"), ("dredging", "slipway")]
        )
    )
    page = (
        "<html><body><div><p>" + "</p><p>".join(BODY_PARAS) + "</p>"
        f"<ul>{items}</ul><p>{BODY_PARAS[0]}</p></div></body></html>"
    )
    md = parse_html(page).markdown
    assert "The night crew repaired the signal lamp after the storm" in md
    assert "[ticket 2 of the harbour works](https://tracker.example/2)" in md


def test_related_posts_box_with_teasers_is_dropped():
    teaser = "Another long teaser about the ferry timetable that changed again this spring."
    related = "".join(
        f'<div class="related-post"><a href="/p{n}">Ferry story {n}</a><p>{teaser}</p></div>'
        for n in range(3)
    )
    page = (
        "<html><body><article><p>" + "</p><p>".join(BODY_PARAS) + "</p>"
        f'<div class="relatedposts"><h3>Related</h3>{related}</div></article></body></html>'
    )
    md = parse_html(page).markdown
    assert BODY_PARAS[2] in md
    assert "Ferry story" not in md
    assert "ferry timetable" not in md


def test_other_spaces_are_every_whitespace_xpath_does_not_collapse():
    import sys

    from reader.ingest.importers.html_readability import OTHER_SPACES

    python_spaces = {chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()}
    assert python_spaces - set(" \t\n\r") == OTHER_SPACES


@pytest.mark.parametrize("space", [" ", "\xa0", "\u2003", "\u3000"])
def test_text_lengths_match_str_split_whatever_the_whitespace(space):
    import lxml.html

    from reader.ingest.importers.html_readability import _ClimbingDocument, _text_length

    para = f"  Tide{space}tables,\n\tsaid the {space}{space}harbour master, <a>were late</a>. "
    page = f"<html><body><div><p>{para}</p><p>{para * 3}</p></div></body></html>"
    doc = _ClimbingDocument(lxml.html.document_fromstring(page))
    root = doc._html(True)
    assert doc._fast_lengths is (space == " ")
    for elem in root.iter():
        assert doc._length(elem) == _text_length(elem)


def test_paragraph_scores_are_readability_lxml_scores():
    import lxml.html
    from readability import Document

    from reader.ingest.importers.html_readability import _ClimbingDocument

    page = NEWS_PAGE.replace("<main>", "<main>\n\t").replace(". ", ".\n   ")
    ours = _ClimbingDocument(lxml.html.document_fromstring(page))
    ours._html(True)
    theirs = Document(page)
    theirs._html(True)
    scores = {
        e.tag + e.get("class", ""): c["content_score"] for e, c in ours.score_paragraphs().items()
    }
    expected = {
        e.tag + e.get("class", ""): c["content_score"] for e, c in theirs.score_paragraphs().items()
    }
    assert scores and scores == pytest.approx(expected)


TRICKY_FRAGMENTS = [
    "<p>a &amp; b &lt; c &gt; d &nbsp;e\xa0f</p><ul><li></li><li>x</li>"
    '<li><a href=" a b/\u00e9?x=1&amp;y=[2]">[1] link</a></li></ul><br>tail'
    '<img src="a b.png" alt="a&amp;b"> after<pre>\n  code &lt;x&gt;\n</pre>'
    "<p>1. not a list</p><p>- dash</p><p>&gt;- x</p>",
    "<h1>T</h1><p><em>e</em>m<strong>s</strong> <code>a*b</code></p>"
    "<table><tr><th>a</th></tr><tr><td>1</td></tr></table><blockquote><p>q</p></blockquote>"
    '<ol start="3"><li>a<li>b</ol><hr><dl><dt>t<dd>d</dl>',
    "<p>x<!-- c -->y<br>z</p><p>a\\*b \\_ `c`</p><abbr title='t'>ab</abbr><sup>1</sup>"
    "<span>&#42;&#x2a;</span><script>var a = '<b>&amp;';</script><style>p{}</style>",
]


@pytest.mark.parametrize("fragment", TRICKY_FRAGMENTS)
def test_tree_fed_to_html2text_converts_like_its_serialization(fragment):
    import lxml.html

    from reader.ingest.importers import html_page

    tree = lxml.html.fragment_fromstring(fragment, create_parent="div")
    tree.tail = "after the tree & <more>"
    for void in tree.iter("br", "hr"):
        void.text = "never written"  # lxml writes no content for a void element

    def converter():
        c = html_page._Converter()
        c.body_width, c.unicode_snob = 0, True
        return c

    expected = converter().handle(html_page._serialize(tree))
    fed = converter()
    html_page._feed_tree(fed, tree)
    assert fed.optwrap(fed.finish()) == expected


ESCAPE_CASES = [
    "plain words, and more.",
    "1. a numbered line",
    "  12. indented number",
    "- a dash line",
    "+ a plus line",
    "text\n- dash after a break\n3. and a number\n+ plus",
    "back\\slash \\* \\_ \\` stays",
    "\u0663. arabic-indic digit",
    "--- rule",
    "-no space",
    "",
    " ",
    "\n",
    "lines\nwithout\n markup. 1.",
    "  \n \t\n  - across blank lines",
    "x\n\n  7. after a blank line",
]


@pytest.mark.parametrize("text", ESCAPE_CASES)
def test_fast_escape_matches_html2text(text):
    from html2text.utils import escape_md_section

    from reader.ingest.importers.html_page import _escape_md_section

    assert _escape_md_section(text) == escape_md_section(text)


@pytest.mark.parametrize(
    "text", ["", " ", "a", " a ", "a\t\n b\xa0c\u3000", "\n\nx  y\n", "x\u2028"]
)
def test_collapse_spaces_matches_the_regex(text):
    from reader.ingest.importers.html_page import _collapse_spaces

    assert _collapse_spaces(text) == re.sub(r"\s+", " ", text)


@pytest.mark.parametrize(
    "fragment",
    [
        *TRICKY_FRAGMENTS,
        "<p><strong>- bold dash</strong>-<em>1. x</em> <b> - </b>after</p>",
        "<p><a href='http://x.example/a'>http://x.example/a</a> <abbr title='T'>T\n- x</abbr></p>",
        "<ul><li>- item\n2. two</li></ul><p>\\ back <i>- i</i></p><pre>- 1. pre</pre>",
    ],
)
def test_converter_matches_stock_html2text(fragment):
    import html2text
    import lxml.html

    from reader.ingest.importers import html_page

    class Stock(html2text.HTML2Text):
        def handle_data(self, data, entity_char=False):
            if self.astack and self.astack[-1] is not None and not (self.code or self.pre):
                data = data.replace("[", html_page._OPEN).replace("]", html_page._CLOSE)
            super().handle_data(data, entity_char)

    tree = lxml.html.fragment_fromstring(fragment, create_parent="div")
    stock, ours = Stock(), html_page._Converter()
    for c in (stock, ours):
        c.body_width, c.unicode_snob = 0, True
    expected = stock.handle(html_page._serialize(tree))
    html_page._feed_tree(ours, tree)
    assert ours.optwrap(ours.finish()) == expected


def test_page_with_forms_inside_the_article_imports_without_them():
    form = (
        '<form action="/s"><label>Name <input name="q" value="x"></label>'
        "<select><option>Option text</option></select><textarea>Typed text</textarea></form>"
    )
    page = NEWS_PAGE.replace("<h2>What happens next</h2>", form + "<h2>What happens next</h2>")
    article = parse_html(page.encode())
    assert BODY_PARAS[1] in article.markdown
    assert "Option text" not in article.markdown and "Typed text" not in article.markdown


# -- leftovers seen on real pages (issue 18): each case fails on the old importer ----------


def _page(head: str, article: str) -> bytes:
    paras = "".join(f"<p>{p}</p>" for p in BODY_PARAS)
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'>{head}</head><body><main>"
        f"<article>{article}{paras}</article></main></body></html>"
    ).encode()


def test_author_equal_to_the_site_name_is_dropped():
    page = _page(
        '<title>Pier rebuild approved</title><meta name="author" content="Coastal News">'
        '<meta property="og:site_name" content="Coastal News">',
        '<h1>Pier rebuild approved</h1><p class="byline">Coastal News</p>',
    )
    article = parse_html(page)
    assert article.author is None and article.site == "Coastal News"


def test_photo_credit_caption_does_not_open_the_body():
    page = _page(
        "<title>Pier rebuild approved</title>",
        '<h1>Pier rebuild approved</h1><figure><img src="pier.jpg" alt="">'
        "<figcaption><span>The old pier at low tide.</span>"
        "<span>Credit: Ana Ruiz for The Coastal Gazette</span></figcaption></figure>",
    )
    markdown = parse_html(page).markdown
    assert "Credit" not in markdown and "Ana Ruiz" not in markdown
    assert "\n\nThe old pier at low tide.\n\n" in markdown  # the caption: its own paragraph
    first_text = next(line for line in markdown.splitlines() if line and "![" not in line)
    assert first_text == "The old pier at low tide."


def test_photo_credit_class_is_dropped_outside_captions_too():
    page = _page(
        "<title>Pier rebuild approved</title>",
        '<h1>Pier rebuild approved</h1><div><img src="pier.jpg"><p class="image-credit">'
        "Ana Ruiz / Coastal Gazette</p></div>",
    )
    assert "Ana Ruiz" not in parse_html(page).markdown


def test_empty_heading_leaves_no_bare_hashes():
    page = _page(
        "<title>Pier rebuild approved</title>",
        "<h1>Pier rebuild approved</h1><h4></h4><h4><br></h4><h3> </h3>",
    )
    markdown = parse_html(page).markdown
    assert not re.search(r"^#+\s*$", markdown, re.M)


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("<strong>Revivez <a href='/live'>le direct</a></strong>", "**Revivez [le direct]("),
        ("<b>Revivez</b><a href='/live'>le direct</a> du conseil", "**Revivez** [le direct]("),
    ],
)
def test_space_after_a_bold_run_before_a_link(html: str, expected: str):
    page = _page("<title>Pier rebuild approved</title>", f"<p>{html}</p>")
    assert expected in parse_html(page, url="https://gazette.example/").markdown

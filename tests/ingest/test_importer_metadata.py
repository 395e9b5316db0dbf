"""Title, author and publication date of saved pages, one page per failure class (issue 21).

The pages in tests/data/metadata are our own writing; each holds one way pages write their
metadata that the importer got wrong.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.ingest.importers.dates import read_date
from reader.ingest.importers.html_byline import clean_author, credit_in_text
from reader.ingest.importers.html_page import parse_html

DATA = Path(__file__).parent.parent / "data" / "metadata"


def parsed(name: str):
    path = DATA / name
    return parse_html(path.read_bytes(), source_path=str(path))


@pytest.mark.parametrize(
    ("page", "title"),
    [
        # A CJK title has no spaces: the site part is cut all the same.
        ("cjk-title-site-suffix.html", "港の遊歩道を四十年ぶりに架け替えへ"),
        # A section of the site after the separator, inside og:title.
        ("og-title-section-suffix.html", "Harbour board votes to rebuild the east quay walkway"),
        # A social/SEO variant of the headline the page shows: the page's headline.
        ("seo-title-and-headline.html", "East quay walkway rebuild approved, closures expected"),
        # The quotes as the page shows them, not as the metadata wrote them.
        ("curly-quotes-headline.html", "Board calls the rebuild “overdue” and ‘worth every penny’"),
        # The page's headline holds every word of a shorter og:title; the box classed
        # "story-headline" around it holds the byline too and is not the headline.
        (
            "headline-longer-than-og-title.html",
            "Island ferry line adds a night crossing for shift workers",
        ),
        # og:title is the headline cut short: the page's headline goes on where it stops.
        (
            "headline-goes-on-after-og-title.html",
            "Kestrel 3 kettle review: the quietest boil we have timed, at a price",
        ),
        # A script inside the <h1> is not part of the headline (its quotes are kept).
        (
            "site-domain-author-top-stories.html",
            "Walk-on guard’s season: leading the conference in scoring",
        ),
    ],
)
def test_titles(page: str, title: str) -> None:
    assert parsed(page).title == title


@pytest.mark.parametrize(
    ("page", "author"),
    [
        ("run-together-byline.html", "Tomasz Ferreira"),  # <span>By</span><a>Name</a>
        ("byline-with-role.html", "Halldis Brennan"),  # Name<span>Staff Writer</span>
        ("byline-by-alone.html", "Ines Okonjo"),  # "By" alone is no author
        ("byline-furniture.html", "Priya Castellano"),  # "See full bio", a date
        ("publisher-as-author.html", "Oskar Lindqvist"),  # meta author = site name
        ("publisher-only.html", None),  # ... and nothing else: no author
        ("jsonld-author-list.html", "Mei Tanaka-Ross, Dario Vukovic"),
        ("cjk-byline-related-box.html", "林晓 周安"),  # "本报记者" is no name
        ("korean-related-byline-only.html", None),  # the related story's "기자" byline
        ("italian-visible-date-firma.html", "Giulia Ferrante"),  # class "firma", "Di"
        # meta author "KeelSports" is the site KeelSports.com; not the top stories' byline
        ("site-domain-author-top-stories.html", "Soren Achterberg"),
    ],
)
def test_authors(page: str, author: str | None) -> None:
    assert parsed(page).author == author


@pytest.mark.parametrize(
    ("page", "published"),
    [
        ("date-rfc2822-meta.html", "2020-04-07T07:36:07+05:30"),
        ("date-written-out.html", "2016-12-01"),
        ("date-us-dashes.html", "2016-12-15"),  # data-published, month first
        ("date-time-element.html", "2023-01-30T09:45:00-05:00"),  # not the updated <time>
        ("date-related-first.html", "2022-09-14T18:20:00+01:00"),  # not the related story's
        ("date-modified-meta.html", "2023-11-20T07:30:00+00:00"),  # not the modified date
        ("jsonld-author-list.html", "2021-06-02T08:15:00+02:00"),  # dateCreated, last resort
        # <abbr title>, inside Blogger's "widget Blog" wrapper; not the popular post's.
        ("blogger-abbr-date.html", "2019-08-18T16:42:00-07:00"),
        ("italian-visible-date-firma.html", "2020-02-04"),  # "Martedì 4 febbraio 2020"
        # A date box of two lines, published then updated; not the ranking box's date.
        ("date-box-published-and-updated.html", "2021-07-21T18:00:00"),
    ],
)
def test_published_dates(page: str, published: str) -> None:
    assert parsed(page).published == published


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ByJordan Vale", "Jordan Vale"),
        ("Jordan ValeStaff Writer", "Jordan Vale"),
        ("By", None),
        ("by Ana Ruiz and Li Wen", "Ana Ruiz, Li Wen"),
        ("Written by Ana Ruiz Edited by Li Wen", "Ana Ruiz, Li Wen"),
        ("Ruiz, Ana", "Ruiz, Ana"),  # surname first is one name
        ("Ana Ruiz, Li Wen", "Ana Ruiz, Li Wen"),
        ("Ana Ruiz Updated 4 hours ago", "Ana Ruiz"),
        ("Ana Ruiz | Follow", "Ana Ruiz"),
        ("https://example.org/people/ana", None),
        ("s sai", None),  # a handle, not a name
        ("Ana Ruiz, Staff Writer", "Ana Ruiz"),
        ("Staff Writer", None),
        ("記者 佐藤美咲", "佐藤美咲"),
        ("経済部 記者 佐藤花子", "佐藤花子"),
        ("文／记者 王明", "王明"),
        ("박지훈 기자", "박지훈"),
        ("Our Foreign Staff", None),  # a desk, a company, a CMS account: no person
        ("Meridian Media Group", None),
        ("Halvorsen University Office of Communications", None),
        ("Super User", None),
        ("Door Sanne de Vries en Pieter Bakker", "Sanne de Vries, Pieter Bakker"),
        ("di Marco Rossi e Luca Bianchi", "Marco Rossi, Luca Bianchi"),
        ("Oleh Budi Santoso dan Sari Dewi", "Budi Santoso, Sari Dewi"),
        ("Dan Goodin", "Dan Goodin"),  # "dan" joins names only in lower case
        ("（记者李明、张婷）", "李明, 张婷"),
        ("〔記者陳怡君／台北報導〕", "陳怡君"),  # the dateline goes
        ("寶島時報", None),  # a paper ("…時報", "…新闻", "…일보"), not a person
        ("责任编辑：王强", None),  # the editor on duty
        ("By Press Association", "Press Association"),  # an agency wrote the wire story
        ("AFP", "AFP"),
        ("Ana Ruiz, ABC News", "Ana Ruiz"),
    ],
)
def test_clean_author(raw: str, expected: str | None) -> None:
    assert clean_author(raw) == expected


@pytest.mark.parametrize(
    ("markdown", "author"),
    [
        (
            "新华社武汉6月28日电（记者李明、张婷）记者从长江水利委员会获悉，水位上涨。\n\n第二段。\n",
            "李明, 张婷",
        ),
        ("店は今月末で閉じる。\n\n残った本は図書館に寄贈するという。（佐藤陽子）\n", "佐藤陽子"),
        ("店は今月末で閉じる。\n\n（敬称略）\n", None),  # "titles omitted", no name
        ("![動土典禮。（記者陳建宏攝）](https://example.org/a.jpg)\n\n捷運動工。\n", None),
        ("典禮現場。（記者陳建宏攝）\n\n捷運動工。\n", None),  # a photographer's credit
        ("店は今月末で閉じる。\n\n写真は店内。（写真提供）\n", None),
        ("The quay reopens in June (Reuters).\n\nIt closed in March (AP).\n", None),
    ],
)
def test_reporter_named_only_in_the_text(markdown: str, author: str | None) -> None:
    assert credit_in_text(markdown) == author


def test_the_reporter_in_the_text_is_the_author_when_the_page_names_none() -> None:
    html = (
        "<html><head><meta charset='utf-8'><title>古書店、70年の歴史に幕</title></head><body>"
        "<article><h1>古書店、70年の歴史に幕</h1><p>駅前の古書店が今月末で閉店する。"
        "常連客が別れを惜しんで列をつくった。</p><p>店主は「きれいに閉めたい」と話した。"
        "残った本は図書館に寄贈するという。（佐藤陽子）</p></article></body></html>"
    )
    assert parse_html(html).author == "佐藤陽子"


def test_author_equal_to_site_name_is_dropped() -> None:
    keys = {"bbcnews"}
    assert clean_author("BBC News", keys) is None
    # The site's name with a short word added ("Báo": newspaper), or split at "&".
    assert clean_author("Báo Tin Nhanh Việt", {"tinnhanhviệt"}) is None
    assert clean_author("Fern & Fathom", {"fernfathom"}) is None
    # A blogger named with their site's handle is still the author.
    assert clean_author("史蒂文的家 (stevenhgm)", {"stevenhgm"}) == "史蒂文的家 stevenhgm"
    assert clean_author("Ana Ruiz, BBC News", keys) == "Ana Ruiz"
    assert clean_author("By Ana Ruiz, BBC News", keys) == "Ana Ruiz"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Tue, 07 Apr 2020 07:36:07 +0530", "2020-04-07T07:36:07+05:30"),
        ("2015-10-15T02:19:15.607Z", "2015-10-15T02:19:15+00:00"),
        ("2016-12-01T10:00:00", "2016-12-01T10:00:00"),  # no offset given: none invented
        ("2016-12-01", "2016-12-01"),
        ("December 1, 2016", "2016-12-01"),
        ("12-15-2016", "2016-12-15"),
        ("1 Dec 2016 10:00 EST", "2016-12-01T10:00:00-05:00"),
        ("Thu Sep 16 2021 03:52:10 GMT+0000 (UTC)", "2021-09-16T03:52:10+00:00"),
        ("1480550400", "2016-12-01T00:00:00+00:00"),
        ("20161201", "2016-12-01"),
        ("20161201T101500", "2016-12-01T10:15:00"),
        ("Published on 1 May 2020", "2020-05-01"),
        ("2016年12月15日 18時30分", "2016-12-15T18:30:00"),
        ("2020년 4월 7일 07:36", "2020-04-07T07:36:00"),
        ("14. März 2018, 16:20 Uhr", "2018-03-14T16:20:00"),
        ("Publié le 27 janvier 2020 à 07h15", "2020-01-27T07:15:00"),
        ("1er décembre 2016", "2016-12-01"),
        ("2 de noviembre de 2019", "2019-11-02"),
        ("Sabato 2 novembre 2019", "2019-11-02"),
        ("12", None),
        ("soon", None),
        ("1850-01-01", None),
    ],
)
def test_read_date(value: str, expected: str | None) -> None:
    assert read_date(value) == expected


@pytest.mark.parametrize(
    ("line", "published"),
    [
        # The element is classed as the update, but its line starts with the publication.
        (
            '<p class="is-last-update">12 maggio 2017 (modifica il 13 maggio 2017 | 08:15)</p>',
            "2017-05-12",
        ),
        (
            '<p class="dateline">Published 6:00 a.m. ET June 20, 2018 | Updated 9:12 a.m. ET'
            " June 21, 2018</p>",
            "2018-06-20T06:00:00-04:00",
        ),
        (
            '<p class="date">Publié le 27 janvier 2020 à 07h15 - Mis à jour le 28 janvier 2020'
            " à 10h00</p>",
            "2020-01-27T07:15:00",
        ),
        (
            '<p class="meta">2021年07月21日 18時00分 公開 ［2021年07月22日 09時30分 更新］</p>',
            "2021-07-21T18:00:00",
        ),
        ('<p class="updated">Updated 13 May 2017</p>', None),  # the update alone: no date
    ],
)
def test_a_date_line_that_goes_on_to_the_update(line: str, published: str | None) -> None:
    html = (
        "<html><head><title>Walkway rebuild approved on the quay</title></head><body>"
        f"<article><h1>Walkway rebuild approved on the quay</h1>{line}"
        "<p>The harbour board met on a wet Tuesday evening to settle the question.</p>"
        "</article></body></html>"
    )
    assert parse_html(html).published == published


def test_a_time_after_the_word_updated_is_not_the_publication_date() -> None:
    html = (
        "<html><head><title>Walkway rebuild approved</title></head><body><article>"
        "<h1>Walkway rebuild approved</h1><p>Updated: <time datetime='2023-02-10'>Feb 10</time>"
        " · <time datetime='2023-01-30'>Jan 30</time></p>"
        "<p>The harbour board met on a wet Tuesday evening to settle the question.</p>"
        "</article></body></html>"
    )
    assert parse_html(html).published == "2023-01-30"


def test_a_generic_host_label_is_no_site_name() -> None:
    html = (
        "<html><head><meta property='og:title' content='Tide tables explained - News analysis'>"
        "</head><body><article><p>The harbour board met on a wet Tuesday evening.</p>"
        "</article></body></html>"
    )
    parsed = parse_html(html, url="https://news.quayside.example/tides")
    assert parsed.title == "Tide tables explained - News analysis"


def test_jsonld_author_given_by_reference_in_a_graph() -> None:
    graph = (
        '{"@context":"https://schema.org","@graph":['
        '{"@type":"Article","headline":"Walkway rebuild approved",'
        '"author":{"@id":"https://quay.example/#/person/7"},'
        '"publisher":{"@id":"https://quay.example/#org"},"datePublished":"2022-03-01T09:00:00+00:00"},'
        '{"@type":"Organization","@id":"https://quay.example/#org","name":"Quayside Courier"},'
        '{"@type":"Person","@id":"https://quay.example/#/person/7","name":"Rosalind Achebe"}]}'
    )
    html = (
        f'<html><head><script type="application/ld+json">{graph}</script></head><body>'
        "<article><h1>Walkway rebuild approved</h1><p>The harbour board met on a wet "
        "Tuesday evening to settle the question.</p></article></body></html>"
    )
    parsed = parse_html(html)
    assert parsed.author == "Rosalind Achebe"
    assert parsed.site == "Quayside Courier"


def test_link_to_an_author_page_is_the_last_resort_byline() -> None:
    html = (
        "<html><head><title>Walkway rebuild approved</title></head><body>"
        '<nav><a href="/authors/editor-in-chief">Our editors</a></nav>'
        "<article><h1>Walkway rebuild approved</h1>"
        '<p><a href="/by/kwame-lindholm">Kwame Lindholm</a></p>'
        "<p>The harbour board met on a wet Tuesday evening to settle the question.</p>"
        "</article></body></html>"
    )
    assert parse_html(html).author == "Kwame Lindholm"

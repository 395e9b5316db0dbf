"""Tests for reader.search.index.SearchIndex."""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.models import Article
from reader.search.index import SearchIndex
from reader.search.query import Query, matches_metadata, parse_query
from reader.text.tokens import fold, phrase_regex, unique_tokens


def art(aid: str, title: str = "Untitled", **kw) -> Article:
    return Article(id=aid, title=title, **kw)


def search(index: SearchIndex, text: str, **kw) -> set[str] | None:
    return index.search(parse_query(text), **kw)


@pytest.fixture
def index() -> SearchIndex:
    idx = SearchIndex()
    idx.add(
        art("a", "Trams of Lisbon", author="Ana Sousa", site="example.org", tags=["Travel"]),
        "The old trams climb the hills. A tram stop at every corner.",
    )
    idx.add(
        art("b", "Café culture", summary="Where to drink coffee", tags=["food", "travel"]),
        "Le café crème est très bon. Stop by the tram depot afterwards.",
    )
    idx.add(
        art("c", "Budget notes", bookmarked=True, read=True, highlight_count=3),
        "Spreadsheets and numbers, nothing about transport.",
    )
    return idx


def test_empty_query_means_no_restriction(index):
    assert index.search(Query()) is None
    assert search(index, "   ") is None


def test_words_match_as_prefixes_and_all_must_match(index):
    assert search(index, "tram") == {"a", "b"}
    assert search(index, "trams") == {"a"}
    assert search(index, "tra") == {"a", "b", "c"}  # "transport", "travel" too
    assert search(index, "tram hills") == {"a"}
    assert search(index, "tram zebra") == set()


def test_accents_and_case_do_not_matter(index):
    assert search(index, "CAFE creme") == {"b"}
    assert search(index, "café") == {"b"}
    assert search(index, "tres") == {"b"}


def test_metadata_fields_are_searchable_as_words(index):
    assert search(index, "lisbon") == {"a"}  # title
    assert search(index, "sousa") == {"a"}  # author
    assert search(index, "example") == {"a"}  # site
    assert search(index, "coffee") == {"b"}  # summary
    assert search(index, "food") == {"b"}  # tag


def test_excluded_words_are_whole_words(index):
    assert search(index, "tram -hills") == {"b"}
    assert search(index, "tram -hil") == {"a", "b"}  # not a prefix exclusion


def test_tags_and_excluded_tags(index):
    assert search(index, "tag:travel") == {"a", "b"}
    assert search(index, "tag:TRAVEL -tag:food") == {"a"}
    assert search(index, "tag:trav") == set()  # tags are whole
    assert search(index, "-tag:travel") == {"c"}
    assert search(index, "tag:nosuchtag") == set()


def test_flags(index):
    assert search(index, "is:bookmarked") == {"c"}
    assert search(index, "is:read") == {"c"}
    assert search(index, "is:unread") == {"a", "b"}
    assert search(index, "has:highlights") == {"c"}
    assert search(index, "is:unread tram") == {"a", "b"}


def test_site_and_author_terms(index):
    assert search(index, "site:example") == {"a"}
    assert search(index, "author:sou") == {"a"}
    assert search(index, "author:nobody") == set()


def test_phrases_are_verified_with_phrase_text(index):
    texts = {
        "a": "Trams of Lisbon\nThe old trams climb the hills. A tram stop at every corner.",
        "b": "Café culture\nLe café crème est très bon. Stop by the tram depot afterwards.",
        "c": "Budget notes",
    }
    asked: list[str] = []

    def phrase_text(aid: str) -> str:
        asked.append(aid)
        return texts[aid]

    assert search(index, '"tram stop"', phrase_text=phrase_text) == {"a"}
    assert sorted(asked) == ["a", "b"]  # only articles having both words are read
    assert search(index, '"Cafe Creme"', phrase_text=phrase_text) == {"b"}
    assert search(index, '"stop tram"', phrase_text=phrase_text) == set()


def test_phrases_without_phrase_text_match_their_words(index):
    assert search(index, '"tram stop"') == {"a", "b"}
    assert search(index, '"tram"') == {"b", "a"}
    assert search(index, '"tra"') == set()  # phrase words are whole words


def test_remove_forgets_an_article(index):
    index.remove("a")
    assert search(index, "tram") == {"b"}
    assert search(index, "lisbon") == set()
    assert search(index, "tag:travel") == {"b"}
    assert "a" not in index and len(index) == 2
    index.remove("a")  # unknown ids are ignored
    index.remove("never-there")


def test_readding_replaces_body_and_metadata(index):
    index.add(art("a", "Bicycles of Lisbon", tags=["cycling"]), "Bicycles everywhere.")
    assert search(index, "tram") == {"b"}
    assert search(index, "bicycles") == {"a"}
    assert search(index, "tag:travel") == {"b"}
    assert search(index, "tag:cycling") == {"a"}


def test_add_without_body_indexes_metadata_only():
    idx = SearchIndex()
    idx.add(art("x", "Known by URL", site="news.example"), None)
    assert search(idx, "known") == {"x"}
    assert search(idx, "site:news") == {"x"}
    idx.add(art("x", "Known by URL", site="news.example"), "Now fetched: a body about owls.")
    assert search(idx, "owls") == {"x"}


def test_update_metadata_keeps_body_words(index):
    index.update_metadata(
        art("a", "Trams", tags=["transit"], bookmarked=True, read=True, highlight_count=1)
    )
    assert search(index, "hills") == {"a"}  # body kept
    assert search(index, "lisbon") == set()  # old title gone
    assert search(index, "sousa") == set()  # old author gone
    assert search(index, "tag:travel") == {"b"}
    assert search(index, "tag:transit") == {"a"}
    assert search(index, "transit") == {"a"}  # new tag is a word too
    assert search(index, "is:bookmarked") == {"a", "c"}
    assert search(index, "is:unread") == {"b"}
    assert search(index, "has:highlights") == {"a", "c"}


def test_update_metadata_of_an_unknown_article_adds_it(index):
    index.update_metadata(art("d", "Fresh arrival"))
    assert search(index, "fresh") == {"d"}


def test_articles_mapping_limits_results_and_covers_unindexed_ones(index):
    known = {
        "a": art("a", "Trams of Lisbon"),
        "z": art("z", "Tramways abroad", tags=["travel"], bookmarked=True),
    }
    assert search(index, "tram", articles=known) == {"a", "z"}
    assert search(index, "tag:travel is:bookmarked", articles=known) == {"z"}
    assert search(index, "tram -tramways", articles=known) == {"a"}
    assert search(index, "hills", articles=known) == {"a"}


def test_round_trip_through_bytes(index):
    index.remove("c")  # leave a dead slot behind
    copy = SearchIndex.from_bytes(index.to_bytes())
    for text in ("tram", "tra", "cafe", "tag:travel", "-tag:food tram", "is:unread", "sousa"):
        assert search(copy, text) == search(index, text), text
    assert len(copy) == 2
    copy.add(art("n", "New one"), "trams again")
    copy.remove("a")
    assert search(copy, "trams") == {"n"}
    assert search(copy, "hills") == set()


def test_damaged_bytes_raise_value_error(index):
    data = index.to_bytes()
    for bad in (b"", b"garbage", data[:-5], data[:40], b"READERIX" + b"\xff" * 30):
        with pytest.raises(ValueError):
            SearchIndex.from_bytes(bad)


def test_untrusted_text_is_fine():
    idx = SearchIndex()
    body = "\x00\x1b[31m red\x1b[0m [bold]markup[/bold] " + "w" * 100_000 + " \ud800 end"
    idx.add(art("u", "\x00weird\x1b title", tags=["bad\udcff tag"], author="\ud800"), body)
    assert search(idx, "red markup end") == {"u"}
    assert search(idx, "weird") == {"u"}
    copy = SearchIndex.from_bytes(idx.to_bytes())
    assert copy.search(parse_query("end")) == {"u"}
    assert copy.search(parse_query('tag:"bad tag"')) == {"u"}


def test_many_articles_bitsets_purge_and_slot_reuse():
    idx = SearchIndex()
    for i in range(400):
        words = f"common word{i} group{i % 3}"
        idx.add(art(f"id{i}", f"Title {i}", tags=[f"t{i % 2}"]), words)
    assert search(idx, "common") == {f"id{i}" for i in range(400)}
    assert search(idx, "group1 tag:t0") == {
        f"id{i}" for i in range(400) if i % 3 == 1 and i % 2 == 0
    }
    assert search(idx, "word39") == {"id39"} | {f"id{i}" for i in range(390, 400)}
    for i in range(350):  # enough dead slots to trigger a purge
        idx.remove(f"id{i}")
    assert not idx._dead or len(idx._dead) < 256
    assert search(idx, "common") == {f"id{i}" for i in range(350, 400)}
    for i in range(300):  # reuses purged slots
        idx.add(art(f"new{i}", "Fresh"), f"fresh{i} common")
    assert len(idx._ids) < 800
    assert search(idx, "word1") == {f"id{i}" for i in range(350, 400) if str(i).startswith("1")}
    assert len(search(idx, "common")) == 350
    assert search(idx, "fresh29") == {"new29"} | {f"new{i}" for i in range(290, 300)}
    copy = SearchIndex.from_bytes(idx.to_bytes())
    assert search(copy, "common") == search(idx, "common")


# -- the index agrees with a brute-force reading of every article ------------------------

_VOCAB = ["tram", "trams", "train", "stop", "bus", "café", "cafe", "x", "naïve", "lisbon"]
_TAGS = ["red", "blue", "Green"]


def _reference(query: Query, articles: dict[str, Article], bodies: dict[str, str]) -> set[str]:
    found = set()
    for aid, article in articles.items():
        if not matches_metadata(query, article):
            continue
        meta = [article.title, article.summary, article.author, article.site, *article.tags]
        words = unique_tokens("\n".join(f for f in meta if f)) | unique_tokens(bodies[aid])
        if not all(any(w.startswith(q) for w in words) for q in query.words):
            continue
        if any(w in words for w in query.not_words):
            continue
        text = fold(f"{article.title}\n{article.summary or ''}\n{bodies[aid]}")
        if not all(phrase_regex(p.split(" ")).search(text) for p in query.phrases):
            continue
        found.add(aid)
    return found


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), queries=st.lists(st.text(max_size=30), max_size=5))
def test_index_agrees_with_brute_force(seed, queries):
    rng = random.Random(seed)
    idx = SearchIndex()
    articles: dict[str, Article] = {}
    bodies: dict[str, str] = {}

    def put(aid: str) -> None:
        article = art(
            aid,
            " ".join(rng.choices(_VOCAB, k=2)),
            author=rng.choice([None, "Ana Sousa", "Bob"]),
            tags=rng.sample(_TAGS, rng.randrange(3)),
            bookmarked=rng.random() < 0.3,
            read=rng.random() < 0.5,
            highlight_count=rng.choice([0, 0, 1]),
        )
        articles[aid] = article
        bodies[aid] = " ".join(rng.choices(_VOCAB, k=rng.randrange(0, 12)))
        idx.add(article, bodies[aid])

    for i in range(rng.randrange(20, 160)):  # more than 64: some postings become bitsets
        put(f"a{i}")
    for aid in rng.sample(sorted(articles), len(articles) // 4):
        idx.remove(aid)
        del articles[aid], bodies[aid]
    for aid in rng.sample(sorted(articles), len(articles) // 4):
        put(aid)
    if rng.random() < 0.5:
        idx = SearchIndex.from_bytes(idx.to_bytes())

    def phrase_text(aid: str) -> str:
        a = articles[aid]
        return f"{a.title}\n{a.summary or ''}\n{bodies[aid]}"

    texts = [*queries, "tra", "tram -trams", '"tram stop"', "cafe tag:red", "is:unread -tag:blue"]
    texts += ["naive", "x", "has:highlights author:sou", "t"]
    for text in texts:
        q = parse_query(text)
        got = idx.search(q, phrase_text=phrase_text)
        if q.is_empty():
            assert got is None
        else:
            assert got == _reference(q, articles, bodies), text

"""The search index file beside the library: saved, loaded, caught up incrementally, and
ignored (then rebuilt) when damaged; ``list --search`` and imports keep it up to date."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from reader.cli import cli
from reader.ingest.batch import import_paths
from reader.models import ParsedArticle
from reader.search import index_cache
from reader.search.query import parse_query
from reader.store import Library
from reader.tui.library_view import LibraryView

TEXTS = {
    "Harbour tram": "The harbour tram passed its safety test on a windy morning.",
    "Lighthouse": "Volunteers relit the lighthouse; the keeper climbed the stairs.",
    "Rates": "The central bank held rates and spoke of herring exports.",
}


@pytest.fixture
def library(tmp_path: Path) -> Library:
    lib = Library(tmp_path / "lib.json")
    for title, body in TEXTS.items():
        lib.add_parsed(ParsedArticle(title=title, markdown=body))
    return lib


def ids(lib: Library) -> dict[str, str]:
    return {a.title: a.id for a in lib.articles()}


def found(cached: index_cache.CachedIndex, lib: Library, text: str) -> set[str]:
    articles = lib.article_map()
    result = cached.index.search(parse_query(text), articles)
    assert result is not None
    return {articles[i].title for i in result}


class CountingBodies:
    """``library.body`` that remembers which bodies were read."""

    def __init__(self, lib: Library) -> None:
        self.lib = lib
        self.read: list[str] = []

    def __call__(self, article_id: str) -> str | None:
        self.read.append(article_id)
        return self.lib.body(article_id)


def test_saved_beside_the_library_and_loaded_back(library: Library) -> None:
    path = index_cache.index_path(library.path)
    assert path == library.path.with_name("lib.index")
    index_cache.load_or_build(library)
    assert path.exists()
    loaded = index_cache.load(path)
    assert loaded is not None
    assert sorted(loaded.index.ids()) == sorted(ids(library).values())
    assert found(loaded, library, "keeper") == {"Lighthouse"}
    # Nothing changed: catching up reads no body.
    bodies = CountingBodies(library)
    stats = index_cache.sync(loaded, library.article_map(), bodies)
    assert bodies.read == [] and stats.indexed == stats.updated == stats.removed == 0


def test_sync_after_add_remove_and_tag_change(library: Library) -> None:
    index_cache.load_or_build(library)
    added = library.add_parsed(
        ParsedArticle(title="Ferry", markdown="The island ferry sails.")
    ).article
    library.remove(ids(library)["Rates"])
    library.set_tags(ids(library)["Harbour tram"], ["transport"])
    cached = index_cache.load(index_cache.index_path(library.path))
    assert cached is not None
    bodies = CountingBodies(library)
    stats = index_cache.sync(cached, library.article_map(), bodies)
    assert bodies.read == [added.id]  # only the new article's body is read
    assert (stats.indexed, stats.updated, stats.removed) == (1, 1, 1)
    assert found(cached, library, "ferry") == {"Ferry"}
    assert found(cached, library, "herring") == set()
    assert found(cached, library, "tag:transport") == {"Harbour tram"}
    assert "Rates" not in {library.get(i).title for i in cached.index.ids()}


def test_budget_leaves_the_rest_for_later_and_a_later_sync_finishes(library: Library) -> None:
    cached = index_cache.CachedIndex()
    stats = index_cache.sync(cached, library.article_map(), library.body, budget=-1)
    assert stats.pending == len(TEXTS) and not stats.complete
    # Meanwhile the unindexed articles still match on their metadata (title).
    assert found(cached, library, "lighthouse") == {"Lighthouse"}
    stats = index_cache.sync(cached, library.article_map(), library.body)
    assert stats.complete and stats.indexed == len(TEXTS)
    assert found(cached, library, "keeper") == {"Lighthouse"}


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: b"garbage",
        lambda data: data[: len(data) // 2],
        lambda data: data[:40] + bytes(40) + data[80:],
        lambda data: b"",
        lambda data: data.replace(b"READERIC", b"READERIX", 1),
    ],
)
def test_a_damaged_file_is_ignored_and_rebuilt(library: Library, damage) -> None:
    path = index_cache.index_path(library.path)
    index_cache.load_or_build(library)
    path.write_bytes(damage(path.read_bytes()))
    cached = index_cache.load_or_build(library)  # never raises
    assert found(cached, library, "keeper") == {"Lighthouse"}
    reloaded = index_cache.load(path)
    assert reloaded is not None and len(reloaded.index) == len(TEXTS)


def test_another_librarys_index_is_replaced(library: Library, tmp_path: Path) -> None:
    other = Library(tmp_path / "other.json")
    other.add_parsed(ParsedArticle(title="Elsewhere", markdown="Nothing about keepers here."))
    index_cache.load_or_build(other)
    index_cache.index_path(other.path).replace(index_cache.index_path(library.path))
    cached = index_cache.load_or_build(library)
    assert sorted(cached.index.ids()) == sorted(ids(library).values())
    assert found(cached, library, "keeper") == {"Lighthouse"}


def test_library_view_uses_the_saved_index(library: Library) -> None:
    view = LibraryView(library)
    view.build_index()
    assert index_cache.index_path(library.path).exists()
    view.set_query("herring")
    assert [a.title for a in view.rows] == ["Rates"]
    # A bookmark noted by the view reaches the index: is:bookmarked answers from it.
    changed = library.set_bookmarked(ids(library)["Lighthouse"], True)
    view.note_changed(changed)
    view.set_query("is:bookmarked")
    assert [a.title for a in view.rows] == ["Lighthouse"]


def test_import_paths_indexes_the_new_articles(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for n in range(index_cache.rewrite_threshold(0)):
        (folder / f"walrus{n}.txt").write_text(
            f"Walrus census {n}\n\nThe colony grew by {n}.", "utf-8"
        )
    (folder / "puffin.txt").write_text("Puffin count\n\nThe puffins nest.", "utf-8")
    lib = Library(tmp_path / "lib.json")
    outcomes = import_paths(lib, [folder], workers=1)
    assert {o.status for o in outcomes} == {"added"}
    cached = index_cache.load(index_cache.index_path(lib.path))
    assert cached is not None
    assert sorted(cached.index.ids()) == sorted(o.id for o in outcomes)
    assert found(cached, lib, "puffins") == {"Puffin count"}


def test_a_small_import_leaves_the_index_file_to_the_next_reader(tmp_path: Path) -> None:
    """Rewriting the whole index file for a few articles costs more (about 0.5 s and
    200 MB at 50,000 articles) than each reader indexing them from their bodies."""
    db = tmp_path / "lib.json"
    lib = Library(db)
    lib.add_parsed(ParsedArticle(title="Walrus census", markdown="The colony grew."))
    index_cache.load_or_build(lib)
    path = index_cache.index_path(db)
    before = path.read_bytes()
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "puffin.txt").write_text("Puffin count\n\nThe puffins nest.", "utf-8")
    outcomes = import_paths(lib, [folder], workers=1)
    assert [o.status for o in outcomes] == ["added"]
    assert path.read_bytes() == before  # left alone
    lib.close()
    result = CliRunner().invoke(cli, ["--db", str(db), "list", "--search", "puffins", "--json"])
    assert result.exit_code == 0, result.output
    assert [a["title"] for a in json.loads(result.stdout)] == ["Puffin count"]
    assert path.read_bytes() == before  # one article: redone by each reader, not rewritten


def test_a_reader_rewrites_the_index_file_once_enough_bodies_changed(tmp_path: Path) -> None:
    assert index_cache.rewrite_threshold(1_000) == 8
    assert index_cache.rewrite_threshold(50_000) == 50
    db = tmp_path / "lib.json"
    lib = Library(db)
    lib.add_parsed(ParsedArticle(title="Walrus census", markdown="The colony grew."))
    index_cache.load_or_build(lib)
    path = index_cache.index_path(db)
    for n in range(index_cache.rewrite_threshold(len(lib)) - 1):
        lib.add_parsed(ParsedArticle(title=f"Note {n}", markdown=f"Puffin note {n}."))
    index_cache.load_or_build(lib)
    cached = index_cache.load(path)
    assert cached is not None and len(cached.index) == 1  # seven behind: not rewritten
    lib.add_parsed(ParsedArticle(title="Last", markdown="Puffin note, the eighth."))
    index_cache.load_or_build(lib)
    cached = index_cache.load(path)
    assert cached is not None and len(cached.index) == len(lib)  # eight: rewritten
    lib.close()


def test_cli_list_search_uses_and_updates_the_index(tmp_path: Path) -> None:
    db = tmp_path / "lib.json"
    runner = CliRunner()

    def search(word: str) -> list[str]:
        result = runner.invoke(
            cli, ["--db", str(db), "list", "--search", word, "--json"], catch_exceptions=False
        )
        assert result.exit_code == 0
        return [a["title"] for a in json.loads(result.stdout)]

    lib = Library(db)
    lib.add_parsed(ParsedArticle(title="Walrus census", markdown="The colony grew."))
    lib.close()
    path = index_cache.index_path(db)
    assert not path.exists()
    assert search("colony") == ["Walrus census"]
    assert path.exists()  # built once, kept
    # An article added behind the index's back is caught up by the next search (and
    # indexed again by each one until enough changed to rewrite the file).
    lib = Library(db)
    lib.add_parsed(ParsedArticle(title="Puffins", markdown="The colony of puffins."))
    assert sorted(search("colony")) == ["Puffins", "Walrus census"]
    cached = index_cache.load(path)
    assert cached is not None and len(cached.index) == 1
    # The saved index is what answers: a body word only the index knows is found.
    cached.index.add(lib.get(ids(lib)["Puffins"]), "zanzibar")
    cached.fingerprints[ids(lib)["Puffins"]] = index_cache.fingerprint(lib.get(ids(lib)["Puffins"]))
    index_cache.save(cached, path)
    assert search("zanzibar") == ["Puffins"]


def test_select_in_order_agrees_with_search(tmp_path: Path) -> None:
    import random

    from reader.search.index import SearchIndex

    rnd = random.Random(7)
    words = ["tram", "harbour", "keeper", "lighthouse", "rates", "herring", "ferry", "stairs"]
    lib = Library(tmp_path / "lib.json")
    for n in range(60):
        body = " ".join(rnd.choice(words) for _ in range(8))
        article = lib.add_parsed(
            ParsedArticle(title=f"Article {n} {rnd.choice(words)}", markdown=body)
        ).article
        if n % 3 == 0:
            lib.set_tags(article.id, [rnd.choice(["city", "sea"])])
        if n % 4 == 0:
            lib.set_bookmarked(article.id, True)
    articles = lib.articles()
    index = SearchIndex()
    for article in articles[:50]:  # the last ten are unknown to the index
        index.add(article, lib.body(article.id))
    index.remove(articles[0].id)
    order = list(reversed(articles))
    table = index.slot_table([a.id for a in order])
    amap = {a.id: a for a in articles}

    def phrase_text(article_id: str) -> str:
        return f"{amap[article_id].title}\n{lib.body(article_id)}"

    queries = ['"keeper stairs"', "is:bookmarked", "-tag:city", "article"]
    queries += [rnd.choice(words)[:3] for _ in range(5)] + ["tag:sea tram", "-ferry"]
    for text in queries:
        query = parse_query(text)
        ids = index.search(query, amap, phrase_text)
        assert ids is not None
        expected = [a for a in order if a.id in ids]
        assert index.select(query, order, table, phrase_text) == expected, text

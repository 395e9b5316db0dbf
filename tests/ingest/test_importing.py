"""Importing in worker processes: the workers prepare each body (``prepare_body``) and find
its index words, and the result (library and index file) is exactly a serial import's."""

from __future__ import annotations

import json
import multiprocessing
import os
import random
import re
from pathlib import Path

import pytest

from reader.errors import ReaderError
from reader.ingest import batch as importing
from reader.ingest.batch import POOL_THRESHOLD, import_paths
from reader.ingest.importers import find_importable, parse_file
from reader.models import ParsedArticle
from reader.sanitize import clean_text, text_is_clean
from reader.search import index_cache
from reader.search.index import SearchIndex
from reader.search.query import parse_query
from reader.store import Library
from reader.store.library import count_words, prepare_body
from reader.text.tokens import joined_unique_tokens, unique_tokens

PLACES = ["harbour", "Kraków", "lighthouse", "Zürich", "ferry", "Ørsted", "tram", "café"]


def write_pages(folder: Path, count: int) -> Path:
    """Small pages of our own writing: HTML, Markdown and text, some non-ASCII, one
    duplicate body, one with control characters, one with an empty body, one empty file."""
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        place, other = PLACES[n % len(PLACES)], PLACES[(n * 3 + 1) % len(PLACES)]
        words = f"The {place} story number {n} mentions the {other} twice: {other}."
        if n % 3 == 0:
            (folder / f"page-{n:03d}.html").write_text(
                f"<html><head><title>Page {n} about {place}</title></head><body><article>"
                f"<h1>Page {n} about {place}</h1><p>{words}</p><p>Second paragraph {n}, "
                f"with <em>emphasis</em> and a_snake_word.</p></article></body></html>",
                encoding="utf-8",
            )
        elif n % 3 == 1:
            (folder / f"note-{n:03d}.md").write_text(
                f"# Note {n}\n\n{words}\n\n- item {place}\n- item e-mail\n", encoding="utf-8"
            )
        else:
            (folder / f"text-{n:03d}.txt").write_text(
                f"Text {n}\n\n{words}\r\nLine two.\n", encoding="utf-8"
            )
    (folder / "dup-a.txt").write_text("Dup A\n\nSame body in two files, word for word.\n")
    (folder / "dup-b.txt").write_text("Dup B\n\nSame body in two files,  word for word.\n")
    (folder / "controls.txt").write_text(
        "Controls\n\nBell\x07 and \x1b[31mred\x1b[0m and zero\u200bwidth.\n"
    )
    (folder / "title-only.txt").write_text("Only a title\n")
    (folder / "empty.txt").write_text("")  # an error: nothing to import
    return folder


def import_into(folder: Path, lib_path: Path, workers: int) -> tuple[list, bytes]:
    with Library(lib_path) as lib:
        outcomes = import_paths(lib, [folder], workers=workers)
    data = index_cache.index_path(lib_path).read_bytes()
    return [(o.path, o.status, o.id, o.title, o.error) for o in outcomes], data


@pytest.mark.parametrize(
    "alphabet",
    [
        "ab_Z09 \t\n-.,;:!?'\"()[]{}*#/\\\x00\x7f",
        "ab_ 9-.\n\u00e9\u00b7\u201c\u201d\u00a0\u2003\u0301\u4e2d\U0001f600\ud800\u0663\u00b2",
    ],
)
def test_count_words_counts_like_the_pattern(alphabet: str) -> None:
    rng = random.Random(7)
    for _ in range(600):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 60)))
        assert count_words(text) == len(re.findall(r"\w+", text)), repr(text)
    assert count_words("snake_case e-mail 42") == 4
    assert count_words("“Zürich” café·bar, naïve 中文") == 5
    assert count_words("x" * 200_000 + "é " + "y" * 100_000) == 2  # one huge line
    assert count_words("é-ü " * 300 + "snake_case") == 601  # mostly non-ASCII: split
    assert count_words("“a” " * 300) == 300


@pytest.mark.parametrize(
    "alphabet",
    [
        "ab_Z09 \t\n-.,;:!?'\"()[]{}*#/\\\x00\x7f",
        "ab_ 9-.\n\u00e9\u00c9\u00df\ufb01\uff2b\u0130\u0131\u01c5\u00bd\u201c\u2014"
        "\u0301\u200b\ud800\u00c5\u212b\u4e2d\U0001f600\u0663",
    ],
)
def test_joined_unique_tokens_are_the_unique_tokens(alphabet: str) -> None:
    rng = random.Random(11)
    for n in range(600):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 60)))
        if n % 5 == 0:  # words longer than MAX_TOKEN_LEN, ASCII and not
            text += (
                " " + "x" * rng.randint(60, 70) + " " + "\u00e9" * rng.randint(60, 70) + "b" * 70
            )
        joined = joined_unique_tokens(text)
        words = joined.split("\n") if joined else []
        assert len(words) == len(set(words)), repr(text)
        assert set(words) == unique_tokens(text), repr(text)
    assert joined_unique_tokens("") == ""


def test_prepare_body_cleans_like_clean_text() -> None:
    """``prepare_body`` skips ``clean_text`` only when it would change nothing."""
    points = [*range(0x3000), *range(0xD7F0, 0xE010), *range(0xFB00, 0x10000), 0x1F600, 0xE0001]
    for point in points:
        for text in (chr(point), f"a{chr(point)}b \u201cq\u201d"):
            assert text_is_clean(text) == (clean_text(text) == text), hex(point)
    rng = random.Random(5)
    alphabet = "ab \t\n\r\x00\x1b\x7f\x85\u00e9\u200b\u202e\u2028\u2066\ufeff\u061c\u201c"
    for _ in range(500):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 30)))
        assert prepare_body(text).body == clean_text(text).strip() + "\n", repr(text)


def test_add_parsed_with_prepared_stores_what_it_would_compute(tmp_path: Path) -> None:
    markdown = "  Bell\x07 text\r\nwith Zürich\u200b words  \n\n"
    prepared = prepare_body(markdown)
    assert prepared.body == "Bell text\nwith Zürich words\n"
    with Library(tmp_path / "a.json") as a, Library(tmp_path / "b.json") as b:
        plain = a.add_parsed(ParsedArticle(title="T", markdown=markdown)).article
        given = b.add_parsed(
            ParsedArticle(title="T", markdown="ignored"), prepared=prepared
        ).article
        assert (plain.id, plain.content_hash, plain.word_count) == (
            given.id,
            prepared.content_hash,
            prepared.word_count,
        )
        assert a.body(plain.id) == b.body(given.id) == prepared.body
        # A body already stored (same hash) is a duplicate either way.
        again = b.add_parsed(ParsedArticle(title="U", markdown="x"), prepared=prepared)
        assert again.status == "duplicate"


def test_search_index_add_with_tokens_equals_add_with_body() -> None:
    from reader.models import Article

    article = Article(id="abcd1234", title="Tram news", tags=["city"])
    body = "The Zürich tram: e-mail, snake_word and a " + "x" * 80 + "\n"
    one, two = SearchIndex(), SearchIndex()
    one.add(article, body)
    two.add(article, body_tokens=list(unique_tokens(body)))
    assert one.to_bytes() == two.to_bytes()
    # Many articles (words held once, as a few slots and as bitsets), words given as a
    # list with repeats: the same index as from the bodies.
    many_one, many_two = SearchIndex(), SearchIndex()
    for n in range(150):
        other = Article(id=f"{n:08x}", title=f"Title {n % 7}")
        text = f"common word{n % 3} rare{n} every{n % 40} Zürich{n % 2}\n"
        many_one.add(other, text)
        tokens = list(unique_tokens(text))
        many_two.add(other, body_tokens=tokens + tokens[::-1])
    many_one.remove(f"{5:08x}")
    many_two.remove(f"{5:08x}")
    assert many_one.to_bytes() == many_two.to_bytes()
    empty_one, empty_two = SearchIndex(), SearchIndex()
    empty_one.add(article, "\n")
    empty_two.add(article, body_tokens=[])
    assert empty_one.to_bytes() == empty_two.to_bytes()


def test_parallel_import_stores_and_indexes_exactly_what_a_serial_one_does(
    tmp_path: Path,
) -> None:
    folder = write_pages(tmp_path / "pages", POOL_THRESHOLD + 24)
    serial_out, serial_index = import_into(folder, tmp_path / "s" / "lib.json", workers=1)
    parallel_out, parallel_index = import_into(folder, tmp_path / "p" / "lib.json", workers=2)
    assert serial_out == parallel_out
    statuses = [o[1] for o in serial_out]
    assert statuses.count("duplicate") == 1 and statuses.count("error") == 1
    assert parallel_index == serial_index
    with Library(tmp_path / "s" / "lib.json") as s, Library(tmp_path / "p" / "lib.json") as p:
        assert [(a.id, a.title, a.word_count, a.content_hash) for a in s.articles()] == [
            (a.id, a.title, a.word_count, a.content_hash) for a in p.articles()
        ]
        assert all(s.body(a.id) == p.body(a.id) for a in s.articles())
        # The workers wrote the bodies; nothing of their staging folder is left, and the
        # duplicate's staged body was not stored.
        stored = sorted(f.name for f in p.bodies.folder.iterdir())
        assert stored == sorted(f"{a.id}.md" for a in p.articles())
        # The index made from the workers' words equals one rebuilt from the stored bodies.
        index_file = index_cache.index_path(p.path)
        index_file.unlink()
        rebuilt = index_cache.load_or_build(p)
        assert index_file.read_bytes() == parallel_index
        loaded = index_cache.load(index_file)
        assert loaded is not None
        articles = p.article_map()
        for text in ("zurich", "krak", "snake", "bell red", "emphasis", "mail", "twice"):
            query = parse_query(text)
            hits = loaded.index.search(query, articles)
            assert hits, text
            assert hits == rebuilt.index.search(query, articles)


def test_import_indexes_new_articles_without_reading_their_bodies(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = write_pages(tmp_path / "pages", POOL_THRESHOLD + 4)
    reads: list[str] = []
    real_read = Library.body

    def counting(self: Library, article_id: str) -> str | None:
        reads.append(article_id)
        return real_read(self, article_id)

    monkeypatch.setattr(Library, "body", counting)
    with Library(tmp_path / "lib.json") as lib:
        outcomes = import_paths(lib, [folder], workers=2)
        added = [o.id for o in outcomes if o.status == "added"]
        cached = index_cache.load(index_cache.index_path(lib.path))
        assert cached is not None
        assert sorted(cached.index.ids()) == sorted(added)
        assert cached.index.search(parse_query("lighthouse"), lib.article_map())
    assert reads == []


def test_sync_reads_the_body_when_the_known_words_are_for_another_hash(
    tmp_path: Path,
) -> None:
    with Library(tmp_path / "lib.json") as lib:
        article = lib.add_parsed(ParsedArticle(title="T", markdown="Real words here.")).article
        cached = index_cache.CachedIndex()
        reads: list[str] = []

        def body(article_id: str) -> str | None:
            reads.append(article_id)
            return lib.body(article_id)

        stale = {article.id: ("0" * 16, ["stale"])}
        index_cache.sync(cached, lib.article_map(), body, tokens=stale)
        assert reads == [article.id]
        assert cached.index.search(parse_query("stale"), lib.article_map()) == set()
        assert cached.index.search(parse_query("real"), lib.article_map()) == {article.id}
        fresh = index_cache.CachedIndex()
        right = {article.id: (article.content_hash, ["chosen"])}
        index_cache.sync(fresh, lib.article_map(), body, tokens=right)
        assert reads == [article.id]  # not read again: the words were given
        assert fresh.index.search(parse_query("chosen"), lib.article_map()) == {article.id}


def test_import_into_a_library_whose_index_is_behind_catches_it_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(index_cache, "rewrite_threshold", lambda articles: 2)  # 2 files
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "a.md").write_text("# Ferry\n\nThe island ferry sails at dawn.\n")
    (folder / "b.md").write_text("# Tram\n\nThe harbour tram runs late.\n")
    with Library(tmp_path / "lib.json") as lib:
        old = [
            lib.add_parsed(ParsedArticle(title=f"Old {n}", markdown=f"old text {n}")).article
            for n in range(3)
        ]
        index_cache.load_or_build(lib)  # the index file knows the three
        lib.remove(old[0].id)  # ... and is now behind the library
        lib.set_tags(old[1].id, ["kept"])
        outcomes = import_paths(lib, [folder], workers=1)
        assert [o.status for o in outcomes] == ["added", "added"]
        cached = index_cache.load(index_cache.index_path(lib.path))
        assert cached is not None
        articles = lib.article_map()
        assert sorted(cached.index.ids()) == sorted(articles)
        assert cached.fingerprints == {i: index_cache.fingerprint(a) for i, a in articles.items()}
        assert cached.index.search(parse_query("#kept"), articles) == {old[1].id}
        assert cached.index.search(parse_query("ferry"), articles) == {outcomes[0].id}


# -- the worker pool -----------------------------------------------------------------------
needs_fork = pytest.mark.skipif(
    multiprocessing.get_start_method() != "fork",
    reason="the test patches the parser before the workers are forked",
)


def _pages(tmp_path: Path, count: int) -> list[str]:
    folder = write_pages(tmp_path / "pages", count)
    return [str(p) for p in find_importable([folder])]


def test_pool_yields_every_result_in_order_and_stops_its_workers(tmp_path: Path) -> None:
    paths = _pages(tmp_path, 60)
    serial = [importing._parse_one(p) for p in paths]
    pool = importing._WorkerPool(paths, 2)
    processes = [w.process for w in pool.workers]
    try:
        pooled = list(pool.results())
    finally:
        pool.close()
    assert pooled == serial
    assert not any(p.is_alive() for p in processes)


def test_pool_stopped_early_stops_its_workers(tmp_path: Path) -> None:
    paths = _pages(tmp_path, 60)
    pool = importing._WorkerPool(paths, 2)
    processes = [w.process for w in pool.workers]
    stream = pool.results()
    first = next(stream)
    pool.close()
    assert first == importing._parse_one(paths[0])
    assert not any(p.is_alive() for p in processes)


@needs_fork
def test_the_storing_process_is_one_of_the_workers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two workers are one forked process plus the storing process, which parses while
    it would wait: two processes on two cores, not three."""
    paths = _pages(tmp_path, 80)
    serial = [importing._parse_one(p) for p in paths]
    parsers = tmp_path / "parsers.txt"

    def parse(path: str) -> ParsedArticle:
        with parsers.open("a", encoding="utf-8") as out:
            out.write(f"{os.getpid()}\n")
        return parse_file(path)

    monkeypatch.setattr(importing, "parse_file", parse)
    pool = importing._WorkerPool(paths, 2)
    forked = {w.process.pid for w in pool.workers}
    try:
        pooled = list(pool.results())
    finally:
        pool.close()
    assert len(forked) == 1
    assert pooled == serial
    pids = parsers.read_text(encoding="utf-8").split()
    assert len(pids) == len(paths)
    assert {int(p) for p in pids} == forked | {os.getpid()}


@needs_fork
@pytest.mark.parametrize("where", ["worker", "storing process"])
def test_an_unexpected_error_in_a_parse_is_raised_by_the_import_and_stops_the_worker(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    paths = _pages(tmp_path, POOL_THRESHOLD + 8)
    # The forked worker is handed the first tasks; the storing process, waiting for the
    # first result, parses the next one (files 12-15: tasks are 4 files).
    bad = paths[5] if where == "worker" else paths[12]
    failed_in: list[int] = []

    def parse(path: str) -> ParsedArticle:
        if path == bad:
            failed_in.append(os.getpid())
            raise ZeroDivisionError("a bug in a parser")
        return parse_file(path)

    monkeypatch.setattr(importing, "parse_file", parse)
    with Library(tmp_path / "lib.json") as lib, pytest.raises(ZeroDivisionError, match="a bug"):
        import_paths(lib, paths, workers=2)
    assert (failed_in == [os.getpid()]) == (where == "storing process")
    assert multiprocessing.active_children() == []


@needs_fork
def test_a_worker_that_dies_makes_the_import_fail_with_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = _pages(tmp_path, POOL_THRESHOLD + 8)
    bad = paths[5]

    def parse(path: str) -> ParsedArticle:
        if path == bad:
            os._exit(3)
        return parse_file(path)

    monkeypatch.setattr(importing, "parse_file", parse)
    with Library(tmp_path / "lib.json") as lib:
        with pytest.raises(ReaderError, match="worker process stopped"):
            import_paths(lib, paths, workers=2)
        stored = len(lib.articles())
    assert stored < len(paths)  # what was stored before the failure stays stored


# -- the store's write path as an import uses it ---------------------------------------------
def test_a_stored_record_is_the_article_as_a_dict(tmp_path: Path) -> None:
    lib_path = tmp_path / "lib.json"
    with Library(lib_path) as lib:
        with lib.batch():
            added = lib.add_parsed(
                ParsedArticle(title="Ferry", markdown="The ferry.", tags=["b", "a"]),
                tags=["c"],
            ).article
        lib.set_bookmarked(added.id, True)
        lib.compact()
        article = lib.get(added.id)
    record = json.loads(lib_path.read_text(encoding="utf-8"))["articles"][added.id]
    expected = article.to_dict()
    del expected["id"]
    assert record == expected
    assert list(record) == list(expected)


def test_writes_inside_a_batch_reach_the_disk_when_the_batch_ends(tmp_path: Path) -> None:
    lib_path = tmp_path / "lib.json"
    journal = lib_path.with_name(lib_path.name + ".journal")
    with Library(lib_path) as lib:
        lib.add_parsed(ParsedArticle(title="First", markdown="First body."))
        before = journal.read_bytes() if journal.exists() else b""
        with lib.batch():
            one = lib.add_parsed(ParsedArticle(title="One", markdown="Body one.")).article
            two = lib.add_parsed(ParsedArticle(title="Two", markdown="Body two.")).article
            lib.set_bookmarked(one.id, True)
            assert (journal.read_bytes() if journal.exists() else b"") == before
        with Library(lib_path) as other:
            assert {a.id for a in other.articles()} >= {one.id, two.id}
            assert other.get(one.id).bookmarked
            assert other.body(two.id) == "Body two.\n"


def test_an_import_stopped_by_its_caller_stops_the_workers(tmp_path: Path) -> None:
    paths = _pages(tmp_path, POOL_THRESHOLD + 40)

    def stop(outcome: object) -> None:
        raise KeyboardInterrupt

    with Library(tmp_path / "lib.json") as lib:
        try:
            import_paths(lib, paths, workers=2, on_outcome=stop)
        except KeyboardInterrupt as exc:
            stopped = exc  # its traceback keeps the import's frame (and generator) alive
        else:
            pytest.fail("the interrupt did not reach the caller")
        assert stopped.__traceback__ is not None
        assert multiprocessing.active_children() == []


def test_workers_write_the_bodies_they_prepare(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reader.store.bodies import BodyStore

    folder = write_pages(tmp_path / "pages", POOL_THRESHOLD + 4)
    staged: list[str | None] = []
    real_write = BodyStore.write

    def recording(self: BodyStore, article_id: str, markdown: str, **kw: object) -> None:
        staged.append(kw.get("staged"))  # type: ignore[arg-type]
        real_write(self, article_id, markdown, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(BodyStore, "write", recording)
    with Library(tmp_path / "lib.json") as lib:
        outcomes = import_paths(lib, [folder], workers=2)
        added = [o.id for o in outcomes if o.status == "added"]
        assert added and len(staged) == len(added)
        assert all(path is not None and ".import-" in path for path in staged)
        for outcome in outcomes:  # what was renamed into place is the prepared body
            if outcome.status == "added" and outcome.id:
                expected = prepare_body(parse_file(outcome.path).markdown).body
                assert lib.body(outcome.id) == expected
    assert not [f for f in (tmp_path / "lib.bodies").iterdir() if f.name.startswith(".")]


def test_an_import_clears_what_killed_imports_left_in_the_bodies_folder(tmp_path: Path) -> None:
    import os
    import time

    folder = write_pages(tmp_path / "pages", POOL_THRESHOLD + 2)
    bodies = tmp_path / "lib.bodies"
    old_stage, fresh_stage = bodies / ".import-old", bodies / ".import-fresh"
    old_stage.mkdir(parents=True)
    fresh_stage.mkdir()
    (old_stage / "3.md").write_text("left behind\n", encoding="utf-8")
    old_tmp = bodies / ".abc12345.md.999.tmp"
    old_tmp.write_text("half a body", encoding="utf-8")
    hours_ago = time.time() - 2 * 3600
    for path in (old_stage / "3.md", old_stage, old_tmp):
        os.utime(path, (hours_ago, hours_ago))
    with Library(tmp_path / "lib.json") as lib:
        import_paths(lib, [folder], workers=2)
    assert not old_stage.exists() and not old_tmp.exists()
    assert fresh_stage.exists()  # may be another import's, running now

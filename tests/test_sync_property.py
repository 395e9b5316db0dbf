"""Property test of ``reader sync``: random operations (add, tag, untag, bookmark,
reading position, highlight, edit a note, delete) on two or three replicas of a library,
synced in random orders through a local bare repository. However they ran, every replica
ends equal to the others and to the rules' result: a small model of the library (``Model``)
applies the same operations and merges by the rules of the README's table, written here
again in their plainest form, as the oracle."""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sync_support import add, converge, replicas, run_sync, shared_bytes

from reader.store import Library

URLS = 3  # articles every replica starts with; the random "add" also uses 3..4
TAGS = ("a", "b")

op = st.one_of(
    st.tuples(st.just("add"), st.integers(0, URLS + 1)),
    st.tuples(st.just("tag"), st.integers(0, URLS + 1), st.sampled_from(TAGS)),
    st.tuples(st.just("untag"), st.integers(0, URLS + 1), st.sampled_from(TAGS)),
    st.tuples(st.just("bookmark"), st.integers(0, URLS + 1), st.booleans()),
    st.tuples(st.just("position"), st.integers(0, URLS + 1), st.integers(0, 10)),
    st.tuples(st.just("highlight"), st.integers(0, URLS + 1)),
    st.tuples(st.just("note"), st.integers(0, 5)),
    st.tuples(st.just("delete"), st.integers(0, URLS + 1)),
    st.tuples(st.just("sync")),
)

Stamped = tuple[Any, int]  # (value, time of the change; 0: never changed)


@dataclass
class Replica:
    """One machine in the model: its articles and highlights, and the remote version it
    last synced with (the merge base of its next sync)."""

    articles: dict[int, dict[str, Any]] = field(default_factory=dict)
    highlights: dict[str, dict[str, Any]] = field(default_factory=dict)
    base: int = 0

    def state(self) -> tuple[dict, dict]:
        return self.articles, self.highlights


def fresh() -> dict[str, Any]:
    return {"tags": frozenset(), "bookmarked": (False, 0), "position": (0.0, 0)}


def later(base: Stamped | None, ours: Stamped, theirs: Stamped) -> Stamped:
    """The side that changed; both changed: the later (ties: the greater value)."""
    if base is not None and theirs == base:
        return ours
    if base is not None and ours == base:
        return theirs
    return max(ours, theirs, key=lambda s: (s[1], orjson.dumps(s[0])))


def merge(base: tuple[dict, dict], ours: tuple[dict, dict], theirs: tuple[dict, dict]):
    (ba, bh), (oa, oh), (ta, th) = base, ours, theirs
    articles: dict[int, dict[str, Any]] = {}
    revived: dict[int, int] = {}
    for k in oa.keys() | ta.keys():
        b, o, t = ba.get(k), oa.get(k), ta.get(k)
        if o is not None and t is not None:
            base_tags = b["tags"] if b else frozenset()
            if b is None:
                tags = o["tags"] | t["tags"]
            else:
                tags = (o["tags"] & t["tags"]) | (o["tags"] - base_tags) | (t["tags"] - base_tags)
            articles[k] = {"tags": tags}
            for name in ("bookmarked", "position"):
                articles[k][name] = later(b[name] if b else None, o[name], t[name])
            continue
        side, present, side_h = (0, o, oh) if o is not None else (1, t, th)
        if b is None:
            articles[k] = present
        elif any(h["k"] == k and hid not in bh for hid, h in side_h.items()):
            articles[k] = present  # deleted there, highlighted here: kept
            revived[k] = side
    highlights: dict[str, dict[str, Any]] = {}
    for hid in oh.keys() | th.keys():
        b, o, t = bh.get(hid), oh.get(hid), th.get(hid)
        if o is not None and t is not None:
            merged = {"k": o["k"], "note": later(b["note"] if b else None, o["note"], t["note"])}
        else:
            side, present = (0, o) if o is not None else (1, t)
            if b is not None and present == b and revived.get(present["k"]) != side:
                continue  # deleted there, untouched here
            merged = present
        if merged["k"] in articles:
            highlights[hid] = merged
    return articles, highlights


@dataclass
class Model:
    replicas: list[Replica]
    remote: list[tuple[dict, dict]] = field(default_factory=lambda: [({}, {})])
    clock: int = 0

    def tick(self) -> int:
        self.clock += 1
        return self.clock

    def sync(self, r: Replica) -> None:
        latest = len(self.remote) - 1
        merged = (
            r.state()
            if r.base == latest
            else merge(self.remote[r.base], r.state(), self.remote[latest])
        )
        r.articles, r.highlights = dict(merged[0]), dict(merged[1])
        self.remote.append((dict(r.articles), dict(r.highlights)))
        r.base = len(self.remote) - 1


def url(k: int) -> str:
    return f"https://example.org/{k}"


def apply(
    lib: Library, path: Path, step: tuple, model: Model, r: Replica, notes: list[int]
) -> None:
    """Do ``step`` on the real library and on the model's replica."""
    kind = step[0]
    if kind == "sync":
        lib.close()
        run_sync(path)
        model.sync(r)
        return
    if kind == "note":
        live = [h.id for h in lib.highlights()]
        if live:
            hid = live[step[1] % len(live)]
            notes[0] += 1
            lib.set_highlight_note(hid, f"note {notes[0]}")
            r.highlights[hid] = {**r.highlights[hid], "note": (f"note {notes[0]}", model.tick())}
        return
    k = step[1]
    found = lib.find_duplicate(url(k), None)
    if kind == "add":
        if found is None:
            add(lib, f"Article {k}", url(k), f"The text of article {k}. A second sentence.\n")
            r.articles[k] = fresh()
        return
    if found is None:
        return
    aid, article = found.id, r.articles[k]
    if kind == "tag":
        lib.add_tags(aid, [step[2]])
        r.articles[k] = {**article, "tags": article["tags"] | {step[2]}}
    elif kind == "untag":
        lib.remove_tags(aid, [step[2]])
        r.articles[k] = {**article, "tags": article["tags"] - {step[2]}}
    elif kind == "bookmark":
        lib.set_bookmarked(aid, step[2])
        r.articles[k] = {**article, "bookmarked": (step[2], model.tick())}
    elif kind == "position":
        lib.set_position(aid, step[2] / 10)
        r.articles[k] = {**article, "position": (step[2] / 10, model.tick())}
    elif kind == "highlight":
        notes[0] += 1
        hid = lib.add_highlight(aid, "A second sentence.", note=f"n{notes[0]}").id
        r.highlights[hid] = {"k": k, "note": (f"n{notes[0]}", 0)}
    elif kind == "delete":
        lib.remove(aid)
        del r.articles[k]
        r.highlights = {h: v for h, v in r.highlights.items() if v["k"] != k}


def view(path: Path) -> tuple[dict, dict, dict]:
    """What a replica holds, in the model's terms (and every article's body)."""
    with Library(path) as lib:
        articles, bodies = {}, {}
        by_id = {}
        for a in lib.articles():
            k = int(a.url.rsplit("/", 1)[1])
            by_id[a.id] = k
            articles[k] = (frozenset(a.tags), a.bookmarked, a.position, a.highlight_count)
            bodies[k] = lib.body(a.id) is not None
        highlights = {h.id: (by_id[h.article_id], h.note) for h in lib.highlights()}
    return articles, highlights, bodies


@pytest.mark.slow
@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    count=st.integers(2, 3),
    steps=st.lists(st.tuples(st.integers(0, 2), op), min_size=4, max_size=24),
)
def test_replicas_synced_in_any_order_converge_to_the_rules_result(
    count: int, steps: list[tuple[int, tuple]]
) -> None:
    root = Path(tempfile.mkdtemp(prefix="sync-prop-"))
    try:
        _, paths = replicas(root, count)
        model = Model([Replica() for _ in paths])
        notes = [0]
        start = [(0, ("add", k)) for k in range(URLS)]
        start += [(0, ("tag", k, tag)) for k in range(URLS) for tag in TAGS]
        steps = start + [(i, ("sync",)) for i in range(count)] * 2 + steps
        for who, step in steps:
            lib = Library(paths[who % count])
            try:
                apply(lib, paths[who % count], step, model, model.replicas[who % count], notes)
            finally:
                lib.close()
        converge(paths)
        for _ in range(2):
            for replica in model.replicas:
                model.sync(replica)
        first = shared_bytes(paths[0])
        assert all(shared_bytes(p) == first for p in paths[1:])  # converged
        articles, highlights, bodies = view(paths[0])
        assert all(view(p) == (articles, highlights, bodies) for p in paths[1:])
        want_articles, want_highlights = model.remote[-1]
        assert highlights == {hid: (h["k"], h["note"][0]) for hid, h in want_highlights.items()}
        assert articles == {
            k: (
                a["tags"],
                a["bookmarked"][0],
                a["position"][0],
                sum(1 for h in want_highlights.values() if h["k"] == k),
            )
            for k, a in want_articles.items()
        }
        assert all(bodies.values())
    finally:
        shutil.rmtree(root, ignore_errors=True)

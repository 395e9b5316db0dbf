"""The three-way merge of a large library in the time of its changes.

``merge_changed`` gives what ``merge.merge_states`` gives for the whole states, but parses
and merges only the records whose lines differ between base, ours and theirs, with the
records the rules tie to them (an article and its highlights), and keeps every other record
as ours holds it (equal on all three sides). A one-article change in 10,000 articles merges
a handful of records instead of 30,000. Every line of theirs that reaches the result is
parsed and cleaned (``shared_file.load_state``); the others are ours, or equal to ours.
"""

from __future__ import annotations

from reader.sync.merge import Merge, merge_states
from reader.sync.shared_file import State, dump_state, keyed_lines, state_of_lines

Key = tuple[str, str]


def _related(keys: set[Key], sides: list[dict[Key, bytes]], states: list[State]) -> set[Key]:
    """``keys`` with the highlights of their articles and the articles of their highlights,
    on any side."""
    articles = {k[1] for k in keys if k[0] == "articles"}
    for state in states:
        for hid, highlight in state["highlights"].items():
            if ("highlights", hid) in keys:
                articles.add(str(highlight.get("article_id") or ""))
    related = set(keys) | {("articles", aid) for aid in articles}
    for state in states:
        for hid, highlight in state["highlights"].items():
            if highlight.get("article_id") in articles:
                related.add(("highlights", hid))
    return {k for k in related if any(k in side for side in sides)}


def merge_changed(
    name: str, base_raw: bytes, ours: State, theirs_raw: bytes, ours_raw: bytes | None = None
) -> Merge:
    """Merge the shared files ``base_raw`` and ``theirs_raw`` (``name`` in errors) with the
    state ``ours`` (whose shared files are ``ours_raw``, when the caller has them): the
    whole merged state, as ``merge_states`` would give it."""
    base_lines = keyed_lines(f"{name} (base)", base_raw)
    theirs_lines = keyed_lines(name, theirs_raw)
    ours_lines = keyed_lines("this library", ours_raw or dump_state(ours))
    sides = [base_lines, ours_lines, theirs_lines]
    every = base_lines.keys() | ours_lines.keys() | theirs_lines.keys()
    changed = {
        k for k in every if not (base_lines.get(k) == ours_lines.get(k) == theirs_lines.get(k))
    }
    partial: list[State] = []
    for label, lines in (("base", base_lines), ("this library", ours_lines), (name, theirs_lines)):
        partial.append(state_of_lines(label, [lines[k] for k in changed if k in lines]))
    keys = _related(changed, sides, [partial[0], ours, partial[2]])
    if keys != changed:  # (only when a changed record ties to an unchanged one)
        partial = [
            state_of_lines(label, [lines[k] for k in keys if k in lines])
            for label, lines in (
                ("base", base_lines),
                ("this library", ours_lines),
                (name, theirs_lines),
            )
        ]
    merge = merge_states(*partial)
    state: State = {table: dict(docs) for table, docs in ours.items()}
    for table, doc_id in keys:
        state[table].pop(doc_id, None)
    for table, docs in merge.state.items():
        state[table].update(docs)
    merge.state = state
    return merge

"""What changed between two library states, counted and said in a few words
("3 added, 2 tagged, 1 highlight"): for commit messages and ``reader sync status``."""

from __future__ import annotations

from collections import Counter

from reader.sync.shared_file import State

# (counter key, singular, plural) in the order they are said
_LABELS = (
    ("added", "added", "added"),
    ("deleted", "deleted", "deleted"),
    ("tagged", "tagged", "tagged"),
    ("bookmarked", "bookmark", "bookmarks"),
    ("read", "read state", "read states"),
    ("title", "title", "titles"),
    ("position", "reading position", "reading positions"),
    ("fetched", "fetched", "fetched"),
    ("highlight", "highlight", "highlights"),
    ("unhighlighted", "highlight deleted", "highlights deleted"),
    ("note", "note", "notes"),
    ("feed", "feed change", "feed changes"),
)


def count_changes(old: State, new: State) -> Counter[str]:
    """How many of each kind of change lead from ``old`` to ``new``."""
    counts: Counter[str] = Counter()
    old_a, new_a = old["articles"], new["articles"]
    counts["added"] = len(new_a.keys() - old_a.keys())
    counts["deleted"] = len(old_a.keys() - new_a.keys())
    for aid in new_a.keys() & old_a.keys():
        before, after = old_a[aid], new_a[aid]
        if before == after:
            continue
        for name in ("bookmarked", "read", "title", "position"):
            counts[name] += before.get(name) != after.get(name)
        counts["tagged"] += before.get("tags") != after.get("tags")
        counts["fetched"] += before.get("content_hash") != after.get("content_hash")
    old_h, new_h = old["highlights"], new["highlights"]
    counts["highlight"] = len(new_h.keys() - old_h.keys())
    counts["unhighlighted"] = len(old_h.keys() - new_h.keys())
    counts["note"] = sum(
        old_h[h].get("note") != new_h[h].get("note") for h in new_h.keys() & old_h.keys()
    )
    old_f, new_f = old["feeds"], new["feeds"]
    counts["feed"] = sum(old_f.get(f) != new_f.get(f) for f in old_f.keys() | new_f.keys())
    return +counts


def describe(counts: Counter[str]) -> str:
    """``counts`` in words, e.g. "3 added, 2 tagged, 1 highlight" ("no changes")."""
    parts = [
        f"{counts[key]} {one if counts[key] == 1 else many}"
        for key, one, many in _LABELS
        if counts.get(key)
    ]
    return ", ".join(parts) or "no changes"

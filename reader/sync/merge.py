"""The three-way merge of two library states against their common base (pure: no I/O).

Rules (the README's table):

- articles by id; an article added on both sides under two ids with the same normalized
  URL, or the same text (content hash), becomes one (the smaller id);
- tags: added on either side are kept, removed on either side are removed;
- title, bookmark, read state, reading position: the side that changed wins; changed on
  both, the later change (the ``changed`` stamps; equal stamps: a fixed order of values);
- highlights by id, union; a note edited on both sides keeps the later; a highlight
  deleted on one side and untouched on the other is deleted (edited on the other: kept);
- an article deleted on one side and changed on the other is deleted, unless the other
  side added highlights to it: then it is kept with its highlights (``kept`` says so);
- the body follows the fields that describe it: a fetched body wins over none;
- feeds by id: the ``seen`` links merge like tags; an unsubscribe wins.

A ``Merge`` also says whose body each article takes (``bodies``), since bodies are files.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import orjson

from reader.store.library import STAMPED_FIELDS, normalize_url
from reader.sync.shared_file import State, empty_state

Doc = dict[str, Any]
OURS, THEIRS = "ours", "theirs"
BODY_FIELDS = ("content_hash", "word_count", "reading_minutes", "unfetched")
# Fields derived after the merge, or merged on their own, not compared as plain values.
_DERIVED = ("highlight_count", "changed")
_OTHER_ARTICLE_FIELDS = (
    "author",
    "site",
    "url",
    "source_path",
    "published",
    "added",
    "summary",
)


@dataclass(slots=True)
class Merge:
    """The merged state, whose body each article takes, and what the user should hear."""

    state: State
    # article id -> (the side whose body it takes, its id in ours, its id in theirs)
    bodies: dict[str, tuple[str, str | None, str | None]] = field(default_factory=dict)
    kept: list[str] = field(default_factory=list)  # titles kept for their new highlights


def _key(value: Any) -> bytes:
    """A fixed total order of JSON values (for ties that must give the same on every
    machine)."""
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)


def _pick(base: Any, ours: Any, theirs: Any, *, has_base: bool) -> Any:
    """The value of a field with no stamps: the side that changed it; changed on both,
    the greater value (non-empty before empty)."""
    if ours == theirs:
        return ours
    if has_base and ours == base:
        return theirs
    if has_base and theirs == base:
        return ours
    return max(ours, theirs, key=lambda v: (v not in (None, "", []), _key(v)))


def _pick_stamped(
    base: Doc | None, ours: Doc, theirs: Doc, name: str, stamps: str | None
) -> tuple[Any, str]:
    """(value, stamp) of a stamped field: the side that changed it, else the later."""

    def stamp_of(doc: Doc) -> str:
        found = doc.get(stamps, {}).get(name, "") if stamps else doc.get(name + "_at", "")
        return found if isinstance(found, str) else ""

    ours_value, theirs_value = ours.get(name), theirs.get(name)
    ours_stamp, theirs_stamp = stamp_of(ours), stamp_of(theirs)
    if base is not None:
        base_value, base_stamp = base.get(name), stamp_of(base)
        if theirs_value == base_value and theirs_stamp == base_stamp:
            return ours_value, ours_stamp
        if ours_value == base_value and ours_stamp == base_stamp:
            return theirs_value, theirs_stamp
    return max(
        ((ours_value, ours_stamp), (theirs_value, theirs_stamp)),
        key=lambda pair: (pair[1], _key(pair[0])),
    )


def _merge_sets(base: list[Any] | None, ours: list[Any], theirs: list[Any]) -> list[Any]:
    """Added on either side kept, removed on either side removed; in ours' order, then
    theirs' additions."""
    ours_set, theirs_set = set(ours), set(theirs)
    if base is None:
        keep = ours_set | theirs_set
    else:
        base_set = set(base)
        keep = (ours_set & theirs_set) | (ours_set - base_set) | (theirs_set - base_set)
    merged = [x for x in ours if x in keep]
    merged += [x for x in theirs if x in keep and x not in ours_set]
    return merged


def _merge_article(base: Doc | None, ours: Doc, theirs: Doc) -> tuple[Doc, str]:
    """The merged article, and the side whose body it takes."""
    has_base = base is not None
    merged: Doc = {}
    changed: dict[str, str] = {}
    for name in STAMPED_FIELDS:
        merged[name], stamp = _pick_stamped(base, ours, theirs, name, "changed")
        if stamp:
            changed[name] = stamp
    merged["tags"] = sorted(
        _merge_sets(base.get("tags", []) if base else None, ours["tags"], theirs["tags"])
    )
    body = [tuple(doc.get(k) for k in BODY_FIELDS) for doc in (ours, theirs)]
    base_body = tuple(base.get(k) for k in BODY_FIELDS) if base else None
    if body[0] == body[1] or (has_base and body[1] == base_body):
        side = OURS
    elif has_base and body[0] == base_body:
        side = THEIRS
    elif ours["unfetched"] != theirs["unfetched"]:
        side = THEIRS if ours["unfetched"] else OURS  # a fetched body wins over none
    else:
        side = OURS if _key(body[0]) >= _key(body[1]) else THEIRS
    merged.update(zip(BODY_FIELDS, body[0] if side == OURS else body[1], strict=True))
    for name in _OTHER_ARTICLE_FIELDS:
        values = [doc.get(name) for doc in (base or {}, ours, theirs)]
        if name == "added" and values[1] != values[2] and not has_base:
            merged[name] = min(v for v in values[1:] if isinstance(v, str))  # saved first
        else:
            merged[name] = _pick(*values, has_base=has_base)
    merged["highlight_count"] = 0
    merged["changed"] = dict(sorted(changed.items()))
    return merged, side


def _merge_highlight(base: Doc | None, ours: Doc, theirs: Doc) -> Doc:
    merged: Doc = {}
    for name in sorted({*ours, *theirs} - {"note", "note_at"}):
        values = [doc.get(name) for doc in (base or {}, ours, theirs)]
        merged[name] = _pick(*values, has_base=base is not None)
    merged["note"], stamp = _pick_stamped(base, ours, theirs, "note", None)
    if stamp:
        merged["note_at"] = stamp
    return merged


def _merge_feed(base: Doc | None, ours: Doc, theirs: Doc) -> Doc:
    merged: Doc = {}
    for name in sorted({*ours, *theirs} - {"seen", "entries_seen"}):
        values = [doc.get(name) for doc in (base or {}, ours, theirs)]
        if name == "last_refresh":
            merged[name] = (
                max(v for v in values[1:] if isinstance(v, str))
                if any(isinstance(v, str) for v in values[1:])
                else None
            )
        else:
            merged[name] = _pick(*values, has_base=base is not None)
    merged["seen"] = _merge_sets(
        base.get("seen", []) if base else None, ours.get("seen", []), theirs.get("seen", [])
    )
    merged["entries_seen"] = len(merged["seen"])
    return {k: v for k, v in merged.items() if v is not None}


def _identity_keys(doc: Doc) -> list[str]:
    keys = []
    url = normalize_url(doc.get("url"))
    if url:
        keys.append("u:" + url)
    if doc.get("content_hash") and not doc.get("unfetched"):
        keys.append("h:" + doc["content_hash"])
    return keys


def _rename(state: State, old: str, new: str) -> None:
    state["articles"][new] = state["articles"].pop(old)
    for highlight in state["highlights"].values():
        if highlight.get("article_id") == old:
            highlight["article_id"] = new


def _copy(state: State) -> State:
    copied = empty_state()
    for table, docs in state.items():
        copied[table] = {k: dict(v) for k, v in docs.items()}
    return copied


def _unify(base: State, ours: State, theirs: State) -> tuple[dict[str, str], dict[str, str]]:
    """Give the same article saved on both sides since the base one id (the smaller), in
    place. Returns, per side, merged id -> the id it had there."""
    ours_origin: dict[str, str] = {}
    theirs_origin: dict[str, str] = {}
    known = base["articles"]
    ours_new = {k: v for k, v in ours["articles"].items() if k not in known}
    theirs_new = {k: v for k, v in theirs["articles"].items() if k not in known}
    index: dict[str, str] = {}
    for aid in sorted(ours_new):
        if aid in theirs_new:
            continue
        for key in _identity_keys(ours_new[aid]):
            index.setdefault(key, aid)
    matched: set[str] = set()
    for tid in sorted(theirs_new):
        if tid in ours_new:
            continue
        oid = next((index[k] for k in _identity_keys(theirs_new[tid]) if k in index), None)
        if oid is None or oid in matched:
            continue
        matched.add(oid)
        target = min(oid, tid)
        if oid != target:
            _rename(ours, oid, target)
        if tid != target:
            _rename(theirs, tid, target)
        ours_origin[target], theirs_origin[target] = oid, tid
    return ours_origin, theirs_origin


def merge_states(base: State, ours: State, theirs: State) -> Merge:
    """Merge ``ours`` and ``theirs`` (states read by ``shared_file.load_state``) against
    ``base`` (``empty_state()`` when they share none). The inputs are not changed."""
    ours, theirs = _copy(ours), _copy(theirs)
    ours_origin, theirs_origin = _unify(base, ours, theirs)
    result = Merge(empty_state())
    articles = result.state["articles"]
    revived: dict[str, str] = {}  # article kept for its new highlights -> the side keeping it
    sides = {OURS: ours, THEIRS: theirs}
    for aid in sorted({*ours["articles"], *theirs["articles"]}):
        b = base["articles"].get(aid)
        o, t = ours["articles"].get(aid), theirs["articles"].get(aid)
        if o is not None and t is not None:
            articles[aid], side = _merge_article(b, o, t)
        else:
            side = OURS if o is not None else THEIRS
            present = o if o is not None else t
            assert present is not None
            if b is not None:  # deleted on the other side
                new_highlights = any(
                    h.get("article_id") == aid and hid not in base["highlights"]
                    for hid, h in sides[side]["highlights"].items()
                )
                if not new_highlights:
                    continue  # untouched or changed here: deleted
                revived[aid] = side
                result.kept.append(str(present.get("title") or aid))
            articles[aid] = {**present, "highlight_count": 0}
        result.bodies[aid] = (
            side,
            ours_origin.get(aid, aid) if o is not None else None,
            theirs_origin.get(aid, aid) if t is not None else None,
        )
    highlights = result.state["highlights"]
    for hid in sorted({*ours["highlights"], *theirs["highlights"]}):
        b = base["highlights"].get(hid)
        o, t = ours["highlights"].get(hid), theirs["highlights"].get(hid)
        if o is not None and t is not None:
            merged = _merge_highlight(b, o, t)
        else:
            present = o if o is not None else t
            assert present is not None
            side = OURS if o is not None else THEIRS
            article_id = str(present.get("article_id") or "")
            if b is not None and present == b and revived.get(article_id) != side:
                continue  # deleted there, untouched here
            merged = dict(present)
        if merged.get("article_id") in articles:
            highlights[hid] = merged
            articles[merged["article_id"]]["highlight_count"] += 1
    feeds = result.state["feeds"]
    for fid in sorted({*ours["feeds"], *theirs["feeds"]}):
        b = base["feeds"].get(fid)
        o, t = ours["feeds"].get(fid), theirs["feeds"].get(fid)
        if o is not None and t is not None:
            feeds[fid] = _merge_feed(b, o, t)
        elif b is None:
            feeds[fid] = dict(o if o is not None else t)  # type: ignore[arg-type]
    return result

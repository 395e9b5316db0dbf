"""The in-memory full-text and metadata index behind the ``/`` filter and ``list --search``.

Owns ``SearchIndex``: which articles contain which words, tags, sites, authors and flags, and
answering a parsed ``Query`` (see ``reader.search.query``) with the set of matching article ids. It
also serializes itself (``to_bytes``/``from_bytes``) so start-up need not re-read every body.
It does no I/O itself and never imports Textual.

Design (for 10,000-50,000 articles, queried on every keystroke):

* Each article gets a small integer *slot*; sets of articles are Python ``int`` bitsets (bit
  ``i`` = slot ``i``), so AND/OR/NOT over all articles are single C-speed operations.
* A word's posting is stored in the smallest fitting form: an ``int`` (one article), an
  ``array('I')`` of slots (few articles) or a ``bytearray`` bitset (more than 1/32 of the
  slots, where a bitset is smaller than the array). Adding an article is O(its words).
* Prefix search: a sorted vocabulary and ``bisect`` give the words starting with a prefix,
  whose postings are OR-ed together. Every query word is matched as a prefix.
* Body words and "metadata words" (title, summary, author, site, tags) are kept in two
  postings tables, so ``update_metadata`` can replace the latter exactly and keep the body's.
* Removing or re-adding an article marks its old slot dead (it is masked out of every
  result at once); dead slots' body postings are purged in one pass once enough pile up,
  then the slots are reused. No per-article body word list is kept (that would double the
  memory).
* Phrases: candidates come from AND-ing the phrase's whole words; when the caller gives
  ``phrase_text`` the survivors are verified against that text.

Not thread-safe: mutate and query from one thread (or guard it with a lock).
"""

from __future__ import annotations

import struct
import sys
from array import array
from bisect import bisect_left, insort
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from functools import partial
from itertools import chain, compress
from typing import Any

import orjson

from reader.gc_pause import gc_paused
from reader.models import Article
from reader.search.query import Query, matches_metadata
from reader.text.tokens import fold, fold_value, phrase_regex, unique_tokens

__all__ = ["SearchIndex"]

_BIT = bytes(1 << i for i in range(8))
# _EXPAND[b] is 8 bytes, the i-th being 1 if bit i of b is set: bitset -> selector mask.
_EXPAND = [bytes((b >> i) & 1 for i in range(8)) for b in range(256)]
_OFFSETS = [tuple(i for i in range(8) if (b >> i) & 1) for b in range(256)]
_ASCII01 = bytes.maketrans(b"\x00\x01", b"01")
_SMALL = 48  # at most this many slots: set bits one by one instead of via a bytearray
_MIN_DENSE = 64  # a posting never becomes a bitset below this many articles
_PURGE_MIN = 256  # purge dead slots once there are this many (and 1/8 of the live ones)
_CACHE_MAX = 256
_GROW = 64  # bytes of room a bitset posting gets when it grows (fewer reallocations)
_FLAG_BITS = {"bookmarked": 1, "read": 2, "highlights": 4}
_MAGIC = b"READERIX"
_VERSION = 1

Posting = int | array | bytearray


def _set_bit(bits: bytearray, slot: int) -> None:
    i = slot >> 3
    if i >= len(bits):
        bits.extend(bytes(i - len(bits) + 1))
    bits[i] |= _BIT[slot & 7]


def _clear_bit(bits: bytearray, slot: int) -> None:
    i = slot >> 3
    if i < len(bits):
        bits[i] &= ~_BIT[slot & 7] & 0xFF


def _to_int(bits: bytearray | None) -> int:
    return int.from_bytes(bits, "little") if bits else 0


def _slots_to_int(singles: list[int], arrays: list[array], count: int) -> int:
    """OR together single slots and arrays of slots into one int bitset."""
    if count <= _SMALL:
        bits = 0
        for slot in singles:
            bits |= 1 << slot
        for arr in arrays:
            for slot in arr:
                bits |= 1 << slot
        return bits
    top = max(singles, default=0)
    for arr in arrays:
        top = max(top, max(arr))
    buf = bytearray((top >> 3) + 1)
    bit = _BIT
    for slot in singles:
        buf[slot >> 3] |= bit[slot & 7]
    for arr in arrays:
        for slot in arr:
            buf[slot >> 3] |= bit[slot & 7]
    return int.from_bytes(buf, "little")


def _int_to_slots(bits: int) -> set[int]:
    """The set of slots whose bit is set in ``bits`` (``bits`` >= 0)."""
    if bits.bit_count() <= _SMALL:
        found = set()
        while bits:
            low = bits & -bits
            found.add(low.bit_length() - 1)
            bits ^= low
        return found
    raw = bits.to_bytes((bits.bit_length() + 7) >> 3, "little")
    return set(compress(range(len(raw) * 8), b"".join(map(_EXPAND.__getitem__, raw))))


def _set_to_int(slots: set[int]) -> int:
    """The bitset with the bits of ``slots`` set."""
    if not slots:
        return 0
    top = max(slots)
    if len(slots) * 4 < top:
        return _slots_to_int(list(slots), [], len(slots))
    mask = bytes(map(slots.__contains__, range(top + 1)))
    return int(mask[::-1].translate(_ASCII01), 2)


def _prefix_end(prefix: str) -> str | None:
    last = ord(prefix[-1])
    return None if last >= sys.maxunicode else prefix[:-1] + chr(last + 1)


class _Postings:
    """word -> the slots whose text contains it, with a lazily sorted vocabulary."""

    __slots__ = ("map", "_sorted", "_pending", "_stale")

    def __init__(self) -> None:
        self.map: dict[str, Posting] = {}
        self._sorted: list[str] = []
        self._pending: list[str] = []
        self._stale = 0  # words removed from map but still in _sorted

    def add_doc(self, slot: int, words: Iterable[str], dense_at: int) -> None:
        """Record that ``slot`` contains ``words``. Slots must not already be present.

        One pass over ``words`` (any iterable; a repeated word is recorded once), so a
        list of words needs no set built first."""
        postings = self.map
        get = postings.get
        pending = self._pending
        byte = slot >> 3
        bit = _BIT[slot & 7]
        for word in words:
            p = get(word)
            if isinstance(p, bytearray):
                try:
                    p[byte] |= bit
                except IndexError:  # grow with room for the next 512 slots
                    p.extend(bytes(byte - len(p) + _GROW))
                    p[byte] |= bit
            elif p is None:  # a word never seen
                postings[word] = slot
                pending.append(word)
            elif isinstance(p, int):
                if p != slot:  # (== slot: repeated in ``words``)
                    postings[word] = array("I", (p, slot))
            elif not p or p[-1] != slot:
                p.append(slot)
                if len(p) >= dense_at:
                    bits = bytearray((max(max(p), slot) >> 3) + _GROW)
                    for s in p:
                        bits[s >> 3] |= _BIT[s & 7]
                    postings[word] = bits

    def remove_doc(self, slot: int, words: Iterable[str]) -> None:
        """Forget that ``slot`` contains ``words`` (exact removal)."""
        postings = self.map
        for word in words:
            p = postings.get(word)
            if p is None:
                continue
            if isinstance(p, int):
                if p == slot:
                    del postings[word]
                    self._stale += 1
            elif isinstance(p, array):
                if slot in p:
                    p.remove(slot)
                    if len(p) == 1:
                        postings[word] = p[0]
            else:
                _clear_bit(p, slot)

    def purge(self, dead: set[int]) -> None:
        """Remove every slot in ``dead`` from every posting."""
        if not dead:
            return
        keep = ~sum(1 << s for s in dead)
        postings = self.map
        gone = []
        for word, p in postings.items():
            if isinstance(p, int):
                if p in dead:
                    gone.append(word)
            elif isinstance(p, array):
                if not dead.isdisjoint(p):
                    left = array("I", [s for s in p if s not in dead])
                    if not left:
                        gone.append(word)
                    else:
                        postings[word] = left[0] if len(left) == 1 else left
            else:
                value = int.from_bytes(p, "little") & keep
                if value:
                    p[:] = value.to_bytes(len(p), "little")
                else:
                    gone.append(word)
        for word in gone:
            del postings[word]
        self._stale += len(gone)

    def vocabulary(self) -> list[str]:
        """The sorted list of words (may include a few removed ones; check ``map``)."""
        pending = self._pending
        if self._stale > 1000 and self._stale * 4 > len(self._sorted):
            self._sorted = sorted(self.map)
            self._stale = 0
            pending.clear()
        elif pending:
            if len(pending) <= 16:
                for word in pending:
                    insort(self._sorted, word)
            else:
                self._sorted.extend(pending)
                self._sorted.sort()  # two sorted runs: timsort merges them in linear time
            pending.clear()
        return self._sorted

    def exact_bits(self, word: str) -> int:
        p = self.map.get(word)
        if p is None:
            return 0
        if isinstance(p, int):
            return 1 << p
        if isinstance(p, array):
            return _slots_to_int([], [p], len(p))
        return int.from_bytes(p, "little")

    def prefix_bits(self, prefix: str, within: int) -> int:
        """Bitset of the slots in ``within`` containing a word that starts with ``prefix``."""
        vocab = self.vocabulary()
        lo = bisect_left(vocab, prefix)
        end = _prefix_end(prefix)
        hi = len(vocab) if end is None else bisect_left(vocab, end, lo)
        if hi - lo == 1:
            return self.exact_bits(vocab[lo]) & within
        get = self.map.get
        dense = 0
        sparse: list[int | array] = []
        for i in range(lo, hi):
            p = get(vocab[i])
            if p is None:
                continue
            if isinstance(p, bytearray):
                dense |= int.from_bytes(p, "little")
            else:
                sparse.append(p)
        dense &= within
        rest = within & ~dense
        if not sparse or not rest:
            return dense
        # Only the slots not matched yet matter: intersect them with the sparse postings in C.
        wanted = _int_to_slots(rest)
        singles = [p for p in sparse if isinstance(p, int)]
        hits = wanted.intersection(singles)
        hits.update(
            wanted.intersection(chain.from_iterable(p for p in sparse if isinstance(p, array)))
        )
        return dense | _set_to_int(hits)

    # -- serialization ------------------------------------------------------------------

    def dump(self) -> list[bytes]:
        words = sorted(self.map)
        kinds = bytearray(len(words))
        singles = array("I")
        sparse_lens = array("I")
        sparse = array("I")
        dense_lens = array("I")
        dense: list[bytearray] = []
        postings = self.map
        for i, word in enumerate(words):
            p = postings[word]
            if isinstance(p, int):
                singles.append(p)
            elif isinstance(p, array):
                kinds[i] = 1
                sparse_lens.append(len(p))
                sparse.extend(p)
            else:
                kinds[i] = 2
                dense_lens.append(len(p))
                dense.append(p)
        blobs = [singles, sparse_lens, sparse, dense_lens]
        if sys.byteorder == "big":
            for arr in blobs:
                arr.byteswap()
        return [
            "\0".join(words).encode("utf-8", "surrogatepass"),
            bytes(kinds),
            *(arr.tobytes() for arr in blobs),
            b"".join(dense),
        ]

    @classmethod
    def load(cls, parts: list[memoryview]) -> _Postings:
        text, kinds, *arr_parts, dense = parts
        words = bytes(text).decode("utf-8", "surrogatepass").split("\0") if len(text) else []
        if len(words) != len(kinds):
            raise ValueError("vocabulary and kinds differ in length")
        arrays = []
        for part in arr_parts:
            arr = array("I")
            arr.frombytes(part)
            if sys.byteorder == "big":
                arr.byteswap()
            arrays.append(arr)
        singles, sparse_lens, sparse, dense_lens = arrays
        self = cls()
        postings = self.map
        si = sl = sp = dl = dp = 0
        for word, kind in zip(words, kinds, strict=True):
            if kind == 0:
                postings[word] = singles[si]
                si += 1
            elif kind == 1:
                n = sparse_lens[sl]
                sl += 1
                postings[word] = sparse[sp : sp + n]
                sp += n
            else:
                n = dense_lens[dl]
                dl += 1
                postings[word] = bytearray(dense[dp : dp + n])
                dp += n
        if sp != len(sparse) or dp != len(dense) or si != len(singles):
            raise ValueError("postings sizes do not add up")
        self._sorted = words
        return self

    def intern_keys(self) -> None:
        """Re-key the table with interned strings (shared with per-slot records)."""
        self.map = {sys.intern(w): p for w, p in self.map.items()}
        self._sorted = sorted(self.map)


def _meta_words(article: Article) -> set[str]:
    fields = [article.title, article.summary, article.author, article.site, *article.tags]
    return unique_tokens("\n".join(f for f in fields if f))


def _meta_flags(article: Article) -> int:
    flags = 0
    if article.bookmarked:
        flags |= _FLAG_BITS["bookmarked"]
    if article.read:
        flags |= _FLAG_BITS["read"]
    if article.highlight_count > 0:
        flags |= _FLAG_BITS["highlights"]
    return flags


# Per-slot metadata record: (meta words, folded tags, folded site, folded author, flag bits)
_Record = tuple[tuple[str, ...], tuple[str, ...], str, str, int]


class SearchIndex:
    """Full-text and metadata index of the library; answers ``Query`` objects with id sets."""

    def __init__(self) -> None:
        self._ids: list[str | None] = []  # slot -> article id (None: free or dead)
        self._slot_of: dict[str, int] = {}
        self._records: list[_Record | None] = []
        self._has_body = bytearray()  # 1 byte per slot
        self._free: list[int] = []  # purged slots ready for reuse
        self._dead: set[int] = set()  # slots whose body postings still hold bits
        self._body = _Postings()
        self._meta = _Postings()
        self._live = bytearray()
        self._flags = {name: bytearray() for name in _FLAG_BITS}
        self._tags: dict[str, bytearray] = {}
        self._sites: dict[str, bytearray] = {}
        self._authors: dict[str, bytearray] = {}
        self._cache: dict[tuple[str, str, int], int] = {}
        self._version = 0  # bumps whenever an id gets or loses a slot (see slot_table)

    # -- mutation -----------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._slot_of)

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._slot_of

    def ids(self) -> list[str]:
        """The ids of the indexed articles."""
        return list(self._slot_of)

    def add(
        self,
        article: Article,
        body: str | None = None,
        *,
        body_tokens: Collection[str] | None = None,
    ) -> None:
        """(Re)index one article, replacing whatever was indexed for its id.

        ``body`` None (and no ``body_tokens``) indexes the metadata only (title, summary,
        author, site, tags and flags); the article then matches words only through those
        fields. ``body_tokens``, when given, is ``unique_tokens`` of a non-empty body,
        computed elsewhere (an import worker): it is indexed exactly as that body would be.
        """
        if article.id in self._slot_of:
            self._drop(article.id)
        slot = self._new_slot()
        self._ids[slot] = article.id
        self._slot_of[article.id] = slot
        _set_bit(self._live, slot)
        if body_tokens is None and body:
            body_tokens = unique_tokens(body)
        if body_tokens is not None:
            dense_at = max(_MIN_DENSE, len(self._ids) >> 5)
            self._body.add_doc(slot, body_tokens, dense_at)
            self._has_body[slot] = 1
        self._set_meta(slot, article)
        self._cache.clear()

    def remove(self, article_id: str) -> None:
        """Forget an article. Unknown ids are ignored."""
        if article_id in self._slot_of:
            self._drop(article_id)
            self._cache.clear()
            if len(self._dead) >= max(_PURGE_MIN, len(self._slot_of) >> 3):
                self.purge()

    def update_metadata(self, article: Article) -> None:
        """Re-index title, summary, author, site, tags and flags; keep the body's words.

        An article the index does not know is added without a body.
        """
        slot = self._slot_of.get(article.id)
        if slot is None:
            self.add(article, None)
            return
        self._clear_meta(slot)
        self._set_meta(slot, article)
        self._cache.clear()

    def purge(self) -> None:
        """Clean dead slots out of the body postings so they can be reused."""
        if self._dead:
            self._body.purge(self._dead)
            self._free.extend(sorted(self._dead, reverse=True))
            self._dead.clear()
            self._cache.clear()

    def _new_slot(self) -> int:
        self._version += 1
        if self._free:
            return self._free.pop()
        self._ids.append(None)
        self._records.append(None)
        self._has_body.append(0)
        return len(self._ids) - 1

    def _drop(self, article_id: str) -> None:
        self._version += 1
        slot = self._slot_of.pop(article_id)
        self._clear_meta(slot)
        _clear_bit(self._live, slot)
        self._ids[slot] = None
        if self._has_body[slot]:
            self._has_body[slot] = 0
            self._dead.add(slot)
        else:
            self._free.append(slot)

    def _set_meta(self, slot: int, article: Article) -> None:
        words = set(map(sys.intern, _meta_words(article)))
        self._meta.add_doc(slot, words, max(_MIN_DENSE, len(self._ids) >> 5))
        tags = tuple(dict.fromkeys(t for t in map(fold_value, article.tags) if t))
        site = fold_value(article.site)
        author = fold_value(article.author)
        flags = _meta_flags(article)
        # Interned: the record then shares its word strings with the postings table.
        self._records[slot] = (tuple(map(sys.intern, words)), tags, site, author, flags)
        self._set_value_bits(slot, tags, site, author, flags)

    def _set_value_bits(
        self, slot: int, tags: tuple[str, ...], site: str, author: str, flags: int
    ) -> None:
        for tag in tags:
            _set_bit(self._tags.setdefault(tag, bytearray()), slot)
        if site:
            _set_bit(self._sites.setdefault(site, bytearray()), slot)
        if author:
            _set_bit(self._authors.setdefault(author, bytearray()), slot)
        for name, bit in _FLAG_BITS.items():
            if flags & bit:
                _set_bit(self._flags[name], slot)

    def _clear_meta(self, slot: int) -> None:
        record = self._records[slot]
        if record is None:
            return
        words, tags, site, author, _flags = record
        self._meta.remove_doc(slot, words)
        for table, keys in ((self._tags, tags), (self._sites, (site,)), (self._authors, (author,))):
            for key in keys:
                bits = table.get(key)
                if bits is not None:
                    _clear_bit(bits, slot)
                    if bits.count(0) == len(bits):
                        del table[key]
        for bits in self._flags.values():
            _clear_bit(bits, slot)
        self._records[slot] = None

    # -- querying -----------------------------------------------------------------------

    def search(
        self,
        query: Query,
        articles: Mapping[str, Article] | None = None,
        phrase_text: Callable[[str], str] | None = None,
    ) -> set[str] | None:
        """Return the ids of the articles matching ``query``; None if the query is empty.

        ``articles``, when given, is the library as the caller knows it: results are limited
        to its ids, and articles in it that the index does not know are matched on their
        metadata fields (title, summary, author, site, tags, flags) instead of skipped.

        ``phrase_text(id)``, when given, returns the text a phrase must appear in (title,
        summary and body); it is called only for articles that pass every other term. Without
        it a phrase matches as its words, all present as whole words anywhere in the article.
        """
        if query.is_empty():
            return None
        ids = self._bits_to_ids(self._candidates(query))
        if articles is not None:
            ids.intersection_update(articles.keys())
            for article_id in articles.keys() - self._slot_of.keys():
                article = articles[article_id]
                if _matches_unindexed(query, article):
                    ids.add(article_id)
        if phrase_text is not None:
            checks = [phrase_regex(p.split(" ")) for p in query.phrases if " " in p]
            if checks:
                ids = {i for i in ids if _has_phrases(phrase_text(i), checks)}
        return ids

    @property
    def version(self) -> int:
        """Changes whenever an article gets or loses a slot: a ``slot_table`` made at one
        version is valid until the version changes."""
        return self._version

    def slot_table(self, article_ids: Iterable[str]) -> array:
        """The slot of each id, for ``select``; ids not indexed get ``len(slots)``."""
        unknown = len(self._ids)
        get = self._slot_of.get
        return array("I", [get(i, unknown) for i in article_ids])

    def select(
        self,
        query: Query,
        articles: Sequence[Article],
        table: array,
        phrase_text: Callable[[str], str] | None = None,
    ) -> list[Article]:
        """The articles of ``articles`` matching ``query``, in their order (the same answer
        as ``search``, without building sets of ids: fast when most articles match).

        ``table`` is ``slot_table`` of the articles' ids, made at the current ``version``.
        Articles the index does not know are matched on their metadata fields.
        """
        if query.is_empty():
            return list(articles)
        count = len(self._ids)
        bits = self._candidates(query) if count else 0
        raw = bits.to_bytes((count + 7) >> 3, "little")
        selector = b"".join(map(_EXPAND.__getitem__, raw))[:count] + b"\x02"
        flags = bytes(map(selector.__getitem__, table))
        if 2 in flags:
            found = [
                a
                for a, flag in zip(articles, flags, strict=True)
                if flag == 1 or (flag == 2 and _matches_unindexed(query, a))
            ]
        else:
            found = list(compress(articles, flags))
        if phrase_text is not None:
            checks = [phrase_regex(p.split(" ")) for p in query.phrases if " " in p]
            if checks:
                found = [a for a in found if _has_phrases(phrase_text(a.id), checks)]
        return found

    def _candidates(self, query: Query) -> int:
        bits = self._cached("live", "", lambda: _to_int(self._live))
        for flag in query.flags:
            if flag == "unread":
                bits &= ~self._cached("flag", "read", lambda: _to_int(self._flags["read"]))
            else:
                bits &= self._cached("flag", flag, partial(_to_int, self._flags[flag]))
        for tag in query.tags:
            bits &= _to_int(self._tags.get(tag))
        for tag in query.not_tags:
            bits &= ~_to_int(self._tags.get(tag))
        for group in query.tag_groups:
            any_of = 0
            for tag in group:
                any_of |= _to_int(self._tags.get(tag))
            bits &= any_of
        for needle in query.sites:
            bits &= self._cached("site", needle, partial(_any_of, self._sites, needle))
        for needle in query.authors:
            bits &= self._cached("author", needle, partial(_any_of, self._authors, needle))
        for word in query.words:
            if not bits:
                return 0
            bits = self._cached("prefix", word, partial(self._word_bits, word, bits), bits)
        for phrase in query.phrases:
            for word in phrase.split(" "):
                if not bits:
                    return 0
                bits &= self._cached("exact", word, partial(self._exact_bits, word))
        for word in query.not_words:
            if not bits:
                return 0
            bits &= ~self._cached("exact", word, partial(self._exact_bits, word))
        return bits

    def _cached(self, kind: str, key: str, compute: Callable[[], int], within: int = -1) -> int:
        cache = self._cache
        value = cache.get((kind, key, within))
        if value is None:
            if len(cache) >= _CACHE_MAX:
                cache.clear()
            value = cache[(kind, key, within)] = compute()
        return value

    def _word_bits(self, prefix: str, within: int) -> int:
        found = self._meta.prefix_bits(prefix, within)
        return found | self._body.prefix_bits(prefix, within & ~found)

    def _exact_bits(self, word: str) -> int:
        return self._body.exact_bits(word) | self._meta.exact_bits(word)

    def _bits_to_ids(self, bits: int) -> set[str]:
        ids = self._ids
        raw = bits.to_bytes((bits.bit_length() + 7) >> 3, "little")
        if bits.bit_count() < len(raw) >> 2:
            # Few hits: visit only the non-zero bytes (found in C by ``compress``).
            found: set[str] = set()
            offsets = _OFFSETS
            for i in compress(range(len(raw)), raw):
                base = i << 3
                found.update([ids[base + o] for o in offsets[raw[i]]])  # type: ignore[misc]
            return found
        mask = b"".join(map(_EXPAND.__getitem__, raw))
        return set(compress(ids, mask))  # type: ignore[arg-type]

    # -- persistence --------------------------------------------------------------------

    def to_bytes(self) -> bytes:
        """Serialize the index (a private binary format; see ``from_bytes``)."""
        head = {
            "version": _VERSION,
            "ids": self._ids,
            "records": self._records,
            "free": self._free,
            "dead": sorted(self._dead),
        }
        blobs = [orjson.dumps(head), bytes(self._has_body)]
        blobs += self._body.dump()
        blobs += self._meta.dump()
        out = [_MAGIC, struct.pack("<I", len(blobs))]
        out += [struct.pack("<Q", len(b)) for b in blobs]
        out += blobs
        return b"".join(out)

    @classmethod
    def from_bytes(cls, data: bytes | memoryview) -> SearchIndex:
        """Rebuild an index saved by ``to_bytes``. Raises ``ValueError`` on damaged data."""
        try:
            with gc_paused():  # many objects, no cycles: skip needless collections
                return cls._load(memoryview(data))
        except ValueError:
            raise
        except Exception as exc:  # any damage shows up as some exception: report it as one
            raise ValueError(f"not a search index: {exc}") from exc

    @classmethod
    def _load(cls, view: memoryview) -> SearchIndex:
        if bytes(view[: len(_MAGIC)]) != _MAGIC:
            raise ValueError("not a search index")
        pos = len(_MAGIC)
        (count,) = struct.unpack_from("<I", view, pos)
        if count != 16:
            raise ValueError("search index has an unexpected layout")
        pos += 4
        sizes = struct.unpack_from(f"<{count}Q", view, pos)
        pos += 8 * count
        blobs = []
        for size in sizes:
            blobs.append(view[pos : pos + size])
            pos += size
        if pos != len(view):
            raise ValueError("search index size does not add up")
        head: dict[str, Any] = orjson.loads(blobs[0])
        if head.get("version") != _VERSION:
            raise ValueError("search index has another version")
        self = cls()
        self._ids = list(head["ids"])
        n = len(self._ids)
        self._records = [None if r is None else _record(r) for r in head["records"]]
        self._has_body = bytearray(blobs[1])
        if len(self._records) != n or len(self._has_body) != n:
            raise ValueError("search index slot tables differ in length")
        self._free = [int(s) for s in head["free"]]
        self._dead = {int(s) for s in head["dead"]}
        self._body = _Postings.load(blobs[2:9])
        self._meta = _Postings.load(blobs[9:16])
        self._meta.intern_keys()
        for slot, article_id in enumerate(self._ids):
            if article_id is None:
                continue
            record = self._records[slot]
            if not isinstance(article_id, str) or record is None:
                raise ValueError("search index slot table is damaged")
            self._slot_of[article_id] = slot
            _set_bit(self._live, slot)
            self._set_value_bits(slot, *record[1:])
        return self


def _record(raw: list[Any]) -> _Record:
    words, tags, site, author, flags = raw
    return (tuple(map(sys.intern, words)), tuple(tags), str(site), str(author), int(flags))


def _any_of(table: dict[str, bytearray], needle: str) -> int:
    bits = 0
    for key, value in table.items():
        if needle in key:
            bits |= _to_int(value)
    return bits


def _has_phrases(text: str, checks: list[Any]) -> bool:
    folded = fold(text or "")
    return all(rx.search(folded) for rx in checks)


def _matches_unindexed(query: Query, article: Article) -> bool:
    """Match an article the index does not know, using its metadata fields only."""
    if not matches_metadata(query, article):
        return False
    words = _meta_words(article)
    for word in query.words:
        if not any(w.startswith(word) for w in words):
            return False
    if any(w in words for w in query.not_words):
        return False
    text = fold("\n".join(f for f in (article.title, article.summary) if f))
    return all(phrase_regex(p.split(" ")).search(text) for p in query.phrases)

"""Metadata scorer: title, author and publication date of saved pages against a gold set.

Runs ``reader.ingest.importers.html_page.parse_html`` on every ``<page>/source.html`` of a corpus
laid out as ``../shared/corpus/readability`` (each page with an ``expected-metadata.json``
holding ``title``, ``byline`` and ``publishedTime``) and prints, with the issue 21 rules:

- title exact: equal after Unicode NFKC, whitespace collapsed and surrounding quotes and
  punctuation stripped (pages with an expected title);
- author right: the word sets (lower case; "by", "and" and punctuation dropped) are equal
  or one contains the other; no author against an expected one is wrong, and a name where
  none is expected is wrong (every page);
- date right: the calendar day of the published time, as written with its own offset,
  matches (pages with an expected published time).

``--worst`` / ``-v`` list the misses. See bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from reader.errors import ImportFailed
from reader.ingest.importers.html_page import parse_html

DEFAULT_CORPUS = Path("/work/shared/corpus/readability")
_EDGE = re.compile(r"^[\W_]+|[\W_]+$")
_WORD = re.compile(r"[^\W_]+")
_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_NOISE_WORDS = frozenset({"by", "and"})


def norm_title(text: str | None) -> str:
    """NFKC, whitespace collapsed, surrounding quotes and punctuation stripped."""
    text = " ".join(unicodedata.normalize("NFKC", text or "").split())
    return _EDGE.sub("", text)


_SUFFIX = re.compile(r"^\s*(?:[|\-\u2013\u2014\u00b7:_\uff5c(\uff08\[]|::)")


def title_with_site_suffix(got: str | None, expected: str | None) -> bool:
    """True when the expected title is ours plus a separator and a short tail (a site
    name the gold set kept, as in "Headline | Site"): a convention, shown apart."""
    mine, gold = (" ".join(unicodedata.normalize("NFKC", t or "").split()) for t in (got, expected))
    if not mine or not gold.startswith(mine) or gold == mine:
        return False
    tail = gold[len(mine) :]
    return bool(_SUFFIX.match(tail)) and len(tail.split()) <= 6


def author_words(text: str | None) -> frozenset[str]:
    """The words of a byline, lower case, without "by"/"and" and punctuation."""
    words = _WORD.findall(unicodedata.normalize("NFKC", text or "").casefold())
    return frozenset(w for w in words if w not in _NOISE_WORDS)


def author_right(got: str | None, expected: str | None) -> bool:
    want, have = author_words(expected), author_words(got)
    if not want:
        return not have
    if not have:
        return False
    return want <= have or have <= want


def calendar_day(text: str | None) -> str | None:
    """The ``YYYY-MM-DD`` an ISO date-time starts with, as written (its own offset)."""
    match = _DAY.search(text or "")
    return match.group(0) if match else None


@dataclass(slots=True)
class PageResult:
    name: str
    expected: dict[str, str | None]
    got: dict[str, str | None]
    error: str | None = None

    def title_ok(self) -> bool:
        return norm_title(self.got["title"]) == norm_title(self.expected["title"])

    def author_ok(self) -> bool:
        return author_right(self.got["author"], self.expected["author"])

    def date_ok(self) -> bool:
        return calendar_day(self.got["date"]) == calendar_day(self.expected["date"])


def score_page(page: Path) -> PageResult:
    meta = json.loads((page / "expected-metadata.json").read_text(encoding="utf-8"))
    expected = {
        "title": meta.get("title") or None,
        "author": meta.get("byline") or None,
        "date": meta.get("publishedTime") or None,
    }
    got: dict[str, str | None] = {"title": None, "author": None, "date": None}
    error = None
    source = page / "source.html"
    try:
        article = parse_html(source.read_bytes(), source_path=str(source))
    except ImportFailed as exc:
        error = str(exc)
    else:
        got = {"title": article.title, "author": article.author, "date": article.published}
    return PageResult(page.name, expected, got, error)


def _ratio(right: int, total: int) -> str:
    return f"{right / total:.3f}" if total else "-"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--pages", help="only pages whose names start with these (a,b)")
    parser.add_argument("--worst", action="store_true", help="list every miss")
    parser.add_argument("-v", "--verbose", action="store_true", help="same as --worst")
    parser.add_argument("--json", type=Path, help="also write every page's result here")
    args = parser.parse_args(argv)
    if not args.corpus.is_dir():
        print(f"metadata_score: {args.corpus}: not a folder", file=sys.stderr)
        return 2
    pages = sorted(p for p in args.corpus.iterdir() if (p / "expected-metadata.json").is_file())
    if args.pages:
        prefixes = tuple(args.pages.split(","))
        pages = [p for p in pages if p.name.startswith(prefixes)]
    results = [score_page(p) for p in pages]

    titled = [r for r in results if r.expected["title"]]
    bylined = [r for r in results if r.expected["author"]]
    dated = [r for r in results if r.expected["date"]]
    rows = [
        ("title exact", sum(r.title_ok() for r in titled), len(titled)),
        ("author right", sum(r.author_ok() for r in results), len(results)),
        ("  of pages with a byline", sum(r.author_ok() for r in bylined), len(bylined)),
        ("date right", sum(r.date_ok() for r in dated), len(dated)),
    ]
    print(f"metadata of {len(results)} pages in {args.corpus}")
    print(f"{'measure':<26} {'score':>6} {'right':>6} {'of':>5}")
    for label, right, total in rows:
        print(f"{label:<26} {_ratio(right, total):>6} {right:>6} {total:>5}")
    extra_dates = sum(1 for r in results if not r.expected["date"] and r.got["date"])
    print(f"(dates given where the gold set has none: {extra_dates}; not scored)")
    suffixed = sum(
        1
        for r in titled
        if not r.title_ok() and title_with_site_suffix(r.got["title"], r.expected["title"])
    )
    print(f"(title misses where the gold keeps a site-name tail we cut: {suffixed})")
    failed = [r for r in results if r.error]
    if failed:
        print(f"import failed on {len(failed)} pages")

    if args.worst or args.verbose:
        for kind, pool, ok in (
            ("title", titled, PageResult.title_ok),
            ("author", results, PageResult.author_ok),
            ("date", dated, PageResult.date_ok),
        ):
            misses = [r for r in pool if not ok(r)]
            print(f"\n{kind} misses ({len(misses)}):")
            for r in misses:
                print(f"  {r.name}: got {r.got[kind]!r}, expected {r.expected[kind]!r}")
    if args.json:
        data = [
            {"page": r.name, "expected": r.expected, "got": r.got, "error": r.error}
            for r in results
        ]
        args.json.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

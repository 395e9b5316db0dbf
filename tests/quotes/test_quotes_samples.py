"""reader.quotes over the bundled sample articles: a few key quotations and their speakers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from reader.quotes import Quotation, find_quotations

SAMPLES = Path(__file__).resolve().parents[2] / "sample_articles"


def paragraphs_of(name: str) -> list[str]:
    """Blank-line-separated paragraphs; Markdown loses its front matter and simple markup."""
    path = SAMPLES / name
    if not path.exists():
        pytest.skip(f"sample article {name} not present")
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".md":
        if text.startswith("---"):
            text = text[text.index("\n---", 3) + 4 :]
        text = re.sub(r"(?m)^> ?", "\n", text)  # a blockquote line becomes its own block
    blocks = [re.sub(r"\s+", " ", b).strip() for b in re.split(r"\n\s*\n", text)]
    if path.suffix == ".md":
        blocks = [re.sub(r"\*\*|\*|^#+ |^- ", "", b) for b in blocks]
    return [b for b in blocks if b]


def speaker_of(found: list[Quotation], starts: str) -> str | None:
    matches = [q for q in found if q.text.startswith(starts)]
    assert matches, f"no quotation starting {starts!r}"
    return matches[0].speaker


def test_harbour_tram() -> None:
    paras = paragraphs_of("harbour-tram-line-safety-test.txt")
    found = find_quotations(paras)
    for q in found:
        assert paras[q.paragraph][q.start : q.end] == q.text
    assert speaker_of(found, "We expect the first trams to run in May") == "Ana Rossi"
    assert speaker_of(found, "The brakes held on wet rails") == "Marta Kowalczyk"
    assert speaker_of(found, "If the tram brings them back, good.") == "Tomas Berg"
    assert speaker_of(found, "People have lived with the roadworks") == "Ana Rossi"
    assert speaker_of(found, "Nobody is against trams.") == "Jonas Feld"
    assert not any(q.text == "green spine" for q in found)  # scare quote


def test_herring_quota() -> None:
    found = find_quotations(paragraphs_of("herring-quota-dispute.txt"))
    assert speaker_of(found, "We came here to negotiate") == "Ingrid Solheim"
    assert speaker_of(found, "The survey is designed to measure the whole stock") == "David Chen"
    assert speaker_of(found, "Catch per trip is one of the last numbers") == "Amira Haddad"
    assert speaker_of(found, "At today's prices") == "Olav Brekke"
    assert speaker_of(found, "Nobody in this building") == "David Chen"


def test_chess_open_markdown() -> None:
    found = find_quotations(paragraphs_of("chess-open-final-round.md"))
    assert speaker_of(found, "I thought he would offer a draw") == "Lena Hofmann"
    assert speaker_of(found, "I have watched her play") == "Ilse Brandauer"
    assert speaker_of(found, "At my age you learn") == "Viktor Sazonov"
    assert speaker_of(found, "After that game, everyone in the hall") == "Joris van Dijk"
    assert speaker_of(found, "The king goes to c5") == "Gareth Moss"
    assert speaker_of(found, "I want to be a grandmaster") == "Lena Hofmann"

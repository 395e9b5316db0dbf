"""The ``Quotation`` record: a direct quotation, who said it, and where it sits."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Quotation:
    """One direct quotation: its words, who said them, and where it sits.

    ``paragraphs[paragraph][start:end] == text`` always holds for the ``paragraphs`` given to
    :func:`find_quotations`.
    """

    text: str  # the quoted words, without the quote marks
    speaker: str | None  # the resolved full name; None when unattributed
    paragraph: int  # index into the paragraphs list given
    start: int  # char offset of the quoted text (inside the marks) in that paragraph
    end: int
    speaker_mention: str | None = None  # the words naming the speaker here ("he", "Zhao")

    def to_json(self) -> dict[str, object]:
        """The JSON shape used by ``reader quotes --json``."""
        return {
            "text": self.text,
            "speaker": self.speaker,
            "speaker_mention": self.speaker_mention,
            "paragraph": self.paragraph,
        }

"""Quotations grouped by who said them (the quote pane's "by speaker" view, ``--by-speaker``).

Owns ``by_speaker``: speakers with their quotations, most quoted first, unattributed last.
"""

from __future__ import annotations

from collections.abc import Sequence

from reader.quotes.model import Quotation


def by_speaker(quotations: Sequence[Quotation]) -> list[tuple[str | None, list[Quotation]]]:
    """``(speaker, quotations)`` pairs: most quotations first, ties in order of first
    appearance; the unattributed ones (speaker ``None``) come last."""
    groups: dict[str | None, list[Quotation]] = {}
    for quotation in quotations:
        groups.setdefault(quotation.speaker, []).append(quotation)
    order = {speaker: k for k, speaker in enumerate(groups)}
    return sorted(
        groups.items(),
        key=lambda item: (item[0] is None, -len(item[1]), order[item[0]]),
    )

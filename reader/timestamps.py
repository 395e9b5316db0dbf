"""Stored dates as instants and as the reader's local dates.

Owns ``instant`` (an ISO 8601 text as seconds since the epoch, for ordering) and
``local_day`` / ``local_minute`` (how the list, the header and ``reader list``/``show``
show a date). Dates are stored as the page gave them: aware (``2020-04-07T07:36:07+05:30``,
``added`` in UTC) or, in older libraries and for pages that give no offset, naive
(``2020-04-07T07:36:07``) or a day alone (``2020-04-07``). An aware date is shown in the
reader's local time zone; a naive one as written (its zone is unknown); a naive one is
ordered as if it were UTC. Text that is no date is shown as stored and never raises.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache

__all__ = ["instant", "local_day", "local_minute"]


@lru_cache(maxsize=65536)
def _parse(value: str) -> datetime | None:
    try:
        return datetime.fromisoformat(value.strip())
    except ValueError:
        return None


def instant(value: str | None) -> float | None:
    """Seconds since the epoch of an ISO date, naive ones taken as UTC; ``None`` for no
    date or text that is not one."""
    if not value:
        return None
    moment = _parse(value)
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


def _local(value: str) -> datetime | None:
    moment = _parse(value)
    if moment is None or moment.tzinfo is None:
        return None
    return moment.astimezone()


def local_day(value: str | None) -> str:
    """``YYYY-MM-DD`` of a stored date in the reader's time zone (as written when naive)."""
    if not value:
        return ""
    moment = _local(value)
    return moment.strftime("%Y-%m-%d") if moment else value.strip()[:10]


def local_minute(value: str | None) -> str:
    """``YYYY-MM-DD HH:MM`` of a stored date in the reader's time zone, or the day alone
    when only a day is stored (as written when naive)."""
    if not value:
        return ""
    moment = _local(value)
    if moment:
        return moment.strftime("%Y-%m-%d %H:%M")
    text = value.strip()
    return text[:16].replace("T", " ") if len(text) > 10 else text[:10]

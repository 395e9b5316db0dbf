"""Dates written the ways web pages and saved texts write them, turned into ISO 8601.

Owns: ``parse_date`` (find a date, and a time if there is one, in a short text) and
``find_date_line`` (is this whole line just a date line, such as ``14 Apr, 2022 13:52`` or
``Updated: Thursday, April 14, 2022 1:52 PM ET``?). Time zones are read past and dropped:
the result is the wall-clock time the page showed.

Numeric dates with the day and month both 12 or less (``04/05/2022``) are read day first.
"""

from __future__ import annotations

import re
from datetime import date, datetime

__all__ = ["find_date_line", "parse_date"]

_MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_MON = (
    r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_ORD = r"(?:st|nd|rd|th)?"
_ISO = re.compile(
    r"(?<!\d)(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"
    r"(?:[T ](?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:[.,]\d+)?)?)?"
    r"(?:Z|[+-]\d{2}:?\d{2})?(?!\d)",
    re.IGNORECASE,
)
_DATE_PATTERNS = (
    # April 14, 2022 / Apr. 14th 2022
    re.compile(rf"\b{_MON}\s*(?P<d>\d{{1,2}}){_ORD}[\s,]+(?P<y>\d{{4}})(?!\d)", re.IGNORECASE),
    # 14 Apr, 2022 / 14th of April 2022 / 14-Apr-2022
    re.compile(
        rf"(?<!\d)(?P<d>\d{{1,2}}){_ORD}(?:\s+of)?[\s\-]*{_MON}[\s,\-]*(?P<y>\d{{4}})(?!\d)",
        re.IGNORECASE,
    ),
    # 2022/04/14
    re.compile(r"(?<!\d)(?P<y>\d{4})[/.](?P<m>\d{1,2})[/.](?P<d>\d{1,2})(?!\d)"),
    # 14/04/2022, 14.04.2022, 04-14-2022
    re.compile(r"(?<![\d/.])(?P<a>\d{1,2})[/.\-](?P<b>\d{1,2})[/.\-](?P<y>\d{4})(?!\d)"),
)
_TIME = re.compile(
    r"(?<![\d:.])(?P<H>\d{1,2})(?::(?P<M>\d{2})(?::(?P<S>\d{2}))?|[.h](?P<M2>\d{2}))?"
    r"\s*(?P<ap>[ap]\.?\s?m\b\.?)?(?![\d:])",
    re.IGNORECASE,
)
_WEEKDAY = r"\b(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|sday|nesday|rsday|urday)?\b\.?"
_FILLER = re.compile(
    rf"{_WEEKDAY}"
    r"|\b(?:last|first|originally)\b"
    r"|\b(?:updated|update|published|posted|modified|created|edited|dated?|time|on|at|as of)\b"
    r"|\b(?:gmt|utc|bst|cet|cest|eet|eest|msk|ist|jst|aest|aedt|et|pt|ct|mt"
    r"|est|edt|cst|cdt|mst|mdt|pst|pdt|z)\b(?:\s*[+-]\s*\d{1,2}(?::?\d{2})?)?"
    r"|[+-]\d{2}:?\d{2}\b"
    r"|\b\d+\s*(?:min|mins|minutes?)\s+read\b",
    re.IGNORECASE,
)
_LEFTOVER = re.compile(r"[\w]+", re.UNICODE)


def _month(name: str) -> int:
    return _MONTHS[name[:3].lower()]


def _time_from(match: re.Match[str]) -> tuple[int, int, int] | None:
    hour = int(match["H"])
    minute_text = match["M"] or match["M2"]
    ampm = (match["ap"] or "").replace(".", "").replace(" ", "").lower()
    if minute_text is None and not ampm:
        return None  # a lone number is not a time
    minute = int(minute_text or 0)
    second = int(match["S"] or 0)
    if ampm:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    if hour > 23 or minute > 59 or second > 59:
        return None
    return hour, minute, second


def _find_date(text: str) -> tuple[date, tuple[int, int], tuple[int, int, int] | None] | None:
    """The first date in ``text``: (date, span, time given with an ISO date or None)."""
    found: list[tuple[int, date, tuple[int, int], tuple[int, int, int] | None]] = []
    for match in _ISO.finditer(text):
        try:
            day = date(int(match["y"]), int(match["m"]), int(match["d"]))
        except ValueError:
            continue
        clock = None
        if match["H"] is not None:
            hour, minute, second = int(match["H"]), int(match["M"]), int(match["S"] or 0)
            if hour < 24 and minute < 60 and second < 60:
                clock = (hour, minute, second)
        found.append((match.start(), day, match.span(), clock))
        break
    for pattern in _DATE_PATTERNS:
        for match in pattern.finditer(text):
            groups = match.groupdict()
            try:
                year = int(groups["y"])
                if groups.get("mon"):
                    day = date(year, _month(groups["mon"]), int(groups["d"]))
                elif groups.get("m"):
                    day = date(year, int(groups["m"]), int(groups["d"]))
                else:
                    first, second = int(groups["a"]), int(groups["b"])
                    # Day first unless that is impossible (04/14/2022 is US order).
                    if first <= 12 < second:
                        day = date(year, first, second)
                    else:
                        day = date(year, second, first)
            except ValueError:
                continue
            found.append((match.start(), day, match.span(), None))
            break
    if not found:
        return None
    found.sort(key=lambda item: item[0])
    _, day, span, clock = found[0]
    if not 1000 <= day.year <= 2999:
        return None
    return day, span, clock


def _parse(text: str) -> tuple[str, list[tuple[int, int]]] | None:
    """The ISO date in ``text`` and the spans of text that made it."""
    result = _find_date(text)
    if result is None:
        return None
    day, span, clock = result
    spans = [span]
    if clock is None:
        rest = text[: span[0]] + " " * (span[1] - span[0]) + text[span[1] :]
        for match in _TIME.finditer(rest):
            clock = _time_from(match)
            if clock is not None:
                spans.append(match.span())
                break
    if clock is None:
        return day.isoformat(), spans
    moment = datetime(day.year, day.month, day.day, *clock)
    return moment.isoformat(timespec="seconds"), spans


def parse_date(text: str) -> str | None:
    """The first date in ``text`` in ISO 8601, with the time when one is given.

    ``"14 Apr, 2022 13:52"`` gives ``"2022-04-14T13:52:00"``; ``"April 14, 2022"`` gives
    ``"2022-04-14"``. Returns ``None`` when there is no recognisable date.
    """
    if not text:
        return None
    parsed = _parse(text[:500])
    return parsed[0] if parsed else None


def find_date_line(line: str) -> str | None:
    """The ISO date when ``line`` is essentially only a date, else ``None``.

    A weekday, a time, a time zone, and words such as ``Updated:``/``Published``/``on``/``at``
    may surround the date; any other word makes the line something else.
    """
    line = line.strip()
    if not line or len(line) > 100:
        return None
    parsed = _parse(line)
    if parsed is None:
        return None
    iso, spans = parsed
    rest = line
    for start, end in sorted(spans, reverse=True):
        rest = rest[:start] + " " + rest[end:]
    rest = _FILLER.sub(" ", rest)
    if _LEFTOVER.search(rest):
        return None
    return iso

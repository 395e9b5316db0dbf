"""Dates written the ways web pages and saved texts write them, turned into ISO 8601.

Owns: ``parse_date`` (find a date, and a time if there is one, in a short text) and
``find_date_line`` (is this whole line just a date line, such as ``14 Apr, 2022 13:52`` or
``Updated: Thursday, April 14, 2022 1:52 PM ET``?) for text, and ``read_date`` for one
machine- or human-written date value (a ``<meta>`` content, a ``datetime`` attribute, a
JSON-LD ``datePublished``), parsed with python-dateutil.

Results are ISO 8601 and keep the page's offset when it gives one
(``2020-04-07T07:36:07+05:30``); without an offset the wall-clock time the page showed
(``2020-04-07T07:36:07``), without a time the day alone (``2020-04-07``). Numeric dates
with the day and month both 12 or less (``04/05/2022``) are read day first.
"""

from __future__ import annotations

import re
import warnings
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo

from dateutil import parser as date_parser
from dateutil import tz

from reader.ingest.importers.date_words import (
    DATE_LINE_WORDS,
    FOREIGN_MONTH,
    FOREIGN_MONTHS,
    WEEKDAY,
)

__all__ = ["find_date_line", "parse_date", "read_date"]

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
    r"(?P<tz>Z|[+-]\d{2}:?\d{2})?(?!\d)",
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
    # 2019年11月2日, 2020년 4월 7일
    re.compile(
        r"(?<!\d)(?P<y>\d{4})\s*[年년]\s*(?P<m>\d{1,2})\s*[月월]\s*(?P<d>\d{1,2})(?!\d)\s*[日일]?"
    ),
    # 2 novembre 2019, 14. März 2018, 1er décembre 2016, 2 de noviembre de 2019
    re.compile(
        rf"(?<!\d)(?P<d>\d{{1,2}})(?:\.|er|º|°)?\s+(?:de\s+)?(?P<fmon>{FOREIGN_MONTH})\.?,?\s+"
        r"(?:de\s+|del\s+)?(?P<y>\d{4})(?!\d)",
        re.IGNORECASE,
    ),
)
_CJK_TIME = re.compile(r"(?<!\d)(?P<H>\d{1,2})\s*[時时시]\s*(?P<M>\d{1,2})\s*[分분]")
_TIME = re.compile(
    r"(?<![\d:.])(?P<H>\d{1,2})(?::(?P<M>\d{2})(?::(?P<S>\d{2}))?|[.h](?P<M2>\d{2}))?"
    r"\s*(?P<ap>[ap]\.?\s?m\b\.?)?(?![\d:])",
    re.IGNORECASE,
)
_FILLER = re.compile(
    rf"{WEEKDAY}"
    r"|\b(?:last|first|originally)\b"
    r"|\b(?:updated|update|published|posted|modified|created|edited|dated?|time|on|at|as of)\b"
    rf"|{DATE_LINE_WORDS}|[：:|·,]"
    r"|\b(?:gmt|utc|bst|cet|cest|eet|eest|msk|ist|jst|aest|aedt|et|pt|ct|mt"
    r"|est|edt|cst|cdt|mst|mdt|pst|pdt|z)\b(?:\s*[+-]\s*\d{1,2}(?::?\d{2})?)?"
    r"|[+-]\d{2}:?\d{2}\b"
    r"|\b\d+\s*(?:min|mins|minutes?)\s+read\b",
    re.IGNORECASE,
)
_LEFTOVER = re.compile(r"[\w]+", re.UNICODE)


_ZONE_AFTER = re.compile(
    r"\s*\(?(?P<zone>(?:gmt|utc)\s*[+-]\s*\d{1,2}(?::?\d{2})?|[+-]\d{2}:?\d{2}|z\b"
    r"|[a-z]{2,4}\b)",
    re.IGNORECASE,
)
_HOURS: dict[str, float] = {
    "utc": 0,
    "gmt": 0,
    "z": 0,
    "ut": 0,
    "wet": 0,
    "bst": 1,
    "cet": 1,
    "wat": 1,
}
_HOURS.update({"cest": 2, "eet": 2, "sast": 2, "eest": 3, "msk": 3, "jst": 9, "kst": 9})
_HOURS.update({"est": -5, "edt": -4, "cst": -6, "cdt": -5, "mst": -7, "mdt": -6})
_HOURS.update({"pst": -8, "pdt": -7, "akst": -9, "akdt": -8, "hst": -10})
_HOURS.update({"aest": 10, "aedt": 11, "acst": 9.5, "awst": 8, "nzst": 12, "nzdt": 13})
_HOURS.update({"ist": 5.5, "pkt": 5, "sgt": 8, "hkt": 8, "wib": 7, "pht": 8})
# Names that stand for a summer and a winter offset: the place's rules decide.
_REGIONS = {
    "et": "America/New_York",
    "ct": "America/Chicago",
    "mt": "America/Denver",
    "pt": "America/Los_Angeles",
}
_NUMERIC_ZONE = re.compile(r"^(?:gmt|utc)?\s*([+-])\s*(\d{1,2}):?(\d{2})?$", re.IGNORECASE)


def _zone(name: str | None) -> tzinfo | None:
    """The time zone an abbreviation or offset (``+0530``, ``GMT+2``, ``EST``, ``Z``)
    names, or ``None`` when it is unknown."""
    if not name:
        return None
    key = name.strip().lower()
    numeric = _NUMERIC_ZONE.match(key)
    if numeric:
        sign, hours, minutes = numeric.groups()
        delta = timedelta(hours=int(hours), minutes=int(minutes or 0))
        if delta >= timedelta(hours=15):
            return None
        return timezone(-delta if sign == "-" else delta)
    if key in _HOURS:
        return timezone(timedelta(hours=_HOURS[key])) if _HOURS[key] else UTC
    if key in _REGIONS:
        return tz.gettz(_REGIONS[key])
    return None


def _tzinfos(name: str, offset: int | None) -> tzinfo | None:
    """dateutil's ``tzinfos`` hook: our abbreviations, else what dateutil found."""
    if offset is not None:
        return timezone(timedelta(seconds=offset)) if offset else UTC
    return _zone(name)


def _month(name: str) -> int:
    return _MONTHS[name[:3].lower()]


def _foreign_month(name: str) -> int:
    return FOREIGN_MONTHS[name.lower()]


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


_Found = tuple[date, tuple[int, int], tuple[int, int, int] | None, tzinfo | None]


def _find_date(text: str) -> _Found | None:
    """The first date in ``text``: (date, span, time and offset given with an ISO date)."""
    found: list[tuple[int, date, tuple[int, int], tuple[int, int, int] | None, tzinfo | None]]
    found = []
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
        zone = _zone(match["tz"]) if clock and match["tz"] else None
        found.append((match.start(), day, match.span(), clock, zone))
        break
    for pattern in _DATE_PATTERNS:
        for match in pattern.finditer(text):
            groups = match.groupdict()
            try:
                year = int(groups["y"])
                if groups.get("mon"):
                    day = date(year, _month(groups["mon"]), int(groups["d"]))
                elif groups.get("fmon"):
                    day = date(year, _foreign_month(groups["fmon"]), int(groups["d"]))
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
            found.append((match.start(), day, match.span(), None, None))
            break
    if not found:
        return None
    found.sort(key=lambda item: item[0])
    _, day, span, clock, zone = found[0]
    if not 1000 <= day.year <= 2999:
        return None
    return day, span, clock, zone


def _parse(text: str) -> tuple[str, list[tuple[int, int]]] | None:
    """The ISO date in ``text`` and the spans of text that made it."""
    result = _find_date(text)
    if result is None:
        return None
    day, span, clock, zone = result
    spans = [span]
    if clock is None:
        rest = text[: span[0]] + " " * (span[1] - span[0]) + text[span[1] :]
        cjk = _CJK_TIME.search(rest)
        if cjk and int(cjk["H"]) < 24 and int(cjk["M"]) < 60:
            clock = (int(cjk["H"]), int(cjk["M"]), 0)
            spans.append(cjk.span())
        for match in _TIME.finditer(rest if clock is None else ""):
            clock = _time_from(match)
            if clock is not None:
                spans.append(match.span())
                after = _ZONE_AFTER.match(rest, match.end())
                if after:
                    zone = _zone(after["zone"])
                break
    if clock is None:
        return day.isoformat(), spans
    moment = datetime(day.year, day.month, day.day, *clock, tzinfo=zone)
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


_ISO_START = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}|$)")
_HAS_TIME = re.compile(r"\d:\d{2}|\d\s*[ap]\.?m\b|\d\s*[時时시]", re.IGNORECASE)
_EPOCH = re.compile(r"^\d{10}(?:\d{3})?$")
_COMPACT = re.compile(r"^((?:19|20)\d\d)([01]\d)([0-3]\d)(?:T?([012]\d)([0-5]\d)([0-5]\d))?$")
_YEAR = re.compile(r"(?<!\d)(?:19|20|21)\d\d(?!\d)")
_OLDEST, _NEWEST = 1990, 2100


def read_date(value: str | None) -> str | None:
    """One date value as ISO 8601, keeping its offset (see the module docstring).

    For what a page gives as a date: ``2015-10-15T02:19:15.607Z``,
    ``Tue, 07 Apr 2020 07:36:07 +0530``, ``December 1, 2016``, ``12-15-2016``, a Unix time
    in seconds or milliseconds; a longer text (``Published on 1 May 2020``) is searched as
    ``parse_date`` does. ``None`` when no plausible date (1990-2100) is there.
    """
    text = " ".join((value or "").split())[:200]
    if not text:
        return None
    moment: datetime | None = None
    compact = _COMPACT.match(text)
    if compact:
        text = "{}-{}-{}".format(*compact.groups()[:3]) + (
            "T{}:{}:{}".format(*compact.groups()[3:]) if compact.group(4) else ""
        )
    if _EPOCH.match(text):
        seconds = int(text[:10])
        moment = datetime.fromtimestamp(seconds, UTC)
    elif _ISO_START.match(text):
        try:
            moment = date_parser.isoparse(text)
        except (ValueError, OverflowError):
            moment = _dateutil(text, dayfirst=False)
        if moment is not None and len(text) == 10:
            return _plausible_day(moment.date().isoformat())
    if moment is None:
        moment = _dateutil(text)
        if moment is not None and not _HAS_TIME.search(text):
            return _plausible_day(moment.date().isoformat())
    if moment is None:
        return _plausible_day(parse_date(text))
    if not _OLDEST <= moment.year <= _NEWEST:
        return None
    return moment.replace(microsecond=0).isoformat()


def _dateutil(text: str, *, dayfirst: bool = True) -> datetime | None:
    """``dateutil.parser.parse`` of a whole value with a four-digit year, day first when
    ambiguous; ``None`` when it is not a date alone (words around it)."""
    if not _YEAR.search(text):
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return date_parser.parse(text, dayfirst=dayfirst, tzinfos=_tzinfos)
        except (ValueError, OverflowError, TypeError, date_parser.ParserError):
            return None


def _plausible_day(iso: str | None) -> str | None:
    if iso is None or not _OLDEST <= int(iso[:4]) <= _NEWEST:
        return None
    return iso

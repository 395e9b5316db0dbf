"""Tests for reader.ingest.importers.dates: date parsing and date-line recognition."""

from __future__ import annotations

import pytest

from reader.ingest.importers.dates import find_date_line, parse_date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("14 Apr, 2022 13:52", "2022-04-14T13:52:00"),
        ("April 14, 2022", "2022-04-14"),
        ("Apr 14, 2022 1:52 PM", "2022-04-14T13:52:00"),
        ("Apr. 14th, 2022 at 9:05 a.m.", "2022-04-14T09:05:00"),
        ("12:30 AM, 5 May 2020", "2020-05-05T00:30:00"),
        ("2022-04-14T13:52", "2022-04-14T13:52:00"),
        ("2022-04-14T13:52:07.123+02:00", "2022-04-14T13:52:07+02:00"),
        ("2022-04-14", "2022-04-14"),
        ("2022/04/14", "2022-04-14"),
        ("14/04/2022", "2022-04-14"),
        ("14.04.2022 09:05", "2022-04-14T09:05:00"),
        ("04/14/2022", "2022-04-14"),  # day first is impossible, so month first
        ("03/04/2022", "2022-04-03"),  # ambiguous: day first
        ("Thursday, 14 April 2022", "2022-04-14"),
        ("14th of April 2022", "2022-04-14"),
        ("Sept 3, 2021", "2021-09-03"),
        ("Updated: 14 Apr 2022, 13:52 GMT", "2022-04-14T13:52:00+00:00"),
        ("Published 1 pm, 14 April 2022", "2022-04-14T13:00:00"),
    ],
)
def test_parse_date_forms(text: str, expected: str) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text",
    ["", "no date here", "March 2022", "31 February 2022", "2022-13-01", "call 555-1234", "10:30"],
)
def test_parse_date_rejects(text: str) -> None:
    assert parse_date(text) is None


def test_parse_date_ignores_impossible_time() -> None:
    assert parse_date("14 April 2022 25:70") == "2022-04-14"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("14 Apr, 2022 13:52", "2022-04-14T13:52:00"),
        ("Updated: Thursday, April 14, 2022 1:52 PM ET", "2022-04-14T13:52:00-04:00"),
        ("Published on 14/04/2022 at 09:30 CET", "2022-04-14T09:30:00+01:00"),
        ("Last updated 2022-04-14 13:52 UTC+2", "2022-04-14T13:52:00"),
        ("Thu 14 Apr 2022 · 4 min read", "2022-04-14"),
        ("  April 14, 2022  ", "2022-04-14"),
        ("Martedì 4 febbraio 2020", "2020-02-04"),
        ("Pubblicato il 2 novembre 2019 alle 10:14", "2019-11-02T10:14:00"),
        ("2016年12月15日(木) 18:30", "2016-12-15T18:30:00"),
        ("입력 2020.04.07 07:36", "2020-04-07T07:36:00"),
    ],
)
def test_find_date_line_accepts_date_lines(line: str, expected: str) -> None:
    assert find_date_line(line) == expected


@pytest.mark.parametrize(
    "line",
    [
        "On April 14, 2022 the council met to vote on the plan.",
        "The 5 May 2020 meeting was cancelled",
        "La riunione del 2 novembre 2019 è stata annullata",
        "Harbour town votes to ban cars",
        "",
        "2022-04-14 " + "x" * 200,
    ],
)
def test_find_date_line_rejects_sentences(line: str) -> None:
    assert find_date_line(line) is None

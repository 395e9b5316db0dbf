"""Shared pytest configuration: the ``--soak`` option for long crash-safety runs, and the
fixtures of the URL and feed tests (a local web site, a library, no politeness delay),
and ``lib_path``, the TUI tests' library file. Tests run in UTC (dates are shown in the
local time zone, so screens and listings would otherwise depend on the machine's)."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from local_site import LocalSite
from test_tui_support import make_library

from reader.store import Library

os.environ["TZ"] = "UTC"
time.tzset()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--soak",
        action="store_true",
        default=False,
        help="run the long crash-safety soak tests (hundreds of kill -9 rounds)",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--soak"):
        return
    skip = pytest.mark.skip(reason="soak test: run with --soak")
    for item in items:
        if "soak" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def site() -> Iterator[LocalSite]:
    """A local web site on 127.0.0.1; add pages with ``site.add(path, body, ...)``."""
    s = LocalSite()
    s.thread.start()
    try:
        yield s
    finally:
        s.server.shutdown()
        s.server.server_close()


@pytest.fixture
def library(tmp_path: Path) -> Iterator[Library]:
    lib = Library(tmp_path / "lib.json")
    try:
        yield lib
    finally:
        lib.close()


@pytest.fixture
def no_host_delay(monkeypatch: pytest.MonkeyPatch) -> None:
    """No pause between requests to one host, and the default time limit."""
    monkeypatch.setenv("READER_HOST_DELAY", "0")
    monkeypatch.delenv("READER_HTTP_TIMEOUT", raising=False)


@pytest.fixture
def lib_path(tmp_path: Path) -> Path:
    """A library file holding the TUI tests' four articles (``test_tui_support``)."""
    path = tmp_path / "lib.json"
    make_library(path).close()
    return path


@pytest.fixture
def no_user_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty config folder (``READER_CONFIG_DIR``): the user's own config and themes
    stay out of the test. Use with ``pytestmark = pytest.mark.usefixtures(...)``."""
    folder = tmp_path / "config"
    folder.mkdir()
    monkeypatch.setenv("READER_CONFIG_DIR", str(folder))
    return folder

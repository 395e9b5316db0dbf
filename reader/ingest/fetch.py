"""Fetching web pages over HTTP(S) and importing them.

Owns: ``fetch_url`` (one GET with timeouts, a size limit, redirects, a User-Agent and
one-line errors), ``parse_url`` (fetch, then the importers), ``import_urls`` (the path
behind ``reader add https://...``: duplicates by URL are found before fetching) and
``fetch_unfetched`` (filling in articles known only by URL, politely: a per-host delay
and a concurrency limit; articles already fetched are skipped, so it can be re-run).

Every failure is a ``FetchFailed`` (an ``ImportFailed``): ``<url>: <reason>`` on one line.
``READER_HTTP_TIMEOUT`` (seconds) overrides the total timeout, e.g. for tests.
"""

from __future__ import annotations

import codecs
import os
import socket
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from email.message import Message
from http import HTTPStatus
from urllib.parse import urlsplit

import httpx

from reader.errors import ImportFailed, ReaderError
from reader.ingest.batch import ImportOutcome, import_parsed
from reader.ingest.importers import MAX_IMPORT_BYTES, parse_bytes
from reader.models import ParsedArticle
from reader.store import Library

__all__ = [
    "CONNECT_TIMEOUT",
    "MAX_REDIRECTS",
    "TOTAL_TIMEOUT",
    "USER_AGENT",
    "accepts_feed",
    "accepts_page",
    "FetchFailed",
    "FetchedPage",
    "HostThrottle",
    "fetch_parallel",
    "fetch_unfetched",
    "fetch_url",
    "import_urls",
    "is_url",
    "page_bytes",
    "parse_url",
]

USER_AGENT = "reader/0.1 (+terminal reader)"
CONNECT_TIMEOUT = 10.0
TOTAL_TIMEOUT = 30.0
MAX_REDIRECTS = 10
_CHUNK = 64 * 1024

# Content types we import as pages; a missing type is left to the importers' sniffing.
_PAGE_TYPES = frozenset({"application/xhtml+xml", "application/xml", "text/xml"})
# Content types a feed may be served as (besides any text/* type).
FEED_TYPES = frozenset(
    {
        "application/rss+xml",
        "application/atom+xml",
        "application/rdf+xml",
        "application/xml",
        "application/feed+json",
        "application/json",
        "application/x-rss+xml",
        "application/octet-stream",
    }
)


class FetchFailed(ImportFailed):
    """A URL could not be fetched. ``transient`` is True when trying later may work."""

    def __init__(self, source: str, reason: str, *, transient: bool = False) -> None:
        super().__init__(source, reason)
        self.transient = transient


@dataclass(slots=True)
class FetchedPage:
    """A downloaded response: the final URL (after redirects), its content type, its bytes."""

    url: str
    content_type: str  # the media type, lower case, without parameters ("" when absent)
    data: bytes
    charset: str | None = None  # from the Content-Type header, when given and known


def is_url(text: str) -> bool:
    """True for an http:// or https:// URL."""
    return text.strip().lower().startswith(("http://", "https://"))


def total_timeout() -> float:
    """The total timeout in seconds: ``READER_HTTP_TIMEOUT`` or 30."""
    raw = os.environ.get("READER_HTTP_TIMEOUT", "").strip()
    try:
        value = float(raw) if raw else TOTAL_TIMEOUT
    except ValueError:
        value = TOTAL_TIMEOUT
    return value if value > 0 else TOTAL_TIMEOUT


def accepts_page(media_type: str) -> bool:
    return not media_type or media_type.startswith("text/") or media_type in _PAGE_TYPES


def accepts_feed(media_type: str) -> bool:
    return accepts_page(media_type) or media_type in FEED_TYPES or media_type.endswith("+xml")


def _split_content_type(header: str | None) -> tuple[str, str | None]:
    if not header:
        return "", None
    msg = Message()
    msg["content-type"] = header
    media_type = msg.get_content_type().lower() if "/" in header.split(";")[0] else ""
    charset = msg.get_param("charset")
    if isinstance(charset, tuple):  # RFC 2231 form
        charset = charset[2]
    if charset:
        try:
            charset = codecs.lookup(str(charset).strip().strip("\"'")).name
        except LookupError:
            charset = None
    return media_type, (charset or None)


def _resolution_failed(err: BaseException) -> bool:
    seen: set[int] = set()
    current: BaseException | None = err
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, socket.gaierror):
            return True
        current = current.__cause__ or current.__context__
    text = str(err).lower()
    return any(
        s in text
        for s in (
            "name or service not known",
            "nodename nor servname",
            "temporary failure in name resolution",
            "no address associated",
            "getaddrinfo failed",
        )
    )


def _refused(err: BaseException) -> bool:
    current: BaseException | None = err
    for _ in range(8):
        if current is None:
            break
        if isinstance(current, ConnectionRefusedError):
            return True
        current = current.__cause__ or current.__context__
    return "connection refused" in str(err).lower()


def _one_line(text: object, limit: int = 200) -> str:
    return " ".join(str(text).split())[:limit]


def _check_url(url: str) -> str:
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        raise FetchFailed(url, "not a valid URL") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise FetchFailed(url, "not an http or https URL")
    if not parts.hostname:
        raise FetchFailed(url, "the URL has no host name")
    return url


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def _too_large(url: str, size: int | None, limit: int) -> FetchFailed:
    got = f"{_mb(size)}, " if size else "over "
    return FetchFailed(url, f"too large ({got}limit {limit // (1024 * 1024)} MB)")


def fetch_url(
    url: str,
    *,
    timeout: float | None = None,
    max_bytes: int = MAX_IMPORT_BYTES,
    accept: Callable[[str], bool] = accepts_page,
    kind: str = "a web page",
    client: httpx.Client | None = None,
) -> FetchedPage:
    """GET ``url`` following up to 10 redirects; the body is read up to ``max_bytes``.

    Timeouts: 10 s to connect, 30 s in all (``timeout`` or ``READER_HTTP_TIMEOUT``). The
    response must be a web page or text (``accept`` decides on the media type). Raises
    ``FetchFailed`` with a one-line reason: "could not resolve host", "connection refused",
    "timed out after 30 s", "HTTP 404 Not Found", "not a web page (content type ...)",
    "too large (...)".
    """
    url = _check_url(url)
    total = timeout if timeout is not None else total_timeout()
    deadline = time.monotonic() + total
    timeouts = httpx.Timeout(total, connect=min(CONNECT_TIMEOUT, total))
    own_client = client is None
    if client is None:
        client = new_client(timeouts)
    host = urlsplit(url).hostname or url
    try:
        with client.stream("GET", url, timeout=timeouts) as response:
            status = response.status_code
            if status >= 400:
                reason = response.reason_phrase or _phrase(status)
                raise FetchFailed(
                    url,
                    f"HTTP {status} {reason}".strip(),
                    transient=status >= 500 or status in (408, 429),
                )
            media_type, charset = _split_content_type(response.headers.get("content-type"))
            if not accept(media_type):
                raise FetchFailed(url, f"not {kind} (content type {_one_line(media_type, 80)})")
            length = response.headers.get("content-length", "")
            if length.isdigit() and int(length) > max_bytes:
                raise _too_large(url, int(length), max_bytes)
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_bytes(_CHUNK):
                size += len(chunk)
                if size > max_bytes:
                    raise _too_large(url, None, max_bytes)
                chunks.append(chunk)
                if time.monotonic() > deadline:
                    raise FetchFailed(url, f"timed out after {total:g} s", transient=True)
            return FetchedPage(str(response.url), media_type, b"".join(chunks), charset)
    except FetchFailed:
        raise
    except httpx.TimeoutException:
        raise FetchFailed(url, f"timed out after {total:g} s", transient=True) from None
    except httpx.TooManyRedirects:
        raise FetchFailed(url, f"too many redirects (more than {MAX_REDIRECTS})") from None
    except httpx.UnsupportedProtocol:
        raise FetchFailed(url, "redirected to a URL that is not http or https") from None
    except httpx.ConnectError as err:
        if _resolution_failed(err):
            raise FetchFailed(url, f"could not resolve host {host}", transient=True) from None
        if _refused(err):
            raise FetchFailed(url, f"connection refused by {host}", transient=True) from None
        raise FetchFailed(url, f"could not connect: {_one_line(err)}", transient=True) from None
    except httpx.DecodingError:
        raise FetchFailed(url, "the server sent a damaged compressed body") from None
    except (httpx.HTTPError, httpx.InvalidURL, OSError) as err:
        detail = _one_line(err) or type(err).__name__
        raise FetchFailed(url, f"download failed: {detail}", transient=True) from None
    finally:
        if own_client:
            client.close()


def new_client(timeouts: httpx.Timeout | None = None) -> httpx.Client:
    """An HTTP client with our User-Agent, redirects (max 10) and timeouts."""
    total = total_timeout()
    return httpx.Client(
        headers={"User-Agent": USER_AGENT, "Accept": "text/html,application/xhtml+xml,*/*;q=0.8"},
        follow_redirects=True,
        max_redirects=MAX_REDIRECTS,
        timeout=timeouts or httpx.Timeout(total, connect=min(CONNECT_TIMEOUT, total)),
    )


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def page_bytes(page: FetchedPage) -> bytes:
    """The page's bytes for ``parse_bytes``, honouring a charset from the header.

    With a header charset the text is decoded with it and handed on as UTF-8 behind a
    byte-order mark (the header outranks a ``<meta charset>``, as in browsers).
    Without one the bytes go as they are, so the importer reads ``<meta charset>``.
    """
    data = page.data
    if not page.charset or data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE)):
        return data
    if data.startswith(codecs.BOM_UTF16_BE):
        return data
    if page.charset in ("utf-8", "ascii"):
        return codecs.BOM_UTF8 + data.decode("utf-8", "replace").encode("utf-8")
    return codecs.BOM_UTF8 + data.decode(page.charset, "replace").encode("utf-8")


def parse_url(url: str, *, client: httpx.Client | None = None) -> ParsedArticle:
    """Fetch ``url`` and import it as an article (nothing is stored)."""
    page = fetch_url(url, client=client)
    article = parse_bytes(page_bytes(page), name=url, url=page.url)
    if not article.url:
        article.url = page.url
    return article


def import_urls(
    library: Library,
    urls: Iterable[str],
    *,
    tags: Sequence[str] = (),
    on_outcome: Callable[[ImportOutcome], None] | None = None,
) -> list[ImportOutcome]:
    """Fetch and store web pages; one outcome per URL, in order.

    A URL already in the library is reported as a duplicate without being fetched.
    """
    outcomes: list[ImportOutcome] = []
    with new_client() as client:
        for url in urls:
            outcome = _import_one(library, url.strip(), tags, client)
            outcomes.append(outcome)
            if on_outcome:
                on_outcome(outcome)
    return outcomes


def _import_one(
    library: Library, url: str, tags: Sequence[str], client: httpx.Client
) -> ImportOutcome:
    existing = library.find_duplicate(url, None)
    if existing is not None:
        return ImportOutcome(url, "duplicate", id=existing.id, title=existing.title)
    try:
        parsed = parse_url(url, client=client)
    except ReaderError as err:
        return ImportOutcome(url, "error", error=str(err))
    return import_parsed(library, parsed, label=url, tags=tags)


class HostThrottle:
    """Spaces requests to the same host at least ``delay`` seconds apart (thread-safe)."""

    def __init__(self, delay: float) -> None:
        self.delay = max(0.0, delay)
        self._lock = threading.Lock()
        self._next: dict[str, float] = {}

    def wait(self, url: str) -> None:
        """Block until a request to ``url``'s host is allowed, and book the slot."""
        if self.delay <= 0:
            return
        host = (urlsplit(url).hostname or "").lower()
        with self._lock:
            now = time.monotonic()
            slot = max(now, self._next.get(host, 0.0))
            self._next[host] = slot + self.delay
        if slot > now:
            time.sleep(slot - now)


def default_host_delay() -> float:
    """Seconds between two requests to one host: ``READER_HOST_DELAY`` or 1."""
    raw = os.environ.get("READER_HOST_DELAY", "").strip()
    try:
        return max(0.0, float(raw)) if raw else 1.0
    except ValueError:
        return 1.0


def fetch_parallel(
    urls: Sequence[str],
    *,
    concurrency: int = 4,
    per_host_delay: float | None = None,
) -> Iterable[ParsedArticle | ReaderError]:
    """Fetch and parse ``urls`` in threads, yielding results in the order of ``urls``."""
    throttle = HostThrottle(default_host_delay() if per_host_delay is None else per_host_delay)
    if not urls:
        return
    client = new_client()

    def work(url: str) -> ParsedArticle | ReaderError:
        throttle.wait(url)
        try:
            return parse_url(url, client=client)
        except ReaderError as err:
            return err

    pool = ThreadPoolExecutor(max_workers=max(1, concurrency))
    try:
        yield from pool.map(work, urls)
    finally:
        # On Ctrl-C or an early stop, drop the queued downloads instead of waiting for them.
        pool.shutdown(wait=False, cancel_futures=True)
        client.close()


def fetch_unfetched(
    library: Library,
    ids: Iterable[str] | None = None,
    *,
    concurrency: int = 4,
    per_host_delay: float | None = None,
    on_outcome: Callable[[ImportOutcome], None] | None = None,
    on_total: Callable[[int], None] | None = None,
) -> list[ImportOutcome]:
    """Fetch the bodies of articles stored by URL only (``ids``, or all when None).

    Articles already fetched or without a URL are skipped, so an interrupted run can simply
    be repeated. Requests run ``concurrency`` at a time, ``per_host_delay`` seconds apart
    per host (default ``READER_HOST_DELAY`` or 1 s). Bodies are stored as they arrive.
    """
    if ids is None:
        targets = [a for a in library.articles() if a.unfetched and a.url]
    else:
        targets = [library.get(i) for i in ids]
        targets = [a for a in targets if a.unfetched and a.url]
    if on_total:
        on_total(len(targets))
    outcomes: list[ImportOutcome] = []
    urls = [a.url or "" for a in targets]
    for article, result in zip(
        targets,
        fetch_parallel(urls, concurrency=concurrency, per_host_delay=per_host_delay),
        strict=True,
    ):
        label = article.url or article.id
        if isinstance(result, ReaderError):
            outcome = ImportOutcome(label, "error", id=article.id, error=str(result))
        else:
            stored = library.set_body(article.id, result)
            outcome = ImportOutcome(label, "added", id=stored.id, title=stored.title)
        outcomes.append(outcome)
        if on_outcome:
            on_outcome(outcome)
    return outcomes

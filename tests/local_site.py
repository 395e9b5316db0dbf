"""A local web site for the URL and feed tests: pages of our own making, served by
``http.server`` on 127.0.0.1 (never the internet), plus the CLI runner they share."""

from __future__ import annotations

import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from click.testing import CliRunner

from reader.cli import cli

PARAGRAPHS = [
    "The repair café in the old fire station opened its doors on the first Saturday of "
    "March, and by ten o'clock the queue of broken toasters, wobbly chairs and bicycles "
    "with slipping gears reached the corner of Pellow Street.",
    "Volunteers sat at six long tables, each with a hand-lettered sign: electrics, "
    "textiles, wood, bicycles, small engines and, at the far end, a table simply marked "
    "'puzzles' for the things nobody could classify.",
    "Organiser Wenna Trask said the idea was borrowed from a neighbouring town, where a "
    "similar café had mended more than four hundred items in its first year and kept "
    "almost two tonnes of household goods out of the landfill.",
    "Not every repair succeeded. A vacuum cleaner from the nineteen-eighties defeated two "
    "volunteers and a borrowed multimeter, and its owner carried it home again, promising "
    "to return next month with the missing drive belt.",
    "The café will open on the first Saturday of every month. Visitors are asked to bring "
    "no more than two items each, to clean them beforehand, and to stay and learn how the "
    "fix was made so that the next repair can happen at home.",
]


def article_page(
    title: str = "Repair café mends its first hundred items", *, extra: str = ""
) -> str:
    # The title's words in the text, so that pages of different titles differ in their
    # body too (the headline itself is dropped from the body as the title's repeat).
    body = f"<p>Our reporter on {title.lower()}.</p>\n" + "\n".join(
        f"<p>{p}</p>" for p in PARAGRAPHS
    )
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{title} | Pellow Gazette</title>
<meta name="author" content="Jory Penhale">
<meta property="og:site_name" content="Pellow Gazette">
<meta property="article:published_time" content="2024-03-04T09:30:00Z">
</head><body>
<nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>{title}</h1>{extra}
{body}
</article>
<footer>Pellow Gazette, all rights reserved.</footer>
</body></html>"""


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    content_type: str | None = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    sleep: float = 0.0
    stream_bytes: int = 0  # send this many bytes, close-delimited, without a Content-Length
    send_length: bool = True


class LocalSite:
    """A tiny web site on 127.0.0.1: ``routes`` by path, ``hits`` per path, bytes sent."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: Counter[str] = Counter()
        self.user_agents: list[str] = []
        self.streamed = 0
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"

            def log_message(self, *_args: object) -> None:
                pass

            def do_GET(self) -> None:
                path = self.path.split("?")[0]
                site.hits[path] += 1
                site.user_agents.append(self.headers.get("User-Agent", ""))
                route = site.routes.get(path)
                if route is None:
                    route = Route(b"<html><body>Not here</body></html>", status=404)
                if route.sleep:
                    time.sleep(route.sleep)
                try:
                    self.send_response(route.status)
                    if route.content_type:
                        self.send_header("Content-Type", route.content_type)
                    for key, value in route.headers.items():
                        self.send_header(key, value)
                    if route.stream_bytes:
                        self.end_headers()
                        chunk = b"<p>" + b"x" * 65530 + b"</p>"
                        while site.streamed < route.stream_bytes:
                            self.wfile.write(chunk)
                            site.streamed += len(chunk)
                        return
                    if route.send_length:
                        self.send_header("Content-Length", str(len(route.body)))
                    self.end_headers()
                    self.wfile.write(route.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def base(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, path: str) -> str:
        return self.base + path

    def add(self, path: str, body: str | bytes = b"", **kwargs: object) -> str:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.routes[path] = Route(data, **kwargs)  # type: ignore[arg-type]
        return self.url(path)


def run_cli(db: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--db", str(db), *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr

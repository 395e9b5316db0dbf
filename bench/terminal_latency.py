"""Key latency through a real terminal: reader, the method floor and newsboat, in one run.

Usage::

    python bench/terminal_latency.py --sizes 1000,10000,50000 [--presses 40] [--start]
        [--no-newsboat] [--keys j,enter,...] [--json out.json]

Owns the through-the-terminal measurement of issue 17. Each program runs in its own tmux
server at 120x40 (``tmux_screen.TmuxScreen``); a key is sent with ``send-keys`` and the
screen polled with ``capture-pane -p`` until it differs from the screen before the key
("changed"), and on until it shows what the key was for ("done": the new article's title
in the article pane, the list filtered to the right count). Before every key the program
is left to finish what the last one caused (no CPU used for 0.12 s), except in the
held-down ``j`` row, where 20 ``j`` go out in one burst. The method floor is
``echo_keys.py`` (a raw-mode loop redrawing one line per key), pressed after every key of
reader's in the same run. newsboat (if installed) reads a cache of the same size built
from a local Atom file (``exec:cat``: no network). ``--start`` adds bench/run.py's cold
start rows (reader vs a minimal Textual app, with and without the start snapshot).
Nothing here is a test: it prints figures and ratios, and never fails on speed.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from html import escape
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))

import synthetic  # noqa: E402
from run import aligned_rows  # noqa: E402
from tmux_screen import Press, ScreenTimeout, TmuxScreen  # noqa: E402

COLS, ROWS = 120, 40
FILTER_TEXT = "climate river"
BURST = 20  # keys in the held-down j row
GOALS = {  # (median, p90) in ms, on "done" where a key has one (issue 17)
    "j": (20, 30),
    "j: preview": (50, None),
    "enter": (20, None),
    "space": (20, None),
    "b": (20, None),
    "filter key": (30, None),
    "]": (20, None),
    "n": (20, None),
}


@dataclass
class Figures:
    """The presses of one key by one program at one size."""

    program: str
    size: int
    key: str
    changed: list[float] = field(default_factory=list)  # seconds
    done: list[float] = field(default_factory=list)
    misses: int = 0
    note: str = ""

    def add(self, press: Press | None) -> None:
        """One press (None: the screen never changed)."""
        if press is None:
            self.misses += 1
            return
        self.changed.append(press.changed)
        if press.done is not None:
            self.done.append(press.done)


def p90(values: Sequence[float]) -> float:
    """The 90th percentile (nearest rank)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.9 * len(ordered)) - 1)]


def log(message: str) -> None:
    """Progress on stderr."""
    print(message, file=sys.stderr, flush=True)


# -- screen reading -----------------------------------------------------------------------
def _norm(text: str) -> str:
    return " ".join(text.split())


def pane_text(screen: list[str], pane: int) -> str:
    """The text inside the ``pane``-th bordered box of the panes row (0 list, 1 article),
    lines joined (a wrapped title reads as one line again)."""
    top = next((n for n, line in enumerate(screen) if line.count("╭") >= 2), None)
    if top is None:
        return ""
    starts = [i for i, ch in enumerate(screen[top]) if ch == "╭"]
    if pane >= len(starts):
        return ""
    left = starts[pane]
    right = screen[top].find("╮", left)
    parts = []
    for line in screen[top + 1 : top + ROWS]:
        if len(line) > left and line[left] in "│╰":
            parts.append(line[left + 1 : right].strip("▁▂▃▄▅▆▇█▌▐ "))
    return _norm(" ".join(parts))


def title_words(title: str, count: int = 4) -> str:
    """The start of a title, as the article pane shows it."""
    return " ".join(title.split()[:count])


def shows_title(title: str) -> Callable[[list[str]], bool]:
    """A screen whose article pane shows ``title``."""
    words = title_words(title)
    return lambda screen: words in pane_text(screen, 1)


def list_count(count: int) -> Callable[[list[str]], bool]:
    """A screen whose list says it holds ``count`` articles."""
    label = f"Articles ({count})"
    return lambda screen: any(label in line for line in screen[:3])


# -- the library and its facts --------------------------------------------------------------
@dataclass
class LibraryFacts:
    """What the measurements need to know of a library, in its shown order."""

    titles: list[str]
    word_counts: list[int]
    highlights: list[int]
    start: int
    filter_counts: list[int]


def library_facts(path: Path) -> LibraryFacts:
    """Titles, lengths and highlight counts in the list's order, the start row and the
    list's count after each character of ``FILTER_TEXT``."""
    from reader.sanitize import clean_line
    from reader.store import Library
    from reader.tui.library_view import LibraryView

    with Library(path) as lib:
        view = LibraryView(lib, sort=str(lib.get_setting("sort", "added")))
        rows = list(view.rows)
        last = lib.get_setting("last_article")
        start = next((i for i, a in enumerate(rows) if a.id == last), 0)
        counts = {a.id: len(lib.highlights(a.id)) for a in rows[:2000]}
        view.build_index()
        filter_counts = []
        for n in range(1, len(FILTER_TEXT) + 1):
            view.set_query(FILTER_TEXT[:n])
            filter_counts.append(len(view.rows))
    return LibraryFacts(
        [clean_line(a.title) or "(untitled)" for a in rows],
        [a.word_count for a in rows],
        [counts.get(a.id, 0) for a in rows],
        start,
        filter_counts,
    )


# -- reader -------------------------------------------------------------------------------
class Run:
    """Timed presses of one program, each followed by one of the floor's."""

    def __init__(
        self,
        screen: TmuxScreen,
        floors: Sequence[TmuxScreen],
        size: int,
    ) -> None:
        self.screen = screen
        self.floors = floors
        self.size = size
        self.figures: dict[str, Figures] = {}
        self.floor_figures = {f.name: Figures(f.name, size, "any key") for f in floors}

    def press(
        self,
        key: str,
        label: str,
        until: Callable[[list[str]], bool] | None = None,
        *,
        literal: bool = False,
        timeout: float = 10.0,
    ) -> Press | None:
        """One timed key (after the program is idle), then one of the floor's."""
        figures = self.figures.setdefault(label, Figures(self.screen.name, self.size, label))
        self.screen.wait_idle()
        try:
            result: Press | None = self.screen.press(
                key, literal=literal, until=until, timeout=timeout
            )
        except ScreenTimeout:
            result = None
        figures.add(result)
        for floor in self.floors:
            floor.wait_idle(quiet=0.03)
            try:
                self.floor_figures[floor.name].add(floor.press(key, literal=literal))
            except ScreenTimeout:
                self.floor_figures[floor.name].add(None)
        return result

    def untimed(self, *keys: str, literal: bool = False) -> None:
        """Keys that set up the next measurement."""
        self.screen.wait_idle()
        self.screen.send(*keys, literal=literal)
        self.screen.wait_idle()


def reader_env(home: Path) -> dict[str, str]:
    """A home of its own: no user config, no user themes."""
    return {
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_DATA_HOME": str(home / ".local/share"),
        "TERM": "xterm-256color",
    }


KEY_GROUPS = ("j", "b", "enter", "n", "held", "space", "]", "filter")
"""The rows ``--keys`` can pick (``held``: the held-down ``j``)."""


def measure_reader(
    library: Path,
    size: int,
    presses: int,
    floors: Sequence[TmuxScreen],
    keys: Sequence[str] = KEY_GROUPS,
) -> tuple[list[Figures], dict[str, Figures]]:
    """Every key of issue 17 on reader (or those of ``keys``), at one size."""
    from run import working_copy

    with working_copy(library) as copy, tempfile.TemporaryDirectory() as home:
        facts = library_facts(copy)
        argv = [sys.executable, "-m", "reader", "--db", str(copy)]
        with TmuxScreen("reader", argv, env=reader_env(Path(home)), cols=COLS, rows=ROWS) as tm:
            row = facts.start
            tm.wait_for(shows_title(facts.titles[row]))
            tm.wait_idle(quiet=0.5, timeout=120)  # the search index is built in the back
            run = Run(tm, floors, size)
            log(f"  reader {size:,}: {', '.join(keys)}")
            for _ in range(presses if "j" in keys else 0):
                row += 1
                run.press("j", "j", shows_title(facts.titles[row]))
            for _ in range(presses if "b" in keys else 0):
                run.press("b", "b")
            for _ in range(presses if "enter" in keys else 0):
                run.press("Enter", "enter")
                run.untimed("Escape")
            run.untimed("Enter")
            for _ in range(presses if "n" in keys else 0):
                row += 1
                run.press("n", "n", shows_title(facts.titles[row]))
            run.untimed("Escape")
            # held-down j: a burst, timed to the last article's title
            for _ in range(max(1, presses // 8) if "held" in keys else 0):
                row += BURST
                tm.wait_idle()
                try:
                    burst = tm.press(*["j"] * BURST, until=shows_title(facts.titles[row]))
                except ScreenTimeout:
                    burst = None
                run.figures.setdefault(
                    "held j", Figures("reader", size, f"held j x{BURST}: last preview")
                ).add(burst)
            # space in a long article
            long_row = next(
                (i for i in range(row + 1, len(facts.titles)) if facts.word_counts[i] >= 15_000),
                None,
            )
            if long_row is not None and "space" in keys:
                run.untimed(*["j"] * (long_row - row))
                row = long_row
                tm.wait_for(shows_title(facts.titles[row]))
                run.untimed("Enter")
                for n in range(presses):
                    if n and n % 12 == 0:
                        run.untimed("g")
                    run.press("Space", "space")
                run.untimed("Escape")
            # ] in an article with highlights spread over it
            marked = next(
                (
                    i
                    for i in range(row + 1, min(len(facts.titles), row + 2000))
                    if facts.highlights[i] >= 4 and facts.word_counts[i] >= 2000
                ),
                None,
            )
            if marked is not None and "]" in keys:
                run.untimed(*["j"] * (marked - row))
                row = marked
                tm.wait_for(shows_title(facts.titles[row]))
                run.untimed("Enter")
                done = 0
                while done < presses:
                    run.untimed("g")
                    for _ in range(facts.highlights[row] - 1):
                        run.press("]", "]", timeout=1.0)
                        done += 1
                run.untimed("Escape")
            typed = 0
            while typed < (presses if "filter" in keys else 0):
                run.untimed("/")
                for n, char in enumerate(FILTER_TEXT):
                    run.press(char, "filter key", list_count(facts.filter_counts[n]), literal=True)
                    typed += 1
                run.untimed("Escape")
            tm.send("q")
            tm.wait_idle(quiet=0.3)
    return list(run.figures.values()), run.floor_figures


# -- newsboat -------------------------------------------------------------------------------
NEWSBOAT_CONFIG = """\
bind-key j down
bind-key k up
confirm-exit no
show-read-feeds yes
max-items 0
"""


def newsboat_dir(library: Path, size: int, cache_dir: Path | None) -> Path:
    """A newsboat home holding a cache of the library's articles (built once, then kept):
    one Atom feed, made locally, loaded with ``exec:cat`` (no network). Long articles
    (5,000 words or more) carry their whole text; the others their first 600 characters
    (newsboat stores every item's text in its cache; the feed file of 50,000 whole
    articles would be 600 MB). The first long article is dated last, so it is the first
    row of newsboat's list (where ``space`` is measured)."""
    folder = (cache_dir or synthetic.default_cache_dir()) / f"newsboat-v2-n{size}"
    cache = folder / "cache.db"
    if cache.exists():
        return folder
    from reader.store import Library

    folder.mkdir(parents=True, exist_ok=True)
    feed = folder / "feed.atom"
    with Library(library) as lib, feed.open("w", encoding="utf-8") as out:
        out.write('<?xml version="1.0" encoding="utf-8"?>\n')
        out.write('<feed xmlns="http://www.w3.org/2005/Atom"><title>bench</title>')
        out.write("<id>urn:bench</id><updated>2024-01-01T00:00:00Z</updated>\n")
        first_long = True
        for article in lib.articles():
            body = lib.body(article.id) or ""
            if article.word_count < 5000:
                body = body[:600]
            paragraphs = "".join(f"<p>{escape(p)}</p>" for p in body.split("\n\n") if p)
            day = (article.published or article.added or "2024-01-01")[:10]
            if first_long and article.word_count >= 15_000:
                day, first_long = "2030-01-01", False
            out.write(
                f"<entry><title>{escape(article.title)}</title><id>urn:{article.id}</id>"
                f'<link href="https://example.org/{article.id}"/>'
                f"<updated>{day}T00:00:00Z</updated>"
                f'<content type="html">{escape(paragraphs)}</content></entry>\n'
            )
        out.write("</feed>\n")
    (folder / "urls").write_text(f'"exec:cat {feed}"\n', encoding="utf-8")
    (folder / "config").write_text(NEWSBOAT_CONFIG, encoding="utf-8")
    started = time.perf_counter()
    subprocess.run(
        [*newsboat_argv(folder, Path(tempfile.gettempdir())), "-x", "reload"],
        check=True,
        env=dict(os.environ, HOME=str(folder)),
        stdout=subprocess.DEVNULL,
    )
    log(f"  newsboat cache of {size:,} built in {time.perf_counter() - started:.0f} s")
    return folder


def newsboat_argv(folder: Path, cache_copy: Path) -> list[str]:
    """newsboat on this folder's urls and config, on a copy of its cache."""
    cache = folder / "cache.db" if cache_copy.is_dir() else cache_copy
    return [
        "newsboat",
        "-u",
        str(folder / "urls"),
        "-C",
        str(folder / "config"),
        "-c",
        str(cache),
    ]


def measure_newsboat(
    library: Path, size: int, presses: int, cache_dir: Path | None
) -> list[Figures]:
    """The keys newsboat has: j in the article list, enter (open), space, n (next
    unread) and a keystroke in its search prompt (it has no filter as you type)."""
    folder = newsboat_dir(library, size, cache_dir)
    with tempfile.TemporaryDirectory() as tmp:
        cache = Path(tmp) / "cache.db"
        shutil.copy2(folder / "cache.db", cache)
        env = {"HOME": tmp, "TERM": "xterm-256color"}
        argv = newsboat_argv(folder, cache)
        with TmuxScreen("newsboat", argv, env=env, cols=COLS, rows=ROWS) as tm:
            tm.wait_for(lambda s: any("bench" in line for line in s), timeout=300)
            tm.wait_idle(quiet=0.5, timeout=300)
            run = Run(tm, (), size)
            run.untimed("Enter")  # the feed's article list
            tm.wait_idle(quiet=0.5, timeout=300)
            log(f"  newsboat {size:,}: space, j, enter, n, search prompt")
            run.untimed("Enter")  # the first row: the long article
            for n in range(presses):
                if n and n % 12 == 0:
                    run.untimed("q")
                    run.untimed("Enter")
                run.press("Space", "space")
            run.untimed("q")
            for _ in range(presses):
                run.press("j", "j")
            for _ in range(presses):
                run.press("Enter", "enter")
                run.untimed("q")
            run.untimed("Enter")
            for _ in range(presses):
                run.press("n", "n")
            run.untimed("q")
            run.untimed("/")
            typed = 0
            while typed < presses:
                for char in FILTER_TEXT:
                    run.press(char, "filter key", literal=True)
                    typed += 1
                run.untimed("C-u")
            run.untimed("Escape")
            tm.send("Q")
    for figures in run.figures.values():
        figures.program = "newsboat"
    run.figures["filter key"].note = "search prompt echo (no live filter)"
    return list(run.figures.values())


# -- the table ------------------------------------------------------------------------------
def _ms(values: Sequence[float]) -> str:
    if not values:
        return "-"
    return f"{statistics.median(values) * 1000:.1f} / {p90(values) * 1000:.1f}"


def render(results: list[Figures], floors: dict[int, dict[str, Figures]]) -> str:
    """One table per size: key, reader changed / done, ratios to the two references,
    newsboat, goal and verdict (on "changed"; for j and n also the preview, on "done")."""
    lines = []
    for size in sorted({f.size for f in results}):
        refs = floors.get(size, {})
        medians = {name: statistics.median(f.changed) for name, f in refs.items() if f.changed}
        lines.append(
            f"\n{size:,} articles (median / p90, ms; 'changed': the first different screen; "
            "'done': the new article's title in the article pane, the list's new count)"
        )
        header = (
            "key",
            "reader: changed",
            "reader: done",
            "x floor",
            "x textual",
            "newsboat: changed",
            "goal (ms)",
            "",
        )
        table = [header]
        ours = {f.key: f for f in results if f.size == size and f.program == "reader"}
        theirs = {f.key: f for f in results if f.size == size and f.program == "newsboat"}
        for key, figures in ours.items():
            timed = figures.done or figures.changed
            goal = GOALS.get(key)
            verdict = ""
            if goal is not None and figures.changed:
                med = statistics.median(figures.changed) * 1000
                high = p90(figures.changed) * 1000
                ok = med <= goal[0] and (goal[1] is None or high <= goal[1])
                verdict = "ok" if ok else "SLOW"
                if key == "filter key" and figures.done:
                    done = statistics.median(figures.done) * 1000
                    verdict = "ok" if done <= goal[0] else "SLOW"
                if key in ("j", "n") and figures.done:
                    preview = statistics.median(figures.done) * 1000
                    verdict += ", preview " + ("ok" if preview <= 50 else "SLOW")
            if figures.misses:
                verdict += f" ({figures.misses} unchanged)"
            ratios = [
                f"{statistics.median(timed) / medians[name]:.0f}x"
                if name in medians and timed
                else "-"
                for name in ("floor", "textual")
            ]
            other = theirs.get(key)
            goal_text = (
                "-" if goal is None else f"<= {goal[0]}" + (f" / {goal[1]}" if goal[1] else "")
            )
            if key in ("j", "n"):
                goal_text += "; done <= 50"
            if key == "filter key":
                goal_text = "done <= 30"
            newsboat = "-"
            if other is not None:
                newsboat = _ms(other.changed) + (f" ({other.note})" if other.note else "")
            table.append(
                (
                    key,
                    _ms(figures.changed),
                    _ms(figures.done),
                    *ratios,
                    newsboat,
                    goal_text,
                    verdict,
                )
            )
        for name, label in (("floor", "floor: echo_keys.py"), ("textual", "textual echo app")):
            if name in refs:
                table.append((label, _ms(refs[name].changed), "-", "-", "-", "-", "-", ""))
        lines.extend(aligned_rows(table))
    return "\n".join(lines)


# -- main -----------------------------------------------------------------------------------
def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000,50000")
    parser.add_argument("--presses", type=int, default=40)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--cache-dir", type=Path, default=None)
    parser.add_argument("--no-newsboat", action="store_true", help="reader and floor only")
    parser.add_argument("--start", action="store_true", help="also bench/run.py's cold start")
    parser.add_argument("--start-runs", type=int, default=6)
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument(
        "--keys",
        default=",".join(KEY_GROUPS),
        help=f"only these rows of reader's (of {','.join(KEY_GROUPS)})",
    )
    args = parser.parse_args(argv)
    args.key_list = [k for k in args.keys.split(",") if k in KEY_GROUPS]
    args.size_list = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Measure every size, print the tables (and the cold start rows with ``--start``)."""
    args = parse_args(argv)
    if shutil.which("tmux") is None:
        print("terminal_latency: tmux is not installed", file=sys.stderr)
        return 1
    have_newsboat = shutil.which("newsboat") is not None and not args.no_newsboat
    import run as bench_run

    machine = bench_run.machine_info()
    results: list[Figures] = []
    floors: dict[int, dict[str, Figures]] = {}
    start_rows = []
    for size in args.size_list:
        log(f"library of {size:,} articles ...")
        path, _ = synthetic.build_library(size, args.seed, args.cache_dir, progress=log)
        references = [
            TmuxScreen("floor", [sys.executable, str(BENCH_DIR / "echo_keys.py")]),
            TmuxScreen("textual", [sys.executable, str(BENCH_DIR / "echo_app.py")]),
        ]
        try:
            references[0].wait_for(lambda s: "ECHO-READY" in s[0])
            references[1].wait_for(lambda s: any("ECHO-APP-READY" in line for line in s))
            ours, floors[size] = measure_reader(path, size, args.presses, references, args.key_list)
        finally:
            for reference in references:
                reference.close()
        results.extend(ours)
        if have_newsboat:
            try:
                results.extend(measure_newsboat(path, size, args.presses, args.cache_dir))
            except (ScreenTimeout, RuntimeError, OSError, subprocess.SubprocessError) as err:
                log(f"  newsboat {size:,} failed: {err}")
        if args.start:
            log(f"  cold start {size:,} ...")
            try:
                start_rows.extend(bench_run.measure_cold_start(path, size, args.start_runs))
            except (RuntimeError, OSError) as err:
                log(f"  cold start {size:,} failed: {err}")
        print(render([f for f in results if f.size == size], floors), flush=True)
    print(
        f"machine: {machine['cpu']}, {machine['cores']} cores; Python {machine['python']}; "
        f"Textual {machine['textual']}; load average at start {machine['load']}"
    )
    print(
        f"through tmux {COLS}x{ROWS}; newsboat: {'measured' if have_newsboat else 'not installed'}"
    )
    print(f"load average at the end {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(render(results, floors))
    if start_rows:
        report = bench_run.Report(machine, start_rows)
        print("\n" + bench_run.render_table(report).split("\n", 3)[-1])
    if args.json:
        data = {
            "machine": machine,
            "figures": [asdict(f) for f in results],
            "references": {
                str(k): {name: asdict(f) for name, f in v.items()} for k, v in floors.items()
            },
            "start": [asdict(r) for r in start_rows],
        }
        args.json.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The benchmark of issue "Fast at 10,000 and 50,000 articles": one command, one table.

Usage::

    python bench/run.py --sizes 1000,10000[,50000] [--quick] [--runs N] [--json out.json]

Owns the measurements and the table. Every figure is a median of several runs, next to a
reference measured in the same run and the ratio to it:

* cold start: ``reader --db LIB`` in a 120x40 pseudo-terminal until the first list row's
  title is on screen, against ``bench/minimal_app.py`` (one line, exits after its first frame);
* key latency, in-process (``App.run_test`` + ``Pilot``): ``await pilot.press(key)`` then
  ``await pilot.pause()`` (and, when opening an article, the background layout worker),
  against a key nothing is bound to;
* ``Library.set_bookmarked`` alone; import throughput (``import_paths`` with 2 and 1 workers
  against html2text on one core) and whether the parallel import stored exactly what the
  serial one did; export of 10,000 highlights to each format (against ``json.dumps`` of the
  same highlights); peak RSS (VmHWM) of a process that opens the library, builds the list
  model and search index and shows the list (against the minimal app in the same harness).

Synthetic libraries come from ``bench/synthetic.py`` and are cached by size and seed.
No assertion here fails on speed: the table says "ok"/"SLOW" against the issue's targets.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))

import synthetic  # noqa: E402
from pty_timing import time_to_marker  # noqa: E402

ROW_NAMES = (
    "cold start (pty, first screen)",
    "cold start, no snapshot",
    "key j: next article in list",
    "open article 5,000 words",
    "open article 20,000 words",
    "space: page down in article",
    "filter: first keystroke (index)",
    "filter: text keystroke",
    "filter: tag: keystroke",
    "key b: bookmark (with write)",
    "Library.set_bookmarked alone",
    "peak RSS (list + index)",
    "import 2 workers",
    "import 1 worker",
    "html2text 1 core",
    "export markdown",
    "export json",
    "export csv",
    "export obsidian",
)
"""Every row the table can hold (``tests/test_bench_quick.py`` checks they are printed)."""


@dataclass
class Row:
    """One line of the table."""

    name: str
    size: str
    unit: str  # "ms", "s", "MB", "pages/s"
    median: float
    p95: float | None = None
    reference: float | None = None
    reference_label: str = ""
    target: str = ""
    ok: bool | None = None
    samples: int = 0
    note: str = ""

    @property
    def ratio(self) -> float | None:
        """median / reference (for pages/s: median / reference too)."""
        if self.reference in (None, 0):
            return None
        return self.median / self.reference  # type: ignore[operator]


@dataclass
class Report:
    """Everything measured, for the table and ``--json``."""

    machine: dict[str, str]
    rows: list[Row] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)


def p95(values: Sequence[float]) -> float:
    """The 95th percentile (nearest rank)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def log(message: str) -> None:
    """Progress on stderr (the table goes to stdout)."""
    print(message, file=sys.stderr, flush=True)


# -- machine ------------------------------------------------------------------------------------
def machine_info() -> dict[str, str]:
    """CPU model, cores, Python and Textual versions."""
    cpu = platform.processor() or "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    import textual

    return {
        "cpu": cpu,
        "cores": str(os.cpu_count() or 1),
        "python": platform.python_version(),
        "textual": textual.__version__,
        "platform": platform.platform(),
        "load": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


# -- working copies ---------------------------------------------------------------------------------
@contextlib.contextmanager
def working_copy(library: Path):
    """A copy of the library file beside a symlink to its (read-only here) bodies, so
    bookmarks and reading positions written by a measurement never touch the cache."""
    with tempfile.TemporaryDirectory(prefix="reader-bench-") as tmp:
        copy = Path(tmp) / library.name
        shutil.copy2(library, copy)
        for sidecar in (".journal",):  # small changes not yet compacted into the main file
            extra = library.with_name(library.name + sidecar)
            if extra.exists():
                shutil.copy2(extra, copy.with_name(copy.name + sidecar))
        index = library.with_name(library.stem + ".index")
        if index.exists():
            shutil.copy2(index, copy.with_name(index.name))
        bodies = library.with_name(library.stem + ".bodies")
        (Path(tmp) / bodies.name).symlink_to(bodies, target_is_directory=True)
        with copy.open("rb") as handle:
            current_format = handle.read(10) == b'{"_epoch":'
        if not current_format:  # built by an older version: one write brings it up to date
            from reader.store import Library

            with Library(copy) as lib:
                lib.set_setting("bench_copy", True)
        yield copy


# -- cold start ------------------------------------------------------------------------------------
def complete_screen_marker(library: Path) -> str:
    """Words the first complete screen shows and no earlier one: the start of a paragraph
    of the article shown at start (the last one read, else the first row), not found in
    the titles and summaries the list shows beside it."""
    from reader.store import Library
    from reader.text.document import parse_document
    from reader.tui.library_view import LibraryView

    with Library(library) as lib:
        view = LibraryView(lib, sort=str(lib.get_setting("sort", "added")))
        last = lib.get_setting("last_article")
        shown = view.get(last) if isinstance(last, str) else None
        shown = shown or view.rows[0]
        listed = " ".join(f"{a.title} {a.summary or ''}" for a in view.rows[:100])
        body = lib.body(shown.id) or ""
    for block in parse_document(body)[:20]:
        words = block.text.split()[:4]
        # the first words of a paragraph: on the first row it takes in the article pane
        marker = next(
            (" ".join(words[:n]) for n in range(2, 5) if len(" ".join(words[:n])) >= 8), ""
        )
        if block.kind == "paragraph" and marker and marker not in listed:
            return marker
    raise RuntimeError(f"{library}: no paragraph of {shown.id} makes a marker")


def compile_bytecode() -> None:
    """Byte-compile the ``reader`` package, as ``pip install`` does for a user. An editable
    checkout (or ``PYTHONDONTWRITEBYTECODE``) may hold stale ``.pyc`` files, and compiling
    the sources at every start would count in the cold start of ``reader`` only."""
    import compileall

    import reader

    compileall.compile_dir(Path(reader.__file__).parent, quiet=1)


def measure_cold_start(library: Path, size: int, runs: int) -> list[Row]:
    """reader --db LIB vs the minimal app, interleaved, all in a 120x40 pty.

    Two ways to start: as usual (the library is as the last session or ``reader`` command
    left it, so the first screen comes from its start snapshot and the library opens
    right after it), and without a snapshot (the first start of a library, after a crash
    or a write by another program: a forked process makes the snapshot meanwhile)."""
    from reader.settings.paths import snapshot_path

    compile_bytecode()
    marker = complete_screen_marker(library)
    env = dict(os.environ)
    reader_argv = [sys.executable, "-m", "reader", "--db", str(library)]
    minimal_argv = [sys.executable, str(BENCH_DIR / "minimal_app.py")]
    usual, changed, reference = [], [], []
    with working_copy(library) as copy:
        reader_argv[-1] = str(copy)
        snapshot = snapshot_path(copy)

        def reader_start(*, with_snapshot: bool) -> float:
            if not with_snapshot:
                snapshot.unlink(missing_ok=True)
            elif not snapshot.exists():
                raise RuntimeError(f"{snapshot}: no start snapshot was saved at quit")
            # q once the screen is complete: the app quits as for a user (and saves its
            # snapshot, from the library or from the forked maker's copy)
            return time_to_marker(reader_argv, marker, env=env, grace=30.0, quit_keys=b"q")

        time_to_marker(minimal_argv, "MINIMAL-APP-READY", env=env)  # warm the file cache
        reader_start(with_snapshot=False)  # warm up; saves the first snapshot
        for _ in range(runs):
            reference.append(time_to_marker(minimal_argv, "MINIMAL-APP-READY", env=env))
            usual.append(reader_start(with_snapshot=True))
            changed.append(reader_start(with_snapshot=False))
    ref = statistics.median(reference)
    limit = 1.5 if size <= 10_000 else 2.0
    return [
        Row(
            name,
            f"{size:,}",
            "s",
            statistics.median(times),
            p95(times),
            ref,
            "minimal app",
            f"<= {limit}x",
            statistics.median(times) / ref <= limit,
            len(times),
            note,
        )
        for name, times, note in (
            (ROW_NAMES[0], usual, "first screen from the start snapshot"),
            (ROW_NAMES[1], changed, "stale or none: made by a forked process meanwhile"),
        )
    ]


# -- key latency -----------------------------------------------------------------------------------
async def _echo_latencies(presses: int) -> list[tuple[float, float, float]]:
    """The reference for the key rows: a bare Textual app whose one line changes on a key,
    timed like the reader's keys (key to the next frame drawn)."""
    from textual.app import App, ComposeResult
    from textual.widgets import Static

    perf, process_time = time.perf_counter, time.process_time
    frames: list[float] = []

    class EchoApp(App[None]):
        BINDINGS = [("x", "echo", "Echo")]

        def compose(self) -> ComposeResult:
            yield Static("0", id="echo")

        def action_echo(self) -> None:
            line = self.query_one("#echo", Static)
            line.update(str(int(str(line.render())) + 1))

        def _display(self, screen: Any, renderable: Any) -> None:
            super()._display(screen, renderable)
            if renderable is not None:
                frames.append(perf())

    samples = []
    app = EchoApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        for _ in range(presses):
            seen = len(frames)
            start, cpu = perf(), process_time()
            await pilot.press("x")
            await pilot.pause()
            wall, used = perf() - start, process_time() - cpu
            drawn = frames[seen:]
            samples.append((wall, used, (drawn[0] - start) if drawn else float("nan")))
    return samples


async def _key_latencies(
    library: Path, presses: int
) -> dict[str, list[tuple[float, float, float]]]:
    from reader.store import Library
    from reader.tui.app import ReaderApp

    results: dict[str, list[tuple[float, float, float]]] = {}
    lib = Library(library)
    app = ReaderApp(lib, library_label="bench")
    perf, process_time = time.perf_counter, time.process_time

    # Every frame the app draws: when, the article shown in it and the list's filter.
    frames: list[tuple[float, str | None, str]] = []
    display = app._display

    def recording_display(screen: Any, renderable: Any) -> None:
        display(screen, renderable)
        if renderable is not None:
            shown = app.main_screen.article_view.article
            frames.append((perf(), shown.id if shown is not None else None, app.view.query_text))

    app._display = recording_display  # type: ignore[method-assign]

    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        pane = app.main_screen.list_pane

        async def settle() -> None:
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()

        async def timed(key: str, *, workers: bool = False) -> tuple[float, float, float]:
            """From the key: (wall seconds to the settled screen, CPU seconds of this
            process until then, seconds to the first frame drawn after the key). With
            ``workers`` (the key shows another article), that frame is the first one
            showing the article the key moved to; in the filter bar, the first one whose
            list is filtered by the text typed so far."""
            seen = len(frames)
            start, cpu = perf(), process_time()
            await pilot.press(key)
            await pilot.pause()
            if workers:
                await app.workers.wait_for_complete()
                await pilot.pause()
            wall, used = perf() - start, process_time() - cpu
            shown = app.main_screen.article_view.article
            wanted = shown.id if workers and shown is not None else None
            query = app.view.query_text  # a typed character counts once the list follows it
            drawn = [
                t
                for t, article, filtered in frames[seen:]
                if (wanted is None or article == wanted) and filtered == query
            ]
            return wall, used, (drawn[0] - start) if drawn else float("nan")

        # reference: a bare Textual app redrawing one line on a key (see _echo_latencies)
        results["noop"] = await _echo_latencies(presses)

        # j in the list (each move previews the next article)
        pane.highlighted = 0
        await settle()
        results["j"] = [await timed("j", workers=True) for _ in range(presses)]

        # opening long articles: put the cursor just above one, then time the move onto it
        rows = app.view.rows
        for key, low, high in (("open5k", 4500, 6000), ("open20k", 18000, 1 << 30)):
            targets = [i for i, a in enumerate(rows) if low <= a.word_count <= high and i > 0]
            samples: list[tuple[float, float, float]] = []
            for n in range(presses if targets else 0):
                index = targets[n % len(targets)]
                pane.highlighted = index - 1
                await settle()
                samples.append(await timed("j", workers=True))
            results[key] = samples

        # paging through a 20,000-word article
        long_rows = [i for i, a in enumerate(rows) if a.word_count >= 18000]
        pane.highlighted = long_rows[0] if long_rows else 0
        await settle()
        await pilot.press("enter")
        await settle()
        samples = []
        for n in range(presses):
            if n and n % 15 == 0:
                await pilot.press("g")
                await settle()
            samples.append(await timed("space"))
        results["space"] = samples
        await pilot.press("escape")
        await settle()

        # the filter bar: the very first keystroke builds the search index
        pane.focus()
        await pilot.press("slash")
        await settle()
        results["filter_first"] = [await timed("c")]
        await pilot.press("escape")
        await settle()

        tag = max(lib.all_tags().items(), key=lambda kv: kv[1])[0]
        for key, text in (("filter_text", "climate river"), ("filter_tag", f"tag:{tag}")):
            samples = []
            while len(samples) < presses:
                pane.focus()
                await pilot.press("slash")
                await settle()
                for char in text:
                    samples.append(await timed(char))
                await pilot.press("escape")
                await settle()
            results[key] = samples[:presses]

        # bookmark toggles (written to disk before the key returns)
        pane.focus()
        pane.highlighted = 0
        await settle()
        results["b"] = [await timed("b") for _ in range(presses)]
    lib.close()
    return results


def measure_set_bookmarked(library: Path, presses: int) -> list[tuple[float, float]]:
    """``Library.set_bookmarked`` alone (lock, re-read check, atomic write)."""
    from reader.store import Library

    samples = []
    with Library(library) as lib:
        article = lib.articles()[0]
        state = article.bookmarked
        for _ in range(presses):
            state = not state
            start, cpu = time.perf_counter(), time.process_time()
            lib.set_bookmarked(article.id, state)
            samples.append((time.perf_counter() - start, time.process_time() - cpu))
    return samples


def measure_keys(library: Path, size: int, presses: int) -> list[Row]:
    """All per-key rows for one library."""
    with working_copy(library) as copy:
        results = asyncio.run(_key_latencies(copy, presses))
        results["set_bookmarked"] = measure_set_bookmarked(copy, presses)
    ref_frame = statistics.median(f for _, _, f in results["noop"] if not math.isnan(f)) * 1000
    rows = []
    for key, name, med_target, p95_target in (
        ("j", ROW_NAMES[2], 50, 100),
        ("open5k", ROW_NAMES[3], 50, 100),
        ("open20k", ROW_NAMES[4], 50, 100),
        ("space", ROW_NAMES[5], 50, 100),
        ("filter_first", ROW_NAMES[6], 30, None),
        ("filter_text", ROW_NAMES[7], 30, None),
        ("filter_tag", ROW_NAMES[8], 30, None),
        ("b", ROW_NAMES[9], 30, None),
        ("set_bookmarked", ROW_NAMES[10], 30, None),
    ):
        pairs = results.get(key, [])
        if not pairs:
            rows.append(Row(name, f"{size:,}", "ms", float("nan"), note="no such article"))
            continue
        if key == "set_bookmarked":  # a plain call: wall time is the latency
            samples = [w * 1000 for w, _ in pairs]
            ref, label, wall = None, "", ""
        else:  # key to the next frame (wall); the CPU until everything settled, in the note
            samples = [f * 1000 for _, _, f in pairs if not math.isnan(f)]
            ref, label = ref_frame, "bare app"
            cpus = [c * 1000 for _, c, _ in pairs]
            wall = f"CPU until settled {statistics.median(cpus):.0f}/{p95(cpus):.0f} ms"
        med, high = statistics.median(samples), p95(samples)
        target = f"<= {med_target} ms" + (f", p95 <= {p95_target}" if p95_target else "")
        ok = med <= med_target and (p95_target is None or high <= p95_target)
        rows.append(
            Row(name, f"{size:,}", "ms", med, high, ref, label, target, ok, len(samples), wall)
        )
    return rows


# -- peak memory -------------------------------------------------------------------------------------
_RSS_PROBE = """
import asyncio, sys
from pathlib import Path

def vmhwm():
    for line in Path('/proc/self/status').read_text().splitlines():
        if line.startswith('VmHWM:'):
            return int(line.split()[1]) / 1024
    return float('nan')

async def main(target):
    if target == 'minimal':
        sys.path.insert(0, {bench!r})
        from minimal_app import MinimalApp
        app = MinimalApp()
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
    else:
        from reader.store import Library
        from reader.tui.app import ReaderApp
        lib = Library(target)
        app = ReaderApp(lib, library_label='bench')
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            await app.workers.wait_for_complete()
            app.view.set_query('climate')  # builds the search index
            app.view.set_query('')
            app.main_screen._show_rows()
            await pilot.pause()
    print(f'VMHWM {{vmhwm():.1f}}')

asyncio.run(main(sys.argv[1]))
"""


def _probe_rss(target: str) -> float:
    code = _RSS_PROBE.format(bench=str(BENCH_DIR))
    out = subprocess.run(
        [sys.executable, "-c", code, target], capture_output=True, text=True, timeout=900
    )
    for line in out.stdout.splitlines():
        if line.startswith("VMHWM "):
            return float(line.split()[1])
    raise RuntimeError(f"RSS probe failed: {out.stderr.strip()[-500:]}")


def measure_rss(library: Path, size: int, runs: int) -> Row:
    """Peak RSS of a process showing the list with the search index built."""
    with working_copy(library) as copy:
        ours = [_probe_rss(str(copy)) for _ in range(runs)]
    reference = [_probe_rss("minimal") for _ in range(runs)]
    limit = 200 if size <= 10_000 else 500
    med = statistics.median(ours)
    return Row(
        ROW_NAMES[11],
        f"{size:,}",
        "MB",
        med,
        max(ours),
        statistics.median(reference),
        "minimal app",
        f"<= {limit} MB",
        med <= limit,
        len(ours),
    )


# -- import ------------------------------------------------------------------------------------------
def _library_snapshot(path: Path) -> list[tuple[str, str, str]]:
    from reader.store import Library

    with Library(path) as lib:
        return [(a.id, a.title, lib.body(a.id) or "") for a in lib.articles()]


def measure_import(pages: int, runs: int) -> tuple[list[Row], bool]:
    """Pages/s of import_paths with 2 and 1 workers vs html2text on one core."""
    import html2text

    from reader.ingest.batch import import_paths
    from reader.store import Library

    folder = synthetic.write_html_pages(pages)
    files = sorted(folder.glob("*.html"))
    texts = [f.read_text(encoding="utf-8") for f in files]

    def html2text_once() -> float:
        start = time.perf_counter()
        for page in texts:
            html2text.HTML2Text().handle(page)
        return len(texts) / (time.perf_counter() - start)

    def import_once(workers: int, keep: Path | None = None) -> float:
        with tempfile.TemporaryDirectory(prefix="reader-bench-import-") as tmp:
            lib_path = Path(tmp) / "library.json"
            start = time.perf_counter()
            with Library(lib_path) as lib:
                outcomes = import_paths(lib, [folder], workers=workers)
            elapsed = time.perf_counter() - start
            errors = [o for o in outcomes if o.status == "error"]
            if errors:
                log(f"  import errors: {len(errors)} e.g. {errors[0].error}")
            if keep is not None:
                shutil.copytree(tmp, keep, dirs_exist_ok=True)
        return len(files) / elapsed

    reference, two, one = [], [], []
    with tempfile.TemporaryDirectory(prefix="reader-bench-cmp-") as cmp_dir:
        serial_dir, parallel_dir = Path(cmp_dir) / "serial", Path(cmp_dir) / "parallel"
        for run in range(runs):
            reference.append(html2text_once())
            two.append(import_once(2, parallel_dir if run == 0 else None))
            one.append(import_once(1, serial_dir if run == 0 else None))
        identical = _library_snapshot(serial_dir / "library.json") == _library_snapshot(
            parallel_dir / "library.json"
        )
    ref = statistics.median(reference)
    rows = []
    for name, samples, target in (
        (ROW_NAMES[12], two, 1.7),
        (ROW_NAMES[13], one, None),
        (ROW_NAMES[14], reference, None),
    ):
        med = statistics.median(samples)
        rows.append(
            Row(
                name,
                f"{len(files):,} pages",
                "pages/s",
                med,
                min(samples),  # the slowest run, shown in the p95 column
                ref,
                "html2text",
                f">= {target}x html2text" if target else "",
                (med / ref >= target) if target else None,
                len(samples),
                note=f"identical: {'yes' if identical else 'no'}" if name == ROW_NAMES[12] else "",
            )
        )
    return rows, identical


# -- export -------------------------------------------------------------------------------------------
def measure_export(library: Path, wanted: int, runs: int) -> list[Row]:
    """Seconds to export ``wanted`` highlights (or all the library has) to each format."""
    from reader.highlights.export import export_obsidian, export_text
    from reader.highlights.service import export_items
    from reader.store import Library

    with Library(library) as lib:
        all_items = export_items(lib)
    items, count = [], 0
    for article, highlights in all_items:
        if count >= wanted:
            break
        take = highlights[: wanted - count]
        items.append((article, take))
        count += len(take)
    plain = [[asdict(a), [asdict(h) for h in hs]] for a, hs in items]
    reference = []
    for _ in range(runs):
        start = time.perf_counter()
        json.dumps(plain, ensure_ascii=False, indent=2)
        reference.append(time.perf_counter() - start)
    ref = statistics.median(reference)
    rows = []
    for fmt, name in (
        ("markdown", ROW_NAMES[15]),
        ("json", ROW_NAMES[16]),
        ("csv", ROW_NAMES[17]),
        ("obsidian", ROW_NAMES[18]),
    ):
        samples = []
        for _ in range(runs):
            with tempfile.TemporaryDirectory(prefix="reader-bench-export-") as tmp:
                start = time.perf_counter()
                if fmt == "obsidian":
                    export_obsidian(items, Path(tmp) / "vault")
                else:
                    export_text(fmt, items)
                samples.append(time.perf_counter() - start)
        rows.append(
            Row(
                name,
                f"{count:,} hl",
                "s",
                statistics.median(samples),
                max(samples),
                ref,
                "json.dumps",
                "",
                None,
                len(samples),
            )
        )
    return rows


# -- the table --------------------------------------------------------------------------------------------
def _fmt(value: float | None, unit: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    if unit == "s":
        return f"{value:.3f} s"
    if unit == "ms":
        return f"{value:.1f} ms"
    if unit == "MB":
        return f"{value:.0f} MB"
    return f"{value:.1f} {unit}"


def render_table(report: Report) -> str:
    """The machine lines and one aligned plain-text table."""
    m = report.machine
    lines = [
        f"machine: {m['cpu']}, {m['cores']} cores; Python {m['python']}; Textual {m['textual']}",
        f"platform: {m['platform']}; load average at start {m['load']}",
        "",
    ]
    header = ("measurement", "size", "median", "p95/worst", "reference", "ratio", "target", "")
    table = [header]
    for row in report.rows:
        ratio = row.ratio
        ref = _fmt(row.reference, row.unit)
        if row.reference_label and row.reference is not None:
            ref = f"{ref} ({row.reference_label})"
        verdict = "" if row.ok is None else ("ok" if row.ok else "SLOW")
        if row.note:
            verdict = f"{verdict} {row.note}".strip()
        table.append(
            (
                row.name,
                row.size,
                _fmt(row.median, row.unit),
                _fmt(row.p95, row.unit),
                ref,
                "-" if ratio is None else f"{ratio:.2f}x",
                row.target,
                verdict,
            )
        )
    lines.extend(aligned_rows(table))
    return "\n".join(lines)


def aligned_rows(table: Sequence[Sequence[str]]) -> list[str]:
    """A header row, a rule and the rows, in columns as wide as their widest cell."""
    widths = [max(len(r[i]) for r in table) for i in range(len(table[0]))]
    lines = []
    for n, cells in enumerate(table):
        lines.append("  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return lines


# -- main -------------------------------------------------------------------------------------------------
def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000", help="library sizes, comma separated")
    parser.add_argument("--quick", action="store_true", help="tiny CI run (< 60 s)")
    parser.add_argument("--runs", type=int, default=None, help="runs per figure (default 5)")
    parser.add_argument("--presses", type=int, default=None, help="key presses (default 25)")
    parser.add_argument("--import-pages", type=int, default=None, help="default 1000")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--cache-dir", type=Path, default=None, help="built libraries go here")
    parser.add_argument("--json", type=Path, default=None, help="also write the results here")
    parser.add_argument(
        "--only",
        default="start,keys,rss,import,export",
        help="comma separated parts to run (start,keys,rss,import,export)",
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes = "200"
        args.runs = args.runs or 3
        args.presses = args.presses or 3
        args.import_pages = args.import_pages or 24
    args.runs = args.runs or 5
    args.presses = args.presses or 25
    args.import_pages = args.import_pages or 1000
    args.size_list = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    args.parts = {p.strip() for p in args.only.split(",")}
    return args


def run(args: argparse.Namespace, on_row: Callable[[Row], None] | None = None) -> Report:
    """Build the libraries and take every measurement."""
    report = Report(machine_info())

    def add(rows: Sequence[Row]) -> None:
        for row in rows:
            report.rows.append(row)
            if on_row:
                on_row(row)

    libraries: dict[int, Path] = {}
    for size in args.size_list:
        log(f"library of {size:,} articles ...")
        path, built = synthetic.build_library(size, args.seed, args.cache_dir, progress=log)
        libraries[size] = path
        if built is not None:
            report.extra[f"build_seconds_{size}"] = round(built, 1)
            log(f"  built in {built:.1f} s")
        if "start" in args.parts:
            log("  cold start ...")
            add(measure_cold_start(path, size, 2 * args.runs))
        if "keys" in args.parts:
            log("  key latency ...")
            add(measure_keys(path, size, args.presses))
        if "rss" in args.parts:
            log("  peak RSS ...")
            add([measure_rss(path, size, 1 if args.quick else min(args.runs, 3))])
    if "import" in args.parts:
        log(f"import of {args.import_pages} pages ...")
        rows, identical = measure_import(args.import_pages, 1 if args.quick else min(args.runs, 3))
        report.extra["import_identical"] = identical
        add(rows)
    if "export" in args.parts and libraries:
        largest = libraries[max(libraries)]
        log("export ...")
        add(measure_export(largest, 10_000, min(args.runs, 3)))
    return report


def main(argv: Sequence[str] | None = None) -> int:
    """Run, print the table (and the import identity line), write --json."""
    args = parse_args(argv)
    report = run(args, on_row=lambda row: log(f"  {row.name} [{row.size}]: {row.median:.3f}"))
    print(render_table(report))
    if "import_identical" in report.extra:
        print(f"\nidentical: {'yes' if report.extra['import_identical'] else 'no'}")
    if args.json:
        data = {
            "machine": report.machine,
            "rows": [{**asdict(r), "ratio": r.ratio} for r in report.rows],
            "extra": report.extra,
        }
        args.json.write_text(json.dumps(data, indent=2, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

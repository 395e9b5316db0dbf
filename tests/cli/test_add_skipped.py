"""``reader add``: what a folder import skips is reported by count and kind, and a file
given by name that is plainly not an article (source code, JSON data, a feed) is refused
by its content with the reason (real library in tmp_path, click's runner)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from reader.cli import cli
from reader.ingest.importers.non_article import non_article_reason
from reader.settings.paths import bundled_dir

SAMPLES = bundled_dir("sample_articles")

PYTHON = '''"""A small module: counts the words of a file."""

import sys
from pathlib import Path


def count(path: Path) -> int:
    text = path.read_text(encoding="utf-8")
    return len(text.split())


class Counter:
    def __init__(self, paths: list[Path]) -> None:
        self.paths = paths

    def total(self) -> int:
        return sum(count(p) for p in self.paths)


if __name__ == "__main__":
    print(Counter([Path(a) for a in sys.argv[1:]]).total())
'''

ARTICLE_WITH_CODE = """# Counting words on the quay

The harbour office keeps a log of every ship, and last winter the clerks wanted to know
how many words they had written in it. Nobody had counted before, so they asked the
town's one programmer, who wrote a few lines over a cup of tea and a slice of cake.

```python
def count(path):
    return len(path.read_text().split())
```

The answer was a little over two million words, most of them about the weather. The
clerks printed the figure and pinned it beside the tide tables, where it still hangs.
"""


def run(db: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--db", str(db), *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Two articles among five files of other kinds (and a hidden one, not counted)."""
    root = tmp_path / "notes"
    (root / "img").mkdir(parents=True)
    for name in ("payments-outage-postmortem.md", "river-cleanup-notes.txt"):
        (root / name).write_bytes((SAMPLES / name).read_bytes())
    for name in ("a.py", "b.py", "c.py"):
        (root / name).write_text(PYTHON, encoding="utf-8")
    (root / "img" / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (root / "LICENSE").write_text("Use it as you like.\n", encoding="utf-8")
    (root / ".DS_Store").write_bytes(b"\0\0")
    return root


def test_folder_import_reports_skipped_files_by_count_and_kind(
    folder: Path, tmp_path: Path
) -> None:
    code, out, err = run(tmp_path / "lib.json", "add", str(folder))
    assert code == 0 and out.count("  added  ") == 2
    [summary] = [line for line in err.splitlines() if "skipped" in line]
    assert "2 added, 0 duplicate, 0 failed; 5 skipped: 3 .py, 1 .png, 1 no suffix" in summary
    assert "--verbose lists them" in summary
    assert "a.py" not in err


def test_verbose_lists_the_skipped_files(folder: Path, tmp_path: Path) -> None:
    code, _, err = run(tmp_path / "lib.json", "add", "--verbose", str(folder))
    assert code == 0
    listed = [line.split("  ", 1)[1] for line in err.splitlines() if line.startswith("skipped")]
    assert listed == [str(folder / n) for n in ("LICENSE", "a.py", "b.py", "c.py")] + [
        str(folder / "img" / "photo.png")
    ]


def test_json_lists_skipped_files(folder: Path, tmp_path: Path) -> None:
    code, out, _ = run(tmp_path / "lib.json", "add", "--json", str(folder))
    rows = json.loads(out)
    assert code == 0
    assert sorted(r["status"] for r in rows) == ["added"] * 2 + ["skipped"] * 5


def test_source_code_given_by_name_is_refused(tmp_path: Path) -> None:
    source = tmp_path / "tool.py"
    source.write_text(PYTHON, encoding="utf-8")
    disguised = tmp_path / "tool.txt"
    disguised.write_text(PYTHON, encoding="utf-8")
    for path in (source, disguised):
        code, out, err = run(tmp_path / "lib.json", "add", str(path))
        assert code == 1 and out == ""
        assert err.strip() == f"reader: {path}: source code, not an article"
    assert not (tmp_path / "lib.json").exists()


def test_json_data_and_feeds_are_refused_by_name(tmp_path: Path) -> None:
    data = tmp_path / "export.txt"
    data.write_text(json.dumps([{"title": "x", "words": list(range(50))}]), encoding="utf-8")
    feed = tmp_path / "feed.xml"
    feed.write_text(
        '<?xml version="1.0"?><!-- a comment --><rss version="2.0"><channel>'
        "<title>T</title><item><title>x</title></item></channel></rss>",
        encoding="utf-8",
    )
    code, _, err = run(tmp_path / "lib.json", "add", str(data), str(feed))
    assert code == 1
    assert f"{data}: JSON data, not an article" in err
    assert f"{feed}: an RSS or Atom feed, not an article" in err and "--feed" in err


def test_articles_that_show_some_code_are_still_articles(tmp_path: Path) -> None:
    assert non_article_reason(ARTICLE_WITH_CODE) is None
    assert (
        non_article_reason(ARTICLE_WITH_CODE.replace("```python\n", "").replace("```\n", ""))
        is None
    )
    for sample in SAMPLES.iterdir():
        text = sample.read_text(encoding="utf-8", errors="replace")
        assert non_article_reason(text, html=sample.suffix == ".html") is None, sample.name
    page = tmp_path / "post.md"
    page.write_text(ARTICLE_WITH_CODE, encoding="utf-8")
    code, out, _ = run(tmp_path / "lib.json", "add", str(page))
    assert code == 0 and "Counting words on the quay" in out

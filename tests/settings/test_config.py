"""config.toml: settings, clear one-line errors for bad keys, defaults on bad files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from reader.cli import cli
from reader.settings.config import load_config


@pytest.fixture
def config_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "config"
    folder.mkdir()
    monkeypatch.setenv("READER_CONFIG_DIR", str(folder))
    monkeypatch.delenv("READER_DB", raising=False)
    return folder


def test_defaults_without_a_file(config_dir: Path) -> None:
    config = load_config()
    assert (config.sort, config.text_width, config.theme, config.problems) == (
        "added",
        80,
        None,
        [],
    )


def test_every_setting_is_read(config_dir: Path, tmp_path: Path) -> None:
    (config_dir / "config.toml").write_text(
        'theme = "night"\nsort = "title"\ntext_width = 72\ndb = "~/x.json"\n'
        '[export]\nformat = "csv"\nfolder = "/tmp/vault"\n[keys]\ntoggle_bookmark = "B"\n'
    )
    config = load_config()
    assert config.problems == []
    assert (config.theme, config.sort, config.text_width) == ("night", "title", 72)
    assert config.db == Path("~/x.json").expanduser()
    assert (config.export_format, str(config.export_folder)) == ("csv", "/tmp/vault")
    assert config.keys == {"toggle_bookmark": "B"}


def test_bad_keys_are_named_and_defaults_used(config_dir: Path) -> None:
    (config_dir / "config.toml").write_text('sort = "random"\ntext_width = 5\ncolour = 1\n')
    config = load_config()
    assert config.sort == "added" and config.text_width == 80
    assert len(config.problems) == 3
    assert any("sort" in p and "added, published, title, reading" in p for p in config.problems)
    assert any("text_width" in p for p in config.problems)
    assert any("colour: unknown setting" in p for p in config.problems)
    assert all("\n" not in p for p in config.problems)


def test_invalid_toml_gives_one_line_and_defaults(config_dir: Path) -> None:
    (config_dir / "config.toml").write_text("theme = \n[[[")
    config = load_config()
    assert config.theme is None
    [problem] = config.problems
    assert "config.toml: not valid TOML" in problem


def test_config_commands(config_dir: Path) -> None:
    (config_dir / "config.toml").write_text('sort = "nope"\n')
    runner = CliRunner()
    result = runner.invoke(cli, ["config", "path"])
    assert result.output.strip() == str(config_dir / "config.toml")
    result = runner.invoke(cli, ["config", "show"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["sort"] == "added"
    assert "sort: must be one of" in result.stderr


def test_db_from_config(config_dir: Path, tmp_path: Path) -> None:
    db = tmp_path / "from-config.json"
    (config_dir / "config.toml").write_text(f'db = "{db}"\n')
    md = tmp_path / "n.md"
    md.write_text("# Note\n\ntext here\n")
    result = CliRunner().invoke(cli, ["add", str(md)])
    assert result.exit_code == 0, result.output
    assert db.exists()


async def test_config_show_reports_what_the_app_reports_at_start(
    config_dir: Path, lib_path: Path
) -> None:
    """An unknown theme, an unknown [keys] action, a bad value and a broken theme file:
    `reader config show` prints the very lines the app shows when it starts."""
    from test_tui_support import recording

    from reader.store import Library
    from reader.tui.app import ReaderApp

    (config_dir / "themes").mkdir()
    (config_dir / "themes" / "broken.toml").write_text('name = "broken"\n', encoding="utf-8")
    (config_dir / "config.toml").write_text(
        'theme = "no-such-theme"\nsort = "nope"\n[keys]\nfly_away = "z"\ntoggle_bookmark = "B"\n',
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["config", "show"])
    assert result.exit_code == 0
    reported = [line.removeprefix("reader: ") for line in result.stderr.splitlines()]
    assert all(line.startswith("reader: ") for line in result.stderr.splitlines())
    app = ReaderApp(Library(lib_path))
    messages = recording(app)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
    assert sorted(reported) == sorted(messages)
    assert len(reported) == 4
    for part in ("no-such-theme", "keys.fly_away", "sort", "broken.toml"):
        assert sum(part in line for line in reported) == 1, part

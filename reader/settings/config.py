"""The user's configuration: ``config.toml`` in the user config folder.

Resolution order (first wins): command-line options, environment variables
(``READER_DB``, ``READER_CONFIG_DIR``), ``config.toml``, then the defaults below. The
file is read once at start. A bad file or a bad key never stops the program: the bad
parts are reported as one line each (``problems``) and their defaults are used.

```toml
theme = "paper"            # a theme from themes/ or Textual's built-in ones
sort = "added"             # added | published | title | reading
text_width = 80            # the article's measure, 40..160 columns
db = "~/notes/library.json"

[export]
format = "markdown"        # markdown | obsidian | json | csv
folder = "~/vault/Reading" # default --out for the obsidian format

[keys]                     # action id = "key[,key...]" (see the help screen, `?`)
toggle_bookmark = "B"

[sync]
auto = true                # the app syncs after its first screen and at quit
```
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reader.sanitize import clean_tree
from reader.settings.paths import config_dir, default_db_path

SORTS = ("added", "published", "title", "reading")
"""The sort orders of the article list, in the order `s` cycles them."""
EXPORT_FORMATS = ("markdown", "obsidian", "json", "csv")
MIN_WIDTH, MAX_WIDTH = 40, 160


@dataclass(slots=True)
class Config:
    """Settings read from ``config.toml`` (defaults where absent or invalid)."""

    theme: str | None = None
    sort: str = "added"
    text_width: int = 80
    db: Path | None = None
    export_format: str = "markdown"
    export_folder: Path | None = None
    keys: dict[str, str] = field(default_factory=dict)
    sync_auto: bool = False
    path: Path | None = None
    problems: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": str(self.path) if self.path else None,
            "theme": self.theme,
            "sort": self.sort,
            "text_width": self.text_width,
            "db": str(self.db) if self.db else None,
            "export": {
                "format": self.export_format,
                "folder": str(self.export_folder) if self.export_folder else None,
            },
            "keys": dict(self.keys),
            "sync": {"auto": self.sync_auto},
        }


def config_path() -> Path:
    return config_dir() / "config.toml"


def load_config(path: Path | None = None) -> Config:
    """Read the config file; never raises for bad content (see ``Config.problems``)."""
    path = path or config_path()
    config = Config(path=path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return config
    except OSError as err:
        config.problems.append(f"{path}: cannot read ({err.strerror or err}); using defaults")
        return config
    try:
        data = clean_tree(tomllib.loads(raw.decode("utf-8")))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        config.problems.append(f"{path}: not valid TOML ({err}); using defaults")
        return config
    _apply(config, data, path)
    return config


def _apply(config: Config, data: dict[str, Any], path: Path) -> None:
    def bad(key: str, why: str) -> None:
        config.problems.append(f"{path}: {key}: {why}; using the default")

    known = {"theme", "sort", "text_width", "db", "export", "keys", "sync"}
    for key in data:
        if key not in known:
            bad(key, "unknown setting")
    if "theme" in data:
        if isinstance(data["theme"], str) and data["theme"].strip():
            config.theme = data["theme"].strip()
        else:
            bad("theme", "must be a theme name")
    if "sort" in data:
        if data["sort"] in SORTS:
            config.sort = data["sort"]
        else:
            bad("sort", f"must be one of {', '.join(SORTS)}")
    if "text_width" in data:
        width = data["text_width"]
        if (
            isinstance(width, int)
            and not isinstance(width, bool)
            and MIN_WIDTH <= width <= MAX_WIDTH
        ):
            config.text_width = width
        else:
            bad("text_width", f"must be a whole number from {MIN_WIDTH} to {MAX_WIDTH}")
    if "db" in data:
        if isinstance(data["db"], str) and data["db"].strip():
            config.db = Path(data["db"]).expanduser()
        else:
            bad("db", "must be a file path")
    export = data.get("export", {})
    if not isinstance(export, dict):
        bad("export", "must be a table")
        export = {}
    if "format" in export:
        if export["format"] in EXPORT_FORMATS:
            config.export_format = export["format"]
        else:
            bad("export.format", f"must be one of {', '.join(EXPORT_FORMATS)}")
    if "folder" in export:
        if isinstance(export["folder"], str) and export["folder"].strip():
            config.export_folder = Path(export["folder"]).expanduser()
        else:
            bad("export.folder", "must be a folder path")
    sync = data.get("sync", {})
    if not isinstance(sync, dict):
        bad("sync", "must be a table")
        sync = {}
    for key, value in sync.items():
        if key != "auto":
            bad(f"sync.{key}", "unknown setting")
        elif isinstance(value, bool):
            config.sync_auto = value
        else:
            bad("sync.auto", "must be true or false")
    keys = data.get("keys", {})
    if not isinstance(keys, dict):
        bad("keys", 'must be a table of action = "key"')
        keys = {}
    for action, value in keys.items():
        if isinstance(value, str) and value.strip():
            config.keys[str(action)] = value.strip()
        else:
            bad(f"keys.{action}", 'must be a key name such as "ctrl+b"')


def resolve_db_path(explicit: Path | None = None) -> Path:
    """The library file: ``--db``, else ``READER_DB``, else ``db`` in config.toml, else
    the default in the user data folder."""
    if explicit:
        return Path(explicit).expanduser()
    if not os.environ.get("READER_DB"):
        configured = load_config().db
        if configured:
            return configured
    return default_db_path()

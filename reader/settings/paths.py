"""Where things live: the default library, the files kept beside a library, the config
folder, and bundled data.

The default library file is ``READER_DB``, else ``library.json`` in the user data folder
(platformdirs); ``reader.settings.config.resolve_db_path`` puts ``--db`` and the config's
``db`` in front of it. This module imports nothing of ours, so every package may use it. Bundled ``themes/`` and ``sample_articles/`` are found inside the
installed package (``reader/_bundled``), or beside the package in a source checkout.
"""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_config_path, user_data_path

APP_NAME = "reader"
PACKAGE_DIR = Path(__file__).resolve().parent.parent


def default_db_path() -> Path:
    """The library file used when ``--db`` is not given: ``READER_DB``, else
    ``standard_db_path()``."""
    env = os.environ.get("READER_DB")
    if env:
        return Path(env).expanduser()
    return standard_db_path()


def standard_db_path() -> Path:
    """``library.json`` in the user data folder: the library when none is chosen."""
    return user_data_path(APP_NAME, appauthor=False) / "library.json"


def config_dir() -> Path:
    """The user's config folder (``config.toml`` and user themes live here)."""
    override = os.environ.get("READER_CONFIG_DIR")
    if override:
        return Path(override).expanduser()
    return user_config_path(APP_NAME, appauthor=False)


def bundled_dir(name: str) -> Path:
    """A bundled data folder (``themes`` or ``sample_articles``), installed or in a checkout."""
    installed = PACKAGE_DIR / "_bundled" / name
    if installed.is_dir():
        return installed
    return PACKAGE_DIR.parent / name


JOURNAL_SUFFIX = ".journal"


def journal_path_for(library_path: Path) -> Path:
    """The journal of small changes beside the library file ``library_path``
    (``reader.store.storage``)."""
    return library_path.with_name(library_path.name + JOURNAL_SUFFIX)


def bodies_folder_for(library_path: Path) -> Path:
    """The folder of article bodies beside the library file ``library_path``
    (``reader.store.bodies``)."""
    return library_path.with_name(library_path.stem + ".bodies")


def snapshot_path(library_path: Path) -> Path:
    """The start snapshot beside the library file ``library_path``
    (``reader.startup.snapshot``)."""
    return library_path.with_name(library_path.stem + ".start")

"""The user's own settings (language, helpers), kept as JSON in the config folder, not in the
database: they belong to the person at this computer, not to the school's data."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from selfeval_app.core.paths import config_dir
from selfeval_app.core.safe_files import write_atomic

DEFAULTS: dict[str, Any] = {"language": None, "welsh_letter_helper": True}


def _path() -> Path:
    return config_dir() / "settings.json"


def load_settings() -> dict[str, Any]:
    try:
        data = json.loads(_path().read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            data = {}
    except (OSError, ValueError):
        data = {}
    return {**DEFAULTS, **data}


def save_settings(**changes: Any) -> dict[str, Any]:
    settings = load_settings()
    settings.update(changes)
    path = _path()
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, json.dumps(settings, ensure_ascii=False, indent=1).encode("utf-8"))
    return settings

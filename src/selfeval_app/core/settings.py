"""The user's own settings (language, helpers), kept as JSON in the config folder, not in the
database: they belong to the person at this computer, not to the school's data.

A settings file edited by hand or damaged never stops the app: a value of the wrong kind (an
unknown language, a number where a word belongs) is replaced by its default, and the problem is
logged and listed by `settings_warnings()` for the CLI to print."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from selfeval_app.core.paths import config_dir
from selfeval_app.core.safe_files import write_atomic

DEFAULTS: dict[str, Any] = {"language": None, "welsh_letter_helper": True}
_VALID = {
    "language": lambda v: v is None or v in ("cy", "en"),
    "welsh_letter_helper": lambda v: isinstance(v, bool),
}
_warnings: list[str] = []
log = logging.getLogger(__name__)


def _path() -> Path:
    return config_dir() / "settings.json"


def load_settings() -> dict[str, Any]:
    try:
        data = json.loads(_path().read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            data = {}
    except (OSError, ValueError):
        data = {}
    settings = {**DEFAULTS, **data}
    for key, valid in _VALID.items():
        if not valid(settings[key]):
            problem = f"{key}={settings[key]!r}"
            if problem not in _warnings:
                _warnings.append(problem)
                log.info("settings.json: %s is not a valid value; using the default", problem)
            settings[key] = DEFAULTS[key]
    return settings


def settings_warnings() -> list[str]:
    """The settings replaced by their default so far, as "key=value" (for a warning)."""
    return list(_warnings)


def save_settings(**changes: Any) -> dict[str, Any]:
    settings = load_settings()
    settings.update(changes)
    path = _path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, json.dumps(settings, ensure_ascii=False, indent=1).encode("utf-8"))
    except OSError as exc:
        from selfeval_app.core.errors import ConfigFolderError
        from selfeval_app.core.paths import _config_reason

        raise ConfigFolderError(path=str(path.parent), reason=_config_reason(exc)) from exc
    return settings

"""Where the app's read-only data lives: resources/ and translations/.

Installed from a wheel they sit inside the package (mapped there by the build); run from a
checkout they stay at the repository root, their source of truth.
"""

from __future__ import annotations

from functools import cache
from importlib import resources as importlib_resources
from pathlib import Path


@cache
def _root(name: str) -> Path:
    installed = Path(str(importlib_resources.files("selfeval_app"))) / name
    if installed.is_dir():
        return installed
    checkout = Path(__file__).resolve().parents[3] / name
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"cannot find the app's {name}/ folder")


def resource_path(*parts: str) -> Path:
    """Path of a file under resources/, e.g. resource_path("frameworks", "estyn-2024.json")."""
    return _root("resources").joinpath(*parts)


def translations_path(*parts: str) -> Path:
    """Path of a file under translations/, e.g. translations_path("cy", "LC_MESSAGES", "messages.mo")."""
    return _root("translations").joinpath(*parts)

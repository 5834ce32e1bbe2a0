"""Where the app's read-only data lives: resources/ and translations/.

Installed from a wheel they sit inside the package (mapped there by the build); run from a
checkout they stay at the repository root, their source of truth.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path


@cache
def _root(name: str) -> Path:
    # The package's own folder first: what importlib.resources.files() gives for a package on
    # disk, without importing importlib.resources (a few ms of every start).
    here = Path(__file__).resolve()
    installed = here.parents[1] / name
    if installed.is_dir():
        return installed
    checkout = here.parents[3] / name
    if checkout.is_dir():
        return checkout
    from importlib import resources as importlib_resources

    packaged = Path(str(importlib_resources.files("selfeval_app"))) / name
    if packaged.is_dir():
        return packaged
    raise FileNotFoundError(f"cannot find the app's {name}/ folder")


def resource_path(*parts: str) -> Path:
    """Path of a file under resources/, e.g. resource_path("frameworks", "estyn-2024.json")."""
    return _root("resources").joinpath(*parts)


def translations_path(*parts: str) -> Path:
    """Path of a file under translations/, e.g. translations_path("cy", "LC_MESSAGES", "messages.mo")."""
    return _root("translations").joinpath(*parts)

"""The built wheel, installed in a fresh virtual environment, works away from the checkout.

Builds the wheel from this checkout, installs it (without dependencies, without an index) into a new
virtual environment under tmp_path, and runs the installed `selfeval` entry point from another
directory: --version, demo, export, search (DESIGN.md sections 3 and 8). The third-party
dependencies come from the environment running the tests, made visible to the new environment by a
.pth file; the checkout's own (editable) selfeval_app is not, and the test checks that the package
in use is the installed copy, with resources/ and translations/ inside it.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

import selfeval_app

ROOT = Path(__file__).resolve().parents[1]
BIN = "Scripts" if os.name == "nt" else "bin"
EXE = ".exe" if os.name == "nt" else ""

EXPECTED_TYPES = (
    "school",
    "plan",
    "area",
    "evaluation",
    "evidence",
    "attachment",
    "priority",
    "action",
    "success_criterion",
    "progress_review",
    "indicator",
    "report_issue",
)


def _run(cmd: list[str | Path], cwd: Path, env: dict[str, str], timeout: float = 120):
    return subprocess.run(
        [str(c) for c in cmd],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )


def _check(result: subprocess.CompletedProcess, what: str) -> subprocess.CompletedProcess:
    assert result.returncode == 0, (
        f"{what} exited {result.returncode}\n--- stdout\n{result.stdout}\n--- stderr\n{result.stderr}"
    )
    return result


def _dependency_dirs() -> list[str]:
    """site-packages of the running environment, which hold the app's third-party dependencies.

    Listed in a .pth file these directories are only appended to sys.path: .pth files inside them
    (such as the editable install's, which points at the checkout's src/) are not processed.
    """
    dirs = []
    for entry in sys.path:
        path = Path(entry)
        if path.name in ("site-packages", "dist-packages") and path.is_dir():
            dirs.append(str(path))
    return list(dict.fromkeys(dirs))


def _build_wheel(out: Path) -> Path:
    # Without build isolation when hatchling is at hand (fast, offline); else in an isolated build
    # environment, which pip fills from the package index.
    cmd = [sys.executable, "-m", "build", "--wheel", "--outdir", str(out)]
    if importlib.util.find_spec("hatchling") is not None:
        cmd.append("--no-isolation")
    _check(_run(cmd, cwd=ROOT, env=_clean_env(), timeout=300), "building the wheel")
    wheels = list(out.glob("selfeval_app-*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


def _clean_env(**extra: str) -> dict[str, str]:
    dropped = ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PYTHONSTARTUP", "SELFEVAL_DATA_DIR")
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(extra)
    return env


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Build the wheel and install it into a fresh virtual environment; return its facts."""
    tmp = tmp_path_factory.mktemp("wheel")
    wheel = _build_wheel(tmp / "dist")

    venv = tmp / "venv"
    _check(
        _run([sys.executable, "-m", "venv", "--without-pip", venv], cwd=tmp, env=_clean_env()),
        "creating the virtual environment",
    )
    python = venv / BIN / f"python{EXE}"
    env = _clean_env(
        VIRTUAL_ENV=str(venv),
        PATH=str(venv / BIN) + os.pathsep + os.environ.get("PATH", ""),
        QT_QPA_PLATFORM="offscreen",
        HOME=str(tmp / "home"),
        XDG_DATA_HOME=str(tmp / "home" / "data"),
        XDG_CONFIG_HOME=str(tmp / "home" / "config"),
        XDG_CACHE_HOME=str(tmp / "home" / "cache"),
    )
    (tmp / "home").mkdir()
    # Install with the test environment's pip, aimed at the new environment's interpreter.
    _check(
        _run(
            [
                sys.executable,
                "-m",
                "pip",
                "--python",
                python,
                "install",
                "--no-deps",
                "--no-index",
                "--no-cache-dir",
                "--disable-pip-version-check",
                wheel,
            ],
            cwd=tmp,
            env=env,
            timeout=300,
        ),
        "installing the wheel",
    )
    purelib = _check(
        _run(
            [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            cwd=tmp,
            env=env,
        ),
        "asking the new environment for its site-packages",
    ).stdout.strip()
    Path(purelib, "_selfeval_test_dependencies.pth").write_text(
        "\n".join(_dependency_dirs()) + "\n", encoding="utf-8"
    )

    elsewhere = tmp / "elsewhere"
    elsewhere.mkdir()
    return {
        "venv": venv,
        "python": python,
        "selfeval": venv / BIN / f"selfeval{EXE}",
        "purelib": Path(purelib),
        "env": env,
        "cwd": elsewhere,
        "wheel": wheel,
    }


def test_the_installed_package_is_the_wheel_not_the_checkout(installed: dict) -> None:
    probe = (
        "import json, selfeval_app; "
        "print(json.dumps({'file': selfeval_app.__file__, 'version': selfeval_app.__version__}))"
    )
    result = _check(
        _run([installed["python"], "-c", probe], cwd=installed["cwd"], env=installed["env"]),
        "importing selfeval_app in the new environment",
    )
    facts = json.loads(result.stdout)
    package = installed["purelib"] / "selfeval_app"
    assert Path(facts["file"]).resolve() == (package / "__init__.py").resolve()
    assert facts["version"] == selfeval_app.__version__


def test_the_installed_app_finds_its_resources_and_translations_inside_itself(
    installed: dict,
) -> None:
    probe = (
        "import json, selfeval_app.core.resources as r; "
        "print(json.dumps({'resources': str(r.resource_path()), "
        "'translations': str(r.translations_path())}))"
    )
    result = _check(
        _run([installed["python"], "-c", probe], cwd=installed["cwd"], env=installed["env"]),
        "looking up resources/ and translations/ in the new environment",
    )
    facts = json.loads(result.stdout)
    package = installed["purelib"] / "selfeval_app"
    assert Path(facts["resources"]).resolve() == (package / "resources").resolve()
    assert Path(facts["translations"]).resolve() == (package / "translations").resolve()


def test_the_wheel_carries_resources_and_translations(installed: dict) -> None:
    package = installed["purelib"] / "selfeval_app"
    assert (package / "resources" / "frameworks").is_dir()
    assert any((package / "resources" / "frameworks").iterdir())
    assert (package / "translations").is_dir()
    assert any((package / "translations").iterdir())
    # The entry point exists and is the new environment's, not the development one's.
    assert installed["selfeval"].is_file()


def test_version(installed: dict) -> None:
    result = _check(
        _run([installed["selfeval"], "--version"], cwd=installed["cwd"], env=installed["env"]),
        "selfeval --version",
    )
    assert selfeval_app.__version__ in result.stdout + result.stderr


def test_demo_export_and_search_from_another_directory(installed: dict) -> None:
    selfeval, cwd, env = installed["selfeval"], installed["cwd"], installed["env"]
    data = cwd.parent / "data"

    _check(_run([selfeval, "demo", "--data-dir", data], cwd=cwd, env=env), "selfeval demo")
    assert data.is_dir()

    out = cwd / "export.json"
    _check(
        _run([selfeval, "export", "--out", out, "--data-dir", data], cwd=cwd, env=env),
        "selfeval export",
    )
    export = json.loads(out.read_text(encoding="utf-8"))
    assert export["format"] == "selfeval-export"
    records = export["records"]
    missing = [t for t in EXPECTED_TYPES if not records.get(t)]
    assert not missing, f"the example school's export has no records of type {missing}"

    result = _check(
        _run([selfeval, "search", "ty", "--json", "--data-dir", data], cwd=cwd, env=env),
        "selfeval search ty --json",
    )
    json.loads(result.stdout)

    # Nothing was written into the checkout or the working directory besides the export.
    assert sorted(p.name for p in cwd.iterdir()) == ["export.json"]


def test_no_checkout_path_leaks_into_the_new_environment(installed: dict) -> None:
    probe = "import sys; print('\\n'.join(sys.path))"
    result = _check(
        _run([installed["python"], "-c", probe], cwd=installed["cwd"], env=installed["env"]),
        "printing sys.path",
    )
    src = str(ROOT / "src")
    assert not [p for p in result.stdout.splitlines() if p == src or p == str(ROOT)]
    assert sysconfig.get_paths()["purelib"] != str(installed["purelib"])

"""The built wheel, installed in a fresh virtualenv outside the source tree, imports and answers:
the package data (word lists, messages, vocabulary, migrations, the sample) ships inside it."""

import json
import shutil
import site
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = "bot, handlers, jobs, store"
SAMPLE = "files('bot') / 'sample' / 'qingdao-2022.txt'"
SKIPPED = shutil.ignore_patterns(".venv", ".git", "build", "*.egg-info", "__pycache__", "*.db")


def run(*args: str | Path, cwd: Path) -> str:
    done = subprocess.run(
        [str(a) for a in args], capture_output=True, text=True, cwd=cwd, timeout=300
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def build_wheel(work: Path) -> Path:
    """`pip wheel` of a copy of the source tree (the build leaves nothing in the checkout)."""
    source = work / "source"
    shutil.copytree(ROOT, source, ignore=SKIPPED)
    wheels = work / "wheels"
    run(
        sys.executable,
        *("-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index", "--quiet"),
        *("--wheel-dir", wheels, source),
        cwd=work,
    )
    (wheel,) = wheels.glob("targetbot-*.whl")
    return wheel


def fresh_venv(work: Path, wheel: Path) -> Path:
    """A new virtualenv with the wheel installed; third-party packages come from this one's
    site-packages through a .pth line (appended after the venv's own, so the project can only
    be found in the wheel: this venv's editable install is not read from there)."""
    venv = work / "venv"
    run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=work)
    python = venv / "bin" / "python"
    uv = Path(sys.executable).parent / "uv"  # make installs with it; pip where it is missing
    installer = [uv, "pip"] if uv.exists() else [sys.executable, "-m", "pip", "--python", python]
    options = ["--python", python, "--offline"] if uv.exists() else ["--no-index"]
    run(*installer, "install", "--no-deps", "--quiet", *options, wheel, cwd=work)
    purelib = run(python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))", cwd=work)
    dependencies = [sysconfig.get_path("purelib"), *site.getsitepackages()]
    lines = "\n".join(dict.fromkeys(dependencies))
    (Path(purelib.strip()) / "dev-dependencies.pth").write_text(lines + "\n")
    return venv


@pytest.mark.slow
def test_the_wheel_installed_in_a_fresh_venv_imports_the_sample_and_answers(
    tmp_path: Path,
) -> None:
    wheel = build_wheel(tmp_path)
    venv = fresh_venv(tmp_path, wheel)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    python, targetbot = venv / "bin" / "python", venv / "bin" / "targetbot"
    where = run(
        python,
        "-c",
        f"import {PACKAGES}; print(*(m.__file__ for m in ({PACKAGES})))",
        cwd=elsewhere,
    )
    assert all(Path(path).is_relative_to(venv) for path in where.split())
    sample = run(
        python, "-c", f"from importlib.resources import files; print({SAMPLE})", cwd=elsewhere
    )
    sample = sample.strip()
    assert Path(sample).is_relative_to(venv)
    db = f"sqlite:///{elsewhere / 'wheel.db'}"
    assert "3 added" in run(targetbot, "import", "--db", db, sample, cwd=elsewhere)
    reply = json.loads(
        run(targetbot, "ask", "--json", "--db", db, "贷款笔数目标是多少", cwd=elsewhere)
    )
    assert reply["intent"] == "indicator" and "≥20000笔" in reply["text"]
    english = run(targetbot, "ask", "--db", db, "what is the loan count target", cwd=elsewhere)
    assert "≥20000" in english

"""Read .doc and .wps files by converting them to .docx with LibreOffice, when installed."""

import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

from store.errors import DocumentError
from store.formats import Item
from store.formats.docx import read_docx

_TIMEOUT_SECONDS = 120


def office_binary() -> str | None:
    """The LibreOffice command, or None when it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_command(binary: str, folder: Path, original: Path) -> list[str]:
    """`soffice --headless --convert-to docx --outdir FOLDER FILE`, with a LibreOffice profile of
    its own in FOLDER: with the user's, a LibreOffice already open (or a second conversion at
    once) takes the request over and this one exits without writing anything."""
    profile = f"-env:UserInstallation={(folder / 'profile').as_uri()}"
    return [
        binary,
        profile,
        "--headless",
        "--convert-to",
        "docx",
        "--outdir",
        str(folder),
        str(original),
    ]


def read_legacy_word(data: bytes, source: str) -> Iterator[Item]:
    """Convert with `soffice --headless --convert-to docx`, then read the .docx."""
    binary = office_binary()
    suffix = Path(source).suffix.lower() or ".doc"
    if binary is None:
        raise DocumentError(
            source,
            None,
            f"a {suffix} file needs LibreOffice to be read: install it "
            "(apt-get install libreoffice-writer-nogui) or save the file as .docx",
        )
    with tempfile.TemporaryDirectory(prefix="targetbot-") as folder:
        original = Path(folder) / f"document{suffix}"
        original.write_bytes(data)
        command = convert_command(binary, Path(folder), original)
        try:
            subprocess.run(command, capture_output=True, timeout=_TIMEOUT_SECONDS, check=True)
            converted = (Path(folder) / "document.docx").read_bytes()
        except (subprocess.SubprocessError, OSError):
            raise DocumentError(
                source, None, f"LibreOffice could not convert this {suffix} file to .docx"
            ) from None
    yield from read_docx(converted, source)

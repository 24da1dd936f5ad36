"""Read any supported file into a ParsedDocument: pick the reader, run the core."""

import hashlib
import zipfile
from io import BytesIO
from pathlib import Path

from store.errors import DocumentError
from store.formats.docx import read_docx
from store.formats.text import read_text
from store.formats.xlsx import read_xlsx
from store.layout import build_document
from store.parsed_document import ParsedDocument

READERS = {"docx": read_docx, "xlsx": read_xlsx, "txt": read_text}


def detect_format(name: str, data: bytes) -> str:
    """docx, xlsx or txt, by the content first and the file name second."""
    if data.startswith(b"PK"):
        try:
            names = set(zipfile.ZipFile(BytesIO(data)).namelist())
        except zipfile.BadZipFile:
            raise DocumentError(name, None, "not a target document (a damaged zip file)") from None
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
        raise DocumentError(
            name, None, "not a target document (a zip file, neither .docx nor .xlsx)"
        )
    suffix = Path(name).suffix.lower()
    if suffix in (".docx", ".xlsx", ".xlsm"):
        raise DocumentError(name, None, f"not a {suffix} file (the content is not a zip package)")
    if data.startswith(b"%PDF") or suffix in (".pdf", ".doc", ".xls"):
        raise DocumentError(name, None, "unsupported format: save it as .docx, .xlsx or text")
    return "txt"


def parse_bytes(data: bytes, name: str) -> ParsedDocument:
    """Parse a document's bytes; raise DocumentError naming the file and the place."""
    if not data.strip():
        raise DocumentError(name, None, "the file is empty")
    fmt = detect_format(name, data)
    items = list(READERS[fmt](data, name))
    digest = hashlib.sha256(data).hexdigest()
    return build_document(name, fmt, digest, items, merge_broken_rows=fmt == "txt")


def parse_file(path: str | Path) -> ParsedDocument:
    """Read and parse one file from disk."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise DocumentError(str(path), None, f"cannot read the file ({error.strerror})") from None
    return parse_bytes(data, str(path))

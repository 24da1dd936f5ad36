"""Read any supported file into a ParsedDocument: pick the reader, run the core."""

import hashlib
import zipfile
from io import BytesIO
from pathlib import Path

from store.errors import DocumentError
from store.formats.docx import read_docx
from store.formats.legacy_word import read_legacy_word
from store.formats.pdf import read_pdf
from store.formats.text import read_text
from store.formats.xls import read_xls
from store.formats.xlsx import read_xlsx
from store.layout import build_document
from store.parsed_document import ParsedDocument

READERS = {
    "docx": read_docx,
    "xlsx": read_xlsx,
    "txt": read_text,
    "xls": read_xls,
    "pdf": read_pdf,
    "doc": read_legacy_word,
}
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
SUPPORTED = ".txt, .docx, .xlsx, .xls, .pdf (.doc/.wps with LibreOffice)"


def detect_format(name: str, data: bytes) -> str:
    """docx, xlsx, xls, pdf, doc or txt, by the content first and the file name second."""
    suffix = Path(name).suffix.lower()
    if data.startswith(b"PK"):
        return _zip_format(name, data)
    if data.startswith(_OLE2):
        return _ole_format(name, suffix, data)
    if data.lstrip()[:5] == b"%PDF-":
        return "pdf"
    if suffix in (".docx", ".xlsx", ".xlsm"):
        raise DocumentError(name, None, f"not a {suffix} file (the content is not a zip package)")
    if suffix in (".pdf", ".doc", ".xls", ".wps", ".et"):
        raise DocumentError(name, None, f"not a {suffix} file (its content is something else)")
    return "txt"


def _zip_format(name: str, data: bytes) -> str:
    try:
        names = set(zipfile.ZipFile(BytesIO(data)).namelist())
    except zipfile.BadZipFile:
        raise DocumentError(name, None, "not a target document (a damaged zip file)") from None
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    raise DocumentError(name, None, "not a target document (a zip file, neither .docx nor .xlsx)")


def _ole_format(name: str, suffix: str, data: bytes) -> str:
    """Old Office files share one container: a workbook stream makes an .xls."""
    if suffix in (".xls", ".et") or "Workbook".encode("utf-16-le") in data:
        return "xls"
    if suffix in (".doc", ".wps", "") or "WordDocument".encode("utf-16-le") in data:
        return "doc"
    raise DocumentError(name, None, f"unsupported format: save it as {SUPPORTED}")


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

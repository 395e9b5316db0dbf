"""Bytes to clean text for the importers.

Owns: byte-order marks, UTF-16 without a BOM, the binary sniff, the decoding order
(BOM, UTF-8, declared charset, cp1252 / Latin-1 fallback) and ``normalize_text``: line
endings to ``\\n``, terminal escape sequences removed whole, then what must never reach a
terminal dropped as everywhere else (``reader.sanitize.clean_text``).
"""

from __future__ import annotations

import codecs
import re

from reader.errors import ImportFailed
from reader.sanitize import clean_text

__all__ = ["bom_encoding", "decode_bytes", "guess_utf16", "looks_binary", "normalize_text"]

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Leading bytes of file formats that are never articles.
_MAGIC: tuple[tuple[int, bytes], ...] = (
    (0, b"\x89PNG\r\n\x1a\n"),
    (0, b"%PDF-"),
    (0, b"PK\x03\x04"),
    (0, b"PK\x05\x06"),
    (0, b"PK\x07\x08"),
    (0, b"GIF87a"),
    (0, b"GIF89a"),
    (0, b"\xff\xd8\xff"),
    (0, b"\x1f\x8b"),  # gzip
    (0, b"BZh"),
    (0, b"\xfd7zXZ\x00"),
    (0, b"7z\xbc\xaf\x27\x1c"),
    (0, b"Rar!\x1a\x07"),
    (0, b"\x7fELF"),
    (0, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"),  # OLE: old .doc/.xls
    (0, b"SQLite format 3\x00"),
    (0, b"OggS"),
    (0, b"fLaC"),
    (0, b"\x00asm"),
    (0, b"II*\x00"),  # TIFF
    (0, b"MM\x00*"),
    (0, b"wOFF"),
    (0, b"wOF2"),
    (4, b"ftyp"),  # MP4 / MOV / HEIC
)
_RIFF_KINDS = (b"WEBP", b"WAVE", b"AVI ")

# Control bytes that do not occur in text (tab, LF, VT, FF, CR and ESC excepted).
_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0E, 0x0F, *range(0x10, 0x1B), *range(0x1C, 0x20)])
_SNIFF = 8192

_ANSI = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI: colours, cursor moves
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC: titles, hyperlinks
    r"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"  # DCS, SOS, PM, APC
    r"|\x1b[@-Z\\-_]"  # two-character escapes
)


def bom_encoding(data: bytes) -> tuple[str, int] | None:
    """The encoding a byte-order mark at the start of ``data`` names, and the mark's length."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding, len(bom)
    return None


def guess_utf16(data: bytes) -> str | None:
    """``"utf-16-le"``/``"utf-16-be"`` when ``data`` looks like UTF-16 text without a BOM."""
    sample = data[:_SNIFF]
    if len(sample) < 8:
        return None
    sample = sample[: len(sample) // 2 * 2]
    half = len(sample) // 2
    even_zeros = sample[0::2].count(0)
    odd_zeros = sample[1::2].count(0)
    if odd_zeros >= 0.4 * half and even_zeros <= 0.02 * half:
        return "utf-16-le"
    if even_zeros >= 0.4 * half and odd_zeros <= 0.02 * half:
        return "utf-16-be"
    return None


def _valid_utf8_prefix(sample: bytes) -> bool:
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as err:
        # A multi-byte character cut by the end of the sample is still UTF-8.
        return err.start >= len(sample) - 3 and err.reason == "unexpected end of data"
    return True


def looks_binary(data: bytes) -> bool:
    """True when ``data`` is a known binary format or is full of NULs / control bytes.

    Text with a byte-order mark or in UTF-16 is never binary.
    """
    for offset, magic in _MAGIC:
        if data[offset : offset + len(magic)] == magic:
            return True
    if data[:4] == b"RIFF" and data[8:12] in _RIFF_KINDS:
        return True
    if bom_encoding(data) or guess_utf16(data):
        return False
    sample = data[:_SNIFF]
    if not sample:
        return False
    nuls = sample.count(0)
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    utf8 = _valid_utf8_prefix(sample)
    if nuls / len(sample) > 0.01 or (nuls and not utf8):
        return True
    if controls / len(sample) > 0.10:
        return True
    return not utf8 and controls / len(sample) > 0.02


def normalize_text(text: str) -> str:
    """Decoded text as the importers read it: line endings normalised to ``\\n``, form
    feeds and Unicode line/paragraph separators turned into line breaks, and terminal
    escape sequences removed whole (not just their ESC, which would leave ``[1m`` in the
    text); then ``reader.sanitize.clean_text`` drops control, bidi and zero-width
    characters (a BOM too), as for everything stored. Tabs and newlines are kept."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n\n").replace("\x0c", "\n")
    if "\x1b" in text:
        text = _ANSI.sub("", text)
    return clean_text(text)


def decode_bytes(data: bytes, *, declared: str | None = None, name: str = "<data>") -> str:
    """Decode ``data`` to ``str``: BOM first, then UTF-8, ``declared``, cp1252, Latin-1.

    A UTF-8 BOM is stripped. UTF-16 without a BOM is recognised. An unknown ``declared``
    charset is ignored. Raises ``ImportFailed(name, ...)`` for binary data or when a BOM
    names an encoding the bytes do not follow. The text is returned as decoded (see
    ``normalize_text`` for making it safe).
    """
    found = bom_encoding(data)
    if found is not None:
        encoding, skip = found
        try:
            return data[skip:].decode(encoding)
        except UnicodeDecodeError as err:
            raise ImportFailed(
                name, f"cannot decode as {encoding.upper()}: invalid bytes at offset {err.start}"
            ) from None
    utf16 = guess_utf16(data)
    if utf16 is not None:
        try:
            return data.decode(utf16)
        except UnicodeDecodeError:
            pass
    if looks_binary(data):
        raise ImportFailed(name, "binary file, not an article")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if declared:
        try:
            return data.decode(codecs.lookup(declared.strip().strip("\"'")).name)
        except (LookupError, UnicodeDecodeError, ValueError):
            pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")

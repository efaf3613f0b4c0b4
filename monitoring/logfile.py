"""Opening an uploaded log before its lines are read: compressed, UTF-16, with a byte-order mark, or no log at all.

Filters rotate and compress their logs every night, so HR upload `access.log.1.gz` as often as a plain file.
`open_log` looks at the first bytes of the stream and returns a stream of UTF-8 (or ASCII) bytes to read a
block at a time: gzip, bzip2 and xz are decompressed as they are read, UTF-16 and UTF-32 text that says so
by its byte-order mark is re-encoded as it is read, a UTF-8 byte-order mark is dropped. Memory stays flat:
nothing holds more than a block. Any other binary file is refused with a sentence that says what it seems
to be, in words HR use ("a ZIP archive", "a PDF document"), never a MIME type.
"""

from __future__ import annotations

import bz2
import codecs
import gzip
import lzma
import zlib

HEAD_BYTES = 4096
MAX_LAYERS = 2  # a .gz inside a .gz is read; a third layer is not a log


class UnreadableFile(Exception):  # noqa: N818 - reads as a sentence: raise UnreadableFile("...")
    """The file as a whole is not a log this app can read; the message says why, in plain words."""


_COMPRESSED = (
    (b"\x1f\x8b", "gzip", lambda raw: gzip.GzipFile(fileobj=raw, mode="rb")),
    (b"BZh", "bzip2", lambda raw: bz2.BZ2File(raw, mode="rb")),
    (b"\xfd7zXZ\x00", "xz", lambda raw: lzma.LZMAFile(raw, mode="rb")),
)
_DAMAGED = (EOFError, OSError, zlib.error, lzma.LZMAError)

# Text with a byte-order mark, longest mark first (UTF-32's mark begins with UTF-16's).
_MARKED_TEXT = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_NOT_A_LOG = (
    (b"PK\x03\x04", "a ZIP archive (an Excel .xlsx workbook is one too). Unzip it, or save the log as text"),
    (b"PK\x05\x06", "an empty ZIP archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive. Unpack it and import the log file inside"),
    (b"Rar!\x1a\x07", "a RAR archive. Unpack it and import the log file inside"),
    (b"\x28\xb5\x2f\xfd", "compressed with Zstandard, which this app cannot open. Decompress it first"),
    (b"%PDF-", "a PDF document, not the log file itself"),
    (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        "an older Microsoft Office file, such as an Excel .xls workbook. Save it as CSV",
    ),
    (b"\x89PNG\r\n\x1a\n", "a PNG picture"),
    (b"\xff\xd8\xff", "a JPEG picture"),
    (b"GIF87a", "a GIF picture"),
    (b"GIF89a", "a GIF picture"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"\x7fELF", "a program, not a log file"),
    (b"\xd4\xc3\xb2\xa1", "a network packet capture (from a tool such as Wireshark), not a filter's log"),
    (b"\xa1\xb2\xc3\xd4", "a network packet capture (from a tool such as Wireshark), not a filter's log"),
    (b"\x0a\x0d\x0d\x0a", "a network packet capture (from a tool such as Wireshark), not a filter's log"),
)


class _Prefixed:
    """A stream with the bytes already looked at put back in front of it."""

    def __init__(self, head: bytes, stream):
        self.head = head
        self._read = getattr(stream, "read", None) or stream.readline

    def read(self, size: int = -1) -> bytes:
        if self.head:
            if size < 0 or size >= len(self.head):
                data, self.head = self.head, b""
                if size < 0:
                    return data + self._read()
                return data
            data, self.head = self.head[:size], self.head[size:]
            return data
        return self._read(size)


class _Decompressed:
    """Reads of a decompressing stream, with a damaged or cut-short file said in plain words."""

    def __init__(self, stream, name: str):
        self.stream, self.name = stream, name

    def read(self, size: int = -1) -> bytes:
        try:
            return self.stream.read(size)
        except _DAMAGED as exc:
            raise UnreadableFile(
                f"The {self.name} file is damaged or cut short, so it cannot be decompressed ({exc}). "
                "Nothing was imported: copy the file again from the filter and import the copy."
            ) from exc


class _Reencoded:
    """UTF-16 or UTF-32 text, re-encoded as UTF-8 a block at a time."""

    def __init__(self, stream, encoding: str):
        self.stream = stream
        self.decoder = codecs.getincrementaldecoder(encoding)(errors="replace")

    def read(self, size: int = -1) -> bytes:
        while True:
            raw = self.stream.read(size)
            text = self.decoder.decode(raw, final=not raw)
            if text or not raw:
                return text.encode("utf-8")


def _head(stream, size: int = HEAD_BYTES) -> bytes:
    read = getattr(stream, "read", None) or stream.readline
    return read(size)


def _looks_binary(head: bytes) -> bool:
    """Binary from its first line or from its share of control bytes; one bad line later on is the
    importer's to reject on its own, with the rest of the file kept."""
    if b"\x00" in head.split(b"\n", 1)[0][:512]:
        return True
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27))
    return controls > len(head) // 10


def open_log(stream, *, layer: int = 0):
    """A stream of the file's text as UTF-8 bytes (see the module's docstring); raises UnreadableFile."""
    head = _head(stream)
    for magic, name, opener in _COMPRESSED:
        if head.startswith(magic):
            if layer >= MAX_LAYERS:
                raise UnreadableFile(f"This file is compressed {MAX_LAYERS + 1} times over; it is not a log file.")
            inner = _Decompressed(opener(_Prefixed(head, stream)), name)
            return open_log(inner, layer=layer + 1)
    if head.startswith(codecs.BOM_UTF8):
        return _Prefixed(head[len(codecs.BOM_UTF8) :], stream)
    for mark, encoding in _MARKED_TEXT:
        if head.startswith(mark):
            return _Reencoded(_Prefixed(head[len(mark) :], stream), encoding)
    for magic, what in _NOT_A_LOG:
        if head.startswith(magic):
            raise UnreadableFile(f"This file seems to be {what}; it is not a text log file.")
    if len(head) >= 257 + 5 and head[257:262] == b"ustar":
        raise UnreadableFile("This file seems to be a tar archive. Unpack it and import the log file inside.")
    if _looks_binary(head):
        if head[:64:2].isascii() and head[1:64:2].count(0) > 24:
            raise UnreadableFile(
                "This file seems to be UTF-16 text without the mark at its start that says so. "
                "Save it again as UTF-8 (or as UTF-16 with a byte-order mark) and import it."
            )
        if head.startswith(b"MZ"):
            raise UnreadableFile("This file seems to be a Windows program, not a log file.")
        raise UnreadableFile(
            "This file is not a text log: it holds binary data of a kind this app does not recognise. "
            "Export the log from the filter as text and import that."
        )
    return _Prefixed(head, stream)

"""Checking evidence files before they are kept: real type by content, size cap, safe names."""

from __future__ import annotations

import hashlib
import os
import unicodedata

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.template.defaultfilters import filesizeformat

# Detected MIME type -> file name endings that may carry it.
ALLOWED_TYPES: dict[str, tuple[str, ...]] = {
    "image/jpeg": ("jpg", "jpeg"),
    "image/png": ("png",),
    "image/gif": ("gif",),
    "image/webp": ("webp",),
    "image/heic": ("heic",),
    "application/pdf": ("pdf",),
    "video/mp4": ("mp4", "m4v"),
    "video/quicktime": ("mov",),
    "video/webm": ("webm",),
    "audio/mpeg": ("mp3",),
    "audio/x-wav": ("wav",),
    "audio/m4a": ("m4a",),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ("docx",),
}
TEXT_ENDINGS = ("txt",)
# What HR and staff read about a file's content: plain words, never a MIME type.
DESCRIPTIONS = {
    "image/jpeg": "a JPEG photo",
    "image/png": "a PNG picture",
    "image/gif": "a GIF picture",
    "image/webp": "a WebP picture",
    "image/heic": "an iPhone (HEIC) photo",
    "application/pdf": "a PDF document",
    "video/mp4": "an MP4 video",
    "video/quicktime": "a QuickTime video",
    "video/webm": "a WebM video",
    "audio/mpeg": "an MP3 recording",
    "audio/x-wav": "a WAV recording",
    "audio/m4a": "an M4A recording",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "a Word document",
    "text/plain": "a plain text file",
    "application/zip": "a zip archive",
    "application/x-executable": "a program",
    "application/x-msdownload": "a Windows program",
    "application/x-mach-binary": "a program",
}
_FAMILIES = {"image": "a picture", "video": "a video", "audio": "a recording", "font": "a font"}


def describe_content(mime: str) -> str:
    """A file's detected content in words a member of staff understands."""
    family = mime.split("/", 1)[0]
    return DESCRIPTIONS.get(mime) or f"{_FAMILIES.get(family, 'a kind of file')} of a type we do not accept"


MAX_NAME_LENGTH = 150


def allowed_description() -> str:
    endings = sorted({e for es in ALLOWED_TYPES.values() for e in es} | set(TEXT_ENDINGS))
    return ", ".join(endings)


def clean_file_name(name: str) -> str:
    """Refuse names that try to reach a folder; return a tidy display name."""
    name = unicodedata.normalize("NFC", name or "").strip()
    if not name:
        raise ValidationError("The file has no name.")
    if "/" in name or "\\" in name or name.startswith("."):
        raise ValidationError(
            "The file name must not contain folder parts such as “../”. Rename the file and try again."
        )
    if any(unicodedata.category(ch).startswith("C") for ch in name):
        raise ValidationError("The file name contains control characters. Rename the file and try again.")
    if len(name) > MAX_NAME_LENGTH:
        raise ValidationError(f"The file name is longer than {MAX_NAME_LENGTH} characters. Rename the file.")
    return name


def check_upload(uploaded) -> tuple[str, str]:
    """Validate one uploaded file; return (display name, detected content type)."""
    name = clean_file_name(uploaded.name)
    if uploaded.size > settings.MAX_UPLOAD_BYTES:
        raise ValidationError(
            f"“{name}” is {filesizeformat(uploaded.size)}; evidence files may be at most "
            f"{filesizeformat(settings.MAX_UPLOAD_BYTES)}."
        )
    if uploaded.size == 0:
        raise ValidationError(f"“{name}” is empty.")
    ending = os.path.splitext(name)[1].lower().lstrip(".")
    uploaded.seek(0)
    head = uploaded.read(8192)
    uploaded.seek(0)
    kind = filetype.guess(head)
    if kind is None:
        if ending in TEXT_ENDINGS and _is_plain_text(uploaded):
            return name, "text/plain"
        raise ValidationError(
            f"“{name}” is not a file type we accept (its content was checked, not just its name). "
            f"Accepted: {allowed_description()}."
        )
    if kind.mime not in ALLOWED_TYPES:
        raise ValidationError(
            f"“{name}” is really {describe_content(kind.mime)}, which we do not accept. "
            f"Accepted: {allowed_description()}."
        )
    if ending not in ALLOWED_TYPES[kind.mime]:
        raise ValidationError(
            f"“{name}” is named .{ending} but it is really {describe_content(kind.mime)}. "
            "Rename it or choose another file."
        )
    return name, kind.mime


def _is_plain_text(uploaded) -> bool:
    uploaded.seek(0)
    try:
        for chunk in uploaded.chunks():
            if b"\x00" in chunk:
                return False
            chunk.decode("utf-8")
    except UnicodeDecodeError:
        return False
    finally:
        uploaded.seek(0)
    return True


def sha256_of(fileobj) -> str:
    digest = hashlib.sha256()
    fileobj.seek(0)
    for chunk in iter(lambda: fileobj.read(1024 * 1024), b""):
        digest.update(chunk)
    fileobj.seek(0)
    return digest.hexdigest()


class SizeLimitUploadHandler(FileUploadHandler):
    """Drops a file as soon as it passes MAX_UPLOAD_BYTES, so a 200 MB upload never lands on disk.

    The names of dropped files are kept on the request, so that the form can say which file was too big.
    """

    def __init__(self, request=None):
        super().__init__(request)
        self.received = 0
        if request is not None and not hasattr(request, "oversize_uploads"):
            request.oversize_uploads = []

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > settings.MAX_UPLOAD_BYTES:
            self.request.oversize_uploads.append((self.field_name, self.file_name))
            raise SkipFile
        return raw_data

    def file_complete(self, file_size):
        return None


def limit_upload_size(request) -> None:
    """Call before anything reads request.POST or request.FILES."""
    request.upload_handlers.insert(0, SizeLimitUploadHandler(request))

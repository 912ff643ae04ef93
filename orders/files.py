"""Checks on files buyers and providers upload: size, extension and the bytes the file starts with."""

from __future__ import annotations

from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

# Extension -> (content type, magic prefixes). Office files are ZIP containers.
ALLOWED_TYPES: dict[str, tuple[str, tuple[bytes, ...]]] = {
    "pdf": ("application/pdf", (b"%PDF-",)),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (b"PK\x03\x04",)),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (b"PK\x03\x04",)),
    "zip": ("application/zip", (b"PK\x03\x04",)),
    "txt": ("text/plain", ()),
    "csv": ("text/csv", ()),
}
MAX_FILES_PER_UPLOAD = 5


def safe_name(name: str) -> str:
    """The file's base name without any directory part, bounded in length."""
    base = PurePath(name.replace("\\", "/")).name.strip() or "file"
    return base[-120:]


def check_upload(upload: UploadedFile, *, allowed: frozenset[str] | None = None) -> str:
    """Validate an upload and return its content type; raise ValidationError with a readable message."""
    name = safe_name(upload.name or "")
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    kinds = allowed if allowed is not None else frozenset(ALLOWED_TYPES)
    if ext not in kinds:
        raise ValidationError(
            _("%(name)s: files of this type are not accepted (allowed: %(types)s).")
            % {"name": name, "types": ", ".join(sorted(kinds))}
        )
    limit = settings.ORDER_UPLOAD_MAX_BYTES
    if (upload.size or 0) > limit:
        raise ValidationError(_("%(name)s is larger than %(mb)d MB.") % {"name": name, "mb": limit // (1024 * 1024)})
    if not upload.size:
        raise ValidationError(_("%(name)s is empty.") % {"name": name})
    content_type, magics = ALLOWED_TYPES[ext]
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if magics and not any(head.startswith(m) for m in magics):
        raise ValidationError(_("%(name)s is not a valid .%(ext)s file.") % {"name": name, "ext": ext})
    if not magics and b"\x00" in head:
        raise ValidationError(_("%(name)s is not a text file.") % {"name": name})
    return content_type

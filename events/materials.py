"""What a session material upload may be: size limit and an allowlist of types.

The extension decides the type; for formats with a signature the first bytes
must match it, so a renamed executable is not accepted as a PDF.
"""

from __future__ import annotations

import os

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from core.errors import DomainError
from events import errors

ZIP = b"PK\x03\x04"
ALLOWED: dict[str, tuple[str, bytes | None]] = {
    ".pdf": ("application/pdf", b"%PDF-"),
    ".pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", ZIP),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ZIP),
    ".odp": ("application/vnd.oasis.opendocument.presentation", ZIP),
    ".odt": ("application/vnd.oasis.opendocument.text", ZIP),
    ".key": ("application/vnd.apple.keynote", ZIP),
    ".zip": ("application/zip", ZIP),
    ".png": ("image/png", b"\x89PNG\r\n\x1a\n"),
    ".jpg": ("image/jpeg", b"\xff\xd8\xff"),
    ".jpeg": ("image/jpeg", b"\xff\xd8\xff"),
    ".txt": ("text/plain", None),
    ".md": ("text/markdown", None),
}


def check_upload(upload: UploadedFile) -> str:
    """The content type to store for ``upload``; raises MATERIAL_TOO_LARGE or MATERIAL_TYPE_NOT_ALLOWED."""
    limit = settings.MATERIAL_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        raise DomainError(
            errors.MATERIAL_TOO_LARGE, target="file", details=f"The file has {upload.size} bytes; the limit is {limit} bytes."
        )
    ext = os.path.splitext(upload.name or "")[1].lower()
    if ext not in ALLOWED:
        raise DomainError(
            errors.MATERIAL_TYPE_NOT_ALLOWED,
            target="file",
            details=f"Files ending in {ext or '(no extension)'} are not accepted. Allowed: {', '.join(sorted(ALLOWED))}.",
        )
    content_type, signature = ALLOWED[ext]
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if signature is not None and not head.startswith(signature):
        raise DomainError(
            errors.MATERIAL_TYPE_NOT_ALLOWED, target="file", details=f"The file's content is not {ext[1:].upper()}."
        )
    if signature is None and b"\x00" in head:
        raise DomainError(errors.MATERIAL_TYPE_NOT_ALLOWED, target="file", details="Text files must not hold binary data.")
    return content_type

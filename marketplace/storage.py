"""Private file storage: uploads that belong to an organization (reports, attachments, imports, licences).

Files here never get a public URL; they are streamed by views that first fetch the owning object
through a permission-scoped selector. The backend is the `private` entry of `STORAGES`.
"""

import hashlib
from typing import IO

from django.core.files.storage import Storage, storages


def private_storage() -> Storage:
    """Callable for `FileField(storage=...)`, so the backend is resolved from settings at run time."""
    return storages["private"]


def sha256_of(fh: IO[bytes]) -> str:
    """Hex SHA-256 of a file read in chunks; the file position is restored to the start."""
    digest = hashlib.sha256()
    fh.seek(0)
    for chunk in iter(lambda: fh.read(1024 * 1024), b""):
        digest.update(chunk)
    fh.seek(0)
    return digest.hexdigest()

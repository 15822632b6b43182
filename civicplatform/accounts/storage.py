"""Storage for files that must never be public (personal data exports)."""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
    """Files outside MEDIA_ROOT, streamed by views after checking who asks."""

    def url(self, name: str | None) -> str:
        raise NotImplementedError("Private files have no public URL; serve them through a view.")


def private_storage() -> PrivateStorage:
    # Built per call so that tests (and deployments) can move PRIVATE_MEDIA_ROOT.
    return PrivateStorage(location=settings.PRIVATE_MEDIA_ROOT)

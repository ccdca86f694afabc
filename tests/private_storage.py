"""The default storage of one test: a folder of its own on the disk, or a prefix of its own in the S3 bucket.

CI's PostgreSQL stage runs the file tests again with THIDUA_S3_BUCKET set (.ci/run, scripts/s3.sh): the same
tests then store on the S3 server, and look at what is stored through the storage API only, never a path.
"""

import uuid
from pathlib import Path

from django.core.files.storage import default_storage

S3_BACKEND = "storages.backends.s3.S3Storage"


def on_s3(settings) -> bool:
    return settings.STORAGES["default"]["BACKEND"] == S3_BACKEND


def isolate(settings, folder: Path) -> None:
    """Point the default storage at ``folder`` (disk) or at a fresh prefix of the bucket (S3)."""
    default = settings.STORAGES["default"]
    location = f"tests/{uuid.uuid4().hex}" if on_s3(settings) else str(folder)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**default, "OPTIONS": {**default["OPTIONS"], "location": location}},
    }


def stored_names(folder: str = "") -> set[str]:
    """Every file name under ``folder`` of the default storage, as the fields store them."""
    try:
        folders, files = default_storage.listdir(folder)
    except FileNotFoundError:  # on the disk, nothing stored yet: no folder
        return set()
    names = {f"{folder}/{name}" if folder else name for name in files}
    for sub in folders:
        names |= stored_names(f"{folder}/{sub}" if folder else sub)
    return names


def local_copy(field, folder: Path) -> Path:
    """A file of the storage copied to ``folder``, for tools that read a path (pdftotext, pyHanko's CLI)."""
    path = folder / Path(field.name).name
    with field.open("rb") as stored:
        path.write_bytes(stored.read())
    return path

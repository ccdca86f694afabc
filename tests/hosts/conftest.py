"""Several application hosts: files on the S3 server (scripts/s3.sh), pooled connections, two gunicorn hosts.

These tests run where CI runs them, in the PostgreSQL stage with THIDUA_S3_BUCKET set (.ci/run); elsewhere
they are skipped.
"""

import os

import boto3
import pytest
from django.conf import settings

from ..private_storage import on_s3

requires_s3 = pytest.mark.skipif(
    not on_s3(settings), reason='needs the S3 server: eval "$(scripts/s3.sh env)" (THIDUA_S3_BUCKET)'
)


@pytest.fixture
def s3():
    """A boto3 client on the configured S3 server (the keys from the environment, as the storage's)."""
    options = settings.STORAGES["default"]["OPTIONS"]
    return boto3.client("s3", endpoint_url=options["endpoint_url"], region_name=options["region_name"])


def object_url(key: str) -> str:
    """The object's plain (unsigned) URL, path-style as the storage is configured."""
    options = settings.STORAGES["default"]["OPTIONS"]
    endpoint = options["endpoint_url"] or f"https://s3.{options['region_name'] or 'us-east-1'}.amazonaws.com"
    return f"{endpoint.rstrip('/')}/{options['bucket_name']}/{key}"


def bucket() -> str:
    return os.environ["THIDUA_S3_BUCKET"]

"""On S3 a dossier's file is a private object: the app streams it to whoever may see the dossier, and the S3
server itself refuses the object to anyone without a signature."""

import pytest
import requests
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from nominations.models import Attachment

from ..private_storage import isolate
from ..workflow.helpers import attach, start
from .conftest import bucket, object_url, requires_s3

pytestmark = [requires_s3]

CONTENT = b"%PDF-1.4\n% bien ban hop xet khen thuong, noi bo\n%%EOF\n"
PUBLIC = "http://acs.amazonaws.com/groups/global/AllUsers"
ANYONE_SIGNED_IN = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"


@pytest.fixture
def uploaded(demo, settings, tmp_path, client):
    """A clerk's dossier with one uploaded file, stored on the S3 server: (attachment, its object key)."""
    isolate(settings, tmp_path)
    users = {u.username: u for u in get_user_model().objects.all()}
    process = start(client, users["canbo_vinhtrai"])
    upload = SimpleUploadedFile("bien-ban.pdf", CONTENT, content_type="application/pdf")
    assert attach(client, process.artifact, "review_minutes", upload=upload).status_code == 302
    attachment = Attachment.objects.get(submission=process.artifact)
    return attachment, f"{default_storage.location}/{attachment.file.name}", users


def grantees(acl) -> set[str]:
    return {grant["Grantee"].get("URI", "") for grant in acl["Grants"]}


def test_the_file_is_a_private_object_the_server_refuses_without_a_signature(uploaded, s3):
    attachment, key, _users = uploaded
    assert s3.get_object(Bucket=bucket(), Key=key)["Body"].read() == CONTENT  # on the server, not the disk
    # Neither the object nor the bucket grants anything to everyone, and the bucket has no policy.
    assert not grantees(s3.get_object_acl(Bucket=bucket(), Key=key)) & {PUBLIC, ANYONE_SIGNED_IN}
    assert not grantees(s3.get_bucket_acl(Bucket=bucket())) & {PUBLIC, ANYONE_SIGNED_IN}
    with pytest.raises(s3.exceptions.ClientError, match="NoSuchBucketPolicy"):
        s3.get_bucket_policy(Bucket=bucket())

    # An anonymous GET of the object's URL: refused by the S3 server itself.
    anonymous = requests.get(object_url(key), timeout=10)
    assert anonymous.status_code == 403 and CONTENT not in anonymous.content
    # The storage's URL is signed and short-lived; without its signature it is the same refusal.
    signed = attachment.file.url
    assert "X-Amz-Signature=" in signed and "X-Amz-Expires=60" in signed
    assert requests.get(signed.split("?")[0], timeout=10).status_code == 403
    assert requests.get(signed, timeout=10).content == CONTENT  # only the signature made the difference


def test_the_app_streams_the_file_from_the_bucket_to_those_who_may_see_the_dossier(uploaded, client):
    attachment, _key, users = uploaded
    url = reverse("dossiers:attachment", args=[attachment.pk])

    client.force_login(users["canbo_vinhtrai"])
    response = client.get(url)
    assert response.status_code == 200 and response.streaming
    assert b"".join(response.streaming_content) == CONTENT
    assert response["Content-Disposition"].startswith("attachment;")

    client.force_login(users["canbo_dongkinh"])  # another ward's clerk
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302  # to the login page

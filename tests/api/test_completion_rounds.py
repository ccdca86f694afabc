"""Completion rounds over the API: replace / remove a file of what the reviewer sent back, and read the
round's changes and checklist (what the pages show, tests/workflow/test_completion_rounds.py)."""

import pytest

from nominations.models import Attachment

from .helpers import act, add_nomination, complete_dossier, items, ok, pdf, start


@pytest.fixture
def returned(api):
    """A dossier of two: Ánh accepted, Bình sent back for completion; the clerk's API client."""
    clerk = api("canbo_vinhtrai")
    dossier = start(clerk)
    a = add_nomination(clerk, dossier, "Hoàng Thị Ánh")
    b = add_nomination(clerk, dossier, "Lý Văn Bình", gender="male")
    complete_dossier(clerk, dossier, [a, b])
    ok(act(clerk, dossier, "prepare"))
    ok(act(api("chutich_vinhtrai"), dossier, "head_approval", {"decision": "submit"}))
    body = {"items": items((a, "accept", ""), (b, "complete", "Bổ sung xác nhận."))}
    ok(act(api("thamdinh_noivu"), dossier, "review", body))
    return clerk, dossier, a, b


def report(nomination) -> Attachment:
    return Attachment.objects.get(nomination=nomination["id"], kind="achievement_report")


def test_the_clerk_replaces_and_removes_files_and_the_reviewer_reads_the_changes(api, returned):
    clerk, dossier, a, b = returned
    rounds = ok(clerk.get(f"/api/submissions/{dossier['id']}/rounds/"))
    assert rounds["return_notice"]["checklist"] == [{"nomination": b["id"], "missing_items": "Bổ sung xác nhận."}]
    old = report(b)
    new = ok(clerk.post(f"/api/attachments/{old.pk}/replace/", {"file": pdf("moi.pdf")}, format="multipart"), 201)
    assert new["original_name"] == "moi.pdf" and new["nomination"] == b["id"]
    body = {"kind": "other", "file": pdf(), "nomination": b["id"]}
    extra = ok(clerk.post(f"/api/submissions/{dossier['id']}/attachments/", body, format="multipart"), 201)
    removed = ok(clerk.post(f"/api/attachments/{extra['id']}/remove/"))
    assert removed["removed_by"] == "canbo_vinhtrai" and removed["removed_at"]
    # Locked: the accepted nomination's file.
    refused = clerk.post(f"/api/attachments/{report(a).pk}/replace/", {"file": pdf()}, format="multipart")
    assert refused.status_code == 400 and "đã được thẩm định" in refused.content.decode()
    ok(act(clerk, dossier, "complete", {"comment": "Đã bổ sung"}))
    reviewer = api("thamdinh_noivu")
    rounds = ok(reviewer.get(f"/api/submissions/{dossier['id']}/rounds/"))
    assert rounds["review_rounds"] == 1 and rounds["return_notice"] is None
    (changes,) = rounds["changes"]
    assert changes["nomination"] == b["id"]
    actions = [(f["action"], (f["old"] or {}).get("id"), (f["new"] or {}).get("id")) for f in changes["files"]]
    assert actions == [("replaced", old.pk, new["id"]), ("added", None, extra["id"]), ("removed", extra["id"], None)]
    assert {h["id"] for h in rounds["history"]} == {old.pk, extra["id"]}
    # The old file still downloads for the reviewer.
    assert reviewer.get(f"/api/attachments/{old.pk}/download/").status_code == 200


def test_another_units_clerk_and_a_dossier_no_longer_with_the_unit(api, returned):
    clerk, dossier, a, b = returned
    attachment = report(b)
    outsider = api("canbo_dongkinh")
    assert outsider.post(f"/api/attachments/{attachment.pk}/remove/").status_code == 404
    assert outsider.get(f"/api/submissions/{dossier['id']}/rounds/").status_code == 404
    ok(act(clerk, dossier, "complete", {"comment": "Đã bổ sung"}))
    response = clerk.post(f"/api/attachments/{attachment.pk}/remove/")
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"
    assert Attachment.objects.filter(pk=attachment.pk).exists()

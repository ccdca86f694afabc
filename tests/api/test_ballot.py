"""The ballot over the API: a vote task describes each item as the ballot page shows it (tests/workflow/
test_ballot_page.py), and the threshold in force."""

from nominations.models import Attachment

from .helpers import act, add_nomination, complete_dossier, council_session, items, ok, start


def test_a_vote_task_describes_each_item_and_the_threshold(api):
    clerk = api("canbo_vinhtrai")
    dossier = start(clerk)
    x = add_nomination(clerk, dossier, "Lương Thị Mai")
    complete_dossier(clerk, dossier, [x])
    ok(act(clerk, dossier, "prepare"))
    ok(act(api("chutich_vinhtrai"), dossier, "head_approval", {"decision": "submit"}))
    ok(act(api("thamdinh_noivu"), dossier, "review", {"items": items((x, "accept", "Hồ sơ đầy đủ."))}))
    session = council_session(api, [x], vote=False)
    member = api("uyvien_2")
    task = ok(member.get("/api/tasks/", {"session": session["id"], "node": "vote"}))["results"][0]
    ballot = ok(member.get(f"/api/tasks/{task['id']}/"))["form"]["ballot"]
    (item,) = ballot["items"]
    assert (item["candidate"], item["achievement"]) == ("Lương Thị Mai", "Hoàn thành xuất sắc nhiệm vụ.")
    assert item["appraisal"] == "Đạt. Hồ sơ đầy đủ." and item["unit"] and item["award_type"]
    files = {f["id"] for f in item["files"]}
    assert files == set(Attachment.objects.filter(submission=dossier["id"]).values_list("pk", flat=True))
    assert member.get(item["files"][0]["download"]).status_code == 200
    assert (ballot["vote_threshold"], ballot["quorum"]) == ("0.7000", "0.6667")

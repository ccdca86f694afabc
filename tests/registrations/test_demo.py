"""The demo's rehearsal campaign carries the seed's e-government targets and several units' registrations,
some done and some behind."""

from nominations.models import ProgressReport, Registration
from nominations.progress import BEHIND, DONE, progress_table
from workflow.demo import load_demo


def test_the_rehearsal_campaign_has_the_seeds_targets_and_registrations_some_done_some_behind(db):
    rehearsal = load_demo()["rehearsal"]
    names = list(rehearsal.targets.values_list("name", flat=True))
    assert [n.split(" trên")[0] for n in names] == [
        "Tỷ lệ dịch vụ công phát sinh hồ sơ trực tuyến",
        "Tỷ lệ hồ sơ xử lý trực tuyến",
        "Tỷ lệ thanh toán trực tuyến",
    ]
    assert Registration.objects.filter(campaign=rehearsal, status="accepted").count() >= 3
    statuses = {row.status for row in progress_table(rehearsal)}
    assert {DONE, BEHIND} <= statuses
    works = ProgressReport.objects.filter(registration__campaign=rehearsal, work__isnull=False)
    assert works.filter(done=True).exists() and works.filter(done=False).exists()
    counts = (Registration.objects.count(), ProgressReport.objects.count())
    load_demo()
    assert (Registration.objects.count(), ProgressReport.objects.count()) == counts

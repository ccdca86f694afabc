"""One rule for "awarded and not revoked" (``nominations.selectors.standing``), one test per place that counts or
lists awards: the public page, the public API, the campaign summary (page and API), its Excel, and the quota.

Each runs twice: after a revocation through the service, and after an adversary's direct write that marks only
the decision revoked (its nominations and award records left as they were). Either way the revoked awardees are
gone, because every consumer asks the decision too.
"""

import io

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from nominations.demo import DEMO_PASSWORD
from nominations.models import Decision, Nomination
from nominations.selectors import campaign_summary, public_results
from nominations.services import decisions, dossiers

from .helpers import signed_decision, start

NAMES = ("Hoàng Thị Ánh", "Lý Văn Bình")


@pytest.fixture
def users(demo):
    return {u.username: u for u in get_user_model().objects.all()}


@pytest.fixture(params=["service", "raw"])
def revoked(request, client, users):
    """A signed decision of two awardees, revoked: (decision, nominations). Before it, both are listed."""
    decision, noms = signed_decision(client, users, NAMES)
    assert set(public_results(decision.campaign).values_list("candidate__name", flat=True)) == set(NAMES)
    if request.param == "service":
        decisions.decision_revoke(
            decision=decision, actor=users["chutich_ubnd"], reason="Sai sót", password=DEMO_PASSWORD
        )
    else:
        Decision.objects.filter(pk=decision.pk).update(status=Decision.Status.REVOKED)
    return decision, noms


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_public_page_lists_no_revoked_awardee(revoked):
    decision, _noms = revoked
    page = Client().get(reverse("public_results", args=[decision.campaign_id])).content.decode()
    assert not any(name in page for name in NAMES)


def test_the_public_api_lists_no_revoked_awardee(revoked):
    decision, _noms = revoked
    body = Client().get(f"/api/public/campaigns/{decision.campaign_id}/results/").json()
    assert not {row["candidate"] for row in body["results"]} & set(NAMES)


def test_the_summary_counts_no_revoked_award(revoked, users):
    decision, _noms = revoked
    campaign = decision.campaign
    assert campaign_summary(campaign)["totals"]["awarded"] == 0
    body = api(users["chutich_ubnd"]).get(f"/api/campaigns/{campaign.pk}/summary/").json()
    assert body["totals"]["awarded"] == 0 and all(row["awarded"] == 0 for row in body["by_unit"])


def test_the_summary_excel_counts_no_revoked_award(revoked, client, users):
    decision, _noms = revoked
    client.force_login(users["chutich_ubnd"])
    content = client.get(reverse("decisions:summary_export", args=[decision.campaign_id])).content
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    units = [row for row in workbook["Theo đơn vị"].iter_rows(min_row=2, values_only=True) if row[0]]
    assert units and all(row[2] == 0 for row in units)  # (unit, proposed, awarded)


def test_the_quota_counts_no_revoked_award(revoked, client, users):
    decision, (a, b) = revoked
    others = Nomination.objects.filter(
        submission__campaign=decision.campaign, submission__unit=a.submission.unit, award_type=a.award_type
    ).exclude(pk__in=[a.pk, b.pk])
    undecided = others.exclude(status__in=[Nomination.Status.REJECTED, Nomination.Status.NOT_AWARDED]).count()
    offer = decision.campaign.offers.get(award_type=a.award_type)
    offer.default_quota = undecided + 1  # one place left once the two revoked awards are not counted
    offer.save()
    process = start(client, users["canbo_vinhtrai"], title="Tờ trình bổ sung")
    person = {"kind": "individual", "name": "Đàm Văn Dũng", "gender": "male", "ethnicity": "Tày"}
    add = dict(submission=process.artifact, actor=users["canbo_vinhtrai"], award_type=a.award_type)
    dossiers.nomination_add(candidate=person, achievement="Thành tích mới", **add)
    with pytest.raises(ValidationError, match="hết chỉ tiêu"):  # the new one is the one place of the quota
        dossiers.nomination_add(candidate={**person, "name": "Đàm Thị Én"}, achievement="Thành tích", **add)
    assert Nomination.objects.filter(submission=process.artifact).count() == 1


def test_the_tt02_statistics_count_no_revoked_award(revoked, users):
    from nominations.statistics import cell_records, tt02_report

    decision, _noms = revoked
    year = decision.decision_date.year
    report = tt02_report(decision.issuer, year)
    assert all(row.cells["total"] == 0 for table in report.awards.values() for row in table["by_form"])
    assert not cell_records(decision.issuer, year, form="local", row="all", column="total").exists()
    body = api(users["chutich_ubnd"]).get(f"/api/statistics/{decision.issuer_id}/", {"year": year}).json()
    assert all(row["cells"]["total"] == 0 for table in body["awards"].values() for row in table["by_form"])


def test_signing_copies_each_awardees_attributes_onto_the_award_record(client, users):
    from nominations.models import AwardRecord

    decision, noms = signed_decision(client, users, NAMES)
    records = AwardRecord.objects.filter(decision=decision).select_related("candidate")
    assert {record.candidate.name for record in records} == set(NAMES)
    for record in records:
        candidate = record.candidate
        assert (record.recipient_kind, record.gender, record.ethnicity) == (
            candidate.kind,
            candidate.gender,
            candidate.ethnicity,
        )
        assert (record.leader_level, record.business_person, record.direct_worker) == (
            candidate.leader_level,
            candidate.business_person,
            candidate.direct_worker,
        )

"""The campaign summary's prize money: the awards in force only (a revoked one left out), by award type and
recipient kind, on the page, in the Excel and over the API; and the campaign's targets beside it."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient

from nominations.models import AwardRecord, Membership, Role
from nominations.selectors import campaign_prizes

from .world import START, build_statistics_world

# Records of campaign c1 (tests.statistics.world): 1 (A, Huân chương), 3 (A, Bằng khen), 5 (F, Bằng khen),
# 6 (C, Bằng khen, revoked). Amounts as their decisions fixed them: Bằng khen of the province 1.5 × 2,340,000
# = 3,510,000 for an individual, twice that for a collective (domain §7; stored on the record, not recomputed).
PRIZES = {1: 10_530_000, 3: 3_510_000, 5: 7_020_000, 6: 3_510_000}


@pytest.fixture
def world(db):
    w = build_statistics_world()
    for n, amount in PRIZES.items():
        AwardRecord.objects.filter(pk=w.records[n].pk).update(prize_amount=amount)
    Membership.objects.create(user=w.r4, unit=w.prov, role=Role.REVIEWER, valid_from=START)
    return w


def test_prize_totals_leave_the_revoked_award_out(world):
    prizes = campaign_prizes(world.c1)
    assert (prizes["count"], prizes["amount"]) == (3, 10_530_000 + 3_510_000 + 7_020_000)
    rows = {(r["award_type__name"], r["candidate__kind"]): (r["count"], r["amount"]) for r in prizes["rows"]}
    assert rows == {
        ("Bằng khen của Chủ tịch UBND tỉnh", "enterprise"): (1, 7_020_000),
        ("Bằng khen của Chủ tịch UBND tỉnh", "individual"): (1, 3_510_000),  # C's revoked 3,510,000 is not here
        ("Huân chương Lao động hạng Ba", "individual"): (1, 10_530_000),
    }


def test_the_summary_page_excel_and_api_show_the_totals(client, world):
    client.force_login(world.r4)
    html = client.get(reverse("decisions:summary", args=[world.c1.pk])).content.decode()
    assert '<td class="prize-total">21060000</td>' in html and "Doanh nghiệp" in html
    assert reverse("decisions:statistics", args=[world.prov.pk]) + "?year=2024" in html
    export = client.get(reverse("decisions:summary_export", args=[world.c1.pk]))
    sheet = load_workbook(io.BytesIO(export.content))["Tiền thưởng"]
    last = [c.value for c in sheet[sheet.max_row]]
    assert last == ["Tổng cộng", None, 3, 21_060_000]
    api = APIClient()
    api.force_authenticate(world.r4)
    data = api.get(reverse("api:campaign-summary", args=[world.c1.pk])).json()
    assert (data["prizes"]["count"], data["prizes"]["amount"]) == (3, 21_060_000)
    assert data["targets"] == []

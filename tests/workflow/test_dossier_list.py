"""The nomination list (/dossiers/): Vietnamese order on every page, by the sort key copied onto the nomination."""

import re

import pytest
from django.contrib.auth import get_user_model

from nominations.models import Campaign, CampaignAward, Candidate, Nomination
from nominations.text import person_sort_key
from workflow.views.dossier_pages import NominationListView

from .helpers import add_nomination, start

# Byte order would put "Đ" after "Z" and "Ă" after "Z"; given names sort first, then tones.
NAMES = ["Trần Văn Ân", "Lê Thị Ánh", "Nguyễn Văn Đức", "Phạm Thị Dung", "Hoàng Văn Ẩn", "Vũ Thị Ấn", "Đỗ Văn An"]


@pytest.fixture
def clerk(demo):
    CampaignAward.objects.filter(campaign=Campaign.objects.get(code="dien-tap")).update(default_quota=None)
    return get_user_model().objects.get(username="canbo_vinhtrai")


def listed(client, path) -> list[str]:
    page = client.get(path).content.decode()
    return re.findall(r'data-turbo="false">([^<]+)</a></td>', page)


def test_every_page_is_in_vietnamese_order(client, clerk, monkeypatch):
    process = start(client, clerk)
    for name in NAMES:
        add_nomination(client, process.artifact, name)
    monkeypatch.setattr(NominationListView, "paginate_by", 3)
    # The order the list had when it joined the candidates to sort.
    by_candidate = Nomination.objects.filter(submission__unit__code="p-ky-lua").order_by("candidate__sort_name", "pk")
    names = list(by_candidate.values_list("candidate__name", flat=True))
    pages = -(-len(names) // 3)
    shown = [name for number in range(1, pages + 1) for name in listed(client, f"/dossiers/?page={number}")]
    assert shown == names
    assert set(NAMES) <= set(shown)
    assert shown.index("Đỗ Văn An") < shown.index("Trần Văn Ân") < shown.index("Nguyễn Văn Đức")


def test_the_sort_key_follows_the_candidates_name(client, clerk):
    process = start(client, clerk)
    nomination = add_nomination(client, process.artifact, "Nguyễn Văn Bình")
    nomination.refresh_from_db()
    assert nomination.sort_name == person_sort_key("Nguyễn Văn Bình")
    candidate = Candidate.objects.get(pk=nomination.candidate_id)
    candidate.name = "Nguyễn Văn An"
    candidate.save()
    nomination.refresh_from_db()
    assert nomination.sort_name == person_sort_key("Nguyễn Văn An")


def test_pages_past_the_middle_are_read_from_the_end_and_are_the_same_rows(client, clerk, monkeypatch):
    """Issue 18 (a deep page ≤ 2× page 1): pages past the middle skip from the end of the index, read backwards.
    Namesakes (the same sort key) keep their id order; no row is lost or repeated across pages; a filter too."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    process = start(client, clerk)
    for name in [*NAMES, "Lê Thị Ánh", "Lê Thị Ánh", "Đỗ Văn An"]:
        add_nomination(client, process.artifact, name)
    full = Nomination.objects.filter(submission__unit__code="p-ky-lua").order_by("sort_name", "pk")
    client.get("/dossiers/")  # warm: the side menu and the list's count, kept a few seconds (workflow.counters)
    for per_page in (2, 3, 4):
        monkeypatch.setattr(NominationListView, "paginate_by", per_page)
        names = list(full.values_list("candidate__name", flat=True))
        pages = -(-len(names) // per_page)
        shown, counts = [], set()
        for number in range(1, pages + 1):
            with CaptureQueriesContext(connection) as ctx:
                page = listed(client, f"/dossiers/?page={number}")
            assert page == names[(number - 1) * per_page : number * per_page], (per_page, number)
            descending = any('"sort_name" DESC' in q["sql"] for q in ctx.captured_queries)
            counts.add(len([q for q in ctx.captured_queries if "SAVEPOINT" not in q["sql"]]))
            assert descending == ((number - 1) * per_page > len(names) - min(number * per_page, len(names)))
            shown += page
        assert shown == names
        assert descending  # the last page was read from the end
        assert len(counts) == 1, counts  # every page the same statements (the pager's count is cached after page 1)
    # A filter: the status of one dossier's nominations (every one here is a draft).
    monkeypatch.setattr(NominationListView, "paginate_by", 2)
    status = full.first().status
    names = list(full.filter(status=status).values_list("candidate__name", flat=True))
    pages = range(1, -(-len(names) // 2) + 1)
    shown = [n for k in pages for n in listed(client, f"/dossiers/?page={k}&status={status}")]
    assert shown == names
    assert "Lê Thị Ánh" in shown and shown.count("Lê Thị Ánh") == names.count("Lê Thị Ánh") == 3

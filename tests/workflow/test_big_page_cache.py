"""The session page's agenda and the ballot are kept in the cache once per session (issue 18): what is kept never
carries one member's data to another reader, and a count or a second round is shown at once, not after the cache
expires."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from viewflow.workflow.status import STATUS

from nominations.models import CampaignAward, Council, CouncilMember
from nominations.services.council import voting_members
from workflow.flows import CouncilFlow as C

from .helpers import accepted_dossier, council_session, vote_as


@pytest.fixture
def users(demo):
    CampaignAward.objects.filter(campaign__code="dien-tap").update(default_quota=None)
    return {u.username: u for u in get_user_model().objects.all()}


def _session(client, users, size, tag):
    _process, noms = accepted_dossier(client, users, [f"Người {tag} {i}" for i in range(size)])
    return council_session(client, users, noms, vote=False, title=f"Phiên {tag}")


def _page(client, user, url):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def _ballot_url(process, username):
    member = CouncilMember.objects.get(user__username=username, council__issuer__code="ls")
    task = process.task_set.get(flow_task=C.vote, data__member_id=member.pk, status=STATUS.ASSIGNED)
    return reverse("council:vote:execute", args=[process.pk, task.pk])


def test_an_agenda_kept_for_a_member_is_shown_to_the_secretary_without_the_members_column(client, users):
    process = _session(client, users, 3, "E")
    url = f"/sessions/{process.artifact.pk}/"
    assert _page(client, users["uyvien_1"], url).count("/recusal/") == 3  # kept with the members' links
    secretary = _page(client, users["thuky_hoidong"], url)  # no seat: no recusal column
    assert "/recusal/" not in secretary
    assert secretary.count("Người E ") == 3
    # And the other way round: the secretary's agenda, kept, does not take the links from a member.
    other = _session(client, users, 2, "F")
    other_url = f"/sessions/{other.artifact.pk}/"
    assert "/recusal/" not in _page(client, users["thuky_hoidong"], other_url)
    assert _page(client, users["uyvien_2"], other_url).count("/recusal/") == 2


def test_the_agenda_shows_the_count_as_soon_as_voting_ends(client, users):
    process = _session(client, users, 2, "G")
    url = f"/sessions/{process.artifact.pk}/"
    before = _page(client, users["uyvien_1"], url)  # kept while voting
    assert before.count("Chưa biểu quyết") == 2 and before.count("/recusal/") == 2
    members = voting_members(Council.objects.get(issuer__code="ls"), timezone.localdate())
    for member in members:
        vote_as(client, process, member, "agree")  # the last ballot closes the round and counts it
    after = _page(client, users["uyvien_1"], url)
    assert "Chưa biểu quyết" not in after
    assert after.count("Thông qua") == 2
    assert "/recusal/" not in after  # nothing left to recuse from


def test_one_members_choices_never_reach_another_members_ballot(client, users):
    process = _session(client, users, 3, "H")
    first = _ballot_url(process, "uyvien_1")
    assert " checked" not in _page(client, users["uyvien_1"], first)  # the empty ballot, kept
    filled = client.post(first, {"agree_all": "1"}).content.decode()  # her choices, shown back to her only
    assert filled.count('value="agree" required checked') == 3
    second = _page(client, users["uyvien_2"], _ballot_url(process, "uyvien_2"))
    assert second.count('value="abstain"') == 3
    assert " checked" not in second
    assert " checked" not in _page(client, users["uyvien_1"], first)  # and not kept for her either


def test_a_member_who_recused_gets_a_ballot_of_her_own_items(client, users):
    process = _session(client, users, 3, "K")
    assert _page(client, users["uyvien_1"], _ballot_url(process, "uyvien_1")).count('value="abstain"') == 3
    item = process.artifact.items.order_by("number").first()
    client.force_login(users["uyvien_2"])
    response = client.post(reverse("sessions:recusal", args=[item.pk]), {"reason": "Người thân"})
    assert response.status_code == 302
    own = _page(client, users["uyvien_2"], _ballot_url(process, "uyvien_2"))
    assert own.count('value="abstain"') == 2
    assert f'name="item_{item.pk}"' not in own
    assert _page(client, users["uyvien_1"], _ballot_url(process, "uyvien_1")).count('value="abstain"') == 3


def test_a_kept_decision_table_shows_each_certificate_as_soon_as_it_is_made(client, users):
    from nominations.models import Certificate

    from .helpers import signed_decision

    decision, _noms = signed_decision(client, users)
    url = f"/decisions/{decision.pk}/"
    assert "Xác thực giấy khen" not in _page(client, users["thuky_hoidong"], url)  # kept, none made yet
    first, second = decision.items.order_by("pk")
    Certificate.objects.create(item=first, generated_at=timezone.now())  # as the certificate job writes it
    assert _page(client, users["thuky_hoidong"], url).count("Xác thực giấy khen") == 1
    Certificate.objects.create(item=second, generated_at=timezone.now())
    assert _page(client, users["thuky_hoidong"], url).count("Xác thực giấy khen") == 2


def test_each_item_of_a_ballot_form_is_labelled_with_its_item_not_its_field_name():
    """The items share one field (no form object per item); each is still labelled with its own item where
    Django writes the form (the written-ballot page) and in its errors."""
    from nominations.services.ballots import BallotRow
    from workflow.forms.council import BallotForm

    rows = [
        BallotRow(41, 1, "Hoàng Thị Ánh", "Phường Kỳ Lừa", "Giấy khen"),
        BallotRow(42, 2, "Lý Văn Bình", "Xã Mai Pha", "Giấy khen"),
    ]
    form = BallotForm(data={"item_41": "agree"}, items=rows)
    assert form["item_41"].label == "1. Hoàng Thị Ánh – Phường Kỳ Lừa"
    html = form.as_div()
    assert "<legend>2. Lý Văn Bình – Xã Mai Pha" in html
    assert "Item 4" not in html
    assert not form.is_valid() and list(form.errors) == ["item_42"]

"""List pages and the inbox cost a fixed number of queries, whatever the data size."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from nominations.models import Campaign, CampaignAward, OrgUnit
from nominations.services.dossiers import nomination_add
from workflow.flows import NominationFlow


def _grow(clerk, dossiers: int, per_dossier: int):
    campaign, unit = Campaign.objects.get(code="dien-tap"), OrgUnit.objects.get(code="p-ky-lua")
    CampaignAward.objects.filter(campaign=campaign).update(default_quota=None)
    award = campaign.award_types.get(code="giay-khen")
    for i in range(dossiers):
        submission = NominationFlow.start_from_code.run(
            actor=clerk, campaign=campaign, unit=unit, title=f"Tờ trình {i}"
        )
        for j in range(per_dossier):
            nomination_add(
                submission=submission,
                award_type=award,
                achievement="Thành tích",
                actor=clerk,
                candidate={"kind": "individual", "name": f"Nguyễn Văn Tâm {i}-{j}", "gender": "male"},
            )


def _queries(client, path):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200
    # Savepoints come and go with the session's save, not with the data.
    statements = [q for q in ctx.captured_queries if "SAVEPOINT" not in q["sql"]]
    return len(statements), response


@pytest.fixture
def clerk(demo, client):
    user = get_user_model().objects.get(username="canbo_vinhtrai")
    client.force_login(user)
    return user


@pytest.mark.parametrize("path", ["/nomination/inbox/", "/nomination/queue/", "/dossiers/", "/nomination/flows/"])
def test_pages_are_flat(client, clerk, path, django_assert_max_num_queries):
    _grow(clerk, dossiers=2, per_dossier=2)  # with the demo's 1 dossier of 3: 5+ rows
    _queries(client, path)  # warm the content-type cache, as in a running server
    small, _ = _queries(client, path)
    _grow(clerk, dossiers=98, per_dossier=5)  # 500+ nominations, 100+ dossiers and tasks
    # The clerk's own new tasks moved her cached counters (workflow.counters): the next page counts them again.
    _queries(client, path)
    # +2: the session save's SAVEPOINT / RELEASE, which the fixture counts too.
    with django_assert_max_num_queries(small + 2):
        large, response = _queries(client, path)
    assert large == small
    assert "Nguyễn Văn Tâm" in response.content.decode() or path != "/dossiers/"

"""The delegation API: the chairman grants, lists and ends; everyone else 403/404, nothing changes."""

import datetime

from nominations.models import Delegation, OrgUnit
from workflow.models import AuditEvent

from .helpers import ok

TODAY = datetime.date.today()


def _body(users, **changes):
    body = {
        "issuer": OrgUnit.objects.get(code="ls").pk,
        "delegate": users["phochutich_ubnd"].pk,
        "valid_from": TODAY.isoformat(),
        "valid_to": (TODAY + datetime.timedelta(days=9)).isoformat(),
        "basis": "Quyết định phân công",
    }
    return {**body, **changes}


def test_the_chairman_grants_lists_and_ends(api, users):
    chairman = api("chutich_ubnd")
    created = ok(chairman.post("/api/delegations/", _body(users), format="json"), 201)
    assert created["in_force"] and created["delegate_name"] == "Hoàng Minh Đức" and created["award_types"] == []
    listed = ok(chairman.get("/api/delegations/"))["results"]
    assert [d["id"] for d in listed] == [created["id"]]
    ended = ok(chairman.post(f"/api/delegations/{created['id']}/end/", {"reason": "Đi học"}, format="json"))
    assert ended["ended_on"] == TODAY.isoformat() and not ended["in_force"]
    again = chairman.post(f"/api/delegations/{created['id']}/end/", {"reason": "Lần nữa"}, format="json")
    assert again.status_code == 400 and again.json()["code"] == "wrong_state"
    types = set(AuditEvent.objects.filter(scope__startswith="delegation:").values_list("event_type", flat=True))
    assert types == {"delegation.granted", "delegation.ended"}


def test_bad_input_is_a_400_with_field_errors_and_writes_nothing(api, users):
    chairman = api("chutich_ubnd")
    response = chairman.post("/api/delegations/", _body(users, valid_to="2020-01-01"), format="json")
    assert response.status_code == 400 and "valid_to" in response.json()["errors"]
    response = chairman.post("/api/delegations/", _body(users, delegate=users["uyvien_1"].pk), format="json")
    assert response.status_code == 400 and "delegate" in response.json()["errors"]
    assert not Delegation.objects.exists()


def test_others_are_refused_and_nothing_changes(api, users):
    created = ok(api("chutich_ubnd").post("/api/delegations/", _body(users), format="json"), 201)
    for username in ("phochutich_ubnd", "canbo_vinhtrai", "thuky_hoidong"):
        client = api(username)
        assert client.get("/api/delegations/").status_code == 403
        assert client.post("/api/delegations/", _body(users), format="json").status_code == 403
        assert client.get(f"/api/delegations/{created['id']}/").status_code == 404
        response = client.post(f"/api/delegations/{created['id']}/end/", {"reason": "x"}, format="json")
        assert response.status_code == 404
    assert Delegation.objects.count() == 1 and Delegation.objects.get().ended_on is None
    # A chairman grants only for the committee they chair today (the old city ended on 30/06/2025).
    city = OrgUnit.objects.get(code="tp-ls").pk
    assert api("chutich_ubnd").post("/api/delegations/", _body(users, issuer=city), format="json").status_code == 403


def test_the_schema_documents_the_delegation_routes(api):
    schema = api("chutich_ubnd").get("/api/schema/", HTTP_ACCEPT="application/json").json()
    assert {"/api/delegations/", "/api/delegations/{id}/", "/api/delegations/{id}/end/"} <= set(schema["paths"])
    assert "post" in schema["paths"]["/api/delegations/"]

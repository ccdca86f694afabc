"""Leader level and business person over the API: entered with the nomination, read back on the candidate,
kept by a partial update; a wrong value or a collective with them is a 400 with Vietnamese field errors."""

from nominations.models import Candidate

from .helpers import add_nomination, start


def test_the_api_takes_leader_level_and_business_person(api):
    clerk = api("canbo_vinhtrai")
    submission = start(clerk)
    created = add_nomination(clerk, submission, "Đinh Thị Hoa", leader_level="unit", business_person=True)
    assert (created["candidate"]["leader_level"], created["candidate"]["business_person"]) == ("unit", True)
    patched = clerk.patch(f"/api/nominations/{created['id']}/", {"achievement": "Thành tích mới"}, format="json")
    assert patched.status_code == 200, patched.content
    assert (patched.json()["candidate"]["leader_level"], patched.json()["candidate"]["business_person"]) == (
        "unit",
        True,
    )
    cleared = clerk.patch(f"/api/nominations/{created['id']}/", {"leader_level": ""}, format="json").json()
    assert cleared["candidate"]["leader_level"] == ""


def test_bad_values_are_field_errors_in_vietnamese_and_nothing_is_written(api):
    clerk = api("canbo_vinhtrai")
    submission = start(clerk)
    before = Candidate.objects.count()
    url = f"/api/submissions/{submission['id']}/nominations/"
    base = {"name": "Tổ Một cửa", "achievement": "x", "award_type": 1}
    wrong = clerk.post(url, {**base, "kind": "individual", "gender": "male", "leader_level": "king"}, format="json")
    assert wrong.status_code == 400
    assert wrong.json()["errors"]["leader_level"][0]["code"] == "invalid_choice"
    assert not wrong.json()["errors"]["leader_level"][0]["message"].isascii()
    collective = clerk.post(
        url, {**base, "kind": "collective", "leader_level": "unit", "business_person": True}, format="json"
    )
    assert collective.status_code == 400
    errors = collective.json()["errors"]
    assert errors["leader_level"] == [{"message": "Chỉ ghi cấp lãnh đạo, quản lý cho cá nhân.", "code": "invalid"}]
    assert errors["business_person"] == [{"message": "Chỉ cá nhân mới được ghi là doanh nhân.", "code": "invalid"}]
    assert Candidate.objects.count() == before

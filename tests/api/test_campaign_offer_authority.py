"""/api/admin/campaigns/: an offer the issuer's level may not decide under the rules of the campaign's days is
a 400 with the Vietnamese field error, and nothing is written (issue 13, item 3)."""

import datetime

from nominations.models import AwardType, Campaign, OrgUnit

TODAY = datetime.date.today()


def test_an_offer_the_issuer_may_not_decide_is_refused_with_a_field_error(api):
    ward = OrgUnit.objects.get(code="p-ky-lua")
    body = {
        "code": "pt-phuong",
        "title": "Phong trào của phường",
        "period_start": TODAY.isoformat(),
        "period_end": (TODAY + datetime.timedelta(days=30)).isoformat(),
        "nomination_deadline": (TODAY + datetime.timedelta(days=40)).isoformat(),
        "content_areas": "Nội dung một",
        "award_types": [AwardType.objects.get(code="giay-khen").pk],
    }
    response = api("quantri_kylua").post(f"/api/admin/campaigns/?issuer={ward.pk}", body, format="json")
    assert response.status_code == 400, response.content
    [error] = response.json()["errors"]["award_types"]
    assert "do cấp tỉnh quyết định; Phường Kỳ Lừa (minh họa) không có thẩm quyền" in error["message"]
    assert not Campaign.objects.filter(code="pt-phuong").exists()

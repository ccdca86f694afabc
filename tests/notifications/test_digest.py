"""The daily digest: one e-mail with everything owed, once; none to a person without an address."""

import pytest
from django.contrib.auth import get_user_model

from notifications.alerts import send_digests
from notifications.models import Notification, NotificationPreference
from notifications.services import notify

pytestmark = pytest.mark.django_db


def _user(name, email):
    return get_user_model().objects.create_user(name, email=email, first_name="An", last_name="Nguyễn Văn")


def test_a_digest_groups_the_days_notifications_into_one_email_sent_once(mailoutbox):
    digest, instant, silent = _user("a", "a@thidua.invalid"), _user("b", "b@thidua.invalid"), _user("c", "")
    for user in (digest, silent):
        NotificationPreference.objects.create(user=user, daily_digest=True)
    for i in range(3):
        for user in (digest, instant, silent):
            notify(user=user, kind="assigned", title=f"Việc mới số {i}", body="Nội dung", dedup_key=f"t{i}:{user.pk}")
    # The instant reader got three e-mails; the digest reader none yet.
    assert sorted(m.to[0] for m in mailoutbox) == ["b@thidua.invalid"] * 3
    mailoutbox.clear()

    assert send_digests() == 1
    assert send_digests() == 0  # a beat that fires twice sends nothing more
    (mail,) = mailoutbox
    assert mail.to == ["a@thidua.invalid"] and "Tổng hợp thông báo ngày" in mail.subject
    assert all(f"Việc mới số {i}" in mail.body for i in range(3)) and "Các thông báo gửi đến đồng chí (3)" in mail.body
    assert not Notification.objects.filter(user=digest, emailed_at__isnull=True).exists()
    # Nobody mailed the person without an address; their notifications stay in the app.
    assert Notification.objects.filter(user=silent).count() == 3


def test_the_preference_is_set_on_the_list_page(client):
    user = _user("a", "a@thidua.invalid")
    client.force_login(user)
    response = client.post("/notifications/digest/", {"daily_digest": "1"}, follow=True)
    assert "Đã chọn nhận thư tổng hợp mỗi ngày một lần." in response.content.decode()
    assert NotificationPreference.objects.get(user=user).daily_digest


def test_the_preference_is_set_through_the_api_as_on_the_page(client):
    user = _user("b", "b@thidua.invalid")
    client.force_login(user)
    assert client.get("/api/notifications/preferences/").json() == {"daily_digest": False}
    bad = client.put("/api/notifications/preferences/", {"daily_digest": "có"}, content_type="application/json")
    assert bad.status_code == 400 and not NotificationPreference.objects.filter(user=user).exists()
    done = client.put("/api/notifications/preferences/", {"daily_digest": True}, content_type="application/json")
    assert done.json() == {"daily_digest": True} and NotificationPreference.objects.get(user=user).daily_digest
    assert client.get("/api/notifications/preferences/").json() == {"daily_digest": True}
    client.logout()
    assert client.get("/api/notifications/preferences/").status_code == 401

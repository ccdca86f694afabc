"""The notices' e-mails rendered once per shape (notifications/mails.py) are the template's text, to the character."""

import datetime
import zoneinfo
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.template import loader
from django.utils import translation

from notifications.mails import SUBJECT_PREFIX, NoticeMails
from notifications.models import Notification

TEMPLATE = "notifications/email/notification.txt"
BASE_URL = "https://thidua.example.vn/"
AT = datetime.datetime(2026, 3, 4, 2, 5, tzinfo=datetime.UTC)  # 09:05 in Hanoi: the template writes local time

TITLES = [
    "Việc mới: Thủ trưởng đơn vị duyệt, ký tờ trình – Tờ trình đề nghị khen thưởng – Khối 1, Xã Hợp Thành",
    "100% {{ notification.title }} {% if x %} \\1 \\g<0> & <b>",
]
BODIES = ["", "Việc đang chờ đồng chí xử lý.", "Nội dung cần bổ sung:\n- Nguyễn Văn A: ảnh, bản sao\n\\1 {{ x }}"]
URLS = ["", "/nomination/12/head_approval/34/"]


def _user(pk, username, first="", last=""):
    return get_user_model()(pk=pk, username=username, first_name=first, last_name=last, email=f"{username}@x.vn")


PEOPLE = [_user(1, "chutich", "Trần Văn", "Bình"), _user(2, "canbo_2"), _user(3, "ngoac", "{{ recipient }}", "\\1")]


def _expected(notification, user) -> str:
    name = user.get_full_name() or user.username
    with translation.override("vi"):
        context = {"notification": notification, "recipient": name, "base_url": BASE_URL}
        return loader.render_to_string(TEMPLATE, context)


def _notices():
    return [
        Notification(pk=i, user_id=1, kind="assigned", title=title, body=body, url=url, created_at=AT)
        for i, (title, body, url) in enumerate(((t, b, u) for t in TITLES for b in BODIES for u in URLS), 1)
    ]


def test_each_message_is_the_template_rendered_for_its_notice_and_person_with_one_rendering_per_shape():
    mails = NoticeMails(TEMPLATE, BASE_URL, "thidua@localhost")
    render = mock.Mock(wraps=loader.render_to_string)
    with mock.patch("notifications.mails.render_to_string", render):
        for notification in _notices():
            mails.add(notification, PEOPLE)
    expected = [(n, u) for n in _notices() for u in PEOPLE]
    assert len(mails.messages) == len(expected) == 36
    for message, (notification, user) in zip(mails.messages, expected, strict=True):
        assert message.body == _expected(notification, user)
        assert message.subject == SUBJECT_PREFIX + notification.title
        assert message.to == [user.email] and message.from_email == "thidua@localhost"
    assert render.call_count == 4  # a body or not, a link or not: one rendering each, whatever the number


def test_the_time_is_the_notices_own_in_hanoi():
    later = AT + datetime.timedelta(hours=15)  # the next day in Hanoi
    mails = NoticeMails(TEMPLATE, BASE_URL, "thidua@localhost")
    for at in (AT, later):
        mails.add(Notification(title="t", body="b", url="/u/", created_at=at), PEOPLE[:1])
    hanoi = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
    for message, at in zip(mails.messages, (AT, later), strict=True):
        assert f"Thời điểm: {at.astimezone(hanoi):%d/%m/%Y %H:%M}" in message.body


def test_a_value_with_a_nul_is_rendered_on_its_own_and_never_mixed_with_the_stand_ins():
    notification = Notification(title="a\x00title\x00b", body="\x00recipient\x00", url="/u/", created_at=AT)
    sneaky = _user(4, "x", "\x00url\x00")
    mails = NoticeMails(TEMPLATE, BASE_URL, "thidua@localhost")
    mails.add(notification, [PEOPLE[0], sneaky])
    mails.add(Notification(title="plain", body="", url="/u/", created_at=AT), [sneaky])
    assert [m.body for m in mails.messages] == [
        _expected(notification, PEOPLE[0]),
        _expected(notification, sneaky),
        _expected(Notification(title="plain", body="", url="/u/", created_at=AT), sneaky),
    ]


@pytest.mark.django_db
def test_the_notices_written_together_go_over_one_connection(demo):
    from notifications.services import notify_each

    users = {u.username: u for u in get_user_model().objects.all()}
    people = [users["chutich_vinhtrai"], users["canbo_vinhtrai"]]
    fields = [{"kind": "assigned", "title": f"Việc {i}", "body": "", "url": f"/t/{i}/"} for i in range(3)]
    with mock.patch("notifications.services.get_connection") as connection:
        written = notify_each([(people, f, lambda u, i=i: f"mails-test:{i}:{u.pk}") for i, f in enumerate(fields)])
    assert len(written) == 6
    assert connection.call_count == 1
    (messages,), _kwargs = connection.return_value.send_messages.call_args
    assert [(m.subject, m.to) for m in messages] == [
        (f"{SUBJECT_PREFIX}Việc {i}", [u.email]) for i in range(3) for u in people
    ]

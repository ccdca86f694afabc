"""E-mails go out through Django's real SMTP backend to a real SMTP server (aiosmtpd), in Vietnamese (issue 17).

The server listens on a free local port for the test only: cheap enough to run in every stage of CI (SQLite and
PostgreSQL alike), so it is not marked. Nothing is mailed to a person without an address.
"""

import datetime
import email
import email.policy
import socket

import pytest
from aiosmtpd.controller import Controller
from django.contrib.auth import get_user_model

from nominations.models import AwardType, OrgUnit
from nominations.services import campaigns
from notifications.announcements import campaign_launched
from notifications.models import Notification

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


class Inbox:
    """aiosmtpd's handler: keeps every message it is given, as (recipients, parsed message)."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        parsed = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        self.messages.append((envelope.rcpt_tos, parsed))
        return "250 Message accepted for delivery"


def envelope_subject(message) -> str:
    """The Subject header as it came over the wire (before decoding)."""
    return next(value for name, value in message.raw_items() if name.lower() == "subject")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on localhost, and Django's SMTP backend pointed at it."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = controller.hostname, controller.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    try:
        yield inbox
    finally:
        controller.stop()


def test_a_vietnamese_email_reaches_a_real_smtp_server_and_none_goes_to_a_person_without_address(demo, smtp_server):
    users = {u.username: u for u in get_user_model().objects.all()}
    users["canbo_dongkinh"].email = ""
    users["canbo_dongkinh"].save()
    admin = users["quantri_ubnd"]
    campaign = campaigns.campaign_create(
        issuer=OrgUnit.objects.get(code="ls"),
        actor=admin,
        content_areas=["Chuyển đổi số"],
        offers=[campaigns.Offer(AwardType.objects.get(code="giay-khen"), default_quota=3)],
        code="pt-smtp",
        title="Phong trào “Dân vận khéo” năm 2026",
        legal_basis="Luật Thi đua, khen thưởng 2022",
        period_start=TODAY,
        period_end=TODAY + datetime.timedelta(days=30),
        nomination_deadline=TODAY + datetime.timedelta(days=40),
    )
    campaigns.campaign_launch(campaign=campaign, actor=admin)
    written = campaign_launched(campaign.pk)  # the job's body, as the worker runs it

    told = set(Notification.objects.filter(kind=Notification.Kind.CAMPAIGN).values_list("user__email", flat=True))
    assert written == len(told) >= 3 and "" in told  # canbo_dongkinh is told in the app, not by e-mail
    received = {rcpt for rcpts, _message in smtp_server.messages for rcpt in rcpts}
    assert received == told - {""}
    assert len(smtp_server.messages) == len(received)  # one message per person

    recipients, message = next(m for m in smtp_server.messages if m[0] == ["canbo_vinhtrai@thidua.invalid"])
    # The subject travels as RFC 2047 encoded words (utf-8); decoded, a folded line starts with its blank.
    assert "=?utf-8?" in envelope_subject(message).lower()
    subject = str(message["Subject"]).strip()
    assert subject == "[Thi đua – Khen thưởng] Phong trào thi đua mới: Phong trào “Dân vận khéo” năm 2026"
    body = message.get_content()
    assert "Tỉnh Lạng Sơn phát động phong trào “Phong trào “Dân vận khéo” năm 2026”." in body
    assert f"Hạn nộp hồ sơ đề nghị khen thưởng: {campaign.nomination_deadline:%d/%m/%Y}." in body
    assert message.get_content_charset() == "utf-8"

    # A second run (a redelivered job) sends nothing more.
    assert campaign_launched(campaign.pk) == 0
    assert len(smtp_server.messages) == len(received)

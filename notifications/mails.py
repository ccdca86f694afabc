"""The e-mails of notices written together (a burst of tasks, a campaign's audience), built for the worker's CPU.

Rendering the template for each notice cost a burst's worker more than writing the notices: the text is rendered
once per shape instead (a body or none, a link or none, the time written) with stand-ins in the places of the
notice's title, body and link and of the person's name, which are then put in. The text is the template's, to
the character (tests/notifications/test_mails.py renders both ways).
"""

import re
from types import SimpleNamespace

from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation

SUBJECT_PREFIX = "[Thi đua – Khen thưởng] "

# A NUL is in no name, title, body or link (PostgreSQL's text refuses it): a value that has one is rendered alone.
_SLOTS = ("recipient", "title", "body", "url")
_STAND_IN = {name: f"\x00{name}\x00" for name in _SLOTS}
_FILL = re.compile("\x00(" + "|".join(_SLOTS) + ")\x00")


def _fill(text: str, values: dict) -> str:
    """The stand-ins of ``text`` replaced by ``values`` in one pass (a value is never read for stand-ins)."""
    return _FILL.sub(lambda match: values[match[1]], text)


def recipient_name(user) -> str:
    return user.get_full_name() or user.username


class NoticeMails:
    """The messages for notices e-mailed with ``template`` (its context: ``notification``, ``recipient``,
    ``base_url``): ``add`` each notice with its people, then send ``messages`` over one connection."""

    def __init__(self, template: str, base_url: str, from_email: str):
        self.template, self.base_url, self.from_email = template, base_url, from_email
        self.messages: list[EmailMessage] = []
        self._texts: dict[tuple, str] = {}

    def add(self, notification, users) -> None:
        """One message per person, same subject and text as the template rendered for the notice and them."""
        subject = SUBJECT_PREFIX + notification.title
        values = {"title": notification.title, "body": notification.body, "url": notification.url}
        text = None if any("\x00" in value for value in values.values()) else self._text(notification)
        for user in users:
            name = recipient_name(user)
            if text is None or "\x00" in name:
                body = self._render(notification, name)
            else:
                body = _fill(text, {**values, "recipient": name})
            self.messages.append(EmailMessage(subject, body, self.from_email, [user.email]))

    def _text(self, notification) -> str:
        """The text of the notice's shape, its values stand-ins (rendered the first time)."""
        key = (bool(notification.body), bool(notification.url), notification.created_at)
        if key not in self._texts:
            stand_in = SimpleNamespace(
                title=_STAND_IN["title"],
                body=_STAND_IN["body"] if notification.body else "",
                url=_STAND_IN["url"] if notification.url else "",
                created_at=notification.created_at,
            )
            self._texts[key] = self._render(stand_in, _STAND_IN["recipient"])
        return self._texts[key]

    def _render(self, notification, name: str) -> str:
        with translation.override("vi"):
            context = {"notification": notification, "recipient": name, "base_url": self.base_url}
            return render_to_string(self.template, context)

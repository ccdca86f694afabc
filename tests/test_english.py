"""English interface: the en catalogue of the Vietnamese msgids, and the language switch.

Vietnamese is the source language and the default; English comes from
locale/en/LC_MESSAGES/django.po (compiled by `make`). The English words asserted
here exist only in that catalogue, so these tests fail if it is missing, stale
or not used.
"""

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone, translation

LOGIN = "/accounts/login/"
DOSSIERS = "/dossiers/"
PO = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"

# Persisted Vietnamese text: a decision's default subject (trích yếu, printed in the
# official decision) and the council's tally reason (stored on the nomination and in
# the audit log). Their msgstr stays empty on purpose; see the comments in the .po.
KEPT_VIETNAMESE = {
    "Về việc tặng %(award)s cho các tập thể, cá nhân có thành tích xuất sắc trong %(c)s",
    "Hội đồng: %(a)s tán thành, %(d)s không tán thành, %(ab)s không biểu quyết / %(b)s (%(p)s%%) – %(r)s",
}


def _po_entries(path: Path):
    """(msgid, msgstr, flags) of each entry of a .po file; enough of the format for makemessages' output."""
    text = path.read_text(encoding="utf-8")
    for block in text.split("\n\n"):
        lines = block.strip().splitlines()
        flags, parts, key = set(), {"msgid": [], "msgstr": []}, None
        for line in lines:
            if line.startswith("#,"):
                flags |= {f.strip() for f in line[2:].split(",")}
            elif line.startswith(("msgid ", "msgstr ")):
                key, _, rest = line.partition(" ")
                parts[key].append(rest)
            elif line.startswith('"') and key:
                parts[key].append(line)
        if not parts["msgid"]:
            continue
        yield _unquote(parts["msgid"]), _unquote(parts["msgstr"]), flags


def _unquote(chunks) -> str:
    return "".join(re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m[1], m[1]), c[1:-1]) for c in chunks)


def _text(response) -> str:
    """The visible text of a page, without tags, scripts and styles."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def clerk(demo):
    return get_user_model().objects.get(username="canbo_vinhtrai")


def test_catalogue_is_complete_and_compiled():
    entries = [(i, s, f) for i, s, f in _po_entries(PO) if i]
    assert len(entries) > 500
    assert not [i for i, _, f in entries if "fuzzy" in f], "fuzzy entries are ignored by compilemessages"
    untranslated = {i for i, s, _ in entries if not s}
    assert untranslated <= KEPT_VIETNAMESE, f"msgids without English: {sorted(untranslated - KEPT_VIETNAMESE)}"
    mo = PO.with_suffix(".mo")
    assert mo.exists() and mo.stat().st_mtime >= PO.stat().st_mtime, "run `make messages` to compile the catalogue"


def test_browser_language_alone_keeps_the_login_page_vietnamese(client, db):
    text = _text(client.get(LOGIN, headers={"accept-language": "en-GB,en;q=0.9"}))
    assert "Hệ thống quản lý thi đua" in text
    assert "Emulation and Commendation Management System" not in text


def test_language_chosen_while_logged_in_is_kept_on_the_login_page(client, clerk):
    client.force_login(clerk)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    client.post("/accounts/logout/")
    text = _text(client.get(LOGIN))
    assert "Emulation and Commendation Management System" in text


def test_anonymous_user_switches_the_login_page_to_english(client, db):
    response = client.post("/i18n/setlang/", {"language": "en", "next": LOGIN})
    assert response.status_code == 302 and response["Location"] == LOGIN
    assert "Emulation and Commendation Management System" in _text(client.get(LOGIN))


def test_logged_in_user_switches_the_dossier_list_to_english_and_back(client, clerk):
    client.force_login(clerk)
    response = client.post("/i18n/setlang/", {"language": "en", "next": DOSSIERS})
    assert response.status_code == 302 and response["Location"] == DOSSIERS

    response = client.get(DOSSIERS)
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "en"
    text = _text(response)
    # Heading, column headings, filter and menu, then model choices (nomination status).
    assert "List of award nominations" in text
    for words in ("Full name / collective", "Award", "Campaign", "Status", "All statuses", "Filter"):
        assert words in text
    assert "Nomination list" in text and "Award nominations" in text
    assert "Being prepared" in text
    assert "Danh sách đề nghị khen thưởng" not in text and "Trạng thái" not in text
    # The switch: both languages named in their own language, English marked as current.
    html = response.content.decode()
    assert 'class="thidua-language-switch' in html and 'action="/i18n/setlang/"' in html
    assert ">Tiếng Việt</button>" in html and ">English</button>" in html
    assert re.search(r'value="en" lang="en"\s+aria-pressed="true"', html)

    client.post("/i18n/setlang/", {"language": "vi", "next": DOSSIERS})
    text = _text(client.get(DOSSIERS))
    assert "Danh sách đề nghị khen thưởng" in text and "List of award nominations" not in text


@pytest.mark.parametrize("headers", [{}, {"accept-language": "fr-FR,fr;q=0.9"}], ids=["no-preference", "french"])
def test_vietnamese_is_the_default(client, clerk, headers):
    text = _text(client.get(LOGIN, headers=headers))
    assert "Hệ thống quản lý thi đua, khen thưởng" in text
    assert "Emulation and Commendation" not in text

    client.force_login(clerk)
    response = client.get(DOSSIERS, headers=headers)
    assert response.headers["Content-Language"] == "vi"
    text = _text(response)
    assert "Danh sách đề nghị khen thưởng" in text and "Trạng thái" in text and "Đang soạn" in text
    assert "List of award nominations" not in text and "Being prepared" not in text
    html = response.content.decode()
    assert ">Tiếng Việt</button>" in html and ">English</button>" in html
    assert re.search(r'value="vi" lang="vi"\s+aria-pressed="true"', html)


def _passed_by_council():
    from nominations.models import BaseSalary, Nomination
    from tests.nominations import council_factory

    council, seats, secretary, nominations, campaign = council_factory.build(members=3, nominations=1)
    BaseSalary.objects.create(valid_from=datetime.date(2020, 1, 1), amount=2_340_000)
    Nomination.objects.filter(pk__in=[n.pk for n in nominations]).update(status=Nomination.Status.COUNCIL_PASSED)
    return council, seats, secretary, list(Nomination.objects.filter(pk__in=[n.pk for n in nominations])), campaign


def test_default_decision_subject_stays_vietnamese_for_an_english_user(db):
    """The subject is stored and printed in the official (Vietnamese) decision."""
    from nominations.services.decisions import decision_draft

    _, _, secretary, nominations, campaign = _passed_by_council()
    with translation.override("en"):
        decision = decision_draft(
            campaign=campaign, award_type=nominations[0].award_type, nominations=nominations, actor=secretary.user
        )
    assert decision.subject.startswith("Về việc tặng Giấy khen cho các tập thể, cá nhân có thành tích xuất sắc")


def test_council_minutes_stay_vietnamese_for_an_english_user(db):
    from nominations.services.council import session_open
    from nominations.services.minutes import minutes_data
    from tests.nominations import council_factory

    council, seats, secretary, nominations, campaign = council_factory.build(members=3, nominations=1)
    session = session_open(
        council=council,
        campaign=campaign,
        title="Họp xét khen thưởng",
        held_on=timezone.localdate(),
        place="",
        nominations=nominations,
        present=seats,
        actor=secretary.user,
    )
    with translation.override("en"):
        data = minutes_data(session)
    assert data.chair.position == "Chủ tịch Hội đồng"
    assert data.secretary.position == "Thư ký"

"""No English on the Vietnamese pages of the flows: side panels, node names, lists' pager.

viewflow's defaults speak English: every process field without a Vietnamese verbose name
("Created by", "Head decision"), True/False, nodes without a title ("Start From Code", "Issue",
"End") and the pager ("1-1 of 1"). These pages are the ones the browser journey walks through.
"""

import re

import pytest
from django.contrib.auth import get_user_model

from nominations.demo import DEMO_PASSWORD

from .helpers import accepted_dossier, council_session, draft_decision, sign_decision

ENGLISH = re.compile(
    r"\b(Created by|Created at|Head decision|Ward decision|Review decision|Last reviewer|Revote|Opened by|"
    r"Drafted by|Signed by|Docx|Pdf|Letter|True|False|Start From Code|To Chairman|Finish|End|Voting|"
    r"Voting Done|Count|Conclude|Issue|Artifact|of \d+)\b"
)


def visible_text(response) -> str:
    html = re.sub(r"<(script|style|svg)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    html = re.sub(r"<[^>]+>", " ", html)
    return re.sub(r"\s+", " ", html)


@pytest.fixture
def users(demo):
    return {u.username: u for u in get_user_model().objects.all()}


def test_flow_pages_show_no_english(client, users):
    process, noms = accepted_dossier(client, users, ["Mạc Thị Sen", ("Nông Văn Pó", {"gender": "male"})])
    session = council_session(client, users, noms)
    decision = draft_decision(client, users, noms)
    signed = {"decision": "sign", "comment": "", "password": DEMO_PASSWORD}
    assert sign_decision(client, users["chutich_ubnd"], decision, signed).status_code == 302
    pages = {
        "chutich_ubnd": [f"/decision/{decision.pk}/", f"/council/{session.pk}/", "/decision/archive/"],
        "thuky_hoidong": [f"/council/{session.pk}/", "/council/archive/", f"/decision/{decision.pk}/"],
        "thamdinh_noivu": [f"/nomination/{process.pk}/", "/nomination/archive/"],
    }
    found = {}
    for username, urls in pages.items():
        client.force_login(users[username])
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            text = visible_text(response)
            words = set(ENGLISH.findall(text))
            if words:
                found[url] = words
    assert not found, found
    # Positive control: the side panel is there, in Vietnamese, with people's names.
    client.force_login(users["chutich_ubnd"])
    text = visible_text(client.get(f"/decision/{decision.pk}/"))
    assert "Người ký" in text and users["chutich_ubnd"].get_full_name() in text and "Kết thúc" in text

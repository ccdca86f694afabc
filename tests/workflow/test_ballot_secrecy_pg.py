"""Ballot secrecy against a reader of the PostgreSQL database, at every moment (issue 15, part 3).

Ballots are cast one by one over HTTP, each in its own committed transaction as in production. After each
one the test reads the raw tables as a database reader would, with each row's transaction id (``xmin``) and
physical place (``ctid``): nothing in them may say what anyone chose, and after the close the votes and
receipts must come from one batch written by a transaction that no cast wrote in.
"""

import re

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client

from nominations.models import (
    BallotCast,
    BallotKey,
    BallotReceipt,
    SealedBallot,
    SecretVote,
)
from tests.nominations.council_factory import open_over_http
from workflow.flows import CouncilFlow as C
from workflow.models import AuditEvent
from workflow.views.council import RECEIPT_TAG

from .helpers import dossiers_move_on, url

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="xmin and ctid are PostgreSQL's"),
]

# Five members on three items; every member's ballot differs from every other's.
PATTERN = [
    ("agree", "disagree", "abstain"),
    ("disagree", "agree", "agree"),
    ("agree", "abstain", "disagree"),
    ("abstain", "agree", "agree"),
    ("agree", "agree", "disagree"),
]


def raw(table, where: str, *params) -> list[dict]:
    """Rows of ``table`` as a reader of the database sees them, with their transaction id and place."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT xmin::text AS row_xmin, ctid::text AS row_ctid, * FROM {table} WHERE {where}", params)
        columns = [c[0] for c in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def tables(session) -> dict[str, list[dict]]:
    item_ids = list(session.items.values_list("pk", flat=True))
    t = {m: m._meta.db_table for m in (SealedBallot, BallotKey, BallotReceipt, SecretVote, BallotCast, AuditEvent)}
    return {
        "sealed": raw(t[SealedBallot], "session_id = %s", session.pk),
        "keys": raw(t[BallotKey], "session_id = %s", session.pk),
        "receipts": raw(t[BallotReceipt], "session_id = %s", session.pk),
        "votes": raw(t[SecretVote], "item_id = ANY(%s)", item_ids),
        "casts": raw(t[BallotCast], "session_id = %s", session.pk),
        "events": raw(t[AuditEvent], "scope = %s", f"council_session:{session.pk}"),
    }


def everything(seen) -> bytes:
    values = (v for rows in seen.values() for row in rows for v in row.values())
    return b"\x00".join(bytes(v) if isinstance(v, bytes | memoryview) else str(v).encode() for v in values)


def open_session_over_http():
    return open_over_http(5, "Phiên bỏ phiếu kín")


def cast(process, member, choices) -> str:
    """``member`` votes over HTTP; return the receipt code the page gives them."""
    client = Client()
    client.force_login(member.user)
    task = process.task_set.get(flow_task=C.vote, data__member_id=member.pk)
    items = process.artifact.items.order_by("number")
    with dossiers_move_on():  # the last ballot closes the round
        response = client.post(
            url(C.vote, "execute", task), {f"item_{i.pk}": c for i, c in zip(items, choices, strict=True)}
        )
    assert response.status_code == 302
    # The receipt page shows the code once; it travels in the voter's own message, tagged as a receipt.
    [code] = [m.message for m in get_messages(response.wsgi_request) if RECEIPT_TAG in m.tags.split()]
    return re.search(r"\b[0-9A-F]{10}\b", code).group()


@pytest.mark.parametrize("closed_by", ["last ballot", "secretary"])
def test_a_database_reader_learns_no_choice_at_any_moment(committed_db, closed_by):
    process, seats, secretary = open_session_over_http()
    session = process.artifact
    voters = seats if closed_by == "last ballot" else seats[:-1]
    receipts = []
    for n, (member, choices) in enumerate(zip(voters, PATTERN, strict=False), start=1):
        receipts.append(cast(process, member, choices))
        seen = tables(session)
        assert len(seen["casts"]) == n
        if n == len(seats):
            break  # this ballot ended the round: read below
        # Mid-round: each ballot is a ciphertext row next to its cast; no choice and no receipt anywhere.
        assert seen["votes"] == [] and seen["receipts"] == []
        assert len(seen["sealed"]) == n and len(seen["keys"]) == 1
        stored = everything(seen)
        for secret in (*(r.encode() for r in receipts), b"agree", b"disagree", b"abstain"):
            assert secret not in stored
    if closed_by == "secretary":
        client = Client()
        client.force_login(secretary.user)
        with dossiers_move_on():
            closing = client.post(url(C.close_voting, "execute", close_task(process)), {"confirm": "on"})
            assert closing.status_code == 302

    seen = tables(session)
    # The key and the sealed ballots are gone: nothing of the round can be opened any more.
    assert seen["sealed"] == [] and seen["keys"] == []
    # Votes and receipts appear in one batch, written by no transaction that wrote a cast or its audit event.
    linked = {row["row_xmin"] for row in seen["casts"]}
    linked |= {row["row_xmin"] for row in seen["events"] if row["event_type"] == "council.ballot_cast"}
    # (When the last ballot ends the round, the count runs in that request, in its own savepoint: PostgreSQL
    # gives the batch its own subtransaction id; the batch holds every ballot, shuffled.)
    batch = {row["row_xmin"] for row in seen["votes"] + seen["receipts"]}
    assert len(batch) == 1 and not batch & linked
    assert int(batch.pop()) > max(map(int, linked))  # written after every cast
    assert sorted(row["code"] for row in seen["receipts"]) == sorted(receipts)
    # The votes' ids (s26ballot): one random prefix for the batch and the vote's place in the shuffled order, the
    # order the rows lie in anyway: sorted by id they are sorted by place, and no id repeats.
    ids = [str(row["id"]) for row in seen["votes"]]
    assert len(set(ids)) == len(ids) == len(voters) * 3 and len({i[:24] for i in ids}) == 1
    by_place = sorted(seen["votes"], key=lambda row: tuple(map(int, row["row_ctid"].strip("()").split(","))))
    assert [str(row["id"]) for row in by_place] == sorted(ids)
    items = list(session.items.order_by("number"))
    for k, item in enumerate(items):
        expected = [p[k] for p in PATTERN[: len(voters)]]
        stored = [row["choice"] for row in seen["votes"] if row["item_id"] == item.pk]
        assert sorted(stored) == sorted(expected)
        assert (item.agree, item.disagree, item.abstain) == tuple(
            expected.count(c) for c in ("agree", "disagree", "abstain")
        )


def close_task(process):
    return process.task_set.get(flow_task=C.close_voting)

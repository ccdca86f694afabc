"""Storing the decision's documents: rendered with no row locked, stored once, no file left behind."""

import pytest
from django.db import connection

from nominations.documents import decision as decision_docs
from nominations.models import Decision
from nominations.services import decision_documents
from nominations.services.decision_documents import DOCUMENT_FIELDS, decision_documents_generate
from tests.private_storage import isolate, stored_names
from workflow import audit
from workflow.models import AuditEvent

from .decision_factory import build_signed_decision


@pytest.fixture
def storage(settings, tmp_path):
    isolate(settings, tmp_path / "private")


def files_in(_storage) -> set[str]:
    return stored_names()


def names(decision: Decision) -> set[str]:
    return {getattr(decision, field).name for field in DOCUMENT_FIELDS}


def audit_events(decision: Decision) -> int:
    return AuditEvent.objects.filter(event_type=audit.DECISION_DOCUMENTS, target_id=str(decision.pk)).count()


@pytest.mark.django_db
def test_a_second_run_writes_nothing(storage):
    decision = build_signed_decision(3)
    first = decision_documents_generate(decision.pk)
    assert files_in(storage) == names(first) and len(names(first)) == 4
    again = decision_documents_generate(decision.pk)  # e.g. the task delivered again (acks_late)
    assert names(again) == names(first) and files_in(storage) == names(first)
    assert audit_events(decision) == 1


@pytest.mark.django_db
def test_a_run_that_loses_the_race_stores_nothing(storage, monkeypatch):
    """Another run stores its documents while this one renders: theirs stay, this one writes no file."""
    decision = build_signed_decision(3)
    render = decision_docs.render_decision_docx
    other = {}

    def render_while_another_run_finishes(data):
        if "started" not in other:
            other["started"] = True
            other["decision"] = decision_documents_generate(decision.pk)
        return render(data)

    monkeypatch.setattr(decision_docs, "render_decision_docx", render_while_another_run_finishes)
    result = decision_documents_generate(decision.pk)
    assert names(result) == names(other["decision"]) == files_in(storage)
    assert len(files_in(storage)) == 4 and audit_events(decision) == 1


@pytest.mark.django_db(transaction=True)
def test_rendering_happens_outside_any_transaction(storage, monkeypatch):
    decision = build_signed_decision(3)
    render = decision_docs.render_decision_pdf
    seen = []

    def render_and_look(data):
        seen.append(connection.in_atomic_block)
        return render(data)

    monkeypatch.setattr(decision_docs, "render_decision_pdf", render_and_look)
    decision_documents_generate(decision.pk)
    assert seen == [False]  # so no row lock is held while the PDF is laid out


@pytest.mark.django_db
def test_replacing_deletes_the_old_files_on_commit_and_keeps_the_tờ_trình(storage, django_capture_on_commit_callbacks):
    decision = build_signed_decision(3)
    first = decision_documents_generate(decision.pk)
    old, letter = names(first), {first.letter_docx.name, first.letter_pdf.name}
    with django_capture_on_commit_callbacks(execute=True):
        new = names(decision_documents_generate(decision.pk, replace=True))
    # The decision is made again; the Tờ trình is the standing body's proposal as issued, never re-made.
    assert (new - letter).isdisjoint(old) and letter <= new and files_in(storage) == new
    assert audit_events(decision) == 2


@pytest.mark.django_db
def test_a_failure_while_storing_leaves_no_file(storage, monkeypatch):
    decision = build_signed_decision(3)

    def fail(*args, **kwargs):
        raise RuntimeError("audit unavailable")

    monkeypatch.setattr(decision_documents.audit, "record", fail)
    with pytest.raises(RuntimeError):
        decision_documents_generate(decision.pk)
    assert files_in(storage) == set()
    assert not any(getattr(Decision.objects.get(pk=decision.pk), field) for field in DOCUMENT_FIELDS)

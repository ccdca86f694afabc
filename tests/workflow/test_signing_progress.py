"""The chairman never waits: signing records the signature in its request, the documents and certificates follow
as background jobs (with no broker, `make run`: after the response, jobs/inline.py), and a progress page / API
shows how far they have gone, with failures in Vietnamese while the signature stays.

The data is committed for real (the request's on-commit sends happen inside the request, as in production);
jobs run inline (``celery_inline``), also in the PostgreSQL stage.
"""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from rest_framework.test import APIClient

from jobs import inline
from jobs.models import OutboxJob
from jobs.outbox import enqueue
from nominations.demo import DEMO_PASSWORD
from nominations.models import Certificate, Decision, Membership, OrgUnit, Role
from nominations.services import decision_documents
from nominations.tasks import generate_certificates_task, generate_decision_documents_task
from workflow.models import AuditEvent
from workflow.tasks import resume_dossiers_task

from ..jobs import scenario

DOCUMENT_JOBS = (generate_decision_documents_task.name, generate_certificates_task.name)


@pytest.fixture(autouse=True)
def no_thread_left():
    yield
    inline.stop_all()


@pytest.fixture
def after_response(monkeypatch):
    """make run's mode: a request's jobs are held until its response is sent. Handed jobs are recorded (with what
    the database showed at that moment) instead of going to a thread; the test runs them."""
    handed = []

    def dispatch(job):
        decision = Decision.objects.filter(status=Decision.Status.SIGNED).order_by("-pk").first()
        done = OutboxJob.objects.get(pk=job.pk).done_at is not None
        handed.append({"job": job, "done": done, "docx": bool(decision and decision.docx)})

    monkeypatch.setattr(inline, "dispatch", dispatch)
    monkeypatch.setattr(inline, "runner_for", lambda name: None)  # no thread in these tests
    return handed


@pytest.fixture
def signed(committed_demo, client, celery_inline, after_response, settings):
    """A decision for two awardees, drafted with inline jobs, then signed in make run's mode: (decision, handed)."""
    users = scenario.users()
    _process, noms, session, last = scenario.before_the_last_ballot(client, users)
    scenario.cast_the_last_ballot(client, session, last)
    decision_process = scenario.draft(client, users, noms)
    settings.THIDUA_INLINE_AFTER_RESPONSE = True  # from the signature on
    response = scenario.sign(client, users, decision_process)
    decision = decision_process.artifact
    assert response.status_code == 302
    assert response["Location"] == reverse("decisions:progress", args=[decision.pk])  # the chairman follows it
    decision.refresh_from_db()
    return decision, after_response


def progress_page(client, decision, username="chutich_ubnd"):
    client.force_login(get_user_model().objects.get(username=username))
    response = client.get(reverse("decisions:progress", args=[decision.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_signing_answers_with_the_signature_and_leaves_the_documents_to_jobs_run_after_the_response(signed, client):
    decision, handed = signed
    # In the request: the signature, the number, the awards and the audit.
    assert decision.status == Decision.Status.SIGNED and decision.number
    assert AuditEvent.objects.filter(scope=decision.audit_scope, event_type="decision.signed").exists()
    # Not in the request: no document, no certificate; their jobs are recorded and pending.
    assert not decision.docx and not decision.pdf and not decision.letter_pdf
    assert not Certificate.objects.filter(item__decision=decision, generated_at__isnull=False).exists()
    jobs = OutboxJob.objects.filter(task__in=DOCUMENT_JOBS, args=[decision.pk])
    certificates = [generate_certificates_task.name] * 2  # settings.THIDUA_CERTIFICATE_TASKS
    assert sorted(job.task for job in jobs) == sorted([generate_decision_documents_task.name, *certificates])
    assert all(job.done_at is None for job in jobs)
    # Handed over only once the response was sent (request_finished), none of them run by then.
    handed_documents = [h for h in handed if h["job"].task in DOCUMENT_JOBS]
    assert len(handed_documents) == 3 and not any(h["done"] or h["docx"] for h in handed_documents)
    page = progress_page(client, decision)
    assert "Đang tạo văn bản và giấy khen…" in page and "Văn bản (Quyết định, Tờ trình): 0/4" in page
    assert 'aria-live="polite"' in page and "workflow/progress.js" in page
    assert "Quyết định (DOCX)" not in page

    for entry in handed:  # what the threads would do after the response
        inline.run_job(entry["job"].pk)
    assert scenario.decision_made(decision)
    assert all(OutboxJob.objects.get(pk=entry["job"].pk).done_at for entry in handed)
    page = progress_page(client, decision)
    assert "Đã hoàn tất: văn bản và giấy khen đã sẵn sàng." in page and 'data-done="1"' in page
    assert "Văn bản (Quyết định, Tờ trình): 4/4" in page and "Giấy khen: 2/2" in page
    assert reverse("decisions:file", args=[decision.pk, "docx"]) in page
    assert reverse("decisions:certificates", args=[decision.pk]) in page


def test_a_failed_document_job_is_retried_shown_in_vietnamese_and_the_decision_stays_signed(
    signed, client, monkeypatch
):
    decision, handed = signed
    calls, generate = [], decision_documents.decision_documents_generate

    def broken(decision_id, **kwargs):
        calls.append(decision_id)
        raise RuntimeError("weasyprint crashed")

    monkeypatch.setattr(decision_documents, "decision_documents_generate", broken)
    documents_job = next(h["job"] for h in handed if h["job"].task == generate_decision_documents_task.name)
    inline.run_job(documents_job.pk)
    assert calls == [decision.pk]
    documents_job.refresh_from_db()
    assert documents_job.done_at is None and documents_job.attempts == 1
    assert "weasyprint crashed" in documents_job.last_error
    # Retried by the relay (make run's: inline.run_due; with a worker, Celery's retries then the beat's relay).
    inline.run_due(resend_after=0)  # (with the PostgreSQL stage's broker, the demo's own jobs may be due too)
    assert calls == [decision.pk] * 2
    documents_job.refresh_from_db()
    assert documents_job.done_at is None and documents_job.attempts == 2
    decision.refresh_from_db()
    assert decision.status == Decision.Status.SIGNED and decision.number and not decision.docx  # nothing undone

    page = progress_page(client, decision)
    assert "Có lỗi khi tạo văn bản; quyết định vẫn đã được ký." in page
    assert "Tạo và ký số văn bản quyết định: lần thử gần nhất bị lỗi; hệ thống sẽ tự thử lại." in page
    assert "weasyprint" not in page  # the error's text is for the administrator (Việc chạy nền), not the page
    api = APIClient()
    api.force_authenticate(get_user_model().objects.get(username="chutich_ubnd"))
    body = api.get(reverse("api:decision-progress", args=[decision.pk])).json()
    assert body["status"] == "failed" and body["documents_done"] == 0 and len(body["failures"]) == 1

    monkeypatch.setattr(decision_documents, "decision_documents_generate", generate)  # the fault is gone
    for entry in handed:
        if entry["job"].pk != documents_job.pk:
            inline.run_job(entry["job"].pk)
    inline.run_due(resend_after=0)
    documents_job.refresh_from_db()
    assert documents_job.done_at is not None and documents_job.attempts == 3
    assert scenario.decision_made(decision)
    body = api.get(reverse("api:decision-progress", args=[decision.pk])).json()
    assert body == {**body, "status": "done", "percent": 100, "failures": [], "certificates_done": 2}


def test_outside_a_request_inline_jobs_still_run_at_once(
    db, settings, celery_inline, django_capture_on_commit_callbacks
):
    """A command (load_demo) or the shell has no response to wait for: jobs run on commit, as before."""
    settings.THIDUA_INLINE_AFTER_RESPONSE = True
    assert not inline.in_request()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        job = enqueue(resume_dossiers_task, [987654], "council", "accepted")
    job.refresh_from_db()
    assert job.done_at is not None


def test_document_jobs_go_to_their_own_queue():
    """A batch of certificates waits behind other documents, never in front of a dossier moving on."""
    from config.celery import app
    from nominations.tasks import generate_revocation_documents_task, notify_outcome_task

    def queue(task):
        return app.amqp.router.route({}, task.name)["queue"].name

    documents = (generate_decision_documents_task, generate_certificates_task, generate_revocation_documents_task)
    assert {queue(task) for task in documents} == {"documents"}
    assert {queue(resume_dossiers_task), queue(notify_outcome_task)} == {"workflow"}
    assert set(app.amqp.queues) == {"workflow", "documents"}  # a worker with no -Q consumes both


@pytest.fixture
def other_issuer_chairman(committed_demo):
    """The chairman of another People's Committee (a ward's), in office today."""
    user = get_user_model().objects.create_user("chutich_khac", password=DEMO_PASSWORD)
    Membership.objects.create(
        user=user,
        unit=OrgUnit.objects.get(code="p-dong-kinh"),
        role=Role.CHAIRMAN,
        valid_from=datetime.date(2020, 1, 1),
    )
    return user


def test_only_those_who_see_the_decision_see_its_progress(signed, client, other_issuer_chairman):
    decision, _handed = signed
    page = reverse("decisions:progress", args=[decision.pk])
    api = reverse("api:decision-progress", args=[decision.pk])
    for username in ("chutich_ubnd", "thuky_hoidong"):
        progress_page(client, decision, username)
    # Another issuer's chairman, another unit's clerk: the same 404 as for a decision that does not exist.
    for user in (other_issuer_chairman, get_user_model().objects.get(username="canbo_dongkinh")):
        client.force_login(user)
        assert client.get(page).status_code == 404
        assert client.get(reverse("decisions:progress", args=[decision.pk + 1000])).status_code == 404
        rest = APIClient()
        rest.force_authenticate(user)
        assert rest.get(api).status_code == 404
    # The public: the login page, and no figures.
    client.logout()
    response = client.get(page)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert APIClient().get(api).status_code in (401, 403)

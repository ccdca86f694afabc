"""The last ballot and the signature with the broker down: the request commits and answers, nothing is lost.

Real commits (the on-commit sends happen inside the request, as in production) and a fake broker that refuses
connections (tests/jobs/conftest.py). The same story with a real Redis and worker: test_outbox_faults.py.
"""

from django.core import mail

from jobs.models import OutboxJob
from jobs.outbox import relay, send
from nominations.models import Certificate, CouncilSession, Decision
from workflow.models import AuditEvent

from . import scenario


def test_broker_down_at_the_last_ballot_and_at_the_signature_loses_nothing(committed_demo, client, broker):
    users = scenario.users()
    process, noms, session, last = scenario.before_the_last_ballot(client, users)

    broker.down = True
    scenario.cast_the_last_ballot(client, session, last)  # 302: the request does not fail
    session.artifact.refresh_from_db()
    assert session.artifact.status == CouncilSession.Status.CLOSED  # committed with the ballot
    assert scenario.waiting_for_the_council(process)
    # Resuming the dossiers and telling the units the council's result (issue 17), both kept for the relay.
    unsent = OutboxJob.objects.filter(done_at=None)
    assert sorted(job.task for job in unsent) == [
        "notifications.tasks.notify_council_result_task",
        "workflow.tasks.resume_dossiers_task",
    ]
    assert all(job.sent_at is None and "Connection refused" in job.last_error for job in unsent)

    broker.down = False
    assert relay(unsent_after=0) == 2
    assert scenario.waiting_for_the_decision(process)

    decision_process = scenario.draft(client, users, noms)
    broker.down = True
    assert scenario.sign(client, users, decision_process).status_code == 302
    decision = decision_process.artifact
    decision.refresh_from_db()
    assert decision.status == Decision.Status.SIGNED and decision.number  # signed and numbered
    assert OutboxJob.objects.filter(done_at=None, sent_at=None).count() == 4  # documents, 2 × certificates, resume
    assert not scenario.decision_made(decision) and not scenario.finished(process)

    broker.down = False
    assert relay(unsent_after=0) == 4
    assert scenario.decision_made(decision) and scenario.finished(process) and scenario.awarded(noms)
    # The outcome notice, sent by the dossier's last step (the others tell people of the tasks they got).
    assert len([m for m in mail.outbox if m.subject.startswith("Thông báo kết quả")]) == 1
    assert not OutboxJob.objects.filter(done_at=None).exists()

    # Every job delivered once more (an acknowledgement lost with a worker): nothing is made twice.
    files = sorted(Certificate.objects.values_list("code", "pdf"))
    documents = (decision.docx.name, decision.pdf.name)
    events, mails = AuditEvent.objects.count(), len(mail.outbox)
    for job in OutboxJob.objects.all():
        send(job)
    decision.refresh_from_db()
    assert sorted(Certificate.objects.values_list("code", "pdf")) == files and len(files) == len(noms)
    assert (decision.docx.name, decision.pdf.name) == documents
    assert len(mail.outbox) == mails and AuditEvent.objects.count() == events

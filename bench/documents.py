"""Documents benchmark (issue 7, benchmark 5): certificates through the Celery worker, and a 500-awardee decision.

    scripts/services.sh start && eval "$(scripts/services.sh env)"
    .venv/bin/python -m bench.documents                      # both parts, the figures in bench/README.md
    .venv/bin/python -m bench.documents --only decision      # or --only certificates
    .venv/bin/python -m bench.documents --certificates 200 --tasks 1   # a quick run

Needs PostgreSQL (DATABASE_URL) and Redis (CELERY_BROKER_URL). It works in a database of its own,
``<name>_bench`` on the same server, created fresh and dropped at the end (``--keep-db`` keeps it), stores files
in a temporary folder, and starts its own worker on a queue of its own; nothing else is touched.

Every figure comes with its same-run floor, and with CPU time next to wall time: rendering is CPU-bound and
single-threaded per process, so on a shared machine the CPU time is the better estimate of an idle machine's
wall time.
"""

import argparse
import cProfile
import dataclasses
import datetime
import html
import io
import os
import platform
import pstats
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

BASE_DIR = Path(__file__).resolve().parent.parent
CERTIFICATES_GOAL = 30.0  # seconds for 1,000 certificates (issue 7)
DECISION_GOAL = 2.0  # seconds for one 500-awardee DOCX or PDF (issue 7, perf-reliability D2)
CLOCK_TICK = os.sysconf("SC_CLK_TCK")


# --------------------------------------------------------------------------- set-up


def _bench_database(url: str) -> tuple[str, str]:
    """(URL of the bench database, its name), next to DATABASE_URL's database."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/") + "_bench"
    return parts._replace(path="/" + name).geturl(), name


def _recreate_database(admin_url: str, name: str, *, drop_only: bool = False) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            conn.execute(f'CREATE DATABASE "{name}"')


def _timed(fn):
    """(result, wall seconds, CPU seconds of this process)."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def _median(fn, runs: int) -> tuple[float, float]:
    """Median wall and CPU seconds of ``runs`` calls, after one warm-up call."""
    fn()
    timings = [_timed(fn)[1:] for _ in range(runs)]
    return statistics.median(t[0] for t in timings), statistics.median(t[1] for t in timings)


def _line(label: str, wall: float, cpu: float | None = None, count: int = 0, extra: str = "") -> None:
    rate = f" = {count / wall:5.1f}/s" if count else ""
    cpu_text = f"  CPU {cpu:6.2f} s" if cpu is not None else ""
    print(f"  {label:56} wall {wall:6.2f} s{rate}{cpu_text}{extra}")


def _verdict(seconds: float, goal: float) -> str:
    return "met" if seconds <= goal else f"MISSED ({seconds / goal:.1f}x the goal)"


# --------------------------------------------------------------------------- the worker


class Worker:
    """A `celery -A config worker` on its own queue, in its own process group, logging to a file."""

    def __init__(self, concurrency: int, log: Path):
        self.queue = f"bench-{uuid.uuid4().hex[:10]}"
        self.hostname = f"{self.queue}@{socket.gethostname()}"
        self.log = log
        celery = Path(sys.executable).with_name("celery")
        command = [str(celery), "-A", "config", "worker", "-Q", self.queue, "-c", str(concurrency), "-l", "info"]
        command += ["--without-gossip", "--without-mingle", "--hostname", self.hostname]
        with open(log, "ab") as out:
            self.process = subprocess.Popen(
                command, cwd=BASE_DIR, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )

    def wait_ready(self, timeout: float = 60) -> None:
        from config.celery import app

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the worker exited during start-up:\n{self.tail()}")
            if app.control.ping(destination=[self.hostname], timeout=0.5):
                return
        raise RuntimeError(f"the worker did not answer ping within {timeout} s:\n{self.tail()}")

    def cpu_seconds(self) -> float:
        """User + system CPU of the live processes of the worker's group (parent and pool children)."""
        total = 0
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == self.process.pid:  # pgrp
                total += int(fields[11]) + int(fields[12])  # utime, stime
        return total / CLOCK_TICK

    def tail(self, lines: int = 40) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def _through_worker(worker: Worker, count: int, tasks: int, timeout: float = 600) -> tuple[float, float]:
    """Send ``tasks`` tasks for one new decision of ``count`` awardees; (wall, worker CPU) until all are made."""
    from nominations.models import Certificate
    from nominations.tasks import generate_certificates_task
    from tests.nominations.decision_factory import build_signed_decision

    decision = build_signed_decision(count)
    made = Certificate.objects.filter(item__decision=decision, generated_at__isnull=False)
    cpu = worker.cpu_seconds()
    start = time.perf_counter()
    for _ in range(tasks):
        generate_certificates_task.apply_async(args=[decision.pk], queue=worker.queue)
    while made.count() < count:
        if time.perf_counter() - start > timeout or worker.process.poll() is not None:
            raise RuntimeError(f"{made.count()} of {count} certificates after {timeout} s:\n{worker.tail()}")
        time.sleep(0.1)
    return time.perf_counter() - start, worker.cpu_seconds() - cpu


# --------------------------------------------------------------------------- certificates


def bench_certificates(count: int, tasks_variants: list[int], logs: Path) -> None:
    from django.conf import settings
    from django.db.models import Count

    from nominations.documents.certificates import _laid_out
    from nominations.models import Certificate, Decision
    from nominations.services.decision_documents import _certificate_data, certificates_generate, decision_data
    from tests.nominations.decision_factory import build_signed_decision

    print(f"\n== certificates: {count} Giấy khen PDFs of one decision (goal: 1,000 in <= {CERTIFICATES_GOAL:.0f} s)")
    concurrency = max(tasks_variants)
    worker = Worker(concurrency, logs / "worker.log")
    try:
        _, start_wall, _ = _timed(worker.wait_ready)
        print(f"worker: celery -A config worker -c {concurrency}, ready in {start_wall:.1f} s")
        # Warm every pool process (imports, fontconfig, first layout), as a long-running worker is.
        _through_worker(worker, 20 * concurrency, concurrency)
        for tasks in tasks_variants:
            wall, cpu = _through_worker(worker, count, tasks)
            label = f"{tasks} task{'s' if tasks > 1 else ''} on the same decision"
            if tasks == settings.THIDUA_CERTIFICATE_TASKS:  # decisions.decision_sign sends that many
                label = f"{tasks} task{'s' if tasks > 1 else ''}, as the app sends it"
            goal = _verdict(wall * 1000 / count, CERTIFICATES_GOAL)
            _line(f"through the worker, {label}", wall, cpu, count, f" (worker)  goal: {goal}")
    finally:
        worker.stop()

    # Floor 1: the same service, same database and files, in this process: no broker, no worker.
    warm = build_signed_decision(20)
    certificates_generate(warm.pk)
    decision = build_signed_decision(count)
    made, wall, cpu = _timed(lambda: certificates_generate(decision.pk))
    assert made == count
    _line("floor: certificates_generate in-process, no Celery", wall, cpu, count)

    # Floor 2: rendering only, the same certificates in the service's batches of 20: no database, no files.
    decision = Decision.objects.select_related("issuer", "campaign", "award_type", "signed_by").get(pk=decision.pk)
    common = decision_data(decision)
    certificates = list(
        Certificate.objects.filter(item__decision=decision).select_related(
            "item__decision", "item__nomination__candidate", "item__nomination__submission__unit"
        )
    )
    data = [_certificate_data(c, common) for c in certificates]

    # What render_certificate_pdfs does, in its two halves: lay out each batch once, then write a file per page.
    batches = [data[i : i + 20] for i in range(0, len(data), 20)]
    documents, layout_wall, layout_cpu = _timed(lambda: [_laid_out(batch) for batch in batches])
    files, write_wall, write_cpu = _timed(lambda: [d.copy([p]).write_pdf() for d in documents for p in d.pages])
    wall, cpu = layout_wall + write_wall, layout_cpu + write_cpu
    _line("floor: rendering only (render_certificate_pdfs, by 20)", wall, cpu, count)
    _line("  of which layout (WeasyPrint render, 20 pages a batch)", layout_wall, layout_cpu)
    _line("  of which one PDF file per page (copy([page]).write_pdf)", write_wall, write_cpu)
    _, wall, cpu = _timed(lambda: [d.write_pdf() for d in documents])
    _line("  for comparison: one multi-page PDF per batch", wall, cpu)
    sizes = [len(f) for f in files]
    print(f"  PDF size: mean {statistics.mean(sizes) / 1024:.0f} KB, max {max(sizes) / 1024:.0f} KB (D1: <= 200 KB)")
    duplicates = Certificate.objects.values("item").annotate(c=Count("pk")).filter(c__gt=1).count()
    print(f"  certificates with the same awardee twice, whole run: {duplicates}")


# --------------------------------------------------------------------------- the 500-awardee decision


def _bare_table_html(data) -> str:
    """The appendix's 500 rows as a plain WeasyPrint table: the engine's own floor for this content."""
    rows = "".join(
        f"<tr><td>{r.number}</td><td>{html.escape(r.name)}</td><td>{html.escape(r.position_unit)}</td>"
        f"<td>{html.escape(r.award_name)}</td><td>{r.amount}</td></tr>"
        for r in data.awardees
    )
    style = (
        "@page { size: A4; margin: 20mm 15mm 20mm 30mm } "
        'body { font-family: "Liberation Serif", serif; font-size: 13pt } '
        "table { border-collapse: collapse; width: 100%; table-layout: fixed } "
        "td { border: 0.75pt solid #000; padding: 2pt 4pt }"
    )
    return f"<html><head><meta charset='utf-8'><style>{style}</style></head><body><table>{rows}</table></body></html>"


# (label, file suffix, function) of the frames that sum up where a decision PDF render goes.
PHASES = [
    ("WeasyPrint: the body (template, layout, PDF)", "nominations/documents/render.py", "pdf_bytes"),
    ("ReportLab: the list, all pages", "nominations/documents/appendix.py", "render_appendix_pdf"),
    ("  of which cell text wrapped (simpleSplit)", "nominations/documents/appendix.py", "_wrapped"),
    ("  of which row heights (each page's piece)", "reportlab/platypus/tables.py", "_calc"),
    ("  of which table split over pages", "reportlab/platypus/tables.py", "split"),
    ("  of which drawing", "reportlab/platypus/tables.py", "draw"),
    ("  of which font subsets + PDF write", "reportlab/pdfgen/canvas.py", "save"),
    ("pypdf: join body and list", "nominations/documents/render.py", "concatenate"),
]


def profile_pdf(render, top: int = 12) -> None:
    profile = cProfile.Profile()
    profile.runcall(render)
    stats = pstats.Stats(profile)
    total = stats.total_tt
    print(f"  profile of one PDF render (cProfile, {total:.1f} s under the profiler):")
    for label, suffix, function in PHASES:
        cumulative = sum(
            row[3] for (path, _, name), row in stats.stats.items() if path.endswith(suffix) and name == function
        )
        print(f"    {label:44} {cumulative:6.2f} s  {100 * cumulative / total:4.0f}%")
    print(f"  top {top} frames by own time:")
    frames = sorted(stats.stats.items(), key=lambda kv: kv[1][2], reverse=True)[:top]
    for (path, line, name), (_, calls, own, cumulative, _) in frames:
        where = path.split("site-packages/")[-1] if "site-packages/" in path else path
        print(f"    {own:6.2f} s own {cumulative:6.2f} s cum {calls:>8} calls  {where}:{line}({name})")


def _stored(decision_id: int) -> tuple[float, float, float]:
    """decision_documents_generate from scratch: (wall, CPU, seconds the decision row was locked).

    The lock is taken by the SELECT … FOR UPDATE and released at commit, which is the service's last step.
    """
    from django.db import connection

    from nominations.models import Decision
    from nominations.services.decision_documents import DOCUMENT_FIELDS, decision_documents_generate

    Decision.objects.filter(pk=decision_id).update(**dict.fromkeys(DOCUMENT_FIELDS, ""))
    locked_at = []

    def watch(execute, sql, params, many, context):
        if "FOR UPDATE" in sql:
            locked_at.append(time.perf_counter())
        return execute(sql, params, many, context)

    with connection.execute_wrapper(watch):
        _, wall, cpu = _timed(lambda: decision_documents_generate(decision_id))
    return wall, cpu, time.perf_counter() - locked_at[0]


def bench_decision(awardees: int, runs: int, profile: bool) -> None:
    from pypdf import PdfReader
    from weasyprint import HTML

    from nominations.documents.appendix import render_appendix_pdf
    from nominations.documents.decision import decision_context, render_decision_docx, render_decision_pdf
    from nominations.documents.render import concatenate, pdf_bytes
    from nominations.documents.submission import render_submission_letter_pdf
    from nominations.services.decision_documents import decision_data, letter_data
    from tests.nominations.decision_factory import build_signed_decision

    print(f"\n== decision with {awardees} awardees: Quyết định DOCX and PDF (goal: each <= {DECISION_GOAL:.0f} s)")
    decision = build_signed_decision(awardees)
    data, wall, _ = _timed(lambda: decision_data(decision))
    _line("data from the database (decision_data)", wall)
    letter = letter_data(decision)
    one = dataclasses.replace(data, awardees=data.awardees[:1])
    context = decision_context(data)
    body, list_pages = pdf_bytes("decision.html", context), render_appendix_pdf(context["appendix"])
    bare = _bare_table_html(data)
    figures = [
        ("DOCX", lambda: render_decision_docx(data), True),
        ("  floor: the same DOCX with 1 awardee", lambda: render_decision_docx(one), False),
        ("PDF (WeasyPrint body + ReportLab list, joined)", lambda: render_decision_pdf(data), True),
        ("  of which the body (WeasyPrint)", lambda: pdf_bytes("decision.html", context), False),
        ("  of which the list (ReportLab)", lambda: render_appendix_pdf(context["appendix"]), False),
        ("  of which joining them (pypdf)", lambda: concatenate(body, list_pages), False),
        ("  floor: the same PDF with 1 awardee", lambda: render_decision_pdf(one), False),
        (f"  compare: WeasyPrint, bare {awardees}-row table (old path)", lambda: HTML(string=bare).write_pdf(), False),
        ("Tờ trình PDF (the same list)", lambda: render_submission_letter_pdf(letter), True),
    ]
    for label, fn, has_goal in figures:
        wall, cpu = _median(fn, runs)
        goal = f"  goal: {_verdict(wall, DECISION_GOAL)} (by CPU: {_verdict(cpu, DECISION_GOAL)})" if has_goal else ""
        _line(label, wall, cpu, extra=goal)
    pdf = render_decision_pdf(data)
    print(f"  PDF: {len(PdfReader(io.BytesIO(pdf)).pages)} pages, {len(pdf) / 1024:.0f} KB")
    timings = [_stored(decision.pk) for _ in range(runs)]
    wall, cpu, locked = (statistics.median(t[i] for t in timings) for i in range(3))
    _line("decision_documents_generate: 4 documents, stored", wall, cpu)
    _line("  of which the decision row is locked (FOR UPDATE..commit)", locked)
    if profile:
        profile_pdf(lambda: render_decision_pdf(data))


# --------------------------------------------------------------------------- main


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", choices=["certificates", "decision"])
    parser.add_argument("--certificates", type=int, default=1000, help="certificates per run (default 1000)")
    parser.add_argument(
        "--tasks",
        type=int,
        action="append",
        help="tasks per decision, repeatable (default: 1, THIDUA_CERTIFICATE_TASKS as the app sends, and nproc)",
    )
    parser.add_argument("--awardees", type=int, default=500, help="awardees of the decision (default 500)")
    parser.add_argument("--runs", type=int, default=3, help="runs per decision render, median shown (default 3)")
    parser.add_argument("--no-profile", dest="profile", action="store_false", help="skip the PDF profile")
    parser.add_argument("--keep-db", action="store_true", help="keep the <name>_bench database")
    args = parser.parse_args(argv)

    database_url, broker = os.environ.get("DATABASE_URL", ""), os.environ.get("CELERY_BROKER_URL", "")
    if not database_url.startswith(("postgres://", "postgresql://")) or not broker:
        print('needs PostgreSQL and Redis: scripts/services.sh start && eval "$(scripts/services.sh env)"')
        return 2
    bench_url, bench_name = _bench_database(database_url)
    tmp = Path(tempfile.mkdtemp(prefix="thidua-bench-"))
    os.environ.update(
        {
            "DATABASE_URL": bench_url,
            "THIDUA_PRIVATE_STORAGE": str(tmp / "private"),
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "PYTHONUNBUFFERED": "1",
        }
    )
    os.environ.pop("CELERY_RESULT_BACKEND", None)  # nothing reads results
    sys.path.insert(0, str(BASE_DIR))
    _recreate_database(database_url, bench_name)
    try:
        import django

        django.setup()
        from django.core.management import call_command

        _, wall, _ = _timed(lambda: call_command("migrate", verbosity=0))
        load = os.getloadavg()
        print(
            f"documents benchmark, {datetime.datetime.now():%Y-%m-%d %H:%M}; nproc {os.cpu_count()}, "
            f"{platform.machine()}, Python {platform.python_version()}; load average {load[0]:.1f} {load[1]:.1f} "
            f"{load[2]:.1f}; database {bench_name} (migrated in {wall:.0f} s)"
        )
        if args.only in (None, "certificates"):
            from django.conf import settings

            tasks = args.tasks or sorted({1, settings.THIDUA_CERTIFICATE_TASKS, os.cpu_count() or 1})
            bench_certificates(args.certificates, tasks, tmp)
        if args.only in (None, "decision"):
            bench_decision(args.awardees, args.runs, args.profile)
        print(f"\nload average at the end: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep_db:
            _recreate_database(database_url, bench_name, drop_only=True)
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

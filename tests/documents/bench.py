"""Timings behind the performance notes; not part of the test suite.

    .venv/bin/python -m tests.documents.bench

Prints the median of three runs for a 500-awardee decision (DOCX, PDF) and
200 certificates (one PDF; one file each from a single layout), as wall
time and as CPU time: rendering is single-threaded, so on a busy machine
the CPU time is the better estimate of the wall time on an idle one.
"""

import os
import statistics
import time


def _median_seconds(fn, runs: int = 3) -> tuple[float, float]:
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return statistics.median(wall), statistics.median(cpu)


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
    import django

    django.setup()
    from nominations.documents.certificates import render_certificate_pdfs, render_certificates_pdf
    from nominations.documents.decision import render_decision_docx, render_decision_pdf

    from . import samples

    decision = samples.decision(rows=samples.awardees(497))  # 2 collectives + 1 household + 497
    certificates = [samples.certificate(i) for i in range(200)]
    results = {
        "decision, 500 awardees, DOCX": _median_seconds(lambda: render_decision_docx(decision)),
        "decision, 500 awardees, PDF": _median_seconds(lambda: render_decision_pdf(decision)),
        "200 certificates, one PDF": _median_seconds(lambda: render_certificates_pdf(certificates)),
        "200 certificates, 200 PDFs": _median_seconds(lambda: render_certificate_pdfs(certificates)),
    }
    for label, (wall, cpu) in results.items():
        rate = f"  ({200 / wall:.0f}/s wall, {200 / cpu:.0f}/s CPU)" if "certificates" in label else ""
        print(f"{label:30} wall {wall:6.2f} s  CPU {cpu:6.2f} s{rate}")


if __name__ == "__main__":
    main()

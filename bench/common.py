"""Shared helpers of the workflow benchmarks (issue 7): the bench database, floors, a gunicorn server, HTTP clients.

Every workflow benchmark runs against a PostgreSQL database of its own, ``thidua_wfbench`` on the server of
``DATABASE_URL`` (``scripts/services.sh start`` + ``eval "$(scripts/services.sh env)"``); it never touches the
project's database, the test database, or ``thidua_bench`` (the documents benchmark creates and drops that one).
Override the name with ``THIDUA_WFBENCH_DB``.
"""

import contextlib
import os
import platform
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

BASE_DIR = Path(__file__).resolve().parent.parent
VENV_BIN = BASE_DIR / ".venv" / "bin"
BENCH_DB = os.environ.get("THIDUA_WFBENCH_DB", "thidua_wfbench")
PASSWORD = "thidua-bench-2024"  # every generated user's password

# --------------------------------------------------------------------------- database


def source_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit(
            'DATABASE_URL must point at PostgreSQL: scripts/services.sh start && eval "$(scripts/services.sh env)"'
        )
    return url


def bench_url() -> str:
    """The bench database's URL: DATABASE_URL with the database name replaced."""
    parts = urlsplit(source_url())
    return parts._replace(path="/" + BENCH_DB).geturl()


def ensure_database(*, drop: bool = False) -> None:
    """Create the bench database (owner: DATABASE_URL's user) if it is missing; ``drop`` recreates it."""
    import psycopg

    parts = urlsplit(source_url())
    with psycopg.connect(source_url(), autocommit=True) as conn:
        if drop:
            conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [BENCH_DB]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{BENCH_DB}" OWNER "{parts.username}"')


def setup_django(*, migrate: bool = False) -> None:
    """Point Django at the bench database and set it up (Celery inline: no broker in the bench)."""
    os.environ["DATABASE_URL"] = bench_url()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.pop("CELERY_BROKER_URL", None)
    os.environ.pop("CELERY_RESULT_BACKEND", None)
    os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
    # Production settings need audit keys; the servers it starts inherit them (server_env).
    os.environ.setdefault("THIDUA_AUDIT_KEY", "bench-audit-key-throw-away")
    os.environ.setdefault("THIDUA_AUDIT_ANCHOR_KEY", "bench-audit-anchor-key-throw-away")
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()
    from django.conf import settings

    from config import gc_threshold

    gc_threshold.apply(settings.THIDUA_GC_THRESHOLD)  # as each server process does (config/wsgi.py)
    if settings.THIDUA_GC_FREEZE:
        gc_threshold.freeze_loaded()
    if migrate:
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)


def server_env(**extra) -> dict:
    """Environment of a production-like server process on the bench database."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CELERY_")}
    env.update(
        DATABASE_URL=bench_url(),
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="bench-" + secrets.token_urlsafe(40),  # throw-away
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    env.update(extra)
    return env


# --------------------------------------------------------------------------- reporting


def machine() -> str:
    free = subprocess.run(["free", "-g"], capture_output=True, text=True).stdout.splitlines()
    mem = next((line.split()[1] for line in free if line.startswith("Mem:")), "?")
    pg = ""
    with contextlib.suppress(Exception):
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            pg = f", PostgreSQL {cursor.fetchone()[0]}"
            cursor.execute("SHOW fsync")
            pg += f" (fsync={cursor.fetchone()[0]})"
    return f"{os.cpu_count()} CPU {platform.machine()}, {mem} GB RAM, Python {platform.python_version()}{pg}"


def header(title: str) -> None:
    print(f"# {title}")
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"# {time.strftime('%Y-%m-%d %H:%M:%S UTC', time.gmtime())} · {machine()} · load average {load}")


def pct(values, p: float) -> float:
    """Nearest-rank percentile (p in 0..100) of a list of numbers."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(1, min(len(ordered), -(-len(ordered) * p // 100)))
    return ordered[int(rank) - 1]


def median(values) -> float:
    return statistics.median(values)


def verdict(ok: bool) -> str:
    return "MET" if ok else "MISSED"


# --------------------------------------------------------------------------- floors


def orm_floor(steps: int = 2000) -> tuple[float, int]:
    """(ms per step, statements per step) of the bare Django ORM step: one row UPDATE + one INSERT in a transaction.

    Two tables of its own (``bench_floor_state``, ``bench_floor_event``), created here with plain SQL, driven
    through unmanaged models: the shape of §3.2 of perf-reliability.md.
    """
    from django.db import connection, models, transaction
    from django.db.models import F
    from django.test.utils import CaptureQueriesContext

    state, event = _floor_models()
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS bench_floor_state (id bigserial PRIMARY KEY, counter bigint NOT NULL)"
        )
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS bench_floor_event (id bigserial PRIMARY KEY, state_id bigint NOT NULL,"
            " kind varchar(32) NOT NULL, created timestamptz NOT NULL)"
        )
    row = state.objects.create(counter=0)

    def step():
        with transaction.atomic():
            state.objects.filter(pk=row.pk).update(counter=F("counter") + 1)
            event.objects.create(state_id=row.pk, kind="step", created=models.functions.Now())

    for _ in range(50):  # warm-up
        step()
    with CaptureQueriesContext(connection) as ctx:
        step()
    started = time.perf_counter()
    for _ in range(steps):
        step()
    elapsed = time.perf_counter() - started
    return elapsed / steps * 1000, len(ctx.captured_queries)


_FLOOR_MODELS = None


def _floor_models():
    global _FLOOR_MODELS
    if _FLOOR_MODELS is None:
        from django.db import models

        class FloorState(models.Model):
            counter = models.BigIntegerField()

            class Meta:
                app_label = "nominations"
                db_table = "bench_floor_state"
                managed = False

        class FloorEvent(models.Model):
            state_id = models.BigIntegerField()
            kind = models.CharField(max_length=32)
            created = models.DateTimeField()

            class Meta:
                app_label = "nominations"
                db_table = "bench_floor_event"
                managed = False

        _FLOOR_MODELS = (FloorState, FloorEvent)
    return _FLOOR_MODELS


# --------------------------------------------------------------------------- gunicorn


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def gunicorn(workers: int = 2, port: int | None = None, extra_args=(), **env):
    """Run ``gunicorn config.wsgi -w N`` on 127.0.0.1 (production settings, bench database); yield its base URL.

    The server is ours: it is stopped (by its pid) when the block ends.
    """
    port = port or free_port()
    log = open(BASE_DIR / "var" / f"bench-gunicorn-{port}.log", "w")  # noqa: SIM115
    proc = subprocess.Popen(
        [
            str(VENV_BIN / "gunicorn"),
            "config.wsgi",
            "-w",
            str(workers),
            "-b",
            f"127.0.0.1:{port}",
            "--timeout",
            "120",
            "--backlog",
            "2048",
            *extra_args,
        ],
        cwd=BASE_DIR,
        env=server_env(**env),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 60
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see var/bench-gunicorn-{port}.log")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                if time.time() > deadline:
                    raise RuntimeError("gunicorn did not listen within 60 s") from None
                time.sleep(0.2)
        yield base, proc
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        log.close()
        text = Path(log.name).read_text()
        if "Traceback" not in text and "[ERROR]" not in text:
            Path(log.name).unlink()  # kept only when the server logged an error


def worker_pids(master) -> list[int]:
    """The gunicorn master's worker processes (for py-spy)."""
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(master.pid)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


@contextlib.contextmanager
def py_spy(pids, path: Path, seconds: float = 0, fmt: str = "raw"):
    """Sample the given processes with py-spy while the block runs; writes ``path`` (collapsed stacks)."""
    exe = VENV_BIN / "py-spy"
    procs = []
    if exe.exists():
        for pid in pids:
            out = path.with_name(f"{path.stem}-{pid}{path.suffix}")
            procs.append(
                subprocess.Popen(
                    [
                        str(exe),
                        "record",
                        "--pid",
                        str(pid),
                        "--format",
                        fmt,
                        "--output",
                        str(out),
                        "--rate",
                        "200",
                        "--nonblocking",
                    ],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
    try:
        yield
    finally:
        for proc in procs:
            with contextlib.suppress(ProcessLookupError):
                proc.send_signal(signal.SIGINT)
        for proc in procs:
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=30)


APP_FRAMES = ("(workflow/", "(nominations/", "(viewflow/", "(guardian/", "(django/db/", "(django/template/",
              "(django/forms/", "(psycopg/")  # fmt: skip


def summarise_collapsed(paths, top: int = 25, match=APP_FRAMES) -> list[tuple[str, float]]:
    """Inclusive share of samples per function across py-spy collapsed-stack files, for frames matching ``match``
    (the application, viewflow, guardian, the ORM, templates, forms, the driver)."""
    totals, samples = {}, 0
    for path in paths:
        for line in Path(path).read_text().splitlines():
            stack, _, count = line.rpartition(" ")
            if not count.isdigit():
                continue
            count = int(count)
            samples += count
            seen = set()
            for frame in stack.split(";"):
                name = re.sub(r" \(([^)]*?)(?::\d+)?\)$", r" (\1)", frame)
                if name in seen or (match and not any(m in name for m in match)):
                    continue
                seen.add(name)
                totals[name] = totals.get(name, 0) + count
    ranked = sorted(totals.items(), key=lambda kv: -kv[1])[:top]
    return [(name, count / samples * 100 if samples else 0) for name, count in ranked]


# --------------------------------------------------------------------------- CPU accounting

CLOCK_TICK = os.sysconf("SC_CLK_TCK")


def _proc_cpu(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICK


def bench_backends() -> list[int]:
    """PostgreSQL backends connected to the bench database (the server's and ours)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database()")
        return [row[0] for row in cursor.fetchall()]


def cpu_snapshot(worker_pids, pg_pids=None) -> dict:
    """Cumulative CPU seconds of: the server's workers, PostgreSQL (the bench database's backends), this (client)
    process, the whole machine."""
    pg_pids = bench_backends() if pg_pids is None else pg_pids
    fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    busy = sum(int(x) for i, x in enumerate(fields[:8]) if i not in (3, 4)) / CLOCK_TICK  # minus idle, iowait
    return {
        "workers": sum(_proc_cpu(p) for p in worker_pids),
        "postgres": sum(_proc_cpu(p) for p in pg_pids),
        "client": time.process_time(),
        "machine": busy,
    }


def cpu_report(before: dict, after: dict, units: int, what: str = "step") -> str:
    """CPU ms per unit of work by consumer; "others" is what the rest of the machine used meanwhile."""
    delta = {k: after[k] - before[k] for k in before}
    others = delta["machine"] - delta["workers"] - delta["postgres"] - delta["client"]  # incl. other sessions' work
    per = {k: v / units * 1000 for k, v in delta.items()}
    return (
        f"CPU per {what}: workers {per['workers']:.1f} ms, PostgreSQL {per['postgres']:.1f} ms, "
        f"client {per['client']:.1f} ms; others on the machine {max(others, 0) / units * 1000:.1f} ms "
        f"(total busy {per['machine']:.1f} ms = {delta['machine']:.1f} CPU-s)"
    )


# --------------------------------------------------------------------------- HTTP clients


class Client:
    """A logged-in HTTP client. Production cookies are ``Secure``; over loopback HTTP they are sent by hand."""

    def __init__(self, base: str):
        import requests

        self.base = base
        self.http = requests.Session()
        self.cookies: dict[str, str] = {}

    def _headers(self):
        return {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())} if self.cookies else {}

    def _keep(self, response):
        for name in ("sessionid", "csrftoken"):
            value = response.cookies.get(name)
            if value:
                self.cookies[name] = value
        return response

    def get(self, path: str, **kw):
        return self._keep(self.http.get(self.base + path, headers=self._headers(), allow_redirects=False, **kw))

    def post(self, path: str, data=None, **kw):
        data = dict(data or {})
        data.setdefault("csrfmiddlewaretoken", self.cookies.get("csrftoken", ""))
        return self._keep(
            self.http.post(self.base + path, data=data, headers=self._headers(), allow_redirects=False, **kw)
        )

    def post_body(self, path: str, body: bytes, **kw):
        """POST a form already url-encoded (with its CSRF token), as a browser sends it."""
        headers = {**self._headers(), "Content-Type": "application/x-www-form-urlencoded"}
        return self._keep(self.http.post(self.base + path, data=body, headers=headers, allow_redirects=False, **kw))

    def raw_post(self, path: str, body: bytes) -> bytes:
        """The whole HTTP/1.1 POST of a url-encoded form with this client's cookies, as bytes, for ``send_raw``.

        Built before a timed run, as a member's browser builds its request on its own machine: through
        ``requests`` the client spent ~2.4 ms of this box's CPU per 500-item ballot (headers, cookie jar, urllib3),
        on the cores the server was being timed on."""
        head = [
            f"POST {path} HTTP/1.1",
            f"Host: {urlsplit(self.base).netloc}",
            "Content-Type: application/x-www-form-urlencoded",
            f"Content-Length: {len(body)}",
            "Connection: close",
        ]
        if self.cookies:
            head.append("Cookie: " + self._headers()["Cookie"])
        return ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body

    def login(self, username: str, password: str = PASSWORD) -> "Client":
        self.get("/accounts/login/")
        response = self.post("/accounts/login/", {"username": username, "password": password})
        if response.status_code != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"login of {username} failed: {response.status_code}")
        return self


def send_raw(base: str, request: bytes, timeout: float = 600) -> int:
    """Send a request built by ``Client.raw_post`` on a new connection (gunicorn's sync workers close each one, as
    with ``requests``); its status code, once the server has sent the whole answer and closed."""
    address = urlsplit(base)
    with socket.create_connection((address.hostname, address.port), timeout=timeout) as sock:
        sock.sendall(request)
        answer = bytearray()
        while chunk := sock.recv(65536):
            answer += chunk
    return int(answer.split(b" ", 2)[1])


def login_all(base: str, usernames, threads: int = 4) -> dict:
    """Log every user in (PBKDF2 is slow on purpose: done before any timing starts)."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(threads) as pool:
        clients = list(pool.map(lambda name: Client(base).login(name), usernames))
    return dict(zip(usernames, clients, strict=True))


def wrk_available() -> bool:
    return subprocess.run(["which", "wrk"], capture_output=True).returncode == 0


def run_wrk(url: str, cookie: str, clients: int, seconds: int) -> dict:
    """wrk -c N -t min(N, 2) with a Lua script setting the session cookie; {p50, p95, p99, max (ms), rps, requests,
    non2xx, timeouts}. A page slower than the run itself completes too few requests: use seconds ≥ 10× latency."""
    lua = BASE_DIR / "var" / f"bench-wrk-{os.getpid()}.lua"
    lua.write_text(
        "wrk.headers['Cookie'] = '" + cookie + "'\n"
        "done = function(summary, latency, requests)\n"
        "  io.write(string.format('RESULT %d %d %d %d %d %d %d %d\\n', latency:percentile(50), latency:percentile(95),"
        " latency:percentile(99), summary.requests, summary.duration, summary.errors.status, latency.max,"
        " summary.errors.timeout))\n"
        "end\n"
    )
    out = subprocess.run(
        [
            "wrk",
            "-t",
            str(min(clients, 2)),
            "-c",
            str(clients),
            "-d",
            f"{seconds}s",
            "--timeout",
            "60s",
            "--latency",
            "-s",
            str(lua),
            url,
        ],
        capture_output=True,
        text=True,
    ).stdout
    lua.unlink()
    line = next((ln for ln in out.splitlines() if ln.startswith("RESULT")), None)
    if line is None:
        raise RuntimeError("wrk gave no result:\n" + out)
    p50, p95, p99, requests, duration, non2xx, worst, timeouts = (int(x) for x in line.split()[1:])
    return {
        "p50": p50 / 1000,
        "p95": p95 / 1000,
        "p99": p99 / 1000,
        "max": worst / 1000,
        "rps": requests / (duration / 1e6),
        "requests": requests,
        "non2xx": non2xx,
        "timeouts": timeouts,
    }

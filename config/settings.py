"""thidua settings: one module, driven by the environment.

Production behaviour is switched on by environment variables, never by a
separate settings file, so the code path tested is the one deployed.
"""

import datetime
from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)
# Only a development server may run on the built-in key; production must
# provide DJANGO_SECRET_KEY (check --deploy fails otherwise).
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="django-insecure-thidua-development-only")
# Keys being rotated out. SECRET_KEY also protects the keys of open secret ballots
# (nominations/services/ballot_box.py): keep the old key here until every round
# that was open when it changed has been counted.
SECRET_KEY_FALLBACKS = env.list("DJANGO_SECRET_KEY_FALLBACKS", default=[])
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_filters",
    # viewflow's queue checks the literal string "guardian": never use the
    # AppConfig path here or object-permission tasks silently disappear.
    "guardian",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    # Before "workflow": axes counts a failed login before workflow.auth_events
    # reads that count to audit only the first failure of a burst.
    "axes",
    "csp",
    "viewflow",
    "viewflow.workflow",
    "jobs",
    "nominations",
    "workflow",
    "notifications",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Civil servants' browsers are often set to English; the interface stays
    # Vietnamese unless the user picks English.
    "workflow.language.ExplicitLanguageOnlyMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # A url-encoded POST's fields read in one pass, before the CSRF check reads them (a 500-item ballot).
    "workflow.form_body.FormBodyMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Anonymous users are sent to the login page instead of viewflow's 403.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "workflow.middleware.AccessDeniedAuditMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "viewflow.middleware.SiteMiddleware",
    "viewflow.middleware.HotwireTurboMiddleware",
    "workflow.scope.ProcessScopeMiddleware",
    # Turns a login that axes marked as locked out into the lockout page / API 429.
    "axes.middleware.AxesMiddleware",
    # Last, so that its process_exception sees task conflicts first.
    "workflow.conflicts.TaskConflictMiddleware",
]
VIEWFLOW = {"AUTOREGISTER": False}

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "notifications.context_processors.unread",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
_db = DATABASES["default"]
if _db["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE takes the write lock at BEGIN, so two writers queue instead of
    # failing with "database is locked" half-way through a step; WAL lets
    # readers proceed meanwhile.
    _db.setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
else:
    # Persistent connections halve page latency (perf-reliability §3.6).
    _db["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    _db["CONN_HEALTH_CHECKS"] = True
    if env.bool("THIDUA_DB_POOL", default=False):
        # psycopg 3's pool (psycopg[pool]) in each process: threads and requests borrow a connection and give
        # it back, and a host opens at most THIDUA_DB_POOL_MAX per process instead of one per thread. Django
        # refuses persistent connections with a pool (the pool keeps them), hence CONN_MAX_AGE 0 (README,
        # "Several hosts").
        _db["CONN_MAX_AGE"] = 0
        _db.setdefault("OPTIONS", {})["pool"] = {
            "min_size": env.int("THIDUA_DB_POOL_MIN", default=2),
            "max_size": env.int("THIDUA_DB_POOL_MAX", default=10),
            # Seconds a request waits for a free connection before it fails (a 500, not a hang).
            "timeout": env.int("THIDUA_DB_POOL_TIMEOUT", default=10),
        }
    # Behind PgBouncer in transaction pooling, a server-side cursor (.iterator()) would outlive the transaction
    # that declared it on a server connection another client may get next: Django must not use them.
    _pgbouncer = env.bool("THIDUA_DB_PGBOUNCER", default=False)
    _db["DISABLE_SERVER_SIDE_CURSORS"] = _pgbouncer
    # Server-side binding (issue 18, PostgreSQL's CPU per step): Django sends each statement's text and its values
    # apart instead of inlining the values, so a statement's text is the same on every request and psycopg
    # prepares it on the connection after `prepare_threshold` runs: PostgreSQL then skips parsing and, once it
    # settles on a generic plan, planning. The clerk's prepare step (15 statements) costs ~4.6 ms of PostgreSQL
    # CPU inlined, ~2.2 ms bound and prepared (with workflow 0012); a 500-item ballot ~5.0, ~3.9 (bench/README.md,
    # "s27pg").
    # Binding alone is safe behind PgBouncer (an unnamed statement lives for one round trip); preparing is not,
    # below. THIDUA_DB_SERVER_BINDING=0 goes back to client-side binding (then only workflow.prepared's
    # statements are prepared).
    _db.setdefault("OPTIONS", {})["server_side_binding"] = env.bool("THIDUA_DB_SERVER_BINDING", default=True)
    # Prepared statements: off behind PgBouncer in transaction pooling (a prepared statement lives on one server
    # connection, the next transaction may get another) unless THIDUA_DB_PREPARE=1 says it is PgBouncer 1.21+
    # with max_prepared_statements > 0, which keeps them per client.
    if env.bool("THIDUA_DB_PREPARE", default=not _pgbouncer):
        _db.setdefault("OPTIONS", {})["prepare_threshold"] = 5  # psycopg's default
    else:
        _db.setdefault("OPTIONS", {})["prepare_threshold"] = None
# Production: DATABASE_URL names a role that may only INSERT and SELECT the
# audit trail; `manage.py migrate` connects with this owner role instead
# (workflow/management/commands/migrate.py). Empty: migrate uses DATABASE_URL.
DATABASE_MIGRATE_URL = env.str("DATABASE_MIGRATE_URL", default="")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Sessions are in the database (Django's default engine), so any host reads any session. The cache is the
# process's memory unless THIDUA_CACHE_URL names a Redis: with several hosts it must, or a value one host
# cached or cleared is not seen by the other.
THIDUA_CACHE_URL = env.str("THIDUA_CACHE_URL", default="")
if THIDUA_CACHE_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": THIDUA_CACHE_URL}}

# --- Auth and permissions --------------------------------------------------
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out username/address pair before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    # A user's own and group permissions in one statement per request (workflow.roles.permissions); before
    # ModelBackend, which then answers from the same sets without its two statements.
    "workflow.backends.PermissionSetBackend",
    "django.contrib.auth.backends.ModelBackend",
    # guardian's backend, except that rights on units come from the roles in force (workflow.roles).
    "workflow.backends.RoleObjectPermissionBackend",
]
# guardian looks for its own backend's dotted path; ours subclasses it.
SILENCED_SYSTEM_CHECKS = ["guardian.W001"]
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"
# Login lockout (django-axes): THIDUA_LOGIN_FAILURE_LIMIT wrong passwords for one
# username from one address lock that pair for THIDUA_LOGIN_COOLOFF_MINUTES, on the
# login page, the admin and POST /api/auth/token/ alike. The pair, not the username
# alone, so nobody can lock a colleague out from another machine; not the address
# alone, because a whole office often reaches the server through one NAT or proxy
# address. Attempts made while locked neither count nor extend the lock.
AXES_FAILURE_LIMIT = env.int("THIDUA_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("THIDUA_LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
# The same address the audit trail records (REMOTE_ADDR).
AXES_CLIENT_IP_CALLABLE = "workflow.auth_events.client_ip"
AXES_LOCKOUT_CALLABLE = "workflow.lockout.lockout_response"
# Logins and logouts are in the audit trail already; axes keeps only its counters.
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False
# Argon2 first (issue 18: the chairman's step-up check at signing took 2.1–2.5 s of PBKDF2 on a loaded box); PBKDF2
# kept after it so that existing hashes still verify, and Django re-hashes them with Argon2 at the next login.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# --- Language, time, formats ------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["config.formats"]
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]

# --- Static and uploaded files ---------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=BASE_DIR / "staticfiles")
# Dossier files live outside the web root and are served only through a view
# that checks access; no MEDIA_URL is exposed.
PRIVATE_STORAGE_ROOT = env.path("THIDUA_PRIVATE_STORAGE", default=BASE_DIR / "var" / "private")
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(PRIVATE_STORAGE_ROOT), "base_url": "/no-direct-access/"},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Several application hosts share one S3-compatible bucket instead of the local disk (README, "Several hosts").
# The bucket is private and so is every object: files are still served only through the views that check access
# (they stream from the storage), never by the object's URL. Credentials come from boto3's usual sources
# (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY in the environment, or the host's role), never from settings.
THIDUA_S3_BUCKET = env.str("THIDUA_S3_BUCKET", default="")
if THIDUA_S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": THIDUA_S3_BUCKET,
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,  # empty: Amazon S3
            "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
            "location": env.str("THIDUA_S3_PREFIX", default=""),  # a folder inside the bucket, if shared
            "addressing_style": env.str("AWS_S3_ADDRESSING_STYLE", default="path"),
            "signature_version": "s3v4",
            "default_acl": "private",
            # A URL of an object, if ever made (storage.url), is signed and short-lived, never public.
            "querystring_auth": True,
            "querystring_expire": env.int("THIDUA_S3_URL_EXPIRE", default=60),
            # As on the disk: a second file of the same name gets another name, never replaces the first.
            "file_overwrite": False,
            # A file read from the bucket (a download streamed by the app) spills to a temporary file above this.
            "max_memory_size": 4 * 1024 * 1024,
        },
    }
THIDUA_MAX_UPLOAD_BYTES = env.int("THIDUA_MAX_UPLOAD_BYTES", default=10 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = THIDUA_MAX_UPLOAD_BYTES + 1024 * 1024
# A DOCX whose parts inflate beyond this is refused (a zip bomb); real documents
# inflate a few times at most.
THIDUA_MAX_DOCX_UNZIPPED_BYTES = env.int("THIDUA_MAX_DOCX_UNZIPPED_BYTES", default=5 * THIDUA_MAX_UPLOAD_BYTES)
THIDUA_PUBLIC_BASE_URL = env.str("THIDUA_PUBLIC_BASE_URL", default="http://127.0.0.1:8000")
# Digital signature (PAdES) of decision PDFs with the issuer's key in a PKCS#11 token
# (nominations/documents/pdf_signing.py; scripts/softhsm.sh makes a development one).
# No module: the PDFs are not signed digitally and the pages say so.
THIDUA_PKCS11_MODULE = env.str("THIDUA_PKCS11_MODULE", default="")
THIDUA_PKCS11_TOKEN = env.str("THIDUA_PKCS11_TOKEN", default="")
THIDUA_PKCS11_PIN = env.str("THIDUA_PKCS11_PIN", default="")
THIDUA_PKCS11_KEY_LABEL = env.str("THIDUA_PKCS11_KEY_LABEL", default="")
THIDUA_PKCS11_CERT_LABEL = env.str("THIDUA_PKCS11_CERT_LABEL", default="")  # default: the key's label
# Each issuer signs with its own key: issuer org unit code → key label in the token ("ubnd-ls=ubnd-ls,..."),
# the certificate under the same label. Set with the token, by whoever installs it and holds its PIN; when
# set, an issuer not listed cannot sign (never with another issuer's key). Empty: THIDUA_PKCS11_KEY_LABEL for all.
THIDUA_PKCS11_KEY_LABELS = env.dict("THIDUA_PKCS11_KEY_LABELS", default={})
# Certificates (PEM or DER files) a signature must chain to: the CA that issued the token's certificate.
THIDUA_PDF_TRUST_ROOTS = env.list("THIDUA_PDF_TRUST_ROOTS", default=[])

# --- Audit trail (workflow/audit.py, workflow/audit_anchors.py) --------------
# Events are chained with HMAC under a key the database never sees; only a
# development server and the tests may run on the built-in one (check --deploy
# warns otherwise). Rotation: give the new key a new THIDUA_AUDIT_KEY_ID and
# keep the old one in THIDUA_AUDIT_OLD_KEYS ("1=old-key,2=older-key") so that
# existing events still verify.
THIDUA_AUDIT_DEV_KEY = "thidua-audit-development-only"
THIDUA_AUDIT_KEY = env.str("THIDUA_AUDIT_KEY", default=THIDUA_AUDIT_DEV_KEY if DEBUG else "")
THIDUA_AUDIT_KEY_ID = env.str("THIDUA_AUDIT_KEY_ID", default="1")
THIDUA_AUDIT_OLD_KEYS = env.dict("THIDUA_AUDIT_OLD_KEYS", default={})
# Signed checkpoints of the chain's head, appended to a file that belongs on
# another volume than the database, with their own key. Empty path: none.
THIDUA_AUDIT_ANCHOR_DEV_KEY = "thidua-audit-anchor-development-only"
THIDUA_AUDIT_ANCHOR_KEY = env.str("THIDUA_AUDIT_ANCHOR_KEY", default=THIDUA_AUDIT_ANCHOR_DEV_KEY if DEBUG else "")
THIDUA_AUDIT_ANCHOR_PATH = env.str("THIDUA_AUDIT_ANCHOR_PATH", default=str(BASE_DIR / "var" / "audit" / "anchors.log"))
THIDUA_AUDIT_ANCHOR_INTERVAL = env.int("THIDUA_AUDIT_ANCHOR_INTERVAL", default=300)
# An RFC 3161 time-stamping authority (e.g. https://freetsa.org/tsr): each anchor line then carries its token.
THIDUA_TSA_URL = env.str("THIDUA_TSA_URL", default="")

# The garbage collector's thresholds in each server process (config/gc_threshold.py): young generation, then
# the two older ones; blank keeps Python's (700,10,10).
THIDUA_GC_THRESHOLD = env.str("THIDUA_GC_THRESHOLD", default="10000,10,10")
# Each server process loads its URL patterns at start and sets the objects then alive aside from the collector's
# full collections (config/gc_threshold.py): those walked ~220,000 objects, ~100 ms inside some request.
THIDUA_GC_FREEZE = env.bool("THIDUA_GC_FREEZE", default=True)

# --- Celery -----------------------------------------------------------------
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default="") or None
# No broker configured: the embedded default runs tasks inline.
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
# Acknowledged once done, and given back if the worker dies: a job interrupted by a crash runs again (the tasks
# are idempotent). Two messages per process, so a killed worker holds back little: not one, because a worker
# whose every reserved message is running spins its main process while a message it already asked Redis for
# waits unread (kombu's Redis transport reads it only once the prefetch allows; a notice burst's message, held
# for its window, leaves such a request behind): a worker -c 1 spent more CPU spinning than running the
# notices (bench.throughput: 2.7 -> 1.1 ms per step).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 2
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # A killed worker's unacknowledged task comes back after this many seconds (Redis transport): above the
    # longest task (500 certificates take ~30 s) and every retry countdown, or a running task is handed out twice.
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=300),
    # A broker that does not answer is given up quickly (jobs/outbox.py leaves the job to the relay).
    "socket_connect_timeout": 2,
    "socket_timeout": 10,
}
THIDUA_CERTIFICATE_TASKS = env.int("THIDUA_CERTIFICATE_TASKS", default=2)
# Two queues, so that a batch of certificates never delays a dossier: "workflow" (flows moving on, notices,
# timers, the relay) and "documents" (the decision's DOCX/PDF and its PAdES signature, certificates, revocation
# documents). A worker with no -Q consumes both; production runs one worker per queue (README, "Queues").
CELERY_TASK_DEFAULT_QUEUE = "workflow"
CELERY_TASK_QUEUES = {"workflow": {}, "documents": {}}
CELERY_TASK_ROUTES = {
    "nominations.tasks.generate_decision_documents_task": {"queue": "documents"},
    "nominations.tasks.generate_revocation_documents_task": {"queue": "documents"},
    "nominations.tasks.generate_certificates_task": {"queue": "documents"},
}
# With no broker (`make run`), a job recorded during a request runs in this process after the response has been
# sent, one thread per queue (jobs/inline.py), so that signing answers at once; off: it runs on commit, inside the
# request (the test settings, whose tests read the documents right after the step).
THIDUA_INLINE_AFTER_RESPONSE = env.bool("THIDUA_INLINE_AFTER_RESPONSE", default=True)
# The outbox relay (jobs/outbox.py) sends a job again once the broker has not taken it for this many seconds,
# or once it was taken this long ago and is still not done (a message lost by a broker restart).
THIDUA_OUTBOX_RETRY_AFTER = env.int("THIDUA_OUTBOX_RETRY_AFTER", default=60)
THIDUA_OUTBOX_RESEND_AFTER = env.int("THIDUA_OUTBOX_RESEND_AFTER", default=900)
# With Redis as the broker, the next task's notices recorded within this many seconds share one message and one
# worker run (jobs/outbox.py, ``burst``); a burst that expires has its jobs resent by the relay within about a
# minute (window + 35 s, then the relay's next run). 0: one message per job.
THIDUA_OUTBOX_BURST_WINDOW = env.float("THIDUA_OUTBOX_BURST_WINDOW", default=0.5)
# Deadlines (issue 17): remind the holders of a task due within this many working days (or overdue), once a
# working day; escalate to their heads once it is this many working days late; digests go at this hour.
THIDUA_REMIND_WITHIN = env.int("THIDUA_REMIND_WITHIN", default=2)
THIDUA_ESCALATE_AFTER = env.int("THIDUA_ESCALATE_AFTER", default=1)
THIDUA_DIGEST_HOUR = env.int("THIDUA_DIGEST_HOUR", default=16)
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "workflow-fire-timers": {"task": "workflow.tasks.fire_workflow_timers", "schedule": 60.0},
    # Truncating the newest events goes unnoticed for at most this interval.
    "workflow-anchor-audit": {"task": "workflow.tasks.anchor_audit_chain", "schedule": THIDUA_AUDIT_ANCHOR_INTERVAL},
    "jobs-relay-outbox": {"task": "jobs.tasks.relay_outbox_task", "schedule": 60.0},
    # Hourly: the first run of a working day reminds; the keys make the others write nothing.
    "notifications-reminders": {"task": "notifications.tasks.send_reminders_task", "schedule": 3600.0},
    "notifications-digests": {
        "task": "notifications.tasks.send_digests_task",
        "schedule": crontab(hour=THIDUA_DIGEST_HOUR, minute=0),
    },
    # A campaign closes the day after its deadline: checked every quarter hour, so at most 15 minutes late.
    "nominations-close-due-campaigns": {
        "task": "nominations.tasks.close_due_campaigns_task",
        "schedule": 900.0,
    },
}

# --- REST API ----------------------------------------------------------------
REST_FRAMEWORK = {
    # Token first: an anonymous call then gets 401 with WWW-Authenticate.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "workflow.api.tokens.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "workflow.api.schema.ApiAutoSchema",
    # Cursor pagination: a deep page costs the same indexed query as the first.
    "DEFAULT_PAGINATION_CLASS": "workflow.api.pagination.IdCursorPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "workflow.api.errors.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
}
# An API token is refused this many seconds after it was issued (a new one comes from
# /api/auth/token/), and every token of a user is deleted when the password changes.
THIDUA_API_TOKEN_TTL = env.int("THIDUA_API_TOKEN_TTL", default=8 * 3600)
SPECTACULAR_SETTINGS = {
    "TITLE": "thidua API",
    "DESCRIPTION": "Thi đua – khen thưởng: đề nghị, thẩm định, hội đồng, quyết định. "
    "Xác thực bằng phiên đăng nhập hoặc `Authorization: Token <token>` (lấy tại /api/auth/token/). "
    "Lỗi luôn có dạng {detail, code, errors}; mã lỗi (code) ổn định, thông báo bằng tiếng Việt.",
    "VERSION": "1.0.0",
    # Closed intranets: Swagger UI and ReDoc are served from the sidecar package, never a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/",
    "ENUM_NAME_OVERRIDES": {
        "NominationStatusEnum": "nominations.models.dossiers.Nomination.Status",
        "SubmissionStatusEnum": "nominations.models.dossiers.Submission.Status",
        "CampaignStatusEnum": "nominations.models.campaigns.Campaign.Status",
        "CouncilSessionStatusEnum": "nominations.models.council.CouncilSession.Status",
        "DecisionStatusEnum": "nominations.models.decisions.Decision.Status",
        "OrgUnitKindEnum": "nominations.models.org.OrgUnit.Kind",
        "RecipientKindEnum": "nominations.models.awards.RecipientKind",
        "DocumentKindEnum": "nominations.models.awards.DocumentKind",
        # An award type's level (state / province / local) and a unit's (1–4) are both "level" in the admin API.
        "AwardTypeLevelEnum": "nominations.models.awards.AwardType.Level",
        "OrgUnitLevelEnum": "nominations.models.org.OrgUnit.Level",
    },
}

# --- Security (all on unless DEBUG) -------------------------------------------
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_AGE = 8 * 3600
# Django's database sessions, not rewritten when a page sets a value they already hold (workflow/sessions.py).
SESSION_ENGINE = "workflow.sessions"

# Content-Security-Policy (django-csp). Everything is served from this origin (no CDN).
# Scripts: only files from 'self' — no template has an inline <script>; Swagger UI runs
# its set-up script from a URL (SpectacularSwaggerSplitView). The two hashes admit only
# the inline onclick of viewflow's "Back" link on its assign/unassign/delete pages
# ('unsafe-hashes' allows exactly these strings, no other inline handler).
# Styles: 'unsafe-inline', because viewflow's Material components, Turbo's progress bar
# and Swagger UI write <style> elements and style attributes at run time, which a nonce
# cannot cover; a style cannot run code, and every page escapes what users type.
# Images and fonts also from data: URIs (QR codes, Swagger UI's icons).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": [
            "'self'",
            "'unsafe-hashes'",
            "'sha256-seD630z7277f97kwMcz927xhDjB8+HQCe4f0EztcsAU='",  # window.history.back(-1)
            "'sha256-GdAjV6tJJrCv5L8FkbHYzJwNrscSj7aTuYJzS/C7wZY='",  # …;setTimeout(()=>Turbo.visit('.'), 100)
        ],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "worker-src": ["'self'", "blob:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

EMAIL_BACKEND = env.str("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env.str("DJANGO_EMAIL_HOST", default="localhost")
# A real SMTP relay (the SMTP backend): port, login and TLS from the environment, like the host.
EMAIL_PORT = env.int("DJANGO_EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("DJANGO_EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("DJANGO_EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("DJANGO_EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env.str("DJANGO_DEFAULT_FROM_EMAIL", default="thidua@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="WARNING")},
}

"""RFC 3161 timestamps on the audit anchors (issue 15, part 4), when THIDUA_TSA_URL is set.

No network in CI: the authority is pyHanko's own stub (DummyTimeStamper), which answers a real RFC 3161
request with a real token signed by a throw-away TSA certificate. Only the transport is left out.
"""

import base64
import datetime
import hashlib
import json

import pytest
from asn1crypto import cms, keys, x509
from cryptography import x509 as cx509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from pyhanko.sign.timestamps import DummyTimeStamper

from workflow import audit, audit_anchors

from .test_audit_forgery import anchor_file, secret_keys, trail  # noqa: F401 (fixtures)

TSA_TIME = datetime.datetime(2026, 12, 5, 3, 0, tzinfo=datetime.UTC)


def stub_authority() -> DummyTimeStamper:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = cx509.Name([cx509.NameAttribute(NameOID.COMMON_NAME, "Stub TSA")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        cx509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(cx509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(cx509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        .sign(key, hashes.SHA256())
    )
    der_key = key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return DummyTimeStamper(
        tsa_cert=x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER)),
        tsa_key=keys.PrivateKeyInfo.load(der_key),
        fixed_dt=TSA_TIME,
    )


@pytest.fixture
def authority(settings, monkeypatch):
    settings.THIDUA_TSA_URL = "http://tsa.invalid/tsr"
    stub = stub_authority()
    asked = []

    def stamper(session):
        asked.append(settings.THIDUA_TSA_URL)
        return stub

    monkeypatch.setattr(audit_anchors, "time_stamper", stamper)
    return asked


def test_each_anchor_carries_a_token_over_its_signed_line(trail, anchor_file, authority):  # noqa: F811
    line = audit_anchors.anchor()
    assert authority == ["http://tsa.invalid/tsr"]
    stored = json.loads(anchor_file.read_text())
    token = cms.ContentInfo.load(base64.b64decode(stored["tst"]))
    info = token["content"]["encap_content_info"]["content"].parsed
    signed = {k: line[k] for k in ("at", "count", "last_hash", "last_id", "sig")}
    digest = hashlib.sha256(json.dumps(signed, sort_keys=True, separators=(",", ":")).encode()).digest()
    assert info["message_imprint"]["hashed_message"].native == digest
    assert audit_anchors.token_time(stored) == TSA_TIME
    assert audit.verify()[0]


def test_a_token_moved_to_another_line_is_an_altered_anchor(trail, anchor_file, authority):  # noqa: F811
    audit_anchors.anchor()
    audit_anchors.anchor()
    first, second = (json.loads(text) for text in anchor_file.read_text().splitlines())
    second["tst"] = first["tst"]  # a token over another line (or made up) does not vouch for this one
    anchor_file.write_text(json.dumps(first) + "\n" + json.dumps(second) + "\n")
    ok, _bad, reason = audit.verify()
    assert not ok and reason == audit_anchors.FORGED


def test_an_unreachable_authority_does_not_stop_the_anchor(trail, anchor_file, settings, caplog):  # noqa: F811
    settings.THIDUA_TSA_URL = "http://127.0.0.1:9/tsr"  # nothing listens on the discard port
    line = audit_anchors.anchor()
    assert "tst" not in line and json.loads(anchor_file.read_text())["last_id"] == trail[-1]
    assert "RFC 3161 timestamp from http://127.0.0.1:9/tsr failed" in caplog.text
    assert audit.verify()[0]


def test_without_an_authority_no_token_is_asked(trail, anchor_file, settings, monkeypatch):  # noqa: F811
    settings.THIDUA_TSA_URL = ""
    monkeypatch.setattr(audit_anchors, "time_stamper", lambda session: pytest.fail("no TSA is configured"))
    assert "tst" not in audit_anchors.anchor()

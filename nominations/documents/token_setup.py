"""A signing token for development and CI: the issuer's key pair made inside a PKCS#11 token, its certificate
issued by a throw-away test CA and stored next to the key.

Used by ``scripts/softhsm.sh`` (SoftHSM2) and by the PAdES tests. Idempotent: an existing key or certificate is
kept. The CA's key is a file (it only exists to give the chain a root a validator can trust); the issuer's
private key never leaves the token. A real deployment gets its certificate from a CA and needs none of this.

    python -m nominations.documents.token_setup --module M --token T --pin P --label L --out DIR [--subject CN]
"""

import argparse
import datetime
import hashlib
from pathlib import Path

import pkcs11
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from pkcs11 import Attribute, CertificateType, KeyType, ObjectClass
from pkcs11.util.rsa import encode_rsa_public_key

KEY_ID = b"\x01"
DEFAULT_SUBJECT = "Ủy ban nhân dân thành phố Lạng Sơn"


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "thidua (chứng thư thử nghiệm)"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _ca(out: Path) -> tuple[rsa.RSAPrivateKey, x509.Certificate]:
    """The test CA: loaded from ``out`` if it was made before, else made and written there."""
    key_path, cert_path = out / "ca-key.pem", out / "ca.pem"
    if key_path.exists() and cert_path.exists():
        key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
        return key, x509.load_pem_x509_certificate(cert_path.read_bytes())
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    now = datetime.datetime.now(datetime.UTC)
    name = _name("thidua test CA")
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_usage(cert_sign=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    out.mkdir(parents=True, exist_ok=True)
    key_path.touch(mode=0o600)
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return key, cert


def _usage(*, cert_sign: bool = False, sign: bool = False) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=sign,
        content_commitment=sign,  # non-repudiation: what a validator expects of a document signer
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=cert_sign,
        crl_sign=cert_sign,
        encipher_only=False,
        decipher_only=False,
    )


def provision(*, module: str, token: str, pin: str, label: str, out: Path, subject: str = DEFAULT_SUBJECT) -> Path:
    """Make (once) the key pair ``label`` in the token and its certificate; return the CA certificate's path."""
    out = Path(out)
    with pkcs11.lib(module).get_token(token_label=token).open(rw=True, user_pin=pin) as session:
        try:
            public = session.get_key(ObjectClass.PUBLIC_KEY, KeyType.RSA, label=label)
        except pkcs11.exceptions.NoSuchKey:
            # One token may hold several issuers' keys (THIDUA_PKCS11_KEY_LABELS): each pair its own id.
            key_id = KEY_ID if label == "issuer" else hashlib.sha256(label.encode()).digest()[:8]
            public, _private = session.generate_keypair(KeyType.RSA, 2048, id=key_id, label=label, store=True)
        # list(): the search must end before the session closes
        if list(session.get_objects({Attribute.CLASS: ObjectClass.CERTIFICATE, Attribute.LABEL: label})):
            return _ca_path(out)
        ca_key, ca_cert = _ca(out)
        now = datetime.datetime.now(datetime.UTC)
        public_key = serialization.load_der_public_key(encode_rsa_public_key(public))
        cert = (
            x509.CertificateBuilder()
            .subject_name(_name(subject))
            .issuer_name(ca_cert.subject)
            .public_key(public_key)
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=1825))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(_usage(sign=True), critical=True)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
                critical=False,
            )
            .sign(ca_key, hashes.SHA256())
        )
        session.create_object(
            {
                Attribute.CLASS: ObjectClass.CERTIFICATE,
                Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
                Attribute.TOKEN: True,
                Attribute.LABEL: label,
                Attribute.ID: public[Attribute.ID],
                Attribute.SUBJECT: cert.subject.public_bytes(),
                Attribute.VALUE: cert.public_bytes(serialization.Encoding.DER),
            }
        )
    return _ca_path(out)


def _ca_path(out: Path) -> Path:
    return out / "ca.pem"


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--module", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--pin", required=True)
    parser.add_argument("--label", required=True)
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--subject", default=DEFAULT_SUBJECT)
    args = parser.parse_args(argv)
    options = vars(args)
    print(provision(**options))


if __name__ == "__main__":
    main()

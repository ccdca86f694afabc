"""The sealed ballot box of a secret round (PyNaCl).

Each secret round has a key pair (``BallotKey``). A ballot (the member's choices and receipt code) is sealed to
the round's public key as it is cast (``SealedBox``: an anonymous sender, X25519 + XSalsa20-Poly1305), so while
the round is open the database holds ciphertext only. The private key is stored encrypted (``SecretBox``) under
a key derived from ``SECRET_KEY``, which lives in the server's environment and never in the database. When the
round closes, the box is opened and the key and the sealed ballots are deleted: what was sealed can no longer
be opened. The threat model is in the README ("Threat model of the secret ballot").
"""

import hashlib
import hmac
import json
from typing import NamedTuple

from django.conf import settings
from nacl.exceptions import CryptoError
from nacl.public import PrivateKey, PublicKey, SealedBox
from nacl.secret import SecretBox

from ..models import BallotChoice, BallotKey, CouncilSession, SealedBallot

CHOICES = tuple(BallotChoice.values)
_DIGIT = {choice: digit for digit, choice in enumerate(CHOICES)}
# BLAKE2b personalisations (at most 16 bytes): keys derived for the ballot box are independent of each other
# and of every other use Django makes of SECRET_KEY (signing, sessions, password reset tokens).
_ROOT, _WRAP, _MAC = b"thidua.ballot", b"thidua.ballot.kw", b"thidua.ballot.mc"
_MAC_SIZE = 16


class BallotBoxError(Exception):
    """The round's ballots cannot be opened as stored: SECRET_KEY changed without a fallback, or rows were forged."""


class Ballot(NamedTuple):
    receipt: str
    choices: dict[int, str]  # agenda item id → choice


def _derive(secret: str, purpose: bytes, session: CouncilSession) -> bytes:
    """A 32-byte key for one purpose and one round of one session, derived from a server secret."""
    root = hashlib.blake2b(secret.encode(), digest_size=32, person=_ROOT).digest()  # any length fits a BLAKE2b key
    context = f"{session.pk}/{session.round}".encode()
    return hashlib.blake2b(context, key=root, digest_size=32, person=purpose).digest()


def _secrets() -> list[str]:
    """The current SECRET_KEY first, then the old ones kept while rotating it (Django's own rule)."""
    return [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]


def key_create(session: CouncilSession) -> bytes:
    """Make the key pair of the session's current round; return its public key."""
    private = PrivateKey.generate()
    wrapped = SecretBox(_derive(settings.SECRET_KEY, _WRAP, session)).encrypt(bytes(private))
    public = bytes(private.public_key)
    BallotKey.objects.create(session=session, round=session.round, public_key=public, wrapped_private_key=wrapped)
    return public


def _public_key(session: CouncilSession) -> bytes:
    stored = BallotKey.objects.filter(session=session, round=session.round).values_list("public_key", flat=True)
    public = stored.first()
    # A session opened before ballots were sealed gets its key with its first sealed ballot.
    return key_create(session) if public is None else bytes(public)


def _mac(secret: str, session: CouncilSession, body: bytes) -> bytes:
    return hashlib.blake2b(body, key=_derive(secret, _MAC, session), digest_size=_MAC_SIZE).digest()


def seal(session: CouncilSession, receipt: str, choices: dict, *, public_key: bytes | None = None) -> bytes:
    """The sealed ballot of ``choices`` (item id → choice) and ``receipt``, for the session's current round.

    Choices are written as one digit each, so the ciphertext's length depends on which items the ballot
    covers (public: recusals are stored by name) and never on what was chosen. The MAC inside, keyed with
    the server secret, lets the box refuse ballots sealed by anyone else (the public key is not secret).
    ``public_key``: the round's, when the caller read it already (``ballots._share_session``).
    """
    # json writes the int keys as strings itself; each choice's digit from a dict, not a tuple's index (500 items).
    body = json.dumps(
        {"receipt": receipt, "choices": {item: _DIGIT[c] for item, c in sorted(choices.items())}},
        separators=(",", ":"),
    ).encode()
    public = bytes(public_key) if public_key is not None else _public_key(session)
    return SealedBox(PublicKey(public)).encrypt(_mac(settings.SECRET_KEY, session, body) + body)


def _private_key(key: BallotKey, session: CouncilSession) -> PrivateKey:
    for secret in _secrets():
        try:
            return PrivateKey(SecretBox(_derive(secret, _WRAP, session)).decrypt(bytes(key.wrapped_private_key)))
        except CryptoError:
            continue
    raise BallotBoxError(f"ballot key of session {session.pk} round {session.round}: no SECRET_KEY opens it")


def _open_one(box: SealedBox, session: CouncilSession, ciphertext: bytes) -> Ballot:
    try:
        plain = box.decrypt(ciphertext)
    except CryptoError:
        raise BallotBoxError(f"a sealed ballot of session {session.pk} does not open") from None
    mac, body = plain[:_MAC_SIZE], plain[_MAC_SIZE:]
    if not any(hmac.compare_digest(mac, _mac(secret, session, body)) for secret in _secrets()):
        raise BallotBoxError(f"a sealed ballot of session {session.pk} was not sealed by this server")
    try:  # only this server seals what passes the MAC; still, a malformed body is refused, never a crash
        data = json.loads(body)
        return Ballot(str(data["receipt"]), {int(item): CHOICES[c] for item, c in data["choices"].items()})
    except (ValueError, KeyError, IndexError, TypeError, AttributeError):
        raise BallotBoxError(f"a sealed ballot of session {session.pk} is malformed") from None


def open_round(session: CouncilSession) -> list[Ballot]:
    """Open every sealed ballot of the session's current round (none if the round has no key)."""
    key = BallotKey.objects.filter(session=session, round=session.round).first()
    if key is None:
        return []
    sealed = SealedBallot.objects.filter(session=session, round=session.round).values_list("ciphertext", flat=True)
    box = SealedBox(_private_key(key, session))
    return [_open_one(box, session, bytes(ciphertext)) for ciphertext in sealed]


def inspect_round(session: CouncilSession) -> tuple[list[Ballot], int]:
    """The ballots of the session's current round that open, and how many rows do not (for the audit trail,
    which says how many rows failed, never which member's: a row carries no member)."""
    key = BallotKey.objects.filter(session=session, round=session.round).first()
    sealed = SealedBallot.objects.filter(session=session, round=session.round).values_list("ciphertext", flat=True)
    if key is None:
        return [], len(sealed)
    try:
        box = SealedBox(_private_key(key, session))
    except BallotBoxError:
        return [], len(sealed)
    ballots, rejected = [], 0
    for ciphertext in sealed:
        try:
            ballots.append(_open_one(box, session, bytes(ciphertext)))
        except BallotBoxError:
            rejected += 1
    return ballots, rejected


def destroy(session: CouncilSession) -> None:
    """Delete the round's key and its sealed ballots: nothing of the round can be opened any more."""
    SealedBallot.objects.filter(session=session, round=session.round).delete()
    BallotKey.objects.filter(session=session, round=session.round).delete()

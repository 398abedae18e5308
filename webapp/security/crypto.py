"""Sealed values: encrypted at rest with the data key, plus a keyed hash for exact matching.

The data key (`DATA_KEY`, config.py) lives outside the database. Two keys are derived from
it with HKDF, one per purpose, so the search hash never reuses the encryption key: Fernet
(AES-128-CBC + HMAC-SHA256, a random IV per value) seals text, HMAC-SHA256 finds it again.
A sealed column (`SealedText`) holds the Fernet token; the ORM attribute holds clear text,
so a query can never compare a sealed column with a value: it compares the hash column.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import lru_cache

import sqlalchemy as sa
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app
from sqlalchemy.orm import defer

# What a Fernet token starts with (version byte 0x80, base64): how a sealed value is told
# from a clear one left by an older schema.
TOKEN_PREFIX = "gAAAAA"


class SealError(RuntimeError):
    """Raised when a sealed value cannot be opened with the configured data key."""


def derive(data_key: str, purpose: bytes) -> bytes:
    """Derive the 32-byte key for one purpose from the data key."""
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"ganbu/" + purpose)
    return hkdf.derive(base64.urlsafe_b64decode(data_key.encode()))


@lru_cache(maxsize=4)
def keys_for(data_key: str) -> tuple[Fernet, bytes]:
    """Return the sealing cipher and the hashing key derived from a data key."""
    return (
        Fernet(base64.urlsafe_b64encode(derive(data_key, b"seal"))),
        derive(data_key, b"search-hash"),
    )


@lru_cache(maxsize=4)
def log_chain_key(data_key: str) -> bytes:
    """Return the key that the logs' hash chain is keyed with (HKDF purpose "log-chain")."""
    return derive(data_key, b"log-chain")


def current_key() -> str:
    """Return the running app's data key."""
    return current_app.config["DATA_KEY"]


def seal(text: str, data_key: str | None = None) -> str:
    """Encrypt a text; the same text seals differently each time."""
    cipher, _ = keys_for(data_key or current_key())
    return cipher.encrypt(text.encode()).decode()


def unseal(token: str, data_key: str | None = None) -> str:
    """Decrypt a sealed text, failing loudly with the wrong key or a tampered value."""
    cipher, _ = keys_for(data_key or current_key())
    try:
        return cipher.decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise SealError("无法解密：数据密钥 DATA_KEY 与加密时不一致，或数据已被篡改") from exc


def is_sealed(value: str | None) -> bool:
    """Tell whether a stored value is a sealed token rather than clear text."""
    return bool(value) and value.startswith(TOKEN_PREFIX)


def keyed_hash(text: str, purpose: str, data_key: str | None = None) -> str:
    """Return the HMAC-SHA256 (hex) of a text: equal texts match, nobody without the key can."""
    _, key = keys_for(data_key or current_key())
    message = purpose.encode() + b"\x00" + text.encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def id_number_hash(id_number: str, data_key: str | None = None) -> str:
    """Return the search hash of an ID number, normalised as the forms store it."""
    return keyed_hash(id_number.strip().upper(), "id_number", data_key)


class SealedText(sa.types.TypeDecorator):
    """A text column stored sealed; empty text stays empty (it tells nothing)."""

    impl = sa.Text
    cache_ok = True

    class comparator_factory(sa.types.TypeDecorator.Comparator):
        """Refuse to compare: a fresh seal never equals a stored one, so the match would be lost."""

        def operate(self, op, *other, **kwargs):
            raise TypeError("密文列不能直接比较，请比较其检索哈希列")

        def reverse_operate(self, op, other, **kwargs):
            raise TypeError("密文列不能直接比较，请比较其检索哈希列")

    def process_bind_param(self, value, dialect):
        return seal(value) if value else value

    def process_result_value(self, value, dialect):
        return unseal(value) if value else value


def sealed_columns(model: type) -> list[str]:
    """Return the names of a model's sealed columns."""
    return [c.key for c in sa.inspect(model).columns if isinstance(c.type, SealedText)]


def sealed_deferred(model: type) -> list:
    """Return loader options that leave a model's sealed columns unread (a list shows none)."""
    return [defer(getattr(model, name)) for name in sealed_columns(model)]


def encrypt_existing_id_numbers(connection, data_key: str | None = None) -> int:
    """Seal the clear ID numbers left in `cadre` and fill their search hashes; return how many.

    For the migration that moves to sealed ID numbers: it runs after `cadre.id_number` has
    become TEXT and `cadre.id_number_hash` exists (nullable until this has run). Plain SQL,
    so it needs no model of the table as it is then; running it twice changes nothing.
    """
    key = data_key or current_key()
    rows = connection.execute(sa.text("SELECT id, id_number FROM cadre")).all()
    done = 0
    for ident, value in rows:
        if not value or is_sealed(value):
            continue
        clear = value.strip().upper()
        connection.execute(
            sa.text(
                "UPDATE cadre SET id_number = :sealed, id_number_hash = :digest WHERE id = :id"
            ),
            {"sealed": seal(clear, key), "digest": id_number_hash(clear, key), "id": ident},
        )
        done += 1
    return done


def seal_existing_values(connection, table: str, columns: tuple[str, ...], data_key=None) -> int:
    """Seal the clear values left in some TEXT columns of a table; return how many rows changed.

    For the migration that seals negative_info's reporting_unit, liaison_name and details
    (after they become TEXT). Names come from the migration, never from input; idempotent.
    """
    key = data_key or current_key()
    quoted = ", ".join(f'"{c}"' for c in columns)
    rows = connection.execute(sa.text(f'SELECT id, {quoted} FROM "{table}"')).all()
    done = 0
    for ident, *values in rows:
        pairs = zip(columns, values, strict=True)
        changed = {c: seal(v, key) for c, v in pairs if v and not is_sealed(v)}
        if changed:
            sets = ", ".join(f'"{c}" = :{c}' for c in changed)
            connection.execute(
                sa.text(f'UPDATE "{table}" SET {sets} WHERE id = :id'),
                {**changed, "id": ident},
            )
            done += 1
    return done

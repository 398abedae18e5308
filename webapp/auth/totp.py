"""Pure pieces of two-factor login: TOTP secrets and codes (RFC 6238), recovery codes, the QR."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from datetime import datetime

import pyotp
import segno
from markupsafe import Markup

# One step either side of now: a phone's clock a little off still logs in.
DRIFT_STEPS = 1
RECOVERY_COUNT = 10
# 12 characters of a 32-letter alphabet (60 bits): a fast salted hash is enough at this entropy.
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
RECOVERY_LENGTH = 12
SEPARATORS = re.compile(r"[\s-]+")


def new_secret() -> str:
    """Return a new random base32 secret (160 bits)."""
    return pyotp.random_base32(32)


def provisioning_uri(secret: str, username: str, issuer: str) -> str:
    """Return the otpauth:// URI an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=issuer)


def qr_svg(uri: str) -> Markup:
    """Render a URI as an inline SVG QR code, made here (no remote service sees the secret)."""
    return Markup(segno.make(uri, error="m").svg_inline(scale=5, border=2))


def grouped(secret: str) -> str:
    """Return a secret in groups of four, easier to type by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def normalize(code: str) -> str:
    """Drop spaces and dashes from a typed code and lower its case."""
    return SEPARATORS.sub("", code or "").lower()


def matching_step(secret: str, code: str, now: datetime, last_step: int) -> int | None:
    """Return the step a TOTP code is right for, or None; a step at or before last_step fails."""
    code = normalize(code)
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now)
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        if step > last_step and hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def new_recovery_codes(count: int = RECOVERY_COUNT) -> list[str]:
    """Return fresh recovery codes, shown as xxxx-xxxx-xxxx."""
    codes = []
    for _ in range(count):
        raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_LENGTH))
        codes.append("-".join(raw[i : i + 4] for i in range(0, RECOVERY_LENGTH, 4)))
    return codes


def hash_recovery_code(code: str, salt: str | None = None) -> str:
    """Return "salt$sha256" of a recovery code (a salt of its own per code)."""
    salt = salt or secrets.token_hex(8)
    digest = hashlib.sha256(f"{salt}:{normalize(code)}".encode()).hexdigest()
    return f"{salt}${digest}"


def recovery_code_matches(stored: str, code: str) -> bool:
    """Tell whether a typed code is the one a stored hash was made from."""
    salt, _sep, _digest = stored.partition("$")
    return hmac.compare_digest(stored, hash_recovery_code(code, salt))


def looks_like_recovery_code(code: str) -> bool:
    """Tell a typed recovery code from a six-digit TOTP code."""
    return len(normalize(code)) == RECOVERY_LENGTH

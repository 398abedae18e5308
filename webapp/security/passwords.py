"""Password hashing (argon2) and the password policy."""

from __future__ import annotations

import secrets
import string

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import gettext as _

# Test-only parameters: argon2's defaults cost ~50 ms a hash, too slow for hundreds of logins.
FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
DEFAULT_HASHER = PasswordHasher()


def hasher() -> PasswordHasher:
    """Return the hasher for this app's mode."""
    return FAST_HASHER if current_app.config.get("PASSWORD_HASH_FAST") else DEFAULT_HASHER


def hash_password(password: str) -> str:
    """Hash a password with argon2id."""
    return hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Check a password against its hash without raising."""
    try:
        return hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def password_problems(password: str, min_length: int) -> list[str]:
    """List in Chinese what a new password lacks under the policy."""
    problems = []
    if len(password) < min_length:
        problems.append(_("密码长度至少 %(n)s 位", n=min_length))
    classes = sum(
        any(ch in group for ch in password)
        for group in (string.ascii_lowercase, string.ascii_uppercase, string.digits)
    ) + any(not ch.isalnum() for ch in password)
    if classes < 3:
        problems.append(_("密码须包含大写字母、小写字母、数字、符号中的至少三类"))
    return problems


def generate_password(length: int = 14) -> str:
    """Make a random password that satisfies the policy."""
    alphabet = string.ascii_letters + string.digits
    while True:
        body = "".join(secrets.choice(alphabet) for _ in range(length - 2))
        candidate = body + secrets.choice("!@#%+=") + secrets.choice(string.digits)
        if any(c.islower() for c in candidate) and any(c.isupper() for c in candidate):
            return candidate

"""Password hashing (argon2) and the password policy."""

from __future__ import annotations

import secrets
import string
from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import gettext as _

# Test-only parameters: argon2's defaults cost ~50 ms a hash, too slow for hundreds of logins.
FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
DEFAULT_HASHER = PasswordHasher()
COMMON_PASSWORDS_FILE = Path(__file__).with_name("common_passwords.txt")
# Usernames this short would refuse too many passwords by accident.
USERNAME_MIN_CHECKED = 3


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


@cache
def _nobody_hash(fast: bool) -> str:
    """Return a hash of a random password, made once per hasher."""
    return (FAST_HASHER if fast else DEFAULT_HASHER).hash(secrets.token_urlsafe(16))


def verify_nobody(password: str) -> bool:
    """Do a real check's work for a username that does not exist; always False."""
    verify_password(_nobody_hash(hasher() is FAST_HASHER), password)
    return False


@cache
def common_passwords() -> frozenset[str]:
    """Return the bundled list of the commonest passwords, lower-cased."""
    lines = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line and not line.startswith("#"))


def is_common(password: str) -> bool:
    """Tell whether a password is on the list, alone or with digits and symbols tacked on."""
    lowered = password.lower()
    common = common_passwords()
    return lowered in common or lowered.rstrip(string.digits + string.punctuation) in common


def contains_username(password: str, username: str) -> bool:
    """Tell whether a password contains the username, ignoring case."""
    name = username.strip().lower()
    return len(name) >= USERNAME_MIN_CHECKED and name in password.lower()


def password_problems(password: str, min_length: int, username: str = "") -> list[str]:
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
    if contains_username(password, username):
        problems.append(_("密码不得包含用户名"))
    if is_common(password):
        problems.append(_("密码过于常见，容易被猜中，请换一个"))
    return problems


def generate_password(length: int = 14) -> str:
    """Make a random password that satisfies the policy."""
    alphabet = string.ascii_letters + string.digits
    while True:
        body = "".join(secrets.choice(alphabet) for _ in range(length - 2))
        candidate = body + secrets.choice("!@#%+=") + secrets.choice(string.digits)
        if any(c.islower() for c in candidate) and any(c.isupper() for c in candidate):
            return candidate

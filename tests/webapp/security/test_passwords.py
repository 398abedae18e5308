"""Password hashing and policy."""

from webapp.security.passwords import (
    generate_password,
    hash_password,
    password_problems,
    verify_password,
)


def test_hash_is_argon2_and_verifies(app):
    with app.app_context():
        hashed = hash_password("Correct-Horse-1")
        assert hashed.startswith("$argon2id$")
        assert verify_password(hashed, "Correct-Horse-1")
        assert not verify_password(hashed, "correct-horse-1")
        assert not verify_password("not-a-hash", "Correct-Horse-1")


def test_policy_needs_length_and_three_classes(app):
    with app.test_request_context():
        assert password_problems("Abcdefgh1!", 10) == []
        assert password_problems("abcdefgh12", 10) == [
            "密码须包含大写字母、小写字母、数字、符号中的至少三类"
        ]
        assert password_problems("Ab1!", 10) == ["密码长度至少 10 位"]


def test_generated_passwords_satisfy_the_policy(app):
    with app.test_request_context():
        for _ in range(50):
            assert password_problems(generate_password(), 10) == []

"""Password hashing and policy."""

from webapp.security.passwords import (
    common_passwords,
    generate_password,
    hash_password,
    is_common,
    password_problems,
    verify_nobody,
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


def test_policy_refuses_the_username_in_any_case(app):
    with app.test_request_context():
        assert "密码不得包含用户名" in password_problems("My-ZhangSan-9", 10, "zhangsan")
        assert password_problems("My-Garden-99", 10, "zhangsan") == []
        # two letters would refuse too much by chance
        assert password_problems("Li-Garden-99", 10, "li") == []


def test_policy_refuses_the_commonest_passwords(app):
    with app.test_request_context():
        for common in ("P@ssw0rd123", "Admin@123456", "Qwerty@123", "WOAINI1314!"):
            assert "密码过于常见，容易被猜中，请换一个" in password_problems(common, 10)
        # the list's words with digits and symbols tacked on are just as common
        assert is_common("Password2027!!")
        assert not is_common("Tr0ub4dor&3-horse")


def test_the_bundled_list_is_loaded_lower_cased():
    words = common_passwords()
    assert {"123456", "p@ssw0rd", "woaini1314"} <= words
    assert all(word == word.lower() and not word.startswith("#") for word in words)


def test_an_unknown_user_costs_a_real_hash_check(app):
    with app.app_context():
        assert verify_nobody("Correct-Horse-1") is False

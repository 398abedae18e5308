"""A login, good or bad, writes the login log and no 修改 row of the account in the operation log."""

from sqlalchemy import select

from tests.factories import make_unit, make_user
from webapp.models import AuditLog, LoginLog


def user_updates(db, user):
    stmt = select(AuditLog).where(
        AuditLog.object_type == "User",
        AuditLog.object_id == str(user.id),
        AuditLog.action == "update",
    )
    return db.session.scalars(stmt).all()


def test_logins_write_no_user_update_row(client, login, db):
    user = make_user("viewer", make_unit(), username="quietlogin")
    db.session.commit()
    login("quietlogin", "wrong-password")
    assert login("quietlogin").status_code == 302
    client.post("/auth/logout")
    assert login("quietlogin").status_code == 302
    db.session.expire_all()
    assert user.last_login_at is not None and user.failed_logins == 0
    assert user_updates(db, user) == []
    outcomes = db.session.scalars(
        select(LoginLog.success).where(
            LoginLog.username == "quietlogin", LoginLog.reason != "logout"
        )
    ).all()
    assert outcomes == [False, True, True]


def test_a_real_change_of_the_account_is_still_logged(db):
    user = make_user("viewer", make_unit(), username="stilllogged")
    user.full_name = "改名后"
    user.last_login_ip = "10.0.0.1"  # a quiet column beside it stays out of the row
    db.session.flush()
    (row,) = user_updates(db, user)
    assert row.after == {"full_name": "改名后"}

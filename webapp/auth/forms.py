"""Login and password forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length


class LoginForm(FlaskForm):
    """Username and password."""

    username = StringField(
        _l("用户名"), validators=[DataRequired(_l("请输入用户名")), Length(max=64)]
    )
    password = PasswordField(
        _l("密码"), validators=[DataRequired(_l("请输入密码")), Length(max=128)]
    )
    submit = SubmitField(_l("登录"))


class ChangePasswordForm(FlaskForm):
    """The current password and the new one twice."""

    current = PasswordField(_l("当前密码"), validators=[DataRequired(_l("请输入当前密码"))])
    new = PasswordField(
        _l("新密码"), validators=[DataRequired(_l("请输入新密码")), Length(max=128)]
    )
    confirm = PasswordField(
        _l("确认新密码"),
        validators=[
            DataRequired(_l("请再次输入新密码")),
            EqualTo("new", _l("两次输入的新密码不一致")),
        ],
    )
    submit = SubmitField(_l("修改密码"))


class CodeForm(FlaskForm):
    """A six-digit code from the authenticator app, or a recovery code."""

    code = StringField(
        _l("动态口令或恢复码"),
        validators=[DataRequired(_l("请输入动态口令或恢复码")), Length(max=32)],
    )
    submit = SubmitField(_l("验证"))


class ResetTwoFactorForm(FlaskForm):
    """The security admin's button that takes an account's second factor off."""

    submit = SubmitField(_l("重置两步验证"))

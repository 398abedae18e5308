"""The user's own settings: 通知设置, 登录会话 and 两步验证."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the blueprint."""
    from webapp.settings_self import two_factor_routes  # noqa: F401  (its views join the blueprint)
    from webapp.settings_self.routes import bp

    app.register_blueprint(bp)

"""The 晴雨表 and the 驾驶舱: figures within the user's scope, each linking its register."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the blueprint."""
    from webapp.dashboard.routes import bp

    app.register_blueprint(bp)

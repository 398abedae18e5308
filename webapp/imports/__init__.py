"""Excel import and export (导入/导出): templates, streamed reading, preview, confirmed writes."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the blueprint and connect the signals this area answers."""
    from webapp import signals
    from webapp.imports.routes import bp, import_kinds

    app.register_blueprint(bp)
    signals.import_kinds.connect(import_kinds)

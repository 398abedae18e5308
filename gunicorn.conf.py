"""gunicorn's settings for this app, read from the working directory by `gunicorn wsgi:app`."""

from webapp.serving import freeze_startup_objects


def post_worker_init(worker):
    """Freeze what the worker built at start-up (the app) before it takes requests."""
    freeze_startup_objects()

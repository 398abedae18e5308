"""gunicorn's settings for this app, read from the working directory by `gunicorn wsgi:app`."""

from webapp.serving import freeze_startup_objects

# Threads in each worker: while one request waits on the database, or a login on argon2 (which
# lets go of the GIL), another runs. Measured on 2 cores against PostgreSQL, 16 clients, the
# bench pages: 4 threads a worker served twice the requests per second of sync workers.
worker_class = "gthread"
threads = 4


def post_worker_init(worker):
    """Freeze what the worker built at start-up (the app) before it takes requests."""
    freeze_startup_objects()

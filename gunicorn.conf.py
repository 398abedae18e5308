"""gunicorn's settings for this app, read from the working directory by `gunicorn wsgi:app`."""

from webapp.serving import freeze_startup_objects

# Threads in each worker: while one request waits on the database, or a login on argon2 (which
# lets go of the GIL), another runs. Measured on 2 shared cores against PostgreSQL, 16 clients
# on the bench pages: about twice sync workers' requests/s on a small database, about the same
# (17–24 against 20) at province scale, where the pages' own CPU is what limits.
worker_class = "gthread"
threads = 4


def post_worker_init(worker):
    """Freeze what the worker built at start-up (the app) before it takes requests."""
    freeze_startup_objects()

"""Gunicorn settings for `make serve` (the command line sets bind, workers and threads)."""
from helpdesk.serving import announce_when_ready


def when_ready(server):
    announce_when_ready(server)

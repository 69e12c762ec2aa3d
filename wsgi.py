"""WSGI entry point: `gunicorn wsgi:app`.

Each worker builds its own app (no --preload): the embedding engine must not have run
in a parent process before fork, so every worker loads and warms its own copy.
"""
from helpdesk import create_app

app = create_app()

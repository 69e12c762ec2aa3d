"""WSGI entry point: `gunicorn wsgi:app`.

Each worker builds its own app (no --preload): the embedding engine must not have run
in a parent process before fork, so every worker loads and warms its own copy.
"""
from helpdesk import create_app
from helpdesk.search import warm_up

app = create_app()
# Load the model and index now, in this worker, so no request pays for it.
warm_up(app)

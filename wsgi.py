"""WSGI entry point: `gunicorn wsgi:app`.

Each worker builds its own app (no --preload): the embedding engine must not have run
in a parent process before fork, so every worker loads and warms its own copy.
"""
from helpdesk import create_app
from helpdesk.curation import search_sync
from helpdesk.search import get_search, warm_up

app = create_app()
# Load the model and index now, in this worker, so no request pays for it.
warm_up(app)
# Published desk FAQ entries live in the database: add them to this worker's index at start.
with app.app_context():
    search_sync.sync(get_search(app))

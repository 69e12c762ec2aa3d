"""WSGI entry point: `gunicorn wsgi:app`.

Each worker builds its own app (no --preload): the embedding engine must not have run
in a parent process before fork, so every worker loads and warms its own copy.
"""
import os

# Requests run concurrently (workers x threads) on few cores: one OpenMP thread per embedding call
# avoids oversubscription, which made query embedding ~8x slower under load on 2 cores.
# Must be set before the embedding engine loads.
os.environ.setdefault("OMP_NUM_THREADS", "1")

from helpdesk import create_app  # noqa: E402
from helpdesk.curation import search_sync  # noqa: E402
from helpdesk.search import get_search, warm_up  # noqa: E402

app = create_app()
# Load the model and index now, in this worker, so no request pays for it.
warm_up(app)
# Published desk FAQ entries live in the database: add them to this worker's index at start.
with app.app_context():
    search_sync.sync(get_search(app))

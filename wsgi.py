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
from helpdesk.warmup import warm_up_all  # noqa: E402

app = create_app()
# Load the model, index, desk FAQ entries, routing examples and answerer now, in this worker,
# so no request pays for it.
warm_up_all(app)

"""WSGI entry point: `gunicorn wsgi:app`.

Each worker builds its own app (no --preload): the embedding engine must not have run
in a parent process before fork, so every worker loads and warms its own copy.
Under gunicorn.conf.py each worker embeds queries on one core of its own (OMP_NUM_THREADS=1); with
more OpenMP threads the workers take turns at the cores (helpdesk.search.embedders.turns_file).
"""
import logging

from helpdesk import create_app
from helpdesk.mail import sender
from helpdesk.warmup import warm_up_all

# The helpdesk's own INFO messages (e.g. e-mail verification links while no mail is sent) reach the log.
logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s [%(name)s] %(message)s")
app = create_app()
# Load the model, index, desk FAQ entries, routing examples and answerer now, in this worker,
# so no request pays for it.
warm_up_all(app)
# Mail queued before a restart goes out now, not with the next ticket.
sender.start(app)

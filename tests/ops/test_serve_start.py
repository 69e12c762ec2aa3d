"""What `make serve` prints: one line per embedding stage in a log, the cache's share told right,
and the URL once a warm worker answers over HTTP."""
from __future__ import annotations

import threading

import numpy as np
import pytest
from werkzeug.serving import make_server

from helpdesk import create_app
from helpdesk.search import settings
from helpdesk.search.embed_cache import EmbeddingCache
from helpdesk.serving import url_of, wait_until_answering


def test_embedding_progress_in_a_log_is_one_line_per_stage(tmp_path, capsys):
    cache = EmbeddingCache(tmp_path / "cache.sqlite3")
    texts = [f"text {i}" for i in range(100)]  # several batches: a bar would redraw for each
    vectors = cache.embed("m", 3, texts, lambda batch: np.ones((len(batch), 3)), progress=True, what="segments")
    assert vectors.shape == (100, 3)
    lines = capsys.readouterr().err.splitlines()
    assert lines == ["embedding 100 segments not in the embedding cache …"]
    cache.embed("m", 3, texts, lambda batch: pytest.fail("all cached"), progress=True, what="segments")
    assert capsys.readouterr().err == ""  # nothing to embed, nothing to say


def test_index_build_says_how_much_came_from_the_cache(app, search_service, tmp_path):
    """A fresh index dir with the session's embedding cache: every segment comes from the cache."""
    fresh = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                        "HELPDESK_INDEX_DIR": tmp_path / "index",
                        "HELPDESK_EMBED_CACHE": str(settings(app).embed_cache)})
    result = fresh.test_cli_runner().invoke(args=["index", "build"])
    assert result.exit_code == 0, result.output
    segments = int(result.output.split("built index (", 1)[1].split(" segments:", 1)[0])
    assert segments > 1000
    assert f"({segments} segments: 0 embedded now, {segments} from the embedding cache)" in result.output


def test_index_build_applies_published_desk_entries(app, search_service):
    from helpdesk import paths

    runner = app.test_cli_runner()
    assert runner.invoke(args=["faq", "import", "--seed", str(paths.CORPUS_DIR / "desk-faq")]).exit_code == 0
    result = runner.invoke(args=["index", "build"])
    entries = len(list((paths.CORPUS_DIR / "desk-faq").glob("*.md")))
    assert f"{entries} published desk FAQ entries applied" in result.output


def test_ready_is_announced_once_a_worker_answers_over_http(app, search_service):
    from helpdesk.readiness import mark_warmed

    mark_warmed(app)  # as wsgi.py does once the worker has warmed up (the session fixture warmed the models)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        said: list[str] = []
        url = url_of(f"127.0.0.1:{server.server_port}")
        assert wait_until_answering(url, said.append, poll=0.05, give_up=30)
        assert said == [f"ready: open {url} (search index, model and answerer loaded)"]
    finally:
        server.shutdown()


def test_no_answer_is_reported_not_hidden():
    said: list[str] = []
    with make_server("127.0.0.1", 0, lambda env, start: []) as closed:
        port = closed.server_port  # bound, then closed: nothing listens there any more
    assert not wait_until_answering(url_of(f"127.0.0.1:{port}"), said.append, poll=0.05, give_up=0.3)
    assert said
    assert said[0].startswith(f"no answer from http://127.0.0.1:{port}/readyz")


def test_url_of_a_bind_address():
    assert url_of("127.0.0.1:5000") == "http://127.0.0.1:5000/"
    assert url_of("0.0.0.0:8080") == "http://127.0.0.1:8080/"

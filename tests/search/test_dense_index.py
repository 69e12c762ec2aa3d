"""The faiss index wrapper: passages scored by their best segment, exact or HNSW, dead rows skipped."""
import numpy as np
import pytest

from helpdesk.search.dense_index import DenseIndex


def _unit(n, dim=32, seed=0):
    v = np.random.default_rng(seed).normal(size=(n, dim)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def _owners(n_segments):
    return np.arange(n_segments) // 2  # two segments per passage


@pytest.mark.parametrize(("threshold", "kind"), [(10_000, "flat"), (100, "hnsw")])
def test_passages_rank_by_their_best_segment_and_dropped_ones_vanish(threshold, kind):
    vectors = _unit(600)
    index = DenseIndex(vectors, _owners(600), threshold)
    assert index.kind == kind
    rows, scores = index.search(vectors[85], 5)  # segment 85 belongs to passage 42
    assert rows[0] == 42
    assert scores[0] == pytest.approx(1.0, abs=1e-4)
    assert len(set(rows.tolist())) == 5
    assert list(scores) == sorted(scores, reverse=True)
    assert index.similarity(vectors[85], [42, 0])[0] == pytest.approx(1.0, abs=1e-4)
    index.drop([42])
    rows, _ = index.search(vectors[85], 5)
    assert 42 not in rows
    assert len(rows) == 5


def test_added_segments_belong_to_their_passage():
    index = DenseIndex(_unit(50), _owners(50), 10_000)
    new = _unit(3, seed=1)
    index.add(new, np.array([25, 25, 26]))
    assert index.search(new[1], 1)[0][0] == 25
    assert index.similarity(new[2], [26])[0] == pytest.approx(1.0, abs=1e-5)
    vectors, owners = index.live()
    assert len(vectors) == 53
    assert list(owners[-3:]) == [25, 25, 26]


@pytest.mark.parametrize("threshold", [10_000, 100])
def test_saved_index_loads_with_the_same_answers(tmp_path, threshold):
    vectors = _unit(300)
    index = DenseIndex(vectors, _owners(300), threshold)
    index.save(tmp_path)
    loaded = DenseIndex.load(tmp_path, threshold)
    assert loaded.kind == index.kind
    for q in vectors[:10]:
        assert list(loaded.search(q, 5)[0]) == list(index.search(q, 5)[0])


def test_a_query_runs_faiss_on_one_thread_and_a_build_on_every_core():
    # faiss's idle threads would spin on the cores the next query embedding needs (see search/threads.py).
    import os
    import threading

    import faiss

    seen = {}

    def in_a_request_thread():  # OpenMP settings are per thread: check one other than the builder's
        index = DenseIndex(_unit(40), _owners(40), 10_000)
        seen["build"] = faiss.omp_get_max_threads()
        index.search(_unit(1, seed=3)[0], 3)
        seen["query"] = faiss.omp_get_max_threads()
        index.add(_unit(2, seed=4), np.array([20, 20]))
        seen["add"] = faiss.omp_get_max_threads()

    worker = threading.Thread(target=in_a_request_thread)
    worker.start()
    worker.join()
    cores = os.cpu_count()
    assert seen == {"build": cores, "query": 1, "add": cores}

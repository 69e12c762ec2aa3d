"""Persisted indexes under HELPDESK_INDEX_DIR, one directory per fingerprint of corpus + model.

The fingerprint covers every passage id with a hash of its indexed text, the embedding model, the
tokeniser version and the index layout, so any change to one of them selects (and builds) a new
directory while an unchanged corpus loads from disk in a fraction of a second.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from .dense_index import DenseIndex
from .lexical_index import LexicalIndex
from .text import TOKENIZER_VERSION

FORMAT_VERSION = 3  # 2: an English BM25 index beside the Japanese one; 3: and English dense segments
_ENGLISH_TOKENS = "tokens_en.json"
_ENGLISH_DENSE = "en"  # subdirectory: the English segments' vectors, laid out as the Japanese ones
_FINGERPRINT_CHARS = 20


@dataclass
class StoredIndex:
    ids: list[str]  # passage id of each row
    lexical: LexicalIndex
    dense: DenseIndex
    english: LexicalIndex  # BM25 over the passages' English translations (rows of translated passages)
    english_dense: DenseIndex  # the translations' dense segments (owners: rows of translated passages)


def fingerprint(ids_and_texts: list[tuple[str, str]], model_id: str, hnsw_threshold: int) -> str:
    digest = hashlib.sha256()
    header = {"format": FORMAT_VERSION, "tokenizer": TOKENIZER_VERSION, "model": model_id, "hnsw": hnsw_threshold}
    digest.update(json.dumps(header, sort_keys=True).encode())
    for pid, text in sorted(ids_and_texts):
        digest.update(f"\0{pid}\0{hashlib.sha256(text.encode()).hexdigest()}".encode())
    return digest.hexdigest()[:_FINGERPRINT_CHARS]


def load(index_dir: Path, key: str, hnsw_threshold: int) -> StoredIndex | None:
    directory = index_dir / key
    if not (directory / "ids.json").exists():
        return None
    ids = json.loads((directory / "ids.json").read_text(encoding="utf-8"))
    return StoredIndex(ids, LexicalIndex.load(directory), DenseIndex.load(directory, hnsw_threshold),
                       LexicalIndex.load(directory, _ENGLISH_TOKENS),
                       DenseIndex.load(directory / _ENGLISH_DENSE, hnsw_threshold))


def save(index_dir: Path, key: str, stored: StoredIndex) -> None:
    """Write atomically (temp dir + rename), then drop indexes of older corpus versions."""
    index_dir.mkdir(parents=True, exist_ok=True)
    tmp = index_dir / f".tmp-{key}-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    stored.lexical.save(tmp)
    stored.english.save(tmp, _ENGLISH_TOKENS)
    stored.dense.save(tmp)
    (tmp / _ENGLISH_DENSE).mkdir()
    stored.english_dense.save(tmp / _ENGLISH_DENSE)
    # ids.json last: its presence marks a complete index.
    (tmp / "ids.json").write_text(json.dumps(stored.ids, ensure_ascii=False), encoding="utf-8")
    try:
        os.rename(tmp, index_dir / key)
    except OSError:  # another process saved the same fingerprint first: identical content
        shutil.rmtree(tmp, ignore_errors=True)
    for old in index_dir.iterdir():
        if old.is_dir() and old.name != key and len(old.name) == _FINGERPRINT_CHARS and not old.name.startswith("."):
            shutil.rmtree(old, ignore_errors=True)

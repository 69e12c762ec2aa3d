"""Answers to repeated identical questions, kept per process.

Keyed by the normalised question (NFKC, casefolded, whitespace collapsed), its language and what the
answer depends on besides the fixed corpus: the desk FAQ entries applied to this process's index (their
marker changes with every publication, so a curator's publish invalidates every entry) and the routing
examples staff have added. Follow-up questions depend on the question before them and are never
cached. Bounded (least recently used out); each worker has its own, so a repeat is a hit once per worker.
"""
from __future__ import annotations

import threading
from collections.abc import Callable, Hashable

from cachetools import LRUCache

from ..observability.metrics import ASK_CACHE
from ..search.text import normalize


class AnswerCache:
    def __init__(self, size: int) -> None:
        self._entries: LRUCache | None = LRUCache(maxsize=size) if size > 0 else None
        self._lock = threading.Lock()

    def get_or_answer(self, question: str, lang: str, state: Hashable, answer: Callable[[], object]):
        """The cached answer for (question, lang, state), else `answer()`, remembered."""
        if self._entries is None:
            return answer()
        key = (normalize(question), lang, state)
        with self._lock:
            found = self._entries.get(key)
        if found is not None:
            ASK_CACHE.labels("hit").inc()
            return found
        ASK_CACHE.labels("miss").inc()
        result = answer()
        with self._lock:
            self._entries[key] = result
        return result

"""Repeated questions from the answer cache (invalidated by a publication), and a full worker
refusing asks at once with 503 + Retry-After instead of queueing them."""
from __future__ import annotations

from helpdesk.answering.answer_cache import AnswerCache
from helpdesk.answering.service import admission
from helpdesk.observability.metrics import ASK_CACHE
from tests.support.curation import publish, two_curators
from tests.support.web import csrf_token

QUESTION = "研究セキュリティ相談窓口の受付時間は何時から何時までですか"
ANSWER = "相談窓口の受付時間は、平日の午前9時30分から午後5時までです。土日祝日と年末年始は休みです。"


def _hits() -> float:
    return ASK_CACHE.labels("hit")._value.get()


def _ask(client, question: str, **extra):
    response = client.post("/api/v1/ask", json={"question": question, **extra})
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def test_a_repeated_question_is_answered_from_the_cache_until_a_publication(app, search_service):
    client = app.test_client()
    asked = "研究セキュリティ相談窓口の受付時間を教えてください"
    first = _ask(client, asked)
    hits = _hits()
    again = _ask(client, f"  {asked}\n")  # the same question, differently spaced
    assert _hits() == hits + 1
    assert again["answer_markdown"] == first["answer_markdown"]
    assert again["conversation_id"] != first["conversation_id"]  # still stored as its own exchange

    author, reviewer = two_curators(app)
    publish(author, reviewer, slug="hours-cache", question=QUESTION, answer=ANSWER)
    after = _ask(client, asked)
    assert _hits() == hits + 1  # the publication changed the index: answered afresh
    assert "faq-desk/hours-cache" in after["answer_markdown"]
    assert after["answer_markdown"] != first["answer_markdown"]


def test_follow_ups_are_not_served_from_the_cache(app, search_service):
    client = app.test_client()
    opening = _ask(client, "デュー・ディリジェンスとは何ですか")
    _ask(client, "対象者は誰ですか", conversation_id=opening["conversation_id"])
    hits = _hits()
    _ask(client, "対象者は誰ですか", conversation_id=opening["conversation_id"])
    assert _hits() == hits


def test_the_cache_is_bounded_and_keyed_by_language_and_state():
    cache, calls = AnswerCache(2), []

    def answer(value):
        return lambda: calls.append(value) or value

    assert cache.get_or_answer("Q", "ja", 1, answer("a")) == "a"
    assert cache.get_or_answer("q", "ja", 1, answer("b")) == "a"  # casefolded: the same question
    assert cache.get_or_answer("q", "en", 1, answer("c")) == "c"
    assert cache.get_or_answer("q", "ja", 2, answer("d")) == "d"  # another index state
    assert cache.get_or_answer("Q", "ja", 1, answer("e")) == "e"  # the oldest fell out (size 2)
    assert calls == ["a", "c", "d", "e"]
    assert AnswerCache(0).get_or_answer("q", "ja", 1, answer("f")) == "f"


def test_a_full_worker_refuses_asks_at_once_with_retry_after(app, search_service):
    app.config.update(HELPDESK_MAX_INFLIGHT_ASKS=1, HELPDESK_OVERLOAD_RETRY_AFTER=2)
    client = app.test_client()
    with app.app_context(), admission().slot() as admitted:  # another request holds the only slot
        assert admitted
        refused = client.post("/api/v1/ask", json={"question": "研究セキュリティとは何ですか"})
        assert refused.status_code == 503
        assert refused.headers["Retry-After"] == "2"
        assert refused.get_json()["code"] == "busy"
        page = client.post("/", data={"question": "研究セキュリティとは何ですか", "csrf_token": csrf_token(client, "/")})
        assert page.status_code == 503
        assert page.headers["Retry-After"] == "2"
        assert "混み合っています" in page.get_data(as_text=True)
        assert client.post("/api/v1/ask", json={"question": ""}).status_code == 400  # bad input stays a 400
    # Slot free again (a fresh client: the page visit gave this one a session, which needs a CSRF token).
    assert app.test_client().post("/api/v1/ask", json={"question": "研究セキュリティとは何ですか"}).status_code == 200

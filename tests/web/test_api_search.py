"""GET /api/v1/search through Flask's test client, on the real corpus and index."""
import pytest

from helpdesk.evaluation.metrics import squash


@pytest.fixture
def api(client, search_service):
    return client


def test_search_returns_ranked_passages_with_their_fields(api):
    response = api.get("/api/v1/search", query_string={"q": "相談窓口は研究機関に代わって受入れの可否を判断してくれますか", "k": 5})
    assert response.status_code == 200
    body = response.get_json()
    assert body["k"] == 5
    assert len(body["results"]) == 5
    first = body["results"][0]
    assert set(first) == {"id", "doc", "title", "text", "score", "url"}
    assert first["url"] == f"/docs/{first['doc']}#{first['id']}"
    scores = [r["score"] for r in body["results"]]
    assert scores == sorted(scores, reverse=True)
    assert any("代わって判断" in squash(r["text"]) for r in body["results"][:3])


def test_english_question_finds_the_japanese_passage(api):
    response = api.get("/api/v1/search", query_string={"q": "What do German funding agencies ask applicants with international partners to submit?"})
    assert response.status_code == 200
    texts = [squash(r["text"]) for r in response.get_json()["results"][:5]]
    assert any("自己評価" in t and "ドイツ" in t for t in texts)


def test_default_k_is_ten(api):
    assert len(api.get("/api/v1/search?q=研究セキュリティ").get_json()["results"]) == 10


@pytest.mark.parametrize(
    ("query_string", "code", "message"),
    [
        ("", "empty_query", "empty"),
        ("q=", "empty_query", "empty"),
        ("q=%20%20%E3%80%80", "empty_query", "empty"),
        ("q=%FF%FE", "query_not_utf8", "UTF-8"),
        ("q=%E7%A0%94%E7", "query_not_utf8", "UTF-8"),
        ("q=abc&k=0", "bad_k", "k must be"),
        ("q=abc&k=51", "bad_k", "k must be"),
        ("q=abc&k=ten", "bad_k", "k must be"),
        ("q=abc&k=", "bad_k", "k must be"),
        ("q=abc%00def", "nul_character", "NUL"),
    ],
)
def test_bad_input_is_a_clear_400(api, query_string, code, message):
    response = api.get(f"/api/v1/search?lang=en&{query_string}")
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == code
    assert message in response.get_json()["error"]["message"]


def test_errors_speak_the_request_language(api):
    ja = api.get("/api/v1/search?lang=ja&q=abc&k=0").get_json()["error"]
    en = api.get("/api/v1/search?lang=en&q=abc&k=0").get_json()["error"]
    assert ja == {"code": "bad_k", "message": "k は 1〜50 の整数で指定してください。"}
    assert en == {"code": "bad_k", "message": "k must be a whole number from 1 to 50"}


def test_ten_megabyte_query_is_refused_by_length(api, app):
    response = api.get("/api/v1/search", query_string={"q": "研" * (10 * 1024 * 1024 // 3), "lang": "en"})
    assert response.status_code == 400
    assert f"at most {app.config['HELPDESK_MAX_QUESTION_CHARS']}" in response.get_json()["error"]["message"]


def test_query_at_the_length_limit_is_searched(api, app):
    limit = app.config["HELPDESK_MAX_QUESTION_CHARS"]
    response = api.get("/api/v1/search", query_string={"q": "研究データの管理" * (limit // 8), "k": 1})
    assert response.status_code == 200
    assert len(response.get_json()["results"]) == 1

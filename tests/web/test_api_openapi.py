"""Issue 17 item 2: the API is declared. The OpenAPI document is valid, covers every /api/v1 route with the
statuses it answers, and is readable as Swagger UI served from this site; every error has one shape."""
from __future__ import annotations

import re

import pytest
from openapi_spec_validator import validate

DOCUMENT = "/api/v1/openapi.json"
SERVED_BY_THE_DOCUMENT = {"/api/v1/openapi.json", "/api/v1/docs"}


@pytest.fixture
def document(app):
    response = app.test_client().get(DOCUMENT)
    assert response.status_code == 200
    assert response.is_json
    return response.get_json()


def _operations(document):
    return {(method.upper(), path) for path, item in document["paths"].items() for method in item
            if method != "parameters"}


def test_the_document_is_valid_openapi(document):
    validate(document)
    assert document["openapi"].startswith("3.")


def test_every_api_route_is_declared_with_its_responses(app, document):
    routes = {(method, re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule))
              for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/v1/")
              and not rule.rule.startswith(tuple(SERVED_BY_THE_DOCUMENT))
              for method in rule.methods - {"HEAD", "OPTIONS"}}
    assert routes
    assert routes == _operations(document)
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method == "parameters":
                continue
            assert "default" in operation["responses"], (method, path)
            if "requestBody" in operation or operation.get("parameters"):
                assert "400" in operation["responses"], (method, path)
            success = [status for status in operation["responses"] if status.startswith("2")]
            assert success, (method, path)
            for status in success:
                assert "$ref" in operation["responses"][status]["content"]["application/json"]["schema"]


def test_errors_are_declared_in_the_one_shape(document):
    error = document["components"]["schemas"]["Error"]
    assert error["required"] == ["error"]
    body = document["components"]["schemas"]["ErrorBody"]
    assert set(body["required"]) == {"code", "message"}
    assert document["components"]["responses"]["NOT_FOUND"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Error"}


@pytest.mark.parametrize(("method", "url", "kwargs", "status", "code"), [
    ("get", "/api/v1/nothing-here", {}, 404, "not_found"),
    ("get", "/api/v1/ask", {}, 405, "method_not_allowed"),
    ("post", "/api/v1/ask", {"data": "question=x"}, 415, "not_json"),
    ("post", "/api/v1/ask", {"json": {"question": 5}}, 400, "question_not_text"),
    ("post", "/api/v1/ask", {"data": "x" * 3_000_000, "content_type": "application/json"}, 413, "too_large"),
    ("get", "/api/v1/tickets", {}, 401, "login_required"),
    ("get", "/api/v1/search?q=x&k=0", {}, 400, "bad_k"),
])
def test_every_error_is_code_and_message_in_the_request_language(app, method, url, kwargs, status, code):
    app.config["MAX_CONTENT_LENGTH"] = 2_000_000
    client = app.test_client()
    answers = {}
    for lang in ("ja", "en"):
        client.set_cookie("helpdesk_lang", lang)
        response = getattr(client, method)(url, **kwargs)
        assert response.status_code == status
        assert response.is_json
        assert set(response.get_json()) == {"error"}
        error = response.get_json()["error"]
        assert set(error) == {"code", "message"}
        assert error["code"] == code
        assert error["message"]
        answers[lang] = error["message"]
    assert answers["ja"] != answers["en"]


def test_a_forbidden_role_gets_the_one_shape(app, new_user, client_as, api_headers):
    new_user(app, "desk@example.jp", "desk_agent")
    desk = client_as(app, "desk@example.jp")
    response = desk.post("/api/v1/tickets", json={}, headers=api_headers(desk))
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "forbidden"


def test_an_uncaught_exception_is_a_json_500_without_a_traceback(app, monkeypatch):
    from helpdesk.web.api import tickets

    class Broken:
        def __getattr__(self, name):
            raise RuntimeError("a bug")

    monkeypatch.setattr(tickets, "consent", Broken())
    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = app.test_client().get("/api/v1/consent?lang=en")
    assert response.status_code == 500
    assert response.get_json() == {"error": {"code": "internal_error",
                                             "message": "Something went wrong on our side. Please try again later."}}


def test_swagger_ui_is_served_from_this_site_under_the_csp(app):
    client = app.test_client()
    page = client.get("/api/v1/docs?lang=en")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'data-spec-url="/api/v1/openapi.json"' in html
    scripts = re.findall(r'<script src="([^"]+)"', html) + re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
    assert scripts
    assert all(src.startswith("/") for src in scripts)
    for src in scripts:
        with client.get(src) as asset:  # closed: a file response left open is a ResourceWarning
            assert asset.status_code == 200, src
    assert "<script>" not in html  # the CSP allows no inline script
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]

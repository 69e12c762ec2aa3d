"""The chat page and POST /api/v1/ask over real HTTP (test client), real corpus, index and database."""
from __future__ import annotations

import re

import pytest

from helpdesk.answering.markup import to_text
from helpdesk.answering.models import Conversation, Message
from helpdesk.corpus import load_corpus

CSRF = re.compile(r'name="csrf-token" content="([^"]+)"')


@pytest.fixture
def browser(client, search_service):
    """A client with a session, like a browser that opened the chat page; returns (client, csrf token)."""
    page = client.get("/")
    return client, CSRF.search(page.get_data(as_text=True)).group(1)


def _ask_json(client, token, body, **headers):
    return client.post("/api/v1/ask", json=body, headers={"X-CSRFToken": token, **headers})


def _assert_citations_resolve(client, app, sources):
    corpus = load_corpus(app.config["HELPDESK_CORPUS_DIR"])
    for source in sources:
        passage = corpus.get(source["id"])
        assert passage is not None, source["id"]
        assert source["url"] in (f"/docs/{passage.doc}#{passage.id}", f"/docs/{passage.doc}?lang=en#{passage.id}")
        page = client.get(f"/docs/{passage.doc}")
        assert page.status_code == 200
        assert f'id="{passage.id}"' in page.get_data(as_text=True)


def test_api_answers_japanese_question_with_resolving_citations_and_stores_it(app, browser):
    client, token = browser
    response = _ask_json(client, token, {"question": "研究者が所属機関に申告すべき情報にはどんなものがありますか"})
    assert response.status_code == 200
    data = response.get_json()
    assert set(data) == {"question", "answer_markdown", "answerable", "confidence", "sources", "route",
                         "conversation_id", "message_id", "handoff"}
    assert data["answerable"] is True
    assert 0 <= data["confidence"] <= 1
    assert data["sources"]
    assert data["route"]["kind"] == "desk"
    _assert_citations_resolve(client, app, data["sources"])
    with app.app_context():
        conversation = app.extensions["sqlalchemy"].session.get(Conversation, data["conversation_id"])
        assert [m.role for m in conversation.messages] == ["user", "assistant"]
        reply = conversation.messages[1]
        assert reply.answer_markdown == data["answer_markdown"]
        assert [s["id"] for s in reply.sources] == [s["id"] for s in data["sources"]]
        from helpdesk.audit import AuditEvent

        event = AuditEvent.query.filter_by(action="question.asked").one()
        assert event.object_id == data["conversation_id"]
        assert event.details["route_kind"] == "desk"
        assert data["question"] not in str(event.details)


def test_follow_up_stays_in_the_conversation_and_the_page_shows_the_history(app, browser):
    client, token = browser
    first = _ask_json(client, token, {"question": "特定研究開発プログラムとは何ですか"}).get_json()
    second = _ask_json(client, token, {"question": "What must researchers disclose about foreign appointments?",
                                       "conversation_id": first["conversation_id"]}).get_json()
    assert second["conversation_id"] == first["conversation_id"]
    assert "provisional translations" in second["answer_markdown"]  # answered in English
    _assert_citations_resolve(client, app, second["sources"])
    page = client.get("/").get_data(as_text=True)  # the session remembers the conversation
    assert "特定研究開発プログラムとは何ですか" in page
    assert "foreign appointments" in page
    assert page.count('class="msg msg-assistant') == 2


def test_an_elliptical_follow_up_is_answered_in_the_topic_of_the_question_before(app, browser):
    client, token = browser
    follow_up = "それはいつやるの？"
    alone = _ask_json(client, token, {"question": follow_up}).get_json()
    assert alone["answerable"] is False  # no topic of its own
    first = _ask_json(client, token, {"question": "外国の共同研究者のデュー・ディリジェンスでは何を確認しますか"}).get_json()
    second = _ask_json(client, token, {"question": follow_up,
                                       "conversation_id": first["conversation_id"]}).get_json()
    assert second["question"] == follow_up  # shown and stored as asked
    assert second["answerable"] is True
    assert {s["id"] for s in second["sources"]} & {s["id"] for s in first["sources"]}
    _assert_citations_resolve(client, app, second["sources"])
    # A question that names its own topic is not mixed with the one before.
    third = _ask_json(client, token, {"question": "研究インテグリティの確保で国はどんな研修教材を作りますか",
                                      "conversation_id": first["conversation_id"]}).get_json()
    fresh = _ask_json(client, token, {"question": "研究インテグリティの確保で国はどんな研修教材を作りますか"}).get_json()
    assert [s["id"] for s in third["sources"]] == [s["id"] for s in fresh["sources"]]


def test_routed_and_out_of_scope_questions(browser):
    client, token = browser
    routed = _ask_json(client, token, {"question": "ASPIREの応募締切を私たちの提案だけ延長してもらえますか"}).get_json()
    assert routed["route"]["kind"] == "fa"
    assert routed["answerable"] is True
    assert routed["handoff"]["offered"] is True
    text = to_text(routed["answer_markdown"])
    # Where it goes and why in plain words: the destination's name, no queue id, cue or similarity.
    assert "科学技術振興機構（JST）" in text
    assert "資金配分機関へ取り次ぎます" in text
    assert "jst" not in text
    assert "類似度" not in text
    assert "手がかり語" not in text
    declined = _ask_json(client, token, {"question": "What's a good recipe for chocolate cake?"}).get_json()
    assert declined["answerable"] is False
    assert declined["sources"] == []
    assert declined["handoff"] == {**declined["handoff"], "offered": True}


def test_form_post_redirects_then_shows_the_answer_with_citations_and_handoff(browser):
    client, token = browser
    response = client.post("/", data={"question": "手順書に違反した場合の措置は？", "csrf_token": token})
    assert response.status_code == 303
    assert re.search(r"/#m\d+$", response.headers["Location"])
    page = client.get("/").get_data(as_text=True)
    assert "手順書に違反した場合の措置は？" in page
    assert re.search(r'<a href="/docs/[a-z-]+#[^"]+" rel="noopener noreferrer">\[1\]</a>', page)
    assert 'class="sources"' in page
    # An answered desk question still offers a person, quietly, through the same handoff form.
    answered = page.split('<li class="msg msg-assistant', 1)[1].split('<li class="msg ', 1)[0]
    assert answered.startswith('" data-message-id=')
    assert 'action="/handoff"' in answered
    assert "handoff-quiet" in answered
    assert "担当者に相談する" in answered
    assert 'name="message_id"' in answered
    declined = client.post("/", data={"question": "今夜のおすすめの映画は？", "csrf_token": token},
                           follow_redirects=True).get_data(as_text=True)
    assert 'action="/handoff"' in declined
    assert 'name="message_id"' in declined


def test_the_requesters_page_shows_no_score_similarity_or_queue_id(browser):
    client, token = browser
    for question, named in (("ASPIREの応募締切を私たちの提案だけ延長してもらえますか", "科学技術振興機構（JST）"),
                            ("相談窓口は最終判断をしてくれますか？", "いいえ")):
        client.post("/", data={"question": question, "csrf_token": token})
        page = client.get("/").get_data(as_text=True)
        shown = re.sub(r"<[^>]+>", " ", page.split('id="chat-messages"', 1)[1].split("</ol>", 1)[0])
        assert named in shown
        for internal in ("確からしさ", "Confidence", "類似度", "similarity", "手がかり語", "取次先:", "fa-triage", "queue"):
            assert internal not in shown
        assert not re.search(r"\b(jst|0\.\d\d)\b", shown)


def test_an_english_answer_collapses_each_japanese_original(browser):
    client, token = browser
    client.post("/?lang=en", data={"question": "What risk mitigation measures are there?", "csrf_token": token})
    page = client.get("/?lang=en").get_data(as_text=True)
    assert '<details class="original"><summary>Japanese original</summary>' in page
    assert 'href="/docs/checklists?lang=en#' in page or 'href="/docs/guideline?lang=en#' in page


def test_question_with_script_is_shown_escaped(browser):
    client, token = browser
    question = '<script>alert("x")</script> 研究セキュリティとは？'
    client.post("/", data={"question": question, "csrf_token": token})
    page = client.get("/").get_data(as_text=True)
    assert '<script>alert("x")</script>' not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"question": ""}, 400, "empty_question"),
        ({"question": "   \n"}, 400, "empty_question"),
        ({}, 400, "empty_question"),
        ({"question": 42}, 400, "question_not_text"),
        ({"question": "あ" * 2001}, 400, "question_too_long"),
        ({"question": "研究セキュリティとは", "conversation_id": "no-such-conversation"}, 404, "unknown_conversation"),
        ({"question": "研究セキュリティとは", "conversation_id": 7}, 400, "bad_conversation_id"),
        (["question"], 400, "not_an_object"),
    ],
)
def test_api_rejects_bad_input_with_json_errors(browser, body, status, code):
    client, token = browser
    response = _ask_json(client, token, body)
    assert response.status_code == status
    assert response.get_json()["error"]["code"] == code
    assert response.get_json()["error"]["message"]


@pytest.mark.parametrize(
    ("data", "content_type", "status", "code"),
    [
        (b'{"question": "abc"', "application/json", 400, "invalid_json"),
        (b'{"question": "\xff\xfe"}', "application/json", 400, "invalid_utf8"),
        (b"question=abc", "application/x-www-form-urlencoded", 415, "not_json"),
    ],
)
def test_api_rejects_malformed_bodies(browser, data, content_type, status, code):
    client, token = browser
    response = client.post("/api/v1/ask", data=data, content_type=content_type, headers={"X-CSRFToken": token})
    assert response.status_code == status
    assert response.get_json()["error"]["code"] == code


def test_csrf_is_required_with_a_session_but_not_for_cookieless_api_clients(app, browser, search_service):
    client, _ = browser
    forged = client.post("/api/v1/ask", json={"question": "研究セキュリティとは"})
    assert forged.status_code == 400
    assert forged.get_json()["error"]["code"] == "csrf_failed"
    api_client = app.test_client()  # no cookies at all: no ambient credentials to abuse
    response = api_client.post("/api/v1/ask", json={"question": "研究セキュリティとは"})
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers or "session=" not in response.headers["Set-Cookie"]


def test_form_errors_keep_the_typed_text(browser):
    client, token = browser
    too_long = "研究" * 1001
    response = client.post("/", data={"question": too_long, "csrf_token": token})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert too_long in page
    assert 'aria-invalid="true"' in page
    assert "2000" in page
    unknown = client.post("/", data={"question": "続きの質問", "conversation_id": "gone", "csrf_token": token})
    assert unknown.status_code == 404
    assert "続きの質問" in unknown.get_data(as_text=True)
    empty = client.post("/", data={"question": "", "csrf_token": token})
    assert empty.status_code == 400
    assert client.post("/", data={"question": "研究セキュリティとは"}).status_code == 400  # no CSRF token


def test_form_with_undecodable_bytes_gets_a_message_not_a_crash(browser):
    client, token = browser
    # Werkzeug discards a form body whose raw bytes are not UTF-8, so the request fails CSRF: a 400.
    raw = client.post("/", data=b"csrf_token=" + token.encode() + b"&question=\xff\xfe",
                      content_type="application/x-www-form-urlencoded")
    assert raw.status_code == 400
    assert "Traceback" not in raw.get_data(as_text=True)


def test_message_fragment_lists_only_newer_messages(app, browser):
    client, token = browser
    data = _ask_json(client, token, {"question": "研究インテグリティとは何ですか"}).get_json()
    with app.app_context():
        ids = [m.id for m in Message.query.filter_by(conversation_id=data["conversation_id"]).order_by(Message.id)]
    fragment = client.get(f"/conversations/{data['conversation_id']}/messages?after={ids[0]}").get_data(as_text=True)
    assert f'data-message-id="{ids[1]}"' in fragment
    assert f'data-message-id="{ids[0]}"' not in fragment
    assert client.get("/conversations/unknown/messages").status_code == 404


def test_english_ui_switch(browser):
    client, _ = browser
    page = client.get("/?lang=en").get_data(as_text=True)
    assert "Your question" in page
    assert 'lang="en"' in page

"""Issue 14 items 1–3: an inquiry reaches only the people handling it (need-to-know sharing)."""
from __future__ import annotations

import html
import json
import re

import pytest

from helpdesk.extensions import db
from helpdesk.triage.models import RoutingExample

# A ticket with contact details, a name and words no other question uses.
LEAKY_TICKET = ("ASPIREの共同研究でザルツブルク大学のミュラー先生をうちの研究室に受け入れたいのですが、"
                "具体的に何を確認すればよいですか。連絡先は taro.yamada@u-tokyo.example.jp、"
                "電話 090-1234-5678、山田太郎です。")
TICKET_WORDS = ("ザルツブルク", "ミュラー", "taro.yamada", "u-tokyo", "090-1234-5678", "1234", "山田", "太郎",
                "[メールアドレス]", "[電話番号]")
SIMILAR_QUESTION = "ASPIREの共同研究で海外の大学の先生を研究室に受け入れたいのですが、何を確認すればよいですか"


@pytest.fixture
def reroute(make_ticket, client_as, csrf_token):
    def _reroute(app, owner_id: int, question: str, queue: str) -> str:
        ref = make_ticket(app, owner_id, "desk", question=question)
        desk = client_as(app, "desk@example.jp")
        token = csrf_token(desk, f"/staff/tickets/{ref}")
        moved = desk.post(f"/staff/tickets/{ref}/reroute", data={"csrf_token": token, "queue": queue, "reason": "case"})
        assert moved.status_code == 303
        return ref

    return _reroute


def _leaked(text: str) -> list[str]:
    return [word for word in TICKET_WORDS if word in text]


def test_item1_rerouted_ticket_text_never_reaches_other_askers(app, search_service, new_user, client_as, csrf_token,
                                                               reroute):
    owner = new_user(app, "owner@example.jp")
    new_user(app, "desk@example.jp", "desk_agent")
    reroute(app, owner, LEAKY_TICKET, "mext")
    with app.app_context():
        example = db.session.query(RoutingExample).one()
        # Kept for the classifier, masked: contact details and the name are gone.
        assert not {"taro.yamada", "090-1234-5678", "山田太郎"} & {w for w in TICKET_WORDS if w in example.question}
        assert "[メールアドレス]" in example.question
        assert "[電話番号]" in example.question

    # An anonymous API client on the same topic.
    answer = app.test_client().post("/api/v1/ask", json={"question": SIMILAR_QUESTION})
    assert answer.status_code == 200
    assert "類似例" in answer.get_json()["route"]["reason"]  # the learnt example took part in the vote
    assert _leaked(answer.get_data(as_text=True)) == []

    # The chat page, as an anonymous visitor.
    visitor = app.test_client()
    asked = visitor.post("/", data={"question": SIMILAR_QUESTION, "csrf_token": csrf_token(visitor, "/")})
    assert asked.status_code == 303
    page = visitor.get("/").get_data(as_text=True)
    assert SIMILAR_QUESTION in page
    assert _leaked(page) == []

    # Another researcher's handoff: the consent page shows the route and its reason.
    new_user(app, "other@example.jp")
    other = client_as(app, "other@example.jp")
    other.post("/handoff", data={"question": SIMILAR_QUESTION, "csrf_token": csrf_token(other, "/")})
    consent_page = other.get("/tickets/new").get_data(as_text=True)
    assert "類似例" in consent_page
    assert _leaked(consent_page) == []

    # The command line.
    result = app.test_cli_runner().invoke(args=["triage", "classify", SIMILAR_QUESTION])
    assert result.exit_code == 0
    assert "類似例" in json.loads(result.output)["reason"]
    assert _leaked(result.output) == []


def test_item1_route_reasons_describe_the_vote_by_route(app, search_service):
    from helpdesk.triage import classify

    with app.app_context():
        route = classify("研究セキュリティと研究インテグリティはどう違うのですか")  # an example verbatim
        english = classify("What is the difference between research security and research integrity?", "en")
    assert "類似例の振り分け: 相談窓口" in route.reason
    assert "どう違う" not in route.reason
    assert "Similar examples went to: desk" in english.reason


# --- item 3: curators ------------------------------------------------------------------------------

DESK_CASE = "学外の共同研究者に試料を渡す前の確認について教えてください。連絡先 desk.case@example.ac.jp"
OTHER_CASES = {
    "jst": "ASPIREの予算費目の変更を承認してほしい（JST案件・ジェイエスティ太郎）",
    "cao": "特定の招へい研究者ヴォルコフ氏の受入れリスク判断をお願いします",
    "emergency": "研究室のサーバーから試作データが流出しています（緊急・クラーク先生）",
}
CHAT = {"desk": "研究データの持ち出し規程はどこで確認できますか 連絡先 chat.asker@example.org",
        "ministry": "特定の外国企業ペトロフ社との共同研究のリスク判断をしてほしい",
        "emergency": "今まさに実験ノートが盗まれました（ミハイロフ研究室）"}


@pytest.fixture
def closed_ticket(make_ticket):
    def _closed_ticket(app, owner_id: int, desk_id: int, queue: str, question: str) -> str:
        from helpdesk.accounts.models import User
        from helpdesk.tickets import Ticket, service

        ref = make_ticket(app, owner_id, queue, question=question)
        with app.app_context():
            ticket = db.session.query(Ticket).filter_by(ref=ref).one()
            staff = db.session.get(User, desk_id)
            service.reply(ticket, staff, "回答しました。")
            service.change_status(ticket, "answered", staff)
            service.change_status(ticket, "closed", staff)
            db.session.commit()
        return ref

    return _closed_ticket


def _weak_exchange(app, question: str, kind: str) -> int:
    from helpdesk.answering.models import Conversation, Message

    with app.app_context():
        conversation = Conversation(lang="ja")
        db.session.add(conversation)
        asked = Message(role="user", lang="ja", text=question)
        conversation.messages.append(asked)
        conversation.messages.append(Message(role="assistant", lang="ja", text="…", answer_markdown="…",
                                             answerable=False, confidence=0.1, route={"kind": kind}))
        db.session.commit()
        return asked.id


def _links(page: str) -> list[str]:
    return [html.unescape(link) for link in re.findall(r'href="(/curation/new\?[^"]+)"', page)]


def test_item3_curators_see_masked_desk_questions_only(app, search_service, new_user, client_as, csrf_token,
                                                       closed_ticket):
    from itsdangerous import URLSafeSerializer

    from helpdesk.curation import sources
    from helpdesk.tickets import Ticket

    owner = new_user(app, "owner@example.jp")
    admin = new_user(app, "admin@example.jp", "admin")  # sees every queue as staff, to close the cases
    new_user(app, "curator@example.jp", "curator")
    desk_ref = closed_ticket(app, owner, admin, "desk", DESK_CASE)
    other_refs = {queue: closed_ticket(app, owner, admin, queue, text) for queue, text in OTHER_CASES.items()}
    chat_ids = {kind: _weak_exchange(app, text, kind) for kind, text in CHAT.items()}
    secrets = ["desk.case@example.ac.jp", "chat.asker@example.org", *OTHER_CASES.values(), *CHAT.values(),
               "ジェイエスティ", "ヴォルコフ", "クラーク", "ペトロフ", "ミハイロフ", *other_refs.values()]

    curator = client_as(app, "curator@example.jp")
    report = curator.get("/curation/gaps?days=30")
    page = report.get_data(as_text=True)
    assert report.status_code == 200
    assert "学外の共同研究者に試料を渡す前の確認" in page
    assert "研究データの持ち出し規程" in page
    assert "[メールアドレス]" in page
    assert [s for s in secrets if s in page] == []
    listing = curator.get("/curation/tickets").get_data(as_text=True)
    assert desk_ref in listing
    assert [ref for ref in other_refs.values() if ref in listing] == []

    # Drafts: from the report's links (masked), never from another queue's ticket, even by its reference.
    links = _links(page)
    assert links
    assert not [link for link in links if "ticket:" in link or "chat:" in link]
    drafted = "".join(curator.get(link).get_data(as_text=True) for link in links)
    assert "学外の共同研究者" in drafted
    assert "desk.case@example.ac.jp" not in drafted
    token = csrf_token(curator, "/curation/tickets")
    for ref in other_refs.values():
        assert curator.post(f"/curation/tickets/{ref}/draft", data={"csrf_token": token}).status_code == 404

    # References cannot be walked or made up: old-style ids, forged tokens and real tokens for
    # sources curators may not use all prefill nothing.
    with app.test_request_context():
        ticket_ids = {q: db.session.query(Ticket.id).filter_by(ref=ref).scalar() for q, ref in other_refs.items()}
        signed = [sources.token_for("ticket", i) for i in ticket_ids.values()]
        signed += [sources.token_for("chat", chat_ids[kind]) for kind in ("ministry", "emergency")]
        signed += [sources.token_for("chat", chat_ids["desk"] + 1)]  # the desk's answer, not a question
    forged = [URLSafeSerializer("another key", salt="curation.source").dumps(["ticket", i])
              for i in ticket_ids.values()]
    guessed = [f"ticket:{i}" for i in range(1, 8)] + [f"chat:{i}" for i in range(1, 12)]
    for source in signed + forged + guessed:
        editor = curator.get(f"/curation/new?source={source}")
        assert editor.status_code == 200, source
        page = editor.get_data(as_text=True)
        assert [s for s in secrets if s in page] == [], source
        assert 'value="gap"' not in page, source


# --- item 2: a ticket carries exactly what the consent page showed ------------------------------------

MINISTRY_TURN = "特定の外国人研究者ヴォルコフ氏を受け入れてよいか、リスク判断をしてもらえますか"
JST_TURN = "採択済みのASPIRE課題で研究体制を変更したいので、JSTの担当者に手続きを相談したいです"


@pytest.fixture
def chat(api_headers):
    def _chat(client, question: str, conversation_id: str | None = None) -> tuple[str, int, str]:
        """(conversation id, answer message id, answer text) of one question asked through the API."""
        from helpdesk.answering.models import Message

        response = client.post("/api/v1/ask", json={"question": question, "conversation_id": conversation_id},
                               headers=api_headers(client))
        assert response.status_code == 200
        conversation_id = response.get_json()["conversation_id"]
        with client.application.app_context():
            answer = db.session.query(Message).filter_by(conversation_id=conversation_id, role="assistant") \
                .order_by(Message.id.desc()).first()
            return conversation_id, answer.id, answer.text

    return _chat


@pytest.fixture
def consent_fields(consent_form):
    def _consent_fields(client) -> dict:
        return {**consent_form(client), "agree": "y", "declare": "y"}

    return _consent_fields


@pytest.fixture
def hand_over(csrf_token):
    def _hand_over(client, conversation_id: str, message_id: int) -> None:
        handed = client.post("/handoff", data={"csrf_token": csrf_token(client, "/"),
                                              "conversation_id": conversation_id, "message_id": message_id})
        assert handed.status_code == 303

    return _hand_over


def _sent_ticket(app, response):
    from helpdesk.tickets import Ticket

    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    ref = response.location.rstrip("/").split("/")[-2]
    with app.app_context():
        ticket = db.session.query(Ticket).filter_by(ref=ref).one()
        db.session.expunge(ticket)
        return ticket


def test_item2_ticket_shares_only_the_consented_question_and_its_answer(app, search_service, new_user, client_as, chat,
                                                                        consent_fields, hand_over):
    new_user(app, "researcher@example.jp")
    new_user(app, "admin@example.jp", "admin")
    researcher = client_as(app, "researcher@example.jp")
    conversation_id, _, _ = chat(researcher, MINISTRY_TURN)
    conversation_id, message_id, answer = chat(researcher, JST_TURN, conversation_id)

    hand_over(researcher, conversation_id, message_id)
    consent_page = researcher.get("/tickets/new").get_data(as_text=True)
    answer_start = answer.splitlines()[0][:40]
    assert JST_TURN in consent_page
    assert answer_start in consent_page
    assert "あわせて共有される窓口の回答" in consent_page
    assert "ヴォルコフ" not in consent_page
    ticket = _sent_ticket(app, researcher.post("/tickets/new", data=consent_fields(researcher)))
    assert (ticket.question, ticket.conversation_id, ticket.message_id) == (JST_TURN, conversation_id, message_id)

    staff = client_as(app, "admin@example.jp")
    for lang, label in (("ja", "相談者の質問"), ("en", "Requester's question")):
        detail = staff.get(f"/staff/tickets/{ticket.ref}?lang={lang}").get_data(as_text=True)
        excerpt = detail.split('class="ticket-excerpt"', 1)[1].split("</ol>", 1)[0]
        assert JST_TURN in excerpt
        assert answer_start in excerpt
        assert label in excerpt
        assert "ヴォルコフ" not in detail
        assert "あなたの質問" not in detail
        assert "Your question" not in detail

    # Edited before sending (say, to leave a detail out): the chat goes nowhere, and the page says so.
    hand_over(researcher, conversation_id, message_id)
    edited = consent_fields(researcher) | {"question": "ASPIRE課題の研究体制を変更する手続きを相談したいです"}
    shown = researcher.post("/tickets/new", data=edited)  # the destination for the edited text first
    assert shown.status_code == 200
    assert answer_start not in shown.get_data(as_text=True)
    routed = re.search(r'name="routed"[^>]*value="([^"]*)"', shown.get_data(as_text=True)).group(1)
    second = _sent_ticket(app, researcher.post("/tickets/new", data=edited | {"routed": routed}))
    assert (second.conversation_id, second.message_id) == (None, None)
    detail = staff.get(f"/staff/tickets/{second.ref}").get_data(as_text=True)
    assert "ticket-excerpt" not in detail
    assert JST_TURN not in detail
    assert answer_start not in detail

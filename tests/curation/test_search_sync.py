"""Published desk FAQ entries reach the live index at once, in every worker, and the chat cites them."""
from __future__ import annotations

import re

import pytest

from helpdesk import create_app
from helpdesk.search import get_search, settings

QUESTION = "研究セキュリティ相談窓口の受付時間は何時から何時までですか"
ANSWER = "相談窓口の受付時間は、平日の午前9時30分から午後5時までです。土日祝日と年末年始は休みです。"
XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(2)>",
    "<svg onload=alert(3)><circle r=1></circle></svg>",
    '<a href="javascript:alert(4)">click</a>',
    '<a href="JaVaScRiPt&#58;alert(5)">entity</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(6)">decimal</a>',
    '<a href="java\tscript:alert(7)">tab</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCg4KTwvc2NyaXB0Pg==">data</a>',
    '<p style="background:url(javascript:alert(9))">styled</p>',
    '<iframe src="https://evil.example"></iframe>',
    "[md link](javascript:alert(10))",
    "[md entity](&#x6A;avascript:alert(11))",
    "![md image](javascript:alert(12))",
    '![data image](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMTMpPg==)',
    "[ref link][r]\n\n[r]: javascript:alert(14)",
    '<div onmouseover="alert(15)">hover</div>',
    '<a href="https://example.org" onclick="alert(16)" target="_blank">ok link</a>',
    "<math><mtext><style><img src=x onerror=alert(17)></style></mtext></math>",
    "&lt;script&gt;alert(18)&lt;/script&gt;",
    '<form action="javascript:alert(19)"><button>go</button></form>',
]


def _answer_block(page: str, slug: str) -> str:
    article = page.split(f'id="faq-desk/{slug}"', 1)[1].split("</article>", 1)[0]
    return article.split('<div class="faq-answer">', 1)[1].split("</div>", 1)[0]


def _ask(app, question: str) -> dict:
    response = app.test_client().post("/api/v1/ask", json={"question": question})
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


DESK_LINK = re.compile(r"\(/docs/faq-desk#(faq-desk/[\w-]+)\)")


def _drawn_on(payload: dict) -> list[str]:
    """The desk entry that leads the answer (linked from its lead, never a numbered source), then the
    document passages it cites."""
    return [*DESK_LINK.findall(payload["answer_markdown"]), *(s["id"] for s in payload["sources"])]


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_preview_sanitises(app, payload, two_curators, csrf_token, unsafe_parts):
    author, _ = two_curators(app)
    token = csrf_token(author, "/curation/new")
    live = author.post("/curation/preview", data={"answer": payload, "csrf_token": token},
                       headers={"X-CSRFToken": token, "Accept": "application/json"})
    assert live.status_code == 200
    assert unsafe_parts(live.get_json()["html"]) == []
    # The no-JavaScript preview (a submit button) renders the same function's output into the page.
    page = author.post("/curation/new", data={"question": "q", "answer": payload, "question_en": "q",
                                              "answer_en": payload, "action": "preview", "csrf_token": token}
                       ).get_data(as_text=True)
    for lang in ("ja", "en"):  # both columns' previews
        preview = page.split(f'id="faq-preview-{lang}"', 1)[1].split("</section>", 1)[0]
        assert unsafe_parts(preview.split(">", 1)[1]) == []


def test_preview_refuses_missing_csrf_and_oversized_text(app, two_curators, csrf_token):
    author, _ = two_curators(app)
    assert author.post("/curation/preview", data={"answer": "x"}).status_code == 400
    token = csrf_token(author, "/curation/new")
    response = author.post("/curation/preview", data={"answer": "x" * 20_001, "csrf_token": token})
    assert response.status_code == 400
    assert "20000" in response.get_json()["error"]["message"]


def test_payloads_survive_nowhere_once_published_and_drawn_on(app, search_service, two_curators, publish, unsafe_parts,
                                                              csrf_token):
    author, reviewer = two_curators(app)
    answer = ANSWER + "\n\n" + "\n\n".join(XSS_PAYLOADS)
    entry_id = publish(author, reviewer, slug="hours-xss", question=QUESTION, answer=answer)
    assert unsafe_parts(_answer_block(author.get("/docs/faq-desk").get_data(as_text=True), "hours-xss")) == []
    assert unsafe_parts(author.get(f"/curation/{entry_id}").get_data(as_text=True)
                        .split('<div class="faq-preview">', 1)[1].split("</div>", 1)[0]) == []

    payload = _ask(app, QUESTION)
    assert "faq-desk/hours-xss" in _drawn_on(payload)
    from helpdesk.answering.markup import to_html

    assert unsafe_parts(to_html(payload["answer_markdown"])) == []
    for source in payload["sources"]:
        assert "<" not in source["text"]
        assert "<" not in source["title"]
    # The chat page shows the same answer through the browser form.
    chat = app.test_client()
    page = chat.post("/", data={"question": QUESTION, "csrf_token": csrf_token(chat, "/")},
                     follow_redirects=True).get_data(as_text=True)
    assert "/docs/faq-desk#faq-desk/hours-xss" in page
    answer_html = page.split('<div class="answer">', 1)[1].split("</div>", 1)[0]
    sources = page.split('<ol class="sources">', 1)[1].split("</ol>", 1)[0]
    assert unsafe_parts(answer_html) == []
    assert unsafe_parts(sources) == []


def _known_question_cosine(app, search_service, question: str, passage_id: str) -> float | None:
    """Cosine of `question` with the nearest question the answerer knows `passage_id` answers
    (evidence for its confidence), None if it knows none."""
    from helpdesk.answering.answerer import get_answerer

    with app.app_context():
        found = get_answerer().live().known.nearest(search_service.embed_query(question), {passage_id})
    return None if found is None else found[1]


def test_publish_is_cited_at_once_and_archive_stops_it(app, search_service, two_curators, create, step):
    author, reviewer = two_curators(app)
    entry_id = create(author, slug="desk-hours", question=QUESTION, answer=ANSWER,
                      alternatives="窓口は何時まで開いていますか\n相談の受付時間を知りたい")
    step(author, entry_id, "submit")
    assert "faq-desk/desk-hours" not in _drawn_on(_ask(app, QUESTION))  # in review: not public yet

    step(reviewer, entry_id, "publish")
    payload = _ask(app, QUESTION)
    assert "faq-desk/desk-hours" in _drawn_on(payload)
    assert "([窓口FAQ](/docs/faq-desk#faq-desk/desk-hours))" in payload["answer_markdown"]
    assert all(not s["id"].startswith("faq-desk/") for s in payload["sources"])  # sources are documents
    page = author.get("/docs/faq-desk").get_data(as_text=True)
    assert 'id="faq-desk/desk-hours"' in page
    assert "午前9時30分" in page
    assert "窓口FAQ" in author.get("/docs/").get_data(as_text=True)
    hits = [h.passage.id for h in search_service.search("窓口は何時まで開いていますか", k=5)]
    assert "faq-desk/desk-hours" in hits  # found by an alternative phrasing
    # … on the dense side too, where the alternatives are a segment of their own (cosine 0.89 without it)
    dense = search_service.search("窓口は何時まで開いていますか", k=1, mode="dense")
    assert dense[0].passage.id == "faq-desk/desk-hours"
    assert dense[0].dense_score > 0.9
    by_alternative = _ask(app, "窓口は何時まで開いていますか")  # … and its answer leads the reply
    assert _drawn_on(by_alternative)[0] == "faq-desk/desk-hours"
    assert by_alternative["answer_markdown"].startswith(ANSWER[:20])  # its plain-words answer is the lead
    with app.app_context():
        from helpdesk.answering.models import Message

        led = Message.query.filter_by(faq_entry="faq-desk/desk-hours").count()
    assert led >= 1  # the reply records the entry that led it, for the curation list's counts
    listing = author.get("/curation/").get_data(as_text=True)
    row = listing.split("faq-desk/desk-hours", 1)[1].split("</tr>", 1)[0]
    assert re.findall(r"<td>(\d+)</td>", row) == [str(led), "0"]  # answers it led, handoffs after them
    assert _known_question_cosine(app, search_service, "窓口は何時まで開いていますか", "faq-desk/desk-hours") > 0.99

    step(reviewer, entry_id, "archive")
    assert _known_question_cosine(app, search_service, "窓口は何時まで開いていますか", "faq-desk/desk-hours") is None
    assert "faq-desk/desk-hours" not in _drawn_on(_ask(app, QUESTION))
    assert "faq-desk/desk-hours" not in [h.passage.id for h in search_service.search(QUESTION, k=10)]
    assert 'id="faq-desk/desk-hours"' not in author.get("/docs/faq-desk").get_data(as_text=True)


def test_a_second_worker_picks_up_the_change(app, search_service, tmp_path, two_curators, publish, step):
    """Two app instances on one database, each with its own search service (as two gunicorn workers)."""
    shared = settings(app)
    second = create_app({
        "TESTING": True, "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "HELPDESK_INDEX_DIR": tmp_path / "worker-2-index", "HELPDESK_EMBED_CACHE": str(shared.embed_cache),
    })
    other_service = get_search(second)
    assert other_service is not search_service
    worker2 = second.test_client()

    def worker2_finds(slug: str) -> bool:
        results = worker2.get("/api/v1/search", query_string={"q": QUESTION, "k": 10}).get_json()["results"]
        return f"faq-desk/{slug}" in [r["id"] for r in results]

    assert not worker2_finds("hours-2")
    author, reviewer = two_curators(app)
    entry_id = publish(author, reviewer, slug="hours-2", question=QUESTION, answer=ANSWER)
    assert worker2_finds("hours-2")  # its next request synced it, no restart, no rebuild
    assert len(other_service) == len(search_service)
    assert "faq-desk/hours-2" in _drawn_on(_ask(second, QUESTION))

    step(reviewer, entry_id, "archive")
    assert not worker2_finds("hours-2")


def test_start_up_sync_loads_published_entries(app, search_service, two_curators, publish):
    from helpdesk.curation import search_sync

    author, reviewer = two_curators(app)
    publish(author, reviewer, slug="startup", question=QUESTION, answer=ANSWER)
    search_service.remove(["faq-desk/startup"])  # as a fresh process that never saw it
    with app.app_context():
        state = search_sync._state_of(search_service)
        state.marker, state.passages = None, {}
        assert search_sync.sync(search_service) is True
    assert "faq-desk/startup" in [h.passage.id for h in search_service.search(QUESTION, k=10)]
    assert re.match(r"^Q: .+\nA: ", next(h.passage.text for h in search_service.search(QUESTION, k=10)
                                         if h.passage.id == "faq-desk/startup"))


def test_answer_leads_with_a_desk_entry_published_after_start(app, search_service, two_curators, publish):
    """The answerer's FAQ match and word statistics follow the live index, not the start-up corpus."""
    from helpdesk.answering.answerer import get_answerer

    with app.app_context():
        get_answerer()  # built (as at start-up) before the entry exists
    author, reviewer = two_curators(app)
    publish(author, reviewer, slug="hours-lead", question=QUESTION, answer=ANSWER)

    payload = _ask(app, "研究セキュリティ相談窓口の受付時間を教えてください")
    assert payload["answerable"] is True
    assert payload["answer_markdown"].startswith(ANSWER[:20])  # the entry's plain-words answer leads
    assert "午前9時30分" in payload["answer_markdown"]
    assert "faq-desk/hours-lead" in _drawn_on(payload)

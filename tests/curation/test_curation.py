"""Desk FAQ curation: access, the editor, the review workflow, revisions, import/export, tickets → FAQ."""
from __future__ import annotations

import re

import pytest

from helpdesk.extensions import db


def test_only_curators_and_admins_get_in(app, new_user, client_as, csrf_token):
    new_user(app, "r@example.org")
    new_user(app, "desk@example.org", "desk_agent", "desk")
    new_user(app, "admin@example.org", "admin")
    assert client_as(app, None).get("/curation/").status_code == 302  # to the login page
    for email in ("r@example.org", "desk@example.org"):
        client = client_as(app, email)
        assert client.get("/curation/").status_code == 403
        assert client.get("/curation/gaps").status_code == 403
        token = csrf_token(client, "/")
        assert client.post("/curation/preview", data={"answer": "x", "csrf_token": token}).status_code == 403
    assert client_as(app, "admin@example.org").get("/curation/").status_code == 200


def test_invalid_input_is_refused_and_nothing_typed_is_lost(app, two_curators, entry_fields, csrf_token, audit_actions):
    author, _ = two_curators(app)
    data = entry_fields(question="", answer="大事な下書き本文です。", related="guideline/no-such-passage",
                        slug="Bad Slug!")
    data["csrf_token"] = csrf_token(author, "/curation/new")
    response = author.post("/curation/new", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "大事な下書き本文です。" in page
    assert "guideline/no-such-passage" in page
    assert "資料にない段落IDです" in page
    assert "入力してください" in page
    # Without a CSRF token nothing is stored either.
    assert author.post("/curation/new", data=entry_fields()).status_code == 400
    assert "faq.created" not in audit_actions(app)


def test_author_cannot_publish_and_review_goes_through_another_curator(app, search_service, two_curators, create, step,
                                                                       status_of, edit, audit_actions):
    author, reviewer = two_curators(app)
    entry_id = create(author, question="研究データの持ち出し手順は？", answer="まず所属機関の窓口に相談してください。",
                      related="guideline/I-2-4", tags="データ, 手順")
    # A draft cannot be published at all; once in review, not by its author.
    assert step(reviewer, entry_id, "publish").status_code == 303
    assert status_of(app, entry_id) == "draft"
    step(author, entry_id, "submit")
    step(author, entry_id, "publish")
    assert status_of(app, entry_id) == "in_review"
    assert "自分の変更は公開できません" in author.get(f"/curation/{entry_id}", follow_redirects=True).get_data(as_text=True)
    step(reviewer, entry_id, "publish")
    assert status_of(app, entry_id) == "published"

    # The reviewer edits the published entry: the change waits for someone else (the author may approve it).
    assert edit(reviewer, entry_id, question="研究データの持ち出し手順は？", answer="改訂した回答です。").status_code == 303
    assert "改訂した回答です" not in author.get("/docs/faq-desk").get_data(as_text=True)
    step(reviewer, entry_id, "publish")
    assert "改訂した回答です" not in author.get("/docs/faq-desk").get_data(as_text=True)
    step(author, entry_id, "publish")
    assert "改訂した回答です" in author.get("/docs/faq-desk").get_data(as_text=True)

    step(reviewer, entry_id, "archive")
    assert status_of(app, entry_id) == "archived"
    assert "研究データの持ち出し手順" not in author.get("/docs/faq-desk").get_data(as_text=True)

    actions = [a for a in audit_actions(app) if a.startswith("faq.")]
    assert actions == ["faq.created", "faq.submitted", "faq.published", "faq.revised", "faq.published",
                       "faq.archived"]
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output


def test_every_save_is_a_revision_with_an_escaped_diff_and_rollback(app, two_curators, create, edit, csrf_token):
    author, reviewer = two_curators(app)
    entry_id = create(author, question="Q1", answer="最初の回答。")
    edit(author, entry_id, question="Q1", answer="二番目の回答 <script>alert('x')</script>")
    assert edit(author, entry_id, question="Q1", answer="二番目の回答 <script>alert('x')</script>").status_code == 303
    edit(reviewer, entry_id, question="Q1 改", answer="三番目の回答。")

    diff = author.get(f"/curation/{entry_id}/diff?from=1&to=2").get_data(as_text=True)
    assert "&lt;script&gt;alert" in diff
    assert "<script>alert" not in diff
    assert author.get(f"/curation/{entry_id}/diff?from=1&to=9").status_code == 404

    token = csrf_token(author, f"/curation/{entry_id}")
    assert author.post(f"/curation/{entry_id}/rollback/1", data={"csrf_token": token}).status_code == 303
    from helpdesk.curation.models import FaqEntry

    with app.app_context():
        entry = db.session.get(FaqEntry, entry_id)
        assert [r.number for r in entry.revisions] == [1, 2, 3, 4]  # the unchanged save made none
        assert (entry.current.number, entry.current.answer, entry.current.origin) == (4, "最初の回答。", "rollback")
        assert entry.revisions[2].author.email == "reviewer@example.org"


def test_a_stale_save_is_refused_and_keeps_the_text(app, two_curators, create, csrf_token, edit, entry_fields):
    author, reviewer = two_curators(app)
    entry_id = create(author, question="Q", answer="A")
    page = author.get(f"/curation/{entry_id}/edit").get_data(as_text=True)
    token = csrf_token(author, f"/curation/{entry_id}/edit")
    edit(reviewer, entry_id, question="Q", answer="reviewer's version")
    data = entry_fields(question="Q", answer="author's unsaved text", csrf_token=token,
                        base_revision=re.search(r'name="base_revision"[^>]*value="(\d+)"', page).group(1))
    response = author.post(f"/curation/{entry_id}/edit", data=data)
    assert response.status_code == 409
    assert "author&#39;s unsaved text" in response.get_data(as_text=True)


def test_import_export_round_trip_and_per_file_errors(app, tmp_path, databases, two_curators, publish, create,
                                                      audit_actions):
    author, reviewer = two_curators(app)
    publish(author, reviewer, slug="visitor-check", question="外国人研究者の受入れ時の確認は？",
            alternatives="留学生の受入れで確認すること\n訪問研究者の確認", related="guideline/I-2-4",
            tags="受入れ, 人", answer="## 手順\n\n1. 所属を確認\n2. **窓口**へ\n\n| a | b |\n|---|---|\n| 1 | 2 |",
            question_en="What is checked when hosting a foreign researcher?",
            alternatives_en="Checks for a visiting researcher", answer_en="1. Check the affiliation\n2. Ask **the desk**")
    create(author, slug="draft-one", question="", answer="", question_en="Draft?",
           answer_en="Plain `code` and a [link](https://example.org).")
    first, second = tmp_path / "first", tmp_path / "second"
    runner = app.test_cli_runner()
    assert runner.invoke(args=["faq", "export", str(first)]).exit_code == 0

    from helpdesk import create_app

    other = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": databases.new("other")})
    with other.app_context():
        from flask_migrate import upgrade

        upgrade()
    result = other.test_cli_runner().invoke(args=["faq", "import", str(first)])
    assert result.exit_code == 0, result.output
    assert other.test_cli_runner().invoke(args=["faq", "export", str(second)]).exit_code == 0
    names = sorted(p.name for p in first.iterdir())
    assert names == ["draft-one.md", "visitor-check.md"] == sorted(p.name for p in second.iterdir())
    for name in names:
        assert (first / name).read_text(encoding="utf-8") == (second / name).read_text(encoding="utf-8")
    visitor = (first / "visitor-check.md").read_text(encoding="utf-8")
    assert "status: published" in visitor
    assert "question_en: What is checked when hosting" in visitor
    assert visitor.rstrip().endswith("<!-- en -->\n\n1. Check the affiliation\n2. Ask **the desk**")
    draft = (first / "draft-one.md").read_text(encoding="utf-8")
    assert "lang: en" in draft
    assert "question_en" not in draft
    assert "<!-- en -->" not in draft
    # Importing the same files again changes nothing.
    before = audit_actions(other).count("faq.revised")
    other.test_cli_runner().invoke(args=["faq", "import", str(first)])
    assert audit_actions(other).count("faq.revised") == before

    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "good.md").write_text("---\nid: good-one\nquestion: 良い質問\n---\n良い回答。\n", encoding="utf-8")
    (bad / "yaml.md").write_text("---\nid: [unclosed\n---\nx\n", encoding="utf-8")
    (bad / "related.md").write_text("---\nid: rel\nquestion: q\nrelated: [guideline/none]\n---\na\n", encoding="utf-8")
    (bad / "empty.md").write_text("---\nid: empty\nquestion: q\n---\n", encoding="utf-8")
    (bad / "status.md").write_text("---\nid: st\nquestion: q\nstatus: live\n---\na\n", encoding="utf-8")
    (bad / "z-dup.md").write_text("---\nid: good-one\nquestion: q\n---\na\n", encoding="utf-8")
    (bad / "en-half.md").write_text("---\nid: en-half\nquestion: q\nquestion_en: Q?\n---\na\n", encoding="utf-8")
    (bad / "en-orphan.md").write_text("---\nid: en-orphan\nquestion: q\n---\na\n\n<!-- en -->\n\nb\n",
                                      encoding="utf-8")
    (bad / "en-twice.md").write_text("---\nid: en-twice\nquestion: q\nquestion_en: Q?\n---\na\n<!-- en -->\nb\n"
                                     "<!-- en -->\nc\n", encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["faq", "import", str(bad)])
    assert result.exit_code == 1
    for name, reason in [("yaml.md", "YAML"), ("related.md", "No such passage"), ("empty.md", "answer"),
                         ("status.md", "status"), ("z-dup.md", "also used by good.md"),
                         ("en-half.md", "answer_en: This field is required"), ("en-orphan.md", "needs question_en"),
                         ("en-twice.md", "more than one")]:
        assert re.search(rf"{re.escape(name)}: .*{reason}", result.output), (name, result.output)
    assert "imported 1 entries, 8 files with errors" in result.output
    assert "良い質問" in author.get("/curation/").get_data(as_text=True)


def test_closed_ticket_becomes_a_masked_draft_linked_both_ways(app, make_user, new_user, two_curators, csrf_token, step,
                                                               status_of, routes, audit_actions):
    from helpdesk.accounts.models import User
    from helpdesk.tickets import Ticket, service

    owner_id = make_user(app, "yamada@u-example.ac.jp", name="山田 太郎")
    new_user(app, "desk@example.org", "desk_agent", "desk")
    author, reviewer = two_curators(app)
    question = ("東京大学の山田太郎です。共同研究先の佐藤先生から試料を受け取る際の確認は必要ですか。"
                "連絡先: yamada@u-example.ac.jp / 03-1234-5678")
    with app.app_context():
        owner, desk = db.session.get(User, owner_id), db.session.scalar(db.select(User).filter_by(role="desk_agent"))
        ticket = service.create_ticket(owner, question, dict(routes["desk"], cites=["guideline/I-2-4"]),
                                       lang="ja", consent_lang="ja")
        service.reply(ticket, desk, "山田様、ご質問ありがとうございます。受入れ前に所属機関の窓口で確認してください。担当 鈴木（090-1111-2222）")
        db.session.flush()
        open_ref = ticket.ref
        db.session.commit()
    token = csrf_token(author, "/curation/tickets")
    # An open ticket is not there for curators yet (only closed desk cases are).
    assert author.post(f"/curation/tickets/{open_ref}/draft", data={"csrf_token": token}).status_code == 404
    assert open_ref not in author.get("/curation/tickets").get_data(as_text=True)
    with app.app_context():
        ticket = db.session.scalar(db.select(Ticket).filter_by(ref=open_ref))
        desk = db.session.scalar(db.select(User).filter_by(role="desk_agent"))
        service.change_status(ticket, "answered", desk)
        service.change_status(ticket, "closed", desk)
        db.session.commit()
    assert open_ref in author.get("/curation/tickets").get_data(as_text=True)
    response = author.post(f"/curation/tickets/{open_ref}/draft", data={"csrf_token": token})
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/edit")
    entry_id = int(re.search(r"/curation/(\d+)/edit", response.headers["Location"]).group(1))

    from helpdesk.curation.models import FaqEntry

    with app.app_context():
        entry = db.session.get(FaqEntry, entry_id)
        draft = entry.current.question + "\n" + entry.current.answer
        assert entry.status == "draft"
        assert entry.current.origin == "ticket"
        assert entry.current.related == ["guideline/I-2-4"]
        ticket_id = entry.source_ticket_id
        assert db.session.get(Ticket, ticket_id).ref == open_ref
    for secret in ("山田", "太郎", "yamada@", "03-1234-5678", "090-1111-2222", "佐藤"):
        assert secret not in draft, secret
    assert "[メールアドレス]" in draft
    assert "[電話番号]" in draft
    assert "〇〇先生" in draft
    assert "受入れ前に所属機関の窓口で確認してください" in draft
    # The entry shows its source ticket to staff; the ticket knows its entry; a second draft is refused.
    assert open_ref in author.get(f"/curation/{entry_id}").get_data(as_text=True)
    with app.test_request_context():
        from helpdesk.web.curation import desk_faq_for_ticket

        assert desk_faq_for_ticket(ticket_id).id == entry_id
    assert author.post(f"/curation/tickets/{open_ref}/draft", data={"csrf_token": token}).status_code == 303
    assert audit_actions(app).count("faq.created") == 1
    assert open_ref not in author.get("/curation/tickets").get_data(as_text=True)
    # Readers never see where an entry came from.
    step(author, entry_id, "submit")
    step(reviewer, entry_id, "publish")
    assert status_of(app, entry_id) == "published"
    assert open_ref not in author.get("/docs/faq-desk").get_data(as_text=True)


@pytest.mark.parametrize(("text", "expected"), [
    ("連絡は taro.yamada+faq@example.co.jp まで", "連絡は [メールアドレス] まで"),
    ("電話 (03)1234-5678、携帯 090-1234-5678、+81 3 1234 5678", "電話 [電話番号]、携帯 [電話番号]、[電話番号]"),
    ("2024年4月1日に予算10,000,000円、番号 2024-04-01", "2024年4月1日に予算10,000,000円、番号 2024-04-01"),
    ("佐藤先生と鈴木様、田中氏に伝えました。皆様よろしく。", "〇〇先生と〇〇様、〇〇氏に伝えました。皆様よろしく。"),
    ("Dr. Jane Smith asked", "[氏名] asked"),
])
def test_masking(text, expected):
    from helpdesk.privacy import mask

    assert mask(text) == expected


def test_the_editor_keeps_both_languages_and_says_when_one_is_missing(app, two_curators, create, edit, step,
                                                                      csrf_token):
    author, reviewer = two_curators(app)
    entry_id = create(author, question="受付時間は？", answer="平日の**9時30分**からです。")
    page = author.get(f"/curation/{entry_id}/edit").get_data(as_text=True)
    assert 'id="faq-preview-ja"' in page
    assert 'id="faq-preview-en"' in page
    assert "<strong>9時30分</strong>" in page
    assert "日本語のみ（英語版なし）" in page
    assert "日本語のみ（英語版なし）" in author.get("/curation/").get_data(as_text=True)

    # Half an English version is refused, the error shown on the English field, nothing typed lost.
    half = edit(author, entry_id, question="受付時間は？", answer="平日の**9時30分**からです。",
                question_en="What are the opening hours?")
    assert half.status_code == 400
    text = half.get_data(as_text=True)
    assert 'id="answer_en-errors"' in text
    assert "What are the opening hours?" in text

    assert edit(author, entry_id, question="受付時間は？", answer="平日の**9時30分**からです。",
                question_en="What are the opening hours?", alternatives_en="When is the desk open?",
                answer_en="From **9:30** on weekdays.").status_code == 303
    step(author, entry_id, "submit")
    step(reviewer, entry_id, "publish")
    listed = author.get("/curation/").get_data(as_text=True)
    assert "日本語のみ" not in listed
    assert "日本語 · 英語" in listed
    shown = author.get(f"/curation/{entry_id}?lang=en").get_data(as_text=True)
    assert "From <strong>9:30</strong> on weekdays." in shown
    assert "When is the desk open?" in shown

    from helpdesk.curation.models import FaqEntry
    from helpdesk.curation.search_sync import passage_of

    with app.app_context():
        passage = passage_of(db.session.get(FaqEntry, entry_id))
    assert passage.question == "受付時間は？"
    assert passage.en.question == "What are the opening hours?"
    assert passage.en.answer == "From 9:30 on weekdays."
    assert not passage.en.stale
    assert passage.alternatives == ("What are the opening hours?", "When is the desk open?")

    # Rolling back to the first revision drops the English version again, as it was.
    token = csrf_token(author, f"/curation/{entry_id}")
    assert author.post(f"/curation/{entry_id}/rollback/1", data={"csrf_token": token}).status_code == 303
    with app.app_context():
        current = db.session.get(FaqEntry, entry_id).current
        assert (current.question_en, current.answer_en, current.origin) == (None, None, "rollback")
    assert "日本語のみ" in author.get(f"/curation/{entry_id}/edit?lang=ja").get_data(as_text=True)

"""The bilingual document viewer (/docs/<doc>?lang=en): English beside the Japanese, same anchors, labelled."""
from __future__ import annotations

import re
from dataclasses import replace
from html import unescape
from html.parser import HTMLParser

import pytest

from helpdesk import paths
from helpdesk.corpus import PassageTranslation, load_corpus
from helpdesk.web.docs import english_markers

# The label and note every translation carries (templates/_translation.html; Japanese in the catalogue).
PROVISIONAL_LABEL = {"ja": "仮訳", "en": "Unofficial translation"}
PROVISIONAL_NOTE = {
    "ja": "英語は本窓口による非公式の仮訳です。日本語の原文が正文です。",
    "en": "Provisional English translation by this desk (仮訳, unofficial): the Japanese original is authoritative.",
}

ARTICLE = re.compile(r'<article class="passage" id="([^"]+)"[^>]*>(.*?)</article>', re.S)


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(paths.CORPUS_DIR)


def _articles(html: str) -> dict[str, str]:
    return {unescape(pid): body for pid, body in ARTICLE.findall(html)}


class _ColumnText(HTMLParser):
    """The text and links inside <div class="passage-<lang>">, however deeply its content nests."""

    def __init__(self, lang: str):
        super().__init__()
        self.wanted, self.depth, self.parts, self.links = f"passage-{lang}", 0, [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self.depth:
            self.depth += tag == "div"
            if tag == "a" and "cites" in (attrs.get("class") or ""):
                self.links.append(attrs["href"])
        elif tag == "div" and attrs.get("class") == self.wanted:
            self.depth = 1

    def handle_endtag(self, tag):
        if self.depth and tag == "div":
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.parts.append(data)


def _parsed(article: str, lang: str) -> _ColumnText:
    parser = _ColumnText(lang)
    parser.feed(article)
    assert parser.parts, article[:500]
    return parser


def _column(article: str, lang: str) -> str:
    """The text of one language's column of an article (entities decoded)."""
    return "".join(_parsed(article, lang).parts)


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.mark.parametrize("doc", ["guideline", "faq-aspire", "checklists"])
def test_english_view_has_the_anchors_of_the_japanese_view_in_order(client, corpus, doc):
    japanese = client.get(f"/docs/{doc}?lang=ja").get_data(as_text=True)
    english = client.get(f"/docs/{doc}?lang=en").get_data(as_text=True)
    assert list(_articles(english)) == list(_articles(japanese)) == [p.id for p in corpus.by_doc(doc)]


def test_guideline_in_english_shows_each_passage_in_both_languages(client, corpus):
    html = client.get("/docs/guideline?lang=en").get_data(as_text=True)
    articles = _articles(html)
    translated = [p for p in corpus.by_doc("guideline") if p.en]
    assert translated, "no guideline passage is translated yet"
    for p in corpus.by_doc("guideline"):
        english, japanese = _column(articles[p.id], "en"), _column(articles[p.id], "ja")
        assert _flat(p.text.split("\n")[-1]) in _flat(japanese), p.id  # the original, in full
        if p.en:
            assert _flat(english_markers(p.en.text.split("\n")[-1])) in _flat(english), p.id
            assert PROVISIONAL_LABEL["en"] in english, p.id
        else:
            assert "No English translation of this passage yet" in english, p.id


def test_english_view_is_labelled_provisional_once_in_full_and_on_every_translation(client, corpus):
    html = unescape(client.get("/docs/faq-aspire?lang=en").get_data(as_text=True))
    assert html.count(PROVISIONAL_NOTE["en"]) >= 1 + len(corpus.by_doc("faq-aspire"))  # the note, and each badge's tooltip
    assert html.count(f'<strong class="provisional-badge">{PROVISIONAL_LABEL["en"]}</strong>') == 1 + sum(
        1 for p in corpus.by_doc("faq-aspire") if p.en)


def test_faq_in_english_shows_question_and_answer_beside_the_japanese(client, corpus):
    articles = _articles(client.get("/docs/faq-aspire?lang=en").get_data(as_text=True))
    for p in corpus.by_doc("faq-aspire"):
        english, japanese = _flat(_column(articles[p.id], "en")), _flat(_column(articles[p.id], "ja"))
        assert _flat(p.en.question) in english, p.id
        assert _flat(p.en.answer) in english, p.id
        assert _flat(p.question) in japanese, p.id
        assert _flat(p.answer) in japanese, p.id
        assert p.answer not in english


def test_checklists_in_english_translate_items_and_their_lead_ins_and_cite_the_same_passages(client, corpus):
    articles = _articles(client.get("/docs/checklists?lang=en").get_data(as_text=True))
    for p in corpus.by_doc("checklists"):
        english = _flat(_column(articles[p.id], "en"))
        for item, translated in zip(p.items, p.en.items, strict=False):
            assert _flat(translated) in english, p.id
            assert item["text"] not in english, p.id
        for group in {item.get("group") for item in p.items} - {None}:
            assert _flat(p.en_line(group)) in english, p.id
            assert group not in english, p.id
        # each item cites the same passage in both columns
        assert _parsed(articles[p.id], "en").links == _parsed(articles[p.id], "ja").links, p.id
        assert len(_parsed(articles[p.id], "en").links) == len(p.items), p.id


def test_japanese_view_shows_no_translation(client, corpus):
    html = unescape(client.get("/docs/faq-aspire?lang=ja").get_data(as_text=True))
    assert PROVISIONAL_LABEL["en"] not in html
    assert PROVISIONAL_LABEL["ja"] not in html
    assert corpus.get("faq-aspire/Q1.1").en.answer not in html
    assert 'class="bilingual-columns"' not in html


def test_section_headings_read_in_english_over_the_japanese(client, corpus):
    html = unescape(client.get("/docs/guideline?lang=en").get_data(as_text=True))
    p = corpus.get("guideline/I-2-4")
    assert f'{p.en.heading}<span class="heading-ja" lang="ja">{p.heading}</span>' in html
    assert '<h1>' + corpus.document("guideline")["title_en"] + '</h1>' in html


# ---------------------------------------------------------------- desk FAQ (from the database)


def _published(app, question: str, answer: str, lang: str = "ja") -> str:
    from helpdesk.curation.models import FaqEntry, FaqRevision
    from helpdesk.extensions import db

    with app.app_context():
        entry = FaqEntry(slug=f"entry-{lang}-{len(question)}", status="published")
        db.session.add(entry)
        db.session.flush()
        rev = FaqRevision(entry_id=entry.id, number=1, question=question, answer=answer, lang=lang,
                          alternatives=[], related=["guideline/I-2-4"], tags=[])
        db.session.add(rev)
        db.session.flush()
        entry.current_revision_id = entry.published_revision_id = rev.id
        db.session.commit()
        return f"faq-desk/{entry.slug}"


def test_desk_faq_entry_without_english_says_so_in_the_english_view(app, client):
    pid = _published(app, "窓口の受付時間は？", "平日の **9時から17時** です。")
    article = _articles(client.get("/docs/faq-desk?lang=en").get_data(as_text=True))[pid]
    assert "Published in Japanese only" in article
    assert "<strong>9時から17時</strong>" in article
    assert "Published in Japanese only" not in client.get("/docs/faq-desk?lang=ja").get_data(as_text=True)


def test_desk_faq_entry_written_in_english_reads_as_written(app, client):
    pid = _published(app, "Who answers my question?", "The desk does.", lang="en")
    article = _articles(client.get("/docs/faq-desk?lang=en").get_data(as_text=True))[pid]
    assert "The desk does." in article
    assert "Published in Japanese only" not in article
    assert PROVISIONAL_LABEL["en"] not in article


def test_desk_faq_entry_with_english_shows_it_beside_the_japanese(app, client, monkeypatch):
    from helpdesk.curation import public

    pid = _published(app, "窓口の受付時間は？", "平日の9時から17時です。")
    english = PassageTranslation(heading="", text="Q: When is the desk open?\nA: Weekdays, 9:00 to 17:00.",
                                 source_sha256="", question="When is the desk open?", answer="Weekdays, 9:00 to 17:00.")
    passage_of = public.passage_of
    monkeypatch.setattr(public, "passage_of", lambda entry: replace(passage_of(entry), en=english))
    article = _articles(client.get("/docs/faq-desk?lang=en").get_data(as_text=True))[pid]
    assert "When is the desk open?" in article
    assert "平日の9時から17時です。" in _column(article, "ja")
    assert "Weekdays, 9:00 to 17:00." in _column(article, "en")
    assert PROVISIONAL_LABEL["en"] in article
    assert "When is the desk open?" not in client.get("/docs/faq-desk?lang=ja").get_data(as_text=True)


def test_footnote_and_figure_markers_read_in_english_in_the_english_column(client, corpus):
    articles = _articles(client.get("/docs/guideline?lang=en").get_data(as_text=True))
    noted = next(p for p in corpus.by_doc("guideline") if p.en and "\n注" in p.en.text)
    english = _column(articles[noted.id], "en")
    assert "Note 1:" in english or re.search(r"\bNote \d+:", english)
    assert not re.search(r"^\s*注\d+:", english, re.M)
    assert re.search(r"^注\d+:", _column(articles[noted.id], "ja"), re.M)  # the original keeps its own

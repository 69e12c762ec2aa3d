"""The corpus built from the real raw sources: structure, cleanliness, stability, checklists."""
from __future__ import annotations

import json
import re
import shutil
import unicodedata
from pathlib import Path

import fugashi
import pytest

from helpdesk import paths
from helpdesk.corpus import load_corpus
from helpdesk.corpus.build import build, differences, write

RAW_GUIDELINE = (paths.CORPUS_DIR / "raw" / "guideline.txt").read_text(encoding="utf-8")
RAW_FAQ = (paths.CORPUS_DIR / "raw" / "faq-aspire.txt").read_text(encoding="utf-8")
RAW = {"guideline": RAW_GUIDELINE, "faq-aspire": RAW_FAQ}
DEV_QUESTIONS = Path(__file__).parents[1] / "data" / "dev_questions.jsonl"

JA = r"[\u3040-\u30ff\u3400-\u9fff\uff01-\uff5e、。「」『』（）【】]"
_tagger = fugashi.Tagger()


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(paths.CORPUS_DIR)


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory):
    """Two fresh builds of the same raw files into separate temp corpus folders."""
    roots = []
    for name in ("a", "b"):
        root = tmp_path_factory.mktemp(f"corpus-{name}")
        shutil.copytree(paths.CORPUS_DIR / "raw", root / "raw")
        write(root, build(root))
        roots.append(root)
    return roots


# ---------------------------------------------------------------- detectors


def line_number_artifacts(text: str) -> list[str]:
    """Per-page PDF line numbers left at a line start or glued between Japanese characters."""
    found = [ln for ln in text.split("\n") if re.match(r"^\s*-?\s*\d{1,2}(\s|$)", ln)]
    found += re.findall(rf"{JA}\d{{1,2}} {JA}", text)
    return found


def _raw_line_content(line: str) -> str:
    return re.sub(r"^\s*(?:-\s+)?\d{1,2}[ \t]+", "", line).strip()


def _wrapped_pairs(raw: str) -> set[tuple[str, str]]:
    """(end of a line, start of the next) for every pair of consecutive non-blank raw lines."""
    contents = [_raw_line_content(ln) for ln in raw.splitlines()]
    return {(a, b) for a, b in zip(contents, contents[1:], strict=False) if a and b and "\t" not in a + b}  # not table rows


_PAIRS = {doc: _wrapped_pairs(raw) for doc, raw in RAW.items()}
_STRUCTURAL_START = re.compile(r"^\s*([・✓○※●\-]|[a-z]\.|[①-⑳]|[(（][0-9０-９]|【|<|図:|表:|注\d+:|https?://)")


def broken_lines(text: str, doc: str) -> list[str]:
    """Line breaks kept where the PDF merely wrapped a sentence.

    A break is wrong when (a) the raw file had the two pieces on consecutive lines and the second
    does not open a new list item, note or heading, or (b) the next line starts with what cannot
    start a Japanese phrase (particle, auxiliary, suffix, closing punctuation).
    """
    lines = text.split("\n")
    bad = []
    for prev, nxt in zip(lines, lines[1:], strict=False):
        prev, nxt = prev.strip(), nxt.strip()
        if not prev or not nxt:
            continue
        head = nxt.lstrip("・✓○ ")
        first = next(iter(_tagger(head)), None)
        if head[0] in "、。）」』】ーぁぃぅぇぉっゃゅょ" or (first is not None and first.feature.pos1 in ("助詞", "助動詞", "接尾辞")):
            bad.append(f"{prev[-12:]}⏎{nxt[:12]}")
            continue
        if _STRUCTURAL_START.match(nxt) or _STRUCTURAL_START.match(prev):
            continue
        if any(a.endswith(prev[-8:]) and b.startswith(nxt[:8]) for a, b in _PAIRS[doc]):
            bad.append(f"{prev[-12:]}⏎{nxt[:12]}")
    return bad


def inserted_spaces(text: str, raw: str) -> list[str]:
    """Spaces between two Japanese characters that the raw source does not have there."""
    return [m.group(1) for m in re.finditer(rf"(?=({JA}{{2}}[ \u3000]+{JA}{{2}}))", text) if m.group(1) not in raw]


def test_detectors_catch_the_defects_they_look_for():
    assert line_number_artifacts("研究機関\n12 ジェンス")
    assert line_number_artifacts("デュー・ディリ12 ジェンス")
    assert not line_number_artifacts("過去 2 年以内に、令和3年4月27日")
    # A wrap from the guideline's first page, once kept and once rejoined.
    assert broken_lines("国際的に開かれたオープンで自由な研究環境にお\nいて、多様なパートナーと", "guideline")
    assert not broken_lines("国際的に開かれたオープンで自由な研究環境において、多様なパートナーと", "guideline")
    assert broken_lines("各研究機関は、公費で支援された研究成果を広く公開すること\nで、我が国の", "guideline")
    assert inserted_spaces("研究機関 や研究者", RAW_GUIDELINE)
    assert not inserted_spaces("天谷 雅行 慶應義塾大学", RAW_GUIDELINE)


# ---------------------------------------------------------------- cleanliness


def test_no_passage_keeps_pdf_line_numbers(corpus):
    bad = {p.id: line_number_artifacts(p.text) for p in corpus.passages}
    assert not {k: v for k, v in bad.items() if v}


def test_no_passage_keeps_a_line_break_inside_a_sentence(corpus):
    bad = {p.id: broken_lines(p.text, p.doc) for p in corpus.passages if p.doc in RAW}
    assert not {k: v for k, v in bad.items() if v}


def test_no_space_inserted_between_japanese_characters(corpus):
    # Checklist items are copied from the guideline, so its raw text is their reference.
    bad = {p.id: inserted_spaces(p.text, RAW.get(p.doc, RAW_GUIDELINE)) for p in corpus.passages}
    assert not {k: v for k, v in bad.items() if v}


def test_latin_words_keep_their_spaces(corpus):
    text = "\n".join(p.text for p in corpus.passages)
    for phrase in ("Web of Science", "Google Scholar", "Small yard & High fence", "Cooperation partners"):
        assert phrase in text


def test_spaced_out_acronyms_and_markup_are_repaired(corpus):
    text = "\n".join(p.text for p in corpus.passages)
    assert "（PI）" in text
    assert "CO-PI" in text
    assert "TRL" in text
    for residue in ("P I", "T R L", "**", "<ul", "[※]", "<http"):
        assert residue not in text, residue


def test_footnotes_are_appended_once_to_the_passage_citing_them(corpus):
    guideline = corpus.by_doc("guideline")
    assert not any(re.search("[⁰¹²³⁴⁵⁶⁷⁸⁹]", p.text) for p in corpus.passages)
    for n in range(1, 18):
        holders = [p.id for p in guideline if re.search(rf"(^|\n)注{n}: ", p.text)]
        assert len(holders) == 1, (n, holders)
    # The note sits after the text citing it, never inside a paragraph.
    fn2 = next(p for p in guideline if "\n注2: " in p.text)
    assert "我が国の研究機関や研究者が国際共同研究等を行う際に" in fn2.text
    assert fn2.text.index("国益を保護することにも資するものである。") < fn2.text.index("注2: ")


def test_page_break_inside_a_sentence_is_rejoined(corpus):
    text = "\n".join(p.text for p in corpus.by_doc("guideline"))
    assert "ゼロ・リスクを求めることとはせず、経済安全保障上の観点" in text
    assert "研究者が意図しない形で研究成果が流出することを避けることは重要" in text


def test_figures_keep_only_their_caption(corpus):
    text = "\n".join(p.text for p in corpus.by_doc("guideline"))
    assert "【図" not in text
    assert "【表" not in text
    assert "図: 重要技術の流出防止に係る基本的な枠組み" in text


# ---------------------------------------------------------------- structure


def test_guideline_structure_ids_and_breadcrumbs(corpus):
    ids = {p.id for p in corpus.by_doc("guideline")}
    expected = {"intro", "I-1-1", "I-1-2", "I-2-1", "I-2-2", "I-2-3", "I-2-4", "I-2-5", "I-2-6", "I-3",
                "I-3-1", "I-3-2", "I-3-3", "I-3-4", "II-1-1", "II-1-1-step1", "II-1-1-step2", "II-1-1-step3",
                "II-1-1-step4", "II-1-2", "II-1-3", "II-2", "ref-1", "ref-2", "ref-3", "annex"}
    assert {f"guideline/{i}" for i in expected} <= ids
    p = corpus.get("guideline/I-2-4")
    assert p.title == ("Ⅰ 研究セキュリティの確保に係る取組の基本的な枠組み > "
                       "第2章 研究セキュリティの確保に係る取組の基本的な枠組み > 2-4. リスクマネジメントの範囲")
    assert p.heading == "2-4. リスクマネジメントの範囲"
    assert corpus.get("guideline/II-1-1-step1").title.endswith("1-1. 研究機関によるリスクマネジメントの実施事項 > 手順①：リスク確認")
    annex = corpus.get("guideline/annex").text
    assert annex.count("○ ") == 20
    assert "○ 先端材料科学" in annex


def test_passages_are_retrieval_sized_and_located(corpus):
    raw_lines = {doc: raw.splitlines() for doc, raw in RAW.items()}
    for p in corpus.by_doc("guideline"):
        assert 60 <= len(p.text) <= 1000, (p.id, len(p.text))
        first, last = p.lines
        assert 1 <= first <= last <= len(raw_lines["guideline"])
        # The passage's first words are on the first line it cites.
        opening = _norm(re.sub(r"^(図: |表: |[・✓○ ]+)", "", p.text.split("\n")[0]))[:6]
        assert any(opening in _norm(_raw_line_content(ln)) for ln in raw_lines["guideline"][first - 1:last]), p.id
    sizes = sorted(len(p.text) for p in corpus.by_doc("guideline"))
    assert 200 <= sizes[len(sizes) // 2] <= 700


def test_lists_stay_with_their_lead_in(corpus):
    p = next(p for p in corpus.by_doc("guideline") if "a. 当該競争的研究開発プログラムを" in p.text)
    assert "<特定研究開発プログラムの公募要領に必ず記載すべき事項>" in p.text
    assert all(f"\n{c}. " in p.text for c in "abcdef")


def test_order_is_document_order(corpus):
    for doc in ("guideline", "faq-aspire", "checklists"):
        passages = corpus.by_doc(doc)
        assert [p.order for p in passages] == list(range(1, len(passages) + 1))
    starts = [p.lines[0] for p in corpus.by_doc("guideline")]
    assert starts == sorted(starts)


# ---------------------------------------------------------------- FAQ

FAQ_NUMBERS = (
    [f"Q1.{i}" for i in range(1, 6)] + ["Q2.1", "Q2.2"] + [f"Q3.{i}" for i in range(1, 14)]
    + ["Q4.1", "Q4.2", "Q5.1", "Q6.1", "Q6.2", "Q7.1", "Q7.2", "Q7.3", "Q8.1"]
)


def test_faq_has_exactly_29_pairs_keyed_by_number(corpus):
    faq = corpus.by_doc("faq-aspire")
    assert [p.number for p in faq] == FAQ_NUMBERS
    assert [p.id for p in faq] == [f"faq-aspire/{n}" for n in FAQ_NUMBERS]
    for p in faq:
        assert p.type == "faq"
        assert p.text == f"Q: {p.question}\nA: {p.answer}"
        assert "\n" not in p.question
        assert "\n" not in p.answer
        assert p.question
        assert p.answer


def test_faq_answers_do_not_bleed_into_the_next_question(corpus):
    faq = corpus.by_doc("faq-aspire")
    headings = {c for p in faq for c in p.title.split(" > ")[:-1]}
    for p in faq:
        assert not re.search(r"[QAＱＡ]\s*[0-9０-９]+\s*[.．]", p.answer), p.id
        assert not re.search(r"[QAＱＡ]\s*[0-9０-９]+\s*[.．]", p.question), p.id
        assert not any(h in p.answer or h in p.question for h in headings), p.id
        others = [o.question[:25] for o in faq if o is not p]
        assert not any(q in p.answer for q in others), p.id
    assert corpus.get("faq-aspire/Q1.5").answer.endswith("求められることがあります。）")
    assert corpus.get("faq-aspire/Q8.1").answer.endswith("再提出をお願いします。")
    assert "随時更新" not in corpus.get("faq-aspire/Q8.1").text


def test_faq_breadcrumbs_carry_the_faq_headings(corpus):
    assert corpus.get("faq-aspire/Q1.3").title == "1 総論 > 1.1 研究セキュリティの確保に係る取組みのねらい > Q1.3"
    q34 = corpus.get("faq-aspire/Q3.4").title
    assert q34.startswith("3 対象及び対象者 > 3.4 企業等がCooperation partners として研究体制に加わる場合や研究体制外の協力者に加わる場合")


# ---------------------------------------------------------------- checklists


def test_every_checklist_item_cites_the_passage_it_comes_from(corpus):
    checklists = corpus.by_doc("checklists")
    assert checklists
    for c in checklists:
        assert c.type == "checklist"
        assert c.items
        for item in c.items:
            cited = corpus.get(item["cites"])
            assert cited is not None, item
            assert cited.doc == "guideline", item
            assert _norm(item["text"]) in _norm(cited.text), (c.id, item)
            assert item["text"] in c.text  # the checklist is searchable like the rest


def test_required_checklists_have_the_documented_items(corpus):
    def texts(cid):
        return [i["text"] for i in corpus.get(f"checklists/{cid}").items]

    assert len(texts("institution-pi")) == 7
    assert texts("institution-pi")[0].startswith("学歴")
    assert texts("institution-data")[1] == "当該研究における管理対象データ"
    assert any("秘密保持契約（NDA）" in t for t in texts("institution-other"))
    for cid in ("institution-partner", "institution-supporters", "fa-staff", "fa-data",
                "fa-pi-institution", "fa-review", "fa-mitigation"):
        assert texts(cid), cid
    call = texts("call-requirements")
    assert len(call) == 6
    assert call[0].startswith("当該競争的研究開発プログラムを")
    assert call[-1] == "手順書違反があった場合の応募制限等の措置"
    assert texts("mitigation-measures") == [
        "研修受講", "データ等の情報へのアクセス権限のレベル分け", "建屋・設備へのアクセス権限のレベル分け",
        "取り扱う機微情報のレベルに応じたミーティング等への参加者の考慮", "オフキャンパス等の研究場所の変更",
        "サイバー攻撃への対策の強化", "雇用関係を持つことによるガバナンスの強化（とりわけ、研究参画者が学生の場合）",
    ]
    normal = corpus.get("checklists/institution-normal-times").items
    assert len(normal) == 8
    assert normal[1]["group"] == "【所属研究者の研究活動に関する情報】"
    researcher = texts("researcher")
    assert "データマネジメントプラン（DMP）の作成及び「管理対象データ」の指定" in researcher
    assert researcher[-1] == "研究セキュリティに関する研修の受講セミナーへの参加"


# ---------------------------------------------------------------- ids, stability, gold phrases


def test_ids_are_unique_and_identical_across_builds(corpus, two_builds):
    ids = [p.id for p in corpus.passages]
    assert len(ids) == len(set(ids))
    a, b = (load_corpus(root) for root in two_builds)
    assert [p.id for p in a.passages] == [p.id for p in b.passages] == ids
    for rel in ("documents.json", "passages/guideline.jsonl", "passages/faq-aspire.jsonl", "passages/checklists.jsonl"):
        assert (two_builds[0] / rel).read_bytes() == (two_builds[1] / rel).read_bytes()


def test_committed_corpus_matches_a_fresh_build():
    assert differences(paths.CORPUS_DIR, build(paths.CORPUS_DIR)) == []


def test_every_gold_phrase_survives_in_some_passage(corpus):
    texts = [_norm(p.text) for p in corpus.passages]
    missing = []
    for line in DEV_QUESTIONS.read_text(encoding="utf-8").splitlines():
        question = json.loads(line)
        missing += [(question["id"], g) for g in question["gold_any"] if g and not any(_norm(g) in t for t in texts)]
    assert not missing


def test_documents_metadata(corpus):
    docs = {d["id"]: d for d in corpus.documents}
    assert list(docs) == ["guideline", "faq-aspire", "checklists"]
    assert docs["guideline"]["title"].startswith("研究セキュリティの確保に係る取組のための手順書（原案）")
    assert docs["guideline"]["publisher"] == "内閣府 科学技術・イノベーション推進事務局"
    assert docs["faq-aspire"]["date"] == "2025-05-20"
    assert docs["faq-aspire"]["type"] == "faq"
    for d in docs.values():
        assert set(d) == {"id", "type", "title", "title_en", "publisher", "date", "url", "source"}
    sources = (paths.CORPUS_DIR / "SOURCES.md").read_text(encoding="utf-8")
    assert "000_b1677823e224806b.txt" in sources
    assert "004_af75db6bd8680e24.txt" in sources


def test_passage_url_points_at_the_viewer_anchor(corpus):
    p = corpus.get("guideline/I-2-4")
    assert p.url == "/docs/guideline#guideline/I-2-4"


def test_anticipated_questions_attach_to_their_passages(corpus):
    import yaml

    curated = yaml.safe_load((paths.CORPUS_DIR / "anticipated_questions.yaml").read_text(encoding="utf-8"))
    attached = {p.id: list(p.anticipated_questions) for p in corpus.passages if p.anticipated_questions}
    assert attached == curated
    # Every passage has some; written in Japanese (see the file's header).
    assert set(attached) == {p.id for p in corpus.passages}
    assert all(re.search(JA, q) for qs in attached.values() for q in qs)


@pytest.fixture
def corpus_copy(tmp_path):
    shutil.copy(paths.CORPUS_DIR / "documents.json", tmp_path / "documents.json")
    shutil.copytree(paths.CORPUS_DIR / "passages", tmp_path / "passages")
    return tmp_path


@pytest.mark.parametrize(("content", "message"), [
    ("guideline/no-such-passage:\n- どうすればいいですか？\n", "no passage 'guideline/no-such-passage'"),
    ("guideline/intro: どうすればいいですか？\n", "expected a list of questions"),
    ("guideline/intro:\n- ''\n", "expected a list of questions"),
    ("- just a list\n", "expected a mapping"),
    ("guideline/intro: [unclosed\n", "not valid YAML"),
])
def test_a_bad_anticipated_questions_file_fails_naming_the_problem(corpus_copy, content, message):
    from helpdesk.corpus import ANTICIPATED_FILE, CorpusError

    (corpus_copy / ANTICIPATED_FILE).write_text(content, encoding="utf-8")
    with pytest.raises(CorpusError, match=re.escape(message)):
        load_corpus(corpus_copy)


def test_an_edited_anticipated_questions_file_is_read_again(corpus_copy):
    from helpdesk.corpus import ANTICIPATED_FILE

    assert load_corpus(corpus_copy).get("guideline/intro").anticipated_questions == ()  # the file is optional
    (corpus_copy / ANTICIPATED_FILE).write_text("guideline/intro:\n- そもそも何のための手順書？\n", encoding="utf-8")
    assert load_corpus(corpus_copy).get("guideline/intro").anticipated_questions == ("そもそも何のための手順書？",)

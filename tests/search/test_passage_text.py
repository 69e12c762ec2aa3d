"""What the dense side embeds for a passage: sentence windows at two sizes, each with its topic."""
from helpdesk.corpus import load_corpus
from helpdesk.search.passage_text import WINDOW_SIZES, _windows, lexical_text, segments


def _passages(app):
    with app.app_context():
        return load_corpus(app.config["HELPDESK_CORPUS_DIR"]).passages


def test_each_window_size_covers_the_whole_text_in_sentence_order(app):
    passage = max(_passages(app), key=lambda p: len(p.text))
    squashed = "".join(passage.text.split())
    for size in WINDOW_SIZES:
        windows = _windows(passage.text, size)
        assert "".join("".join(w.split()) for w in windows) == squashed
        # A window over the size is a single sentence that could not be split.
        assert all(len(w) <= size or w.rstrip().count("。") <= 1 for w in windows)


def test_a_long_passage_gets_small_and_large_windows_each_with_its_breadcrumb_then_its_questions(app):
    passage = max(_passages(app), key=lambda p: len(p.text))
    asked = list(passage.anticipated_questions)
    assert asked, "the longest passage has anticipated questions in corpus/anticipated_questions.yaml"
    cut = segments(passage)
    windows = cut[:-len(asked)]
    context = " > ".join(passage.title.split(" > ")[-2:])
    assert all(s.startswith(context + "\n") for s in windows)
    assert cut[-len(asked):] == asked
    assert len(cut) == len(set(cut))
    large, small = (_windows(passage.text, size) for size in sorted(WINDOW_SIZES, reverse=True))
    assert len(large) < len(small) < len(windows)
    assert all(q in lexical_text(passage) for q in asked)  # BM25 reads them too


def test_a_short_faq_entry_is_embedded_once_with_its_question(app):
    faq = next(p for p in _passages(app) if p.type == "faq" and len(p.question + p.answer) < 90)
    windows = segments(faq)[:-1] if faq.anticipated_questions else segments(faq)
    assert len(windows) == 1
    assert faq.question in windows[0]
    assert faq.answer.strip()[:20] in windows[0]


def test_a_faq_entrys_anticipated_questions_are_one_segment_and_not_in_its_bm25_text(app):
    # A FAQ entry already opens with its own question (see the module's docstring for the figures).
    faq = next(p for p in _passages(app) if p.type == "faq" and len(p.anticipated_questions) > 1)
    cut = segments(faq)
    assert cut[-1] == "\n".join(faq.anticipated_questions)
    assert not any(q in s for q in faq.anticipated_questions for s in cut[:-1])
    assert not any(q in lexical_text(faq) for q in faq.anticipated_questions)

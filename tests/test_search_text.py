"""Normalisation and tokenisation for BM25 (real fugashi + unidic-lite)."""
from helpdesk.search.text import japanese_share, normalize, tokenize


def test_normalize_folds_width_case_and_whitespace():
    assert normalize("ＡＳＰＩＲＥ　の\tＦＡ") == "aspire の fa"
    assert normalize("ｱﾝｹｰﾄ") == "アンケート"


def test_tokenize_keeps_content_words_in_base_form_and_drops_function_words():
    terms = tokenize("研究データを持ち出した場合、どうすればよいですか？")
    assert "研究" in terms and "データ" in terms and "持ち出す" in terms
    for function_word in ("を", "た", "、", "？", "です", "か"):
        assert function_word not in terms


def test_tokenize_keeps_ascii_terms_whatever_their_width():
    assert tokenize("ＰＩとFA、ASPIREのDMP") == ["pi", "fa", "aspire", "dmp"]
    assert tokenize("e-Radの情報") == ["rad", "情報"]


def test_full_width_and_half_width_queries_give_the_same_terms():
    assert tokenize("ＪＳＴのアンケート") == tokenize("JSTのｱﾝｹｰﾄ")


def test_japanese_share_tells_scripts_apart():
    assert japanese_share("研究セキュリティとは") == 1.0
    assert japanese_share("What is research security?") == 0.0
    assert 0 < japanese_share("ASPIREのアンケート") < 1
    assert japanese_share("1234 !?") == 0.0

"""Normalisation and tokenisation for BM25 (real fugashi + unidic-lite)."""
from helpdesk.search.text import japanese_share, names_only, normalize, tokenize


def test_normalize_folds_width_case_and_whitespace():
    assert normalize("ＡＳＰＩＲＥ　の\tＦＡ") == "aspire の fa"
    assert normalize("ｱﾝｹｰﾄ") == "アンケート"


def test_tokenize_keeps_content_words_in_base_form_and_drops_function_words():
    terms = tokenize("研究データを持ち出した場合、どうすればよいですか？")
    assert "研究" in terms
    assert "データ" in terms
    assert "持ち出す" in terms
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


def test_tokenize_drops_the_words_questions_are_built_from():
    terms = tokenize("誰がいつ何をどんな方法で決めるのですか？なぜですか？どう使う？")
    for framing in ("誰", "いつ", "何", "どんな", "なぜ", "どう"):
        assert framing not in terms
    assert "方法" in terms
    assert "決める" in terms
    assert "使う" in terms


def test_tokenize_keeps_content_verbs_that_unidic_marks_as_possibly_auxiliary():
    # 終わる / 切れる are 非自立可能 in unidic like する / ある / いる, but they carry the question.
    terms = tokenize("プロジェクトが終わって資金が切れたあと、データをしまっておいてください")
    assert "終わる" in terms
    assert "切れる" in terms
    for light in ("いる", "おく", "しまう", "くださる"):
        assert light not in terms


def test_names_only_keeps_names_and_drops_ordinary_english_words():
    kept = names_only("Can information in e-Rad be used by JST for ASPIRE and DMP work? 研究 as possible")
    assert tokenize(kept) == ["rad", "jst", "aspire", "dmp", "研究"]
    assert tokenize(names_only("I think it is necessary")) == []


def test_tokenize_gives_the_spellings_of_one_word_one_term():
    # The documents write 取組 / 手続 / ねらい; researchers type 取り組み / 手続き / 狙い.
    for official, everyday in (("取組", "取り組み"), ("手続", "手続き"), ("ねらい", "狙い"),
                               ("取組む", "取り組む"), ("コンピュータ", "コンピューター")):
        assert tokenize(official) == tokenize(everyday) != [], (official, everyday)
    # A loanword's term is the word itself, without the English source unidic's lemma carries.
    assert tokenize("セキュリティ") == ["セキュリティー"]


def test_tokenize_still_tells_a_light_verb_from_a_content_verb_of_the_same_lemma():
    assert "見る" not in tokenize("申請してみる")
    assert "見る" in tokenize("データを見る")


def test_tokenize_gives_each_caller_a_list_of_its_own():
    # The terms of a text are remembered (an ask tokenises its question in several places); a caller
    # extending its list must not change what the next caller gets.
    terms = tokenize("研究セキュリティの確保に係る手順書")
    expected = list(terms)
    terms.append("追加")
    assert tokenize("研究セキュリティの確保に係る手順書") == expected

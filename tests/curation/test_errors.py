"""Curation's refusals are helpdesk.errors.HelpdeskError: a code, a status, a message in the reader's language."""
from __future__ import annotations

import pytest

from helpdesk.corpus import load_corpus
from helpdesk.curation.content import ContentError, check_content
from helpdesk.curation.workflow import WorkflowError
from helpdesk.errors import HelpdeskError


def test_invalid_content_names_every_problem_in_english_and_in_japanese(app):
    with app.app_context(), pytest.raises(ContentError) as caught:
        check_content(question=" ", alternatives=[], answer="", related=["guideline/none"], tags=[], lang="ja",
                      corpus=load_corpus())
    error = caught.value
    assert isinstance(error, HelpdeskError)
    assert (error.code, error.status) == ("invalid_content", 400)
    assert str(error) == ("question: This field is required.; answer: This field is required.; "
                          "related: No such passage: guideline/none")
    assert error.errors["related"] == [("curation.error.unknown_passages", {"ids": "guideline/none"})]
    with app.app_context():
        assert error.message("ja").startswith("question: 入力してください。; answer: 入力してください。; related: ")


@pytest.mark.parametrize(("key", "status"), [("curation.error.own_change", 403), ("curation.error.no_revision", 404),
                                             ("curation.error.not_draft", 409), ("curation.error.ticket_open", 409)])
def test_a_refused_workflow_step_keeps_its_key_and_has_the_status_an_api_would_send(app, key, status):
    error = WorkflowError(key)
    assert isinstance(error, HelpdeskError)
    assert (error.key, error.status) == (key, status)
    assert error.code == key.removeprefix("curation.error.")


def test_a_refused_workflow_step_reads_in_both_languages(app):
    error = WorkflowError("curation.error.own_change")
    assert str(error) == "You cannot publish your own change; ask another curator."
    with app.app_context():
        assert error.message("ja") == "自分の変更は公開できません。別の担当者に依頼してください。"

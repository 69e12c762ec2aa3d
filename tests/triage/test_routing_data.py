"""Validation of the staff-editable routing data: mistakes fail loudly with the file and the key."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from helpdesk.corpus import load_corpus
from helpdesk.paths import CORPUS_DIR, ROUTING_DIR
from helpdesk.triage.routing_data import RoutingDataError, load_routing_data


@pytest.fixture(scope="module")
def passage_ids() -> set[str]:
    return {p.id for p in load_corpus(CORPUS_DIR).passages}


@pytest.fixture
def routing_copy(tmp_path) -> Path:
    target = tmp_path / "routing"
    shutil.copytree(ROUTING_DIR, target)
    return target


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_shipped_routing_data_is_valid_and_cites_real_passages(passage_ids):
    data = load_routing_data(ROUTING_DIR, passage_ids)
    for kind in ("desk", "fa", "ministry", "emergency"):
        assert data.kinds[kind].cites, kind
        assert set(data.kinds[kind].cites) <= passage_ids
    assert {e.kind for e in data.examples} == {"desk", "fa", "ministry", "emergency", "out_of_scope"}
    assert any(e.question.isascii() for e in data.examples)
    assert any(not e.question.isascii() for e in data.examples)


def test_a_program_pointing_to_an_unknown_queue_fails_with_file_and_key(routing_copy, passage_ids):
    _replace(routing_copy / "programs.yaml", "  queue: jst\n", "  queue: jts\n")
    with pytest.raises(RoutingDataError, match=r"programs\.yaml: aspire\.queue: 'jts'"):
        load_routing_data(routing_copy, passage_ids)


def test_an_example_label_with_a_bad_queue_fails(routing_copy, passage_ids):
    _replace(routing_copy / "examples.yaml", "ministry:meti:", "ministry:metti:")
    with pytest.raises(RoutingDataError, match=r"examples\.yaml: ministry:metti"):
        load_routing_data(routing_copy, passage_ids)


def test_a_citation_to_a_missing_passage_fails(routing_copy, passage_ids):
    _replace(routing_copy / "rules.yaml", "guideline/I-3-3-3]", "guideline/I-9-9]")
    with pytest.raises(RoutingDataError, match=r"rules\.yaml: kinds\.emergency\.cites: 'guideline/I-9-9'"):
        load_routing_data(routing_copy, passage_ids)


def test_an_invalid_cue_pattern_fails(routing_copy, passage_ids):
    _replace(routing_copy / "rules.yaml", "      - 盗撮\n", "      - 盗撮(\n")
    with pytest.raises(RoutingDataError, match=r"rules\.yaml: cues\.incident\.patterns\[0\]"):
        load_routing_data(routing_copy, passage_ids)


def test_a_queue_with_an_unknown_kind_fails(routing_copy, passage_ids):
    _replace(routing_copy / "queues.yaml", "  kind: emergency\n", "  kind: urgent\n")
    with pytest.raises(RoutingDataError, match=r"queues\.yaml: emergency\.kind: 'urgent'"):
        load_routing_data(routing_copy, passage_ids)

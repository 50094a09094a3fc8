"""Fuzzing: arbitrary text and mangled copies of the real plan never break the pipeline.

The only exception allowed is the project's own InputError, and every row that
comes out points at lines that exist in what went in.
"""

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.errors import InputError
from pipeline.extract.text import read_text_export
from pipeline.normalise import NormaliseConfig, normalise_rows
from pipeline.normalise.officers import read_officer_cell
from pipeline.normalise.organisations import read_organisation_cell
from pipeline.reference import (
    load_rag_ratings,
    load_registry_records,
    load_timescale_words,
    load_vocabulary,
)
from tests.conftest import SHIPPED_PLAN

PLAN_LINES = SHIPPED_PLAN.read_text(encoding="utf-8").split("\n")
CONFIG = NormaliseConfig.from_reference(
    load_registry_records(),
    load_vocabulary(),
    load_timescale_words(),
    80.0,
    load_rag_ratings(),
)
FUZZ = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _read(text: str, labels):
    try:
        return read_text_export(text.encode("utf-8", "surrogatepass"), "fuzz.txt", labels)
    except InputError:
        return None


def _assert_traceable(extraction, line_count: int):
    for locator in [*extraction.rows.source_locator, *extraction.review.source_locator.dropna()]:
        first, last = map(int, re.fullmatch(r"line (\d+)(?:-(\d+))?", locator).groups(default=0))
        assert 1 <= first <= line_count and (last == 0 or first <= last <= line_count), locator


@given(st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=2000))
def test_any_text_gives_rows_or_a_clear_input_error(labels, text):
    extraction = _read(text, labels)
    if extraction is not None:
        _assert_traceable(
            extraction, len(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
        )


@st.composite
def mangled_plan(draw):
    lines = list(PLAN_LINES)
    for _ in range(draw(st.integers(0, 15))):
        n = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["drop", "tab", "swap", "blank", "duplicate"]))
        if action == "drop":
            del lines[n]
        elif action == "tab":
            at = draw(st.integers(0, len(lines[n])))
            lines[n] = lines[n][:at] + "\t" + lines[n][at:]
        elif action == "swap" and "\t" in lines[n]:
            cells = lines[n].split("\t")
            i, j = draw(st.integers(0, len(cells) - 1)), draw(st.integers(0, len(cells) - 1))
            cells[i], cells[j] = cells[j], cells[i]
            lines[n] = "\t".join(cells)
        elif action == "blank":
            lines.insert(n, "")
        elif action == "duplicate":
            lines.insert(n, lines[n])
        if not lines:
            lines.append("")
    return "\n".join(lines)


@FUZZ
@given(mangled_plan())
def test_mangled_copies_of_the_real_plan_still_read_and_normalise(labels, text):
    extraction = _read(text, labels)
    if extraction is None:
        return
    _assert_traceable(extraction, len(text.split("\n")))
    normalised = normalise_rows(extraction.rows, extraction.review, CONFIG)
    assert normalised.actions.action_id.is_unique
    assert set(normalised.actions.source_locator) <= set(extraction.rows.source_locator)


@pytest.mark.parametrize("reader", ["organisation", "officer"])
@given(text=st.text(max_size=300))
def test_organisation_and_officer_cells_never_raise(reader, text):
    if reader == "organisation":
        reading = read_organisation_cell(text, CONFIG.registry, CONFIG.cell_words, 80.0)
        assert len(reading.org_ids) == len(set(reading.org_ids))
        assert set(reading.org_ids) <= set(CONFIG.registry.organisations)
    else:
        reading = read_officer_cell(
            text, CONFIG.registry, CONFIG.cell_words, CONFIG.officer_words, 80.0
        )
        assert len(reading.names) == len(reading.titles)

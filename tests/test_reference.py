"""Reference files checked at start-up: each kind of mistake is one line naming file, entry, reason.

Each case copies pipeline/reference/ and makes one mistake a data person could
make by hand in one file.
"""

import shutil

import pytest

from pipeline.cli import main
from pipeline.errors import InputError
from pipeline.reference import REFERENCE_DIR, load_reference
from tests.conftest import SHIPPED_PLAN


def _append(name: str, text: str):
    def edit(folder):
        path = folder / name
        path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")

    return edit


def _replace(name: str, old: str, new: str):
    def edit(folder):
        path = folder / name
        content = path.read_text(encoding="utf-8")
        assert old in content, f"{old!r} is not in {name}: the test no longer makes its mistake"
        path.write_text(content.replace(old, new, 1), encoding="utf-8")

    return edit


MISTAKES = {
    "invalid YAML": (
        _append("columns.yaml", "summary: [Summary\n"),
        # the flow sequence is never closed: the file ends on the line after the one appended
        f"columns.yaml, line {len((REFERENCE_DIR / 'columns.yaml').read_text().splitlines()) + 2}:",
        "is not valid YAML",
    ),
    "a field the pipeline does not know": (
        _append("columns.yaml", "rag_rating:\n  - RAG\n"),
        "columns.yaml",
        "field rag_rating: not a field the pipeline knows",
    ),
    "a header label under two fields": (
        _append("columns.yaml", "  - Lead Officer\n"),  # appended under the last field
        "columns.yaml",
        "label 'Lead Officer': names both lead_officer_raw and priority",
    ),
    "a RAG spelling meaning two ratings": (
        _append("rag_ratings.yaml", "  - Amber\n"),  # appended under blue
        "rag_ratings.yaml",
        "spelling 'Amber': means both amber and blue",
    ),
    "a RAG rating without spellings": (
        _append("rag_ratings.yaml", "purple:\n"),
        "rag_ratings.yaml",
        "rating purple: needs a list of spellings",
    ),
    "an alias naming two organisations": (
        _replace("organisations.yaml", "aliases: [KMBC,", "aliases: [Merseyside Police, KMBC,"),
        "organisations.yaml",
        "alias 'Merseyside Police' names both",
    ),
    "an unknown organisation type": (
        _replace("organisations.yaml", "type: council\n", "type: councill\n"),
        "organisations.yaml",
        "unknown type 'councill'",
    ),
    "a registry entry without a name": (
        _append("organisations.yaml", "- id: new-body\n  type: council\n"),
        "organisations.yaml, entry",
        "needs name",
    ),
    "a registry that is not a list": (
        lambda folder: (folder / "organisations.yaml").write_text("kmbc: Knowsley\n"),
        "organisations.yaml",
        "should hold a list of entries",
    ),
    "a vocabulary list removed": (
        _replace("vocabulary.yaml", "officer_titles:", "officer_titles_old:"),
        "vocabulary.yaml, list officer_titles",
        "needs a list of words",
    ),
    "a timescale word in two lists": (
        _replace("timescale_words.yaml", "  - onwards\n", "  - onwards\n  - until\n"),
        "timescale_words.yaml",
        "'until' is in both",
    ),
    "an unknown timescale word list": (
        _append("timescale_words.yaml", "maybe:\n  - perhaps\n"),
        "timescale_words.yaml",
        "unknown list 'maybe'",
    ),
    "a decision that is a plain string": (
        lambda folder: (folder / "decisions.yaml").write_text("- accept Merpel as Merpol\n"),
        "decisions.yaml, entry 1",
        "is not a mapping",
    ),
    "a colon inside a hand-written why": (
        lambda folder: (folder / "decisions.yaml").write_text(
            "- kind: alias\n  spelling: Merpel\n  org_id: merseyside-police\n"
            "  by: A. Analyst\n  why: typo: for Merpol\n"
        ),
        "decisions.yaml, line 5",
        "is not valid YAML (mapping values are not allowed",  # "here" or "in this context"
    ),
    "a decision naming an unknown organisation": (
        lambda folder: (folder / "decisions.yaml").write_text(
            "- kind: alias\n  spelling: Merpel\n  org_id: merpol\n  by: A. Analyst\n  why: typo\n"
        ),
        "decisions.yaml",
        "merpol not in the registry",
    ),
    "a file saved in Windows-1252, not UTF-8": (
        # what a Windows editor saving "ANSI" makes of an accent or a curly apostrophe
        lambda folder: (folder / "organisations.yaml").write_bytes(
            (folder / "organisations.yaml").read_bytes()
            + "# St Helens\u2019 caf\u00e9\n".encode("cp1252")
        ),
        f"organisations.yaml, line {len((REFERENCE_DIR / 'organisations.yaml').read_text().splitlines()) + 1}:",
        "is not UTF-8 text (byte 0x92): save it as UTF-8",
    ),
    "a file missing": (
        lambda folder: (folder / "vocabulary.yaml").unlink(),
        "vocabulary.yaml",
        "cannot be read (No such file or directory)",
    ),
}


@pytest.fixture
def reference_copy(tmp_path):
    folder = tmp_path / "reference"
    shutil.copytree(REFERENCE_DIR, folder, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return folder


def test_the_shipped_reference_files_load():
    reference = load_reference()
    assert reference.labels.read("Timescale") == ("timescale_raw", False)
    assert reference.normalise.rag_ratings["amber"] == "amber"
    assert "merseyside-police" in reference.normalise.registry.organisations


@pytest.mark.parametrize("mistake", sorted(MISTAKES))
def test_each_mistake_is_one_line_naming_the_file_the_entry_and_the_reason(reference_copy, mistake):
    edit, place, reason = MISTAKES[mistake]
    edit(reference_copy)
    with pytest.raises(InputError) as raised:
        load_reference(reference_copy)
    message = str(raised.value)
    assert "\n" not in message
    assert place in message and reason in message, message


def test_a_file_saved_with_a_byte_order_mark_reads_as_without(reference_copy):
    # Windows Notepad saves UTF-8 with a byte-order mark, which the YAML reader skips
    for path in reference_copy.glob("*.yaml"):
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    marked, shipped = load_reference(reference_copy), load_reference()
    assert marked.labels.fields == shipped.labels.fields
    assert marked.normalise.registry.organisations == shipped.normalise.registry.organisations
    assert marked.normalise.timescale_words == shipped.normalise.timescale_words
    assert marked.normalise.rag_ratings == shipped.normalise.rag_ratings


def test_a_broken_reference_file_stops_the_run_before_any_stage(reference_copy, tmp_path, capsys):
    MISTAKES["an alias naming two organisations"][0](reference_copy)
    out = tmp_path / "processed"
    code = main(["run", str(SHIPPED_PLAN), "--out", str(out), "--reference", str(reference_copy)])
    captured = capsys.readouterr()
    assert code == 2
    assert "extract ..." not in captured.out
    (line,) = captured.err.strip().splitlines()
    assert line.startswith("error: ") and "organisations.yaml" in line
    assert not out.exists()

"""Reference data: reviewed files a data person edits, loaded and checked here.

``load_reference`` reads every file at start-up, before any stage runs, so a
mistake in one (invalid YAML, an alias naming two organisations, a word in two
timescale lists, a decision naming an unknown organisation) stops the run with
one line naming the file, the entry and the reason, never a traceback after
extraction.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from pipeline.errors import InputError

if TYPE_CHECKING:
    from pipeline.extract.layout import HeaderLabels
    from pipeline.normalise import NormaliseConfig

REFERENCE_DIR = Path(__file__).parent
VOCABULARY_LISTS = (
    "partnership_words",
    "unnamed_participants",
    "qualifiers",
    "officer_titles",
    "officer_honours",
    "officer_roles",
    "name_particles",
    "organisation_types",
)


@dataclass(frozen=True)
class Reference:
    """Every reference file, checked: what extract and normalise read besides the plan."""

    labels: HeaderLabels  # the header vocabulary, for the readers
    normalise: NormaliseConfig


def load_reference(
    folder: Path = REFERENCE_DIR, decisions: Path | None = None, similarity_threshold: float = 80.0
) -> Reference:
    """Read and check every reference file in ``folder`` (decisions from ``decisions``).

    Raises InputError naming the file, the entry and the reason for the first mistake.
    """
    from pipeline.extract.layout import label_index
    from pipeline.normalise import NormaliseConfig
    from pipeline.normalise.decisions import DecisionError
    from pipeline.normalise.rag import RatingsError
    from pipeline.normalise.timescales import TimescaleWordsError

    decisions = decisions or folder / "decisions.yaml"
    columns_file = folder / "columns.yaml"
    try:
        labels = label_index(load_column_labels(columns_file))
    except ValueError as error:
        raise InputError(str(columns_file), str(error)) from None
    vocabulary = load_vocabulary(folder / "vocabulary.yaml")
    registry_file = folder / "organisations.yaml"
    records = load_registry_records(registry_file)
    words_file = folder / "timescale_words.yaml"
    words = load_timescale_words(words_file)
    decision_records = load_decisions(decisions)
    ratings_file = folder / "rag_ratings.yaml"
    ratings = load_rag_ratings(ratings_file)
    try:
        config = NormaliseConfig.from_reference(
            records, vocabulary, words, similarity_threshold, ratings, decision_records
        )
    except DecisionError as error:
        raise InputError(str(decisions), str(error)) from None
    except TimescaleWordsError as error:
        raise InputError(str(words_file), str(error)) from None
    except RatingsError as error:
        raise InputError(str(ratings_file), str(error)) from None
    except ValueError as error:  # the registry's own checks
        raise InputError(str(registry_file), str(error).removeprefix("registry: ")) from None
    return Reference(labels, config)


def load_column_labels(path: Path = REFERENCE_DIR / "columns.yaml") -> dict[str, list[str]]:
    """Header label spellings by field, as written in columns.yaml."""
    labels = read_yaml(path, dict)
    for field, spellings in labels.items():
        if not isinstance(spellings, list) or not spellings:
            raise InputError(str(path), "needs a list of header labels", f"field {field}")
    return {field: [str(label) for label in spellings] for field, spellings in labels.items()}


def load_registry_records(path: Path = REFERENCE_DIR / "organisations.yaml") -> list[dict]:
    """The organisation registry's entries as written, each with an id, a name and a type."""
    records = read_yaml(path, list)
    for number, record in enumerate(records, 1):
        if not isinstance(record, dict):
            raise InputError(str(path), "is not a mapping (id, name, type, ...)", f"entry {number}")
        missing = [key for key in ("id", "name", "type") if not record.get(key)]
        if missing:
            name = record.get("id") or record.get("name") or ""
            raise InputError(
                str(path), f"needs {', '.join(missing)}", f"entry {number} {name}".rstrip()
            )
    return records


def load_vocabulary(path: Path = REFERENCE_DIR / "vocabulary.yaml") -> dict[str, list[str]]:
    """Word lists of the organisation and officer cells, by list name."""
    vocabulary = read_yaml(path, dict)
    for name in VOCABULARY_LISTS:
        if not isinstance(vocabulary.get(name), list) or not vocabulary[name]:
            raise InputError(str(path), "needs a list of words", f"list {name}")
    return vocabulary


def load_timescale_words(
    path: Path = REFERENCE_DIR / "timescale_words.yaml",
) -> dict[str, list[str]]:
    """Word lists that decide how a timescale is read (checked by TimescaleWords)."""
    return read_yaml(path, dict)


def load_rag_ratings(path: Path = REFERENCE_DIR / "rag_ratings.yaml") -> dict[str, list[str]]:
    """RAG ratings and their spellings (checked by rating_index)."""
    return read_yaml(path, dict)


def load_decisions(path: Path = REFERENCE_DIR / "decisions.yaml") -> list[dict]:
    """Decisions made on the review list, as written (see decisions.yaml)."""
    records = read_yaml(path, list, empty=[])
    for number, record in enumerate(records, 1):
        if not isinstance(record, dict):
            raise InputError(
                str(path),
                "is not a mapping (kind, by, why, ...): see the examples at the top",
                f"entry {number}",
            )
    return records


# PyYAML's C loader when libyaml is there (its wheels have it): the same safe subset,
# a tenth of the time of the pure-Python one, which was a tenth of a run's own work
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(path: Path, shape: type, empty=None):
    """A YAML file of the given top-level shape; any problem is one InputError line."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise InputError(str(path), f"cannot be read ({error.strerror})") from None
    except UnicodeDecodeError as error:  # e.g. saved as "ANSI" by a Windows editor
        line = error.object[: error.start].count(b"\n") + 1
        byte = f"0x{error.object[error.start]:02x}"
        raise InputError(
            str(path), f"is not UTF-8 text (byte {byte}): save it as UTF-8", f"line {line}"
        ) from None
    try:
        data = yaml.load(text, Loader=_SAFE_LOADER)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else ""
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        raise InputError(str(path), f"is not valid YAML ({problem})", where) from None
    if data is None and empty is not None:
        return empty
    if not isinstance(data, shape):
        expected = "a list of entries" if shape is list else "a mapping of names to lists"
        raise InputError(str(path), f"should hold {expected}")
    return data

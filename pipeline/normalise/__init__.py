"""Normalise: extracted rows into the actions table and its companions."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from pipeline.normalise.actions import assign_action_ids, rows_to_actions
from pipeline.normalise.decisions import Decision, apply_to_actions, parse_decisions, with_aliases
from pipeline.normalise.officers import OfficerWords, resolve_officers
from pipeline.normalise.organisations import (
    CellWords,
    action_organisation_links,
    organisations_used,
    resolve_organisations,
    with_organisations,
)
from pipeline.normalise.rag import rating_index, read_rag_ratings
from pipeline.normalise.registry import Registry
from pipeline.normalise.text import cell_to_text
from pipeline.normalise.timescales import (
    TimescaleWords,
    milestones_table,
    read_timescales,
    timescale_cells,
    timescale_doubt,
    with_timescales,
)
from pipeline.review import combine_review, doubts_to_review
from pipeline.schema import ACTIONS, MILESTONES, assign_objects


@dataclass(frozen=True)
class NormaliseConfig:
    """Everything normalisation reads besides the rows: reference data and thresholds."""

    registry: Registry
    cell_words: CellWords
    officer_words: OfficerWords
    timescale_words: TimescaleWords
    similarity_threshold: float
    rag_ratings: dict[str, str]  # spelling key -> rating
    decisions: tuple[Decision, ...] = ()

    @classmethod
    def from_reference(
        cls,
        registry_records: list[dict],
        vocabulary: dict[str, list[str]],
        timescale_words: dict[str, list[str]],
        similarity_threshold: float,
        rag_ratings: dict[str, list[str]],
        decision_records: list[dict] = (),
    ) -> NormaliseConfig:
        """Raises DecisionError for a decision that names no registry organisation,
        RatingsError for a RAG spelling that means two ratings."""
        decisions = parse_decisions(list(decision_records), {r["id"] for r in registry_records})
        return cls(
            registry=Registry(
                with_aliases(registry_records, decisions), vocabulary["organisation_types"]
            ),
            cell_words=CellWords.from_vocabulary(vocabulary),
            officer_words=OfficerWords.from_vocabulary(vocabulary),
            timescale_words=TimescaleWords(timescale_words),
            similarity_threshold=similarity_threshold,
            rag_ratings=rating_index(rag_ratings),
            decisions=tuple(decisions),
        )


@dataclass
class Normalised:
    actions: pd.DataFrame
    milestones: pd.DataFrame
    organisations: pd.DataFrame
    action_organisations: pd.DataFrame
    review: pd.DataFrame
    overrides: list[dict] = field(default_factory=list)  # decisions.yaml, and what became of each


def normalise_rows(rows: pd.DataFrame, review: pd.DataFrame, config: NormaliseConfig) -> Normalised:
    """The four published tables from extracted rows.

    ``review`` (the extract stage's) is carried on and added to: every
    organisation resolved by similarity or not at all, every action naming no
    organisation, every timescale read with low or no confidence.
    """
    actions = rows_to_actions(rows)
    actions, organisation_readings = resolve_organisations(
        actions, config.registry, config.cell_words, config.similarity_threshold
    )
    actions, identity_review = assign_action_ids(actions)
    actions, officer_readings = resolve_officers(
        actions,
        config.registry,
        config.cell_words,
        config.officer_words,
        config.similarity_threshold,
    )
    timescale_read_from = timescale_cells(actions, config.timescale_words)
    actions, timescale_readings = read_timescales(
        actions, timescale_read_from, config.timescale_words
    )
    overrides, decided = [], [[] for _ in range(len(actions))]
    if config.decisions:
        applied = apply_to_actions(
            list(actions["action_id"]),
            list(actions["organisation_raw"]),
            list(actions["lead_officer_raw"]),
            organisation_readings,
            timescale_readings,
            list(config.decisions),
            config.timescale_words,
        )
        organisation_readings, timescale_readings = applied.organisations, applied.timescales
        overrides, decided = applied.outcomes, applied.decided
        actions = with_timescales(
            with_organisations(actions, organisation_readings), timescale_readings
        )
    actions = assign_objects(actions, decided=decided)
    actions, rag_doubts = read_rag_ratings(actions, config.rag_ratings)

    links = action_organisation_links(
        actions, organisation_readings, [reading.organisations for reading in officer_readings]
    )
    doubts = [
        [
            *organisation.doubts,
            *officer.doubts,
            *filter(None, [timescale_doubt(*cell, timescale), rag]),
        ]
        for organisation, officer, timescale, cell, rag in zip(
            organisation_readings,
            officer_readings,
            timescale_readings,
            timescale_read_from,
            rag_doubts,
            strict=True,
        )
    ]
    review = combine_review(review, identity_review, doubts_to_review(actions, doubts))
    return Normalised(
        actions=ACTIONS.missing_as_null(actions),
        milestones=MILESTONES.missing_as_null(milestones_table(actions, timescale_readings)),
        organisations=organisations_used(config.registry, links),
        action_organisations=links,
        # a quarantined row's raw cells: plain text, never markup, in every output
        review=assign_objects(review, value=review["value"].map(cell_to_text)),
        overrides=overrides,
    )

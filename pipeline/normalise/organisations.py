"""The Partnership/Organisation cell into delivery mode and canonical organisations.

The cell is a small language of its own: ``KMBC - C&N`` (a council directorate),
``Partnership - Community Safety Partnership`` (a partnership body),
``Partnership - KMBC - C&N, Children's with One Knowsley, Merseyside Youth
Association`` (a lead and its partners), ``LCRCA led Joint Venture``,
``Partnership - KMBC/ all``. Registry names are found wherever they stand; what
is left between them is either a known non-name (separators, "all",
"other partners", "(new)") or a name the registry lacks, which is matched by
similarity and sent to review either way.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import regex

from pipeline.normalise.registry import NameMatch, Registry, fold_name, resembles
from pipeline.review import Doubt
from pipeline.schema import ACTION_ORGANISATIONS, ORGANISATIONS, assign_objects

PARTNERSHIP_BODY = "partnership board or group"

# A slash between two lone letters ("N/A") is part of the word, not a separator.
_SEPARATORS = regex.compile(
    r"[,;&+()\[\].:]+|(?<!\b\p{L})/|/(?!\p{L}\b)|\s+\p{Pd}+\s*|\p{Pd}+\s+|^\s*\p{Pd}+"
    r"|\b(?:and|with|plus)\b",
    regex.IGNORECASE,
)


@dataclass(frozen=True)
class CellWords:
    """The vocabulary file's lists, folded for comparison."""

    partnership: tuple[str, ...]
    ignorable: tuple[str, ...]  # unnamed participants and qualifiers, longest first
    qualifiers: tuple[str, ...]  # "lead", "interim": of a name, not one; longest first

    @classmethod
    def from_vocabulary(cls, vocabulary: dict[str, list[str]]) -> CellWords:
        ignorable = [*vocabulary["unnamed_participants"], *vocabulary["qualifiers"]]
        ignorable += vocabulary["partnership_words"]
        return cls(
            partnership=tuple(fold_name(word) for word in vocabulary["partnership_words"]),
            ignorable=_longest_first(ignorable),
            qualifiers=_longest_first(vocabulary["qualifiers"]),
        )


def _longest_first(words: list[str]) -> tuple[str, ...]:
    return tuple(sorted({fold_name(w) for w in words}, key=len, reverse=True))


@dataclass(frozen=True)
class Mention:
    """One organisation as a cell names it."""

    org_id: str
    spelling: str
    match: str  # exact, normalised or similarity
    start: int


@dataclass(frozen=True)
class OrganisationReading:
    delivery_mode: str | None
    mentions: tuple[Mention, ...]  # in the cell's order, lead first, no repeats
    doubts: tuple[Doubt, ...]

    @property
    def org_ids(self) -> list[str]:
        return [mention.org_id for mention in self.mentions]


def find_organisations(
    text: str, registry: Registry, words: CellWords, threshold: float, field: str
) -> tuple[list[Mention], list[Doubt]]:
    """Organisations named in text, in order, and the doubts met on the way.

    A council named just before one of its directorates ("KMBC - C&N") is the
    directorate. A registry name that runs into words no alias covers, with no
    separator between ("NHS England", "LCR Growth Hub"), is part of a longer
    name, not that organisation: the whole run is the fragment ("Livv Housing" is
    like "LIVV Housing Group"). A fragment no alias covers is matched by
    similarity: when it scores at or above ``threshold`` and each of its words is
    like a word of that name ("Merpel", not "Merseyside Fire" for "Merseyside
    Police"), it is used and reported; otherwise it is reported with its three
    nearest registry names and left out.
    """
    matches = _fold_directorates(registry.find_names(text), text, registry)
    fragments, matches = _runs(text, matches, words)
    mentions = [Mention(m.org_id, m.spelling, m.method, m.start) for m in matches]
    doubts: list[Doubt] = []
    for fragment, start, inside in fragments:
        nearest = registry.nearest(fragment)
        best = next((c for c in nearest if resembles(fragment, c, threshold)), None)
        if best:
            mentions.append(Mention(best.org_id, fragment, "similarity", start))
            doubts.append(
                Doubt(
                    field,
                    fragment,
                    "organisation_similarity",
                    f"read as {best.org_id} ('{best.alias}', similarity {best.score:.0f})",
                )
            )
        else:
            names = ", ".join(f"{c.org_id} ('{c.alias}', {c.score:.0f})" for c in nearest)
            within = "".join(
                f"'{m.spelling}' ({m.org_id}) runs into other words, a longer name? "
                for m in inside
            )
            doubts.append(
                Doubt(field, fragment, "organisation_unresolved", f"{within}nearest: {names}")
            )
    mentions.sort(key=lambda mention: mention.start)
    unique = {mention.org_id: mention for mention in reversed(mentions)}
    return [m for m in mentions if unique[m.org_id] is m], doubts


def _runs(
    text: str, matches: list[NameMatch], words: CellWords
) -> tuple[list[tuple[str, int, list[NameMatch]]], list[NameMatch]]:
    """The fragments no alias covers, each with the registry names it runs into, and
    the names that stand alone.

    A fragment of only unnamed participants and qualifiers ("all", "led") is no
    name and touches nothing. A name and a fragment touch when only spaces stand
    between them.
    """
    pieces = [
        (start, start + len(fragment), None)
        for fragment, start in _leftovers(text, matches)
        if strip_words(fold_name(fragment), words.ignorable)
    ]
    segments = sorted([*pieces, *((m.start, m.end, m) for m in matches)], key=lambda s: s[0])
    runs: list[list[tuple[int, int, NameMatch | None]]] = []
    for segment in segments:
        previous = runs[-1][-1] if runs else None
        touching = previous and not text[previous[1] : segment[0]].strip()
        if touching and None in (previous[2], segment[2]):
            runs[-1].append(segment)
        else:
            runs.append([segment])
    fragments, alone = [], []
    for run in runs:
        named = [match for _, _, match in run if match]
        if len(named) == len(run):
            alone += named
        else:
            fragments.append((text[run[0][0] : run[-1][1]], run[0][0], named))
    return fragments, alone


def read_organisation_cell(
    cell: str | None, registry: Registry, words: CellWords, threshold: float
) -> OrganisationReading:
    """Delivery mode and organisations of one Partnership/Organisation cell."""
    if not cell or not cell.strip():
        empty = Doubt("organisation_raw", "", "no_organisation", "the organisation cell is empty")
        return OrganisationReading(None, (), (empty,))
    mentions, doubts = find_organisations(cell, registry, words, threshold, "organisation_raw")
    says_partnership = any(_contains(fold_name(cell), word) for word in words.partnership)
    names_partnership = any(
        registry.organisations[m.org_id].type == PARTNERSHIP_BODY for m in mentions
    )
    mode = "partnership" if says_partnership or names_partnership else "single"
    if not mentions:
        doubts.append(
            Doubt(
                "organisation_raw",
                cell,
                "no_organisation",
                "the cell names no organisation the registry knows",
            )
        )
    return OrganisationReading(mode, tuple(mentions), tuple(doubts))


def _fold_directorates(matches: list[NameMatch], text: str, registry: Registry) -> list[NameMatch]:
    """A council and one of its directorates just after it, with only a dash, a colon or
    an opening bracket between ("KMBC - C&N", "KMBC: C&N", "KMBC (C&N)"), are the
    directorate; so is a directorate with its council in brackets after it ("Public
    Health (KMBC)")."""
    folded: list[NameMatch] = []
    for match in matches:
        previous = folded[-1] if folded else None
        between = text[previous.end : match.start] if previous else ""
        parent_of = previous and registry.organisations[match.org_id].parent == previous.org_id
        child_of = previous and registry.organisations[previous.org_id].parent == match.org_id
        if (parent_of and not regex.sub(r"[\s\p{Pd}(:]", "", between)) or (
            child_of and regex.fullmatch(r"\s*\(\s*", between)
        ):
            method = "exact" if previous.method == match.method == "exact" else "normalised"
            end = match.end
            if "(" in between:
                closing = regex.match(r"\s*\)", text[end:])
                end += closing.end() if closing else 0
            org_id = match.org_id if parent_of else previous.org_id
            folded[-1] = NameMatch(org_id, previous.start, end, text[previous.start : end], method)
        else:
            folded.append(match)
    return folded


def _leftovers(text: str, matches: list[NameMatch]) -> list[tuple[str, int]]:
    """Fragments of text outside any match, split at separators, with their offsets."""
    pieces, cursor = [], 0
    for match in [*matches, None]:
        end = match.start if match else len(text)
        piece_start = cursor
        for fragment in _SEPARATORS.split(text[cursor:end]):
            stripped = fragment.strip()
            if stripped:
                pieces.append((stripped, piece_start + text[piece_start:end].find(stripped)))
        cursor = match.end if match else end
    return pieces


def _contains(folded: str, phrase: str) -> bool:
    return f" {phrase} " in f" {folded} "


def strip_words(folded: str, phrases: tuple[str, ...]) -> str:
    padded = f" {folded} "
    for phrase in phrases:
        padded = padded.replace(f" {phrase} ", " ")
    return padded.strip()


def resolve_organisations(
    actions: pd.DataFrame, registry: Registry, words: CellWords, threshold: float
) -> tuple[pd.DataFrame, list[OrganisationReading]]:
    """Fill ``delivery_mode``, ``lead_org_id`` and ``org_ids`` from ``organisation_raw``.

    Rows are never dropped: a cell that names no known organisation keeps
    empty organisation columns, and its doubts ride on the readings returned.
    """
    distinct = {
        cell: read_organisation_cell(cell, registry, words, threshold)
        for cell in set(actions["organisation_raw"])
    }  # a plan repeats its organisation cells: each is read once
    readings = [distinct[cell] for cell in actions["organisation_raw"]]
    return with_organisations(actions, readings), readings


def with_organisations(actions: pd.DataFrame, readings: list[OrganisationReading]) -> pd.DataFrame:
    """The actions with their organisation columns taken from ``readings``."""
    return assign_objects(
        actions,
        delivery_mode=[reading.delivery_mode for reading in readings],
        lead_org_id=[reading.org_ids[0] if reading.org_ids else None for reading in readings],
        org_ids=[reading.org_ids for reading in readings],
    )


def action_organisation_links(
    actions: pd.DataFrame,
    organisation_readings: list[OrganisationReading],
    officer_mentions: list[tuple[Mention, ...]],
) -> pd.DataFrame:
    """ACTION_ORGANISATIONS: the lead, the partners and the officers' organisations of each action."""
    links = []
    for action, reading, officer_orgs in zip(
        actions.itertuples(index=False), organisation_readings, officer_mentions, strict=True
    ):
        roles = [("lead" if n == 0 else "partner", m) for n, m in enumerate(reading.mentions)]
        roles += [("officer_org", m) for m in officer_orgs]
        links += [
            {
                "action_id": action.action_id,
                "org_id": mention.org_id,
                "role": role,
                "spelling": mention.spelling,
                "match": mention.match,
                "source_file": action.source_file,
                "source_locator": action.source_locator,
            }
            for role, mention in roles
        ]
    return ACTION_ORGANISATIONS.frame(links)


def organisations_used(registry: Registry, links: pd.DataFrame) -> pd.DataFrame:
    """ORGANISATIONS: every organisation the links name, with its parents, in registry order.

    ``aliases`` are the spellings seen; ``action_count`` counts the actions that
    name an organisation itself (a directorate's actions do not count for its council).
    """
    used = set(links["org_id"])
    for org_id in list(used):
        parent = registry.organisations[org_id].parent
        while parent:
            used.add(parent)
            parent = registry.organisations[parent].parent
    spellings = links.groupby("org_id")["spelling"].agg(lambda s: sorted(set(s)))
    counts = links.groupby("org_id")["action_id"].nunique()
    return ORGANISATIONS.frame(
        [
            {
                "org_id": org.id,
                "name": org.name,
                "short_name": org.short_name,
                "type": org.type,
                "parent_org_id": org.parent,
                "aliases": spellings.get(org.id, []),
                "action_count": int(counts.get(org.id, 0)),
            }
            for org in registry.organisations.values()
            if org.id in used
        ]
    )

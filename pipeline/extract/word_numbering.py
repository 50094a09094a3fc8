"""The numbers Word draws before numbered paragraphs: "Priority 1:" before a heading
whose style is numbered so, "2." in a Ref column numbered as a list, "1.3" in a
multi-level list. They are list numbering, not text in the paragraph, so python-docx
gives the paragraph without them; a person reads them as part of the line (and a PDF
printed from the document has them as text).

Word's rules, as far as plans use them: a paragraph is numbered by its own
``w:numPr`` or its style's (a style based on another inherits it; numId 0 turns it
off); each list instance (``w:num``) counts on its abstract list's counters, so two
instances of one list go on counting unless one restarts a level
(``w:startOverride``); a level counts on from its last number and restarts the
levels below it; ``w:lvlText`` writes the counters of the levels it names ("%1.%2")
in each level's format. Bullets and a format of none draw no number: a cell's list
items are its lines, as everywhere in the readers.
"""

from __future__ import annotations

from dataclasses import dataclass

from docx.oxml.ns import qn

_W = qn("w:val")


@dataclass(frozen=True)
class _Level:
    start: int
    number_format: str
    text: str
    suffix: str  # between the number and the paragraph's text


def list_numbers(document, paragraphs) -> dict:
    """Each numbered paragraph of ``paragraphs`` (in document order, every paragraph
    Word shows) and the number Word draws before it, with the space after it."""
    numbering = _numbering_element(document)
    if numbering is None:
        return {}
    styles = _style_numbering(document.styles.element)
    lists = _instances(numbering, styles)
    counters: dict[str, list[int | None]] = {}
    started: set[str] = set()
    labels = {}
    for p in paragraphs:
        num_id, level = _numbered(p, styles)
        found = lists.get(num_id)
        if found is None:
            continue
        abstract_id, levels, restarts = found
        if level not in levels:
            continue
        counts = counters.setdefault(abstract_id, [None] * 9)
        if num_id not in started:  # a list instance that restarts a level starts it here
            started.add(num_id)
            for restarted, start in restarts.items():
                counts[restarted] = start - 1
        if levels[level].number_format in ("bullet", "none"):
            continue
        counts[level] = levels[level].start if counts[level] is None else counts[level] + 1
        counts[level + 1 :] = [None] * (8 - level)
        label = _label(levels, counts, level)
        if label:
            labels[p] = label + levels[level].suffix
    return labels


def _numbering_element(document):
    """The document's numbering definitions, or None when it has none (python-docx
    would add an empty part on asking)."""
    part = document.part
    for rel in part.rels.values():
        if rel.reltype.endswith("/numbering"):
            return rel.target_part.element
    return None


def _style_numbering(styles_element) -> dict[str, tuple[str | None, int]]:
    """Each paragraph style's numbering (numId, level), its base style's when it has
    none of its own; numId None for a style with none."""
    own: dict[str, tuple[str | None, int | None]] = {}
    based_on: dict[str, str] = {}
    for style in styles_element.iterchildren(qn("w:style")):
        style_id = style.get(qn("w:styleId"))
        own[style_id] = _num_pr(style.find(qn("w:pPr")))
        base = style.find(qn("w:basedOn"))
        if base is not None:
            based_on[style_id] = base.get(_W)
    resolved: dict[str, tuple[str | None, int]] = {}
    for style_id in own:
        seen, current = set(), style_id
        while current in own and own[current][0] is None and current in based_on:
            if current in seen:  # a loop of bases: no numbering
                break
            seen.add(current)
            current = based_on[current]
        num_id, level = own.get(current, (None, None))
        resolved[style_id] = (num_id, level or 0)
    return resolved


def _num_pr(properties) -> tuple[str | None, int | None]:
    """numId and level of a w:pPr's w:numPr; (None, None) when it has none."""
    num_pr = properties.find(qn("w:numPr")) if properties is not None else None
    if num_pr is None:
        return None, None
    num_id, level = num_pr.find(qn("w:numId")), num_pr.find(qn("w:ilvl"))
    return (
        num_id.get(_W) if num_id is not None else None,
        int(level.get(_W)) if level is not None else None,
    )


def _numbered(p, styles) -> tuple[str | None, int]:
    """The list instance and level a paragraph is numbered by, its own or its style's."""
    properties = p.find(qn("w:pPr"))
    num_id, level = _num_pr(properties)
    style = properties.find(qn("w:pStyle")) if properties is not None else None
    style_num, style_level = (
        styles.get(style.get(_W), (None, 0)) if style is not None else (None, 0)
    )
    if num_id is None:
        num_id = style_num
    return num_id, level if level is not None else style_level


def _instances(numbering, styles) -> dict[str, tuple[str, dict[int, _Level], dict[int, int]]]:
    """Each list instance: its abstract list, that list's levels (with the instance's
    replacements) and the levels it restarts, with their start."""
    abstracts = {
        element.get(qn("w:abstractNumId")): element
        for element in numbering.iterchildren(qn("w:abstractNum"))
    }
    nums = {num.get(qn("w:numId")): num for num in numbering.iterchildren(qn("w:num"))}

    def abstract_of(num) -> str | None:
        reference = num.find(qn("w:abstractNumId"))
        return reference.get(_W) if reference is not None else None

    instances = {}
    for num_id, num in nums.items():
        abstract_id = abstract_of(num)
        abstract = abstracts.get(abstract_id)
        link = abstract.find(qn("w:numStyleLink")) if abstract is not None else None
        if link is not None:  # defined by a numbering style: its list's definition
            linked = nums.get(styles.get(link.get(_W), (None, 0))[0])
            abstract_id = abstract_of(linked) if linked is not None else None
            abstract = abstracts.get(abstract_id)
        if abstract is None:
            continue
        levels = {int(lvl.get(qn("w:ilvl"))): _level(lvl) for lvl in abstract.iter(qn("w:lvl"))}
        restarts = {}
        for override in num.iterchildren(qn("w:lvlOverride")):
            level = int(override.get(qn("w:ilvl")))
            replaced = override.find(qn("w:lvl"))
            if replaced is not None:
                levels[level] = _level(replaced)
            start = override.find(qn("w:startOverride"))
            if start is not None:
                restarts[level] = int(start.get(_W))
        instances[num_id] = (abstract_id, levels, restarts)
    return instances


def _level(lvl) -> _Level:
    def value(tag: str, default: str) -> str:
        element = lvl.find(qn(tag))
        return element.get(_W, default) if element is not None else default

    suffix = {"nothing": ""}.get(value("w:suff", "tab"), " ")
    return _Level(
        int(value("w:start", "1")), value("w:numFmt", "decimal"), value("w:lvlText", ""), suffix
    )


def _label(levels: dict[int, _Level], counts: list[int | None], level: int) -> str:
    """The level's text with each %N written as level N's count in its format."""
    text = levels[level].text
    for named in range(level + 1):
        shown = levels.get(named)
        count = counts[named] if counts[named] is not None else (shown.start if shown else 1)
        number_format = shown.number_format if shown else "decimal"
        text = text.replace(f"%{named + 1}", _formatted(count, number_format))
    return text.strip()


def _formatted(count: int, number_format: str) -> str:
    if number_format in ("upperRoman", "lowerRoman"):
        roman = _roman(count)
        return roman if number_format == "upperRoman" else roman.lower()
    if number_format in ("upperLetter", "lowerLetter") and count > 0:
        letter = chr(ord("A") + (count - 1) % 26) * ((count - 1) // 26 + 1)
        return letter if number_format == "upperLetter" else letter.lower()
    if number_format == "decimalZero":
        return f"{count:02d}"
    if number_format == "ordinal":
        suffix = (
            "th" if 10 <= count % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(count % 10, "th")
        )
        return f"{count}{suffix}"
    return str(count)  # decimal, and formats no plan numbers by (written as decimal)


def _roman(count: int) -> str:
    numerals = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"))
    numerals += ((50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
    written = ""
    for value, numeral in numerals:
        while count >= value:
            written, count = written + numeral, count - value
    return written

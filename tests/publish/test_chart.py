"""The chart's shapes: whole-number ticks, labels that fit, text escaped, one legend."""

import itertools
from xml.etree import ElementTree

from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from pipeline.publish.chart import Panel, Rect, Text, nice_ticks, save_png, stacked_panels, to_svg

SERIES = {"done": "#1b7837", "late": "#b2182b"}


@given(st.integers(min_value=0, max_value=10**9))
def test_ticks_are_whole_steps_of_1_2_or_5_covering_the_tallest_bar(top):
    ticks = nice_ticks(top)
    step = ticks[1] - ticks[0]
    assert ticks[0] == 0 and ticks[-1] >= top and len(ticks) <= 7
    assert ticks == list(range(0, ticks[-1] + 1, step))
    assert int(str(step).rstrip("0")) in (1, 2, 5)
    assert ticks[-1] - step < max(top, 1)  # no empty interval on top


def _panel(categories, counts=None):
    counts = {"done": 2, "late": 1} if counts is None else counts
    return Panel("Priority 1", categories, {c: counts for c in categories})


def test_twelve_quarters_show_labels_that_fit_their_slots():
    quarters = [f"202{3 + q // 4}/2{4 + q // 4} Q{q % 4 + 1}" for q in range(12)]
    shapes = stacked_panels("t", [_panel(quarters)] * 6, SERIES, (1200, 700), "actions")
    under_bars = [
        s for s in shapes if isinstance(s, Text) and s.size == 10 and s.anchor == "middle"
    ]
    first_panel = sorted({s.x for s in under_bars})[: len({s.x for s in under_bars}) // 6]
    assert 2 <= len(first_panel) < 12  # thinned, not overprinted
    widest = max(len(s.text) for s in under_bars) * 6.2  # the 10-pixel font's width, about
    assert min(b - a for a, b in itertools.pairwise(first_panel)) > widest
    bars = [s for s in shapes if isinstance(s, Rect) and s.data]
    assert len(bars) == 6 * 12 * 2


def test_bars_stack_from_the_axis_in_series_order():
    shapes = stacked_panels("t", [_panel(["Q1"], {"done": 3, "late": 2})], SERIES, (600, 400), "a")
    done, late = (s for s in shapes if isinstance(s, Rect) and s.data)
    assert dict(done.data)["series"] == "done" and dict(late.data)["count"] == "2"
    assert abs(late.y + late.height - done.y) < 1e-9  # late sits on done
    assert abs(done.height / late.height - 1.5) < 1e-9


def test_text_is_escaped_in_the_svg_and_the_png_is_the_stated_size(tmp_path):
    panel = Panel("Health & <care>", ["Q1"], {"Q1": {"done": 1}})
    shapes = stacked_panels('"Plan" & more', [panel], SERIES, (640, 480), "actions")
    svg = ElementTree.fromstring(to_svg(shapes, (640, 480)).split("\n", 1)[1])
    texts = [t.text for t in svg.iter("{http://www.w3.org/2000/svg}text")]
    assert '"Plan" & more' in texts and "Health & <care>" in texts
    save_png(shapes, (640, 480), tmp_path / "chart.png")
    with Image.open(tmp_path / "chart.png") as png:
        assert png.size == (640, 480)


def test_an_empty_panel_still_draws_its_axis():
    shapes = stacked_panels("t", [_panel(["Q1"], {})], SERIES, (600, 400), "actions")
    assert [s.text for s in shapes if isinstance(s, Text) and s.anchor == "end"] == ["0", "1"]
    assert not [s for s in shapes if isinstance(s, Rect) and s.data]


def test_a_bar_thinner_than_a_pixel_is_drawn_a_pixel_high(tmp_path):
    # one complete action among thousands: still there, in the PNG as in the SVG
    panel = Panel("Priority 1", ["Q1"], {"Q1": {"done": 1, "late": 4999}})
    shapes = stacked_panels("t", [panel], SERIES, (600, 400), "actions")
    save_png(shapes, (600, 400), tmp_path / "chart.png")
    (done,) = (s for s in shapes if isinstance(s, Rect) and dict(s.data).get("series") == "done")
    with Image.open(tmp_path / "chart.png") as png:
        pixel = png.getpixel((round(done.x + done.width / 2), round(done.y)))
    assert "#{:02x}{:02x}{:02x}".format(*pixel) == SERIES["done"]

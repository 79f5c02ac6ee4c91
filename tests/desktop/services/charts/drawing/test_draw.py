"""Every chart type drawn onto a bare Figure (no Qt): bars, points, labels, order, target line,
and never a missing glyph."""

from __future__ import annotations

import warnings

import pytest
from matplotlib.collections import LineCollection
from matplotlib.patches import Rectangle, Wedge

from db.connection import Database
from db.periods import Period
from desktop.services.charts.building import ChartSpec, build_chart
from desktop.services.charts.drawing import style
from desktop.services.charts.drawing.render import new_figure
from tests.support.charts import render, texts

P = Period.parse("2022-YTD10")


def test_configure_is_idempotent_and_sets_fonts_for_pdf_and_svg() -> None:
    import matplotlib

    style.configure_matplotlib()
    style.configure_matplotlib()
    assert matplotlib.rcParams["font.family"][0] == "EcoDesk Sans"
    assert matplotlib.rcParams["pdf.fonttype"] == 42
    assert matplotlib.rcParams["svg.fonttype"] == "path"
    assert matplotlib.rcParams["axes.unicode_minus"] is False


def test_missing_glyph_check_would_catch_one() -> None:
    """The guard in ``render`` is real: a character no font has does warn."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = new_figure()
    canvas = FigureCanvasAgg(fig)
    fig.text(0.5, 0.5, "\U0001f600")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        canvas.draw()
    assert any("missing from" in str(w.message) for w in caught)


def test_trend_draws_points_target_and_faded_last_year(chart_db: Database) -> None:
    data = build_chart(chart_db, ChartSpec("trend", ("pm25",), span="years", count=5), P)
    fig = render(data)
    ax = fig.axes[0]
    (line,) = [ln for ln in ax.get_lines() if ln.get_label() == "海岛区分局"]
    assert list(line.get_ydata()) == [28.0, 25.0, 22.0, 19.0, 17.0]
    targets = [c for c in ax.collections if isinstance(c, LineCollection)]
    levels = sorted(seg[0][1] for c in targets for seg in c.get_segments())
    assert levels == [20.0, 22.0]
    shown = texts(fig)
    assert "PM2.5平均浓度变化趋势" in shown and "2022年目标 20" in shown and "μg/m³" in shown
    assert next(t.get_text() for t in ax.get_xticklabels()) == "2018年\n1-10月"

    monthly = build_chart(chart_db, ChartSpec("trend", ("pm10",), span="months", count=0), P)
    ax = render(monthly).axes[0]
    faded = [ln for ln in ax.get_lines() if ln.get_label() == "海岛区分局去年同期"]
    assert faded and faded[0].get_color() == style.LAST_YEAR and len(faded[0].get_xdata()) == 10


def test_ranking_bars_sorted_and_own_unit_highlighted(chart_db: Database) -> None:
    data = build_chart(chart_db, ChartSpec("ranking", ("pm25",)), P)
    ax = render(data).axes[0]
    bars = [p for p in ax.patches if isinstance(p, Rectangle)]
    assert len(bars) == 5
    assert [b.get_width() for b in bars] == [17.0, 21.0, 24.0, 26.0, 28.0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[0] == "1. 海岛区分局（本单位）" and labels[-1] == "5. 瓯海分局"
    # The first bar is drawn on top (the axis is inverted).
    assert bars[0].get_y() < bars[-1].get_y() and ax.yaxis_inverted()
    assert bars[0].get_facecolor() != bars[1].get_facecolor()
    assert "数值越低越好" in ax.get_xlabel()


def test_completion_bars_with_percent_and_reference_lines(chart_db: Database) -> None:
    data = build_chart(chart_db, ChartSpec("completion"), P)
    fig = render(data)
    ax = fig.axes[0]
    bars = [p for p in ax.patches if isinstance(p, Rectangle)]
    assert len(bars) == 2
    assert bars[1].get_width() == pytest.approx(89.0, abs=0.05)
    shown = texts(fig)
    assert "89.0%（进行中）　6525.00万元 / 目标 7331.00万元" in shown
    assert "序时进度 83.3%" in shown and "目标 100%" in shown
    assert bars[0].get_hatch() is None, "达标 is not hatched"


def test_composition_as_stacked_bar_and_as_pie(chart_db: Database) -> None:
    bar = build_chart(chart_db, ChartSpec("composition", ("problems_found",)), P)
    fig = render(bar)
    ax = fig.axes[0]
    segments = [p for p in ax.patches if isinstance(p, Rectangle)]
    assert [s.get_height() for s in segments] == [1.0, 12.0, 24.0, 14.0]
    assert len({s.get_hatch() for s in segments}) == 4, "parts differ by hatch, not colour only"
    assert "合计 51" in texts(fig) and "24（47.1%）" in texts(fig)
    assert "1（2.0%）" in texts(fig), "a thin segment is labelled beside the bar"
    pie = build_chart(chart_db, ChartSpec("composition", ("problems_found",), style="pie"), P)
    fig = render(pie)
    wedges = [p for p in fig.axes[0].patches if isinstance(p, Wedge)]
    assert len(wedges) == 4
    assert "涉废类问题\n24个（47.1%）" in texts(fig)


def test_year_on_year_pairs_with_change_labelled(chart_db: Database) -> None:
    data = build_chart(chart_db, ChartSpec("yoy", ("pm10", "complaints", "pm25")), P)
    fig = render(data)
    assert len(fig.axes) == 3
    for ax in fig.axes:
        assert len([p for p in ax.patches if isinstance(p, Rectangle)]) == 2
    first = fig.axes[0]
    assert [p.get_height() for p in first.patches] == [32.0, 26.0]
    shown = texts(fig)
    assert "-18.8%　向好" in shown and "PM10平均浓度（μg/m³）" in shown
    rate = build_chart(chart_db, ChartSpec("yoy", ("air_good_rate",), ("330400",), "2021-Y"))
    assert "+2.7个百分点　向好" in texts(render(rate))


def test_without_titles_the_page_around_says_them(chart_db: Database) -> None:
    data = build_chart(chart_db, ChartSpec("ranking", ("pm25",)), P)
    assert "PM2.5平均浓度排名" not in texts(render(data, titles=False))


def test_ten_years_of_months_for_fifty_units_can_be_asked_for_and_read(
    chart_db: Database,
) -> None:
    """120 months: a year label at each January (not a month label every fifth month), plain
    lines (no 120 markers in a row), the other units in one grey collection, each year's target
    labelled with its value; from the store, a 120-month spec is accepted, 121 refused."""
    from desktop.services.charts.building import ChartError
    from desktop.services.charts.drawing.data import Caption, Series, Table, TargetSpan, TrendData

    spec = ChartSpec("trend", ("pm10",), span="months", count=120)
    stored = build_chart(chart_db, spec, P)
    assert isinstance(stored, TrendData) and len(stored.x_labels) == 120
    with pytest.raises(ChartError, match="0 到 120"):
        ChartSpec("trend", ("pm10",), span="months", count=121)

    months = 120
    labels = tuple(
        f"{m % 12 + 1}月\n{2013 + m // 12}年" if m % 12 == 0 else f"{m % 12 + 1}月"
        for m in range(months)
    )
    series = tuple(
        Series(f"单位{u:02d}", tuple(30.0 + (u + m) % 9 for m in range(months)), highlight=u == 0)
        for u in range(50)
    )
    targets = tuple(TargetSpan(y * 12, y * 12 + 11, 35 - y, f"{2013 + y}年目标") for y in range(10))
    data = TrendData(
        caption=Caption("PM2.5平均浓度变化趋势", "50个单位"),
        table=Table(("期间",), ()),
        unit="μg/m³",
        decimals=0,
        x_labels=labels,
        series=series,
        last_year=None,
        targets=targets,
    )
    fig = render(data)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == [f"{y}年" for y in range(2013, 2023)]
    own = [ln for ln in ax.get_lines() if ln.get_label() == "单位00"]
    assert own and own[0].get_marker() in (None, "None", "")
    grey = [
        c for c in ax.collections if isinstance(c, LineCollection) and len(c.get_segments()) == 49
    ]
    assert grey, "the 49 other units in one collection"
    shown = texts(fig)
    assert all(str(35 - y) in shown for y in range(10)) and "2013年目标" not in shown
    assert "其他单位" in shown and "年度目标" in shown


def test_a_concentration_trend_shows_its_change_and_marks_the_cut_base(
    chart_db: Database,
) -> None:
    """PM2.5 28 → 17: the axis hugs the data (not 0-30) and says it does not start at 0."""
    data = build_chart(chart_db, ChartSpec("trend", ("pm25",), span="years", count=5), P)
    fig = render(data)
    bottom, top = fig.axes[0].get_ylim()
    assert 5 < bottom < 17 and top < 40
    assert "纵轴未从0开始" in texts(fig)


def test_a_count_keeps_its_zero_base() -> None:
    from matplotlib.figure import Figure

    ax = Figure().add_subplot()
    ax.plot([0, 1], [40, 45])
    style.value_axis(ax, [40.0, 45.0], "件")
    assert ax.get_ylim()[0] == 0


def test_the_composition_legend_lies_inside_the_figure(chart_db: Database) -> None:
    bar = build_chart(chart_db, ChartSpec("composition", ("problems_found",)), P)
    fig = render(bar)
    legend = fig.axes[0].get_legend()
    assert legend is not None
    box = legend.get_window_extent(fig.canvas.get_renderer())  # type: ignore[attr-defined]
    assert box.x1 <= fig.bbox.x1 and box.x0 >= fig.bbox.x0


def test_only_the_own_unit_is_drawn_in_its_colour() -> None:
    """A city comparing itself with two branches: on a grey printout the own unit's dark blue
    must not also be a branch's (they differed only in line width)."""
    from desktop.services.charts.drawing.data import Caption, Series, Table, TrendData

    names = ("温州市局", "海岛区分局", "金华市局")
    data = TrendData(
        caption=Caption("空气质量优良率变化趋势", "三个单位"),
        table=Table(("期间",), ()),
        unit="%",
        decimals=1,
        x_labels=("2020年", "2021年", "2022年"),
        series=tuple(
            Series(name, (90.0 + n, 92.0, 95.0 - n), highlight=name == "海岛区分局")
            for n, name in enumerate(names)
        ),
        last_year=None,
        targets=(),
    )
    lines = {ln.get_label(): ln for ln in render(data).axes[0].get_lines()}
    own = lines["海岛区分局"].get_color()
    assert own == style.OWN
    assert [lines[n].get_color() for n in names if lines[n].get_color() == own] == [own]

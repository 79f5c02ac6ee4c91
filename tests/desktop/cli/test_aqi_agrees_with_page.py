"""`ecodesk-cli aqi` and the 监测数据 page (through the service it calls) report the same
period figures for the same file, under each edition of the standard."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from db.periods import Period
from desktop.cli import main
from desktop.services.monitoring.air.figures import figures_for_period
from desktop.services.monitoring.air.period import indicator_values
from desktop.services.monitoring.air.reader import read_daily_file
from tests.desktop.services.monitoring.air.test_figures import write_daily_csv


@pytest.mark.parametrize("edition", ["2012", "2026"])
def test_cli_and_page_give_the_same_figures(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], edition: str
) -> None:
    path = write_daily_csv(tmp_path / "日均值.csv")
    period = Period.month(2026, 4)
    main(["aqi", str(path), "--period", period.code, "--standard", edition, "--summary"])
    out = capsys.readouterr().out
    days = re.search(r"有效天数 (\d+).*优良天数 (\d+)，优良率 ([\d.]+)%", out)
    pm25 = re.search(r"PM2\.5\s+μg/m³\s+\d+\s+(\d+)", out)
    assert days and pm25, out

    page = indicator_values(figures_for_period(read_daily_file(path).records, period, edition))
    assert Decimal(days[3]) == Decimal(page["air_good_rate"]).quantize(Decimal("0.1"))
    assert int(days[2]) == int(page["air_good_days"])
    assert Decimal(pm25[1]) == Decimal(page["pm25"])

"""How one scored day is shown in the daily table, the calendar and the CLI: NA when incomplete.

HJ 633 marks what was not measured as NA (2012 表3注; 2026 5.3.1). A day with a required item
missing is shown with AQI "NA" and the missing items named, unless the items present already
put it above 100 (then it is surely polluted and the AQI stands, still with the missing items
named). Scoring such a day from the rest would print "49 优" for a sandstorm day whose PM
readings were lost; ``DailyAqi.valid`` already keeps it out of 优良率, and the display must say
the same thing as the count.
"""

from __future__ import annotations

from desktop.services.monitoring.air.aqi import DailyAqi
from desktop.services.monitoring.standards import Category

NA = "NA"


def shown_aqi(day: DailyAqi) -> int | None:
    """The AQI to print, or None for NA (incomplete and not surely above 100)."""
    return day.aqi if day.valid else None


def shown_category(day: DailyAqi) -> Category | None:
    """The category to print and colour by; None for an NA day."""
    return day.category if day.valid else None


def aqi_text(day: DailyAqi) -> str:
    aqi = shown_aqi(day)
    return NA if aqi is None else str(aqi)


def category_text(day: DailyAqi) -> str:
    category = shown_category(day)
    return "—" if category is None else category.name


def missing_text(day: DailyAqi) -> str:
    """ "缺 PM2.5、PM10" or "" for a complete day."""
    return f"缺 {'、'.join(day.missing)}" if day.missing else ""

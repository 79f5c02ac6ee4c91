"""Reading numbers the way a person writes them, and writing them the way a bureau prints them.

Bureau staff type and paste "97.0%", "１７", "1,064", "86.08万元" or "1.08亿元"; all of these are
numbers a person would read without doubt, so they are accepted. "约20" or "20左右" is an
estimate, not a figure: it is refused with a reason rather than guessed.
"""

from __future__ import annotations

import math
import re
import unicodedata

#: Text that means "no value" in a bureau form.
EMPTY_MARKS = frozenset({"", "—", "--", "－", "-", "/", "／", "——", "无", "…"})

#: Multipliers from a written magnitude to the indicator's unit (all money is kept in 万元).
_MAGNITUDES: dict[tuple[str, str], float] = {
    ("亿元", "万元"): 10_000.0,
    ("亿", "万元"): 10_000.0,
    ("元", "万元"): 0.0001,
    ("万元", "万元"): 1.0,
}

_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
_ROMAN_CLASSES = {"Ⅰ": 1, "Ⅱ": 2, "Ⅲ": 3, "Ⅳ": 4, "Ⅴ": 5, "劣Ⅴ": 6}
_ASCII_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "劣V": 6}
CLASS_NAMES = {v: f"{k}类" for k, v in _ROMAN_CLASSES.items()}


def _normalise(text: str) -> str:
    # NFKC folds full-width digits, ％ and ， into ASCII; μg/m³ becomes μg/m3.
    folded = unicodedata.normalize("NFKC", text).strip()
    return folded.replace(" ", "").replace("\u00a0", "")


#: The same unit as forms write it in words (after NFKC folding: μg/m³ becomes μg/m3).
_SYNONYMS: dict[str, tuple[str, ...]] = {
    "μg/m3": ("微克/立方米", "ug/m3", "µg/m3"),
    "mg/m3": ("毫克/立方米",),
    "mg/L": ("毫克/升", "mg/l"),
    "%": ("百分比",),
    # Cases and complaints are counted in 起 or 宗 as often as in 件 ("移送刑事案件30起"),
    # problems in 项 as often as in 个 ("整改问题12项").
    "件": ("起", "宗"),
    "个": ("项",),
}


def _unit_forms(unit: str) -> set[str]:
    base = _normalise(unit)
    forms = {base, base.replace("μ", "u"), base.replace("μ", "µ"), *_SYNONYMS.get(base, ())}
    return {f for f in forms if f}


def parse_number(text: str, unit: str = "") -> float | None:
    """Return the number written in ``text``, ``None`` for a blank mark, or raise ``ValueError``.

    ``unit`` is the indicator's unit of measure: a trailing copy of it is allowed ("17μg/m3"),
    a percent sign is allowed for "%" indicators, and money written in 亿元 or 元 is converted
    to 万元. The ``ValueError`` message is a Chinese sentence naming the text.
    """
    raw = text
    folded = _normalise(text)
    if folded in EMPTY_MARKS:
        return None
    folded = folded.replace(",", "")
    match = _NUMBER.match(folded)
    if not match:
        raise ValueError(f"“{raw.strip()}”不是数字")
    number = float(match[0])
    rest = folded[match.end() :]
    if rest:
        norm_unit = _normalise(unit)
        factor = _MAGNITUDES.get((rest, norm_unit))
        if factor is not None:
            number *= factor
        elif rest == "%" and norm_unit == "%":
            pass
        elif rest not in _unit_forms(unit):
            raise ValueError(f"“{raw.strip()}”不是数字（多余的“{rest}”）")
    if not math.isfinite(number):
        raise ValueError(f"“{raw.strip()}”不是有限的数")
    return number


def magnitude(written_unit: str, unit: str) -> float | None:
    """How many of ``unit`` one ``written_unit`` is (亿元 → 万元: 10000); None if unrelated."""
    written, ours = _normalise(written_unit), _normalise(unit)
    if not written or written in _unit_forms(unit):
        return 1.0
    return _MAGNITUDES.get((written, ours))


def parse_water_class(text: str) -> float | None:
    """Read a water quality class written as Ⅲ, Ⅲ类, III, 3 or 劣Ⅴ into 1..6."""
    folded = _normalise(text).removesuffix("类")
    if folded in EMPTY_MARKS:
        return None
    # NFKC turns Ⅲ into III, so both spellings meet here.
    if folded in _ASCII_ROMAN:
        return float(_ASCII_ROMAN[folded])
    if folded.isdigit() and 1 <= int(folded) <= 6:
        return float(folded)
    raise ValueError(f"“{text.strip()}”不是水质类别（Ⅰ～Ⅴ类或劣Ⅴ类）")


def format_number(value: float | None, decimals: int) -> str:
    """Print a figure with the indicator's decimals; half rounds away from zero as in Excel."""
    if value is None:
        return ""
    if not math.isfinite(value):
        return "—"
    quantum = 10**decimals
    scaled = abs(value) * quantum
    if scaled >= 2**52:  # already a whole number to float precision; floor() of inf overflows
        return f"{value:.{decimals}f}"
    rounded = math.floor(scaled + 0.5 + 1e-9) / quantum
    rounded = math.copysign(rounded, value)
    if rounded == 0:
        rounded = 0.0
    return f"{rounded:.{decimals}f}"

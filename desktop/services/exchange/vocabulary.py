"""The words forms use for indicators and units, matched to the catalog and the unit tree.

A row label is folded to a key (``label_key``: NFKC, no spaces, no numbering or "其中：", no
bracketed parts — units "（μg/m³）" and spellings "（O3-8h-90per）" alike — lower case, no
marks; Ⅲ and III fold alike) and looked up among every indicator's name and aliases, the
catalog's and the office's own. A key found there is a match. Anything else is never applied:
the closest names (rapidfuzz's weighted ratio over the same keys) are offered as suggestions
with their score, for a person to confirm once; the confirmed label is then kept as the
office's alias (``db.aliases``).

Units are matched on their name, short name, code and aliases, and on the place name the
returns write in front of 区/县/市/分局 ("南湖区", "嘉兴市生态环境局南湖分局" → 南湖), when only one
unit has that place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from db import aliases as alias_store
from db import units as unit_store
from db.catalog import load_context_aliases
from db.connection import Database
from db.indicators import all_indicators
from db.records import Indicator, Unit
from desktop.services.common.text import compact, drop_brackets, fold

#: A row label's numbering, dropped before matching ("1." "（2）" "三、" "⑤").
_NUMBERING = re.compile(r"^(\d+[.、．)）]|[（(]\d+[）)]|[一二三四五六七八九十]+[、.．]|[①-⑳])")
_PART = re.compile(r"^其中[:：]?")
#: Units counted in whole things: a form adds 数 or 数量 to such a name ("受理环境信访件数").
COUNT_UNITS = frozenset({"件", "个", "家", "家次", "人次", "次", "起", "宗"})
#: Below this weighted ratio a name is not worth suggesting.
SUGGEST_FROM = 60


#: Words that make a bracket part of what the row is ("PM2.5浓度（同比）" is not the
#: concentration): such a bracket's text is kept, so the label matches nothing by accident.
_MEANING = re.compile(r"同比|环比|增减|增长|下降|变化|排名|名次|目标|任务|去年|上年|同期|差值")
_BRACKET = re.compile(r"[(（\[［【]([^)）\]］】]*)[)）\]］】]")


def label_key(text: str) -> str:
    """What a row label is compared by: "1．臭氧（O3-8h-90per）浓度（μg/m³）" → "臭氧浓度"."""
    text = compact(text)
    text = _NUMBERING.sub("", text)
    text = _PART.sub("", text)
    text = _BRACKET.sub(lambda m: m[1] if _MEANING.search(m[1]) else "", text)
    return fold(text).rstrip("：:")


def _variants(key: str, indicator: Indicator) -> list[str]:
    """The forms of one key a bureau writes without it being another figure."""
    found = [key]
    if indicator.unit in COUNT_UNITS and not key.endswith("数"):
        found += [f"{key}数", f"{key}数量"]
    if "平均浓度" in key:
        found += [key.replace("平均浓度", w) for w in ("浓度", "年均浓度", "均值", "平均值")]
    return found


@dataclass(frozen=True)
class Suggestion:
    """A catalog indicator a label may mean, with how close it is (0-100)."""

    indicator: Indicator
    score: int
    written: str  # the name or alias it is close to

    def describe(self) -> str:
        return f"{self.indicator.code} {self.indicator.name}（相似度 {self.score}）"


class Vocabulary:
    """Every name an indicator goes by, folded; exact keys match, close ones are suggested."""

    def __init__(
        self,
        indicators: list[Indicator],
        names: list[tuple[str, str]] | None = None,
        in_context: list[tuple[str, str, frozenset[str]]] | None = None,
    ) -> None:
        """``names`` are (code, alias) pairs besides the indicators' own names; ``in_context``
        (code, word, codes) words that name ``code`` only on a sheet with one of ``codes``."""
        by_code = {i.code: i for i in indicators}
        self.in_context: dict[str, list[tuple[Indicator, frozenset[str]]]] = {}
        for code, word, needs in in_context or []:
            if code in by_code:
                for variant in _variants(label_key(word), by_code[code]):
                    self.in_context.setdefault(variant, []).append((by_code[code], needs))
        explicit: dict[str, Indicator] = {}
        clashes: set[str] = set()
        written: dict[str, str] = {}
        pairs = [(i.code, i.name) for i in indicators] + list(names or [])
        for code, name in pairs:
            indicator = by_code.get(code)
            key = label_key(name)
            if indicator is None or not key:
                continue
            if key in explicit and explicit[key].code != code:
                clashes.add(key)
            explicit.setdefault(key, indicator)
            written.setdefault(key, name)
        index: dict[str, Indicator] = {}
        for key, indicator in explicit.items():
            if key in clashes:
                continue
            for variant in _variants(key, indicator):
                if variant == key or variant not in explicit:
                    index.setdefault(variant, indicator)
                    written.setdefault(variant, written[key])
        self.index = index
        self.clashes = clashes
        self._written = written
        self._keys = list(index)

    @classmethod
    def from_db(cls, db: Database) -> Vocabulary:
        names = [(a.code, a.alias) for a in alias_store.indicator_aliases(db)]
        return cls(all_indicators(db), names, load_context_aliases())

    def match(self, text: str) -> Indicator | None:
        """The indicator a label names by one of its names or aliases, else None."""
        return self.index.get(label_key(text))

    def match_in_context(self, text: str, present: set[str]) -> Indicator | None:
        """The indicator a generic label names on a sheet holding ``present`` (the codes its
        other rows matched), when exactly one fits; else None."""
        fits = {
            i.code: i for i, needs in self.in_context.get(label_key(text), []) if needs & present
        }
        return next(iter(fits.values())) if len(fits) == 1 else None

    def suggest(self, text: str, limit: int = 3) -> list[Suggestion]:
        """The closest indicators to a label that matched none, best first (never applied)."""
        from rapidfuzz import fuzz, process

        key = label_key(text)
        if not key:
            return []
        found: list[Suggestion] = []
        seen: set[str] = set()
        for name, score, _ in process.extract(
            key, self._keys, scorer=fuzz.WRatio, limit=limit * 6, score_cutoff=SUGGEST_FROM
        ):
            indicator = self.index[name]
            if indicator.code in seen:
                continue
            seen.add(indicator.code)
            found.append(Suggestion(indicator, round(score), self._written.get(name, name)))
            if len(found) == limit:
                break
        return found


#: What returns add to a place name: the bureau's own words, then the kind of place.
_UNIT_SUFFIXES = (
    "生态环境保护局", "生态环境分局", "生态环境局", "环境保护局", "环保分局", "环保局", "分局",
)  # fmt: skip
_CITY_PREFIX = re.compile(r"^.{2,4}?市生态环境局(?=.)")
_PLACE_KIND = re.compile(r"(?<=..)[区县市旗]$")
_FILLER_WORDS = re.compile(r"^(填报单位|单位名称|报送单位|填表单位)(盖章)?[:：]?")


def unit_key(text: str) -> str:
    return fold(drop_brackets(compact(text)))


def place_of(text: str) -> str:
    """The place a unit's name is about: "嘉兴市生态环境局南湖分局", "南湖区" → "南湖"."""
    key = _FILLER_WORDS.sub("", unit_key(text))
    key = _CITY_PREFIX.sub("", key)
    for suffix in _UNIT_SUFFIXES:
        if key.endswith(suffix) and len(key) > len(suffix):
            key = key.removesuffix(suffix)
            break
    return _PLACE_KIND.sub("", key)


class UnitNames:
    """Units by every name a return may use for them."""

    def __init__(self, units: list[Unit], names: list[tuple[str, str]] | None = None) -> None:
        """``names`` are (code, alias) pairs besides each unit's name, short name and code."""
        by_code = {u.code: u for u in units}
        exact: dict[str, Unit] = {}
        places: dict[str, list[Unit]] = {}
        pairs = [(u.code, n) for u in units for n in (u.name, u.short_name, u.code) if n]
        for code, name in pairs + list(names or []):
            unit = by_code.get(code)
            if unit is None:
                continue
            exact.setdefault(unit_key(name), unit)
            place = place_of(name)
            if place and unit not in places.setdefault(place, []):
                places[place].append(unit)
        self.exact = exact
        self.places = {p: found[0] for p, found in places.items() if len(found) == 1}
        self.units = units

    @classmethod
    def from_db(cls, db: Database) -> UnitNames:
        names = [(a.code, a.alias) for a in alias_store.unit_aliases(db)]
        return cls(unit_store.all_units(db), names)

    def match(self, text: str) -> Unit | None:
        """The unit ``text`` names, or None when no unit, or more than one, fits."""
        key = _FILLER_WORDS.sub("", unit_key(text))
        if not key:
            return None
        found = self.exact.get(key)
        if found is None:
            place = place_of(text)
            found = self.places.get(place) if place else None
        return found

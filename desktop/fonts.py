"""Chinese text on a bare machine: the bundled font first, system CJK fonts as fallbacks.

An office PC may lack every CJK font we would like (a stripped image, a Linux thin client), so
EcoDesk ships "EcoDesk Sans" (Noto Sans CJK SC cut to GBK, see resources/fonts/README.md) and
registers it before any window is built. Where a system font is present Qt can still fall back to
it for a rare character outside GBK.
"""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from resources import locate

BUNDLED_FAMILY = "EcoDesk Sans"
FALLBACK_FAMILIES = [
    "Microsoft YaHei",
    "微软雅黑",
    "PingFang SC",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "SimHei",
    "WenQuanYi Micro Hei",
]


def bundled_font_files() -> list[str]:
    folder = locate("fonts")
    return sorted(str(p) for p in folder.glob("*.ttf")) if folder.is_dir() else []


def register_fonts(app: QApplication) -> list[str]:
    """Register the bundled fonts and make them the application font; return families loaded."""
    families: list[str] = []
    for path in bundled_font_files():
        font_id = QFontDatabase.addApplicationFont(path)
        if font_id >= 0:
            families.extend(QFontDatabase.applicationFontFamilies(font_id))
    font = QFont(app.font())
    order = ([BUNDLED_FAMILY] if BUNDLED_FAMILY in families else []) + FALLBACK_FAMILIES
    font.setFamilies(order)
    if font.pointSizeF() < 10:
        font.setPointSizeF(10)
    app.setFont(font)
    return sorted(set(families))

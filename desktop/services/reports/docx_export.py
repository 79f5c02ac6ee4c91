"""Exporting a report as a .docx in the official document style (GB/T 9704-2012 公文格式).

The standard fixes A4 paper, margins (天头 37 mm, 订口 28 mm), the title in 小标宋 二号, the
text in 仿宋_GB2312 三号 with 22 lines of 28 characters to a page (a fixed line pitch of
28.95 pt), first-level headings in 黑体, second-level in 楷体, and page numbers "— 1 —" in 宋体
四号. A bureau's reader notices at once when any of this is off, so it is set explicitly on
every paragraph and run rather than left to Word's styles.

The file always names the official fonts (``w:ascii``/``w:hAnsi``/``w:eastAsia`` on every run
and style), whatever the machine that writes it has installed: the file is read and printed
on the office PC, where Word finds 仿宋_GB2312 and 方正小标宋简体. A PC that lacks one of them
still gets the nearest official face, because the document's font table gives Word an
alternative name for each (``w:altName``: 仿宋_GB2312 → 仿宋, 楷体_GB2312 → 楷体,
方正小标宋简体 → 小标宋). ``ExportResult.fallbacks`` says which official fonts this machine
lacks, so the user knows its own preview will differ from the printout.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from db import reports, units
from db.connection import Database
from desktop.services.reports.blanks import Filler, Missing, Piece

#: Font roles and, for each, the official font first and the fallbacks in order.
FONT_CHAINS: dict[str, tuple[str, ...]] = {
    "title": (
        "方正小标宋简体",
        "方正小标宋_GBK",
        "华文中宋",
        "宋体",
        "SimSun",
        "Noto Serif CJK SC",
    ),
    "body": ("仿宋_GB2312", "仿宋", "FangSong", "STFangsong", "Noto Serif CJK SC"),
    "hei": ("黑体", "SimHei", "STHeiti", "Noto Sans CJK SC", "WenQuanYi Zen Hei"),
    "kai": ("楷体_GB2312", "楷体", "KaiTi", "STKaiti", "AR PL UKai CN", "Noto Serif CJK SC"),
    "song": ("宋体", "SimSun", "Noto Serif CJK SC"),
}
ROLE_NAMES = {"title": "标题", "body": "正文", "hei": "一级标题", "kai": "二级标题", "song": "页码"}
#: Any CJK font at all, when not even the fallbacks are there.
LAST_RESORT = ("Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "Droid Sans Fallback")

#: Windows font files of the official fonts (no fontconfig there to ask).
_WINDOWS_FILES = {
    "simfang.ttf": "仿宋",
    "simhei.ttf": "黑体",
    "simkai.ttf": "楷体",
    "simsun.ttc": "宋体",
    "fzxbsjw.ttf": "方正小标宋简体",
    "stzhongs.ttf": "华文中宋",
    "fs_gb2312.ttf": "仿宋_GB2312",
    "kaiti_gb2312.ttf": "楷体_GB2312",
}

#: The name Word may use when the official font is missing (the font table's w:altName).
ALT_NAMES = {"方正小标宋简体": "小标宋", "仿宋_GB2312": "仿宋", "楷体_GB2312": "楷体"}

TITLE_PT = 22.0  # 二号
TITLE_CHARS = 20  # 二号 characters to a line of the 156 mm text width
BODY_PT = 16.0  # 三号
PAGE_NUMBER_PT = 14.0  # 四号
LINE_PITCH_PT = 28.95  # 225 mm of text area / 22 lines


@dataclass
class ExportResult:
    path: Path
    fonts: dict[str, str]
    fallbacks: list[str] = field(default_factory=list)
    missing: list[Missing] = field(default_factory=list)
    filled: int = 0


def installed_fonts() -> set[str]:
    """Font families installed on this machine (fontconfig, or the Windows font folder)."""
    found: set[str] = set()
    if shutil.which("fc-list"):
        try:
            out = subprocess.run(
                ["fc-list", ":", "family"], capture_output=True, text=True, timeout=10, check=False
            ).stdout
        except (OSError, subprocess.SubprocessError):
            out = ""
        for line in out.splitlines():
            found.update(name.strip() for name in line.split(",") if name.strip())
    windir = os.environ.get("WINDIR")
    if windir:
        folder = Path(windir) / "Fonts"
        if folder.is_dir():
            for entry in folder.iterdir():
                family = _WINDOWS_FILES.get(entry.name.lower())
                if family:
                    found.add(family)
                    if family in ("仿宋", "楷体"):
                        found.add(f"{family}_GB2312")
    return found


def official_fonts() -> dict[str, str]:
    """The font each role names in the document: the official one, always."""
    return {role: chain[0] for role, chain in FONT_CHAINS.items()}


def choose_fonts(installed: set[str] | None = None) -> tuple[dict[str, str], list[str]]:
    """The fonts the document names (the official ones), and a sentence for each official
    font this machine lacks: the file prints right on the office PC, this preview may not."""
    installed = installed_fonts() if installed is None else installed
    chosen = official_fonts()
    notes: list[str] = []
    for role, chain in FONT_CHAINS.items():
        alt = ALT_NAMES.get(chain[0])
        if chain[0] in installed or (alt is not None and alt in installed):
            continue
        here = next((f for f in (*chain[1:], *LAST_RESORT) if f in installed), "")
        shown = f"本机显示时改用“{here}”" if here else "本机也没有可替代的中文字体"
        notes.append(
            f"{ROLE_NAMES[role]}字体“{chain[0]}”本机未安装：文件中仍按公文要求写明该字体，"
            f"在装有公文字体的电脑上按其显示和打印（{shown}）"
        )
    return chosen, notes


def title_lines(title: str, per_line: int = TITLE_CHARS) -> list[str]:
    """The title broken where a reader would break it, never leaving one character alone.

    A title longer than a line is split into lines of near-equal length, preferring a break
    after 关于 …的, a unit's name (局/区/县/市), a year (年) or before 工作/情况/报告.
    """
    text = title.strip()
    if len(text) <= per_line:
        return [text]
    best: tuple[float, int] | None = None
    for cut in range(2, len(text) - 1):
        head, tail = text[:cut], text[cut:]
        if len(head) > per_line or len(tail) > per_line * 2:
            continue
        score = abs(len(head) - len(tail)) * 1.0
        if head[-1] in "的年局区县市与和及、，" or head.endswith("关于"):
            score -= 4
        if tail.startswith(("工作", "情况", "报告", "总结", "计划", "要点")):
            score -= 3
        if head[-1].isdigit() and tail[0].isdigit():
            score += 50  # never inside a number
        if best is None or score < best[0]:
            best = (score, cut)
    if best is None:
        return [text]
    cut = best[1]
    return [text[:cut], *title_lines(text[cut:], per_line)]


def _font_table(document: Any) -> None:
    """Give Word an official alternative for each official font it may lack (w:altName)."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.oxml import serialize_part_xml
    from docx.oxml import OxmlElement, parse_xml
    from docx.oxml.ns import qn

    part = document.part
    table = next(
        (rel.target_part for rel in part.rels.values() if rel.reltype == RT.FONT_TABLE), None
    )
    if table is None:
        return
    root = parse_xml(table.blob)
    for name, alt in ALT_NAMES.items():
        font = next((f for f in root.findall(qn("w:font")) if f.get(qn("w:name")) == name), None)
        if font is None:
            font = OxmlElement("w:font")
            font.set(qn("w:name"), name)
            root.append(font)
        alt_name = OxmlElement("w:altName")
        alt_name.set(qn("w:val"), alt)
        font.insert(0, alt_name)
        charset = OxmlElement("w:charset")
        charset.set(qn("w:val"), "86")  # GB2312
        font.append(charset)
    table._blob = serialize_part_xml(root)


def _set_font(run: Any, name: str, size: float, *, bold: bool = False) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    r_fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        r_fonts.set(qn(attr), name)


def _style_fonts(document: Any, fonts: dict[str, str]) -> None:
    """Make the styles themselves official too, so text the user types later matches."""
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    for name, role, size in (
        ("Normal", "body", BODY_PT),
        ("Heading 1", "hei", BODY_PT),
        ("Heading 2", "hei", BODY_PT),
        ("Heading 3", "kai", BODY_PT),
        ("Heading 4", "body", BODY_PT),
    ):
        style = document.styles[name]
        style.font.name = fonts[role]
        style.font.size = Pt(size)
        style.font.bold = False
        style.font.italic = False
        style.font.color.rgb = RGBColor(0, 0, 0)
        r_fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            if r_fonts.get(qn(attr)) is not None:
                del r_fonts.attrib[qn(attr)]
        r_fonts.set(qn("w:eastAsia"), fonts[role])
        fmt = style.paragraph_format
        fmt.space_before = Pt(0)
        fmt.space_after = Pt(0)


def _page_setup(document: Any, fonts: dict[str, str]) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm

    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(28 - 7)
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(round(LINE_PITCH_PT * 20)))
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _set_font(footer.add_run("— "), fonts["song"], PAGE_NUMBER_PT)
    run = footer.add_run()
    _set_font(run, fonts["song"], PAGE_NUMBER_PT)
    for kind, text in (("begin", None), (None, " PAGE "), ("end", None)):
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._element.append(char)
        else:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._element.append(instr)
    _set_font(footer.add_run(" —"), fonts["song"], PAGE_NUMBER_PT)


def _paragraph(document: Any, style: str = "Normal", *, indent: bool = True) -> Any:
    from docx.enum.text import WD_LINE_SPACING
    from docx.shared import Pt

    paragraph = document.add_paragraph(style=style)
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(LINE_PITCH_PT)
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    fmt.first_line_indent = Pt(2 * BODY_PT) if indent else None
    return paragraph


def _runs(
    paragraph: Any, pieces: Iterable[Piece], font: str, *, bold: bool = False, size: float = BODY_PT
) -> None:
    """Runs of text in ``font``; a missing figure is highlighted so nobody prints it unseen."""
    from docx.enum.text import WD_COLOR_INDEX

    for piece in pieces:
        run = paragraph.add_run(piece.text)
        _set_font(run, font, size, bold=bold)
        if piece.kind == "missing":
            run.font.highlight_color = WD_COLOR_INDEX.YELLOW


def _heading_font(level: int, fonts: dict[str, str]) -> tuple[str, bool]:
    """一、 in 黑体, （一） in 楷体, 1. in 仿宋 bold, deeper levels plain 仿宋."""
    if level <= 1:
        return fonts["hei"], False
    if level == 2:
        return fonts["kai"], False
    return fonts["body"], level == 3


def build_document(db: Database, report_id: int, fonts: dict[str, str]) -> tuple[Any, Filler]:
    """The python-docx Document of a report, with its fields filled from the store."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    report = reports.report_by_id(db, report_id)
    nodes = reports.nodes_of(db, report_id)
    filler = Filler(db, report.unit_id, report.period or f"{report.year}-Y")
    document = docx.Document()
    _style_fonts(document, fonts)
    _font_table(document)
    _page_setup(document, fonts)
    document.core_properties.title = report.title
    document.core_properties.author = units.unit_by_id(db, report.unit_id).name

    # Word's "Title" style draws a rule under the title; an official document has none.
    _paragraph(document, indent=False)
    title = _paragraph(document, indent=False)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.line_spacing = Pt(35)
    for number, line in enumerate(title_lines(report.title)):
        if number:
            title.add_run().add_break()
        _runs(title, filler.pieces(line, "标题"), fonts["title"], size=TITLE_PT)
    _paragraph(document, indent=False)  # one empty line between title and text

    depth: dict[int, int] = {}
    for node in nodes:
        depth[node.id] = 0 if node.parent_id is None else depth[node.parent_id] + 1
        where = node.label or "前言"
        paragraphs = node.paragraphs
        if node.heading or node.marker:
            font, bold = _heading_font(node.level, fonts)
            heading_pieces = filler.pieces(node.label, where)
            if node.run_in and paragraphs and node.level >= 3:
                para = _paragraph(document)
            else:
                para = _paragraph(document, f"Heading {min(depth[node.id] + 1, 9)}")
            if node.level == 0:
                para.alignment = WD_ALIGN_PARAGRAPH.CENTER
                para.paragraph_format.first_line_indent = None
            _runs(para, heading_pieces, font, bold=bold)
            # Word keeps a heading with the next paragraph; a heading that carries its text
            # must not, or a run of such sections is pushed whole onto the next page.
            para.paragraph_format.keep_with_next = not (node.run_in and paragraphs)
            if node.run_in and paragraphs:
                _runs(para, [Piece("。")], font, bold=bold)
                _runs(para, filler.pieces(paragraphs.pop(0), where), fonts["body"])
        for text in paragraphs:
            _runs(_paragraph(document), filler.pieces(text, where), fonts["body"])
    return document, filler


def export_docx(
    db: Database, report_id: int, path: Path, *, installed: set[str] | None = None
) -> ExportResult:
    """Write the report to ``path``; say which fonts were used and which figures are missing."""
    fonts, fallbacks = choose_fonts(installed)
    document, filler = build_document(db, report_id, fonts)
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return ExportResult(path, fonts, fallbacks, filler.missing, filler.filled)

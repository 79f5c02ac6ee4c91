"""Build EcoDesk's bundled Simplified Chinese fonts from Noto Sans CJK SC.

Why this script exists
----------------------
EcoDesk must render Chinese on a bare machine, where no CJK font may be
installed, both in the Qt user interface and in matplotlib charts, including
PDF output with ``pdf.fonttype = 42`` (embedded TrueType, text stays
searchable and copyable).  We therefore ship our own font, derived from
Noto Sans CJK SC (SIL Open Font License 1.1), and this script rebuilds it
reproducibly from Debian's ``fonts-noto-cjk`` package:

* **Character set: GBK, not GB2312.**  A GB2312 subset is ~3 MB but misses
  characters common in Chinese personal and place names (镕 堃 喆 珺 昇 ...).
  We keep every character of the GBK code page (all double-byte sequences
  decoded with Python's ``gbk`` codec, ~21,800 characters) plus ASCII,
  Latin-1, Latin Extended-A, general punctuation, CJK symbols and
  punctuation, full-width forms,
  number forms (Ⅰ-Ⅻ), enclosed numbers (①-⑳), letter-like symbols (℃),
  arrows, box drawing, geometric shapes, and the CJK unit squares (㎡ ㎎ ...).
* **TrueType (glyf) outlines, not CFF.**  Noto Sans CJK has CFF outlines,
  and matplotlib's PDF backend embeds a font as Type 42 only when it has
  TrueType outlines.  We convert the cubic CFF curves to quadratic ones with
  ``cu2qu`` (the approach of fontTools' ``otf2ttf`` snippet) and drop CFF.
* **A distinct family name, "EcoDesk Sans".**  The OFL asks modified fonts
  not to use the original's primary name; copyright, designer and licence
  records of the name table are kept.
* **Layout.**  Only cheap OpenType features are kept (kerning/marks,
  vertical forms, half-width and proportional punctuation spacing).  The
  ``locl`` feature is dropped: it only maps to the JP/KR/TC glyph variants,
  which would roughly double the font for nothing in a Simplified Chinese
  application.  Hinting is dropped (the outlines are unhinted TrueType; a
  ``gasp`` table asks rasterizers to smooth at all sizes).

The output is byte-for-byte reproducible for a given source font and
fontTools version (timestamps are taken from the source font).

Usage::

    python packaging/make_font_subset.py [--source-dir DIR] [--out-dir DIR]

Requires only ``fonttools`` (and the ``fonts-noto-cjk`` Debian package, or
any directory holding ``NotoSansCJK-Regular.ttc`` / ``NotoSansCJK-Bold.ttc``).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont, TTLibError, newTable
from fontTools.ttLib.tables._g_a_s_p import (
    GASP_DOGRAY,
    GASP_GRIDFIT,
    GASP_SYMMETRIC_GRIDFIT,
    GASP_SYMMETRIC_SMOOTHING,
)
from fontTools.ttLib.tables._g_l_y_f import Glyph

DEFAULT_SOURCE_DIR = Path("/usr/share/fonts/opentype/noto")
DEFAULT_OUT_DIR = Path(__file__).resolve().parent.parent / "resources" / "fonts"

SOURCE_FACE = "Noto Sans CJK SC"
FAMILY = "EcoDesk Sans"
PS_FAMILY = "EcoDeskSans"

# Maximum deviation, in font units (1000 per em), of the quadratic curves
# from the original cubic ones.  1.0 is what fontTools' otf2ttf uses.
CU2QU_MAX_ERR = 1.0

# Name records copied verbatim from the source font: copyright (0),
# designer (9), licence description (13) and licence URL (14).  The other
# records name Noto/Adobe/Google as font or vendor and are replaced/dropped.
KEPT_NAME_IDS = (0, 9, 13, 14)

# OpenType layout features kept by the subsetter (see module docstring).
LAYOUT_FEATURES = (
    "ccmp",
    "kern",
    "mark",
    "mkmk",
    "vert",
    "vrt2",
    "vkrn",
    "halt",
    "vhal",
    "palt",
    "vpal",
    "hwid",
    "fwid",
)

# Unicode ranges kept in addition to GBK (inclusive bounds).
EXTRA_RANGES: tuple[tuple[int, int], ...] = (
    (0x0020, 0x007E),  # Basic Latin (ASCII)
    (0x00A0, 0x00FF),  # Latin-1 Supplement (incl. · ² ³ µ × ÷)
    (0x0100, 0x017F),  # Latin Extended-A
    (0x01CD, 0x01DC),  # pinyin letters with caron (ǎ ǐ ǒ ǔ ǖ ǘ ǚ ǜ)
    (0x0391, 0x03C9),  # Greek letters (incl. μ)
    (0x2000, 0x206F),  # General Punctuation (— … “ ” ‘ ’ ‰ ※)
    (0x2070, 0x209F),  # Superscripts and Subscripts (the source has only ⁴)
    (0x20A0, 0x20CF),  # Currency Symbols (€)
    (0x2100, 0x214F),  # Letterlike Symbols (℃ № ™)
    (0x2150, 0x218F),  # Number Forms (Ⅰ-Ⅻ, ⅰ-ⅻ)
    (0x2190, 0x21FF),  # Arrows
    (0x2460, 0x24FF),  # Enclosed Alphanumerics (①-⑳, ⑴, ⒈)
    (0x2500, 0x257F),  # Box Drawing
    (0x2580, 0x259F),  # Block Elements
    (0x25A0, 0x25FF),  # Geometric Shapes (■ □ ▲ △ ● ○ ◆ ◇)
    (0x2605, 0x2606),  # ★ ☆
    (0x3000, 0x303F),  # CJK Symbols and Punctuation (《》【】「」)
    (0x3220, 0x3243),  # Parenthesized ideographs (㈠-㈩)
    (0x3280, 0x32B0),  # Circled ideographs (㊀-㊉ ...)
    (0x3380, 0x33DF),  # CJK unit squares (㎎ ㎏ ㎡ ㎥ ㏄)
    (0xFE30, 0xFE4F),  # CJK Compatibility Forms (vertical punctuation)
    (0xFF00, 0xFFEF),  # Halfwidth and Fullwidth Forms
)

RADICALS = (0x2E80, 0x2FDF)

# Characters that must be present; the build fails otherwise.
REQUIRED_TEXT = (
    "生态环境工作台空气质量优良率镕堃喆珺昇洞头金东奉化嘉兴平凉μg/m³ⅢⅤ劣℃①—…“”《》【】㎡‰·²"
)


@dataclass(frozen=True)
class Style:
    """One weight to build."""

    source_file: str
    source_subfamily: str
    subfamily: str
    out_file: str


STYLES = (
    Style("NotoSansCJK-Regular.ttc", "Regular", "Regular", "EcoDeskSans-Regular.ttf"),
    Style("NotoSansCJK-Bold.ttc", "Bold", "Bold", "EcoDeskSans-Bold.ttf"),
)


def gbk_characters() -> set[int]:
    """Return the code points of every character encodable in GBK.

    Every double-byte sequence (lead 0x81-0xFE, trail 0x40-0x7E, 0x80-0xFE)
    is decoded with Python's ``gbk`` codec; undefined sequences are skipped.
    """
    chars: set[int] = set()
    trails = [*range(0x40, 0x7F), *range(0x80, 0xFF)]
    for lead in range(0x81, 0xFF):
        for trail in trails:
            try:
                text = bytes((lead, trail)).decode("gbk")
            except UnicodeDecodeError:
                continue
            chars.update(ord(c) for c in text)
    # Never keep private-use code points (the codec maps none today).
    return {c for c in chars if not 0xE000 <= c <= 0xF8FF}


def wanted_characters() -> set[int]:
    """Return the full set of code points to keep (before source coverage)."""
    chars = gbk_characters()
    for first, last in EXTRA_RANGES:
        chars.update(range(first, last + 1))
    chars.update(ord(c) for c in REQUIRED_TEXT)
    # CJK radicals (U+2E80-U+2FDF, a few of them in GBK) share their glyphs with the unified
    # ideographs; kept, they make PDF text extraction map 生 to the radical ⽣ and searches fail.
    return {c for c in chars if not RADICALS[0] <= c <= RADICALS[1]}


def open_face(path: Path, family: str, subfamily: str) -> TTFont:
    """Open the face of a collection whose name table says family/subfamily.

    The face index of Noto Sans CJK SC in the .ttc is 2, but we check the
    name table (typographic family 16/17, else 1/2) rather than trusting it.
    """
    index = 0
    while True:
        try:
            font = TTFont(path, fontNumber=index)
        except (TTLibError, IndexError) as exc:
            msg = f"{family} {subfamily} not found in {path}"
            raise SystemExit(msg) from exc
        name = font["name"]
        fam = name.getDebugName(16) or name.getDebugName(1)
        sub = name.getDebugName(17) or name.getDebugName(2)
        if fam == family and sub == subfamily:
            return font
        # Bold CJK faces are style-linked as "<family> Bold" / "Regular".
        if fam == f"{family} {subfamily}" and subfamily != "Regular":
            return font
        font.close()
        index += 1


def subset_font(font: TTFont, unicodes: Iterable[int]) -> None:
    """Subset *font* in place to *unicodes* with the kept layout features."""
    options = subset.Options()
    options.layout_features = list(LAYOUT_FEATURES)
    options.name_IDs = ["*"]
    options.name_languages = [0x0409]
    options.hinting = False
    options.notdef_outline = True
    options.glyph_names = True
    options.recalc_timestamp = False
    options.prune_unicode_ranges = True
    subsetter = subset.Subsetter(options=options)
    subsetter.populate(unicodes=unicodes)
    subsetter.subset(font)


def cff_to_glyf(font: TTFont, max_err: float = CU2QU_MAX_ERR) -> None:
    """Replace the CFF outlines of *font* by TrueType (quadratic) outlines.

    Follows fontTools' ``Snippets/otf2ttf.py``.
    """
    if "CFF " not in font:
        msg = "expected a CFF-flavoured font"
        raise ValueError(msg)
    glyph_order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()

    quad_glyphs: dict[str, Glyph] = {}
    for name in glyph_order:
        tt_pen = TTGlyphPen(glyph_set)
        # PostScript outlines run counter-clockwise, TrueType clockwise.
        glyph_set[name].draw(Cu2QuPen(tt_pen, max_err, reverse_direction=True))
        quad_glyphs[name] = tt_pen.glyph()

    font["loca"] = newTable("loca")
    glyf = font["glyf"] = newTable("glyf")
    glyf.glyphOrder = glyph_order
    glyf.glyphs = quad_glyphs
    del font["CFF "]
    if "VORG" in font:  # vertical origins are a CFF-only table
        del font["VORG"]
    glyf.compile(font)

    hmtx = font["hmtx"]
    for name, glyph in glyf.glyphs.items():
        if hasattr(glyph, "xMin"):
            hmtx[name] = (hmtx[name][0], glyph.xMin)

    maxp = font["maxp"] = newTable("maxp")
    maxp.tableVersion = 0x00010000
    maxp.maxZones = 1
    maxp.maxTwilightPoints = 0
    maxp.maxStorage = 0
    maxp.maxFunctionDefs = 0
    maxp.maxInstructionDefs = 0
    maxp.maxStackElements = 0
    maxp.maxSizeOfInstructions = 0
    maxp.maxComponentElements = 0
    maxp.compile(font)

    post = font["post"]
    post.formatType = 2.0
    post.extraNames = []
    post.mapping = {}
    post.glyphOrder = glyph_order
    try:
        post.compile(font)
    except OverflowError:
        post.formatType = 3.0

    # Unhinted outlines: ask for smoothing/grid-fitting at every size.
    gasp = font["gasp"] = newTable("gasp")
    gasp.version = 1
    gasp.gaspRange = {
        0xFFFF: (GASP_GRIDFIT | GASP_DOGRAY | GASP_SYMMETRIC_GRIDFIT | GASP_SYMMETRIC_SMOOTHING)
    }

    font["head"].glyphDataFormat = 0
    font.sfntVersion = "\x00\x01\x00\x00"


def rename(font: TTFont, subfamily: str) -> None:
    """Give *font* the distinct family name "EcoDesk Sans"."""
    name = font["name"]
    version = font["head"].fontRevision
    source_version = name.getDebugName(5) or f"Version {version:.3f}"
    source_full = name.getDebugName(4) or SOURCE_FACE
    kept = {nid: name.getDebugName(nid) for nid in KEPT_NAME_IDS if name.getDebugName(nid)}
    name.names = []

    full = FAMILY if subfamily == "Regular" else f"{FAMILY} {subfamily}"
    ps_name = f"{PS_FAMILY}-{subfamily}"
    records = {
        **kept,
        1: FAMILY,
        2: subfamily,
        3: f"{version:.3f};NONE;{ps_name}",
        4: full,
        5: f"Version {version:.3f}; EcoDesk GBK subset, TrueType outlines",
        6: ps_name,
        10: (
            f"{full}: a GBK subset of {source_full} "
            f"({source_version.split(';')[0]}) with TrueType outlines, "
            "made for EcoDesk. Modified Version under the SIL OFL 1.1."
        ),
    }
    for nid in sorted(records):
        name.setName(records[nid], nid, 3, 1, 0x0409)

    # The CID-keyed source has no vendor-neutral defaults here; keep metrics.
    font["OS/2"].achVendID = "NONE"


def build_style(style: Style, source_dir: Path, out_dir: Path, chars: set[int]) -> Path:
    """Build one weight and return the output path."""
    font = open_face(source_dir / style.source_file, SOURCE_FACE, style.source_subfamily)
    created = font["head"].created
    modified = font["head"].modified
    source_cmap = font.getBestCmap()
    missing = sorted(c for c in chars if c not in source_cmap)
    required_missing = [c for c in REQUIRED_TEXT if ord(c) not in source_cmap]
    if required_missing:
        msg = f"source font lacks required characters: {''.join(required_missing)}"
        raise SystemExit(msg)
    gbk = gbk_characters()
    gbk_missing = [c for c in missing if c in gbk]
    print(
        f"{style.source_file}: {len(chars) - len(missing)} of {len(chars)} wanted "
        f"code points are in the source ({len(gbk_missing)} GBK characters absent)"
    )

    subset_font(font, chars)
    cff_to_glyf(font)
    rename(font, style.subfamily)
    # Keep the source's timestamps so that rebuilds are byte-identical.
    font["head"].created = created
    font["head"].modified = modified
    font.recalcTimestamp = False

    out_dir.mkdir(parents=True, exist_ok=True)
    out_path = out_dir / style.out_file
    font.save(out_path, reorderTables=True)
    font.close()

    check = TTFont(out_path)
    cmap = check.getBestCmap()
    absent = [c for c in REQUIRED_TEXT if ord(c) not in cmap]
    if absent or "glyf" not in check:
        msg = f"{out_path}: verification failed, missing {''.join(absent)}"
        raise SystemExit(msg)
    size_mb = out_path.stat().st_size / 1e6
    print(
        f"  -> {out_path}: {len(check.getGlyphOrder())} glyphs, "
        f"{len(cmap)} cmap entries, {size_mb:.2f} MB"
    )
    check.close()
    return out_path


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source-dir", type=Path, default=DEFAULT_SOURCE_DIR)
    parser.add_argument("--out-dir", type=Path, default=DEFAULT_OUT_DIR)
    parser.add_argument("--regular-only", action="store_true", help="do not build the Bold weight")
    args = parser.parse_args(argv)

    chars = wanted_characters()
    styles = STYLES[:1] if args.regular_only else STYLES
    for style in styles:
        build_style(style, args.source_dir, args.out_dir, chars)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""F1: the built-in user guide, in Chinese, offline (offices are often cut off from the net).

The shortcut table is read from the window's own actions when the guide opens, so it can
never list a key that does not work; the yearly workflow is the bureau's year as
``docs``' domain guide describes it, told as what to click.
"""

from __future__ import annotations

from html import escape

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

TITLE = "EcoDesk 使用说明"

WORKFLOW = """
<h3>一年的工作怎么做</h3>
<p>打开程序先看“工作台”：每项报送任务（如“每月5日前”报市局月报、“季后10日内”报季报）
报的是哪个期间、何时截止、还差几项、是否逾期，一键“去填报”；30天内到期和已逾期的计划条目与
整改问题、最近的导入和备份也列在这里。“全部单位一览”把各单位同一期间的指标并排列出，
含下属合计，可排序、筛选、打印和导出。</p>
<ol>
<li><b>年初（1月）</b>：在“计划清单”页点“新建计划…”，把年度工作要点“粘贴提纲…”，
自动按“一、（一）1.（1）”分层；给有数字的任务设“量化目标…”（如 VOCs 治理企业 ≥ 16 家），
进度由指标库自动计算。</li>
<li><b>每月 / 每季度</b>：在“数据填报”页选好顶部的单位和期间（如 2023年1-10月），像 Excel 一样
填本期、去年同期和年度目标；F9 校验，表格下方列出问题。上级要表时在“数据交换”页导出报表，
或“按表样填报”填入上级原表；报送后点“标记已报送”锁定本期，工作台上该任务即显示“已报送”。</li>
<li><b>随时</b>：督察、信访交办的问题记入“整改台账”，整改中 → 已完成整改 / 立行立改 → 已销号；
销号须填核查情况和销号日期。“写入指标库”把各批次整改完成率写入本期指标。</li>
<li><b>开会前</b>：“图表”页选趋势、排名、同比等图，导出图片或打印；几张图存为“图表组”，
下月换期间一键“生成会议材料 PDF”。</li>
<li><b>年底（11-12月）</b>：“工作报告”页导入或编写工作总结，正文中的“**”空白和数字字段按指标库
填数，“导出公文…”得到 A4 公文格式的 .docx。</li>
</ol>
<h3>数据安全</h3>
<p>每次修改立即保存，Ctrl+Z 可撤销。每天首次打开和每次关闭时自动备份到数据库旁的“.备份”文件夹，
“文件 → 备份与恢复”可恢复。出错时程序会说明原因，并把详情记录到日志文件。</p>
"""

GRID_KEYS = (
    ("直接键入", "覆盖当前单元格"),
    ("F2 / 双击", "编辑单元格"),
    ("Enter / Tab", "下移 / 右移"),
    ("Delete", "清除选中的单元格"),
    ("Ctrl+C / Ctrl+V", "复制 / 粘贴整块（可从 Excel 粘贴）"),
    ("Ctrl+F", "查找（计划清单、整改台账、工作报告）"),
    ("Ctrl+P", "打印当前页（先预览）"),
)


def shortcut_rows(window: QWidget) -> list[tuple[str, str]]:
    """(key, what it does) for every action of ``window`` that has a shortcut, menu order."""
    rows: list[tuple[str, str]] = []
    seen: set[str] = set()
    for action in window.findChildren(QAction):
        keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        words = action.text().split("(&")[0].replace("&", "").rstrip("…").strip()
        if not keys or not words or keys in seen:
            continue
        seen.add(keys)
        rows.append((keys, words))
    return rows


def guide_html(window: QWidget) -> str:
    keys = [*shortcut_rows(window), *GRID_KEYS]
    table = "".join(
        f"<tr><td style='padding-right:16px'><b>{escape(k)}</b></td><td>{escape(w)}</td></tr>"
        for k, w in keys
    )
    return f"<h2>{TITLE}</h2>{WORKFLOW}<h3>快捷键</h3><table>{table}</table>"


class GuideDialog(QDialog):
    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.setWindowTitle(TITLE)
        self.resize(720, 640)
        self.text = QTextBrowser()
        self.text.setHtml(guide_html(window))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text, 1)
        layout.addWidget(buttons)

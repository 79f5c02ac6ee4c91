"""Every command of the main window's undo stack, one module per page that has its own.

The convention (``base``): a page writes first and pushes a command only after that write
succeeded, so the first ``redo()`` (which ``push`` calls) is skipped; an undo or redo that the
store refuses reports the sentence and marks the command obsolete, and Qt drops it.

    entry       数据填报: EntryEditCommand (typed, pasted, cleared cells)
    exchange    数据交换: ExchangeImportCommand (a committed workbook import, whole)
    monitoring  监测数据: MonitoringImportCommand (a committed air or water file, whole)
    reports     工作报告: ReportEditCommand (a saved edit of a section)
    callbacks   FieldCommand and ActionCommand, built from the page's callbacks: 计划清单,
                整改台账 and 工作报告's added and deleted sections push them
"""

"""Every command of the main window's undo stack, one module per page that has its own.

The convention (``base``): a page writes first and pushes a command only after that write
succeeded, so the first ``redo()`` (which ``push`` calls) is skipped; an undo or redo that the
store refuses reports the sentence and marks the command obsolete, and Qt drops it. A command
whose write is a whole import is a ``WorkerCommand``: first write, undo and redo run on the one
worker of ``desktop.tasks`` with the window disabled.

    entry       数据填报: EntryEditCommand (typed, pasted, cleared cells)
    exchange    数据交换: ExchangeImportCommand (a committed workbook import; worker)
    monitoring  监测数据: MonitoringImportCommand (a committed air or water file; worker)
    reports     工作报告: ReportEditCommand (a saved edit of a section)
    callbacks   FieldCommand and ActionCommand, built from the page's callbacks: 计划清单,
                整改台账 and 工作报告's added and deleted sections push them
"""

"""The commands of the main window's undo stack, one module per page that pushes its own.

entry (数据填报), exchange (数据交换), monitoring (监测数据), reports (工作报告); the two commands
built from a page's callbacks, shared by 计划清单, 整改台账, are in ``callbacks``.
"""

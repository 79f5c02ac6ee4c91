"""Excel exchange with the higher-level bureau: the bureau layout, finding a form's layout,
import with a dry run, export, filling a bureau's own form, consolidating branch returns.

No Qt here: the GUI page, the command line and the tests drive the same functions.
"""

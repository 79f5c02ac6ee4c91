"""EcoDesk storage and domain rules.

Everything here runs without Qt so that the command line, the tests and the GUI share one
implementation. Only this package talks SQL (an import-linter contract checks that).
"""

"""Errors the user must act on, kept apart from our own bugs.

Every ``StorageError`` carries a complete Chinese sentence that the GUI shows as it is and the
command line prints on one line; anything else that escapes is a bug and gets a traceback.
"""


class StorageError(Exception):
    """A problem with the database file or an action the data does not allow."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class NotEcoDeskDatabase(StorageError):
    """The file is not an SQLite database, or one that some other program made."""


class CorruptDatabase(StorageError):
    """SQLite's integrity check failed: the file must be restored from a backup."""


class NewerSchema(StorageError):
    """The file was written by a newer EcoDesk; opening it here could lose data."""


class ReadOnlyDatabase(StorageError):
    """A change was attempted on a database opened read-only."""


class PeriodLocked(StorageError):
    """The unit's period is marked 已报送 and refuses changes until unlocked."""


class ValueRejected(StorageError):
    """A single value failed a rule that refuses input (not a number, out of range)."""

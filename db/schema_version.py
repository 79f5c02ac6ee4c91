"""The schema version this build writes, known without loading the migrations themselves.

Opening a current database must stay cheap (no sqlite-utils, no catalog files), so the two
numbers it checks live here; ``db.migrations`` asserts that they match its list.
"""

#: PRAGMA application_id of an EcoDesk file: "EcoD" in ASCII.
APPLICATION_ID = 0x45636F44

#: The schema version this build of EcoDesk writes (the last migration's number).
LATEST_VERSION = 12

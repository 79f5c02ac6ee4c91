"""Use cases without Qt, shared by the GUI, the command line and the tests."""

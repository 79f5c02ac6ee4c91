"""The 工作台: what is due, what is missing, what was done last — composed from the rooms."""

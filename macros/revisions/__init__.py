"""The plan over time: frozen revisions beside the current data file, and what changed between two of them."""

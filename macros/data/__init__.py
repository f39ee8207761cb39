"""The data step: read data/sip.yaml with line numbers, validate it, and build the typed Plan."""

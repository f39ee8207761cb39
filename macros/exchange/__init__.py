"""Files other than the site pages: downloads, feeds, and (later) workbooks and translation files."""

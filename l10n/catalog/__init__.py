"""PO catalogs: the only package that touches polib (reading, writing, merging catalogs)."""

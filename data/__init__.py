"""Data files shipped as ``hrd_tui.data``: taxonomies, resources, checklist templates."""

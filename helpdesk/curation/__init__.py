"""Desk FAQ curation: curators write FAQ answers in Markdown that the chat cites once published.

Kept free of imports so that `helpdesk.curation.markup` (the one Markdown renderer) can be
imported by any area without pulling in the curation models.
"""

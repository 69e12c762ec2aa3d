"""Retention: stored conversations and closed tickets are removed once their period has passed."""
from .purge import Periods, purge

__all__ = ["Periods", "purge"]

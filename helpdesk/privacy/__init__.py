"""Personal details in free text: recognising and masking them before text is shared beyond its case."""
from .masking import mask

__all__ = ["mask"]

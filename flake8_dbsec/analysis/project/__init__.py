"""The project model: per-module summaries, cached, and what they let rules know.

Rules never read other files: they ask the semantics layer, which asks the
:class:`~.model.ProjectModel` (see :mod:`.model`).
"""

from .model import ProjectModel

__all__ = ["ProjectModel"]

"""Event linking: many reports of one real-world event become one linked event with mentions.

``stage.LinkStage`` links each extracted event (a *mention*) to the linked event it reports, or
starts a new one, over one durable store; ``keys`` holds the partition and blocking keys,
``facts`` what is compared, ``compare`` the compatibility rules, ``merge`` how fields merge,
``incidents`` the incidents of a report covering several places (each linked on its own),
``config.LinkConfig`` the settings. Records: ``schemas.LinkedEvent``, ``schemas.Mention``.
Measurements: evaluation/README.md ("Event linking").
"""

from pipeline.link.config import LinkConfig
from pipeline.link.keys import partition_key
from pipeline.link.stage import LinkOutcome, LinkStage

__all__ = ["LinkConfig", "LinkOutcome", "LinkStage", "partition_key"]

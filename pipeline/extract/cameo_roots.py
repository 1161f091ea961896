"""Sets of CAMEO root codes the extractor's decisions share."""

VIOLENT_ROOTS = frozenset({"18", "19", "20"})
"""Assault, fight, mass violence: violence done to a country is done in it."""
HARM_ROOTS = frozenset({"17", "18", "19", "20"})
"""Coercion and violence: acts that harm whom they are done to."""

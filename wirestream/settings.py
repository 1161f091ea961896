"""Moved to ``wirestream_core.settings``; this alias stays until agents/membership.py
imports it from there."""

from wirestream_core.settings import *  # noqa: F403

"""Moved to ``wirestream_core.connection``; this alias stays until agents/membership.py
imports it from there."""

from wirestream_core.connection import *  # noqa: F403

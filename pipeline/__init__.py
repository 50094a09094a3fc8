"""Delivery plans (text export, PDF, Word) into a canonical, validated dataset of actions."""

__version__ = "0.1.0"

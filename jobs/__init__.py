"""Reminder planning and delivery."""

"""Reminders: pure rules, jobs, scheduler, dispatcher and channels."""

"""Warnings (预警事项): the workflow's one writer, its pages, register, queue and history."""

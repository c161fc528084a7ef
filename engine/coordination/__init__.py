"""Coordination between sessions: resource limits, groups, priorities."""

from engine.coordination.churn import ChurnGuard
from engine.coordination.groups import SessionGroups
from engine.coordination.priority import Priority
from engine.coordination.resources import HARD_CAP, ResourceLimits

__all__ = ["HARD_CAP", "ChurnGuard", "Priority", "ResourceLimits", "SessionGroups"]

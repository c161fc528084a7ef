"""Scenario tests: scripted calls (`*.test` files) run against a plan, with coverage."""

from .parse import parse_scenarios, read_scenarios
from .suite import run_suite
from .transform import ScenarioError

__all__ = ["ScenarioError", "parse_scenarios", "read_scenarios", "run_suite"]

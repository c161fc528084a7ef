"""The sans-IO call machine: plan + call state + event -> new call state + commands."""

"""Scenario files, the SimPy runtime that drives the hub against the simulators, the
ground-truth checker, SLA metrics, reports and the command line."""

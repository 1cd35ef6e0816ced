"""Thin adapters that carry requests to a Simulator: in-process boto3, and (later) HTTP."""

"""Example workflows written against plain boto3, run by ``swfsim demo`` and the docs.

The modules here do not import swfsim: they are what a user's own decider and workers look like,
and they would run against Amazon SWF unchanged.
"""

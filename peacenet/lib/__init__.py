"""PeaceNet's leaf library: code the apps share (caching, mail, small helpers).

It imports no app of ours, and it is the only part of the project package that apps import
(import-linter contracts in pyproject.toml say so and ``make test`` checks them).
"""

"""pactlab: a workbench for multi-issue, multi-party negotiations."""

__version__ = "0.1.0"

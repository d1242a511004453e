"""Foreign formats: GENIUS XML domains and profiles in and out."""

from pactlab.interop.genius import genius_scenario_data, read_genius
from pactlab.interop.genius_export import write_genius

__all__ = ["genius_scenario_data", "read_genius", "write_genius"]

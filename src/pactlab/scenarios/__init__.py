"""Built-in scenario files (package data), referred to by id."""

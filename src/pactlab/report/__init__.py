"""The report layer: figures of every result type and the self-contained HTML report."""

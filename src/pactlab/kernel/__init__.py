"""The kernel shared by analysis and negotiation: Pareto frontiers, rationality, solutions."""

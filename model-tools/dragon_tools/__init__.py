"""Offline tooling for Dragon: train, export and evaluate the MoE model bundle."""

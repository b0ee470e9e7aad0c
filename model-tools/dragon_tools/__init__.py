"""Offline tooling for Dragon: train, export and evaluate the MoE model bundle."""
import os

# CPU threading, set before torch is first imported (libgomp and OpenBLAS read these when they load).
# Debian's torch runs element-wise ops on an OpenMP pool and matrix products on OpenBLAS's own pthread
# pool; by default the idle pool busy-waits (OpenMP spins, OpenBLAS calls sched_yield in a loop) on
# the core the other pool needs. Letting both sleep when idle halves a training step on 2 cores
# (2.56 → 1.24 s, weights bit-identical: only who waits how changes, not the arithmetic).
# A value already in the environment wins.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
os.environ.setdefault("OPENBLAS_THREAD_TIMEOUT", "4")

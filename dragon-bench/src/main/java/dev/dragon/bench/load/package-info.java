/** {@code ./dragon bench}: one seeded workload against LocalEngine, the running platform and PyTorch eager. */
package dev.dragon.bench.load;

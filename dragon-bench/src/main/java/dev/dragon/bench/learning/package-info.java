/** Benchmarks of online adaptation across processes: feedback through the gateway to a version live in every router. */
package dev.dragon.bench.learning;

/** Turns benchmark runs into the tables and JSON of docs/BENCHMARKS.md and results/. */
package dev.dragon.bench.report;

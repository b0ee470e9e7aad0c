/** Benchmarks of Dragon; results go to results/ and docs/BENCHMARKS.md, never into test assertions. */
package dev.dragon.bench;

/** Benchmarks run by hand (not tests): the gateway's added latency. */
package dev.dragon.gateway.bench;

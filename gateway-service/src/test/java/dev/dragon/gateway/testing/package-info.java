/** Test fixtures: a real Redis, a router stand-in over real HTTP, and the gateway booted on random ports. */
package dev.dragon.gateway.testing;

/** Next-token selection: sampling parameters, seeded temperature/top-k/top-p sampling with logprobs, stop sequences. */
package dev.dragon.core.sampling;

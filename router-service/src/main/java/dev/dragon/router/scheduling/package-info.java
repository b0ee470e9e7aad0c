/** Turns API requests into engine generations and the engine's token callbacks into Reactor streams, with cancellation and backpressure. */
package dev.dragon.router.scheduling;

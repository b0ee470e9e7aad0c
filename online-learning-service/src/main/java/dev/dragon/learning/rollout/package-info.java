/** Candidate updates, their exactly-once publication on dragon.adapters, the version history, and the learner loop. */
package dev.dragon.learning.rollout;

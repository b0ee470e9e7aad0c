/** Bench mains (not tests): what one learner update costs, and predictive coding against gradient descent. */
package dev.dragon.learning.bench;

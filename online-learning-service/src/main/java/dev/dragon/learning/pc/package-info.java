/** Predictive-coding learning of the PC layer in front of the LM head, its gradient-descent baseline, and perplexity. */
package dev.dragon.learning.pc;

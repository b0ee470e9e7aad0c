/** Predictive-coding adapter versions: the swappable weights of the PC layer in front of the LM head. */
package dev.dragon.core.adapter;

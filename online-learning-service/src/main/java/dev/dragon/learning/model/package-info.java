/** The model side of the learner: the bundle in process, PC-layer inputs of token sequences, the LM-head loss and the base set. */
package dev.dragon.learning.model;

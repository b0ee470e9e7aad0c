/** The model's forward pass over a bundle: embedding, attention with KV rings, gating, experts, PC layer and head. */
package dev.dragon.core.model;

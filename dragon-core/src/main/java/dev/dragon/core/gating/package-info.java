/** DeepSeek-V3 style MoE gating: sigmoid affinities, bias-steered top-k or adaptive selection, routing statistics. */
package dev.dragon.core.gating;

/** Sliding-window KV ring buffers of live sequences, in direct memory handed to ONNX Runtime without copies. */
package dev.dragon.core.kv;

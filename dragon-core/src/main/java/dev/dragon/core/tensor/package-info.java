/** Tensors on disk and on the wire: IEEE half floats, safetensors files and the compact matrix codec. */
package dev.dragon.core.tensor;

package dev.dragon.core.bundle;

/** Bundle-relative paths of the safetensors files: gate weights and the PC layer. */
public record TensorFiles(String gates, String pcLayer) {
}

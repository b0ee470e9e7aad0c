/** ONNX Runtime sessions of a bundle's graphs: one shared environment, tuned threads, small tensor helpers. */
package dev.dragon.core.runtime;

/** Routed-expert computation behind one interface: in-process ONNX sessions here, remote groups in the router. */
package dev.dragon.core.expert;

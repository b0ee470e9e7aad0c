/** The experts this replica serves: placement, ONNX sessions, request validation and batched computation. */
package dev.dragon.expert.inference;

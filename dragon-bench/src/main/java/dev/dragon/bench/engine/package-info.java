/** JMH benchmarks of the in-process engine (LocalEngine) and of ONNX Runtime on the model's own graphs. */
package dev.dragon.bench.engine;

package dev.dragon.core.runtime;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxTensorLike;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One ONNX graph of the bundle. {@link #run} takes named inputs and copies the named outputs into
 * caller-owned arrays, closing every native value it created, so callers never leak native memory.
 * Thread-safe (ORT sessions may run concurrently).
 */
public final class Graph implements AutoCloseable {

    private final String name;
    private final OrtEnvironment env;
    private final OrtSession session;

    Graph(String name, OrtEnvironment env, OrtSession session) {
        this.name = name;
        this.env = env;
        this.session = session;
    }

    public String name() {
        return name;
    }

    /** Starts a call: add inputs, then {@link Call#run()}. */
    public Call call() {
        return new Call();
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new InferenceException(name, "cannot close", e);
        }
    }

    /** The inputs of one run; tensors over heap arrays are copied by ORT, direct buffers are used in place. */
    public final class Call {
        private final Map<String, OnnxTensorLike> inputs = new LinkedHashMap<>();
        private final List<OnnxTensor> owned = new ArrayList<>();

        public Call floats(String input, float[] data, int offset, int length, long... shape) {
            return floats(input, FloatBuffer.wrap(data, offset, length).slice(), shape);
        }

        public Call floats(String input, FloatBuffer data, long... shape) {
            return add(input, () -> OnnxTensor.createTensor(env, data, shape));
        }

        public Call longs(String input, long[] data, long... shape) {
            return add(input, () -> OnnxTensor.createTensor(env, LongBuffer.wrap(data), shape));
        }

        public Call longs(String input, LongBuffer data, long... shape) {
            return add(input, () -> OnnxTensor.createTensor(env, data, shape));
        }

        private Call add(String input, TensorFactory factory) {
            try {
                OnnxTensor t = factory.create();
                owned.add(t);
                inputs.put(input, t);
                return this;
            } catch (OrtException e) {
                closeInputs();
                throw new InferenceException(name, "cannot create input " + input, e);
            }
        }

        /** Runs the graph and returns its outputs; close the result. */
        public Outputs run() {
            try {
                return new Outputs(session.run(inputs));
            } catch (OrtException e) {
                throw new InferenceException(name, "run failed: " + e.getMessage(), e);
            } finally {
                closeInputs();
            }
        }

        private void closeInputs() {
            owned.forEach(OnnxTensor::close);
            owned.clear();
        }
    }

    /** The outputs of one run. */
    public final class Outputs implements AutoCloseable {
        private final OrtSession.Result result;

        private Outputs(OrtSession.Result result) {
            this.result = result;
        }

        /** Copies output {@code output} (as flat row-major floats) into {@code dst} at {@code offset}. */
        public int copy(String output, float[] dst, int offset) {
            FloatBuffer buf = tensor(output).getFloatBuffer();
            int n = buf.remaining();
            buf.get(dst, offset, n);
            return n;
        }

        /** Output {@code output} as a new flat float array. */
        public float[] floats(String output) {
            FloatBuffer buf = tensor(output).getFloatBuffer();
            float[] out = new float[buf.remaining()];
            buf.get(out);
            return out;
        }

        private OnnxTensor tensor(String output) {
            return (OnnxTensor) result.get(output)
                    .orElseThrow(() -> new InferenceException(name, "no output " + output, null));
        }

        @Override
        public void close() {
            result.close();
        }
    }

    @FunctionalInterface
    private interface TensorFactory {
        OnnxTensor create() throws OrtException;
    }
}

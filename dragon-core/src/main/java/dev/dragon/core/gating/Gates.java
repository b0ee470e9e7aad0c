package dev.dragon.core.gating;

import dev.dragon.core.bundle.GatingBias;
import dev.dragon.core.tensor.FloatTensor;
import dev.dragon.core.tensor.SafeTensors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Builds every layer's {@link Gate} from a bundle's {@code gates.safetensors} and manifest biases. */
public final class Gates {

    private Gates() {
    }

    /** The tensor name of layer {@code layer}'s gate weights. */
    public static String tensorName(int layer) {
        return "layers." + layer + ".gate";
    }

    /**
     * One gate per layer of {@code bias}: weights {@code layers.{l}.gate} must be {@code [E, dModel]}
     * with {@code E} the number of biases per layer.
     *
     * @throws IllegalArgumentException naming the tensor when a shape does not match
     */
    public static List<Gate> fromTensors(SafeTensors gates, GatingBias bias, int dModel, GatingPolicy policy) {
        List<Gate> out = new ArrayList<>(bias.layers());
        for (int layer = 0; layer < bias.layers(); layer++) {
            FloatTensor weights = gates.floats(tensorName(layer));
            int[] expected = {bias.experts(), dModel};
            if (!Arrays.equals(weights.shape(), expected)) {
                throw new IllegalArgumentException("gate tensor '" + tensorName(layer) + "' has shape "
                        + Arrays.toString(weights.shape()) + ", expected " + Arrays.toString(expected));
            }
            out.add(Gate.of(weights, bias.layer(layer), policy));
        }
        return List.copyOf(out);
    }
}

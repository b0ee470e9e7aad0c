package dev.dragon.learning.pc;

/**
 * The loss at the PC layer's output: the LM head's next-token NLL and its gradient with respect to the head's
 * input {@code mu}. The production implementation runs the bundle's {@code lm_head.onnx}.
 */
public interface OutputLoss {

    /**
     * For {@code mu [n,d]} and {@code targets [n]}: writes {@code nll [n]} = -log softmax(mu·Wheadᵀ)[target] and, when
     * {@code grad} is not null, {@code grad [n,d]} = dNLL/dmu (per row, not averaged).
     */
    void evaluate(float[] mu, int[] targets, int n, float[] nll, float[] grad);
}

package dev.dragon.learning.pc;

/** Mean next-token NLL and perplexity of rows under a PC layer and the LM head. */
public final class Perplexity {

    /** Rows per LM-head call (bounds the {@code [rows, V]} logits the head materialises). */
    private static final int CHUNK = 512;

    private Perplexity() {
    }

    /** Mean NLL in nats of {@code rows} when the head sees {@code mu = x + W2·tanh(W1·x)}. */
    public static double meanNll(PcWeights weights, Rows rows, OutputLoss loss) {
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("no rows to score");
        }
        PcLayer layer = new PcLayer(weights);
        double sum = 0;
        for (int from = 0; from < rows.n(); from += CHUNK) {
            int to = Math.min(rows.n(), from + CHUNK);
            Rows part = rows.slice(from, to);
            float[] mu = layer.forward(part.x(), part.n());
            float[] nll = new float[part.n()];
            loss.evaluate(mu, part.targets(), part.n(), nll, null);
            for (float v : nll) {
                sum += v;
            }
        }
        return sum / rows.n();
    }

    /** {@code exp(mean NLL)}. */
    public static double of(PcWeights weights, Rows rows, OutputLoss loss) {
        return Math.exp(meanNll(weights, rows, loss));
    }
}

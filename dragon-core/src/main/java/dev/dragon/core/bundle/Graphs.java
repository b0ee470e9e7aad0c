package dev.dragon.core.bundle;

import java.util.List;

/**
 * Bundle-relative paths of the ONNX graphs.
 *
 * @param embed     token embedding
 * @param attention per layer, the attention block
 * @param shared    per layer, the shared expert FFN
 * @param experts   per layer, per routed expert, the expert FFN ({@code [layer][expert]})
 * @param head      final norm, PC layer and LM head
 * @param lmHead    LM head with NLL and its gradient (online learner)
 */
public record Graphs(String embed, List<String> attention, List<String> shared, List<List<String>> experts,
                     String head, String lmHead) {

    public Graphs {
        attention = List.copyOf(attention);
        shared = List.copyOf(shared);
        experts = experts.stream().map(List::copyOf).toList();
    }
}

package dev.dragon.core.testing;

import dev.dragon.core.bundle.GoldenReference;
import dev.dragon.core.bundle.ModelBundle;
import dev.dragon.core.expert.ExpertRunner;
import dev.dragon.core.expert.LocalExpertBackend;
import dev.dragon.core.model.DragonModel;
import dev.dragon.core.runtime.OrtRuntime;
import dev.dragon.core.runtime.RuntimeOptions;
import dev.dragon.core.tokenizer.ChatMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The shipped bundle (models/dragon-moe-mini), loaded once per test JVM. It is committed, so its
 * absence is a failure, never a skip.
 */
public final class ShippedModel {

    public static final Path DIR = Path.of("..", "models", "dragon-moe-mini");

    private static ModelBundle bundle;
    private static OrtRuntime runtime;
    private static DragonModel model;
    private static LocalExpertBackend experts;

    private ShippedModel() {
    }

    public static synchronized ModelBundle bundle() {
        if (bundle == null) {
            if (!Files.isRegularFile(DIR.resolve("manifest.json"))) {
                throw new IllegalStateException("the shipped bundle is missing at " + DIR.toAbsolutePath());
            }
            bundle = ModelBundle.open(DIR);
        }
        return bundle;
    }

    public static synchronized OrtRuntime runtime() {
        if (runtime == null) {
            runtime = new OrtRuntime(new RuntimeOptions(2, false));
        }
        return runtime;
    }

    /** The dense part with the bundle's top-k gating. */
    public static synchronized DragonModel model() {
        if (model == null) {
            model = DragonModel.load(bundle(), runtime(), null);
        }
        return model;
    }

    /** Every routed expert, in process. */
    public static synchronized LocalExpertBackend experts() {
        if (experts == null) {
            experts = new LocalExpertBackend(ExpertRunner.load(bundle(), runtime(), ExpertRunner.Selection.all()));
        }
        return experts;
    }

    public static GoldenReference golden() {
        return bundle().golden();
    }

    /** The prompt ids a golden case was recorded with, rebuilt through the Java chat template. */
    public static int[] promptOf(GoldenReference.Case c) {
        var template = model().tokenizer().chatTemplate();
        return switch (c.kind()) {
            case COMPLETION -> template.completionPrompt(c.prompt());
            case CHAT -> template.chatPrompt(c.messages().stream()
                    .map(m -> new ChatMessage(m.role(), m.content())).toList());
        };
    }

    public static int[] stopIdsOf(GoldenReference.Case c) {
        var template = model().tokenizer().chatTemplate();
        return c.kind() == GoldenReference.Kind.CHAT ? template.chatStopIds() : template.completionStopIds();
    }

    public static List<GoldenReference.Case> cases() {
        return golden().cases();
    }
}

package dev.dragon.core.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

class ModelBundleTest {

    @TempDir
    Path dir;

    @Test
    void opensAValidBundleAndReadsTheManifest() {
        ModelBundle bundle = ModelBundle.open(new TestBundle(dir).write());

        Manifest m = bundle.manifest();
        assertThat(m.name()).isEqualTo("tiny");
        assertThat(m.version()).isEqualTo("1.0.0");
        Architecture a = bundle.architecture();
        assertThat(a.vocabSize()).isEqualTo(300);
        assertThat(a.dModel()).isEqualTo(8);
        assertThat(a.nLayers()).isEqualTo(2);
        assertThat(a.routedExperts()).isEqualTo(4);
        assertThat(a.topK()).isEqualTo(2);
        assertThat(a.normEps()).isEqualTo(1e-5);
        assertThat(a.gating()).isEqualTo(new Gating("sigmoid", "topk(s+bias)", true));
        assertThat(m.gatingBias().layer(1)).containsExactly(-0.02f, 0f, 0.02f, 0.04f);
        assertThat(m.partition().groups()).extracting(ExpertGroup::name).containsExactly("g0", "g1");
        assertThat(m.partition().groupOf(1, 3).name()).isEqualTo("g1");
        assertThat(m.partition().groupIndexOf(0, 1)).isZero();
        assertThat(m.training()).isEqualTo(new TrainingInfo(1234, 10, 1000, 1.5, "tiny"));
        assertThat(m.files()).hasSize(19);
    }

    @Test
    void resolvesEveryGraphAndFileToVerifiedPathsInTheBundle() {
        ModelBundle bundle = ModelBundle.open(new TestBundle(dir).write());
        Path root = dir.toAbsolutePath().normalize();
        assertThat(bundle.dir()).isEqualTo(root);
        assertThat(bundle.embedGraph()).isEqualTo(root.resolve("embed.onnx"));
        assertThat(bundle.attentionGraph(1)).isEqualTo(root.resolve("layers/attn_1.onnx"));
        assertThat(bundle.sharedExpertGraph(0)).isEqualTo(root.resolve("layers/shared_0.onnx"));
        assertThat(bundle.expertGraph(1, 2)).isEqualTo(root.resolve("experts/l1_e2.onnx"));
        assertThat(bundle.headGraph()).isEqualTo(root.resolve("head.onnx"));
        assertThat(bundle.lmHeadGraph()).isEqualTo(root.resolve("lm_head.onnx"));
        assertThat(bundle.gatesTensors()).isEqualTo(root.resolve("gates.safetensors"));
        assertThat(bundle.pcLayerTensors()).isEqualTo(root.resolve("pc_layer.safetensors"));
        assertThat(bundle.tokenizerFile()).isEqualTo(root.resolve("tokenizer.json"));
        assertThat(bundle.goldenFile()).isEqualTo(root.resolve("golden.json"));
        assertThat(bundle.golden().cases()).hasSize(2);
        assertThatThrownBy(() -> bundle.expertGraph(2, 0)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> bundle.expertGraph(0, 4)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> bundle.resolve("MODEL_CARD.md")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void missingFileIsNamedWithWhatWasExpected() throws IOException {
        TestBundle b = new TestBundle(dir);
        b.write();
        Files.delete(dir.resolve("experts/l1_e3.onnx"));
        BundleException e = catchThrowableOfType(BundleException.class, () -> ModelBundle.open(dir));
        assertThat(e.file()).isEqualTo("experts/l1_e3.onnx");
        assertThat(e).hasMessageStartingWith("experts/l1_e3.onnx: missing file (expected 8 bytes, sha256 ");
    }

    @Test
    void wrongSizeSaysExpectedAndActual() throws IOException {
        new TestBundle(dir).write();
        Files.writeString(dir.resolve("head.onnx"), "head plus more");
        assertThatThrownBy(() -> ModelBundle.open(dir)).isInstanceOf(BundleException.class)
                .hasMessage("head.onnx: wrong size: expected 4 bytes, actual 14 bytes");
    }

    @Test
    void wrongDigestSaysExpectedAndActual() throws IOException {
        TestBundle b = new TestBundle(dir);
        b.write();
        Files.writeString(dir.resolve("gates.safetensors"), "gatez");
        String expected = TestBundle.sha256(TestBundle.bytes("gates"));
        String actual = TestBundle.sha256(TestBundle.bytes("gatez"));
        assertThatThrownBy(() -> ModelBundle.open(dir)).isInstanceOf(BundleException.class)
                .hasMessage("gates.safetensors: wrong sha256: expected " + expected + ", actual " + actual);
    }

    @Test
    void sizeProblemsAreFoundBeforeAnyHashing() throws IOException {
        new TestBundle(dir).write();
        Files.writeString(dir.resolve("embed.onnx"), "EMBED"); // same size, wrong digest, listed first
        Files.delete(dir.resolve("golden.json")); // listed last, but a cheap check
        assertThatThrownBy(() -> ModelBundle.open(dir)).hasMessageStartingWith("golden.json: missing file");
    }

    @Test
    void missingManifestIsReported() {
        assertThatThrownBy(() -> ModelBundle.open(dir)).isInstanceOf(BundleException.class)
                .hasMessageStartingWith("manifest.json: missing file in bundle directory");
    }

    @Test
    void manifestThatIsNotJsonIsReported() throws IOException {
        Files.writeString(dir.resolve("manifest.json"), "{\"format\": ");
        assertThatThrownBy(() -> ModelBundle.open(dir)).isInstanceOf(BundleException.class)
                .hasMessageStartingWith("manifest.json: not valid JSON");
    }

    @Test
    void removingAnyManifestFieldIsReportedByItsPath() {
        TestBundle b = new TestBundle(dir);
        for (String path : b.memberPaths()) {
            TestBundle fresh = new TestBundle(dir);
            remove(fresh.manifest, path);
            fresh.write();
            assertThatThrownBy(() -> ModelBundle.open(dir)).as(path).isInstanceOf(BundleException.class)
                    .hasMessageStartingWith("manifest.json: field '" + path + "': missing");
        }
    }

    @Test
    void wrongTypesAreReportedByPath() {
        assertManifestError(m -> obj(m, "architecture").put("d_model", "256"),
                "field 'architecture.d_model': expected a 32-bit integer, got string \"256\"");
        assertManifestError(m -> obj(m, "architecture").put("n_layers", 0),
                "field 'architecture.n_layers': must be >= 1, got 0");
        assertManifestError(m -> obj(m, "architecture").put("top_k", 5),
                "field 'architecture.top_k': must be <= routed_experts (4), got 5");
        assertManifestError(m -> obj(m, "architecture").put("norm_eps", -1.0),
                "field 'architecture.norm_eps': must be a positive number");
        assertManifestError(m -> m.put("format", "dragon-bundle/2"),
                "field 'format': unsupported format 'dragon-bundle/2'");
        assertManifestError(m -> obj(obj(m, "architecture"), "gating").put("affinity", "softmax"),
                "field 'architecture.gating.affinity': unsupported affinity 'softmax'");
        assertManifestError(m -> obj(obj(m, "architecture"), "gating").put("normalize", false),
                "field 'architecture.gating.normalize'");
    }

    @Test
    void shapeMismatchesAreReportedByPath() {
        assertManifestError(m -> ((ArrayNode) m.get("gating_bias")).remove(1),
                "field 'gating_bias': expected 2 entries, got 1");
        assertManifestError(m -> ((ArrayNode) m.get("gating_bias").get(1)).add(0.5),
                "field 'gating_bias[1]': expected 4 entries, got 5");
        assertManifestError(m -> ((ArrayNode) obj(m, "graphs").get("experts").get(0)).remove(3),
                "field 'graphs.experts[0]': expected 4 entries, got 3");
        assertManifestError(m -> ((ArrayNode) obj(m, "graphs").get("attention")).add("layers/attn_0.onnx"),
                "field 'graphs.attention': expected 2 entries, got 3");
    }

    @Test
    void partitionMustCoverEveryExpertExactlyOnce() {
        assertManifestError(m -> ((ArrayNode) m.get("partition").get("groups").get(0).get("experts").get(1)).add(2),
                "field 'partition.groups[1].experts[1][0]': expert 2 of layer 1 is already in group 'g0'");
        assertManifestError(m -> ((ArrayNode) m.get("partition").get("groups").get(1).get("experts").get(0)).remove(1),
                "field 'partition.groups': expert 3 of layer 0 is in no group");
        assertManifestError(m -> ((ArrayNode) m.get("partition").get("groups").get(1).get("experts").get(0)).add(9),
                "field 'partition.groups[1].experts[0][2]': expert 9 out of range [0, 4)");
        assertManifestError(m -> ((ObjectNode) m.get("partition").get("groups").get(1)).put("name", "g0"),
                "field 'partition.groups[1].name': duplicate group name 'g0'");
    }

    @Test
    void referencedFilesMustBeListedAndStayInsideTheBundle() {
        assertManifestError(m -> obj(m, "files").remove("head.onnx"),
                "field 'graphs.head': 'head.onnx' is not listed in files");
        assertManifestError(m -> obj(m, "files").putObject("../escape.onnx")
                        .put("sha256", TestBundle.sha256(new byte[0])).put("bytes", 0),
                "field 'files.../escape.onnx': file name '../escape.onnx' must not contain");
        assertManifestError(m -> obj(m, "files").putObject("/etc/passwd")
                        .put("sha256", TestBundle.sha256(new byte[0])).put("bytes", 0),
                "must be a relative path");
        assertManifestError(m -> obj(obj(m, "files"), "embed.onnx").put("sha256", "ABC"),
                "field 'files.embed.onnx.sha256': sha256 must be 64 lowercase hex digits");
        assertManifestError(m -> obj(obj(m, "files"), "embed.onnx").put("bytes", -1),
                "field 'files.embed.onnx.bytes': bytes must be >= 0");
    }

    private void assertManifestError(java.util.function.Consumer<ObjectNode> change, String expectedFragment) {
        TestBundle b = new TestBundle(dir);
        change.accept(b.manifest);
        b.write();
        assertThatThrownBy(() -> ModelBundle.open(dir)).isInstanceOf(BundleException.class)
                .hasMessageStartingWith("manifest.json: ")
                .hasMessageContaining(expectedFragment);
    }

    private static ObjectNode obj(ObjectNode parent, String name) {
        return (ObjectNode) parent.get(name);
    }

    private static void remove(ObjectNode root, String dottedPath) {
        String[] parts = dottedPath.split("\\.");
        ObjectNode node = root;
        for (int i = 0; i < parts.length - 1; i++) {
            node = (ObjectNode) node.get(parts[i]);
        }
        node.remove(parts[parts.length - 1]);
    }
}

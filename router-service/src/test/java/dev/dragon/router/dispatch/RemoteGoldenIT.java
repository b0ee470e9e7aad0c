package dev.dragon.router.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import dev.dragon.core.bundle.GoldenReference;
import dev.dragon.core.engine.EngineObserver;
import dev.dragon.core.engine.EngineOptions;
import dev.dragon.core.engine.ExpertUnavailableException;
import dev.dragon.core.engine.GenerationRequest;
import dev.dragon.core.engine.LocalEngine;
import dev.dragon.core.kv.KvArena;
import dev.dragon.core.model.DragonModel;
import dev.dragon.core.model.ForwardPass;
import dev.dragon.core.model.StepInput;
import dev.dragon.core.model.StepOutput;
import dev.dragon.core.sampling.SamplingParams;
import dev.dragon.core.tensor.TensorCodec.Precision;
import dev.dragon.router.discovery.ReplicaEndpoint;
import dev.dragon.router.discovery.StaticExpertDiscovery;
import dev.dragon.router.testing.RecordingSink;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The model with its routed experts in two expert groups behind gRPC reproduces the golden reference: every
 * recorded top logit within 1e-3 and the same experts step by step, and the golden greedy continuations
 * through the engine's continuous batching — also when one of two replicas of each group is killed
 * mid-stream. A group without replicas fails only the sequences that need it, with a clear error.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RemoteGoldenIT {

    /** Channels on one shared loop with a layer's calls started on it, as the router runs them. */
    private static final DispatchLoop LOOP = new DispatchLoop();
    private final List<AutoCloseable> closing = new ArrayList<>();
    private final Map<String, List<ExpertGroupServer>> servers = new java.util.HashMap<>();
    private StaticExpertDiscovery discovery;
    private RemoteExpertBackend backend;

    @BeforeAll
    void startGroups() throws Exception {
        discovery = new StaticExpertDiscovery(Set.of("g0", "g1"), Map.of());
        for (String group : List.of("g0", "g1")) {
            List<ExpertGroupServer> replicas = List.of(ExpertGroupServer.ofGroup(group), ExpertGroupServer.ofGroup(group));
            closing.addAll(replicas);
            servers.put(group, replicas);
            discovery.update(group, replicas.stream().map(ExpertGroupServer::endpoint).toList());
        }
        backend = backendOver(discovery, Precision.FP32);
    }

    @AfterAll
    void stop() throws Exception {
        backend.close();
        for (AutoCloseable c : closing) {
            c.close();
        }
        LOOP.close();
    }

    /** The platform's decode: steps split into two staggered micro-batches (down to one row each here). */
    private static final EngineOptions OVERLAPPED = new EngineOptions(16, 64, 256, 2, 1);

    @Test
    void forwardPass_withRemoteExperts_reproducesGoldenLogitsAndExperts() {
        DragonModel model = ShippedExperts.model();
        var arch = model.architecture();
        for (GoldenReference.Case golden : ShippedExperts.golden().cases()) {
            ForwardPass pass = new ForwardPass(model, backend, KvArena.forModel(arch, 1), (l, r) -> { });
            int[] prompt = golden.promptIdArray();
            StepOutput out = null;
            for (int from = 0; from < prompt.length; from += arch.window()) {     // chunked prefill
                out = pass.run(StepInput.chunk(0, prompt, from, Math.min(prompt.length, from + arch.window()), from,
                        false));
            }
            float[] logits = new float[arch.vocabSize()];
            int[] greedy = golden.greedyIdArray();
            for (int step = 0; step < golden.steps().size(); step++) {
                assertThat(out.failures()).as("%s step %d", golden.name(), step).isEmpty();
                model.head(out.hidden(), 0, 1, model.baseAdapter(), logits, 0, null);
                GoldenReference.Step expected = golden.steps().get(step);
                for (GoldenReference.TopLogit top : expected.top()) {
                    assertThat(logits[top.id()]).as("%s step %d token %d", golden.name(), step, top.id())
                            .isCloseTo(top.logit(), within(1e-3f));
                }
                for (int l = 0; l < arch.nLayers(); l++) {
                    assertThat(out.experts()[0][l]).as("%s step %d layer %d", golden.name(), step, l).containsExactly(
                            expected.experts().get(l).stream().mapToInt(Integer::intValue).toArray());
                }
                out = pass.run(new StepInput(0, 1, 1, new long[] {greedy[step]},
                        new long[] {prompt.length + step}, false));
            }
        }
    }

    @Test
    void engine_withRemoteExpertsAndOverlap_reproducesEveryGoldenContinuation_whileAReplicaOfEachGroupIsKilled()
            throws Exception {
        List<GoldenReference.Case> cases = ShippedExperts.golden().cases();
        long waitedBefore = backend.waitedNanos();
        try (LocalEngine engine = new LocalEngine(ShippedExperts.model(), backend, OVERLAPPED,
                EngineObserver.NONE)) {
            List<RecordingSink> sinks = submitGreedy(engine, cases);
            await().atMost(Duration.ofMinutes(2)).until(() -> sinks.stream().anyMatch(s -> s.tokens.size() >= 2));
            servers.get("g0").get(0).kill();                                     // mid-stream
            servers.get("g1").get(1).kill();

            for (int i = 0; i < cases.size(); i++) {
                sinks.get(i).await();
                assertThat(sinks.get(i).ids()).as(cases.get(i).name()).containsExactly(expectedIds(cases.get(i)));
            }
        } finally {
            discovery.update("g0", List.of(servers.get("g0").get(1).endpoint()));
            discovery.update("g1", List.of(servers.get("g1").get(0).endpoint()));
        }
        assertThat(backend.waitedNanos()).as("the engine waited on dispatch").isGreaterThan(waitedBefore);
    }

    @Test
    void engine_failsOnlyWithExpertUnavailable_whenAGroupHasNoReplica() throws Exception {
        StaticExpertDiscovery onlyG0 = new StaticExpertDiscovery(Set.of("g0", "g1"),
                Map.of("g0", List.of(liveEndpoint("g0"))));
        try (RemoteExpertBackend halfBackend = backendOver(onlyG0, Precision.FP32);
             LocalEngine engine = new LocalEngine(ShippedExperts.model(), halfBackend, new EngineOptions(4, 8, 256),
                     EngineObserver.NONE)) {
            GoldenReference.Case c = ShippedExperts.golden().cases().getFirst();
            RecordingSink sink = new RecordingSink();
            engine.submit(new GenerationRequest("needs-g1", c.promptIdArray(), stopIds(c),
                    SamplingParams.builder().temperature(0).maxTokens(4).build(), false, sink));

            assertThatThrownBy(sink::await).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOfSatisfying(ExpertUnavailableException.class, e ->
                            assertThat(e.failures().values()).allSatisfy(v -> assertThat(v).contains("g1")));
            await().atMost(Duration.ofSeconds(30)).until(() -> engine.running() == 0);
        }
    }

    @Test
    void engine_withFp16RowsOnTheWireAndOverlap_reproducesEveryGoldenContinuation() throws Exception {
        StaticExpertDiscovery live = new StaticExpertDiscovery(Set.of("g0", "g1"),
                Map.of("g0", List.of(liveEndpoint("g0")), "g1", List.of(liveEndpoint("g1"))));
        List<GoldenReference.Case> cases = ShippedExperts.golden().cases();
        try (RemoteExpertBackend fp16 = backendOver(live, Precision.FP16);
             LocalEngine engine = new LocalEngine(ShippedExperts.model(), fp16, OVERLAPPED,
                     EngineObserver.NONE)) {
            List<RecordingSink> sinks = submitGreedy(engine, cases);
            for (int i = 0; i < cases.size(); i++) {
                sinks.get(i).await();
                assertThat(sinks.get(i).ids()).as(cases.get(i).name()).containsExactly(expectedIds(cases.get(i)));
            }
        }
    }

    /** Submits every case, greedy, for as many tokens as its golden continuation; one sink per case. */
    private static List<RecordingSink> submitGreedy(LocalEngine engine, List<GoldenReference.Case> cases) {
        List<RecordingSink> sinks = new ArrayList<>();
        for (GoldenReference.Case c : cases) {
            RecordingSink sink = new RecordingSink();
            sinks.add(sink);
            engine.submit(new GenerationRequest(c.name(), c.promptIdArray(), stopIds(c),
                    SamplingParams.builder().temperature(0).maxTokens(c.greedyIdArray().length).build(), false, sink));
        }
        return sinks;
    }

    /** The golden greedy continuation as the engine emits it: a final stop token is not emitted. */
    private static int[] expectedIds(GoldenReference.Case c) {
        int[] greedy = c.greedyIdArray();
        int last = greedy[greedy.length - 1];
        return Arrays.stream(stopIds(c)).anyMatch(s -> s == last) ? Arrays.copyOf(greedy, greedy.length - 1) : greedy;
    }

    /** A backend over {@code groups} with generous deadlines (the IT shares two cores with four servers). */
    private static RemoteExpertBackend backendOver(StaticExpertDiscovery groups, Precision precision) {
        return new RemoteExpertBackend(ShippedExperts.modelId(),
                GroupPlacement.of(ShippedExperts.bundle().manifest(), Map.of()), groups, ChannelFactory.plaintext(LOOP),
                new RemoteExpertBackend.Settings(precision, Duration.ofSeconds(20), Duration.ofSeconds(60), 2),
                new SimpleMeterRegistry());
    }

    private ReplicaEndpoint liveEndpoint(String group) {
        return discovery.replicas(group).getFirst();
    }

    private static int[] stopIds(GoldenReference.Case c) {
        var template = ShippedExperts.model().tokenizer().chatTemplate();
        return c.kind() == GoldenReference.Kind.CHAT ? template.chatStopIds() : template.completionStopIds();
    }
}

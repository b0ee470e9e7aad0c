package dev.dragon.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dragon.core.adapter.PcAdapter;
import dev.dragon.core.expert.ExpertBackend;
import dev.dragon.core.expert.ExpertResult;
import dev.dragon.core.model.StepProfile;
import dev.dragon.core.sampling.SamplingParams;
import dev.dragon.core.testing.CollectingSink;
import dev.dragon.core.testing.ShippedModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LocalEngineTest {

    private static LocalEngine engine(int maxBatch, int maxQueue) {
        return new LocalEngine(ShippedModel.model(), ShippedModel.experts(),
                new EngineOptions(maxBatch, maxQueue, 256), EngineObserver.NONE);
    }

    private static int[] prompt(String text) {
        return ShippedModel.model().tokenizer().chatTemplate().completionPrompt(text);
    }

    private static SamplingParams.Builder sampling() {
        return SamplingParams.builder().temperature(0.9).seed(7L);
    }

    @Test
    void maxTokens_endsWithLength() throws Exception {
        try (LocalEngine e = engine(4, 8)) {
            CollectingSink sink = new CollectingSink();
            e.submit(new GenerationRequest("r", prompt("The sea"), new int[0], sampling().maxTokens(5).build(), false, sink));
            sink.await();
            assertThat(sink.completion.reason()).isEqualTo(FinishReason.LENGTH);
            assertThat(sink.completion.completionTokens()).isEqualTo(5);
            assertThat(sink.tokens).hasSize(5);
            assertThat(sink.completion.promptTokens()).isEqualTo(prompt("The sea").length);
            assertThat(sink.completion.firstTokenNanos()).isPositive();
        }
    }

    @Test
    void seededSampling_isReproducible_andSeedsDiffer() throws Exception {
        try (LocalEngine e = engine(4, 8)) {
            int[][] runs = new int[3][];
            long[] seeds = {11, 11, 12};
            for (int i = 0; i < 3; i++) {
                CollectingSink sink = new CollectingSink();
                e.submit(new GenerationRequest("r" + i, prompt("Once upon a time"), new int[0],
                        SamplingParams.builder().temperature(1.0).seed(seeds[i]).maxTokens(24).build(), false, sink));
                runs[i] = sink.await().ids();
            }
            assertThat(runs[1]).containsExactly(runs[0]);
            assertThat(runs[2]).isNotEqualTo(runs[0]);
        }
    }

    @Test
    void stopSequence_endsGeneration_andIsNeverEmitted() throws Exception {
        try (LocalEngine e = engine(4, 8)) {
            CollectingSink free = new CollectingSink();
            e.submit(new GenerationRequest("free", prompt("The"), new int[0], sampling().maxTokens(40).build(), false, free));
            String text = free.await().text();
            // stop at the first space after the first 10 characters of what the model writes
            int space = text.indexOf(' ', 10);
            assertThat(space).as("generated text has a later space: %s", text).isPositive();
            String stop = text.substring(space, space + 2);
            CollectingSink stopped = new CollectingSink();
            e.submit(new GenerationRequest("stop", prompt("The"), new int[0],
                    sampling().maxTokens(40).stop(List.of(stop)).build(), false, stopped));
            stopped.await();
            assertThat(stopped.completion.reason()).isEqualTo(FinishReason.STOP);
            assertThat(stopped.text()).isEqualTo(text.substring(0, text.indexOf(stop)));
        }
    }

    @Test
    void cancel_freesTheSlot_forTheNextRequest() throws Exception {
        try (LocalEngine e = engine(1, 8)) {
            CollectingSink first = new CollectingSink();
            GenerationHandle handle = e.submit(new GenerationRequest("long", prompt("A"), new int[0],
                    sampling().maxTokens(10_000).build(), false, first));
            first.awaitFirstToken();
            CollectingSink second = new CollectingSink();
            e.submit(new GenerationRequest("next", prompt("B"), new int[0], sampling().maxTokens(3).build(), false, second));
            handle.cancel();
            first.await();
            assertThat(first.completion.reason()).isEqualTo(FinishReason.CANCELLED);
            assertThat(first.completion.completionTokens()).isLessThan(10_000);
            assertThat(second.await().completion.reason()).isEqualTo(FinishReason.LENGTH);
            assertThat(e.running()).isZero();
        }
    }

    @Test
    void fullQueue_rejectsWithQueueFull() throws Exception {
        try (LocalEngine e = engine(1, 1)) {
            List<GenerationHandle> handles = new ArrayList<>();
            List<CollectingSink> sinks = new ArrayList<>();
            assertThatThrownBy(() -> {
                for (int i = 0; i < 10; i++) {
                    CollectingSink s = new CollectingSink();
                    sinks.add(s);
                    handles.add(e.submit(new GenerationRequest("q" + i, prompt("X"), new int[0],
                            sampling().maxTokens(10_000).build(), false, s)));
                }
            }).isInstanceOf(QueueFullException.class);
            handles.forEach(GenerationHandle::cancel);
            for (int i = 0; i < handles.size(); i++) {
                assertThat(sinks.get(i).await().completion.reason()).isEqualTo(FinishReason.CANCELLED);
            }
        }
    }

    @Test
    void adapterSwap_appliesToNewRequests_whileRunningOnesKeepTheirVersion() throws Exception {
        var arch = ShippedModel.model().architecture();
        Random rnd = new Random(3);
        float[] w1 = ShippedModel.model().baseAdapter().w1Array();
        float[] w2 = new float[arch.dModel() * arch.pcHidden()];
        for (int i = 0; i < w2.length; i++) {
            w2[i] = (float) rnd.nextGaussian() * 0.5f;
        }
        PcAdapter v1 = PcAdapter.of("1", "0", arch.pcHidden(), arch.dModel(), w1, w2);
        try (LocalEngine e = engine(4, 8)) {
            CollectingSink before = new CollectingSink();
            GenerationHandle running = e.submit(new GenerationRequest("before", prompt("Hello"), new int[0],
                    sampling().maxTokens(10_000).build(), false, before));
            before.awaitFirstToken();
            e.setAdapter(v1);
            CollectingSink after = new CollectingSink();
            e.submit(new GenerationRequest("after", prompt("Hello"), new int[0],
                    SamplingParams.builder().temperature(0).maxTokens(8).build(), false, after));
            after.await();
            running.cancel();
            before.await();
            assertThat(before.completion.adapterVersion()).isEqualTo("0");
            assertThat(after.completion.adapterVersion()).isEqualTo("1");

            e.setAdapter(ShippedModel.model().baseAdapter());
            CollectingSink base = new CollectingSink();
            e.submit(new GenerationRequest("base", prompt("Hello"), new int[0],
                    SamplingParams.builder().temperature(0).maxTokens(8).build(), false, base));
            assertThat(base.await().ids()).as("a large random W2 changes greedy output").isNotEqualTo(after.ids());
        }
    }

    @Test
    void restoredPrefixState_continuesExactlyLikeAColdPrefill() throws Exception {
        var template = ShippedModel.model().tokenizer().chatTemplate();
        int[] prompt = template.chatPrompt(List.of(
                new dev.dragon.core.tokenizer.ChatMessage("system", "You are Dragon. ".repeat(20)),
                new dev.dragon.core.tokenizer.ChatMessage("user", "What is 23+45?")));
        int prefix = prompt.length - 9;
        SamplingParams greedy = SamplingParams.builder().temperature(0).maxTokens(12).logprobs(true).build();
        List<dev.dragon.core.kv.KvState> captured = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (LocalEngine e = engine(4, 8)) {
            CollectingSink cold = new CollectingSink();
            e.submit(new GenerationRequest("cold", prompt, template.chatStopIds(), greedy, false, cold,
                    PrefixCache.captureOnly(new int[] {prefix}, captured::add)));
            cold.await();
            assertThat(captured).hasSize(1);
            assertThat(captured.getFirst().nextPosition()).isEqualTo(prefix);

            CollectingSink warm = new CollectingSink();
            e.submit(new GenerationRequest("warm", prompt, template.chatStopIds(), greedy, false, warm,
                    PrefixCache.restoreOnly(captured.getFirst(), prefix)));
            warm.await();
            assertThat(warm.completion.cachedTokens()).isEqualTo(prefix);
            assertThat(warm.ids()).containsExactly(cold.ids());
            for (int i = 0; i < cold.tokens.size(); i++) {
                assertThat(warm.tokens.get(i).logprob()).isCloseTo(cold.tokens.get(i).logprob(),
                        org.assertj.core.api.Assertions.within(1e-4f));
            }
        }
    }

    @Test
    void statesCapturedAtSeveralPoints_eachRestoreToTheColdRunsOutput() throws Exception {
        var template = ShippedModel.model().tokenizer().chatTemplate();
        int[] prompt = template.chatPrompt(List.of(
                new dev.dragon.core.tokenizer.ChatMessage("system", "You are Dragon. ".repeat(40)),
                new dev.dragon.core.tokenizer.ChatMessage("user", "What is 23+45?")));
        int[] points = {32, 64, 160, prompt.length - 9};     // block boundaries, one past the 128-token window
        assertThat(prompt.length - 9).isGreaterThan(160);
        SamplingParams greedy = SamplingParams.builder().temperature(0).maxTokens(12).logprobs(true).build();
        List<dev.dragon.core.kv.KvState> captured = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (LocalEngine e = engine(4, 8)) {
            CollectingSink cold = new CollectingSink();
            e.submit(new GenerationRequest("cold", prompt, template.chatStopIds(), greedy, false, cold,
                    PrefixCache.captureOnly(points, captured::add)));
            cold.await();
            assertThat(captured).extracting(dev.dragon.core.kv.KvState::nextPosition)
                    .containsExactly(java.util.Arrays.stream(points).asLongStream().boxed().toArray(Long[]::new));

            for (int i = 0; i < points.length; i++) {
                CollectingSink warm = new CollectingSink();
                int later = i + 1 < points.length ? points[i + 1] : 0;   // restoring one point, capturing the next
                List<dev.dragon.core.kv.KvState> again = new java.util.concurrent.CopyOnWriteArrayList<>();
                e.submit(new GenerationRequest("warm" + i, prompt, template.chatStopIds(), greedy, false, warm,
                        new PrefixCache(captured.get(i), points[i], later > 0 ? new int[] {later} : new int[0],
                                later > 0 ? again::add : null)));
                warm.await();
                assertThat(warm.completion.cachedTokens()).isEqualTo(points[i]);
                assertThat(warm.ids()).as("restored at %d", points[i]).containsExactly(cold.ids());
                for (int t = 0; t < cold.tokens.size(); t++) {
                    assertThat(warm.tokens.get(t).logprob()).isCloseTo(cold.tokens.get(t).logprob(),
                            org.assertj.core.api.Assertions.within(1e-4f));
                }
                if (later > 0) {
                    assertThat(again).hasSize(1);
                    assertThat(again.getFirst().positions()).containsExactly(captured.get(i + 1).positions());
                }
            }
        }
    }

    @Test
    void capturePoints_mustAscendBeyondTheRestoredPrefix_andLeaveAPromptToken() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> PrefixCache.captureOnly(new int[] {64, 32}, s -> { }))
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> PrefixCache.captureOnly(new int[] {0, 32}, s -> { }))
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> PrefixCache.captureOnly(new int[] {32}, null))
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new GenerationRequest("x", new int[32], new int[0],
                        SamplingParams.builder().build(), false, new CollectingSink(),
                        PrefixCache.captureOnly(new int[] {16, 32}, s -> { })))
                .isInstanceOf(IllegalArgumentException.class);
        PrefixCache p = PrefixCache.captureOnly(new int[] {32, 64}, s -> { });
        assertThat(p.nextCapturePoint(0)).isEqualTo(32);
        assertThat(p.nextCapturePoint(32)).isEqualTo(64);
        assertThat(p.nextCapturePoint(64)).isZero();
        assertThat(p.lastCapturePoint()).isEqualTo(64);
    }

    @Test
    void includeExperts_reportsTopKExpertsPerLayer() throws Exception {
        var arch = ShippedModel.model().architecture();
        try (LocalEngine e = engine(2, 8)) {
            CollectingSink sink = new CollectingSink();
            e.submit(new GenerationRequest("x", prompt("Why"), new int[0], sampling().maxTokens(4).build(), true, sink));
            sink.await();
            assertThat(sink.tokens).allSatisfy(t -> {
                assertThat(t.experts()).hasNumberOfRows(arch.nLayers());
                for (int[] layer : t.experts()) {
                    assertThat(layer).hasSize(arch.topK());
                    assertThat(java.util.Arrays.stream(layer).allMatch(x -> x >= 0 && x < arch.routedExperts())).isTrue();
                }
            });
            assertThat(e.routingStats().averageExpertsPerToken()).isEqualTo(arch.topK());
        }
    }

    @Test
    void unavailableExpert_failsExactlyTheRequestsThatNeedIt() throws Exception {
        List<String> prompts = List.of("What is 12+34?", "The cat", "Zebra", "1 2 3", "Once upon a time", "Reverse",
                "Q:", "Hello there", "42", "Tell me");
        SamplingParams greedy = SamplingParams.builder().temperature(0).maxTokens(6).build();
        // 1. healthy solo runs: which layer-0 experts does each request route through (prompt and output)?
        List<java.util.Set<Integer>> used = new ArrayList<>();
        for (String p : prompts) {
            java.util.Set<Integer> experts = new java.util.TreeSet<>();
            EngineObserver layer0 = new EngineObserver() {
                @Override
                public void onRouting(int layer, dev.dragon.core.gating.Routing routing) {
                    for (int r = 0; layer == 0 && r < routing.rows(); r++) {
                        for (int x : routing.experts(r)) {
                            experts.add(x);
                        }
                    }
                }
            };
            try (LocalEngine e = new LocalEngine(ShippedModel.model(), ShippedModel.experts(),
                    new EngineOptions(1, 4, 256), layer0)) {
                CollectingSink s = new CollectingSink();
                e.submit(new GenerationRequest(p, prompt(p), new int[0], greedy, false, s));
                s.await();
            }
            used.add(experts);
        }
        // 2. break the layer-0 expert that the fewest (but at least one) requests need
        int broken = -1;
        long fewest = Long.MAX_VALUE;
        for (int x = 0; x < ShippedModel.model().architecture().routedExperts(); x++) {
            final int ex = x;
            long n = used.stream().filter(u -> u.contains(ex)).count();
            if (n > 0 && n < fewest) {
                fewest = n;
                broken = x;
            }
        }
        assertThat(fewest).as("some expert is needed by only part of the requests").isLessThan(prompts.size());
        final int lost = broken;
        ExpertBackend real = ShippedModel.experts();
        ExpertBackend degraded = batch -> real.submit(batch).thenApply(res -> {
            boolean hit = batch.layer() == 0 && java.util.Arrays.stream(batch.experts()).anyMatch(x -> x == lost);
            return hit ? new ExpertResult(res.output(), Map.of(lost, "replica gone")) : res;
        });
        // 3. all together, degraded: exactly the requests that route through it fail, with a clear error
        try (LocalEngine e = new LocalEngine(ShippedModel.model(), degraded, new EngineOptions(16, 16, 4096),
                EngineObserver.NONE)) {
            List<CollectingSink> sinks = new ArrayList<>();
            for (String p : prompts) {
                CollectingSink s = new CollectingSink();
                sinks.add(s);
                e.submit(new GenerationRequest(p, prompt(p), new int[0], greedy, false, s));
            }
            for (int i = 0; i < prompts.size(); i++) {
                CollectingSink s = sinks.get(i).await();
                if (used.get(i).contains(lost)) {
                    assertThat(s.error).as(prompts.get(i)).isInstanceOf(ExpertUnavailableException.class)
                            .hasMessageContaining("layer 0 expert " + lost);
                } else {
                    assertThat(s.error).as(prompts.get(i)).isNull();
                    assertThat(s.completion.reason()).isEqualTo(FinishReason.LENGTH);
                }
            }
            assertThat(e.running()).isZero();
        }
    }

    @Test
    void everyDecodeStep_isReportedByStage_andTheStagesAddUpToItsTime() throws Exception {
        List<long[]> steps = new ArrayList<>();
        EngineObserver observer = new EngineObserver() {
            @Override
            public void onDecodeProfile(StepProfile profile) {
                long[] copy = new long[StepProfile.stages().length + 1];
                for (var stage : StepProfile.stages()) {
                    copy[stage.ordinal()] = profile.nanos(stage);
                }
                copy[copy.length - 1] = profile.totalNanos();
                steps.add(copy);
            }
        };
        long t0 = System.nanoTime();
        try (LocalEngine e = new LocalEngine(ShippedModel.model(), ShippedModel.experts(),
                new EngineOptions(4, 8, 256), observer)) {
            CollectingSink sink = new CollectingSink();
            e.submit(new GenerationRequest("profiled", prompt("Hello"), new int[0],
                    SamplingParams.builder().temperature(0).maxTokens(6).build(), false, sink));
            sink.await();
        }
        long wall = System.nanoTime() - t0;
        assertThat(steps).hasSize(5);                        // the first token comes from the prefill step
        for (long[] step : steps) {
            for (var stage : List.of(StepProfile.Stage.EMBED,
                    StepProfile.Stage.ATTENTION, StepProfile.Stage.SHARED,
                    StepProfile.Stage.HEAD, StepProfile.Stage.SAMPLING)) {
                assertThat(step[stage.ordinal()]).as(stage.tag()).isPositive();
            }
            assertThat(step[step.length - 1]).isLessThan(wall);
        }
    }
}

package dev.dragon.router.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dragon.core.bundle.ModelBundle;
import dev.dragon.core.engine.Completion;
import dev.dragon.core.engine.EngineObserver;
import dev.dragon.core.engine.EngineOptions;
import dev.dragon.core.engine.GeneratedToken;
import dev.dragon.core.engine.GenerationRequest;
import dev.dragon.core.engine.LocalEngine;
import dev.dragon.core.engine.PrefixCache;
import dev.dragon.core.expert.ExpertRunner;
import dev.dragon.core.expert.LocalExpertBackend;
import dev.dragon.core.kv.KvState;
import dev.dragon.core.model.DragonModel;
import dev.dragon.core.runtime.OrtRuntime;
import dev.dragon.core.runtime.RuntimeOptions;
import dev.dragon.core.sampling.SamplingParams;
import dev.dragon.core.tokenizer.ChatMessage;
import dev.dragon.core.tokenizer.ChatTemplate;
import dev.dragon.router.testing.RecordingSink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The router's KV-state client with real states of the shipped model, against a real gRPC server
 * implementing the CacheService contract: a state captured by one router instance and restored by
 * another (after an fp16 round trip through the wire) continues generation like a cold prefill.
 */
class KvStateCacheClientIT {

    private static final Path BUNDLE = Path.of("..", "models", "dragon-moe-mini");
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final SamplingParams GREEDY = SamplingParams.builder().temperature(0).maxTokens(10)
            .logprobs(true).topLogprobs(3).build();
    private static final String SYSTEM = "You are Dragon, a helpful assistant. Answer in one short sentence. ".repeat(4);

    private static DragonModel model;
    private static LocalExpertBackend experts;
    private static ChatTemplate chat;
    private static String modelVersion;

    private final CacheServer server = new CacheServer(new ContractCacheService(CacheEntries.inMemory(), 64 * 1024));
    private final ClientFixture clients = new ClientFixture();
    private final CacheClientProperties settings = ClientFixture.settings(server.target(), Duration.ofSeconds(5));

    @BeforeAll
    static void loadModel() {
        assertThat(BUNDLE.resolve("manifest.json")).as("the shipped bundle").satisfies(p -> assertThat(Files.isRegularFile(p)).isTrue());
        ModelBundle bundle = ModelBundle.open(BUNDLE);
        OrtRuntime runtime = new OrtRuntime(new RuntimeOptions(2, false));
        model = DragonModel.load(bundle, runtime, null);
        experts = new LocalExpertBackend(ExpertRunner.load(bundle, runtime, ExpertRunner.Selection.all()));
        chat = model.tokenizer().chatTemplate();
        modelVersion = bundle.manifest().name() + "@" + bundle.manifest().version();
    }

    @AfterAll
    static void closeModel() {
        experts.close();
        model.close();
    }

    @AfterEach
    void close() throws Exception {
        clients.close();
        server.close();
    }

    private KvStateCacheClient router() {
        return clients.states(settings, new PromptPrefixHasher(modelVersion, "topk-2", settings.blockSize()));
    }

    /** One greedy generation: restoring {@code restore} when given, capturing the state at {@code captureAt} when > 0. */
    private static Run generate(int[] prompt, KvPrefix restore, int captureAt) throws Exception {
        return generate(prompt, restore, captureAt > 0 ? new int[] {captureAt} : new int[0]);
    }

    /** One greedy generation: restoring {@code restore} when given, capturing the state at each of {@code points}. */
    private static Run generate(int[] prompt, KvPrefix restore, int[] points) throws Exception {
        List<KvState> captured = new CopyOnWriteArrayList<>();
        PrefixCache cache = restore == null && points.length == 0 ? null : new PrefixCache(
                restore == null ? null : restore.state(), restore == null ? 0 : restore.tokens(), points,
                points.length > 0 ? captured::add : null);
        RecordingSink sink = new RecordingSink();
        try (LocalEngine engine = new LocalEngine(model, experts, new EngineOptions(2, 4, 256), EngineObserver.NONE)) {
            engine.submit(new GenerationRequest("it", prompt, chat.chatStopIds(), GREEDY, false, sink, cache));
            Completion done = sink.done.get(120, TimeUnit.SECONDS);
            return new Run(sink.tokens, done, List.copyOf(captured));
        }
    }

    private record Run(List<GeneratedToken> tokens, Completion completion, List<KvState> all) {
        int[] ids() {
            return tokens.stream().mapToInt(GeneratedToken::token).toArray();
        }

        KvState captured() {
            return all.isEmpty() ? null : all.getFirst();
        }
    }

    private static void assertSameContinuation(Run cold, Run warm) {
        assertThat(warm.ids()).containsExactly(cold.ids());
        for (int i = 0; i < cold.tokens().size(); i++) {
            var expected = cold.tokens().get(i).topLogprobs();
            var actual = warm.tokens().get(i).topLogprobs();
            for (int j = 0; j < expected.size(); j++) {
                assertThat(actual.get(j).token()).isEqualTo(expected.get(j).token());
                assertThat(Math.abs(actual.get(j).logprob() - expected.get(j).logprob())).as("fp16 state, step %d", i)
                        .isLessThanOrEqualTo(1e-3f);
            }
        }
    }

    @Test
    void nextChatTurn_onAnotherRouter_restoresThePreviousTurnsPrompt_andContinuesLikeAColdRun() throws Exception {
        List<ChatMessage> turn1 = List.of(new ChatMessage("system", SYSTEM), new ChatMessage("user", "What is 23+45?"));
        int[] prompt1 = chat.chatPrompt(turn1);
        KvStateCacheClient first = router();
        int capture = first.capturePoint(prompt1.length);
        Run run1 = generate(prompt1, null, capture);
        assertThat(first.store("acme", prompt1, capture, run1.captured()).block(WAIT)).isTrue();

        String answer = model.tokenizer().decode(run1.ids());
        int[] prompt2 = chat.chatPrompt(List.of(turn1.get(0), turn1.get(1), new ChatMessage("assistant", answer),
                new ChatMessage("user", "And 10+10?")));
        CacheLookup<KvPrefix> found = router().lookup("acme", prompt2).block(WAIT);

        assertThat(found.outcome()).isEqualTo(CacheOutcome.HIT);
        KvPrefix prefix = found.value().orElseThrow();
        assertThat(prefix.tokens()).isEqualTo(capture);
        Run warm = generate(prompt2, prefix, 0);
        Run cold = generate(prompt2, null, 0);
        assertThat(warm.completion().cachedTokens()).isEqualTo(capture);
        assertSameContinuation(cold, warm);
    }

    @Test
    void sharedSystemPrompt_isFoundByAnotherUsersPrompt_atTheLongestStoredBlock() throws Exception {
        int[] prompt1 = chat.chatPrompt(List.of(new ChatMessage("system", SYSTEM), new ChatMessage("user", "Name a colour.")));
        int[] prompt2 = chat.chatPrompt(List.of(new ChatMessage("system", SYSTEM), new ChatMessage("user", "Name a fruit.")));
        int shared = chat.chatPrompt(List.of(new ChatMessage("system", SYSTEM))).length - 1;   // without <|assistant|>
        KvStateCacheClient first = router();
        int blockEnd = shared / settings.blockSize() * settings.blockSize();
        Run run1 = generate(prompt1, null, blockEnd);
        first.store("acme", prompt1, blockEnd, run1.captured()).block(WAIT);

        CacheLookup<KvPrefix> found = router().lookup("acme", prompt2).block(WAIT);
        CacheLookup<KvPrefix> otherTenant = router().lookup("globex", prompt2).block(WAIT);

        assertThat(found.value().orElseThrow().tokens()).isEqualTo(blockEnd);
        assertThat(otherTenant.outcome()).isEqualTo(CacheOutcome.MISS);
        assertSameContinuation(generate(prompt2, null, 0), generate(prompt2, found.value().get(), 0));
    }

    @Test
    void statesCapturedAtEveryPoint_letAPromptSharingOnlyTheStart_restoreTheLongestPointItShares() throws Exception {
        CacheClientProperties everyBlock = new CacheClientProperties(true, settings.target(), settings.timeout(),
                settings.kvTimeout(), settings.blockSize(), settings.precision(), settings.chunkBytes(),
                new CacheClientProperties.Capture(1, 8), settings.breaker(), settings.near(), settings.logInterval());
        PromptPrefixHasher hasher = new PromptPrefixHasher(modelVersion, "topk-2", settings.blockSize());
        int[] prompt1 = chat.chatPrompt(List.of(new ChatMessage("system", SYSTEM), new ChatMessage("user",
                "Tell me a long story about a dragon who guards a library of forgotten songs.")));
        int[] prompt2 = chat.chatPrompt(List.of(new ChatMessage("system", SYSTEM), new ChatMessage("user", "Hi.")));
        int shared = chat.chatPrompt(List.of(new ChatMessage("system", SYSTEM))).length - 1;
        KvStateCacheClient first = clients.states(everyBlock, hasher);
        int[] points = first.capturePoints(prompt1.length, 0);
        assertThat(points.length).as("more than the longest prefix").isGreaterThan(1);
        assertThat(points[points.length - 1]).isEqualTo(first.capturePoint(prompt1.length)).isGreaterThan(shared);

        Run run1 = generate(prompt1, null, points);
        assertThat(run1.all()).hasSameSizeAs(points);
        for (KvState state : run1.all()) {
            assertThat(first.store("acme", prompt1, Math.toIntExact(state.nextPosition()), state).block(WAIT)).isTrue();
        }
        int callsBefore = server.service.calls.get();
        CacheLookup<KvPrefix> found = clients.states(everyBlock, hasher).lookup("acme", prompt2).block(WAIT);

        assertThat(server.service.calls.get() - callsBefore).as("found and fetched in one call").isEqualTo(1);
        int expected = Math.min(shared, hasher.cacheablePrefix(prompt2.length)) / settings.blockSize() * settings.blockSize();
        assertThat(found.outcome()).isEqualTo(CacheOutcome.HIT);
        assertThat(found.value().orElseThrow().tokens()).as("the longest captured point within the shared prefix")
                .isEqualTo(expected).isPositive();
        assertSameContinuation(generate(prompt2, null, 0), generate(prompt2, found.value().get(), 0));
    }

    @Test
    void shortPrompt_isABypassWithoutACall() {
        CacheLookup<KvPrefix> lookup = router().lookup("acme", chat.chatPrompt(List.of(new ChatMessage("user", "Hi")))).block(WAIT);

        assertThat(lookup.outcome()).isEqualTo(CacheOutcome.BYPASS);
        assertThat(server.service.calls.get()).isZero();
    }

    @Test
    void cacheServiceGone_lookupsAndStoresAreBypassed_andResumeWhenItIsBack() throws Exception {
        int[] prompt = chat.chatPrompt(List.of(new ChatMessage("system", SYSTEM), new ChatMessage("user", "Hello")));
        KvStateCacheClient client = router();
        int capture = client.capturePoint(prompt.length);
        KvState state = generate(prompt, null, capture).captured();

        server.stop();

        assertThat(client.lookup("acme", prompt).block(WAIT).outcome()).isEqualTo(CacheOutcome.BYPASS);
        assertThat(client.store("acme", prompt, capture, state).block(WAIT)).isFalse();
        assertThat(clients.requests("kv", "error")).isPositive();

        server.start();

        await().atMost(WAIT).untilAsserted(() -> assertThat(client.store("acme", prompt, capture, state).block(WAIT)).isTrue());
        assertThat(client.lookup("acme", prompt).block(WAIT).outcome()).isEqualTo(CacheOutcome.HIT);
        assertThat(clients.requests("kv", "hit")).isEqualTo(1);
    }
}

package dev.dragon.router.config;

import dev.dragon.contracts.openai.OpenAiJson;
import dev.dragon.contracts.openai.RequestLimits;
import dev.dragon.core.bundle.ModelBundle;
import dev.dragon.core.engine.EngineOptions;
import dev.dragon.core.engine.LocalEngine;
import dev.dragon.core.expert.ExpertBackend;
import dev.dragon.core.gating.GatingPolicy;
import dev.dragon.core.model.DragonModel;
import dev.dragon.core.runtime.OrtRuntime;
import dev.dragon.core.runtime.RuntimeOptions;
import dev.dragon.router.adapters.AdaptersProperties;
import dev.dragon.router.cache.CacheClientProperties;
import dev.dragon.router.cache.KvStateCacheClient;
import dev.dragon.router.cache.NearResponseCache;
import dev.dragon.router.cache.PurgeWatcher;
import dev.dragon.router.scheduling.NearEntry;
import io.grpc.ManagedChannel;
import dev.dragon.router.cache.ResponseCacheClient;
import dev.dragon.router.discovery.DiscoveryProperties;
import dev.dragon.router.dispatch.DispatchProperties;
import dev.dragon.router.dispatch.RemoteExpertBackend;
import dev.dragon.router.events.EventsProperties;
import dev.dragon.router.error.ApiErrorHandler;
import dev.dragon.router.error.ErrorMapping;
import dev.dragon.router.metrics.EngineMetrics;
import dev.dragon.router.metrics.RequestMetricsFilter;
import dev.dragon.router.scheduling.CachedGenerations;
import dev.dragon.router.scheduling.GenerationScheduler;
import dev.dragon.router.scheduling.RequestMapper;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import reactor.core.scheduler.Schedulers;

/**
 * The router's model and engine: bundle → ONNX Runtime → dense model → {@link LocalEngine} over the routed
 * experts of {@link EngineExperts} (remote expert groups, or in-process), plus the API's codec, request
 * mapping and error mapping.
 */
@Configuration(proxyBeanMethods = false)
@Import(RouterConfiguration.Settings.class)
public class RouterConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(RouterConfiguration.class);

    @Bean
    ModelBundle modelBundle(RouterProperties properties) {
        return ModelBundle.open(Path.of(properties.model().bundlePath()));
    }

    @Bean
    ServedModel servedModel(ModelBundle bundle, RouterProperties properties) {
        try {
            long created = Files.getLastModifiedTime(bundle.dir().resolve("manifest.json")).toMillis() / 1000;
            return new ServedModel(properties.model().servedId(), bundle.manifest().name(), bundle.manifest().version(),
                    created);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Bean
    OrtRuntime ortRuntime(RouterProperties properties) {
        RouterProperties.Engine engine = properties.engine();
        int threads = engine.ortThreads() > 0 ? engine.ortThreads()
                : RuntimeOptions.defaults().intraOpThreads();
        return new OrtRuntime(new RuntimeOptions(threads, engine.ortSpinning()));
    }

    @Bean(destroyMethod = "close")
    DragonModel dragonModel(ModelBundle bundle, OrtRuntime runtime, RouterProperties properties) {
        return DragonModel.load(bundle, runtime, gating(properties.engine().gating()));
    }

    /** Remote expert groups when the dispatch layer provides an {@link ExpertBackend} bean, else in-process experts. */
    @Bean(destroyMethod = "close")
    EngineExperts engineExperts(ObjectProvider<ExpertBackend> remote, ModelBundle bundle, OrtRuntime runtime,
                                RouterProperties properties) {
        ExpertBackend backend = remote.getIfAvailable();
        if ((properties.dispatch().mode() == DispatchProperties.Mode.REMOTE) != (backend != null)) {
            throw new IllegalStateException("dragon.router.dispatch.mode is " + properties.dispatch().mode()
                    + " but the remote expert backend is " + (backend != null ? "present" : "missing"));
        }
        EngineExperts experts = backend == null ? EngineExperts.inProcess(bundle, runtime)
                : EngineExperts.remote(backend, backend instanceof RemoteExpertBackend r ? r::waitedNanos : () -> 0L);
        LOG.info("routed experts: {}", experts.isInProcess() ? "in process" : "remote expert groups");
        return experts;
    }

    @Bean
    EngineMetrics engineMetrics(MeterRegistry registry, ModelBundle bundle, EngineExperts experts) {
        return new EngineMetrics(registry, bundle.architecture(), experts.dispatchWaitNanos());
    }

    @Bean(destroyMethod = "close")
    LocalEngine localEngine(DragonModel model, EngineExperts experts, EngineMetrics metrics, RouterProperties properties) {
        RouterProperties.Engine e = properties.engine();
        int microBatches = experts.isInProcess() ? 1 : e.microBatches();
        LocalEngine engine = new LocalEngine(model, experts.backend(), new EngineOptions(e.maxBatch(), e.maxQueue(),
                e.prefillTokensPerStep(), microBatches, e.minRowsPerMicroBatch()), metrics);
        metrics.bind(engine);
        return engine;
    }

    @Bean
    GenerationScheduler generationScheduler(LocalEngine engine) {
        return new GenerationScheduler(engine, Schedulers.parallel());
    }

    /** Answers through the response and KV-state caches; stores run on the bounded-elastic scheduler. */
    @Bean
    CachedGenerations cachedGenerations(GenerationScheduler scheduler, ResponseCacheClient responseCacheClient,
                                        KvStateCacheClient kvStateCacheClient, NearResponseCache<NearEntry> near) {
        return new CachedGenerations(scheduler, responseCacheClient, kvStateCacheClient, near,
                Schedulers.boundedElastic());
    }

    /** This router's copy of response-cache hits, served while {@link PurgeWatcher} watches cache-service's purges. */
    @Bean
    NearResponseCache<NearEntry> nearResponseCache(RouterProperties properties, MeterRegistry registry) {
        return new NearResponseCache<>(properties.cache(), NearEntry::weight, registry);
    }

    @Bean(initMethod = "start", destroyMethod = "close")
    PurgeWatcher purgeWatcher(ManagedChannel cacheServiceChannel, NearResponseCache<NearEntry> near,
                              RouterProperties properties) {
        return new PurgeWatcher(cacheServiceChannel, near, properties.cache().near().rewatchDelay());
    }

    @Bean
    RequestMapper requestMapper(DragonModel model, RouterProperties properties) {
        RouterProperties.Api api = properties.api();
        return new RequestMapper(model.tokenizer().chatTemplate(), properties.model().servedId(),
                new RequestLimits(api.maxTokensCap(), api.maxStopSequences()), api.maxPromptTokens(),
                api.defaultMaxTokens());
    }

    @Bean
    OpenAiJson openAiJson() {
        return new OpenAiJson();
    }

    @Bean
    ErrorMapping errorMapping(MeterRegistry registry, RouterProperties properties) {
        return new ErrorMapping(registry, properties.api().retryAfterSeconds());
    }

    @Bean
    ApiErrorHandler apiErrorHandler(ErrorMapping errors, OpenAiJson json) {
        return new ApiErrorHandler(errors, json);
    }

    @Bean
    RequestMetricsFilter requestMetricsFilter(MeterRegistry registry) {
        return new RequestMetricsFilter(registry);
    }

    /**
     * Binds the router's one properties record and exposes its nested records to the package configurations
     * that read them (dispatch, discovery, cache clients, events, adapters).
     */
    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(RouterProperties.class)
    public static class Settings {

        @Bean
        DispatchProperties dispatchProperties(RouterProperties properties) {
            return properties.dispatch();
        }

        @Bean
        DiscoveryProperties discoveryProperties(RouterProperties properties) {
            return properties.discovery();
        }

        @Bean
        CacheClientProperties cacheClientProperties(RouterProperties properties) {
            return properties.cache();
        }

        @Bean
        EventsProperties eventsProperties(RouterProperties properties) {
            return properties.events();
        }

        @Bean
        AdaptersProperties adaptersProperties(RouterProperties properties) {
            return properties.adapters();
        }
    }

    private static GatingPolicy gating(RouterProperties.Gating g) {
        return switch (g.mode()) {
            case TOP_K -> null;                         // the bundle's top-k
            case ADAPTIVE -> GatingPolicy.adaptive(g.topP(), g.kMin(), g.kMax());
        };
    }
}

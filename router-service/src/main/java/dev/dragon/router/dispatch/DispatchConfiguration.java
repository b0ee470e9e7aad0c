package dev.dragon.router.dispatch;

import dev.dragon.core.bundle.ModelBundle;
import dev.dragon.router.discovery.DiscoveryProperties;
import dev.dragon.router.discovery.ExpertDiscovery;
import dev.dragon.router.discovery.KubernetesClients;
import dev.dragon.router.discovery.KubernetesExpertDiscovery;
import dev.dragon.router.discovery.StaticExpertDiscovery;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * With {@code dragon.router.dispatch.mode=remote}: the {@link ExpertDiscovery} ({@code expertDiscovery}) and the
 * {@link RemoteExpertBackend} ({@code expertBackend}, an {@code ExpertBackend}) the engine runs on. In local
 * mode this configuration adds nothing and the router computes every expert in process.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "dragon.router.dispatch", name = "mode", havingValue = "remote")
public class DispatchConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(DispatchConfiguration.class);

    @Bean
    GroupPlacement groupPlacement(ModelBundle bundle, DispatchProperties dispatch) {
        GroupPlacement placement = GroupPlacement.of(bundle.manifest(), dispatch.placement());
        if (!placement.unserved().isEmpty()) {
            throw new IllegalStateException("dragon.router.dispatch.placement leaves experts without a group: "
                    + placement.unserved());
        }
        return placement;
    }

    @Bean(destroyMethod = "close")
    ExpertDiscovery expertDiscovery(DiscoveryProperties discovery, GroupPlacement placement) {
        ExpertDiscovery d = switch (discovery.mode()) {
            case STATIC -> StaticExpertDiscovery.fromConfig(placement.groups(), discovery.staticEndpoints());
            case KUBERNETES -> {
                DiscoveryProperties.Kubernetes k = discovery.kubernetes();
                yield new KubernetesExpertDiscovery(KubernetesClients.client(k.apiServer()), k.namespace(), k.labelKey(),
                        k.portName(), placement.groups(), k.resync());
            }
        };
        d.start();
        return d;
    }

    @Bean(destroyMethod = "close")
    DispatchLoop dispatchLoop() {
        return new DispatchLoop();
    }

    @Bean(destroyMethod = "close")
    RemoteExpertBackend expertBackend(ModelBundle bundle, GroupPlacement placement, ExpertDiscovery discovery,
                                      DispatchProperties dispatch, MeterRegistry registry, DispatchLoop loop) {
        String model = bundle.manifest().name() + "@" + bundle.manifest().version();
        LOG.info("routed experts over gRPC: model {}, groups {}, {} on the wire, call timeout {}, deadline {}, "
                + "{} retries", model, placement.groups(), dispatch.precision(), dispatch.callTimeout(),
                dispatch.deadline(), dispatch.retries());
        return new RemoteExpertBackend(model, placement, discovery, ChannelFactory.plaintext(loop),
                RemoteExpertBackend.Settings.of(dispatch), registry);
    }
}

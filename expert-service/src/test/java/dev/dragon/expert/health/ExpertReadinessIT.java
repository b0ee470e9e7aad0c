package dev.dragon.expert.health;

import static dev.dragon.expert.grpc.DispatchFixture.randomRows;
import static dev.dragon.expert.grpc.DispatchFixture.request;
import static dev.dragon.expert.grpc.DispatchFixture.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dragon.contracts.v1.DescribeRequest;
import dev.dragon.contracts.v1.DescribeResponse;
import dev.dragon.contracts.v1.DispatchResponse;
import dev.dragon.contracts.v1.ServedExpert;
import dev.dragon.core.bundle.ModelBundle;
import dev.dragon.core.expert.ExpertRunner;
import dev.dragon.core.runtime.OrtRuntime;
import dev.dragon.core.tensor.TensorCodec;
import dev.dragon.core.tensor.TensorCodec.Precision;
import dev.dragon.expert.grpc.DispatchFixture;
import dev.dragon.expert.grpc.PrometheusScrape;
import dev.dragon.expert.inference.ServedExperts;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;

/**
 * A replica with an explicit placement (a "hot" group repeating experts of g0 and g1) reports ready only
 * after warm-up: while the servers are up but warm-up has not run, the readiness and startup probes are
 * DOWN, Describe says not ready and Dispatch answers UNAVAILABLE; readiness turns ACCEPTING_TRAFFIC only
 * once the experts are warm.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.grpc.server.port=0", "dragon.expert.group=hot", "dragon.expert.bundle=../models/dragon-moe-mini",
        "dragon.expert.placement[0]=0,1", "dragon.expert.placement[1]=", "dragon.expert.placement[2]=7"})
class ExpertReadinessIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Autowired BeforeWarmUp beforeWarmUp;
    @Autowired BoundPorts ports;
    @Autowired ModelBundle bundle;
    @Autowired OrtRuntime runtime;

    @Test
    void beforeWarmUp_theReplicaIsAliveButNotReady_andRefusesDispatchAsUnavailable() {
        assertThat(beforeWarmUp.failure).as("probing before warm-up").isNull();
        assertThat(beforeWarmUp.liveness).isEqualTo(200);
        assertThat(beforeWarmUp.readiness).isEqualTo(503);
        assertThat(beforeWarmUp.startup).isEqualTo(503);
        assertThat(beforeWarmUp.describeReady).isFalse();
        assertThat(beforeWarmUp.dispatchStatus).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(beforeWarmUp.readyGauge).isEqualTo(0.0);
    }

    @Test
    void readiness_acceptsTrafficOnlyOnceWarm_andThenTheProbesAreUp() throws Exception {
        assertThat(beforeWarmUp.warmWhenAcceptingTraffic).as("experts warm when readiness flipped").isTrue();
        assertThat(get("/actuator/health/readiness")).isEqualTo(200);
        assertThat(get("/actuator/health/startup")).isEqualTo(200);
        assertThat(PrometheusScrape.of(ports.http()).value("dragon_expert_ready", Map.of("group", "hot")))
                .isEqualTo(1.0);
    }

    @Test
    void anExplicitPlacement_servesExactlyItsExperts_includingOnesOfOtherGroups() throws Exception {
        try (DispatchFixture grpc = new DispatchFixture(ports.grpc());
             ExpertRunner reference = ExpertRunner.load(bundle, runtime, ExpertRunner.Selection.all())) {
            DescribeResponse describe = grpc.stub().describe(DescribeRequest.getDefaultInstance());
            assertThat(describe.getGroup()).isEqualTo("hot");
            assertThat(describe.getServedList()).containsExactly(served(0, 0), served(0, 1), served(2, 7));

            int d = bundle.architecture().dModel();
            String model = ServedExperts.modelIdOf(bundle);
            float[] x = randomRows(3, 5, d);
            DispatchResponse reply = grpc.stub().dispatch(request(model, 2).addExperts(rows(7, x, 5, d, Precision.FP32))
                    .build());
            float[] want = new float[5 * d];
            reference.run(2, 7, x, 0, 5, want);
            assertThat(TensorCodec.decode(reply.getExperts(0).getRows().toByteArray()).data()).containsExactly(want);

            assertThatThrownBy(() -> grpc.stub().dispatch(request(model, 1).addExperts(rows(0, x, 5, d, Precision.FP32))
                    .build())).isInstanceOfSatisfying(StatusRuntimeException.class,
                    e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
        }
    }

    private static ServedExpert served(int layer, int expert) {
        return ServedExpert.newBuilder().setLayer(layer).setExpert(expert).build();
    }

    private int get(String path) throws Exception {
        return get(ports.http(), path);
    }

    private static int get(int port, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /**
     * Probes the replica from outside when Spring Boot reports it live (servers up, started, runners such
     * as the warm-up not yet run), and records whether the experts were warm when readiness flipped.
     */
    static final class BeforeWarmUp {
        @Autowired BoundPorts ports;
        @Autowired ServedExperts experts;
        @Autowired ModelBundle bundle;

        volatile int liveness;
        volatile int readiness;
        volatile int startup;
        volatile boolean describeReady = true;
        volatile Status.Code dispatchStatus;
        volatile double readyGauge = Double.NaN;
        volatile Boolean warmWhenAcceptingTraffic;
        volatile Throwable failure;

        @EventListener
        void onLive(AvailabilityChangeEvent<LivenessState> event) {
            if (event.getState() != LivenessState.CORRECT) {
                return;
            }
            try (DispatchFixture grpc = new DispatchFixture(ports.grpc())) {
                liveness = get(ports.http(), "/actuator/health/liveness");
                readiness = get(ports.http(), "/actuator/health/readiness");
                startup = get(ports.http(), "/actuator/health/startup");
                describeReady = grpc.stub().describe(DescribeRequest.getDefaultInstance()).getReady();
                int d = bundle.architecture().dModel();
                try {
                    grpc.stub().dispatch(request(ServedExperts.modelIdOf(bundle), 0)
                            .addExperts(rows(0, new float[d], 1, d, Precision.FP32)).build());
                } catch (StatusRuntimeException e) {
                    dispatchStatus = e.getStatus().getCode();
                }
                readyGauge = PrometheusScrape.of(ports.http()).value("dragon_expert_ready", Map.of("group", "hot"));
            } catch (Exception | AssertionError e) {
                failure = e;
            }
        }

        @EventListener
        void onReadiness(AvailabilityChangeEvent<ReadinessState> event) {
            if (event.getState() == ReadinessState.ACCEPTING_TRAFFIC && warmWhenAcceptingTraffic == null) {
                warmWhenAcceptingTraffic = experts.ready();
            }
        }
    }

    @TestConfiguration
    static class Probe {
        @Bean
        BeforeWarmUp beforeWarmUp() {
            return new BeforeWarmUp();
        }
    }
}

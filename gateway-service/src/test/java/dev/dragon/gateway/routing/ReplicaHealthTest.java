package dev.dragon.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dragon.gateway.config.GatewayProperties;
import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.cloud.client.DefaultServiceInstance;
import org.springframework.cloud.client.ServiceInstance;

class ReplicaHealthTest {

    private static final ServiceInstance A = new DefaultServiceInstance("router-service-0", "router-service", "127.0.0.1", 1, false);
    private static final ServiceInstance B = new DefaultServiceInstance("router-service-1", "router-service", "127.0.0.1", 2, false);

    private static ReplicaHealth health(Duration ejectFor) {
        return new ReplicaHealth(List.of(A, B), new GatewayProperties.Ejection(50, 10, 4, ejectFor, 1));
    }

    @Test
    void refusedConnection_ejectsTheReplicaAtOnce_evenAfterAHistoryOfSuccesses() {
        ReplicaHealth health = health(Duration.ofMinutes(1));
        for (int i = 0; i < 10; i++) {
            health.succeeded(B.getInstanceId(), 1_000_000);
        }
        health.failed(B.getInstanceId(), 1_000, new ConnectException("Connection refused"), true);

        assertThat(health.available()).containsExactly(A);
        assertThat(health.state(B.getInstanceId())).isEqualTo(2);
        assertThat(health.state(A.getInstanceId())).isZero();
    }

    @Test
    void resets_ejectOnlyOnceTheyAreTheFailureRateThreshold() {
        ReplicaHealth health = health(Duration.ofMinutes(1));
        for (int i = 0; i < 3; i++) {
            health.succeeded(B.getInstanceId(), 1_000_000);
        }
        IOException reset = new IOException("Connection reset by peer");
        health.failed(B.getInstanceId(), 1_000, reset, false);
        assertThat(health.available()).containsExactly(A, B); // 1 failure of 4 calls
        health.failed(B.getInstanceId(), 1_000, reset, false);
        assertThat(health.available()).containsExactly(A, B); // 2 of 5: 40%

        health.failed(B.getInstanceId(), 1_000, reset, false);
        assertThat(health.available()).containsExactly(A); // 3 of 6: 50%
    }

    @Test
    void everyReplicaEjected_meansEveryReplicaIsOfferedAgain() {
        ReplicaHealth health = health(Duration.ofMinutes(1));
        health.failed(A.getInstanceId(), 1_000, new ConnectException("refused"), true);
        health.failed(B.getInstanceId(), 1_000, new ConnectException("refused"), true);

        assertThat(health.available()).containsExactly(A, B);
    }

    @Test
    void anEjectedReplica_isTriedAgainAfterEjectFor_andBackInRotationAfterASuccessfulTrial() {
        ReplicaHealth health = health(Duration.ofMillis(200));
        health.failed(B.getInstanceId(), 1_000, new ConnectException("refused"), true);
        assertThat(health.available()).containsExactly(A);

        await().atMost(Duration.ofSeconds(5)).until(() -> health.state(B.getInstanceId()) == 1);
        assertThat(health.available()).containsExactly(A, B);
        health.succeeded(B.getInstanceId(), 1_000_000);
        assertThat(health.state(B.getInstanceId())).isZero();
    }

    @Test
    void aFailedTrial_ejectsTheReplicaAgain() {
        ReplicaHealth health = health(Duration.ofMillis(200));
        health.failed(B.getInstanceId(), 1_000, new ConnectException("refused"), true);
        await().atMost(Duration.ofSeconds(5)).until(() -> health.state(B.getInstanceId()) == 1);

        health.failed(B.getInstanceId(), 1_000, new ConnectException("refused"), true);
        assertThat(health.state(B.getInstanceId())).isEqualTo(2);
        assertThat(health.available()).containsExactly(A);
    }
}

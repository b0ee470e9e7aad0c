package dev.dragon.expert.grpc;

import static dev.dragon.expert.grpc.DispatchFixture.randomRows;
import static dev.dragon.expert.grpc.DispatchFixture.request;
import static dev.dragon.expert.grpc.DispatchFixture.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.google.protobuf.ByteString;
import dev.dragon.contracts.v1.DescribeRequest;
import dev.dragon.contracts.v1.DescribeResponse;
import dev.dragon.contracts.v1.DispatchRequest;
import dev.dragon.contracts.v1.DispatchResponse;
import dev.dragon.contracts.v1.ExpertDispatchGrpc;
import dev.dragon.contracts.v1.ExpertRows;
import dev.dragon.contracts.v1.ServedExpert;
import dev.dragon.core.bundle.ExpertGroup;
import dev.dragon.core.bundle.ModelBundle;
import dev.dragon.core.expert.ExpertRunner;
import dev.dragon.core.runtime.OrtRuntime;
import dev.dragon.core.tensor.Fp16;
import dev.dragon.core.tensor.Matrix;
import dev.dragon.core.tensor.TensorCodec;
import dev.dragon.core.tensor.TensorCodec.Precision;
import dev.dragon.expert.health.BoundPorts;
import dev.dragon.expert.inference.ServedExperts;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.StreamObserver;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * expert-service on random ports with the shipped bundle, group g0, called over real gRPC: it computes
 * exactly what dragon-core's in-process ExpertRunner computes, describes itself, and refuses bad input
 * with the documented status (never INTERNAL), staying healthy.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.grpc.server.port=0", "dragon.expert.group=g0", "dragon.expert.bundle=../models/dragon-moe-mini",
        "dragon.expert.limits.max-rows-per-call=600"})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(OutputCaptureExtension.class)
class ExpertDispatchIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Autowired BoundPorts ports;
    @Autowired ModelBundle bundle;
    @Autowired OrtRuntime runtime;

    private DispatchFixture grpc;
    private ExpertRunner reference;
    private ExpertGroup g0;
    private String model;
    private int d;

    @BeforeAll
    void connect() {
        grpc = new DispatchFixture(ports.grpc());
        reference = ExpertRunner.load(bundle, runtime, ExpertRunner.Selection.all());
        g0 = bundle.manifest().partition().groups().stream().filter(g -> g.name().equals("g0")).findFirst().orElseThrow();
        model = ServedExperts.modelIdOf(bundle);
        d = bundle.architecture().dModel();
    }

    @AfterAll
    void disconnect() throws Exception {
        grpc.close();
        reference.close();
    }

    @Test
    void dispatch_fp32_equalsTheInProcessExpertRunner_bitForBit() {
        for (int layer = 0; layer < bundle.architecture().nLayers(); layer++) {
            List<Integer> experts = g0.experts().get(layer);
            int[] counts = {1, 7, 0, 33};
            DispatchRequest.Builder req = request(model, layer);
            List<float[]> inputs = new ArrayList<>();
            for (int i = 0; i < experts.size(); i++) {
                float[] x = randomRows(layer * 100L + i, counts[i % counts.length], d);
                inputs.add(x);
                req.addExperts(rows(experts.get(i), x, counts[i % counts.length], d, Precision.FP32));
            }

            DispatchResponse reply = grpc.stub().dispatch(req.build());

            assertThat(reply.getSchemaVersion()).isEqualTo(1);
            assertThat(reply.getLayer()).isEqualTo(layer);
            assertThat(reply.getExpertsList()).extracting(ExpertRows::getExpert).containsExactlyElementsOf(experts);
            for (int i = 0; i < experts.size(); i++) {
                int n = counts[i % counts.length];
                Matrix got = TensorCodec.decode(reply.getExperts(i).getRows().toByteArray());
                float[] want = new float[n * d];
                reference.run(layer, experts.get(i), inputs.get(i), 0, n, want);
                assertThat(got.rows()).isEqualTo(n);
                assertThat(got.cols()).isEqualTo(d);
                assertThat(got.data()).as("layer %d expert %d", layer, experts.get(i)).containsExactly(want);
            }
        }
    }

    @Test
    void dispatch_fp16_answersInFp16_withinHalfPrecisionOfTheFp32Result() {
        int layer = 2;
        int expert = g0.experts().get(layer).get(1);
        int n = 24;
        float[] x = randomRows(77, n, d);
        byte[] asked = TensorCodec.encode(x, 0, n, d, Precision.FP16);

        DispatchResponse reply = grpc.stub().dispatch(request(model, layer)
                .addExperts(ExpertRows.newBuilder().setExpert(expert).setRows(ByteString.copyFrom(asked))).build());

        byte[] answer = reply.getExperts(0).getRows().toByteArray();
        assertThat(TensorCodec.readHeader(java.nio.ByteBuffer.wrap(answer)).precision()).isEqualTo(Precision.FP16);
        assertThat(answer).hasSize(TensorCodec.encodedSize(n, d, Precision.FP16));
        float[] got = TensorCodec.decode(answer).data();
        float[] exact = new float[n * d];                 // the fp32 result on the unrounded rows
        reference.run(layer, expert, x, 0, n, exact);
        float[] rounded = TensorCodec.decode(asked).data();
        float[] onWire = new float[n * d];                // what the replica computes from the fp16 rows
        reference.run(layer, expert, rounded, 0, n, onWire);
        double scale = 0;
        for (float v : exact) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < got.length; i++) {
            assertThat(got[i]).as("element %d, rounded once on the way back", i).isEqualTo(Fp16.round(onWire[i]));
            assertThat(got[i]).as("element %d against fp32", i).isCloseTo(exact[i], within((float) (scale * 2e-2)));
        }
    }

    @Test
    void dispatchStream_answersEachRequestWithItsCallId_andARefusalInItsReply_withoutEndingTheStream()
            throws Exception {
        int layer = 1;
        int e = g0.experts().get(layer).getFirst();
        DispatchRequest good = request(model, layer).addExperts(rows(e, randomRows(5, 4, d), 4, d, Precision.FP32))
                .build();
        DispatchResponse unary = grpc.stub().dispatch(good);
        BlockingQueue<Object> replies = new LinkedBlockingQueue<>();
        StreamObserver<DispatchRequest> requests = ExpertDispatchGrpc.newStub(grpc.channel())
                .dispatchStream(new StreamObserver<>() {
                    @Override
                    public void onNext(DispatchResponse value) {
                        replies.add(value);
                    }

                    @Override
                    public void onError(Throwable t) {
                        replies.add(t);
                    }

                    @Override
                    public void onCompleted() {
                        replies.add("completed");
                    }
                });

        requests.onNext(good.toBuilder().setCallId(7).build());
        requests.onNext(request("dragon-moe-mini@0.9.0", layer).addAllExperts(good.getExpertsList()).setCallId(8)
                .build());
        requests.onNext(good.toBuilder().setCallId(9).build());
        requests.onCompleted();

        DispatchResponse first = (DispatchResponse) replies.poll(30, TimeUnit.SECONDS);
        DispatchResponse refused = (DispatchResponse) replies.poll(30, TimeUnit.SECONDS);
        DispatchResponse third = (DispatchResponse) replies.poll(30, TimeUnit.SECONDS);
        assertThat(first.getCallId()).isEqualTo(7);
        assertThat(first.hasError()).isFalse();
        assertThat(first.getExperts(0).getRows()).isEqualTo(unary.getExperts(0).getRows());
        assertThat(refused.getCallId()).isEqualTo(8);
        assertThat(refused.getExpertsCount()).isZero();
        assertThat(refused.getError().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION.value());
        assertThat(refused.getError().getMessage()).contains("dragon-moe-mini@0.9.0");
        assertThat(third.getCallId()).isEqualTo(9);
        assertThat(third.getExperts(0).getRows()).isEqualTo(unary.getExperts(0).getRows());
        assertThat(replies.poll(30, TimeUnit.SECONDS)).isEqualTo("completed");
    }

    @Test
    void describe_reportsTheGroupTheModelItsExpertsAndReadiness() {
        DescribeResponse describe = grpc.stub().describe(DescribeRequest.newBuilder().setSchemaVersion(1).build());

        assertThat(describe.getSchemaVersion()).isEqualTo(1);
        assertThat(describe.getGroup()).isEqualTo("g0");
        assertThat(describe.getModel()).isEqualTo(bundle.manifest().name() + "@" + bundle.manifest().version());
        assertThat(describe.getReady()).isTrue();
        assertThat(describe.getDModel()).isEqualTo(d);
        List<ServedExpert> expected = new ArrayList<>();
        for (int l = 0; l < g0.experts().size(); l++) {
            for (int e : g0.experts().get(l).stream().sorted().toList()) {
                expected.add(ServedExpert.newBuilder().setLayer(l).setExpert(e).build());
            }
        }
        assertThat(describe.getServedList()).containsExactlyElementsOf(expected);
    }

    @Test
    void dispatch_refusesExpertsItDoesNotServe_withNotFoundNamingThem() {
        int layer = 1;
        int served = g0.experts().get(layer).getFirst();
        List<Integer> others = new ArrayList<>();
        for (int e = 0; e < bundle.architecture().routedExperts(); e++) {
            if (!g0.serves(layer, e)) {
                others.add(e);
            }
        }
        DispatchRequest req = request(model, layer).addExperts(rows(served, randomRows(1, 2, d), 2, d, Precision.FP32))
                .addExperts(rows(others.get(0), randomRows(2, 2, d), 2, d, Precision.FP32))
                .addExperts(rows(others.get(1), randomRows(3, 2, d), 2, d, Precision.FP32)).build();

        assertStatus(req, Status.Code.NOT_FOUND, "layer " + layer, "[" + others.get(0) + ", " + others.get(1) + "]");
        assertStatus(request(model, 9).build(), Status.Code.NOT_FOUND, "layer 9 does not exist");
    }

    @Test
    void dispatch_refusesMalformedRows_withInvalidArgumentNamingTheExpert() {
        int layer = 0;
        int e = g0.experts().get(layer).getFirst();
        int e2 = g0.experts().get(layer).get(1);
        byte[] good = TensorCodec.encode(randomRows(5, 3, d), 0, 3, d, Precision.FP32);
        byte[] unknownPrecision = good.clone();
        unknownPrecision[1] = 9;
        byte[] trailing = java.util.Arrays.copyOf(good, good.length + 4);

        assertStatus(withRows(layer, e, new byte[] {1, 2, 3}), Status.Code.INVALID_ARGUMENT, "expert " + e, "too short");
        assertStatus(withRows(layer, e, java.util.Arrays.copyOf(good, good.length - 1)),
                Status.Code.INVALID_ARGUMENT, "expert " + e, "payload");
        assertStatus(withRows(layer, e, unknownPrecision), Status.Code.INVALID_ARGUMENT, "precision code 9");
        assertStatus(withRows(layer, e, trailing), Status.Code.INVALID_ARGUMENT, "4 trailing bytes");
        assertStatus(request(model, layer).addExperts(rows(e2, randomRows(6, 3, d - 1), 3, d - 1, Precision.FP32))
                .build(), Status.Code.INVALID_ARGUMENT, "expert " + e2, "d_model = " + d);
        assertStatus(request(model, layer).addExperts(rows(e, randomRows(7, 1, d), 1, d, Precision.FP32))
                .addExperts(rows(e, randomRows(8, 1, d), 1, d, Precision.FP32)).build(),
                Status.Code.INVALID_ARGUMENT, "listed twice");
    }

    @Test
    void dispatch_refusesAnotherModelOrSchemaVersion_withFailedPrecondition() {
        int e = g0.experts().get(0).getFirst();
        ExpertRows r = rows(e, randomRows(9, 1, d), 1, d, Precision.FP32);

        assertStatus(request("dragon-moe-mini@0.9.0", 0).addExperts(r).build(), Status.Code.FAILED_PRECONDITION,
                "dragon-moe-mini@0.9.0", model);
        assertStatus(request(model, 0).setSchemaVersion(2).addExperts(r).build(), Status.Code.FAILED_PRECONDITION,
                "schema_version 2");
    }

    @Test
    void dispatch_refusesMoreRowsThanOneCallMayCarry_withResourceExhausted() {
        List<Integer> experts = g0.experts().get(3);
        DispatchRequest.Builder req = request(model, 3);
        for (int i = 0; i < 2; i++) {
            req.addExperts(rows(experts.get(i), randomRows(i, 301, d), 301, d, Precision.FP16));
        }
        assertStatus(req.build(), Status.Code.RESOURCE_EXHAUSTED, "602 rows", "at most 600");
    }

    @Test
    void badInput_isCountedAndLogged_withTheCallersRequestId_andTheReplicaStaysHealthy(CapturedOutput output)
            throws Exception {
        double before = PrometheusScrape.of(ports.http()).value("dragon_expert_rejected_total",
                Map.of("group", "g0", "reason", "invalid"));
        int e = g0.experts().get(0).getFirst();

        assertThatThrownBy(() -> grpc.stubWithRequestId("it-bad-rows-42").dispatch(withRows(0, e, new byte[] {7})))
                .isInstanceOf(StatusRuntimeException.class);

        assertThat(PrometheusScrape.of(ports.http()).value("dragon_expert_rejected_total",
                Map.of("group", "g0", "reason", "invalid"))).isEqualTo((Double.isNaN(before) ? 0 : before) + 1);
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(output.getAll().lines()
                .filter(l -> l.contains("dispatch refused")).filter(l -> l.contains("it-bad-rows-42"))).hasSize(1));
        assertThat(get("/actuator/health/readiness").statusCode()).isEqualTo(200);
        DispatchResponse ok = grpc.stub().dispatch(request(model, 0)
                .addExperts(rows(e, randomRows(10, 2, d), 2, d, Precision.FP32)).build());
        assertThat(TensorCodec.decode(ok.getExperts(0).getRows().toByteArray()).rows()).isEqualTo(2);
    }

    @Test
    void metrics_countRowsPerExpert_rowsPerCall_computeTimeAndReadiness() throws Exception {
        int layer = 1;
        int e = g0.experts().get(layer).get(2);
        Map<String, String> labels = Map.of("group", "g0", "layer", "1", "expert", Integer.toString(e));
        PrometheusScrape before = PrometheusScrape.of(ports.http());
        assertThat(before.value("dragon_expert_rows_total", labels)).as("registered before any call").isNotNaN();

        grpc.stub().dispatch(request(model, layer).addExperts(rows(e, randomRows(11, 13, d), 13, d, Precision.FP32))
                .build());

        PrometheusScrape after = PrometheusScrape.of(ports.http());
        assertThat(after.value("dragon_expert_rows_total", labels) - before.value("dragon_expert_rows_total", labels))
                .isEqualTo(13.0);
        Map<String, String> group = Map.of("group", "g0");
        assertThat(after.value("dragon_expert_batch_rows_sum", group) - before.value("dragon_expert_batch_rows_sum", group))
                .isEqualTo(13.0);
        Map<String, String> layerLabels = Map.of("group", "g0", "layer", "1");
        assertThat(after.value("dragon_expert_compute_seconds_count", layerLabels)
                - before.value("dragon_expert_compute_seconds_count", layerLabels)).isEqualTo(1.0);
        assertThat(after.value("dragon_expert_compute_seconds_bucket", Map.of("group", "g0", "layer", "1", "le", "+Inf")))
                .isPositive();
        assertThat(after.value("dragon_expert_inflight_calls", group)).isZero();
        assertThat(after.value("dragon_expert_ready", group)).isEqualTo(1.0);
        assertThat(after.text()).contains("application=\"expert-service\"");
    }

    @Test
    void concurrentCalls_eachGetTheResultOfTheirOwnRows() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Callable<Boolean>> calls = new ArrayList<>();
            for (int c = 0; c < 24; c++) {
                int layer = c % 4;
                int expert = g0.experts().get(layer).get(c % 4);
                int n = 1 + c;
                long seed = 1000 + c;
                calls.add(() -> {
                    float[] x = randomRows(seed, n, d);
                    DispatchResponse r = grpc.stub().dispatch(request(model, layer)
                            .addExperts(rows(expert, x, n, d, Precision.FP32)).build());
                    float[] want = new float[n * d];
                    reference.run(layer, expert, x, 0, n, want);
                    return java.util.Arrays.equals(TensorCodec.decode(r.getExperts(0).getRows().toByteArray()).data(),
                            want);
                });
            }
            for (Future<Boolean> f : pool.invokeAll(calls)) {
                assertThat(f.get(60, TimeUnit.SECONDS)).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void probes_areUp_andGrpcHealthServes_onceWarm() throws Exception {
        for (String probe : List.of("/actuator/health/startup", "/actuator/health/liveness",
                "/actuator/health/readiness", "/actuator/health")) {
            assertThat(get(probe).statusCode()).as(probe).isEqualTo(200);
        }
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                HealthGrpc.newBlockingStub(grpc.channel()).withDeadlineAfter(10, TimeUnit.SECONDS)
                        .check(HealthCheckRequest.getDefaultInstance()).getStatus())
                .isEqualTo(HealthCheckResponse.ServingStatus.SERVING));
    }

    private DispatchRequest withRows(int layer, int expert, byte[] bytes) {
        return request(model, layer).addExperts(ExpertRows.newBuilder().setExpert(expert)
                .setRows(ByteString.copyFrom(bytes))).build();
    }

    private void assertStatus(DispatchRequest request, Status.Code code, String... inDescription) {
        assertThatThrownBy(() -> grpc.stub().dispatch(request))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(code);
                    for (String s : inDescription) {
                        assertThat(e.getStatus().getDescription()).contains(s);
                    }
                });
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports.http() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}

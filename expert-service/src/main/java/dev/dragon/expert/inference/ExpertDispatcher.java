package dev.dragon.expert.inference;

import com.google.protobuf.UnsafeByteOperations;
import dev.dragon.contracts.v1.DescribeResponse;
import dev.dragon.contracts.v1.DispatchRequest;
import dev.dragon.contracts.v1.DispatchResponse;
import dev.dragon.contracts.v1.ExpertRows;
import dev.dragon.contracts.v1.ServedExpert;
import dev.dragon.core.tensor.TensorCodec;
import dev.dragon.core.tensor.TensorFormatException;
import dev.dragon.expert.inference.ExpertRequestException.Kind;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Validates a {@link DispatchRequest} completely before computing anything, then runs each expert on
 * its rows and answers in the precision each expert's rows came in. Bad input is always an
 * {@link ExpertRequestException}, never an index or codec error.
 */
public final class ExpertDispatcher {

    /** The {@code schema_version} of the messages this replica reads and writes. */
    public static final int SCHEMA_VERSION = 1;

    private final ServedExperts experts;
    private final ExpertMetrics metrics;
    private final int maxRowsPerCall;

    public ExpertDispatcher(ServedExperts experts, ExpertMetrics metrics, int maxRowsPerCall) {
        this.experts = experts;
        this.metrics = metrics;
        this.maxRowsPerCall = maxRowsPerCall;
    }

    public DispatchResponse dispatch(DispatchRequest request) {
        List<Part> parts = validate(request);
        int layer = request.getLayer();
        int d = experts.dModel();
        int total = parts.stream().mapToInt(p -> p.header.rows()).sum();
        long start = metrics.callStarted();
        try {
            DispatchResponse.Builder reply = DispatchResponse.newBuilder().setSchemaVersion(SCHEMA_VERSION)
                    .setLayer(layer).setCallId(request.getCallId());
            for (Part p : parts) {
                int n = p.header.rows();
                float[] x = new float[n * d];                                   // [n, d]
                TensorCodec.decodeInto(p.bytes, x, 0);
                float[] y = new float[n * d];                                   // E(x) [n, d]
                experts.runner().run(layer, p.expert, x, 0, n, y);
                byte[] out = TensorCodec.encode(y, 0, n, d, p.header.precision());
                reply.addExperts(ExpertRows.newBuilder().setExpert(p.expert)
                        .setRows(UnsafeByteOperations.unsafeWrap(out)));
                metrics.rowsComputed(layer, p.expert, n);
            }
            return reply.setComputeNanos(System.nanoTime() - start).build();
        } finally {
            metrics.callFinished(layer, total, start);
        }
    }

    public DescribeResponse describe() {
        DescribeResponse.Builder out = DescribeResponse.newBuilder().setSchemaVersion(SCHEMA_VERSION)
                .setGroup(experts.group()).setModel(experts.modelId()).setReady(experts.ready())
                .setDModel(experts.dModel());
        var perLayer = experts.placement().perLayer();
        for (int l = 0; l < perLayer.size(); l++) {
            for (int e : perLayer.get(l)) {
                out.addServed(ServedExpert.newBuilder().setLayer(l).setExpert(e));
            }
        }
        return out.build();
    }

    /** One expert's rows, checked: a header whose width is d and whose payload is exactly the bytes given. */
    private record Part(int expert, TensorCodec.Header header, ByteBuffer bytes) {
    }

    private List<Part> validate(DispatchRequest request) {
        if (!experts.ready()) {
            throw new ExpertRequestException(Kind.NOT_READY, "group " + experts.group() + " is warming up");
        }
        if (request.getSchemaVersion() != SCHEMA_VERSION) {
            throw new ExpertRequestException(Kind.MODEL_MISMATCH, "schema_version " + request.getSchemaVersion()
                    + " is not supported (this replica speaks " + SCHEMA_VERSION + ")");
        }
        if (!request.getModel().equals(experts.modelId())) {
            throw new ExpertRequestException(Kind.MODEL_MISMATCH, "model '" + request.getModel()
                    + "' requested, this replica serves '" + experts.modelId() + "'");
        }
        int layer = request.getLayer();
        if (layer < 0 || layer >= experts.placement().layers()) {    // uint32 above 2^31 reads negative
            throw new ExpertRequestException(Kind.NOT_SERVED, "layer " + Integer.toUnsignedString(layer)
                    + " does not exist (the model has " + experts.placement().layers() + " layers)");
        }
        Set<Integer> seen = new HashSet<>();
        List<String> missing = new ArrayList<>();
        for (ExpertRows rows : request.getExpertsList()) {
            int e = rows.getExpert();
            if (!seen.add(e)) {
                throw new ExpertRequestException(Kind.INVALID_ROWS, "experts: expert " + Integer.toUnsignedString(e)
                        + " is listed twice");
            }
            if (!experts.placement().includes(layer, e)) {
                missing.add(Integer.toUnsignedString(e));
            }
        }
        if (!missing.isEmpty()) {
            throw new ExpertRequestException(Kind.NOT_SERVED, "group " + experts.group() + " does not serve layer " + layer
                    + " expert(s) " + missing + " (it serves " + experts.placement().perLayer().get(layer)
                    + " at that layer)");
        }
        List<Part> parts = new ArrayList<>(request.getExpertsCount());
        long total = 0;
        for (ExpertRows rows : request.getExpertsList()) {
            Part part = check(rows);
            total += part.header.rows();
            parts.add(part);
        }
        if (total > maxRowsPerCall) {
            throw new ExpertRequestException(Kind.TOO_MANY_ROWS, total + " rows in one call, at most " + maxRowsPerCall
                    + " are accepted: split the batch");
        }
        return parts;
    }

    private Part check(ExpertRows rows) {
        int e = rows.getExpert();
        ByteBuffer bytes = rows.getRows().asReadOnlyByteBuffer();
        TensorCodec.Header header;
        try {
            header = TensorCodec.readHeader(bytes);
        } catch (TensorFormatException ex) {
            throw new ExpertRequestException(Kind.INVALID_ROWS, "expert " + e + " rows: " + ex.getMessage());
        }
        if (header.cols() != experts.dModel()) {
            throw new ExpertRequestException(Kind.INVALID_ROWS, "expert " + e + " rows: " + header.rows() + "x"
                    + header.cols() + " matrix, rows must be d_model = " + experts.dModel() + " wide");
        }
        if (header.encodedSize() != bytes.remaining()) {
            throw new ExpertRequestException(Kind.INVALID_ROWS, "expert " + e + " rows: " + (bytes.remaining()
                    - header.encodedSize()) + " trailing bytes after the " + header.rows() + "x" + header.cols()
                    + " matrix");
        }
        return new Part(e, header, bytes);
    }
}

package dev.dragon.platform;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every loopback port {@code ./dragon up} binds: the README's module/port table, shifted by {@code offset}
 * (so a second stack, or a test, can run beside the first).
 */
public record Ports(int offset) {

    public static final int MAX_OFFSET = 23_000;   // keeps every port below Linux's ephemeral range (32768)

    public Ports {
        if (offset < 0 || offset > MAX_OFFSET) {
            throw new PlatformException("--port-offset must be between 0 and " + MAX_OFFSET + ", got " + offset);
        }
    }

    public int gateway() { return 8080 + offset; }
    public int gatewayManagement() { return 9080 + offset; }
    public int gatewayAdmin() { return 9081 + offset; }
    public int router() { return 8081 + offset; }
    public int expertHttp(int group) { return (group == 0 ? 8082 : 8086) + offset; }
    public int expertGrpc(int group) { return (group == 0 ? 9092 : 9096) + offset; }
    public int cacheHttp() { return 8083 + offset; }
    public int cacheGrpc() { return 9093 + offset; }
    public int learner() { return 8084 + offset; }
    public int learnerAdmin() { return 8094 + offset; }
    public int redis() { return 6380 + offset; }

    /** Name → port of everything, in start order, for the "port already in use" check and the banner. */
    public Map<String, Integer> all() {
        Map<String, Integer> m = new LinkedHashMap<>();
        m.put("redis", redis());
        for (int g = 0; g < 2; g++) {
            m.put("expert-service g" + g + " (HTTP)", expertHttp(g));
            m.put("expert-service g" + g + " (gRPC)", expertGrpc(g));
        }
        m.put("cache-service (HTTP)", cacheHttp());
        m.put("cache-service (gRPC)", cacheGrpc());
        m.put("online-learning-service", learner());
        m.put("online-learning-service (admin)", learnerAdmin());
        m.put("router-service", router());
        m.put("gateway-service (API)", gateway());
        m.put("gateway-service (actuator)", gatewayManagement());
        m.put("gateway-service (admin)", gatewayAdmin());
        return m;
    }
}

package dev.dragon.gateway.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import reactor.core.publisher.Mono;

/**
 * Where the milliseconds of a gateway request go, by wall clock: a web filter that starts a request's clock
 * and stops it at response commit and at completion, and global filters at given orders that note the time
 * the request reached them (so the gap between two points is what the gateway's filters between those
 * orders took, Redis and thread hops included). Bench only: it allocates per request.
 */
final class StageProbe {

    private static final String ATTRIBUTE = StageProbe.class.getName();

    private final int[] orders;
    private final String[] names;
    private final ConcurrentLinkedQueue<long[]> finished = new ConcurrentLinkedQueue<>();

    /** {@code points}: name=order pairs of the global-filter points, in order. */
    StageProbe(List<String> points) {
        orders = new int[points.size()];
        names = new String[points.size() + 3];
        names[0] = "start";
        for (int i = 0; i < points.size(); i++) {
            String[] p = points.get(i).split("=");
            names[i + 1] = p[0];
            orders[i] = p[1].equals("last") ? Ordered.LOWEST_PRECEDENCE - 1 : Integer.parseInt(p[1]);
        }
        names[names.length - 2] = "headers";
        names[names.length - 1] = "done";
    }

    /** Registers the probe's filters in a context that has not been refreshed yet. */
    void install(ConfigurableApplicationContext context) {
        context.getBeanFactory().registerSingleton("stageProbeStart", start());
        for (int i = 0; i < orders.length; i++) {
            context.getBeanFactory().registerSingleton("stageProbe" + i, point(i + 1, orders[i]));
        }
    }

    void reset() {
        finished.clear();
    }

    /** Median (p50) and p90 of each gap between consecutive points, in microseconds. */
    String report() {
        List<long[]> runs = new ArrayList<>(finished);
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "stages (%d requests, us): ", runs.size()));
        for (int i = 1; i < names.length; i++) {
            long[] gaps = gaps(runs, i);
            if (gaps.length > 0) {
                sb.append(String.format(Locale.ROOT, "%s %d/%d  ", names[i], gaps[gaps.length / 2],
                        gaps[(int) (gaps.length * 0.9)]));
            }
        }
        return sb.toString();
    }

    private static long[] gaps(List<long[]> runs, int point) {
        List<Long> gaps = new ArrayList<>();
        for (long[] r : runs) {
            int prev = point - 1;
            while (prev > 0 && r[prev] == 0) {
                prev--;
            }
            if (r[point] != 0) {
                gaps.add((r[point] - r[prev]) / 1000);
            }
        }
        long[] sorted = gaps.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(sorted);
        return sorted;
    }

    private WebFilter start() {
        return new OrderedWebFilter((exchange, chain) -> {
            long[] marks = new long[names.length];
            marks[0] = System.nanoTime();
            exchange.getAttributes().put(ATTRIBUTE, marks);
            exchange.getResponse().beforeCommit(() -> {
                marks[names.length - 2] = System.nanoTime();
                return Mono.empty();
            });
            return chain.filter(exchange).doFinally(s -> {
                marks[names.length - 1] = System.nanoTime();
                finished.add(marks);
            });
        });
    }

    private GlobalFilter point(int index, int order) {
        record Point(int index, int order) implements GlobalFilter, Ordered {
            @Override
            public Mono<Void> filter(ServerWebExchange exchange, org.springframework.cloud.gateway.filter.GatewayFilterChain chain) {
                long[] marks = exchange.getAttribute(ATTRIBUTE);
                if (marks != null && marks[index] == 0) {
                    marks[index] = System.nanoTime();
                }
                return chain.filter(exchange);
            }

            @Override
            public int getOrder() {
                return order;
            }
        }
        return new Point(index, order);
    }

    private record OrderedWebFilter(WebFilter delegate) implements WebFilter, Ordered {
        @Override
        public Mono<Void> filter(ServerWebExchange exchange, org.springframework.web.server.WebFilterChain chain) {
            return delegate.filter(exchange, chain);
        }

        @Override
        public int getOrder() {
            return Ordered.HIGHEST_PRECEDENCE;
        }
    }
}

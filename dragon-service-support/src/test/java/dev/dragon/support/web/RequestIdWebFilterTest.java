package dev.dragon.support.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

class RequestIdWebFilterTest {

    private final WebTestClient client = WebTestClient.bindToRouterFunction(RouterFunctions.route()
                    .GET("/id", req -> Mono.deferContextual(ctx -> ServerResponse.ok()
                            .bodyValue(ctx.get(RequestIds.KEY) + "|" + String.join(",", req.headers().header(DragonHeaders.REQUEST_ID)))))
                    .build())
            .webFilter(new RequestIdWebFilter())
            .build();

    @Test
    void generatesAnId_andExposesItInHeaderContextAndForwardedRequest() {
        var result = client.get().uri("/id").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult();
        String id = result.getResponseHeaders().getFirst(DragonHeaders.REQUEST_ID);
        assertThat(id).startsWith("req-");
        assertThat(result.getResponseBody()).isEqualTo(id + "|" + id);
    }

    @Test
    void reusesAWellFormedUpstreamId() {
        client.get().uri("/id").header(DragonHeaders.REQUEST_ID, "gw-123").exchange()
                .expectHeader().valueEquals(DragonHeaders.REQUEST_ID, "gw-123")
                .expectBody(String.class).isEqualTo("gw-123|gw-123");
    }

    @Test
    void replacesAnIdThatCouldForgeLogLines() {
        var result = client.get().uri("/id").header(DragonHeaders.REQUEST_ID, "x\ninjected").exchange()
                .expectBody(String.class).returnResult();
        assertThat(result.getResponseHeaders().getFirst(DragonHeaders.REQUEST_ID)).startsWith("req-");
    }

    @Test
    void forwardsOneId_whenTheClientSentSeveral() {
        client.get().uri("/id").header(DragonHeaders.REQUEST_ID, "gw-1", "gw-2").exchange()
                .expectHeader().valueEquals(DragonHeaders.REQUEST_ID, "gw-1")
                .expectBody(String.class).isEqualTo("gw-1|gw-1");
    }
}

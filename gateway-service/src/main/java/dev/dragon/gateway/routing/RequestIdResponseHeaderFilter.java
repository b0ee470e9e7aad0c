package dev.dragon.gateway.routing;

import dev.dragon.support.web.DragonHeaders;
import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
import org.springframework.http.HttpHeaders;
import org.springframework.web.server.ServerWebExchange;

/**
 * Drops the router's {@code x-dragon-request-id} from relayed responses: the gateway already answers with the
 * same id (it sent it to the router), and a second copy would make the header a list.
 */
final class RequestIdResponseHeaderFilter implements HttpHeadersFilter {

    @Override
    public HttpHeaders filter(HttpHeaders input, ServerWebExchange exchange) {
        if (!input.containsHeader(DragonHeaders.REQUEST_ID)) {
            return input;
        }
        HttpHeaders filtered = new HttpHeaders();
        input.forEach((name, values) -> {
            if (!name.equalsIgnoreCase(DragonHeaders.REQUEST_ID)) {
                filtered.addAll(name, values);
            }
        });
        return filtered;
    }

    @Override
    public boolean supports(Type type) {
        return type == Type.RESPONSE;
    }
}

package io.agentnexus.platform.ratelimit;

import io.vertx.core.http.HttpServerRequest;

/** The caller's IP: the peer, or the forwarded client when quarkus.http.proxy trusts the proxy in front. */
final class ClientAddress {

    private ClientAddress() {
    }

    static String of(HttpServerRequest request) {
        return request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress();
    }
}

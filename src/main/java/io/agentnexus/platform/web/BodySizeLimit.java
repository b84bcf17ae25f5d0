package io.agentnexus.platform.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentnexus.platform.error.Problem;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Answers an announced oversized body (Content-Length above quarkus.http.limits.max-body-size) with a
 * 413 problem detail before any of it is read; the HTTP layer's own limit, which catches chunked
 * bodies, answers without one.
 */
@ApplicationScoped
public class BodySizeLimit {

    void install(@Observes Router router, ObjectMapper json,
            @ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize max) throws JsonProcessingException {
        long limit = max.asLongValue();
        router.route().order(Integer.MIN_VALUE).handler(context -> {
            String length = context.request().getHeader("Content-Length");
            if (length != null && length.chars().allMatch(Character::isDigit) && length.length() < 19
                    && Long.parseLong(length) > limit) {
                String body;
                try {
                    body = json.writeValueAsString(new Problem("/problems/payload-too-large", "Content Too Large", 413,
                            "the request body is larger than " + limit + " bytes", context.request().path(),
                            UUID.randomUUID().toString(), List.of()));
                } catch (JsonProcessingException e) {
                    throw new IllegalStateException(e);
                }
                context.response().setStatusCode(413).putHeader("Content-Type", Problem.MEDIA_TYPE)
                        .putHeader("Connection", "close").end(body);
                return;
            }
            context.next();
        });
    }
}

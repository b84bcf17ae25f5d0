package io.agentnexus.platform.web;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.quarkus.vertx.http.runtime.security.HttpSecurityRecorder.DefaultAuthFailureHandler;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.quarkus.vertx.http.runtime.security.SecurityHandlerPriorities;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.function.BiConsumer;

/**
 * Hands an HTTP authentication failure to the REST layer (its exception mappers answer it), as Quarkus REST's own
 * filter would, one step earlier. That filter (3.34, whenever Micrometer is present) also builds a new request
 * mapper on every request, failing or not, to name the route of a failure that rarely comes: 7.5 % of the event
 * loop's CPU on a cached read, by a JFR profile. It only does so when it finds the default handler, which this
 * replaces first. The route of a failure is still named, on failure only, by the extension's pre-failure handler.
 */
@ApplicationScoped
public class AuthFailureHandlerFilter {

    /** Fails the request for the REST layer, after marking it as the default handler does. */
    public static final BiConsumer<RoutingContext, Throwable> FAIL_FOR_REST = (context, failure) -> {
        DefaultAuthFailureHandler.markIfOtherAuthenticationFailure(context, failure);
        if (!context.failed()) {
            context.fail(DefaultAuthFailureHandler.extractRootCause(failure));
        }
    };

    // Same priority as the authentication handler, which sets the default: filters registered here are routed
    // after the extensions' own, and routes of equal order run in the order they were added.
    void register(@Observes Filters filters) {
        filters.register(context -> {
            if (context.get(QuarkusHttpUser.AUTH_FAILURE_HANDLER) instanceof DefaultAuthFailureHandler) {
                context.put(QuarkusHttpUser.AUTH_FAILURE_HANDLER, FAIL_FOR_REST);
            }
            context.next();
        }, SecurityHandlerPriorities.AUTHENTICATION);
    }
}

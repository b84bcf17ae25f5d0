package io.agentnexus.platform.web;

import io.quarkus.resteasy.reactive.server.runtime.ResteasyReactiveRecorder;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.quarkus.vertx.http.runtime.security.HttpSecurityRecorder.DefaultAuthFailureHandler;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.quarkus.vertx.http.runtime.security.SecurityHandlerPriorities;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.lang.reflect.Constructor;
import org.jboss.logging.Logger;

/**
 * Spares every request a route match that only a failed authentication needs (Quarkus 3.34 with Micrometer).
 * <p>
 * Quarkus REST's filter swaps HTTP security's default auth-failure handler for its own, which hands the failure to
 * the REST layer; before that it builds a new request mapper, on every request, to name the route of a failure
 * that rarely comes: 30 % of the event loop's allocation and 7.5 % of its CPU on a cached read (JFR). It does this
 * only when it finds the default handler. This filter runs just before it and puts there the handler it would put,
 * an instance of Quarkus REST's own class (the REST layer recognises that class later and takes the handler off);
 * it has no state, so one serves all. The route of a failure is still named, on failure only, by the extension's
 * pre-failure handler. A Quarkus without that class leaves its own filter to do the work.
 */
@ApplicationScoped
@RegisterForReflection(classNames = AuthFailureHandlerFilter.REST_HANDLER)
public class AuthFailureHandlerFilter {

    static final String REST_HANDLER =
            "io.quarkus.resteasy.reactive.server.runtime.ResteasyReactiveRecorder$FailingDefaultAuthFailureHandler";
    private static final Logger LOG = Logger.getLogger(AuthFailureHandlerFilter.class);

    private final Object restHandler = newRestHandler();

    // Same priority as the authentication handler, which sets the default: filters registered here are routed
    // after the extensions' own, and routes of equal order run in the order they were added.
    void register(@Observes Filters filters) {
        if (restHandler == null) {
            return;
        }
        filters.register(context -> {
            if (context.get(QuarkusHttpUser.AUTH_FAILURE_HANDLER) instanceof DefaultAuthFailureHandler) {
                context.put(QuarkusHttpUser.AUTH_FAILURE_HANDLER, restHandler);
            }
            context.next();
        }, SecurityHandlerPriorities.AUTHENTICATION);
    }

    /** The handler this replaces the default with on every request (null: none, Quarkus REST's filter stays). */
    Object restHandler() {
        return restHandler;
    }

    private static Object newRestHandler() {
        try {
            // The recorder's own loader: the REST layer checks the handler's class, so it must be that very class.
            Constructor<?> constructor = Class.forName(REST_HANDLER, true,
                    ResteasyReactiveRecorder.class.getClassLoader()).getDeclaredConstructor();
            constructor.setAccessible(true);
            return constructor.newInstance();
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.infof("Quarkus REST's auth-failure handler (%s) is not there: its filter matches routes on every"
                    + " request, as it did before (%s)", REST_HANDLER, e);
            return null;
        }
    }
}

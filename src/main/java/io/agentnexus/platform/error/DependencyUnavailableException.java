package io.agentnexus.platform.error;

/**
 * A system we depend on (the chain RPC, the Docker engine) cannot be reached or timed out. The
 * request may succeed later: it is answered with 503 and Retry-After, never a 500.
 */
public class DependencyUnavailableException extends RuntimeException {

    public DependencyUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}

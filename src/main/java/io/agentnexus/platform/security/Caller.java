package io.agentnexus.platform.security;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;
import java.util.Optional;
import java.util.UUID;

/** Who is calling: the signed-in user's id (the JWT subject) and whether they are an admin. */
@RequestScoped
public class Caller {

    private final SecurityIdentity identity;

    Caller(SecurityIdentity identity) {
        this.identity = identity;
    }

    public Optional<UUID> userId() {
        return identity.isAnonymous() ? Optional.empty() : Optional.of(UUID.fromString(identity.getPrincipal().getName()));
    }

    /** For endpoints that already require authentication. */
    public UUID requireUserId() {
        return userId().orElseThrow(() -> new io.quarkus.security.UnauthorizedException());
    }

    public boolean isAdmin() {
        return identity.hasRole("admin");
    }
}

package io.agentnexus.user;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Replaces the roles a token was issued with by the roles the user holds now, so that granting or
 * revoking the creator role (or removing an admin from config) takes effect without a new sign-in.
 */
@ApplicationScoped
public class CurrentRolesAugmentor implements SecurityIdentityAugmentor {

    private final UserService users;

    CurrentRolesAugmentor(UserService users) {
        this.users = users;
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous()) {
            return Uni.createFrom().item(identity);
        }
        return context.runBlocking(() -> withCurrentRoles(identity));
    }

    private SecurityIdentity withCurrentRoles(SecurityIdentity identity) {
        UUID userId;
        try {
            userId = UUID.fromString(identity.getPrincipal().getName());
        } catch (IllegalArgumentException e) {
            throw new AuthenticationFailedException("the token's subject is not a user id");
        }
        Set<String> roles = users.currentRoles(userId)
                .orElseThrow(() -> new AuthenticationFailedException("the token's user no longer exists"))
                .stream().map(Role::group).collect(Collectors.toSet());
        return QuarkusSecurityIdentity.builder()
                .setPrincipal(identity.getPrincipal())
                .addCredentials(identity.getCredentials())
                .addAttributes(identity.getAttributes())
                .addRoles(roles)
                .build();
    }
}

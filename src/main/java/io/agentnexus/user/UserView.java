package io.agentnexus.user;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A user as the user sees themself. */
public record UserView(UUID id, String walletAddress, String username, String email, List<String> roles,
        Instant createdAt) {
}

package io.agentnexus.user;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;

/** Bodies of the sign-in endpoints. */
final class AuthDtos {

    private AuthDtos() {
    }

    /** What the wallet must sign, exactly as given. */
    record NonceResponse(String nonce, String message, Instant issuedAt, Instant expiresAt) {
    }

    record SignInRequest(
            @NotBlank @Size(max = 4096) String message,
            @NotBlank @Pattern(regexp = "^0x[0-9a-fA-F]{130}$", message = "must be a 65-byte hex signature (0x + 130 hex digits)")
            String signature) {
    }

    record SignInResponse(String token, Instant expiresAt, UserView user) {
    }
}

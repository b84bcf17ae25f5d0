package io.agentnexus.user;

import io.agentnexus.platform.validation.EcdsaSignature;
import jakarta.validation.constraints.NotBlank;
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
            @NotBlank @EcdsaSignature
            String signature) {
    }

    record SignInResponse(String token, Instant expiresAt, UserView user) {
    }
}

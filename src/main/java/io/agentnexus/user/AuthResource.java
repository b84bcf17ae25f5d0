package io.agentnexus.user;

import io.agentnexus.platform.ratelimit.RateLimited;
import io.agentnexus.user.AuthDtos.NonceResponse;
import io.agentnexus.user.AuthDtos.SignInRequest;
import io.agentnexus.user.AuthDtos.SignInResponse;
import jakarta.annotation.security.PermitAll;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/users/auth")
@Tag(name = "Sign-in", description = "Sign-In with Ethereum (EIP-4361)")
@PermitAll
public class AuthResource {

    private final SignInService signIn;

    AuthResource(SignInService signIn) {
        this.signIn = signIn;
    }

    @GET
    @Path("/nonce")
    @RateLimited("sign-in")
    @Operation(summary = "Get a single-use nonce and the exact EIP-4361 message for a wallet to sign",
            description = "The nonce is valid for 5 minutes and for one sign-in.")
    public NonceResponse nonce(@QueryParam("address") @NotBlank String address) {
        return signIn.challenge(address);
    }

    @POST
    @RateLimited("sign-in")
    @Operation(summary = "Sign in with a signed EIP-4361 message",
            description = "Checks grammar, domain, URI, chain id, nonce, time window and the EIP-191 signature; "
                    + "creates the user on first sign-in and returns a bearer token.")
    public SignInResponse signIn(@NotNull @Valid SignInRequest request) {
        return signIn.signIn(request);
    }
}

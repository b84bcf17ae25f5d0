package io.agentnexus.user;

import io.agentnexus.platform.error.ApiException;
import io.agentnexus.user.AuthDtos.NonceResponse;
import io.agentnexus.user.AuthDtos.SignInRequest;
import io.agentnexus.user.AuthDtos.SignInResponse;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.jwt.build.Jwt;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;

/**
 * Sign-In with Ethereum (EIP-4361): issues single-use challenges and turns a signed one into a JWT.
 * Every check the EIP asks for is made; any failure is a 401 that says which check failed.
 */
@ApplicationScoped
public class SignInService {

    private final AuthConfig config;
    private final NonceStore nonces;
    private final UserService users;
    private final Clock clock;
    private final MeterRegistry metrics;

    SignInService(AuthConfig config, NonceStore nonces, UserService users, Clock clock, MeterRegistry metrics) {
        this.config = config;
        this.nonces = nonces;
        this.users = users;
        this.clock = clock;
        this.metrics = metrics;
    }

    public NonceResponse challenge(String address) {
        if (!Wallet.isAddress(address)) {
            throw ApiException.invalidField("address", "must be a 0x-prefixed 20-byte hex address");
        }
        if (!Wallet.hasValidChecksum(address)) {
            throw ApiException.invalidField("address", "has an invalid EIP-55 checksum");
        }
        Instant issuedAt = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Instant expiresAt = issuedAt.plus(config.nonceTtl());
        String nonce = nonces.issue(address, config.nonceTtl());
        SiweMessage message = new SiweMessage(null, config.domain(), Wallet.checksummed(address), config.statement(),
                config.uri(), "1", config.chainId(), nonce, issuedAt, expiresAt, null, null, List.of());
        return new NonceResponse(nonce, message.render(), issuedAt, expiresAt);
    }

    public SignInResponse signIn(SignInRequest request) {
        SiweMessage message = checkedMessage(request.message());
        String signer = recoverSigner(request.message(), request.signature());
        if (!signer.equalsIgnoreCase(message.address())) {
            throw rejected("signature", "the signature was not made by " + message.address());
        }
        // Consumed only after the signature is checked, so that nobody can burn another wallet's nonce.
        String issuedFor = nonces.consume(message.nonce())
                .orElseThrow(() -> rejected("nonce", "the nonce is unknown, expired or already used"));
        if (!issuedFor.equals(Wallet.normalize(message.address()))) {
            throw rejected("nonce", "the nonce was issued for another wallet");
        }
        UserView user = users.recordSignIn(message.address());
        Instant expiresAt = clock.instant().plus(config.tokenTtl()).truncatedTo(ChronoUnit.SECONDS);
        String token = Jwt.issuer(config.issuer())
                .subject(user.id().toString())
                .groups(Set.copyOf(user.roles()))
                .claim("wallet", user.walletAddress())
                .issuedAt(clock.instant())
                .expiresAt(expiresAt)
                .sign();
        metrics.counter("agentnexus.signins", "outcome", "success").increment();
        return new SignInResponse(token, expiresAt, user);
    }

    private SiweMessage checkedMessage(String text) {
        SiweMessage message;
        try {
            message = SiweMessage.parse(text);
        } catch (SiweMessage.MalformedException e) {
            throw rejected("malformed", e.getMessage());
        }
        if (!message.domain().equalsIgnoreCase(config.domain())) {
            throw rejected("domain", "the message is for " + message.domain() + ", not for " + config.domain());
        }
        if (!message.uri().equals(config.uri()) && !message.uri().startsWith(config.uri() + "/")) {
            throw rejected("uri", "the message names the URI " + message.uri() + ", not " + config.uri());
        }
        if (message.chainId() != config.chainId()) {
            throw rejected("chain", "the message is for chain " + message.chainId() + ", not " + config.chainId());
        }
        Instant now = clock.instant();
        if (message.issuedAt().isAfter(now.plus(config.clockSkew()))) {
            throw rejected("not_yet_valid", "the message is issued in the future (" + message.issuedAt() + ")");
        }
        if (message.notBefore() != null && message.notBefore().isAfter(now.plus(config.clockSkew()))) {
            throw rejected("not_yet_valid", "the message is not valid before " + message.notBefore());
        }
        if (message.expirationTime() != null && !now.isBefore(message.expirationTime().plus(config.clockSkew()))) {
            throw rejected("expired", "the message expired at " + message.expirationTime());
        }
        return message;
    }

    private String recoverSigner(String text, String signatureHex) {
        try {
            return Wallet.personalSigner(text.getBytes(StandardCharsets.UTF_8), signatureHex);
        } catch (IllegalArgumentException e) {
            throw rejected("signature", e.getMessage());
        }
    }

    private ApiException rejected(String outcome, String detail) {
        metrics.counter("agentnexus.signins", "outcome", outcome).increment();
        return ApiException.unauthorized("sign-in rejected: " + detail);
    }
}

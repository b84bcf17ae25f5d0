package io.agentnexus.user;

import io.agentnexus.platform.error.ApiException;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.value.SetArgs;
import io.quarkus.redis.datasource.value.ValueCommands;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Optional;

/** Single-use sign-in nonces in Redis, so that every replica honours them and each works once. */
@ApplicationScoped
class NonceStore {

    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final int LENGTH = 24; // ~143 bits
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ValueCommands<String, String> values;

    NonceStore(RedisDataSource redis) {
        this.values = redis.value(String.class);
    }

    /** A fresh nonce, good for {@code ttl}, bound to the wallet it was issued for. */
    String issue(String address, Duration ttl) {
        StringBuilder nonce = new StringBuilder(LENGTH);
        for (int i = 0; i < LENGTH; i++) {
            nonce.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        try {
            values.set(key(nonce.toString()), Wallet.normalize(address), new SetArgs().px(ttl).nx());
        } catch (RuntimeException e) {
            throw ApiException.unavailable("sign-in is unavailable right now: the nonce store cannot be reached");
        }
        return nonce.toString();
    }

    /** The wallet the nonce was issued for, removing it in the same step (GETDEL): a nonce works once. */
    Optional<String> consume(String nonce) {
        try {
            return Optional.ofNullable(values.getdel(key(nonce)));
        } catch (RuntimeException e) {
            throw ApiException.unavailable("sign-in is unavailable right now: the nonce store cannot be reached");
        }
    }

    private static String key(String nonce) {
        return "siwe:nonce:" + nonce;
    }
}

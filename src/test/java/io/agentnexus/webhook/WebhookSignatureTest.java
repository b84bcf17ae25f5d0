package io.agentnexus.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Signatures as the Standard Webhooks specification defines them. */
class WebhookSignatureTest {

    // The reference test vector of the Standard Webhooks libraries (and Svix's): secret, id, timestamp, body.
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private static final long TIMESTAMP = 1614265330;
    private static final String BODY = "{\"test\": 2432232314}";

    @Test
    void signsTheReferenceVectorAsTheSpecificationDoes() {
        assertEquals("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
                WebhookSignature.sign(SECRET, ID, TIMESTAMP, BODY));
    }

    @Test
    void anyChangeOfIdTimestampOrBodyChangesTheSignature() {
        String reference = WebhookSignature.sign(SECRET, ID, TIMESTAMP, BODY);
        assertNotEquals(reference, WebhookSignature.sign(SECRET, ID + "x", TIMESTAMP, BODY));
        assertNotEquals(reference, WebhookSignature.sign(SECRET, ID, TIMESTAMP + 1, BODY));
        assertNotEquals(reference, WebhookSignature.sign(SECRET, ID, TIMESTAMP, "{\"test\": 2432232315}"));
    }

    @Test
    void newSecretsAreWhsecAndThirtyTwoRandomBytes() {
        String secret = WebhookSignature.newSecret();
        assertTrue(secret.startsWith("whsec_"), secret);
        assertEquals(32, Base64.getDecoder().decode(secret.substring(6)).length);
        assertNotEquals(secret, WebhookSignature.newSecret());
    }
}

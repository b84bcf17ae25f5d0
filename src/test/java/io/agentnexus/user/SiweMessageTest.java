package io.agentnexus.user;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The EIP-4361 grammar, with the EIP's own example message. */
class SiweMessageTest {

    private static final String FULL = """
            https://example.com wants you to sign in with your Ethereum account:
            0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2

            I accept the ExampleOrg Terms of Service: https://example.com/tos

            URI: https://example.com/login
            Version: 1
            Chain ID: 1
            Nonce: 32891756
            Issued At: 2021-09-30T16:25:24Z
            Expiration Time: 2021-10-01T16:25:24.000Z
            Not Before: 2021-09-30T16:00:00+02:00
            Request ID: some-request
            Resources:
            - ipfs://bafybeiemxf5abjwjbikoz4mc3a3dla6ual3jsgpdr4cjr3oz3evfyavhwq/
            - https://example.com/my-web2-claim.json""";

    @Test
    void parsesEveryField() throws Exception {
        SiweMessage m = SiweMessage.parse(FULL);
        assertEquals("https", m.scheme());
        assertEquals("example.com", m.domain());
        assertEquals("0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2", m.address());
        assertEquals("I accept the ExampleOrg Terms of Service: https://example.com/tos", m.statement());
        assertEquals("https://example.com/login", m.uri());
        assertEquals(1, m.chainId());
        assertEquals("32891756", m.nonce());
        assertEquals(Instant.parse("2021-09-30T16:25:24Z"), m.issuedAt());
        assertEquals(Instant.parse("2021-10-01T16:25:24Z"), m.expirationTime());
        assertEquals(Instant.parse("2021-09-30T14:00:00Z"), m.notBefore());
        assertEquals("some-request", m.requestId());
        assertEquals(List.of("ipfs://bafybeiemxf5abjwjbikoz4mc3a3dla6ual3jsgpdr4cjr3oz3evfyavhwq/",
                "https://example.com/my-web2-claim.json"), m.resources());
    }

    @Test
    void rendersWhatItParses() throws Exception {
        SiweMessage m = SiweMessage.parse(FULL);
        assertEquals(m, SiweMessage.parse(m.render()));
    }

    @Test
    void statementIsOptional() throws Exception {
        String withoutStatement = """
                example.com wants you to sign in with your Ethereum account:
                0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2


                URI: https://example.com
                Version: 1
                Chain ID: 1
                Nonce: 32891756
                Issued At: 2021-09-30T16:25:24Z""";
        SiweMessage m = SiweMessage.parse(withoutStatement);
        assertNull(m.statement());
        assertNull(m.scheme());
        assertEquals(withoutStatement, m.render());
    }

    @Test
    void rejectsWhatTheGrammarDoesNot() {
        assertThrows(SiweMessage.MalformedException.class, () -> SiweMessage.parse(""));
        assertThrows(SiweMessage.MalformedException.class, () -> SiweMessage.parse(FULL.replace("Version: 1", "Version: 2")));
        assertThrows(SiweMessage.MalformedException.class, () -> SiweMessage.parse(FULL.replace("Nonce: 32891756", "Nonce: 123")));
        assertThrows(SiweMessage.MalformedException.class,
                () -> SiweMessage.parse(FULL.replace("2021-09-30T16:25:24Z", "yesterday")));
        assertThrows(SiweMessage.MalformedException.class, () -> SiweMessage.parse(FULL + "\nExtra: line"));
    }
}

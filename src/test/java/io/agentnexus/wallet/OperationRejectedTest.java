package io.agentnexus.wallet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** EntryPoint codes in bundler and paymaster refusals. */
class OperationRejectedTest {

    private static final String NONCE = "UserOperation reverted during simulation with reason: AA25 invalid account nonce";

    private static OperationRejected bundler(String message) {
        return new OperationRejected("bundler", -32500, message);
    }

    @Test
    void extractsTheEntryPointCode() {
        assertEquals("AA25", bundler(NONCE).entryPointCode());
        assertEquals("AA21", bundler("AA21 didn't pay prefund").entryPointCode());
        assertEquals("AA33", bundler("execution reverted: AA33 reverted (or OOG)").entryPointCode());
    }

    @Test
    void onlyAWholeTwoDigitCodeCounts() {
        assertNull(bundler("nonce AA255 is odd").entryPointCode());
        assertNull(bundler("BAA25 is not a code").entryPointCode());
        assertNull(bundler("AA2 is too short").entryPointCode());
    }

    @Test
    void reasonPutsTheWordsFirstThenTheServicesMessage() {
        String reason = bundler(NONCE).reason();

        assertTrue(reason.startsWith("AA25: the nonce is not the account's next one"), reason);
        assertTrue(reason.endsWith("(bundler: " + NONCE + ")"), reason);
    }

    @Test
    void reasonNamesThePaymasterWhenItRefused() {
        String reason = new OperationRejected("paymaster", -32501, "AA34 signature error").reason();

        assertTrue(reason.startsWith("AA34: "), reason);
        assertTrue(reason.contains("(paymaster: AA34 signature error)"), reason);
    }

    @Test
    void aMessageWithoutACodeKeepsTheServicesMessage() {
        OperationRejected rejected = new OperationRejected("paymaster", -32602, "policy limit reached for sender");

        assertNull(rejected.entryPointCode());
        assertEquals("the paymaster refused the operation: policy limit reached for sender", rejected.reason());
        assertEquals(-32602, rejected.code());
        assertEquals("paymaster", rejected.source());
        assertFalse(rejected.stale());
    }

    @Test
    void anUnknownCodeKeepsTheServicesMessage() {
        assertEquals("the bundler refused the operation: AA99 something new", bundler("AA99 something new").reason());
    }

    @Test
    void outOfDateRefusalsAreStale() {
        assertTrue(bundler("AA10 sender already constructed").stale());
        assertTrue(bundler("AA22 expired or not due").stale());
        assertTrue(bundler(NONCE).stale());
        assertTrue(bundler("AA32 paymaster expired or not due").stale());
    }

    @Test
    void otherRefusalsAreNotStale() {
        assertFalse(bundler("AA21 didn't pay prefund").stale());
        assertFalse(bundler("AA24 signature error").stale());
        assertFalse(bundler("invalid fields").stale());
    }
}

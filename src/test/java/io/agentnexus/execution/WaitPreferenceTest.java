package io.agentnexus.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class WaitPreferenceTest {

    private static OptionalInt seconds(String... headers) {
        return WaitPreference.seconds(List.of(headers));
    }

    @Test
    void waitIsFoundAmongOtherPreferencesWhateverItsCase() {
        assertEquals(OptionalInt.of(10), seconds("respond-async, wait=10"));
        assertEquals(OptionalInt.of(5), seconds("return=minimal", "Wait = 5 ; foo=bar"));
        assertEquals(OptionalInt.of(7), seconds("wait=\"7\""));
    }

    @Test
    void firstWaitCountsAndLongWaitsAreCapped() {
        assertEquals(OptionalInt.of(3), seconds("wait=3, wait=9"));
        assertEquals(OptionalInt.of(60), seconds("wait=999"));
        assertEquals(OptionalInt.of(60), seconds("wait=99999999999999"));
        assertEquals(OptionalInt.of(0), seconds("wait=0"));
    }

    @Test
    void malformedOrMissingWaitIsIgnored() {
        assertEquals(OptionalInt.empty(), seconds("wait=soon"));
        assertEquals(OptionalInt.empty(), seconds("wait=-1"));
        assertEquals(OptionalInt.empty(), seconds("wait"));
        assertEquals(OptionalInt.empty(), seconds("respond-async"));
        assertEquals(OptionalInt.empty(), WaitPreference.seconds(null));
    }
}

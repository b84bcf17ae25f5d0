package io.agentnexus.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ServerSentEventTest {

    @Test
    void eventHasItsIdNameAndDataThenABlankLine() {
        assertEquals("id:7\nevent:log\ndata:hello\n\n", ServerSentEvent.format("log", "7", "hello"));
        assertEquals("event:done\ndata:{\"status\":\"FAILED\"}\n\n",
                ServerSentEvent.format("done", null, "{\"status\":\"FAILED\"}"));
    }

    @Test
    void everyLineBreakInTheDataStartsAnotherDataFieldSoNoLineCanForgeAField() {
        assertEquals("event:log\ndata:a\ndata:b\ndata:c\ndata:event:forged\ndata:\n\n",
                ServerSentEvent.format("log", null, "a\r\nb\rc\nevent:forged\n"));
    }
}

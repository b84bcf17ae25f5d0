package io.agentnexus.execution;

/** The text of one Server-Sent Event (WHATWG HTML, "Server-sent events"), written as the stream's body. */
final class ServerSentEvent {

    private ServerSentEvent() {
    }

    /** The event's fields and the blank line that ends it; each line of the data gets its own data field. */
    static String format(String name, String id, String data) {
        StringBuilder event = new StringBuilder();
        if (id != null) {
            event.append("id:").append(id).append('\n');
        }
        event.append("event:").append(name).append('\n');
        for (String line : data.split("\r\n|\r|\n", -1)) {
            event.append("data:").append(line).append('\n');
        }
        return event.append('\n').toString();
    }
}

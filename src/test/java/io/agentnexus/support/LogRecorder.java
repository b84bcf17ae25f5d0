package io.agentnexus.support;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** What the application logs at ERROR while open: a test's view of failures the client cannot see. */
public final class LogRecorder extends Handler implements AutoCloseable {

    private final Logger root = Logger.getLogger("");
    private final List<String> messages = new CopyOnWriteArrayList<>();

    private LogRecorder() {
        setLevel(Level.SEVERE); // JBoss Logging's ERROR
        root.addHandler(this);
    }

    public static LogRecorder errors() {
        return new LogRecorder();
    }

    /** Each recorded message that mentions {@code subject} (an id), with its exception's when it has one. */
    public List<String> about(String subject) {
        return messages.stream().filter(message -> message.contains(subject)).toList();
    }

    @Override
    public void publish(LogRecord record) {
        if (isLoggable(record)) {
            messages.add(record.getMessage() + (record.getThrown() == null ? "" : ": " + record.getThrown()));
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        root.removeHandler(this);
    }
}

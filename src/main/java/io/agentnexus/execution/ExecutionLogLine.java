package io.agentnexus.execution;

import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.UUID;

/** One line an execution wrote, in order. */
@Entity
@Table(name = "execution_log_lines")
public class ExecutionLogLine {

    @EmbeddedId
    public Key key;

    @Enumerated(EnumType.STRING)
    public Stream stream;

    public Instant loggedAt;

    public String line;

    public enum Stream {
        STDOUT, STDERR, SYSTEM
    }

    @Embeddable
    public record Key(UUID executionId, int seq) implements Serializable {
    }
}

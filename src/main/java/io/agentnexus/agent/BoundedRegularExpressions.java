package io.agentnexus.agent;

import com.networknt.schema.regex.RegularExpression;
import com.networknt.schema.regex.RegularExpressionFactory;
import java.time.Duration;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * JDK regular expressions for the schema keywords pattern and patternProperties, whose matching stops
 * at a deadline: a creator's pattern with catastrophic backtracking must not hold a thread.
 */
final class BoundedRegularExpressions implements RegularExpressionFactory {

    /** Thrown from inside the matcher when the check's time is up. */
    static final class TooSlow extends RuntimeException {
        TooSlow() {
            super("the check ran out of time", null, false, false);
        }
    }

    private static final ThreadLocal<Long> DEADLINE = new ThreadLocal<>();

    private final Duration limit;

    BoundedRegularExpressions(Duration limit) {
        this.limit = limit;
    }

    /** Runs {@code check} with every regular expression match in it sharing one deadline. */
    <T> T within(Supplier<T> check) {
        Long outer = DEADLINE.get();
        DEADLINE.set(System.nanoTime() + limit.toNanos());
        try {
            return check.get();
        } finally {
            DEADLINE.set(outer);
        }
    }

    @Override
    public RegularExpression getRegularExpression(String regex) {
        Pattern pattern = Pattern.compile(regex);
        return value -> {
            Long deadline = DEADLINE.get();
            long until = deadline != null ? deadline : System.nanoTime() + limit.toNanos();
            return pattern.matcher(new Deadlined(value, until)).find();
        };
    }

    /** A string whose characters can no longer be read once the deadline has passed. */
    private static final class Deadlined implements CharSequence {
        private final String text;
        private final long deadline;
        private int reads;

        Deadlined(String text, long deadline) {
            this.text = text;
            this.deadline = deadline;
        }

        @Override
        public char charAt(int index) {
            // the clock is read every 1024 characters: a backtracking matcher reads millions per second
            if ((++reads & 1023) == 0 && System.nanoTime() > deadline) {
                throw new TooSlow();
            }
            return text.charAt(index);
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new Deadlined(text.substring(start, end), deadline);
        }

        @Override
        public String toString() {
            return text;
        }
    }
}

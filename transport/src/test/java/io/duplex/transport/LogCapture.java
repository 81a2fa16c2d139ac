package io.duplex.transport;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Captures what the transport logs through System.Logger, which (with no other LoggerFinder installed)
 * is backed by java.util.logging: a handler on the module's parent logger sees every class's records.
 * Records are kept off the console while captured.
 */
public final class LogCapture implements AutoCloseable {

    private final Logger logger = Logger.getLogger("io.duplex.transport");
    private final List<LogRecord> records = new ArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            synchronized (records) {
                records.add(record);
            }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    public LogCapture() {
        handler.setLevel(Level.ALL);
        logger.addHandler(handler);
        logger.setUseParentHandlers(false);
    }

    /** A record at WARNING or above. */
    public record Warning(String loggerName, String message, Throwable thrown) {}

    /** Records at WARNING or above whose logger name ends with {@code simpleClassName}. */
    public List<Warning> warningsFrom(String simpleClassName) {
        synchronized (records) {
            return records.stream()
                    .filter(r -> r.getLevel().intValue() >= Level.WARNING.intValue())
                    .filter(r -> r.getLoggerName().endsWith("." + simpleClassName))
                    .map(r -> new Warning(r.getLoggerName(), r.getMessage(), r.getThrown()))
                    .toList();
        }
    }

    @Override
    public void close() {
        logger.removeHandler(handler);
        logger.setUseParentHandlers(true);
    }
}

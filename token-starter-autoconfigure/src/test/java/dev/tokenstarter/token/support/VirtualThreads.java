package dev.tokenstarter.token.support;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

import com.sun.management.HotSpotDiagnosticMXBean;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Virtual threads for tests that run on JDK 21 or newer while the code compiles for Java 17: the executor
 * and the thread dump are reached by reflection, what pins a carrier thread is recorded with JFR.
 */
public final class VirtualThreads {

    private static final String PINNED = "jdk.VirtualThreadPinned";

    private VirtualThreads() {
    }

    /** A new executor that starts a virtual thread for each task. */
    public static ExecutorService newPerTaskExecutor() {
        try {
            return (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
        }
        catch (ReflectiveOperationException ex) {
            throw new IllegalStateException("Virtual threads need JDK 21 or newer, this is " + Runtime.version(), ex);
        }
    }

    /**
     * Every thread of this JVM, virtual ones included, as {@code HotSpotDiagnosticMXBean.dumpThreads} writes
     * them in JSON. Which monitors a thread holds or waits for is only in the dumps of JDK 25 and newer.
     * @param file where the dump is written; it must not exist yet
     */
    public static Map<Long, DumpedThread> dumpThreads(Path file) throws IOException {
        try {
            Class<?> formats = Class.forName("com.sun.management.HotSpotDiagnosticMXBean$ThreadDumpFormat");
            Object json = Arrays.stream(formats.getEnumConstants())
                .filter((format) -> ((Enum<?>) format).name().equals("JSON"))
                .findFirst()
                .orElseThrow();
            HotSpotDiagnosticMXBean.class.getMethod("dumpThreads", String.class, formats)
                .invoke(ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class), file.toString(), json);
        }
        catch (ReflectiveOperationException ex) {
            throw new IllegalStateException("Thread dumps in JSON need JDK 21 or newer, this is " + Runtime.version(), ex);
        }
        Map<Long, DumpedThread> threads = new HashMap<>();
        for (JsonNode container : JsonMapper.shared().readTree(file.toFile()).path("threadDump").path("threadContainers")) {
            for (JsonNode thread : container.path("threads")) {
                List<String> stack = new ArrayList<>();
                thread.path("stack").forEach((frame) -> stack.add(frame.asString()));
                long id = Long.parseLong(thread.path("tid").asString());
                threads.put(id, new DumpedThread(id, text(thread, "state"), stack,
                        !thread.path("monitorsOwned").isEmpty(), text(thread, "blockedOn"), text(thread, "waitingOn")));
            }
        }
        return threads;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return (value != null && !value.isNull()) ? value.asString() : null;
    }

    /**
     * Starts recording every pinning of a carrier thread by a virtual thread, however short (JDK 21 to 23:
     * blocking while holding a monitor, or under a native frame; from JDK 24 on only the latter).
     */
    public static PinningRecording recordPinning() {
        boolean known = FlightRecorder.getFlightRecorder().getEventTypes().stream()
            .anyMatch((type) -> type.getName().equals(PINNED));
        if (!known) {
            // enabling an unknown event records nothing, and an empty recording would pass for "no pinning"
            throw new IllegalStateException("This JVM has no " + PINNED + " event: " + Runtime.version());
        }
        Recording recording = new Recording();
        recording.enable(PINNED).withThreshold(Duration.ZERO).withStackTrace();
        recording.start();
        return new PinningRecording(recording);
    }

    /**
     * A thread in a thread dump.
     * @param state {@code RUNNABLE}, {@code WAITING} and so on; {@code null} before JDK 25
     * @param holdsMonitor whether it holds a monitor (always {@code false} before JDK 25)
     * @param blockedOn the monitor it waits to enter, if any (JDK 25 and newer)
     * @param waitingOn the monitor it waits on in {@code Object.wait}, if any (JDK 25 and newer)
     */
    public record DumpedThread(long id, String state, List<String> stack, boolean holdsMonitor, String blockedOn,
            String waitingOn) {

        /** Whether it is waiting for something rather than running or ready to run. */
        public boolean isWaiting() {
            if (state != null) {
                return !state.equals("RUNNABLE") && !state.equals("NEW") && !state.equals("TERMINATED");
            }
            return !stack.isEmpty() && (stack.get(0).contains(".park") || stack.get(0).contains("Object.wait"));
        }

        /** Whether it holds a monitor, waits to enter one, or waits on one. */
        public boolean involvesMonitor() {
            return holdsMonitor || blockedOn != null || waitingOn != null;
        }

        @Override
        public String toString() {
            return "thread " + id + " " + state + (holdsMonitor ? " holding a monitor" : "")
                    + ((blockedOn != null) ? " blocked on " + blockedOn : "")
                    + ((waitingOn != null) ? " waiting on " + waitingOn : "") + " at "
                    + stack.stream().limit(20).collect(Collectors.joining(" <- "));
        }
    }

    /** A running JFR recording of {@code jdk.VirtualThreadPinned} events. */
    public static final class PinningRecording implements AutoCloseable {

        private final Recording recording;

        private PinningRecording(Recording recording) {
            this.recording = recording;
        }

        /**
         * Stops recording and describes each pinning: how long, and where the virtual thread was.
         * @param file where the recording is written to be read back
         */
        public List<String> stop(Path file) throws IOException {
            recording.stop();
            recording.dump(file);
            return RecordingFile.readAllEvents(file).stream()
                .filter((event) -> event.getEventType().getName().equals(PINNED))
                .map(PinningRecording::describe)
                .collect(Collectors.toList());
        }

        private static String describe(RecordedEvent event) {
            List<RecordedFrame> frames = (event.getStackTrace() != null) ? event.getStackTrace().getFrames() : List.of();
            return "pinned for " + event.getDuration().toMillis() + " ms at " + frames.stream()
                .limit(20)
                .map((frame) -> frame.getMethod().getType().getName() + "." + frame.getMethod().getName() + ":"
                        + frame.getLineNumber())
                .collect(Collectors.joining(" <- "));
        }

        @Override
        public void close() {
            recording.close();
        }
    }
}

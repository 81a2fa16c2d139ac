package io.duplex.transport.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * "Too many open files" on accept: the listener logs once, stops asking for OP_ACCEPT for 100 ms at a time
 * instead of spinning on a backlog it cannot drain, and accepts again once descriptors are free. Runs
 * {@link EmfileProbe} in a child JVM under {@code ulimit -n 256} (bash is required; the test fails if it is
 * missing).
 */
@Timeout(60)
class ListenerEmfileTest {

    @Test
    void acceptFailingWithEmfileBacksOffLogsOnceAndRecovers() throws Exception {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        String classPath = System.getProperty("java.class.path");
        String command = "ulimit -n 256 && exec \"$0\" -cp \"$1\" " + EmfileProbe.class.getName();
        Process child = new ProcessBuilder(List.of("bash", "-c", command, java, classPath)).redirectErrorStream(true).start();
        String output;
        try {
            output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).as("the probe JVM to end").isTrue();
        } finally {
            child.destroyForcibly();
        }
        assertThat(child.exitValue()).as("probe exit status; output:%n%s", output).isZero();
        Matcher m = Pattern.compile("hogged=(\\d+) failuresBefore=(\\d+) warnings=(\\d+) failuresIn500ms=(\\d+) accepted=(\\w+)")
                .matcher(output);
        assertThat(m.find()).as("probe output:%n%s", output).isTrue();
        assertThat(Integer.parseInt(m.group(1))).as("descriptors hogged").isPositive();
        assertThat(Integer.parseInt(m.group(2))).as("failed accepts before the descriptors ran out").isZero();
        assertThat(Integer.parseInt(m.group(3))).as("EMFILE warnings").isEqualTo(1);
        // One retry per 100 ms pause: about 5 in the window (more only if the loop ran late); a spin makes thousands.
        assertThat(Long.parseLong(m.group(4))).as("failed accepts in 500 ms of EMFILE").isBetween(1L, 10L);
        assertThat(m.group(5)).as("accepted once descriptors were free").isEqualTo("true");
    }
}

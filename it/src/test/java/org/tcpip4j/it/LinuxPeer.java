package org.tcpip4j.it;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.testcontainers.containers.Container;
import org.testcontainers.containers.GenericContainer;

/** The Linux host in the container: commands run in it, as root, in its network namespace. */
public final class LinuxPeer {

    /** A finished command in the container. */
    public record ExecResult(int exitCode, String stdout, String stderr) {

        /** True when the command exited 0. */
        public boolean succeeded() {
            return exitCode == 0;
        }
    }

    private final GenericContainer<?> container;

    LinuxPeer(GenericContainer<?> container) {
        this.container = container;
    }

    /** Runs {@code command} in the container and waits for it to end. */
    public ExecResult exec(String... command) {
        try {
            Container.ExecResult r = container.execInContainer(command);
            return new ExecResult(r.getExitCode(), r.getStdout(), r.getStderr());
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + List.of(command) + " in the peer", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + List.of(command) + " in the peer", e);
        }
    }

    /** Runs {@code command} and returns its standard output, failing the test if it exits non-zero. */
    public String check(String... command) {
        ExecResult r = exec(command);
        if (!r.succeeded()) {
            throw new AssertionError("peer: " + String.join(" ", command) + " exited " + r.exitCode() + ": "
                    + r.stderr() + r.stdout());
        }
        return r.stdout();
    }

    /**
     * Starts the shell command {@code shellCommand} in the background and returns at once;
     * its output is discarded (an attached output would keep the exec open until it ends).
     */
    public void startInBackground(String shellCommand) {
        check("sh", "-c", "nohup " + shellCommand + " >/dev/null 2>&1 &");
    }

    /**
     * Sets the peer's sysctl {@code key} (such as {@code net.ipv6.conf.eth0.forwarding}) to
     * {@code value}. The container sees {@code /proc/sys} read-only, so this enters its
     * network namespace from the host (nsenter), where the {@code net.*} keys are the
     * container's own.
     */
    public void sysctl(String key, String value) {
        long pid = container.getContainerInfo().getState().getPidLong();
        String file = "/proc/sys/" + key.replace('.', '/');
        String[] command = {"nsenter", "--net=/proc/" + pid + "/ns/net", "sh", "-c", "echo " + value + " > " + file};
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("peer: sysctl " + key + "=" + value + " failed: " + output);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot set " + key + " in the peer", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted setting " + key + " in the peer", e);
        }
    }

    /** The container's id. */
    public String containerId() {
        return container.getContainerId();
    }
}

package io.aquarium.fish.api.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * CPU time and resident memory of the node process, read from Linux's {@code /proc/<pid>/stat} (utime +
 * stime, in clock ticks) and {@code /proc/<pid>/status} (VmRSS). A daemon thread samples the RSS every
 * 200 ms and keeps the peak.
 */
final class NodeStats implements AutoCloseable {
    /** USER_HZ: 100 on every Linux this runs on ({@code getconf CLK_TCK}). */
    private static final double TICKS_PER_SECOND = 100;
    private static final long QUIET_STEP_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    private final long pid;
    private final AtomicLong peakRssKb = new AtomicLong();
    private final Thread sampler;
    private volatile boolean running = true;

    NodeStats(long pid) {
        this.pid = pid;
        this.sampler = new Thread(() -> {
            while (running) {
                peakRssKb.accumulateAndGet(rssKb(), Math::max);
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
            }
        }, "fish-bench-rss");
        sampler.setDaemon(true);
        sampler.start();
    }

    /** CPU seconds (user + system) the node process has used so far. */
    double cpuSeconds() {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // After "pid (comm) ": field 3 (state) is f[0], so utime (14) is f[11] and stime (15) f[12].
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot read the CPU time of process " + pid + ": " + e, e);
        }
    }

    long rssKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // the process is gone: no sample
        }
        return 0;
    }

    double peakRssMb() {
        return peakRssKb.get() / 1024.0;
    }

    /**
     * Waits until the node has been quiet for {@code window} (it used at most {@code maxShare} of one core
     * over the trailing window, checked every 500 ms) and returns the CPU seconds it used from
     * {@code cpuAtStart} until the quiet window began. Gives up after {@code timeoutSeconds}.
     */
    double cpuUntilQuiet(double cpuAtStart, double windowSeconds, double maxShare, double timeoutSeconds) {
        int steps = (int) Math.round(windowSeconds * 1e9 / QUIET_STEP_NANOS);
        double[] ring = new double[steps + 1];
        int n = 0;
        long deadline = System.nanoTime() + (long) (timeoutSeconds * 1e9);
        while (System.nanoTime() < deadline) {
            ring[n % ring.length] = cpuSeconds();
            if (n >= steps) {
                double windowStart = ring[(n - steps) % ring.length];
                double used = ring[n % ring.length] - windowStart;
                if (used <= maxShare * windowSeconds) {
                    return windowStart - cpuAtStart;
                }
            }
            n++;
            LockSupport.parkNanos(QUIET_STEP_NANOS);
        }
        throw new IllegalStateException("the node did not become quiet within " + timeoutSeconds + " s");
    }

    @Override
    public void close() {
        running = false;
    }
}

package org.medmamba.serve;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * A closed-loop HTTP/1.1 load generator on loopback: each of N connections (a virtual thread and a
 * keep-alive socket of its own) posts an image, reads the whole answer, and posts again. Counted
 * exactly: answers by status, and connections that broke (reset, closed or timed out without an
 * answer) — a reconnect follows, so a broken connection never hides later failures.
 */
public final class LoadGenerator {
    /** What one run sends: a valid body, and a malformed one sent with probability malformedFraction. */
    public record Plan(String host, int port, String path, String contentType, byte[] body, byte[] malformed,
                       double malformedFraction, int connections, double seconds) {
        public Plan {
            if (connections < 1) throw new IllegalArgumentException("connections must be >= 1");
            if (!(seconds > 0)) throw new IllegalArgumentException("seconds must be > 0");
            if (malformedFraction < 0 || malformedFraction > 1) throw new IllegalArgumentException("malformedFraction must be in [0, 1]");
        }
    }

    /**
     * What happened.
     *
     * @param ok              200 answers to valid bodies
     * @param badOk           400 answers to malformed bodies (the expected answer)
     * @param wrong           answers other than those two (a 200 to a malformed body, a 400 to a valid one, 429, 503 …)
     * @param status5xx       answers 500–599 (also counted in wrong)
     * @param dropped         connections broken without an answer to the request in flight
     * @param refused         connection attempts refused (expected only after the server stops)
     * @param latencyMs       of the ok answers, sorted
     * @param spanning        requests sent before the mid-run action (SIGTERM) and answered or broken after it
     * @param spanningOk      of those, the ones answered as expected (200, or 400 for a malformed body)
     */
    public record Report(double seconds, long ok, long badOk, long wrong, long status5xx, long dropped, long refused,
                         long[] byStatus, double[] latencyMs, long spanning, long spanningOk) {
        public double imagesPerS() {
            return ok / seconds;
        }

        public double percentileMs(double q) {
            if (latencyMs.length == 0) return Double.NaN;
            int rank = (int) Math.ceil(q * latencyMs.length) - 1;   // nearest-rank percentile
            return latencyMs[Math.max(0, Math.min(latencyMs.length - 1, rank))];
        }

        public String line() {
            return String.format(Locale.ROOT, "%.1f s: %d ok (%.1f images/s), %d malformed→400, %d other, %d 5xx, %d dropped, %d refused; p50 %.1f ms, p99 %.1f ms",
                    seconds, ok, imagesPerS(), badOk, wrong, status5xx, dropped, refused, percentileMs(.5), percentileMs(.99));
        }
    }

    /**
     * How long a client waits for an answer before it counts the connection as dropped. Closed-loop
     * latency is connections / throughput (Little's law): 200 connections at 5 images/s is 40 s.
     */
    static final int SOCKET_TIMEOUT_MS = 180_000;

    private final Plan plan;
    private final LongAdder ok = new LongAdder(), badOk = new LongAdder(), wrong = new LongAdder(), s5xx = new LongAdder(),
            dropped = new LongAdder(), refused = new LongAdder(), spanning = new LongAdder(), spanningOk = new LongAdder();
    private volatile long mark = Long.MAX_VALUE;
    private final AtomicLong[] byStatus = new AtomicLong[600];
    private final List<double[]> latencies = new ArrayList<>();

    private LoadGenerator(Plan plan) {
        this.plan = plan;
        for (int i = 0; i < byStatus.length; i++) byStatus[i] = new AtomicLong();
    }

    /** Runs the plan; {@code during}, if not null, runs once at half time (e.g. sending SIGTERM to the server). */
    public static Report run(Plan plan, Runnable during) throws InterruptedException {
        return new LoadGenerator(plan).go(during);
    }

    private Report go(Runnable during) throws InterruptedException {
        long t0 = System.nanoTime(), end = t0 + (long) (plan.seconds() * 1e9);
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < plan.connections(); c++) {
            double[] lat = new double[1 << 12];
            int id = c;
            synchronized (latencies) {
                latencies.add(lat);
            }
            threads.add(Thread.ofVirtual().start(() -> connection(id, end, lat)));
        }
        if (during != null) {
            Thread.sleep((long) (plan.seconds() * 500));
            mark = System.nanoTime();
            during.run();
        }
        for (Thread t : threads) t.join();
        double secs = (System.nanoTime() - t0) / 1e9;
        double[] all = gather();
        long[] st = new long[byStatus.length];
        for (int i = 0; i < st.length; i++) st[i] = byStatus[i].get();
        return new Report(secs, ok.sum(), badOk.sum(), wrong.sum(), s5xx.sum(), dropped.sum(), refused.sum(), st, all, spanning.sum(), spanningOk.sum());
    }

    private double[] gather() {
        int n = 0;
        synchronized (latencies) {
            for (double[] l : latencies) n += (int) l[0];
            double[] out = new double[n];
            int k = 0;
            for (double[] l : latencies) {
                System.arraycopy(l, 1, out, k, (int) l[0]);
                k += (int) l[0];
            }
            Arrays.sort(out);
            return out;
        }
    }

    /** One connection's loop; lat[0] is the count, lat[1..] the ok latencies (grown as needed). */
    private void connection(int id, long end, double[] latInit) {
        Random rnd = new Random(1000 + id);
        double[] lat = latInit;
        Socket s = null;
        InputStream in = null;
        OutputStream out = null;
        byte[] head = head(plan.body().length), badHead = plan.malformed() == null ? null : head(plan.malformed().length);
        while (System.nanoTime() < end) {
            try {
                if (s == null) {
                    s = new Socket();
                    s.setTcpNoDelay(true);
                    s.setSoTimeout(SOCKET_TIMEOUT_MS);
                    s.connect(new InetSocketAddress(plan.host(), plan.port()), 10_000);
                    in = new BufferedInputStream(s.getInputStream(), 16 << 10);
                    out = s.getOutputStream();
                }
            } catch (IOException e) {
                refused.increment();
                close(s);
                s = null;
                sleep(50);
                continue;
            }
            boolean bad = plan.malformed() != null && rnd.nextDouble() < plan.malformedFraction();
            long t0 = System.nanoTime();
            int status;
            boolean closeAfter;
            try {
                out.write(bad ? badHead : head);
                out.write(bad ? plan.malformed() : plan.body());
                out.flush();
                int[] r = readResponse(in);
                status = r[0];
                closeAfter = r[1] != 0;
            } catch (IOException e) {
                dropped.increment();
                if (t0 < mark) spanning.increment();
                close(s);
                s = null;
                continue;
            }
            long t1 = System.nanoTime();
            double ms = (t1 - t0) / 1e6;
            if (t0 < mark && t1 >= mark) {
                spanning.increment();
                if (bad ? status == 400 : status == 200) spanningOk.increment();
            }
            if (status >= 0 && status < byStatus.length) byStatus[status].incrementAndGet();
            if (status >= 500) s5xx.increment();
            if (!bad && status == 200) {
                ok.increment();
                int n = (int) lat[0];
                if (n + 1 >= lat.length) {
                    double[] g = Arrays.copyOf(lat, lat.length * 2);
                    synchronized (latencies) {
                        latencies.set(latencies.indexOf(lat), g);
                    }
                    lat = g;
                }
                lat[n + 1] = ms;
                lat[0] = n + 1;
            } else if (bad && status == 400) badOk.increment();
            else wrong.increment();
            if (closeAfter) {
                close(s);
                s = null;
            }
        }
        close(s);
    }

    private byte[] head(int length) {
        return ("POST " + plan.path() + " HTTP/1.1\r\nHost: " + plan.host() + ":" + plan.port() + "\r\nContent-Type: " + plan.contentType()
                + "\r\nContent-Length: " + length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** {status, 1 if the server closes the connection}; reads and discards the body (Content-Length). */
    static int[] readResponse(InputStream in) throws IOException {
        String status = line(in);
        if (status == null || !status.startsWith("HTTP/1.")) throw new IOException("no status line");
        int code = Integer.parseInt(status.substring(9, 12));
        long length = 0;
        boolean close = false;
        for (String h; (h = line(in)) != null && !h.isEmpty(); ) {
            String lower = h.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) length = Long.parseLong(h.substring(15).strip());
            else if (lower.startsWith("connection:") && lower.contains("close")) close = true;
        }
        in.skipNBytes(length);   // EOFException when the body is cut short
        return new int[]{code, close ? 1 : 0};
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') return b.toString().strip();
            b.append((char) c);
        }
        if (b.isEmpty()) throw new IOException("connection closed");
        return b.toString();
    }

    private static void close(Socket s) {
        try {
            if (s != null) s.close();
        } catch (IOException ignored) {
            // already broken
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

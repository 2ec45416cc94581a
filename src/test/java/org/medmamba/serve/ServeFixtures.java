package org.medmamba.serve;

import org.medmamba.bundle.ModelBundle;
import org.medmamba.model.MedMamba;
import org.medmamba.model.MedMambaConfig;
import org.medmamba.testing.Shared;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** A tiny random bundle, the fixtures as uploads, and an HTTP client for the serve tests. */
final class ServeFixtures {
    private ServeFixtures() {}

    static final MedMambaConfig TINY = new MedMambaConfig(new int[]{1, 1, 1, 1}, new int[]{8, 16, 32, 64}, 4, 3, 1, 0f);
    static final Path PNG = Shared.fixture("images/itk/BrainT1Slice.png");
    static final Path JPEG = Shared.fixture("images/skimage/retina.jpg");
    static final Path DICOM_10_FRAMES = Shared.fixture("dicom/octave-dicom/US-PAL-8-10x-echo.dcm");
    /** Put into the DICOM fixture's PatientName (same length as its "Anonymized"): must never be logged. */
    static final String PATIENT = "DOE^JANE^Q";

    /** A random-weight 3-class gray model at 32×32 (seconds to build, milliseconds per image). */
    static Path bundle(Path dir, String name, long seed) throws IOException {
        Path p = dir.resolve(name + ".mmb");
        new ModelBundle(TINY, List.of("benign", "malignant", "normal"), 32, 32, new float[]{0.5f}, new float[]{0.25f},
                Map.of(), new MedMamba(TINY, seed).stateDict()).save(p);
        return p;
    }

    /** The 10-frame DICOM fixture with a patient name written into its (0010,0010) element. */
    static Path dicomWithPatientName(Path dir) throws IOException {
        byte[] b = Files.readAllBytes(DICOM_10_FRAMES);
        byte[] tag = {0x10, 0x00, 0x10, 0x00, 'P', 'N', 10, 0};
        int at = Multipart.indexOf(b, tag, 0);
        if (at < 0 || !new String(b, at + 8, 10, StandardCharsets.US_ASCII).equals("Anonymized"))
            throw new IllegalStateException("fixture changed: PatientName not found");
        System.arraycopy(PATIENT.getBytes(StandardCharsets.US_ASCII), 0, b, at + 8, 10);
        Path out = dir.resolve("scan.dcm");
        Files.write(out, b);
        return out;
    }

    static ServeSettings settings(Map<String, Path> models) {
        return ServeSettings.defaults(models).withPort(0);
    }

    static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    static URI uri(InferenceServer s, String path) {
        return URI.create("http://127.0.0.1:" + s.port() + path);
    }

    static HttpResponse<String> post(InferenceServer s, String path, String type, byte[] body, String... headers) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(uri(s, path)).timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (type != null) r.header("Content-Type", type);
        for (int i = 0; i < headers.length; i += 2) r.header(headers[i], headers[i + 1]);
        return CLIENT.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> get(InferenceServer s, String path, String... headers) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(uri(s, path)).timeout(Duration.ofSeconds(60)).GET();
        for (int i = 0; i < headers.length; i += 2) r.header(headers[i], headers[i + 1]);
        return CLIENT.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A multipart/form-data body with one file part per (filename, content type, bytes). */
    record Upload(String filename, String type, byte[] bytes) {}

    static final String BOUNDARY = "medmamba-test-boundary-7f3a";

    static byte[] multipart(Upload... files) throws IOException {
        var out = new java.io.ByteArrayOutputStream();
        for (Upload f : files) {
            out.write(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + f.filename()
                    + "\"\r\nContent-Type: " + f.type() + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            out.write(f.bytes());
            out.write("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        out.write(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    /** Waits (at most 60 s) until the model's batcher holds at least n images: a request is then surely in flight. */
    static void awaitQueued(java.util.function.IntSupplier depth, int n) throws InterruptedException {
        long end = System.nanoTime() + 60_000_000_000L;
        while (depth.getAsInt() < n) {
            if (System.nanoTime() > end) throw new AssertionError("no request reached the queue");
            Thread.sleep(10);
        }
    }

    /** Sends raw request text on a new socket and returns the status line (reads at most 4 KB of the answer). */
    static String rawStatus(InferenceServer s, String head, int timeoutMs) throws IOException {
        try (Socket sock = new Socket("127.0.0.1", s.port())) {
            sock.setSoTimeout(timeoutMs);
            OutputStream o = sock.getOutputStream();
            o.write(head.getBytes(StandardCharsets.US_ASCII));
            o.flush();
            InputStream in = sock.getInputStream();
            return statusLine(in);
        }
    }

    static String statusLine(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') b.append((char) c);
        return b.toString().strip();
    }
}

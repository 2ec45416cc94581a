package org.medmamba.serve;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** multipart/form-data as curl -F writes it: file parts in order, other fields skipped, malformed bodies a 400. */
class MultipartTest {
    @Test
    void filePartsInOrderWithTheirTypesAndExactBytes() throws Exception {
        String b = "------------------------abc123";
        String body = "--" + b + "\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhello\r\n"
                + "--" + b + "\r\nContent-Disposition: form-data; name=\"f\"; filename=\"C:\\\\scans\\\\a.png\"\r\nContent-Type: image/png\r\n\r\n\r\nAB\r\n-\r\n"
                + "--" + b + "\r\ncontent-disposition: form-data; name=\"g\"; filename=\"dir/b.dcm\"\r\n\r\nxyz\r\n"
                + "--" + b + "--\r\n";
        assertEquals(b, Multipart.boundary("multipart/form-data; boundary=\"" + b + "\""));
        List<Multipart.Part> parts = Multipart.parse(body.getBytes(StandardCharsets.ISO_8859_1), b);
        assertEquals(2, parts.size(), "the text field is not an upload");
        assertEquals("a.png", parts.get(0).filename(), "base name only");
        assertEquals("image/png", parts.get(0).contentType());
        assertArrayEquals("\r\nAB\r\n-".getBytes(StandardCharsets.ISO_8859_1), parts.get(0).body(), "CR LF inside the data are data");
        assertEquals("b.dcm", parts.get(1).filename());
        assertNull(parts.get(1).contentType());
        assertArrayEquals("xyz".getBytes(StandardCharsets.ISO_8859_1), parts.get(1).body());
    }

    @Test
    void malformedBodiesAre400() {
        assertEquals(400, assertThrows(HttpFailure.class, () -> Multipart.boundary("multipart/form-data")).status);
        assertEquals(400, assertThrows(HttpFailure.class, () -> Multipart.parse("no boundary here".getBytes(), "b")).status);
        assertEquals(400, assertThrows(HttpFailure.class, () -> Multipart.parse(
                "--b\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a\"\r\n\r\nunterminated".getBytes(), "b")).status);
    }
}

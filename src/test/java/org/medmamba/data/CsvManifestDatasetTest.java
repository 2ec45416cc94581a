package org.medmamba.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class CsvManifestDatasetTest {
    @TempDir
    Path tmp;

    Path csv(String text) throws IOException {
        Path p = tmp.resolve("m.csv");
        Files.writeString(p, text);
        return p;
    }

    String error(String text) {
        return assertThrows(IOException.class, () -> CsvManifestDataset.open(csv(text))).getMessage();
    }

    @Test
    void quotingRelativePathsSplitsAndGroups() throws IOException {
        Path abs = tmp.resolve("elsewhere/x.png").toAbsolutePath();
        Path p = csv("\uFEFFnote,Split,label,path,group\r\n"
                + "a,train,pneumonia,img/a.png,P1\r\n"
                + "\"b, with comma\",valid,normal,\"img/b, \"\"quoted\"\".png\",P1\r\n"
                + "\n"
                + "c,Validation,normal,\"multi\nline.png\",\r\n"
                + "d,TEST,covid,../up.png,P2\r\n"
                + "e,,pneumonia," + abs + ",P3\r\n");
        CsvManifestDataset d = CsvManifestDataset.open(p);
        assertEquals(List.of("covid", "normal", "pneumonia"), d.classes());
        List<Sample> s = d.samples();
        assertEquals(5, s.size());
        assertEquals(tmp.resolve("img/a.png").toAbsolutePath(), s.get(0).file());
        assertEquals(tmp.resolve("img/b, \"quoted\".png").toAbsolutePath(), s.get(1).file());
        assertEquals(tmp.resolve("multi\nline.png").toAbsolutePath(), s.get(2).file());
        assertEquals(tmp.toAbsolutePath().getParent().resolve("up.png"), s.get(3).file());
        assertEquals(abs, s.get(4).file());
        assertEquals(List.of("train", "val", "val", "test", ""), s.stream().map(Sample::split).toList());
        assertEquals(List.of(2, 1, 1, 0, 2), s.stream().map(Sample::label).toList());
        assertEquals(List.of("P1", "P1", s.get(2).file().toString(), "P2", "P3"), s.stream().map(Sample::group).toList());
    }

    @Test
    void integerLabelsSortNumericallyOtherwiseByCodePoint() throws IOException {
        StringBuilder b = new StringBuilder("path,label\n");
        for (int i = 0; i <= 10; i++) b.append(i).append(".png,").append(i).append('\n');
        assertEquals(List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10"), CsvManifestDataset.open(csv(b.toString())).classes());
        // not exactly 0..N-1: plain string order
        assertEquals(List.of("1", "10", "2"), CsvManifestDataset.open(csv("path,label\na,2\nb,10\nc,1\n")).classes());
        assertEquals(List.of("B", "a"), CsvManifestDataset.open(csv("path,label\nx,a\ny,B\n")).classes());
    }

    @Test
    void errorsNameTheFileAndLine() throws IOException {
        String m = tmp.resolve("m.csv").toString();
        assertEquals(m + ":4: unknown split 'foo' (expected train, val, test or empty)",
                error("path,label,split\na.png,x,train\n\nb.png,y,foo\n"));
        assertEquals(m + ":1: missing column 'label' (header is path,class)", error("path,class\na.png,x\n"));
        assertEquals(m + ":3: 2 fields, header has 3", error("path,label,split\na,b,train\nc,d\n"));
        assertEquals(m + ":2: empty label", error("path,label\na.png, \n"));
        assertEquals(m + ":2: empty path", error("path,label\n,x\n"));
        assertEquals(m + ":2: unterminated quoted field", error("path,label\n\"a.png,x\nb,y\n"));
        assertEquals(m + ":2: quote inside an unquoted field", error("path,label\na\"b,x\n"));
        assertEquals(m + ": no rows after the header", error("path,label\n"));
        assertEquals(m + ": empty manifest (expected a header row path,label[,split])", error(""));
    }

    @Test
    void writeThenReadRoundTrips() throws IOException {
        Path out = tmp.resolve("sub/out.csv");
        List<Sample> s = List.of(new Sample(tmp.resolve("img/a, \"b\".png"), 0, 1, "train", "g1"),
                new Sample(tmp.resolve("sub/c.png"), 0, 0, "test", "g,2"));
        CsvManifestDataset.write(out, List.of("x y", "z"), s, true);
        assertEquals("path,label,split,group\n\"../img/a, \"\"b\"\".png\",z,train,g1\nc.png,x y,test,\"g,2\"\n", Files.readString(out));
        CsvManifestDataset d = CsvManifestDataset.open(out);
        assertEquals(List.of("x y", "z"), d.classes());
        assertEquals(tmp.resolve("img/a, \"b\".png").toAbsolutePath(), d.samples().get(0).file());
        assertEquals(List.of(1, 0), d.samples().stream().map(Sample::label).toList());
        assertEquals(List.of("g1", "g,2"), d.samples().stream().map(Sample::group).toList());
    }
}

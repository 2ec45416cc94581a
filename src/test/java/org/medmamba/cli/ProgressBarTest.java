package org.medmamba.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.*;

class ProgressBarTest {
    @Test
    void plainModePrintsOneLineWhenItFinishes() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        ProgressBar p = new ProgressBar("scan", "img", new PrintStream(b, true, StandardCharsets.UTF_8), false);
        for (int i = 1; i <= 250; i++) p.update(i, 250);
        p.finish();
        p.finish();
        String[] lines = b.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(1, lines.length, "a log gets one line per bar (per epoch), not one per 10 %");
        assertTrue(lines[0].startsWith("scan 100% 250/250  "), lines[0]);
        assertFalse(b.toString(StandardCharsets.UTF_8).contains("\r"));
        ProgressBar silent = new ProgressBar("scan", "img", null, true);
        silent.update(1, 2);
        silent.finish();   // --quiet: no stream, nothing to fail
    }

    @Test
    void terminalModeRedrawsAtMostEveryHundredMillisecondsAndEndsTheLine() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        ProgressBar p = new ProgressBar("scan", "img", new PrintStream(b, true, StandardCharsets.UTF_8), true);
        for (int i = 1; i <= 10_000; i++) p.update(i, 10_000);
        p.finish();
        String s = b.toString(StandardCharsets.UTF_8);
        long draws = s.chars().filter(c -> c == '\r').count();
        assertTrue(draws >= 2 && draws < 50, "draws " + draws);
        String last = s.substring(s.lastIndexOf('\r') + 1);
        assertTrue(last.startsWith("scan [" + "#".repeat(30) + "] 100% 10000/10000  ") && last.endsWith("\n"), last);
        assertEquals("1:01:05", ProgressBar.clock(3665));
        assertEquals("2:05", ProgressBar.clock(125));
    }
}

package org.medmamba.data;

import java.util.ArrayList;
import java.util.List;

/** RFC 4180 CSV: quoted fields may hold commas, doubled quotes and line breaks; LF or CRLF line ends. */
public final class Csv {
    private Csv() {}

    /** One record and the 1-based line it starts on (a quoted field can span lines). */
    public record Row(int line, List<String> fields) {}

    /** Thrown for malformed text; the caller adds the file name. */
    public static final class SyntaxException extends Exception {
        public final int line;

        SyntaxException(int line, String message) {
            super(message);
            this.line = line;
        }
    }

    /** Parses the whole text; blank lines are skipped and a leading UTF-8 byte-order mark is ignored. */
    public static List<Row> parse(String text) throws SyntaxException {
        List<Row> rows = new ArrayList<>();
        int i = text.startsWith("\uFEFF") ? 1 : 0, n = text.length(), line = 1;
        while (i < n) {
            int start = line;
            List<String> fields = new ArrayList<>();
            StringBuilder f = new StringBuilder();
            boolean quotedField = false, endOfRecord = false;
            while (!endOfRecord) {
                if (i >= n) {
                    fields.add(f.toString());
                    break;
                }
                char c = text.charAt(i);
                if (c == '"' && f.isEmpty() && !quotedField) {
                    quotedField = true;
                    i++;
                    while (true) {
                        if (i >= n) throw new SyntaxException(start, "unterminated quoted field");
                        char q = text.charAt(i++);
                        if (q == '"') {
                            if (i < n && text.charAt(i) == '"') {
                                f.append('"');
                                i++;
                            } else break;
                        } else {
                            if (q == '\n') line++;
                            f.append(q);
                        }
                    }
                    if (i < n && text.charAt(i) != ',' && text.charAt(i) != '\n' && text.charAt(i) != '\r')
                        throw new SyntaxException(line, "text after a closing quote");
                } else if (c == ',') {
                    fields.add(f.toString());
                    f.setLength(0);
                    quotedField = false;
                    i++;
                } else if (c == '\n' || c == '\r') {
                    fields.add(f.toString());
                    i += c == '\r' && i + 1 < n && text.charAt(i + 1) == '\n' ? 2 : 1;
                    line++;
                    endOfRecord = true;
                } else {
                    if (c == '"') throw new SyntaxException(line, "quote inside an unquoted field");
                    f.append(c);
                    i++;
                }
            }
            boolean blank = fields.size() == 1 && fields.getFirst().isEmpty() && !quotedField;
            if (!blank) rows.add(new Row(start, fields));
        }
        return rows;
    }

    /** Quotes a field when it holds a comma, quote, line break or edge whitespace. */
    public static String quote(String s) {
        boolean needs = !s.isEmpty() && (s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0
                || s.indexOf('\r') >= 0 || Character.isWhitespace(s.charAt(0)) || Character.isWhitespace(s.charAt(s.length() - 1)));
        return needs ? '"' + s.replace("\"", "\"\"") + '"' : s;
    }
}

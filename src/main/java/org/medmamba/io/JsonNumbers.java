package org.medmamba.io;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** JSON has no NaN or infinity: such numbers are written as null. */
public final class JsonNumbers {
    private JsonNumbers() {}

    public static void put(ObjectNode o, String name, double v) {
        if (Double.isFinite(v)) o.put(name, v);
        else o.putNull(name);
    }

    public static void add(ArrayNode a, double v) {
        if (Double.isFinite(v)) a.add(v);
        else a.addNull();
    }
}

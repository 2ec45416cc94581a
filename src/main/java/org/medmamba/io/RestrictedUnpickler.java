package org.medmamba.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A pickle reader that understands only what a PyTorch state dict needs, and executes nothing.
 * It knows the opcodes of protocols 2–4 that build tuples, lists, dicts, strings and numbers;
 * callables are limited to {@link #ALLOWED_GLOBALS}, which it interprets itself (OrderedDict,
 * _rebuild_tensor_v2, storage classes). Any other global or opcode is refused with its name.
 * Structures that would make a Java traversal recurse without end are refused too: a container
 * that contains itself, nesting deeper than {@link Limits#pickleDepth}, a memo larger than
 * {@link Limits#pickleMemo}, and (as in Python) lists or dicts used as dict keys.
 */
public final class RestrictedUnpickler {

    /** What a GLOBAL resolves to: a name, never a loaded class or function. */
    public record Global(String module, String name) {
        @Override
        public String toString() { return module + "." + name; }
    }

    /** A persistent id (torch storage reference): ('storage', storage type, key, location, numel). */
    public record StorageRef(DType dtype, String key, String location, long numel) {}

    /** Result of torch._utils._rebuild_tensor_v2(storage, offset, size, stride, ...). */
    public record TensorRef(StorageRef storage, long offset, int[] size, int[] stride) {}

    public static final Set<String> ALLOWED_GLOBALS = Set.of(
            "collections.OrderedDict", "torch._utils._rebuild_tensor_v2",
            "torch.FloatStorage", "torch.DoubleStorage", "torch.HalfStorage", "torch.BFloat16Storage",
            "torch.LongStorage", "torch.IntStorage", "torch.ShortStorage", "torch.CharStorage",
            "torch.ByteStorage", "torch.BoolStorage");

    private static final Object MARK = new Object();
    private static final Object NONE = new Object() {
        @Override
        public String toString() { return "None"; }
    };

    private final String source;
    private final ByteBuffer in;
    private final ArrayList<Object> stack = new ArrayList<>();
    private final ArrayDeque<Integer> marks = new ArrayDeque<>();
    private final Map<Long, Object> memo = new HashMap<>();
    private final Limits limits;
    /** Tuples already found hashable: each is checked once, so keys cost linear time overall. */
    private final Set<Object> hashable = Collections.newSetFromMap(new IdentityHashMap<>());

    private RestrictedUnpickler(String source, byte[] data, Limits limits) {
        this.source = source;
        this.limits = limits;
        this.in = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Thrown for anything the reader refuses or cannot parse; the message names the problem. */
    public static final class PickleException extends IOException {
        public PickleException(String msg) { super(msg); }
    }

    /**
     * Reads one pickle. Tuples come back as {@code List<Object>} (unmodifiable), dicts as
     * LinkedHashMap, None as null.
     */
    public static Object load(String source, byte[] data) throws PickleException {
        return load(source, data, Limits.current());
    }

    /** As {@link #load(String, byte[])} under the given limits. */
    public static Object load(String source, byte[] data, Limits limits) throws PickleException {
        RestrictedUnpickler u = new RestrictedUnpickler(source, data, limits);
        try {
            return u.run();
        } catch (java.nio.BufferUnderflowException e) {
            throw new PickleException("pickle " + source + " is truncated (ran out of data at byte " + u.in.position() + ")");
        } catch (ClassCastException | IndexOutOfBoundsException | IllegalArgumentException e) {
            throw new PickleException("pickle " + source + " is malformed near byte " + u.in.position() + " (" + e.getMessage() + ")");
        }
    }

    private Object run() throws PickleException {
        while (true) {
            int pos = in.position();
            int op = in.get() & 0xff;
            switch (op) {
                case 0x80 -> { // PROTO
                    int p = in.get() & 0xff;
                    if (p > 5) throw err(pos, "unsupported pickle protocol " + p);
                }
                case 0x95 -> in.getLong();                 // FRAME: length prefix only
                case '.' -> {                              // STOP
                    if (stack.size() != 1) throw err(pos, "STOP with " + stack.size() + " values on the stack");
                    Object r = stack.get(0);
                    checkShape(pos, r);
                    return r == NONE ? null : r;
                }
                case '(' -> { marks.push(stack.size()); stack.add(MARK); }
                case '}' -> stack.add(new LinkedHashMap<Object, Object>());       // EMPTY_DICT
                case ']' -> stack.add(new ArrayList<Object>());                   // EMPTY_LIST
                case ')' -> stack.add(List.of());                                 // EMPTY_TUPLE
                case 't' -> stack.add(List.copyOf(nullSafe(popMark(pos))));       // TUPLE
                case 0x85 -> stack.add(tuple(pop()));                             // TUPLE1
                case 0x86 -> { Object b = pop(), a = pop(); stack.add(tuple(a, b)); }
                case 0x87 -> { Object c = pop(), b = pop(), a = pop(); stack.add(tuple(a, b, c)); }
                case 'q' -> memoPut(pos, in.get() & 0xff);                        // BINPUT
                case 'r' -> memoPut(pos, in.getInt() & 0xffffffffL);              // LONG_BINPUT
                case 0x94 -> memoPut(pos, memo.size());                           // MEMOIZE
                case 'h' -> stack.add(memoGet(pos, in.get() & 0xff));              // BINGET
                case 'j' -> stack.add(memoGet(pos, in.getInt() & 0xffffffffL));    // LONG_BINGET
                case 'J' -> stack.add((long) in.getInt());                         // BININT
                case 'K' -> stack.add((long) (in.get() & 0xff));                   // BININT1
                case 'M' -> stack.add((long) (in.getShort() & 0xffff));            // BININT2
                case 0x8a -> stack.add(long1(pos));                                // LONG1
                case 'G' -> stack.add(in.order(ByteOrder.BIG_ENDIAN).getDouble()); // BINFLOAT (big-endian)
                case 'X' -> stack.add(string(pos, in.getInt() & 0xffffffffL));     // BINUNICODE
                case 0x8c -> stack.add(string(pos, in.get() & 0xff));              // SHORT_BINUNICODE
                case 0x8d -> stack.add(string(pos, in.getLong()));                 // BINUNICODE8
                case 0x88 -> stack.add(Boolean.TRUE);                              // NEWTRUE
                case 0x89 -> stack.add(Boolean.FALSE);                             // NEWFALSE
                case 'N' -> stack.add(NONE);
                case 'c' -> stack.add(global(pos, line(pos), line(pos)));          // GLOBAL
                case 0x93 -> { Object name = pop(), module = pop(); stack.add(global(pos, str(module), str(name))); } // STACK_GLOBAL
                case 'R' -> { Object args = pop(), fn = pop(); stack.add(reduce(pos, fn, args)); }
                case 'Q' -> stack.add(persistentId(pos, pop()));                   // BINPERSID
                case 's' -> { Object v = pop(), k = pop(); put(pos, dict(pos, top(pos)), k, v); }
                case 'u' -> {                                                      // SETITEMS
                    List<Object> items = popMark(pos);
                    Map<Object, Object> d = dict(pos, top(pos));
                    if (items.size() % 2 != 0) throw err(pos, "SETITEMS with an odd number of items");
                    for (int i = 0; i < items.size(); i += 2) put(pos, d, items.get(i), items.get(i + 1));
                }
                case 'a' -> { Object v = pop(); List<Object> l = list(pos, top(pos)); notSelf(pos, l, v); l.add(v); } // APPEND
                case 'e' -> {                                                      // APPENDS
                    List<Object> items = popMark(pos);
                    List<Object> l = list(pos, top(pos));
                    for (Object v : items) notSelf(pos, l, v);
                    l.addAll(items);
                }
                case 'b' -> {                                                      // BUILD
                    Object state = pop();
                    Object target = top(pos);
                    // only an OrderedDict's attribute dict (the state dict's _metadata) is accepted, and ignored
                    if (!(target instanceof Map<?, ?>) || !(state instanceof Map<?, ?> || state == NONE))
                        throw err(pos, "BUILD on " + describe(target) + " is not allowed");
                }
                default -> throw err(pos, "opcode " + opName(op) + " is not allowed");
            }
            in.order(ByteOrder.LITTLE_ENDIAN);
        }
    }

    private Object reduce(int pos, Object fn, Object args) throws PickleException {
        if (!(fn instanceof Global g)) throw err(pos, "REDUCE on " + describe(fn) + " is not allowed");
        List<?> a = tupleArg(pos, args);
        switch (g.toString()) {
            case "collections.OrderedDict" -> {
                if (!a.isEmpty()) throw err(pos, "OrderedDict with arguments is not allowed");
                return new LinkedHashMap<Object, Object>();
            }
            case "torch._utils._rebuild_tensor_v2" -> {
                if (a.size() < 4) throw err(pos, "_rebuild_tensor_v2 needs (storage, offset, size, stride, ...)");
                if (!(a.get(0) instanceof StorageRef s)) throw err(pos, "_rebuild_tensor_v2: first argument is not a storage");
                long offset = num(pos, a.get(1));
                int[] size = ints(pos, a.get(2)), stride = ints(pos, a.get(3));
                if (size.length != stride.length) throw err(pos, "_rebuild_tensor_v2: size and stride ranks differ");
                return new TensorRef(s, offset, size, stride);
            }
            default -> throw err(pos, "calling " + g + " is not allowed");
        }
    }

    private Object persistentId(int pos, Object pid) throws PickleException {
        List<?> t = tupleArg(pos, pid);
        if (t.size() != 5 || !"storage".equals(t.get(0)))
            throw err(pos, "persistent id " + describe(pid) + " is not a torch storage reference");
        if (!(t.get(1) instanceof Global g) || !g.module().equals("torch"))
            throw err(pos, "persistent id with storage type " + describe(t.get(1)));
        DType dt = DType.fromTorchStorage(g.name());
        if (dt == null) throw err(pos, "unsupported storage type " + g);
        return new StorageRef(dt, str(t.get(2)), str(t.get(3)), num(pos, t.get(4)));
    }

    private Object global(int pos, String module, String name) throws PickleException {
        String full = module + "." + name;
        if (!ALLOWED_GLOBALS.contains(full)) throw err(pos, "forbidden global " + full + " (a state dict never needs it; refusing to load)");
        return new Global(module, name);
    }

    // ---- structure limits ---------------------------------------------------------------------

    private void memoPut(int pos, long key) throws PickleException {
        if (!memo.containsKey(key) && memo.size() >= limits.pickleMemo())
            throw err(pos, "memo of more than " + limits.pickleMemo() + " entries (" + Limits.PREFIX + "pickleMemo)");
        memo.put(key, top(pos));
    }

    private void notSelf(int pos, Object container, Object v) throws PickleException {
        if (v == container) throw err(pos, "recursive structure (a " + describe(container) + " that contains itself) is not allowed");
    }

    /**
     * Python refuses unhashable keys, and Java's hashCode of a list that contains itself, or of a
     * very deep tuple, recurses until the stack overflows: only strings, numbers, booleans, None
     * and tuples of those (nested at most pickleDepth) may be keys.
     */
    private void put(int pos, Map<Object, Object> d, Object k, Object v) throws PickleException {
        notSelf(pos, d, v);
        if (k instanceof List<?> && !(k instanceof ArrayList<?>)) {
            if (!hashable.contains(k)) {
                ArrayDeque<Object[]> todo = new ArrayDeque<>();   // {tuple, depth}: iterative, so no recursion here either
                todo.push(new Object[]{k, 1});
                while (!todo.isEmpty()) {
                    Object[] t = todo.pop();
                    int depth = (Integer) t[1];
                    if (depth > limits.pickleDepth())
                        throw err(pos, "dict key nested deeper than " + limits.pickleDepth() + " (" + Limits.PREFIX + "pickleDepth)");
                    if (!hashable.add(t[0])) continue;
                    for (Object e : (List<?>) t[0]) {
                        if (e instanceof List<?> && !(e instanceof ArrayList<?>)) todo.push(new Object[]{e, depth + 1});
                        else if (!isAtom(e)) throw err(pos, "unhashable dict key (a tuple holding a " + describe(e) + ")");
                    }
                }
            }
        } else if (!isAtom(k)) {
            throw err(pos, "unhashable dict key (a " + describe(k) + ")");
        }
        d.put(k, v);
    }

    private static boolean isAtom(Object o) {
        return o instanceof String || o instanceof Long || o instanceof Double || o instanceof Boolean || o == NONE || o instanceof Global;
    }

    /**
     * The finished object graph has no cycle and no path deeper than pickleDepth. Iterative
     * post-order walk with a height per container, so shared sub-structures are visited once.
     */
    private void checkShape(int pos, Object root) throws PickleException {
        if (children(root) == null) return;
        Map<Object, Integer> height = new IdentityHashMap<>();   // finished container → its height
        Set<Object> onPath = Collections.newSetFromMap(new IdentityHashMap<>());
        ArrayDeque<Frame> todo = new ArrayDeque<>();
        todo.push(new Frame(root, children(root).iterator()));
        onPath.add(root);
        int rootHeight = 0;
        while (!todo.isEmpty()) {
            Frame f = todo.peek();
            if (f.children.hasNext()) {
                Object c = f.children.next();
                if (children(c) == null) continue;
                Integer done = height.get(c);
                if (done != null) { f.tallest = Math.max(f.tallest, done); continue; }
                if (onPath.contains(c)) throw err(pos, "recursive structure (a " + describe(c) + " that contains itself) is not allowed");
                if (todo.size() >= limits.pickleDepth()) throw tooDeep(pos);
                onPath.add(c);
                todo.push(new Frame(c, children(c).iterator()));
            } else {
                todo.pop();
                onPath.remove(f.container);
                int h = f.tallest + 1;
                height.put(f.container, h);
                if (todo.isEmpty()) rootHeight = h;
                else todo.peek().tallest = Math.max(todo.peek().tallest, h);
            }
        }
        if (rootHeight > limits.pickleDepth()) throw tooDeep(pos);
    }

    private static final class Frame {
        final Object container;
        final java.util.Iterator<Object> children;
        int tallest;

        Frame(Object container, java.util.Iterator<Object> children) {
            this.container = container;
            this.children = children;
        }
    }

    private PickleException tooDeep(int pos) {
        return err(pos, "containers nested deeper than " + limits.pickleDepth() + " (" + Limits.PREFIX + "pickleDepth)");
    }

    /** The values a container holds (a dict's keys and values), or null for a non-container. */
    private static Iterable<Object> children(Object o) {
        if (o instanceof List<?> l) {
            @SuppressWarnings("unchecked") Iterable<Object> r = (Iterable<Object>) l;
            return r;
        }
        if (o instanceof Map<?, ?> m) {
            List<Object> r = new ArrayList<>(2 * m.size());
            m.forEach((k, v) -> { r.add(k); r.add(v); });
            return r;
        }
        return null;
    }

    // ---- small helpers ----------------------------------------------------------------------

    private PickleException err(int pos, String msg) {
        return new PickleException("pickle " + source + ": " + msg + " (at byte " + pos + ")");
    }

    private static String opName(int op) {
        return String.format("0x%02x", op) + (op >= 0x20 && op < 0x7f ? " ('" + (char) op + "')" : "");
    }

    private Object pop() {
        Object o = stack.remove(stack.size() - 1);
        if (o == MARK) throw new IllegalArgumentException("unexpected MARK on the stack");
        return o;
    }

    private Object top(int pos) throws PickleException {
        if (stack.isEmpty()) throw err(pos, "stack underflow");
        return stack.get(stack.size() - 1);
    }

    private List<Object> popMark(int pos) throws PickleException {
        if (marks.isEmpty()) throw err(pos, "no MARK on the stack");
        int m = marks.pop();
        List<Object> items = new ArrayList<>(stack.subList(m + 1, stack.size()));
        stack.subList(m, stack.size()).clear();
        return items;
    }

    private Object memoGet(int pos, long key) throws PickleException {
        Object o = memo.get(key);
        if (o == null) throw err(pos, "memo key " + key + " not defined");
        return o;
    }

    private static List<Object> nullSafe(List<Object> l) {
        l.replaceAll(o -> o == null ? NONE : o);
        return l;
    }

    private static List<Object> tuple(Object... items) {
        return List.of(items);
    }

    private List<?> tupleArg(int pos, Object o) throws PickleException {
        if (o instanceof List<?> l) return l;
        throw err(pos, "expected a tuple, got " + describe(o));
    }

    @SuppressWarnings("unchecked")
    private Map<Object, Object> dict(int pos, Object o) throws PickleException {
        if (o instanceof Map<?, ?> m) return (Map<Object, Object>) m;
        throw err(pos, "expected a dict, got " + describe(o));
    }

    @SuppressWarnings("unchecked")
    private List<Object> list(int pos, Object o) throws PickleException {
        if (o instanceof ArrayList<?> l) return (List<Object>) l;
        throw err(pos, "expected a list, got " + describe(o));
    }

    private long num(int pos, Object o) throws PickleException {
        if (o instanceof Long l) return l;
        throw err(pos, "expected an integer, got " + describe(o));
    }

    private int[] ints(int pos, Object o) throws PickleException {
        List<?> l = tupleArg(pos, o);
        int[] r = new int[l.size()];
        for (int i = 0; i < r.length; i++) {
            long v = num(pos, l.get(i));
            if (v < 0 || v > Integer.MAX_VALUE) throw err(pos, "dimension " + v + " out of range");
            r[i] = (int) v;
        }
        return r;
    }

    private static String str(Object o) {
        if (o instanceof String s) return s;
        throw new IllegalArgumentException("expected a string, got " + describe(o));
    }

    private static String describe(Object o) {
        if (o == null || o == NONE) return "None";
        if (o instanceof Global g) return g.toString();
        if (o instanceof ArrayList<?>) return "list";
        if (o instanceof Map<?, ?>) return "dict";
        if (o instanceof List<?>) return "tuple";
        return o.getClass().getSimpleName();
    }

    private String string(int pos, long len) throws PickleException {
        if (len < 0 || len > in.remaining()) throw err(pos, "string length " + len + " runs past the end of the pickle");
        byte[] b = new byte[(int) len];
        in.get(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    private String line(int pos) throws PickleException {
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (!in.hasRemaining()) throw err(pos, "unterminated GLOBAL name");
            byte b = in.get();
            if (b == '\n') return sb.toString();
            if (sb.length() > 256) throw err(pos, "GLOBAL name too long");
            sb.append((char) (b & 0xff));
        }
    }

    private long long1(int pos) throws PickleException {
        int n = in.get() & 0xff;
        if (n > 8) throw err(pos, "LONG1 of " + n + " bytes is too large");
        long v = 0;
        for (int i = 0; i < n; i++) v |= (long) (in.get() & 0xff) << (8 * i);
        if (n > 0 && n < 8 && (v & (1L << (8 * n - 1))) != 0) v -= 1L << (8 * n);   // two's complement sign
        return v;
    }
}

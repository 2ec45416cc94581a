package org.medmamba.nn;

import org.medmamba.autograd.GradMode;
import org.medmamba.autograd.Var;
import org.medmamba.tensor.LongTensor;
import org.medmamba.tensor.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A layer with named parameters, buffers and children, after torch.nn.Module: the dotted names
 * ({@code layers.0.blocks.1.ln_1.weight}) are the keys of the state dict, so checkpoints load by
 * name. Registration order is the state-dict order (own parameters, own buffers, then children).
 */
public abstract class Module {
    private final Map<String, Var> params = new LinkedHashMap<>();
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();
    private final Map<String, LongTensor> longBuffers = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private boolean training = true;

    protected Var param(String name, Tensor init) {
        Var v = Var.param(init);
        if (params.put(name, v) != null) throw new IllegalStateException("duplicate parameter " + name);
        return v;
    }

    protected Tensor buffer(String name, Tensor init) {
        if (buffers.put(name, init) != null) throw new IllegalStateException("duplicate buffer " + name);
        return init;
    }

    protected LongTensor longBuffer(String name, LongTensor init) {
        if (longBuffers.put(name, init) != null) throw new IllegalStateException("duplicate buffer " + name);
        return init;
    }

    protected <M extends Module> M child(String name, M m) {
        if (children.put(name, m) != null) throw new IllegalStateException("duplicate child " + name);
        return m;
    }

    /** Stateless child (ReLU, drop path...) that still occupies an index, as in nn.Sequential. */
    protected void placeholder(String name) {
        children.put(name, null);
    }

    public boolean isTraining() {
        return training;
    }

    /**
     * The one switch for the fast, unrecorded forward paths (fused channels-last ops, folded
     * weights): true when no tape is recorded ({@link GradMode} off) AND this module is in eval
     * mode. Train mode under no-grad keeps the ordinary ops: BatchNorm must normalise with batch
     * statistics and update its running ones, and drop path must draw from its generator, so the
     * result and the random stream stay those of training.
     */
    public final boolean inferencePath() {
        return !training && !GradMode.enabled();
    }

    /**
     * Switches this module and its children between training and evaluation behaviour. Switching
     * to training drops the inference caches (see {@link #clearInferenceCaches}).
     */
    public void train(boolean on) {
        training = on;
        if (on) dropInferenceCache();
        for (Module c : children.values()) if (c != null) c.train(on);
    }

    /**
     * Drops what this module and its children cache for no-grad inference (e.g. BatchNorm-folded
     * conv weights). Caches notice parameters that are replaced ({@link Var#setValue}, as the
     * optimizer and state-dict loading do) and running statistics that change; call this after
     * writing a parameter's storage in place.
     */
    public void clearInferenceCaches() {
        dropInferenceCache();
        for (Module c : children.values()) if (c != null) c.clearInferenceCaches();
    }

    /** Override to forget this module's own inference cache. */
    protected void dropInferenceCache() {}

    public Map<String, Module> children() {
        return children;
    }

    /** Every trainable parameter under its dotted name. */
    public Map<String, Var> namedParameters() {
        Map<String, Var> out = new LinkedHashMap<>();
        collect("", out, null, null);
        return out;
    }

    public List<Var> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    /** Parameters, float buffers and int64 buffers as a state dict (name → Tensor or LongTensor), in PyTorch's order. */
    public Map<String, Object> stateDict() {
        Map<String, Object> out = new LinkedHashMap<>();
        collectState("", out);
        return out;
    }

    private void collect(String prefix, Map<String, Var> out, Map<String, Tensor> bufs, Map<String, LongTensor> longs) {
        params.forEach((k, v) -> out.put(prefix + k, v));
        for (Map.Entry<String, Module> e : children.entrySet())
            if (e.getValue() != null) e.getValue().collect(prefix + e.getKey() + ".", out, bufs, longs);
    }

    private void collectState(String prefix, Map<String, Object> out) {
        params.forEach((k, v) -> out.put(prefix + k, v.value()));
        // PyTorch lists buffers after parameters, float and int64 in registration order
        for (String k : bufferOrder()) {
            if (buffers.containsKey(k)) out.put(prefix + k, buffers.get(k));
            else out.put(prefix + k, longBuffers.get(k));
        }
        for (Map.Entry<String, Module> e : children.entrySet())
            if (e.getValue() != null) e.getValue().collectState(prefix + e.getKey() + ".", out);
    }

    /** Buffer names in registration order (subclasses with both kinds override to interleave). */
    protected List<String> bufferOrder() {
        List<String> names = new ArrayList<>(buffers.keySet());
        names.addAll(longBuffers.keySet());
        return names;
    }

    /** Replaces a float buffer's contents (for loading). */
    protected void setBuffer(String name, Tensor value) {
        Tensor cur = buffers.get(name);
        if (!cur.sameShape(value)) throw new IllegalArgumentException("buffer " + name + " shape mismatch");
        System.arraycopy(value.data(), 0, cur.storage(), 0, cur.size());
    }

    protected void setLongBuffer(String name, LongTensor value) {
        LongTensor cur = longBuffers.get(name);
        System.arraycopy(value.data(), 0, cur.data(), 0, cur.size());
    }

    /**
     * Loads a state dict by name. Every key must be accounted for: missing keys, unexpected keys
     * and shape mismatches are all reported in one exception.
     */
    public void loadStateDict(Map<String, ?> state) {
        Map<String, Object> mine = stateDict();
        List<String> missing = new ArrayList<>(), unexpected = new ArrayList<>(), mismatched = new ArrayList<>();
        for (String k : mine.keySet()) if (!state.containsKey(k)) missing.add(k);
        for (String k : state.keySet()) if (!mine.containsKey(k)) unexpected.add(k);
        for (Map.Entry<String, Object> e : mine.entrySet()) {
            Object src = state.get(e.getKey());
            if (src == null) continue;
            int[] want = shapeOf(e.getValue()), got = shapeOf(src);
            if (!java.util.Arrays.equals(want, got))
                mismatched.add(e.getKey() + " expects " + org.medmamba.tensor.Shape.str(want) + " but got " + org.medmamba.tensor.Shape.str(got));
        }
        if (!missing.isEmpty() || !unexpected.isEmpty() || !mismatched.isEmpty()) {
            StringBuilder sb = new StringBuilder("state dict does not match the model:");
            if (!missing.isEmpty()) sb.append(" missing ").append(few(missing, "keys")).append(';');
            if (!unexpected.isEmpty()) sb.append(" unexpected ").append(few(unexpected, "keys")).append(';');
            if (!mismatched.isEmpty()) sb.append(" shape mismatches ").append(few(mismatched, "mismatches")).append(';');
            String msg = sb.substring(0, sb.length() - 1);
            throw new IllegalArgumentException(msg.length() > MAX_MESSAGE ? msg.substring(0, MAX_MESSAGE - 1) + "…" : msg);
        }
        assign("", state);
    }

    /** Longest load error: a state dict of a different model used to produce megabytes on one line. */
    static final int MAX_MESSAGE = 300;

    /** "keys [a, b … and 1,204 more keys]": at most three items, fewer when they are long (about 80 chars each kind). */
    static String few(List<String> items, String noun) {
        StringBuilder b = new StringBuilder(noun).append(" [");
        int shown = 0;
        while (shown < Math.min(3, items.size()) && (shown == 0 || b.length() < 60)) {
            String k = items.get(shown);
            b.append(shown++ == 0 ? "" : ", ").append(k.length() > 50 ? k.substring(0, 49) + "…" : k);
        }
        if (items.size() > shown) b.append(String.format(java.util.Locale.ROOT, " … and %,d more %s", items.size() - shown, noun));
        return b.append(']').toString();
    }

    private void assign(String prefix, Map<String, ?> state) {
        for (Map.Entry<String, Var> e : params.entrySet()) e.getValue().setValue(asFloat(state.get(prefix + e.getKey())).copy());
        for (String k : buffers.keySet()) setBuffer(k, asFloat(state.get(prefix + k)));
        for (String k : longBuffers.keySet()) {
            Object v = state.get(prefix + k);
            setLongBuffer(k, v instanceof LongTensor lt ? lt : new LongTensor(toLongs(asFloat(v)), longBuffers.get(k).shape()));
        }
        for (Map.Entry<String, Module> e : children.entrySet())
            if (e.getValue() != null) e.getValue().assign(prefix + e.getKey() + ".", state);
    }

    private static Tensor asFloat(Object v) {
        if (v instanceof Tensor t) return t;
        LongTensor lt = (LongTensor) v;
        float[] f = new float[lt.size()];
        for (int i = 0; i < f.length; i++) f[i] = lt.get(i);
        return Tensor.of(f, lt.shape());
    }

    private static long[] toLongs(Tensor t) {
        float[] d = t.data();
        long[] l = new long[d.length];
        for (int i = 0; i < d.length; i++) l[i] = (long) d[i];
        return l;
    }

    private static int[] shapeOf(Object v) {
        if (v instanceof Tensor t) return t.shape();
        if (v instanceof LongTensor lt) return lt.shape();
        throw new IllegalArgumentException("state dict value of type " + v.getClass().getSimpleName());
    }

    /** Number of trainable scalars. */
    public long parameterCount() {
        long n = 0;
        for (Var v : namedParameters().values()) n += v.value().size();
        return n;
    }
}

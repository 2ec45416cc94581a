package org.medmamba.train;

import org.medmamba.autograd.Var;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Which parameters are exempt from weight decay in the seed's recipe: norms and biases (every
 * tensor of rank ≤ 1, as timm's rule) and the SSM's A_logs and Ds.
 */
public final class WeightDecayRule {
    private WeightDecayRule() {}

    public static boolean exempt(String name, Var p) {
        return p.shape().length <= 1 || name.endsWith(".bias") || name.endsWith("A_logs") || name.endsWith("Ds");
    }

    public static Set<Var> exempted(Map<String, Var> named) {
        Set<Var> s = Collections.newSetFromMap(new IdentityHashMap<>());
        named.forEach((n, p) -> { if (exempt(n, p)) s.add(p); });
        return s;
    }
}

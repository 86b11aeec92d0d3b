package dev.routelens.routing;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDResource;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.routelens.model.MoeConfig;
import dev.routelens.probe.Hook;
import dev.routelens.model.SparseMoe;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Several {@link Ablation}s applied together. The set is order-free: however its members are listed, it holds
 * the same members (duplicates once, in a canonical order) and gives the same hooks, one per hook name.
 * <ul>
 *   <li>reroute: the experts S rerouted at one layer are masked ({@link Ablation#MASKED_LOGIT}) in each row
 *       where they would be chosen, and again wherever masking one made another member of S chosen, until no
 *       member of S is in the row's top-k. That fixpoint is reached in one step: with τ the row's k-th
 *       largest logit over the experts outside S, exactly the members of S with a logit >= τ are masked (a
 *       member masked in any round was at least that round's k-th largest, never below τ; one left unmasked
 *       is below the last round's k-th largest, which is τ). A member that is never chosen keeps its logit,
 *       so rows it does not touch keep their weights also in families without norm_topk_prob. One expert
 *       gives exactly {@link Ablation}'s reroute.</li>
 *   <li>zero: one hook per expert output; the same expert twice is one hook.</li>
 *   <li>top-r: one per layer.</li>
 *   <li>zero-shared: {@code all:zero-shared} takes in every per-layer zero-shared (both would zero the same
 *       tensor), so the set keeps only it.</li>
 * </ul>
 * Refused: two top-r of different r at one layer, top-r with reroute at one layer (the result would depend
 * on which masks first), and, against a model ({@link #check}), a reroute set that leaves fewer than k
 * experts at its layer.
 */
public final class AblationSet {
    private static final Comparator<Ablation> CANONICAL = Comparator.comparingInt(Ablation::layer)
            .thenComparing(Ablation::mode).thenComparingInt(Ablation::expert).thenComparingInt(Ablation::r);

    private final List<Ablation> members;                         // distinct, canonical order
    private final TreeMap<Integer, TreeSet<Integer>> rerouted = new TreeMap<>(); // layer -> experts S

    /** The set of {@code ablations}, in any order; refuses members whose effect would depend on their order. */
    public AblationSet(Collection<Ablation> ablations) {
        TreeSet<Ablation> distinct = new TreeSet<>(CANONICAL);
        for (Ablation a : ablations) {
            distinct.add(a.mode().needsExpert() ? a : new Ablation(a.layer(), 0, a.mode(), a.r())); // expert unused
        }
        boolean sharedEverywhere = distinct.stream().anyMatch(a -> a.mode() == AblationMode.ZERO_SHARED && a.allLayers());
        Map<Integer, Ablation> topR = new TreeMap<>();
        List<Ablation> kept = new ArrayList<>();
        for (Ablation a : distinct) {
            switch (a.mode()) {
                case REROUTE -> rerouted.computeIfAbsent(a.layer(), l -> new TreeSet<>()).add(a.expert());
                case TOP_R -> {
                    Ablation other = topR.put(a.layer(), a);
                    if (other != null) {
                        throw new IllegalArgumentException("layer " + a.layer() + ": two top-r ablations (r=" + other.r()
                                + " and r=" + a.r() + "); give one");
                    }
                }
                case ZERO_SHARED -> {
                    if (sharedEverywhere && !a.allLayers()) {
                        continue; // all:zero-shared already zeroes this layer's shared expert
                    }
                }
                default -> { }
            }
            kept.add(a);
        }
        for (int layer : topR.keySet()) {
            if (rerouted.containsKey(layer)) {
                throw new IllegalArgumentException("layer " + layer + ": top-r and reroute at one layer would depend on "
                        + "which masks first; give one of them");
            }
        }
        this.members = List.copyOf(kept);
    }

    /** The set of {@code ablations}. */
    public static AblationSet of(Ablation... ablations) {
        return new AblationSet(List.of(ablations));
    }

    /** The distinct members, in canonical order (layer, mode, expert, r). */
    public List<Ablation> members() {
        return members;
    }

    /** Whether a member is a top-r ablation. */
    public boolean hasTopR() {
        return members.stream().anyMatch(a -> a.mode() == AblationMode.TOP_R);
    }

    /** The members' labels, e.g. {@code [L3E3:reroute, L3E4:reroute]}, in canonical order. */
    public List<String> labels() {
        return members.stream().map(Ablation::label).toList();
    }

    /**
     * Refuses, by name, what the model does not have (as {@link Ablation#check} does for each member) and a
     * reroute set that leaves fewer than k experts at its layer.
     */
    public void check(MoeConfig c) {
        for (Ablation a : members) {
            a.check(c);
        }
        for (Map.Entry<Integer, TreeSet<Integer>> e : rerouted.entrySet()) {
            int left = c.numExperts() - e.getValue().size();
            if (left < c.topK()) {
                throw new IllegalArgumentException("layer " + e.getKey() + ": rerouting " + e.getValue().size() + " of "
                        + c.numExperts() + " experts leaves " + left + ", fewer than k=" + c.topK());
            }
        }
    }

    /** The hooks that apply every member, one per hook name; top-k is the model's k. */
    public Map<String, Hook> hooks(int topK) {
        Map<String, Hook> hooks = new LinkedHashMap<>();
        for (Ablation a : members) {
            if (a.mode() != AblationMode.REROUTE) {
                a.hooks(topK).forEach((name, hook) -> put(hooks, name, hook));
            }
        }
        for (Map.Entry<Integer, TreeSet<Integer>> e : rerouted.entrySet()) {
            int[] experts = e.getValue().stream().mapToInt(Integer::intValue).toArray();
            put(hooks, SparseMoe.gate(e.getKey()), (t, site) -> reroute(t, experts, topK));
        }
        return java.util.Collections.unmodifiableMap(hooks);
    }

    private static void put(Map<String, Hook> hooks, String name, Hook hook) {
        if (hooks.put(name, hook) != null) {
            throw new IllegalStateException("two hooks for " + name); // the constructor leaves one member per site
        }
    }

    /** logits [N, E] -> logits with each of {@code experts} masked in the rows where it would still be chosen. */
    private static NDArray reroute(NDArray logits, int[] experts, int topK) {
        long numExperts = logits.getShape().get(1);
        boolean[] inSet = new boolean[(int) numExperts];
        for (int e : experts) {
            inSet[e] = true;
        }
        NDArray setMask = logits.getManager().create(inSet, new Shape(1, numExperts));            // [1, E] bool
        NDArray setRows = setMask.broadcast(logits.getShape());                                 // [N, E] bool
        NDArray masked = logits.getManager().full(logits.getShape(), Ablation.MASKED_LOGIT, DataType.FLOAT32); // [N, E]
        NDArray outside = NDArrays.where(setRows, masked, logits);                               // [N, E] S masked
        NDList top = outside.topK(topK, -1, true, true);
        NDArray kth = top.get(0).get(new NDIndex(":, " + (topK - 1) + ":" + topK));              // [N, 1] τ
        NDArray chosen = logits.gte(kth);                                                        // [N, E] bool
        NDArray condition = chosen.logicalAnd(setRows);                                          // [N, E] bool
        NDArray out = NDArrays.where(condition, masked, logits);                                 // [N, E]
        for (NDResource scratch : List.<NDResource>of(setMask, setRows, masked, outside, top, kth, chosen, condition)) {
            scratch.close();
        }
        return out;
    }
}

/**
 * Routing analysis over captured gate logits, independent of any model runtime.
 *
 * <p>Input is one {@link dev.routelens.routing.DocumentRouting} per document: the raw, pre-softmax
 * gate logits {@code g_i = h_i W_g} of every MoE layer, shaped {@code [L][T][E]}, never padded.
 * From it this package computes
 *
 * <ul>
 *   <li>expert-choice vectors {@code E_T = concat(softmax(sum_t g_i))} (SciDFM, Figure 1) and two
 *       alternatives ({@link dev.routelens.routing.ExpertChoice});
 *   <li>routing metrics per layer and class label, accumulated in a streaming pass
 *       ({@link dev.routelens.routing.RoutingMetrics}): expert share, consecutive-token
 *       repetition, vocabulary specialisation, co-activation, load balance and entropy;
 *   <li>CSV and JSON exports of both, written atomically ({@link dev.routelens.routing.AtomicFiles}).
 * </ul>
 *
 * <p>Dimension letters: L layers, T tokens of one document, E experts, k experts chosen per token,
 * N documents. Everything is plain Java arrays; sums and softmaxes are computed in double.
 */
package dev.routelens.routing;

/**
 * Routing analysis over captured gate logits, independent of any model runtime.
 *
 * <p>Input is one {@link dev.routelens.routing.DocumentRouting} per document: the raw, pre-softmax
 * gate logits {@code g_i = h_i W_g} of every MoE layer, shaped {@code [M][T][E]}, never padded. M is the
 * number of MoE layers: every layer in Mixtral, SciDFM and OLMoE; the sparse ones in a Qwen model with
 * {@code mlp_only_layers} or {@code decoder_sparse_step} ({@link dev.routelens.model.MoeConfig#moeLayers()}).
 * Arrays are indexed by position among the MoE layers; columns, rows and files name the real layer index
 * ({@link dev.routelens.routing.MoeLayers}).
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
 * <p>Dimension letters: L layers, M MoE layers (M = L unless the family has dense layers), T tokens of
 * one document, E experts, k experts chosen per token, N documents. Everything is plain Java arrays; sums and softmaxes are computed in double.
 */
package dev.routelens.routing;

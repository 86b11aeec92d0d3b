/**
 * Routing studies of an MoE model: running documents through a {@link dev.routelens.probe.Probe} with gate
 * capture or expert ablations, and the analyses of what was captured.
 *
 * <p>The analyses take one {@link dev.routelens.routing.DocumentRouting} per document: the raw, pre-softmax
 * gate logits {@code g_i = h_i W_g} of every MoE layer, shaped {@code [M][T][E]}, never padded. M is the
 * number of MoE layers: every layer in Mixtral, SciDFM and OLMoE; the sparse ones in a Qwen model with
 * {@code mlp_only_layers} or {@code decoder_sparse_step} ({@link dev.routelens.model.MoeConfig#moeLayers()}).
 * Arrays are indexed by position among the MoE layers; columns, rows and files name the real layer index
 * ({@link dev.routelens.routing.MoeLayers}).
 *
 * <ul>
 *   <li>passes over a model: {@link dev.routelens.routing.RoutingPass} (per-document gate-logit sums, in
 *       memory or layer-streamed through {@link dev.routelens.routing.StreamedRouting}) and
 *       {@link dev.routelens.routing.AblationStudy} (expert knock-outs, {@link dev.routelens.routing.Ablation},
 *       {@link dev.routelens.routing.AblationSet}; streamed sweeps in {@link dev.routelens.routing.LayerMajorSweep}),
 *       both resumable from {@link dev.routelens.routing.Snapshots}. Documents longer than the context are cut
 *       with {@link dev.routelens.model.ContextWindows};
 *   <li>expert-choice vectors {@code E_T = concat(softmax(sum_t g_i))} (SciDFM, Figure 1) and two
 *       alternatives ({@link dev.routelens.routing.ExpertChoice}, {@link dev.routelens.routing.ExpertChoiceTable});
 *   <li>routing metrics per layer and class label, accumulated in a streaming pass
 *       ({@link dev.routelens.routing.RoutingMetrics}, {@link dev.routelens.routing.RoutingReport}): expert share,
 *       consecutive-token repetition, vocabulary specialisation, co-activation, load balance and entropy;
 *   <li>router saturation of a model against a reference on the same tokens, top-1 and top-k per MoE layer
 *       ({@link dev.routelens.routing.SaturationPass}, {@link dev.routelens.routing.RouterSaturation},
 *       {@link dev.routelens.routing.SaturationTable});
 *   <li>CSV and JSON exports of both, written with {@link dev.routelens.core.AtomicFiles}.
 * </ul>
 *
 * <p>Dimension letters: L layers, M MoE layers (M = L unless the family has dense layers), T tokens of
 * one document, E experts, k experts chosen per token, N documents. Analyses are plain Java arrays; sums and
 * softmaxes are computed in double.
 */
package dev.routelens.routing;

/**
 * The floor under every module, free of DJL and the PyTorch natives: what an input is ({@link
 * dev.routelens.core.InputKind}), the Figure 1 class labels and their order ({@link dev.routelens.core.Labels}),
 * and how outputs reach disk: atomic writes, one run per output folder, folder and digest helpers.
 */
package dev.routelens.core;

/**
 * Self-contained interactive HTML views: the Figure 1 point cloud, one document's routing and each study
 * folder's report page. Each page is one file that opens from disk with no network: the viewer script (our own,
 * under this package's resources, written once per page) and the data (JSON in a script block, escaped so that
 * no sample text can end the block) are inlined when the page is written.
 *
 * <p>Why our own viewer rather than a WebJar of a plotting library: the views need little (an orthographic
 * point cloud, token spans, two heat maps), a page stays small (170 KB for 600 documents, against several MB of
 * inlined library in each figure1.html and report.html), and no third-party code enters the pages. The point
 * cloud is drawn on a 2-D canvas, so it needs no WebGL either.
 */
package dev.routelens.viz.html;

/**
 * Self-contained interactive HTML views: the Figure 1 point cloud, one document's routing and each study
 * folder's report page. Each page is one file that opens from disk with no network: the viewer script (our own,
 * under this package's resources, written once per page) and the data (JSON in a script block, escaped so that
 * no sample text can end the block) are inlined when the page is written.
 */
package dev.routelens.viz.html;

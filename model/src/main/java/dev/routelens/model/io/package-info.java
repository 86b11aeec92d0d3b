/** Files shared by every module: atomic writes (temporary file, then rename), output locks, folder removal, digests. */
package dev.routelens.model.io;

/** File output shared by every module: atomic writes (temporary file, then rename). */
package dev.routelens.model.io;

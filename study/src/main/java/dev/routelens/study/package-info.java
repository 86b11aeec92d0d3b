/**
 * The routing studies as a library, and the facade on them. {@link dev.routelens.study.Figure1Study},
 * {@link dev.routelens.study.StatsStudy} and {@link dev.routelens.study.AblationRun} return results that save the
 * folders the CLI writes; the CLI calls the same code. {@link dev.routelens.study.RouteLens} loads a
 * {@link dev.routelens.study.HookedMoe}, the one model object of JShell sessions, scripts and Java programs.
 */
package dev.routelens.study;

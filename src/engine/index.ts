/**
 * The engine's public surface in one import: the step contract and events (types.ts), typed
 * errors, the graph checks, the wait helper, hosts, the engine and the progress store.
 */
export * from './types.js';
export * from './errors.js';
export { validateGraph, topologicalOrder, dependantsOf, requirementsOf } from './graph.js';
export type { GraphNode } from './graph.js';
export { createWaitFor, abortError, DEFAULT_INTERVAL_MS, DEFAULT_MAX_INTERVAL_MS, BACKOFF_FACTOR } from './wait.js';
export type { WaitDeps } from './wait.js';
export { ScriptedHost } from './host.js';
export type { Host, HostStep, HostCall, ScriptedAnswers } from './host.js';
export { Engine, createEngine } from './run.js';
export type { EngineOptions, RunResult, RunSnapshot, StepSnapshot } from './run.js';
export { applyEvent, initialSnapshot, copySnapshot } from './snapshot.js';
export { openProgress, profileSlug, PROGRESS_SCHEMA_VERSION } from './progress.js';
export type { ProgressStore, ProgressData, StepRecord, OpenProgressOptions } from './progress.js';
export { planHash, stableJson, scrub, REDACTED } from './hash.js';
export { schemaDefaults } from './inputs.js';

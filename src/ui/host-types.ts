/**
 * The engine's `Host` interface (src/engine/host.ts, ARCHITECTURE.md "Engine"), re-exported under
 * the names the UI uses. The UI implements it in store.ts (`UiStore.host()`).
 */
export type { Host, HostStep as AskStep } from '../engine/host.js';

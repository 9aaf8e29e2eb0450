/** Fault convergence, shard 6 of convergence.ts SHARDS (see convergence.ts). */
import { defineConvergenceShard } from './convergence.js';

await defineConvergenceShard(6);

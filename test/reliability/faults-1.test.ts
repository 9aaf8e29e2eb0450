/** Fault convergence, shard 1 of convergence.ts SHARDS (see convergence.ts). */
import { defineConvergenceShard } from './convergence.js';

await defineConvergenceShard(1);

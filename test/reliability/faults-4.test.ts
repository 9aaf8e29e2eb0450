/** Fault convergence, shard 4 of convergence.ts SHARDS (see convergence.ts). */
import { defineConvergenceShard } from './convergence.js';

await defineConvergenceShard(4);

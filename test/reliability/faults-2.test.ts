/** Fault convergence, shard 2 of convergence.ts SHARDS (see convergence.ts). */
import { defineConvergenceShard } from './convergence.js';

await defineConvergenceShard(2);

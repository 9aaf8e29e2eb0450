/** Fault convergence, shard 5 of convergence.ts SHARDS (see convergence.ts). */
import { defineConvergenceShard } from './convergence.js';

await defineConvergenceShard(5);

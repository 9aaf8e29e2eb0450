/**
 * Which files of a repo are copied (STAGES.md §4 "File filter"): weights in one format only.
 * - sharded `model-*-of-*.safetensors` present → skip `consolidated*.safetensors` and `original/`
 *   (Mistral and Llama repos carry the same weights a second time for their own tools);
 * - any `*.safetensors` present → skip `*.bin`, `*.pth`, `*.pt`, `*.h5`, `*.msgpack`, `*.ckpt`
 *   (the same weights in PyTorch / TF / Flax formats);
 * - always skip `onnx/`, `openvino/`, `*.onnx`, `*.gguf` (other runtimes' formats) and `.gitattributes`;
 * - plus the catalog entry's own `exclude` globs (`path.matchesGlob`).
 */
import path from 'node:path';
import type { HubFile } from '../../src/cluster/huggingface.js';

/** A skipped file and why. */
export interface SkippedFile extends HubFile {
  reason: string;
}

/** The result: files to copy (in path order), what they weigh in bytes, and what was left out. */
export interface FileSelection {
  files: HubFile[];
  bytes: number;
  skipped: SkippedFile[];
}

const SHARD = /(^|\/)model-\d+-of-\d+\.safetensors$/;
const OTHER_WEIGHTS = /\.(bin|pth|pt|h5|msgpack|ckpt)$/;

/** The reason a file is skipped, or undefined when it is copied. */
function skipReason(p: string, ctx: { sharded: boolean; safetensors: boolean; exclude: readonly string[] }): string | undefined {
  if (p === '.gitattributes') return 'git metadata';
  if (/(^|\/)(onnx|openvino)\//.test(p) || p.endsWith('.onnx')) return 'ONNX/OpenVINO export';
  if (p.endsWith('.gguf')) return 'GGUF (llama.cpp) weights';
  if (ctx.sharded && (p.startsWith('original/') || /(^|\/)consolidated[^/]*\.safetensors$/.test(p))) return 'same weights in the original format (sharded safetensors present)';
  if (ctx.safetensors && OTHER_WEIGHTS.test(p)) return 'same weights in another format (safetensors present)';
  const glob = ctx.exclude.find((g) => path.posix.matchesGlob(p, g));
  if (glob) return `excluded by the catalog (${glob})`;
  return undefined;
}

/** Applies the filter to a repo's file list. `exclude`: extra globs from the catalog entry. */
export function selectFiles(all: readonly HubFile[], exclude: readonly string[] = []): FileSelection {
  const sharded = all.some((f) => SHARD.test(f.path));
  const safetensors = all.some((f) => f.path.endsWith('.safetensors') && !f.path.startsWith('original/'));
  const files: HubFile[] = [];
  const skipped: SkippedFile[] = [];
  for (const f of [...all].sort((a, b) => a.path.localeCompare(b.path))) {
    const reason = skipReason(f.path, { sharded, safetensors, exclude });
    if (reason) skipped.push({ ...f, reason });
    else files.push(f);
  }
  return { files, bytes: files.reduce((n, f) => n + f.size, 0), skipped };
}

/** The smallest selected file (for the one small download of the access check). */
export function smallestFile(files: readonly HubFile[]): HubFile | undefined {
  return [...files].sort((a, b) => a.size - b.size || a.path.localeCompare(b.path))[0];
}

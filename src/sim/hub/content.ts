/**
 * File contents of the Hub stand-in: generated text files, and binary files (weights) as
 * deterministic pseudo-random bytes from AES-128-CTR keyed by the repo and path, so any byte
 * range can be produced on the fly without holding a file in memory. Hashes (the Git blob oid
 * and the LFS sha256) are computed once per file and cached.
 */
import { createCipheriv, createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { HubModel } from './catalog.js';
import { textFile } from './text-files.js';

/** A file as the tree listing describes it (sizes in bytes). */
export interface HubFile {
  path: string;
  size: number;
  /** Git blob oid: of the content, or of the LFS pointer file for LFS files. */
  oid: string;
  lfs?: { oid: string; size: number; pointerSize: number };
}

const CHUNK = 64 * 1024;

/** Bytes [start, end) of a binary file of `repo`, 0 ≤ start ≤ end. */
function binaryBytes(repo: string, path: string, start: number, end: number): Buffer {
  const key = createHash('sha256').update(`${repo}\0${path}`).digest().subarray(0, 16);
  const block = Math.floor(start / 16);
  const iv = Buffer.alloc(16);
  iv.writeBigUInt64BE(BigInt(block), 8);
  const cipher = createCipheriv('aes-128-ctr', key, iv);
  const skip = start - block * 16;
  return cipher.update(Buffer.alloc(end - start + skip)).subarray(skip);
}

/** The files of one model, with content and hashes on demand. */
export class RepoContent {
  private readonly cache = new Map<string, HubFile>();
  constructor(readonly model: HubModel) {}

  /** True when the repo has a file at `path`. */
  has(path: string): boolean {
    return this.model.files.some((f) => f.path === path);
  }

  private text(path: string): Buffer | undefined {
    const t = textFile(this.model, path);
    return t === undefined ? undefined : Buffer.from(t, 'utf8');
  }

  /** Size in bytes of the file at `path` (it must exist). */
  size(path: string): number {
    const spec = this.model.files.find((f) => f.path === path);
    if (!spec) throw new Error(`no file ${path} in ${this.model.id}`);
    return spec.size !== 0 ? spec.size : (this.text(path)?.length ?? 0);
  }

  /** Bytes [start, end) of the file, as a stream of ≤ 64 KiB chunks. */
  stream(path: string, start: number, end: number): Readable {
    const text = this.text(path);
    if (text) return Readable.from([text.subarray(start, end)]);
    const repo = this.model.id;
    return Readable.from((function* () {
      for (let at = start; at < end; at += CHUNK) yield binaryBytes(repo, path, at, Math.min(end, at + CHUNK));
    })());
  }

  /** The tree entry of the file: size, Git oid and (LFS files) the sha256 of the content. */
  describe(path: string): HubFile {
    const cached = this.cache.get(path);
    if (cached) return cached;
    const spec = this.model.files.find((f) => f.path === path);
    if (!spec) throw new Error(`no file ${path} in ${this.model.id}`);
    const size = this.size(path);
    const sha256 = createHash('sha256');
    const text = this.text(path);
    if (text) sha256.update(text);
    else for (let at = 0; at < size; at += CHUNK) sha256.update(binaryBytes(this.model.id, path, at, Math.min(size, at + CHUNK)));
    const digest = sha256.digest('hex');
    let entry: HubFile;
    if (spec.lfs) {
      const pointer = `version https://git-lfs.github.com/spec/v1\noid sha256:${digest}\nsize ${size}\n`;
      entry = { path, size, oid: gitBlobOid(Buffer.from(pointer)), lfs: { oid: digest, size, pointerSize: Buffer.byteLength(pointer) } };
    } else {
      entry = { path, size, oid: gitBlobOid(text ?? Buffer.alloc(0)) };
    }
    this.cache.set(path, entry);
    return entry;
  }

  /** A Git tree oid for a folder of the repo (deterministic; folders have no content of their own here). */
  describeDirOid(path: string): string {
    return createHash('sha1').update(`tree ${this.model.id}/${path}`).digest('hex');
  }

  /** The repo's commit sha (40 hex), fixed per repo id. */
  get sha(): string {
    return createHash('sha1').update(`commit ${this.model.id}`).digest('hex');
  }
}

/** Git's blob id: sha1 of `blob <size>\0<content>`. */
export function gitBlobOid(content: Buffer): string {
  return createHash('sha1').update(`blob ${content.length}\0`).update(content).digest('hex');
}

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { entryFor, guideModels, loadCatalog, shortName } from '../../../steps/import/catalog.js';
import { selectFiles } from '../../../steps/import/filter.js';
import { importInputs } from '../../../steps/import/inputs.js';

const GiB = 1024 ** 3;
const f = (p: string, size = 1000) => ({ path: p, size });

describe('file filter on real repos\' file lists', () => {
  it('Mistral-7B-Instruct-v0.3: sharded safetensors, not consolidated.safetensors', () => {
    const files = [
      f('.gitattributes'), f('README.md'), f('config.json'), f('generation_config.json'), f('params.json'),
      f('consolidated.safetensors', 14.5 * GiB), f('model-00001-of-00003.safetensors', 4.95 * GiB), f('model-00002-of-00003.safetensors', 5 * GiB),
      f('model-00003-of-00003.safetensors', 4.55 * GiB), f('model.safetensors.index.json'), f('special_tokens_map.json'),
      f('tokenizer.json'), f('tokenizer.model'), f('tokenizer.model.v3'), f('tokenizer_config.json'),
    ];
    const s = selectFiles(files);
    expect(s.files.map((x) => x.path)).not.toContain('consolidated.safetensors');
    expect(s.files.map((x) => x.path)).toContain('model-00002-of-00003.safetensors');
    expect(s.skipped.map((x) => x.path).sort()).toEqual(['.gitattributes', 'consolidated.safetensors']);
    expect(s.bytes).toBe(s.files.reduce((n, x) => n + x.size, 0));
    expect(s.bytes).toBeLessThan(15 * GiB);
  });

  it('Llama-3.1-8B-Instruct: skips original/ (consolidated.00.pth and its tokenizer)', () => {
    const files = [f('config.json'), f('model-00001-of-00004.safetensors'), f('model-00004-of-00004.safetensors'), f('original/consolidated.00.pth'), f('original/params.json'), f('original/tokenizer.model'), f('tokenizer.json')];
    const s = selectFiles(files);
    expect(s.files.map((x) => x.path)).toEqual(['config.json', 'model-00001-of-00004.safetensors', 'model-00004-of-00004.safetensors', 'tokenizer.json']);
  });

  it('nomic-embed-text-v1.5: skips onnx/ but keeps 1_Pooling/ and the safetensors', () => {
    const files = [f('1_Pooling/config.json'), f('model.safetensors'), f('onnx/model.onnx'), f('onnx/model_quantized.onnx'), f('pytorch_model.bin'), f('vocab.txt')];
    const s = selectFiles(files);
    expect(s.files.map((x) => x.path)).toEqual(['1_Pooling/config.json', 'model.safetensors', 'vocab.txt']);
    expect(s.skipped.find((x) => x.path === 'pytorch_model.bin')?.reason).toMatch(/safetensors present/);
  });

  it('keeps *.bin when there are no safetensors; always skips GGUF and OpenVINO; applies catalog globs', () => {
    const s = selectFiles([f('pytorch_model.bin'), f('config.json'), f('qwen2.5-7b-instruct-q4_k_m.gguf'), f('openvino/openvino_model.xml'), f('LICENSE')], ['LICENSE']);
    expect(s.files.map((x) => x.path)).toEqual(['config.json', 'pytorch_model.bin']);
    expect(s.skipped.find((x) => x.path === 'LICENSE')?.reason).toMatch(/catalog \(LICENSE\)/);
  });
});

describe('model catalog', () => {
  it('holds the guide\'s three models, the default selection, and current ones, all valid', () => {
    const catalog = loadCatalog();
    expect(guideModels(catalog)).toEqual(['ibm-granite/granite-8b-code-instruct-128k', 'mistralai/Mistral-7B-Instruct-v0.3', 'nomic-ai/nomic-embed-text-v1.5']);
    expect(catalog.length).toBeGreaterThan(3);
    const nomic = catalog.find((m) => m.id === 'nomic-ai/nomic-embed-text-v1.5');
    expect(nomic).toMatchObject({ kind: 'embedding', runtime: 'tei', api: 'embeddings' });
    expect(importInputs(catalog).parse({}).models).toEqual(guideModels(catalog));
  });

  it('refuses an invalid catalog file, naming the entry', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'catalog-'));
    const file = path.join(dir, 'c.yaml');
    writeFileSync(file, 'models:\n  - id: not-a-repo\n    name: x\n    kind: chat\n    runtime: vllm\n    api: chat\n    maxContext: 10\n    maxModelLen: 10\n    gpus: 1\n');
    expect(() => loadCatalog(file)).toThrow(/models\.0\.id: must be a Hugging Face repo id/);
  });

  it('takes any owner/name typed in, with a Kubernetes-friendly short name; refuses anything else', () => {
    const catalog = loadCatalog();
    expect(entryFor('TinyLlama/TinyLlama-1.1B-Chat-v1.0', catalog)).toMatchObject({ id: 'TinyLlama/TinyLlama-1.1B-Chat-v1.0', name: 'tinyllama-1-1b-chat-v1-0', runtime: 'vllm' });
    expect(shortName('org/' + 'X'.repeat(80))).toHaveLength(40);
    const parse = importInputs(catalog).safeParse({ models: 'ibm-granite/granite-3.1-8b-instruct, not a repo' });
    expect(parse.success).toBe(false);
    expect(parse.error?.issues[0]?.message).toMatch(/owner\/name/);
    expect(importInputs(catalog).parse({ models: 'a/b, c/d' }).models).toEqual(['a/b', 'c/d']);
    expect(() => entryFor('../etc', catalog)).toThrow(/not a Hugging Face repo id/);
  });
});

/**
 * The models the Hugging Face Hub stand-in knows: the guide's three
 * (`ibm-granite/granite-8b-code-instruct-128k`, `mistralai/Mistral-7B-Instruct-v0.3`,
 * `nomic-ai/nomic-embed-text-v1.5`) and a few current ones, with the file NAMES their real repos
 * have (sharded safetensors with an index, `consolidated.safetensors`, `original/`, `onnx/`,
 * `*.gguf`, tokenizer files) and SMALL sizes (bytes) so a demo copies a few MB per model.
 * Gating values as the Hub's `gated` field: false, "auto" (licence accepted on click), "manual".
 */

/** One file of a repo: path in the repo, size in bytes; `lfs` when stored through Git LFS. */
export interface HubFileSpec {
  path: string;
  size: number;
  lfs: boolean;
}

/** One model repo of the stand-in. */
export interface HubModel {
  id: string;
  gated: false | 'auto' | 'manual';
  pipelineTag: string;
  libraryName: string;
  license: string;
  /** The repo's config.json (model_type, architectures, max_position_embeddings, ...). */
  config: Record<string, unknown>;
  /** Every file except the generated text ones' sizes, which follow from their content. */
  files: HubFileSpec[];
  tags: string[];
}

const KiB = 1024;
const MiB = 1024 * KiB;

/** Extensions Git LFS tracks in these repos (their `.gitattributes`). */
export const LFS_PATTERNS = ['*.safetensors', '*.bin', '*.pth', '*.onnx', '*.gguf', '*.model', '*.model.v3', '*.h5', '*.msgpack'];

function isLfs(path: string): boolean {
  return LFS_PATTERNS.some((p) => path.endsWith(p.slice(1)));
}

/** Files of a repo from `[path, size]` pairs; LFS follows the extension. */
function files(list: [string, number][]): HubFileSpec[] {
  return list.map(([path, size]) => ({ path, size: Math.round(size), lfs: isLfs(path) }));
}

/** Sharded safetensors `model-0000N-of-0000M.safetensors` with the given sizes. */
function shards(sizes: number[]): [string, number][] {
  const m = String(sizes.length).padStart(5, '0');
  return sizes.map((s, i) => [`model-${String(i + 1).padStart(5, '0')}-of-${m}.safetensors`, s]);
}

/** Text files every transformers repo has; sizes are those of the generated content (0 = computed). */
const COMMON: [string, number][] = [
  ['.gitattributes', 0], ['README.md', 0], ['config.json', 0], ['generation_config.json', 0],
  ['special_tokens_map.json', 0], ['tokenizer.json', 0], ['tokenizer_config.json', 0],
];

/** The default catalog. */
export const CATALOG: HubModel[] = [
  {
    id: 'ibm-granite/granite-8b-code-instruct-128k', gated: false, pipelineTag: 'text-generation', libraryName: 'transformers',
    license: 'apache-2.0', tags: ['transformers', 'safetensors', 'llama', 'text-generation', 'code', 'granite'],
    config: { architectures: ['LlamaForCausalLM'], model_type: 'llama', max_position_embeddings: 131072, hidden_size: 4096, num_hidden_layers: 36, torch_dtype: 'bfloat16', vocab_size: 49152 },
    // One shard above 6 MiB so a copy goes through S3 multipart upload (5 MiB parts).
    files: files([...COMMON, ...shards([6.5 * MiB, 1 * MiB, 1 * MiB, 400 * KiB]), ['model.safetensors.index.json', 0]]),
  },
  {
    id: 'mistralai/Mistral-7B-Instruct-v0.3', gated: 'auto', pipelineTag: 'text-generation', libraryName: 'vllm',
    license: 'apache-2.0', tags: ['vllm', 'safetensors', 'mistral', 'text-generation', 'mistral-common'],
    config: { architectures: ['MistralForCausalLM'], model_type: 'mistral', max_position_embeddings: 32768, hidden_size: 4096, num_hidden_layers: 32, torch_dtype: 'bfloat16', vocab_size: 32768 },
    files: files([
      ...COMMON, ...shards([900 * KiB, 900 * KiB, 700 * KiB]), ['model.safetensors.index.json', 0],
      ['consolidated.safetensors', 1.5 * MiB], ['params.json', 0], ['tokenizer.model', 96 * KiB], ['tokenizer.model.v3', 96 * KiB],
    ]),
  },
  {
    id: 'nomic-ai/nomic-embed-text-v1.5', gated: false, pipelineTag: 'sentence-similarity', libraryName: 'sentence-transformers',
    license: 'apache-2.0', tags: ['sentence-transformers', 'onnx', 'safetensors', 'nomic_bert', 'feature-extraction', 'sentence-similarity'],
    config: { architectures: ['NomicBertModel'], model_type: 'nomic_bert', n_positions: 8192, max_trained_positions: 2048, n_embd: 768, torch_dtype: 'float32', vocab_size: 30528 },
    files: files([
      ['.gitattributes', 0], ['README.md', 0], ['config.json', 0], ['config_sentence_transformers.json', 0], ['modules.json', 0],
      ['sentence_bert_config.json', 0], ['1_Pooling/config.json', 0], ['special_tokens_map.json', 0], ['tokenizer.json', 0],
      ['tokenizer_config.json', 0], ['vocab.txt', 0], ['model.safetensors', 1 * MiB], ['onnx/model.onnx', 800 * KiB],
      ['onnx/model_quantized.onnx', 300 * KiB],
    ]),
  },
  {
    id: 'ibm-granite/granite-3.1-8b-instruct', gated: false, pipelineTag: 'text-generation', libraryName: 'transformers',
    license: 'apache-2.0', tags: ['transformers', 'safetensors', 'granite', 'text-generation', 'language', 'granite-3.1'],
    config: { architectures: ['GraniteForCausalLM'], model_type: 'granite', max_position_embeddings: 131072, hidden_size: 4096, num_hidden_layers: 40, torch_dtype: 'bfloat16', vocab_size: 49155 },
    files: files([...COMMON, ...shards([1 * MiB, 1 * MiB, 1 * MiB, 600 * KiB]), ['model.safetensors.index.json', 0]]),
  },
  {
    id: 'meta-llama/Llama-3.1-8B-Instruct', gated: 'manual', pipelineTag: 'text-generation', libraryName: 'transformers',
    license: 'llama3.1', tags: ['transformers', 'safetensors', 'llama', 'text-generation', 'facebook', 'meta', 'llama-3'],
    config: { architectures: ['LlamaForCausalLM'], model_type: 'llama', max_position_embeddings: 131072, hidden_size: 4096, num_hidden_layers: 32, torch_dtype: 'bfloat16', vocab_size: 128256 },
    files: files([
      ...COMMON, ...shards([1 * MiB, 1 * MiB, 1 * MiB, 300 * KiB]), ['model.safetensors.index.json', 0], ['LICENSE', 0], ['USE_POLICY.md', 0],
      ['original/consolidated.00.pth', 1.2 * MiB], ['original/params.json', 0], ['original/tokenizer.model', 128 * KiB],
    ]),
  },
  {
    id: 'Qwen/Qwen2.5-7B-Instruct', gated: false, pipelineTag: 'text-generation', libraryName: 'transformers',
    license: 'apache-2.0', tags: ['transformers', 'safetensors', 'qwen2', 'text-generation', 'chat', 'conversational'],
    config: { architectures: ['Qwen2ForCausalLM'], model_type: 'qwen2', max_position_embeddings: 32768, hidden_size: 3584, num_hidden_layers: 28, torch_dtype: 'bfloat16', vocab_size: 152064 },
    files: files([
      ...COMMON, ...shards([1 * MiB, 1 * MiB, 1 * MiB, 500 * KiB]), ['model.safetensors.index.json', 0], ['LICENSE', 0],
      ['merges.txt', 0], ['vocab.json', 0], ['qwen2.5-7b-instruct-q4_k_m.gguf', 700 * KiB],
    ]),
  },
];

/**
 * The small text files of the stand-in's repos (config.json, tokenizer files, index of the shards,
 * README.md, .gitattributes, ...), generated deterministically from the catalog entry. They are
 * a few KB to a few hundred KB, generated per request rather than kept.
 */
import { prng, seedOf } from '../models/generate.js';
import { LFS_PATTERNS, type HubModel } from './catalog.js';

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

/** Deterministic pseudo-words (`tok…`) for vocabularies, seeded by the repo and file. */
function tokens(seedText: string, count: number): string[] {
  const next = prng(seedOf(seedText));
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  return Array.from({ length: count }, (_, i) => {
    const len = 2 + Math.floor(next() * 7);
    let w = '';
    for (let k = 0; k < len; k++) w += letters[Math.floor(next() * letters.length)] ?? 'a';
    return `${w}${i}`;
  });
}

/** The shard file of each layer's weights, for model.safetensors.index.json. */
function weightMap(model: HubModel): Record<string, string> {
  const shardFiles = model.files.filter((f) => /^model-\d{5}-of-\d{5}\.safetensors$/.test(f.path)).map((f) => f.path);
  const layers = Number(model.config.num_hidden_layers ?? 8);
  const map: Record<string, string> = { 'model.embed_tokens.weight': shardFiles[0] ?? '' };
  for (let l = 0; l < layers; l++) {
    const shard = shardFiles[Math.min(shardFiles.length - 1, Math.floor((l * shardFiles.length) / layers))] ?? '';
    for (const w of ['self_attn.q_proj', 'self_attn.k_proj', 'self_attn.v_proj', 'self_attn.o_proj', 'mlp.gate_proj', 'mlp.up_proj', 'mlp.down_proj']) {
      map[`model.layers.${l}.${w}.weight`] = shard;
    }
  }
  map['lm_head.weight'] = shardFiles.at(-1) ?? '';
  return map;
}

/**
 * The content of a generated text file of `model`, or undefined when `path` is not one (then it
 * is a binary file with a size from the catalog).
 */
export function textFile(model: HubModel, path: string): string | undefined {
  const spec = model.files.find((f) => f.path === path);
  if (!spec || spec.size !== 0) return undefined;
  const name = path.split('/').at(-1) ?? path;
  const seed = `${model.id}/${path}`;
  switch (name) {
    case '.gitattributes':
      return LFS_PATTERNS.map((p) => `${p} filter=lfs diff=lfs merge=lfs -text`).join('\n') + '\n';
    case 'README.md': {
      const para = tokens(seed, 400).join(' ');
      return `---\nlicense: ${model.license}\npipeline_tag: ${model.pipelineTag}\nlibrary_name: ${model.libraryName}\n` +
        `tags:\n${model.tags.map((t) => `- ${t}`).join('\n')}\n---\n\n# ${model.id.split('/')[1] ?? model.id}\n\n` +
        `Simulated model card of ${model.id} (generated content).\n\n${para}\n`;
    }
    case 'config.json':
      return path === 'config.json' ? json({ ...model.config, transformers_version: '4.44.0' }) : json({ word_embedding_dimension: 768, pooling_mode_mean_tokens: true });
    case 'generation_config.json':
      return json({ _from_model_config: true, bos_token_id: 1, eos_token_id: 2, transformers_version: '4.44.0' });
    case 'special_tokens_map.json':
      return json({ bos_token: '<s>', eos_token: '</s>', unk_token: '<unk>' });
    case 'tokenizer_config.json':
      return json({ add_bos_token: true, add_eos_token: false, bos_token: '<s>', eos_token: '</s>', model_max_length: model.config.max_position_embeddings ?? 8192, tokenizer_class: 'PreTrainedTokenizerFast', chat_template: '{% for m in messages %}{{ m.content }}{% endfor %}' });
    case 'tokenizer.json': {
      const vocab = Object.fromEntries(tokens(seed, 6000).map((t, i) => [t, i]));
      return json({ version: '1.0', added_tokens: [], normalizer: null, model: { type: 'BPE', vocab, merges: [] } });
    }
    case 'model.safetensors.index.json': {
      const total = model.files.filter((f) => /^model-\d{5}-of-\d{5}\.safetensors$/.test(f.path)).reduce((n, f) => n + f.size, 0);
      return json({ metadata: { total_size: total }, weight_map: weightMap(model) });
    }
    case 'params.json':
      return json({ dim: model.config.hidden_size, n_layers: model.config.num_hidden_layers, n_heads: 32, vocab_size: model.config.vocab_size, rope_theta: 1000000 });
    case 'vocab.txt':
      return tokens(seed, 5000).join('\n') + '\n';
    case 'vocab.json':
      return JSON.stringify(Object.fromEntries(tokens(seed, 5000).map((t, i) => [t, i]))) + '\n';
    case 'merges.txt':
      return '#version: 0.2\n' + tokens(seed, 3000).map((t) => `${t.slice(0, 1)} ${t.slice(1)}`).join('\n') + '\n';
    case 'modules.json':
      return json([{ idx: 0, name: '0', path: '', type: 'sentence_transformers.models.Transformer' }, { idx: 1, name: '1', path: '1_Pooling', type: 'sentence_transformers.models.Pooling' }]);
    case 'sentence_bert_config.json':
      return json({ max_seq_length: 8192, do_lower_case: false });
    case 'config_sentence_transformers.json':
      return json({ __version__: { sentence_transformers: '2.4.0.dev0' }, prompts: {}, default_prompt_name: null });
    default:
      return `${name} of ${model.id} (simulated)\n\n${tokens(seed, 200).join(' ')}\n`;
  }
}

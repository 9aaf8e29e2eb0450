/**
 * Which models a run sets up, decided before the step graph is built: every chosen model gets its
 * own steps (`import.<name>`, `serving.<name>`, its 3scale product and policies), so the model
 * picker comes first. In order: the answers file's `import.models`, the models saved in the
 * profile by an earlier run (`import` inputs), the picker when a person is there, else the
 * catalog's guide models (STAGES.md §4).
 */
import { z } from 'zod';
import type { HostStep } from '../engine/host.js';
import type { InputField } from '../engine/types.js';
import { guideModels, repoId } from '../../steps/import/catalog.js';
import type { CatalogEntry } from '../../steps/import/catalog.js';
import { modelsField } from '../../steps/import/inputs.js';

/** The picker's header: what the choice means. */
export const MODEL_PICKER: HostStep = {
  id: 'models',
  title: 'Choose the models to serve',
  explain: {
    what: 'Each chosen model is imported into the bucket, served by OpenShift AI, and published as a 3scale product with its own plan and policies.',
    why: 'The models decide the rest of the setup: one InferenceService, one backend and one product per model.',
    commands: ['oc get inferenceservice -n llm-hosting'],
  },
};

const chosenModels = z.array(repoId).min(1, { message: 'choose at least one model' });

/** The picker's values: `models`, a non-empty list of Hugging Face repo ids (owner/name), by default the catalog's guide models. */
export function pickerInputs(catalog: readonly CatalogEntry[]) {
  return z.object({ models: chosenModels.default(guideModels(catalog)) });
}

/** Where the models can come from. */
export interface ModelSources {
  catalog: readonly CatalogEntry[];
  /** `import.models` of the answers file. */
  answers?: readonly unknown[];
  /** `models` of the `import` step's inputs saved in the profile. */
  saved?: readonly unknown[];
  /**
   * Puts the picker to a person (a host's `askInputs` with MODEL_PICKER and `pickerFields`):
   * resolves with the edited values, or undefined when the person quit. Absent: nobody to ask.
   */
  ask?: (values: Record<string, unknown>, errors: Record<string, string>) => Promise<Record<string, unknown> | undefined>;
}

/** The picker's one field: the catalog as a multi-select, other repo ids typed in. */
export function pickerFields(catalog: readonly CatalogEntry[]): InputField[] {
  return [modelsField(catalog)];
}

/**
 * The repo ids of the models this run sets up (duplicates removed, order kept); undefined when
 * the person quit the picker.
 * @throws nothing of its own: an answers file or saved inputs were checked when loaded; the
 *   picker asks again with the message under the field until the choice is valid.
 */
export async function chooseModels(s: ModelSources): Promise<string[] | undefined> {
  const given = s.answers ?? s.saved;
  if (given) {
    const ok = chosenModels.safeParse([...new Set(given.map(String))]);
    if (ok.success) return ok.data;
  }
  const defaults = guideModels(s.catalog);
  if (!s.ask) return defaults;
  let errors: Record<string, string> = {};
  let values: Record<string, unknown> = { models: defaults };
  for (;;) {
    const answered = await s.ask(values, errors);
    if (!answered) return undefined;
    values = answered;
    const parsed = chosenModels.safeParse([...new Set((values['models'] as unknown[] | undefined ?? []).map(String))]);
    if (parsed.success) return parsed.data;
    errors = { models: parsed.error.issues[0]?.message ?? 'not a list of Hugging Face repo ids (owner/name)' };
  }
}

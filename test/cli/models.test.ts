import { describe, expect, it } from 'vitest';
import { chooseModels, MODEL_PICKER, pickerFields } from '../../src/cli/models.js';
import { ScriptedHost } from '../../src/engine/host.js';
import { guideModels, loadCatalog } from '../../steps/import/catalog.js';

const catalog = loadCatalog();
/** The picker asked through a scripted host, as the CLI asks it through the Ink or line host. */
const askWith = (host: ScriptedHost) => (values: Record<string, unknown>, errors: Record<string, string>) => host.askInputs(MODEL_PICKER, pickerFields(catalog), values, errors);
const MISTRAL = 'mistralai/Mistral-7B-Instruct-v0.3';
const NOMIC = 'nomic-ai/nomic-embed-text-v1.5';

describe('the models of a run, chosen before its step graph', () => {
  it('takes the answers file first, then the saved choice, without asking', async () => {
    const host = new ScriptedHost({});
    expect(await chooseModels({ catalog, answers: [NOMIC, NOMIC], saved: [MISTRAL], ask: askWith(host) })).toEqual([NOMIC]);
    expect(await chooseModels({ catalog, saved: [MISTRAL], ask: askWith(host) })).toEqual([MISTRAL]);
    expect(host.calls).toEqual([]);
  });

  it('without a person (CI, --yes) runs the guide\'s models', async () => {
    expect(await chooseModels({ catalog })).toEqual(guideModels(catalog));
  });

  it('a person quitting the picker gets undefined (the run stops as interrupted)', async () => {
    expect(await chooseModels({ catalog, ask: async () => undefined })).toBeUndefined();
  });

  it('asks a person with the guide\'s models ticked, and again with the message when nothing is chosen', async () => {
    const host = new ScriptedHost({ inputs: { models: [{ models: [] }, { models: [MISTRAL, 'acme/my-model'] }] } });
    expect(await chooseModels({ catalog, ask: askWith(host) })).toEqual([MISTRAL, 'acme/my-model']);
    expect(host.calls).toEqual([
      { kind: 'askInputs', step: 'models', values: { models: guideModels(catalog) }, errors: {} },
      { kind: 'askInputs', step: 'models', values: { models: [] }, errors: { models: 'choose at least one model' } },
    ]);
  });

  it('refuses a typed repo id that is not owner/name with a message, then takes the fix', async () => {
    const host = new ScriptedHost({ inputs: { models: [{ models: ['not a repo'] }, { models: [NOMIC] }] } });
    expect(await chooseModels({ catalog, ask: askWith(host) })).toEqual([NOMIC]);
    const second = host.calls[1];
    expect(second?.kind === 'askInputs' ? second.errors['models'] : undefined).toMatch(/owner\/name|repo/i);
  });
});

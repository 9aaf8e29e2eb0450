/**
 * The multi-select (import's model picker) and live conditional fields, driven by keys through
 * the real import and storage forms as the engine puts them to the screen.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { multiSelectList, selectedSummary, toggleValue } from '../../src/ui/forms/MultiSelectInput.js';
import { KEYS, waitForFrame } from './helpers.js';
import type { Mounted } from './helpers.js';
import { askReal, modelPicker, mountReal, realStep } from './real-steps.js';

afterEach(() => cleanup());

const GRANITE = 'ibm-granite/granite-8b-code-instruct-128k';
const MISTRAL = 'mistralai/Mistral-7B-Instruct-v0.3';
const NOMIC = 'nomic-ai/nomic-embed-text-v1.5';
const GRANITE31 = 'ibm-granite/granite-3.1-8b-instruct';

/** Presses Enter on every field after the model picker until the form is gone (submitted). */
async function enterThroughForm(inst: Mounted) {
  for (let i = 0; i < 12; i++) {
    const before = inst.frame();
    if (!before.includes('Enter next')) return;
    inst.stdin.write(KEYS.enter);
    await waitForFrame(inst, (f) => f !== before);
  }
}

describe('multi-select helpers', () => {
  it('lists typed-in values after the choices, toggles in list order, summarises', () => {
    const choices = [
      { value: 'a/one', label: 'a/one' },
      { value: 'b/two', label: 'b/two' },
    ];
    const list = multiSelectList(choices, ['x/typed', 'b/two']);
    expect(list.map((c) => c.value)).toEqual(['a/one', 'b/two', 'x/typed']);
    expect(list[2]?.hint).toBe('typed in');
    expect(toggleValue(list, ['b/two'], 'a/one')).toEqual(['a/one', 'b/two']);
    expect(toggleValue(list, ['a/one', 'b/two'], 'a/one')).toEqual(['b/two']);
    expect(selectedSummary(list, [])).toBe('none chosen');
    expect(selectedSummary(list, ['b/two', 'x/typed'])).toBe('b/two, x/typed');
  });
});

describe('the model picker', () => {
  it('Space toggles, typing adds a repo id not in the catalog, Enter accepts; the step gets the list', async () => {
    const { inst, host } = mountReal();
    const done = askReal(host, modelPicker());
    await waitForFrame(inst, '3 chosen');
    inst.stdin.write(' '); // untick the highlighted granite-8b
    await waitForFrame(inst, `[ ] ${GRANITE}`);
    inst.stdin.write(KEYS.down + KEYS.down + KEYS.down);
    await waitForFrame(inst, `❯ [ ] ${GRANITE31}`);
    inst.stdin.write(' ');
    await waitForFrame(inst, `❯ [x] ${GRANITE31}`);
    inst.stdin.write('acme/my-model');
    await waitForFrame(inst, '+ add another: acme/my-model');
    inst.stdin.write(KEYS.enter);
    const added = await waitForFrame(inst, '[x] acme/my-model typed in');
    expect(added).toContain('4 chosen');
    // Typing an id already chosen adds nothing twice.
    inst.stdin.write(MISTRAL);
    await waitForFrame(inst, 'Instruct-v0.3  Enter adds');
    inst.stdin.write(KEYS.enter);
    await waitForFrame(inst, (f) => f.includes('+ add another:') && !f.includes(`add another: ${MISTRAL}`));
    inst.stdin.write(KEYS.enter); // accept: the only field, so the form is submitted
    const resolved = await done;
    expect(resolved.inputs['models']).toEqual([MISTRAL, NOMIC, GRANITE31, 'acme/my-model']);
  });

  it('nothing chosen is refused by the step with its own message, shown under the field', async () => {
    const { inst, host } = mountReal();
    void askReal(host, modelPicker());
    await waitForFrame(inst, '3 chosen');
    inst.stdin.write(' ');
    await waitForFrame(inst, '2 chosen');
    inst.stdin.write(KEYS.down + ' ');
    await waitForFrame(inst, '1 chosen');
    inst.stdin.write(KEYS.down + ' ');
    await waitForFrame(inst, '0 chosen');
    inst.stdin.write(KEYS.enter);
    // Asked again, the focus back on the models with the step's message under them.
    const again = await waitForFrame(inst, '✖ choose at least one model');
    expect(again).toContain('› Models: 0 chosen');
  });

  it('a pasted list of repo ids is added whole', async () => {
    const { inst, host } = mountReal();
    const done = askReal(host, modelPicker(), { models: [MISTRAL] });
    await waitForFrame(inst, '1 chosen');
    inst.stdin.write('\u001B[200~acme/a, acme/b\n\u001B[201~');
    await waitForFrame(inst, '+ add another: acme/a, acme/b');
    inst.stdin.write(KEYS.enter);
    await waitForFrame(inst, '3 chosen');
    inst.stdin.write(KEYS.enter);
    expect((await done).inputs['models']).toEqual([MISTRAL, 'acme/a', 'acme/b']);
  });

  it('method local hides the Job fields as the person moves the choice, and the step gets no Job values from the form', async () => {
    const { inst, host } = mountReal();
    const done = askReal(host, realStep('import'), { importerImage: 'quay.io/me/importer:1' });
    await waitForFrame(inst, '› Hugging Face token');
    inst.stdin.write(KEYS.enter);
    const job = await waitForFrame(inst, '❯ In-cluster Job');
    expect(job).toContain('Importer image (job): quay.io/me/importer:1');
    inst.stdin.write(KEYS.down);
    const local = await waitForFrame(inst, '❯ From this machine');
    expect(local).not.toContain('Importer image');
    expect(local).not.toContain('Job timeout');
    inst.stdin.write(KEYS.enter);
    await waitForFrame(inst, '› Hugging Face Hub');
    await enterThroughForm(inst);
    const resolved = await done;
    expect(resolved.inputs['method']).toBe('local');
    // Hidden, so not validated from the form: the schema's default stands.
    expect(resolved.inputs['importerImage']).not.toBe('quay.io/me/importer:1');
  });
});

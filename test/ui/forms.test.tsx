import { afterEach, describe, expect, it, vi } from 'vitest';
import { createElement, useState } from 'react';
import { cleanup } from 'ink-testing-library';
import { ConfirmInput } from '../../src/ui/forms/ConfirmInput.js';
import { draftToValues } from '../../src/ui/forms/Form.js';
import { SelectInput } from '../../src/ui/forms/SelectInput.js';
import { TextInput, cleanInput, displayValue } from '../../src/ui/forms/TextInput.js';
import { KEYS, mount, waitForFrame } from './helpers.js';
import { mountApp } from './fixtures.js';

afterEach(() => cleanup());

function TextHarness(props: { initial: string; mask?: boolean; allow?: RegExp; onSubmit(v: string): void }) {
  const [v, setV] = useState(props.initial);
  let latest = v;
  return createElement(TextInput, {
    value: v,
    isActive: true,
    ...(props.mask ? { mask: true } : {}),
    ...(props.allow ? { allow: props.allow } : {}),
    onEdit: (edit) => {
      latest = edit(latest);
      setV(latest);
    },
    onSubmit: () => props.onSubmit(latest),
  });
}

describe('text input', () => {
  it('takes pasted text arriving in one write (C15) and submits on a separate Enter', async () => {
    const onSubmit = vi.fn();
    const inst = mount(createElement(TextHarness, { initial: '', onSubmit }));
    await waitForFrame(inst, () => inst.frames.length > 0);
    inst.stdin.write('https://keycloak-rh-sso.apps.example.com/auth');
    await waitForFrame(inst, 'https://keycloak-rh-sso.apps.example.com/auth');
    inst.stdin.write(KEYS.enter);
    await vi.waitFor(() => expect(onSubmit).toHaveBeenCalledWith('https://keycloak-rh-sso.apps.example.com/auth'));
  });

  it('backspace deletes, Ctrl-U clears, control characters are dropped', async () => {
    const onSubmit = vi.fn();
    const inst = mount(createElement(TextHarness, { initial: 'abc', onSubmit }));
    await waitForFrame(inst, 'abc');
    inst.stdin.write(KEYS.backspace);
    await waitForFrame(inst, (f) => f.includes('ab') && !f.includes('abc'));
    inst.stdin.write('\u0015');
    await waitForFrame(inst, (f) => !f.includes('ab'));
    expect(cleanInput('line1\nline2\r')).toBe('line1line2');
    expect(cleanInput('12a.5', /[0-9.]/)).toBe('12.5');
  });

  it('masks a secret with • and never renders it in clear', async () => {
    const onSubmit = vi.fn();
    const inst = mount(createElement(TextHarness, { initial: '', mask: true, onSubmit }));
    await waitForFrame(inst, () => inst.frames.length > 0);
    inst.stdin.write('s3cr3t');
    await waitForFrame(inst, '••••••');
    inst.stdin.write(KEYS.enter);
    await vi.waitFor(() => expect(onSubmit).toHaveBeenCalledWith('s3cr3t'));
    expect(inst.frames.join('')).not.toContain('s3cr3t');
    expect(displayValue('äb', true)).toBe('••');
  });
});

describe('select and confirm', () => {
  it('select: ↑/↓ move (wrapping), Enter chooses', async () => {
    const onSubmit = vi.fn();
    function Harness() {
      const [v, setV] = useState('b');
      return createElement(SelectInput, {
        choices: [
          { value: 'a', label: 'Alpha' },
          { value: 'b', label: 'Beta' },
          { value: 'c', label: 'Gamma', hint: '(last)' },
        ],
        value: v,
        onChange: setV,
        onSubmit,
        isActive: true,
      });
    }
    const inst = mount(createElement(Harness));
    await waitForFrame(inst, '❯ Beta');
    inst.stdin.write(KEYS.down);
    await waitForFrame(inst, '❯ Gamma (last)');
    inst.stdin.write(KEYS.down);
    await waitForFrame(inst, '❯ Alpha');
    inst.stdin.write(KEYS.enter);
    await vi.waitFor(() => expect(onSubmit).toHaveBeenCalledWith('a'));
  });

  it('select: long lists say how many more choices are above and below', async () => {
    const choices = Array.from({ length: 12 }, (_, i) => ({ value: `v${i}`, label: `class-${i}` }));
    const inst = mount(createElement(SelectInput, { choices, value: 'v6', onChange: () => {}, onSubmit: () => {}, isActive: true, limit: 5 }));
    const f = await waitForFrame(inst, '❯ class-6');
    expect(f).toContain('↑ 4 more');
    expect(f).toContain('↓ 3 more');
    expect(f).not.toContain('class-0');
  });

  it.each([
    ['y', true, true],
    ['n', true, false],
    [KEYS.enter, true, true],
    [KEYS.enter, false, false],
  ])('confirm: key %j with default %s answers %s', async (key, def, expected) => {
    const onSubmit = vi.fn();
    const inst = mount(createElement(ConfirmInput, { defaultValue: def, onSubmit, isActive: true }));
    await waitForFrame(inst, def ? '(Y/n)' : '(y/N)');
    inst.stdin.write(key);
    await vi.waitFor(() => expect(onSubmit).toHaveBeenCalledWith(expected));
  });
});

describe('form values', () => {
  it('parses numbers, leaves empty fields out, reports numbers that do not parse', () => {
    const fields = [
      { key: 'a', label: 'A', kind: 'number' as const },
      { key: 'b', label: 'B', kind: 'text' as const },
      { key: 'c', label: 'C', kind: 'confirm' as const },
      { key: 'd', label: 'D', kind: 'number' as const },
    ];
    expect(draftToValues(fields, { a: '8192', b: '', c: false, d: '1e3' })).toEqual({ values: { a: 8192, c: false, d: 1000 }, errors: {} });
    expect(draftToValues(fields, { a: '1.2.3', b: 'x', c: true, d: '' }).errors).toEqual({ a: '"1.2.3" is not a number' });
  });
});

describe('questions through the host', () => {
  it('a secret text question is masked and resolves with the typed value', async () => {
    const { inst, host } = mountApp();
    const answer = host.ask('sso', { kind: 'text', id: 'idp.secret', message: 'GitHub client secret:', secret: true });
    await waitForFrame(inst, 'GitHub client secret:');
    inst.stdin.write('gh-Secret-123');
    await waitForFrame(inst, '•••••••••••••');
    inst.stdin.write(KEYS.enter);
    await expect(answer).resolves.toBe('gh-Secret-123');
    expect(inst.frames.join('')).not.toContain('gh-Secret-123');
  });

  it('a select question offers its choices and resolves with the value', async () => {
    const { inst, host } = mountApp();
    const answer = host.ask('storage', {
      kind: 'select',
      id: 'storage.repair',
      message: 'The claim is still Pending. What now?',
      details: 'The class has region eu-west-1.',
      default: 'wait',
      choices: [
        { value: 'wait', label: 'Keep waiting' },
        { value: 'noobaa', label: 'Use NooBaa instead' },
      ],
    });
    const f = await waitForFrame(inst, '❯ Keep waiting');
    expect(f).toContain('The class has region eu-west-1.');
    inst.stdin.write(KEYS.down);
    await waitForFrame(inst, '❯ Use NooBaa instead');
    inst.stdin.write(KEYS.enter);
    await expect(answer).resolves.toBe('noobaa');
  });

  it('a checkpoint shows its title, body and link, and resolves on Enter', async () => {
    const { inst, host } = mountApp();
    const answer = host.ask('3scale', {
      kind: 'checkpoint',
      id: '3scale.provider',
      title: 'Set the provider name',
      body: 'The API cannot set it: open the admin portal, Account Settings.',
      url: 'https://maas-admin.apps.example.com',
    });
    const f = await waitForFrame(inst, 'Press Enter when this is done.');
    expect(f).toContain('Manual step: Set the provider name');
    expect(f).toContain('https://maas-admin.apps.example.com');
    inst.stdin.write(KEYS.enter);
    await expect(answer).resolves.toBe(true);
  });

  it('asks one thing at a time, in order', async () => {
    const { inst, host } = mountApp();
    const first = host.ask('sso', { kind: 'confirm', id: 'q1', message: 'First question?', default: true });
    const second = host.ask('3scale', { kind: 'confirm', id: 'q2', message: 'Second question?', default: false });
    const f = await waitForFrame(inst, 'First question?');
    expect(f).not.toContain('Second question?');
    inst.stdin.write('n');
    await expect(first).resolves.toBe(false);
    await waitForFrame(inst, 'Second question? (y/N)');
    inst.stdin.write(KEYS.enter);
    await expect(second).resolves.toBe(false);
  });
});

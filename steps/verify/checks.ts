/**
 * Recording, showing and judging end-to-end checks: one line per check (`✓ what — expected …,
 * got …`), keys masked, and the failure that lists the failed checks with the step that owns each
 * cause (the fix names `maas-wizard retry <step>`).
 */
import { UserError } from '../../src/engine/errors.js';
import type { VerifyCheck } from './types.js';

/** What a failed check points at: the step that owns the cause and one sentence of advice. */
export interface CheckOwner {
  step: string;
  advice: string;
}

/** A check as recorded, with the owner of its cause (kept out of the outputs). */
export interface RecordedCheck extends VerifyCheck {
  owner?: CheckOwner;
}

/**
 * An API key as it may be shown: its first four characters and `…` (never more).
 * @param key the application's `user_key`.
 */
export function maskKey(key: string): string {
  return `${key.slice(0, 4)}…`;
}

/** `text` with every occurrence of each secret replaced by its mask, clipped to `max` characters (default 160). */
export function clean(text: string, secrets: readonly string[], max = 160): string {
  let out = text.replace(/\s+/g, ' ').trim();
  for (const s of secrets) if (s.length >= 4) out = out.split(s).join(maskKey(s));
  return out.length > max ? `${out.slice(0, max - 1)}…` : out;
}

/** One line for a check: `✓ what — expected …, got …` (`✗` when it failed). */
export function formatCheck(check: VerifyCheck): string {
  return `${check.ok ? '✓' : '✗'} ${check.what} — expected ${check.expected}, got ${check.got}`;
}

/** The check without its owner (what goes into outputs). */
export function publicCheck(check: RecordedCheck): VerifyCheck {
  const { owner: _owner, ...rest } = check;
  return rest;
}

/**
 * Collects checks in the order they run and reports each one as it is recorded (`emit`: the
 * step's `ctx.log`).
 */
export class CheckLog {
  readonly checks: RecordedCheck[] = [];
  constructor(
    private readonly emit: (line: string) => void,
    private readonly secrets: () => readonly string[],
  ) {}

  /**
   * Records a check: `got` is cleaned of keys and clipped; `owner` is kept for the failure's fix.
   * @returns whether it passed.
   */
  add(check: VerifyCheck & { owner?: CheckOwner }): boolean {
    const recorded: RecordedCheck = { ...check, got: clean(check.got, this.secrets()), expected: clean(check.expected, this.secrets()) };
    this.checks.push(recorded);
    this.emit(formatCheck(recorded));
    return recorded.ok;
  }

  /** The checks that failed. */
  failed(): RecordedCheck[] {
    return this.checks.filter((c) => !c.ok);
  }
}

/**
 * The failure of the end-to-end check (UserError `verify.failed`): the message lists every failed
 * check, the fix names the steps that own the causes. `checks` holds every check (passed too) for
 * `maas-wizard verify --output json`.
 */
export class VerifyFailedError extends UserError {
  readonly checks: VerifyCheck[];
  constructor(checks: RecordedCheck[]) {
    const failed = checks.filter((c) => !c.ok);
    const lines = failed.map((c) => `${c.model ? `[${c.model}] ` : ''}${c.what}: expected ${c.expected}, got ${c.got}`);
    const owners = new Map<string, string>();
    for (const c of failed) if (c.owner && !owners.has(c.owner.step)) owners.set(c.owner.step, c.owner.advice);
    const fix = [...owners].map(([step, advice]) => `${advice} (\`maas-wizard retry ${step}\`)`).join('; ');
    super('verify.failed', `${failed.length} of ${checks.length} end-to-end checks failed:\n- ${lines.join('\n- ')}`, {
      fix: fix || 'read the failed checks above, fix the cause, then run `maas-wizard verify` again',
    });
    this.name = 'VerifyFailedError';
    this.checks = checks.map(publicCheck);
  }
}

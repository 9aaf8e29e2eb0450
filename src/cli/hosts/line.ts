/**
 * The line host (CI, pipes, `--plain`): renders the engine's event stream with listr2's
 * `simple` renderer (one task per step: started, what it is doing, "waiting for X: currently Y",
 * progress, plan lines, completed with its time, failed with the error, the fix and the
 * diagnosis), colours per NO_COLOR. With a TTY and `--plain`, questions are asked with
 * @inquirer/prompts (the listr output is held back while a prompt is open); without a TTY it
 * never asks (`interactive` false).
 */
import { Listr, ListrLogger, PRESET_TIMER, ProcessOutput } from 'listr2';
import type { ListrTaskWrapper } from 'listr2';
import type { Host, HostStep } from '../../engine/host.js';
import type { Change, DefaultsContext, EngineEvent, InputField, Question, StepId, StepState } from '../../engine/types.js';
import type { CliInput, CliOutput } from '../io.js';
import { describeChange, describeProgress } from './format.js';
import type { EventSource } from './json.js';
import { promptInputs, promptPlan, promptQuestion } from './prompts.js';
import { UnattendedHost } from './unattended.js';

/** A step as the line host shows it. */
export interface LineStep {
  id: StepId;
  title: string;
  needs: StepId[];
}

/** Options of the line host. */
export interface LineHostOptions {
  stdout: CliOutput;
  stdin: CliInput;
  steps: LineStep[];
  /** True only with a TTY, not CI, not --yes: then forms, plans and questions are prompted. */
  interactive: boolean;
  /** Why nobody can be asked (when not interactive), for error messages. */
  reason?: string;
}

/* eslint-disable @typescript-eslint/no-explicit-any */
type Task = ListrTaskWrapper<any, any, any>;
/* eslint-enable @typescript-eslint/no-explicit-any */

interface StepView {
  task?: Task;
  /** Lines produced before the task started. */
  queued: string[];
  finish?: (outcome: { kind: 'done' } | { kind: 'skip'; reason: string } | { kind: 'fail'; message: string }) => void;
  running?: Promise<void>;
  lastProgress?: string;
  planned?: number;
  diagnosis?: string;
}

/** Writes through to the terminal, or holds lines back while a prompt owns it. */
class Gate {
  #held: string[] = [];
  #paused = false;
  constructor(private readonly out: CliOutput) {}
  write(chunk: string): boolean {
    if (this.#paused) this.#held.push(chunk);
    else this.out.write(chunk);
    return true;
  }
  pause(): void {
    this.#paused = true;
  }
  resume(): void {
    this.#paused = false;
    for (const c of this.#held.splice(0)) this.out.write(c);
  }
}

/**
 * The line host: a Host (prompts when interactive, else an UnattendedHost's behaviour) and a
 * renderer of the event stream. Call `attach(engine)` before `engine.run()` and await
 * `finished()` after it, so every step's line is out before the summary.
 */
export class LineHost implements Host {
  readonly interactive: boolean;
  readonly #opts: LineHostOptions;
  readonly #gate: Gate;
  readonly #logger: ListrLogger;
  readonly #views = new Map<StepId, StepView>();
  readonly #outputs = new Map<StepId, Record<string, unknown>>();
  readonly #unattended: UnattendedHost;
  #tail: Promise<void> = Promise.resolve();
  /** Steps of this run (`run-started`); all steps until then. */
  #inRun: Set<StepId> | undefined;

  constructor(options: LineHostOptions) {
    this.#opts = options;
    this.interactive = options.interactive;
    this.#gate = new Gate(options.stdout);
    const sink = this.#gate as unknown as NodeJS.WriteStream;
    this.#logger = new ListrLogger({ processOutput: new ProcessOutput(sink, sink), useIcons: true, toStderr: [] });
    this.#unattended = new UnattendedHost(options.reason ?? 'nobody can be asked');
  }

  /** Subscribes the renderer to the event stream; returns the unsubscribe function. */
  attach(source: EventSource): () => void {
    return source.on((e) => this.#onEvent(e));
  }

  /** Resolves when every step's task has printed its last line (and the not-started lines are out). */
  async finished(): Promise<void> {
    await Promise.all([...this.#views.values()].map((v) => v.running));
    await this.#tail;
  }

  async askInputs(step: HostStep, fields: InputField[], values: Record<string, unknown>, errors: Record<string, string>): Promise<Record<string, unknown>> {
    if (!this.interactive) return this.#unattended.askInputs(step, fields, values, errors);
    const facts: DefaultsContext = { outputs: (id) => this.#outputs.get(id) };
    return this.#prompting(() => promptInputs(this.#opts, step, fields, values, errors, facts));
  }

  async confirmPlan(step: { id: StepId; title: string }, changes: Change[]): Promise<'apply' | 'abort'> {
    if (!this.interactive) return this.#unattended.confirmPlan(step, changes);
    return this.#prompting(() => promptPlan(this.#opts, step, changes, describeChange));
  }

  async ask(step: StepId, question: Question): Promise<unknown> {
    if (!this.interactive) return this.#unattended.ask(step, question);
    return this.#prompting(() => promptQuestion(this.#opts, question));
  }

  async #prompting<T>(fn: () => Promise<T>): Promise<T> {
    this.#gate.pause();
    try {
      return await fn();
    } finally {
      this.#gate.resume();
    }
  }

  #view(id: StepId): StepView {
    let v = this.#views.get(id);
    if (!v) {
      v = { queued: [] };
      this.#views.set(id, v);
    }
    return v;
  }

  #say(id: StepId, line: string): void {
    const v = this.#view(id);
    if (v.task) v.task.output = line;
    else v.queued.push(line);
  }

  #onEvent(e: EngineEvent): void {
    switch (e.type) {
      case 'state':
        return this.#onState(e.step, e.state, e.error);
      case 'plan': {
        const active = e.changes.filter((c) => c.action !== 'none');
        this.#view(e.step).planned = active.length;
        this.#say(e.step, active.length === 0 ? 'plan: nothing to change' : `plan: ${active.length} change${active.length === 1 ? '' : 's'}`);
        for (const c of active) for (const line of describeChange(c)) this.#say(e.step, `  ${line}`);
        return;
      }
      case 'wait':
        return this.#say(e.step, `waiting for ${e.what}: currently ${e.currently}`);
      case 'progress': {
        const text = describeProgress(e.progress);
        const bucket = `${e.progress.item ?? ''}|${Math.floor((e.progress.fraction ?? 0) * 10)}|${e.progress.message ?? ''}`;
        const v = this.#view(e.step);
        if (v.lastProgress !== bucket) {
          v.lastProgress = bucket;
          this.#say(e.step, text);
        }
        return;
      }
      case 'log':
        if (e.step) this.#say(e.step, `${e.level === 'info' ? '' : `${e.level}: `}${e.message}`);
        else this.#logger.toStdout(`${e.level === 'info' ? '' : `${e.level}: `}${e.message}`);
        return;
      case 'diagnosis':
        this.#view(e.step).diagnosis = `diagnosis: ${e.diagnosis.summary}\n  fix: ${e.diagnosis.fix}`;
        return;
      case 'outputs':
        this.#outputs.set(e.step, e.outputs);
        return;
      case 'run-started':
        this.#inRun = new Set(e.steps);
        return;
      case 'run-finished':
        return this.#onFinished(e.result);
      default:
        return;
    }
  }

  #onState(id: StepId, state: StepState, error?: { message: string; fix?: string }): void {
    if (state === 'pending' || state === 'ready') return;
    const v = this.#view(id);
    if (!v.task && !v.running) this.#start(id, v);
    if (state === 'done') v.finish?.({ kind: 'done' });
    else if (state === 'failed') {
      const lines = [error?.message ?? 'failed', error?.fix ? `fix: ${error.fix}` : '', v.diagnosis ?? ''].filter((l) => l !== '');
      v.finish?.({ kind: 'fail', message: lines.join('\n  ') });
    } else if (state === 'skipped') v.finish?.({ kind: 'skip', reason: 'skipped' });
    else if (state === 'cancelled') v.finish?.({ kind: 'skip', reason: 'cancelled (interrupted)' });
    else this.#say(id, state === 'awaiting-confirmation' ? 'waiting for the plan to be confirmed' : state);
  }

  #onFinished(result: 'done' | 'failed' | 'cancelled'): void {
    for (const [id, v] of this.#views) {
      if (!v.finish) continue;
      if (v.planned !== undefined && result !== 'cancelled') v.finish({ kind: 'done' });
      else v.finish({ kind: 'skip', reason: result === 'cancelled' ? 'cancelled (interrupted)' : `not finished (${id})` });
    }
    const running = [...this.#views.values()].map((v) => v.running);
    this.#tail = Promise.all(running).then(() => this.#reportNotStarted(result));
  }

  #reportNotStarted(result: 'done' | 'failed' | 'cancelled'): void {
    const byId = new Map(this.#opts.steps.map((s) => [s.id, s]));
    for (const s of this.#opts.steps) {
      if (this.#views.get(s.id)?.running || (this.#inRun && !this.#inRun.has(s.id))) continue;
      const waitingOn = s.needs.filter((n) => !this.#isDone(n) && byId.has(n));
      if (waitingOn.length > 0 || result !== 'done') {
        this.#logger.toStdout(`◌ ${s.title} — not started${waitingOn.length ? ` (needs ${waitingOn.join(', ')})` : ''}`);
      }
    }
  }

  #isDone(id: StepId): boolean {
    return this.#outputs.has(id);
  }

  #start(id: StepId, v: StepView): void {
    const title = this.#opts.steps.find((s) => s.id === id)?.title ?? id;
    const outcome = new Promise<Parameters<NonNullable<StepView['finish']>>[0]>((resolve) => {
      v.finish = (o) => {
        v.finish = undefined;
        resolve(o);
      };
    });
    const list = new Listr(
      [
        {
          title,
          task: async (_ctx, task) => {
            v.task = task;
            for (const line of v.queued.splice(0)) task.output = line;
            const o = await outcome;
            if (o.kind === 'skip') task.skip(o.reason);
            if (o.kind === 'fail') throw new Error(o.message);
          },
        },
      ],
      {
        renderer: 'simple',
        exitOnError: false,
        registerSignalListeners: false,
        rendererOptions: { logger: this.#logger, timer: PRESET_TIMER },
      },
    );
    v.running = list.run().then(
      () => undefined,
      () => undefined,
    );
  }
}

/**
 * C13 (FIELD-CASES.md): a kubeconfig `exec` credential plugin that is missing from PATH or exits
 * non-zero makes @kubernetes/client-node throw an unreadable error on the first request. This
 * module checks the plugin before the first call and turns each failure into one sentence.
 *
 * The plugin protocol (client.authentication.k8s.io ExecCredential): the command prints a JSON
 * object whose `status.token` (or client certificate) is the credential, with an optional
 * `status.expirationTimestamp` (RFC 3339).
 */
import { execFile } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { UserError } from '../engine/errors.js';

/** The `exec` section of a kubeconfig user (kubectl field names). */
interface ExecSpec {
  command: string;
  args?: string[];
  env?: { name: string; value: string }[] | null;
}

/** Time given to the plugin, in milliseconds (oc asks nothing when the token is cached). */
const PLUGIN_TIMEOUT_MS = 60_000;

/**
 * Finds an executable on PATH the way a shell does. A command containing a path separator is
 * checked as it is. Returns the full path, or undefined when it is not found or not executable.
 */
export function findOnPath(command: string, env: NodeJS.ProcessEnv): string | undefined {
  const isExecutable = (file: string): boolean => {
    try {
      accessSync(file, constants.X_OK);
      return statSync(file).isFile();
    } catch {
      return false;
    }
  };
  if (command.includes('/') || command.includes(path.sep)) return isExecutable(command) ? command : undefined;
  for (const dir of (env['PATH'] ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, command);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

/**
 * Checks the current user's exec credential plugin, if any: it must be on PATH and, run once,
 * exit 0 and print an ExecCredential whose token has not expired. Does nothing for users
 * without `exec`. The plugin's stdout (the token) is never logged or put into a message.
 * @param env environment for the PATH lookup and the plugin (default `process.env`).
 * @throws UserError `kubeconfig.exec-missing` (command not on PATH; usage: bad kubeconfig, exit 2), `kubeconfig.exec-failed`
 *   (non-zero exit: the command, its exit code and its stderr's first line),
 *   `kubeconfig.exec-invalid` (no command: usage, exit 2; output not an ExecCredential), `auth.expired` (token expired).
 */
export async function checkExecCredential(kc: KubeConfig, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const user = kc.getCurrentUser();
  const exec = (user?.exec ?? (user?.authProvider as { config?: { exec?: unknown } } | undefined)?.config?.exec) as ExecSpec | undefined;
  if (!user || !exec) return;
  const server = kc.getCurrentCluster()?.server ?? '<server>';
  const command = exec.command;
  const shown = [command, ...(exec.args ?? [])].join(' ');
  if (!command) {
    throw new UserError('kubeconfig.exec-invalid', `the kubeconfig user ${user.name} has an exec credential plugin without a command`, {
      fix: `run \`oc login ${server}\` again`,
      usage: true,
    });
  }
  const resolved = findOnPath(command, env);
  if (!resolved) {
    throw new UserError(
      'kubeconfig.exec-missing',
      `the kubeconfig user ${user.name} runs \`${command}\` for credentials, but \`${command}\` is not on PATH; install it or run \`oc login\` again`,
      { fix: `install \`${command}\` (or put it on PATH), or run \`oc login ${server}\` again`, usage: true },
    );
  }
  const childEnv: NodeJS.ProcessEnv = { ...env };
  for (const e of exec.env ?? []) childEnv[e.name] = e.value;
  const result = await new Promise<{ code: number | null; stdout: string; stderr: string; error?: Error }>((resolve) => {
    execFile(resolved, exec.args ?? [], { env: childEnv, timeout: PLUGIN_TIMEOUT_MS, maxBuffer: 1 << 20 }, (error, stdout, stderr) => {
      const code = error ? (typeof (error as { code?: unknown }).code === 'number' ? ((error as { code: number }).code) : null) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr), ...(error && code === null ? { error } : {}) });
    });
  });
  if (result.code !== 0) {
    const firstLine = result.stderr.split('\n').map((l) => l.trim()).find((l) => l.length > 0) ?? result.error?.message ?? 'no output on stderr';
    throw new UserError(
      'kubeconfig.exec-failed',
      `the credential plugin \`${shown}\` of kubeconfig user ${user.name} exited with code ${result.code ?? 'unknown'}: ${firstLine}`,
      { fix: `run \`oc login ${server}\` again` },
    );
  }
  let credential: { status?: { token?: string; clientCertificateData?: string; expirationTimestamp?: string } };
  try {
    credential = JSON.parse(result.stdout) as typeof credential;
  } catch {
    throw new UserError('kubeconfig.exec-invalid', `the credential plugin \`${shown}\` of kubeconfig user ${user.name} did not print an ExecCredential (JSON)`, {
      fix: `run \`oc login ${server}\` again`,
    });
  }
  const status = credential.status;
  if (!status || (!status.token && !status.clientCertificateData)) {
    throw new UserError('kubeconfig.exec-invalid', `the credential plugin \`${shown}\` of kubeconfig user ${user.name} returned no token`, {
      fix: `run \`oc login ${server}\` again`,
    });
  }
  if (status.expirationTimestamp && Date.parse(status.expirationTimestamp) <= Date.now()) {
    throw new UserError('auth.expired', `the credential plugin \`${shown}\` of kubeconfig user ${user.name} returned a token that expired at ${status.expirationTimestamp}`, {
      fix: `run \`oc login ${server}\` again`,
    });
  }
}

/**
 * A throw-away self-signed certificate for the simulated API server's HTTPS listener (kubectl
 * sends its bearer token only over TLS). Made with the `openssl` command (OpenSSL 1.1.1+ for
 * `-addext`), valid for `127.0.0.1` and `localhost`; nothing is written outside a temporary folder,
 * which is removed afterwards.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { TlsOptions } from './listen.js';

const run = promisify(execFile);

/**
 * Generates an RSA 2048 key and a certificate valid `days` days (default 30).
 * Throws when `openssl` is missing or fails (the message names the command).
 */
export async function selfSignedCertificate(days = 30): Promise<TlsOptions> {
  const dir = await mkdtemp(path.join(tmpdir(), 'maas-sim-tls-'));
  try {
    const key = path.join(dir, 'key.pem');
    const cert = path.join(dir, 'cert.pem');
    await run('openssl', [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', String(days),
      '-subj', '/CN=maas-wizard-sim', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
    ], { timeout: 30_000 });
    return { key: await readFile(key, 'utf8'), cert: await readFile(cert, 'utf8') };
  } catch (err) {
    throw new Error(`could not make a self-signed certificate with openssl: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

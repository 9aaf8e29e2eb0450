/**
 * The `curl` line of an exported API call, as a person would make it by hand, with the origin and
 * the credential as shell variables (their values are never in an export):
 * - Keycloak admin REST API (RH-SSO 7.x, paths under `/auth/admin/realms/…`): JSON body,
 *   `Authorization: Bearer $KEYCLOAK_TOKEN`;
 * - 3scale Account Management API: `access_token` in the query for GET and DELETE, else in a
 *   form body with the other parameters (`application/x-www-form-urlencoded`, arrays as `name[]`),
 *   as src/cluster/threescale/http.ts sends them (3SCALE_OPERATIONS.md "How to read the tables").
 */
import type { ApiCall } from '../../engine/types.js';
import { shellWord } from './secrets.js';

/** The shell variables the curl lines use, with how to set them (README). */
export const CURL_VARIABLES: readonly { name: string; service: ApiCall['service']; how: string }[] = [
  { name: 'KEYCLOAK_URL', service: 'keycloak', how: "https://$(oc get route keycloak -n rh-sso -o jsonpath='{.spec.host}')" },
  {
    name: 'KEYCLOAK_TOKEN',
    service: 'keycloak',
    how:
      "$(curl -sS \"$KEYCLOAK_URL/auth/realms/master/protocol/openid-connect/token\" -d grant_type=password -d client_id=admin-cli" +
      " --data-urlencode \"username=$(oc get secret credential-rh-sso -n rh-sso -o jsonpath='{.data.ADMIN_USERNAME}' | base64 -d)\"" +
      " --data-urlencode \"password=$(oc get secret credential-rh-sso -n rh-sso -o jsonpath='{.data.ADMIN_PASSWORD}' | base64 -d)\" | jq -r .access_token)",
  },
  { name: 'THREESCALE_ADMIN_URL', service: '3scale', how: 'https://maas-admin.<wildcard domain>' },
  { name: 'THREESCALE_TOKEN', service: '3scale', how: "$(oc get secret system-seed -n 3scale -o jsonpath='{.data.ADMIN_ACCESS_TOKEN}' | base64 -d)" },
];

/**
 * The command for `call`; `file` is the payload file (relative to the export directory) when the
 * call has a body. Services other than Keycloak and 3scale (S3 uploads) get a comment line.
 */
export function curlLine(call: ApiCall, file: string | undefined): string {
  if (call.service === 'keycloak') {
    const body = file ? ` -H 'Content-Type: application/json' --data @${file}` : '';
    return `curl -sS -X ${call.method} "$KEYCLOAK_URL${call.path}" -H "Authorization: Bearer $KEYCLOAK_TOKEN"${body}`;
  }
  if (call.service === '3scale') {
    if (call.method === 'GET' || call.method === 'DELETE') return `curl -sS -X ${call.method} "$THREESCALE_ADMIN_URL${call.path}?access_token=$THREESCALE_TOKEN"`;
    const fields = formFields(call.body).map(([k, v]) => ` --data-urlencode ${shellWord(`${k}=${v}`)}`);
    return `curl -sS -X ${call.method} "$THREESCALE_ADMIN_URL${call.path}" --data-urlencode "access_token=$THREESCALE_TOKEN"${fields.join('')}`;
  }
  return `# ${call.service} ${call.method} ${call.path}${file ? ` (what: ${file})` : ''}: done by the wizard, no curl equivalent`;
}

/** Form fields of a 3scale body: arrays become repeated `name[]`, objects JSON text, undefined left out. */
function formFields(body: unknown): [string, string][] {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return [];
  const out: [string, string][] = [];
  for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
    if (v === undefined || v === null) continue;
    if (Array.isArray(v)) for (const item of v) out.push([`${k}[]`, text(item)]);
    else out.push([k, text(v)]);
  }
  return out;
}

function text(v: unknown): string {
  return typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
}

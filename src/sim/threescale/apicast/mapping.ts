/**
 * APIcast mapping rule matching (APIcast `mapping_rule.lua`, 3scale docs "Mapping rules"): the
 * pattern matches from the start of the path (a prefix match), a trailing `$` anchors the end,
 * `{name}` matches one path segment, the query string is ignored unless the pattern has one (then
 * each `key=value` must be present, `{name}` as value matching any), the HTTP method must be equal.
 * Every matching rule counts unless a matching rule is marked `last`, which stops the evaluation.
 */
import type { ProxyRule } from '../config.js';

/** A compiled pattern: path regex plus required query parameters (value undefined = any). */
interface Compiled {
  path: RegExp;
  query: [string, string | undefined][];
}

const cache = new Map<string, Compiled>();

function compilePattern(pattern: string): Compiled {
  const hit = cache.get(pattern);
  if (hit) return hit;
  const q = pattern.indexOf('?');
  let pathPart = q >= 0 ? pattern.slice(0, q) : pattern;
  const queryPart = q >= 0 ? pattern.slice(q + 1) : '';
  const anchored = pathPart.endsWith('$');
  if (anchored) pathPart = pathPart.slice(0, -1);
  const source = pathPart
    .split(/(\{[^}]+\})/)
    .map((part) => (/^\{[^}]+\}$/.test(part) ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  const query: [string, string | undefined][] = queryPart
    ? queryPart.split('&').filter(Boolean).map((kv) => {
        const [k, v] = kv.split('=') as [string, string | undefined];
        return [decodeURIComponent(k), v === undefined || /^\{[^}]+\}$/.test(v) ? undefined : decodeURIComponent(v)];
      })
    : [];
  const compiled = { path: new RegExp(`^${source}${anchored ? '$' : ''}`), query };
  cache.set(pattern, compiled);
  return compiled;
}

/** True when one rule matches the request (method, path without query, query parameters). */
export function ruleMatches(rule: Pick<ProxyRule, 'http_method' | 'pattern'>, method: string, path: string, query: URLSearchParams): boolean {
  if (rule.http_method !== 'ANY' && rule.http_method !== method.toUpperCase()) return false;
  const c = compilePattern(rule.pattern);
  if (!c.path.test(path)) return false;
  return c.query.every(([k, v]) => query.has(k) && (v === undefined || query.get(k) === v));
}

/** The rules that count for a request, in order, stopping after a matching `last` rule. */
export function matchingRules(rules: ProxyRule[], method: string, path: string, query: URLSearchParams): ProxyRule[] {
  const out: ProxyRule[] = [];
  for (const rule of rules) {
    if (!ruleMatches(rule, method, path, query)) continue;
    out.push(rule);
    if (rule.last) break;
  }
  return out;
}

/**
 * Human titles of the stages (STAGES.md headings), in a module without Ink so that text
 * renderings (`status --graph`, `plan --graph`) can use them without loading the screen.
 */

/** Title per stage id; unknown stage ids show as they are. */
export const STAGE_TITLES: Record<string, string> = {
  preflight: 'Preflight',
  project: 'Project',
  storage: 'Object storage',
  'data-connection': 'Data connection',
  import: 'Model import',
  serving: 'Serving',
  sso: 'SSO',
  '3scale': '3scale',
  policies: 'Policies',
  portal: 'Portal',
  verify: 'End-to-end check',
};

/** Title of a stage id (the id itself when unknown). */
export function stageTitle(id: string): string {
  return STAGE_TITLES[id] ?? id;
}

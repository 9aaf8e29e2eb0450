#!/usr/bin/env node
// Entry point: runs the compiled CLI (npm run build writes dist/).
import('../dist/src/cli/main.js').catch((err) => {
  if (err && err.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes('dist/src/cli/main.js')) {
    process.stderr.write('maas-wizard: not built yet; run `npm run build` (or ./dev demo) first\n');
    process.exit(2);
  }
  throw err;
});

#!/usr/bin/env node
// Entry point: checks the Node.js version, then runs the compiled CLI (npm run build writes dist/).
const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  process.stderr.write(
    `maas-wizard needs Node.js 22 or newer; this is ${process.version}.\n` +
      'fix: run it through ./dev (it brings Node 24 when the machine has an older one), e.g. ./dev demo\n',
  );
  process.exit(2);
}
import('../dist/src/cli/main.js').catch((err) => {
  if (err && err.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes('dist/src/cli/main.js')) {
    process.stderr.write('maas-wizard: not built yet; run `npm run build` (or ./dev demo) first\n');
    process.exit(2);
  }
  throw err;
});

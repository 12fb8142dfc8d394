// The CLI's own sfdx-project.json schema validation (packaging.md §5.4).
// ORACLE_NM must name the CLI's node_modules directory.
// oracle/validate-project.js ; run: SFDX_PROJECT_JSON_VALIDATION=true node validate-project.js <projectDir>
const path = require('node:path');
const NM = process.env.ORACLE_NM;
const { SfProject, Lifecycle } = require(path.join(NM, '@salesforce/core'));
(async () => {
  Lifecycle.getInstance().onWarning(async (w) => { console.error('WARNING:', w); });
  const project = await SfProject.resolve(process.argv[2]);
  await project.getSfProjectJson().schemaValidate();
  const dirs = project.getPackageDirectories();           // existence + single-default checks
  console.log('valid; packageDirectories:', JSON.stringify(dirs.map((d) => ({ path: d.path, package: d.package, default: d.default }))));
})().catch((e) => { console.error('INVALID:', e.name, e.message); process.exit(1); });

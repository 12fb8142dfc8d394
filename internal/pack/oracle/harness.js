// The packaging library's PackageVersionCreate run with a stubbed Dev Hub
// connection (from shared/reference/packaging.md §5.3), so the exact
// package-version-info.zip the CLI would upload is built offline.
// ORACLE_NM must name the CLI's node_modules directory.
// usage: node harness.js <projectDir> <outDir> ['{"packageId":"Partner1Pkg","installationkeybypass":true, ...options}']
// options are PackageVersionCreateOptions (lower-case flag names: versionname, versionnumber, codecoverage, definitionfile, tag, ...)
// extra: "__containerOptions":"Managed"|"Unlocked", "__apiVersion":"66.0"; env HIGHEST=<05i> makes a released ancestor exist; PRESERVE=1 keeps tmp dir
const path = require('node:path');
const fs = require('node:fs');
const NM = process.env.ORACLE_NM;
const { SfProject } = require(path.join(NM, '@salesforce/core'));
const { PackageVersionCreate } = require(path.join(NM, '@salesforce/packaging/lib/package/packageVersionCreate'));
async function main() {
  const [projectDir, outDir, optsJson] = process.argv.slice(2);
  const extra = optsJson ? JSON.parse(optsJson) : {};
  const containerOptions = extra.__containerOptions || 'Managed';
  const apiVersion = extra.__apiVersion || '66.0';
  delete extra.__containerOptions; delete extra.__apiVersion;
  process.chdir(projectDir);                       // seed/unpackaged paths are resolved against cwd
  const project = await SfProject.resolve(projectDir);
  const queries = []; let captured;
  const tooling = {
    query: async (q) => {
      queries.push(q); let m;
      if (/FROM Package2VersionCreateRequest/i.test(q)) return { totalSize: 1, done: true, records: [{ Id: '08c000000000001AAA', Status: 'Queued', Error: [] }] };
      if (/FROM Package2 WHERE/i.test(q) && /ContainerOptions/.test(q)) return { totalSize: 1, done: true, records: [{ ContainerOptions: containerOptions }] };
      if ((m = q.match(/^SELECT Id FROM Package2 WHERE Id = '([^']+)'/))) return { totalSize: 1, done: true, records: [{ Id: m[1] }] };
      if (/SELECT MAX\(BuildNumber\)/.test(q)) return { totalSize: 1, done: true, records: [{ expr0: 7 }] };
      if ((m = q.match(/^SELECT SubscriberPackageVersionId FROM Package2Version WHERE Package2Id = '([^']+)'/)))
        return { totalSize: 1, done: true, records: [{ SubscriberPackageVersionId: '04tRESOLVED' + m[1].slice(-7) }] };
      if (/FROM Package2Version WHERE SubscriberPackageVersionId/i.test(q)) return { totalSize: 1, done: true, records: [{ Id: '05iANCESTOR0000AAA' }] };
      if (/IsReleased = True AND IsDeprecated = False AND PatchVersion = 0/.test(q) && process.env.HIGHEST)
        return { totalSize: 1, done: true, records: [{ Id: process.env.HIGHEST, SubscriberPackageVersionId: '04tHIGHEST0000AAA', MajorVersion: 1, MinorVersion: 0, PatchVersion: 0 }] };
      if (/SELECT Id, IsReleased FROM Package2Version/.test(q) && process.env.HIGHEST) return { totalSize: 1, done: true, records: [{ Id: process.env.HIGHEST, IsReleased: true }] };
      return { totalSize: 0, done: true, records: [] };   // e.g. no released version yet -> ancestorId ""
    },
    sobject: (name) => ({ retrieve: async (id) => { queries.push(`retrieve ${name} ${id}`); return { Id: id, ContainerOptions: containerOptions }; } }),
    create: async (sobject, request, options) => { captured = { sobject, request, options }; return { success: true, id: '08c000000000001AAA', errors: [] }; },
  };
  const connection = { getApiVersion: () => apiVersion, tooling, getUsername: () => 'hub@example.com' };
  connection.autoFetchQuery = tooling.query; tooling.autoFetchQuery = tooling.query;
  connection.singleRecordQuery = async (q) => (await tooling.query(q)).records[0]; tooling.singleRecordQuery = connection.singleRecordQuery;
  const pvc = new PackageVersionCreate({ connection, project, preserve: !!process.env.PRESERVE, ...extra });
  const t0 = Date.now(); let result;
  try { result = await pvc.createPackageVersion(); } catch (e) {
    console.error('ERROR', e.name, e.message); fs.mkdirSync(outDir, { recursive: true });
    fs.writeFileSync(path.join(outDir, 'queries.txt'), queries.join('\n') + '\n'); process.exit(2);
  }
  fs.mkdirSync(outDir, { recursive: true });
  const req = { ...captured.request };
  fs.writeFileSync(path.join(outDir, 'package-version-info.zip'), Buffer.from(req.VersionInfo, 'base64'));
  req.VersionInfo = `<base64 of ${Buffer.from(req.VersionInfo, 'base64').length} bytes>`;
  fs.writeFileSync(path.join(outDir, 'request.json'), JSON.stringify({ sobject: captured.sobject, request: req, options: captured.options }, null, 2));
  fs.writeFileSync(path.join(outDir, 'queries.txt'), queries.join('\n') + '\n');
  console.log('ok in', Date.now() - t0, 'ms; result status', result && result.Status);
}
main().catch((e) => { console.error(e); process.exit(1); });

#!/usr/bin/env node
// Runs the byocpack binary of this platform. npm installs it as the
// optional dependency @byocpack/<platform>-<arch> whose os and cpu match
// (nothing is downloaded at install time: the binary is in that package).
"use strict";

const { spawnSync } = require("child_process");
const path = require("path");

const pkg = `@byocpack/${process.platform}-${process.arch}`;
const exe = process.platform === "win32" ? "byocpack.exe" : "byocpack";

let bin;
try {
  bin = path.join(path.dirname(require.resolve(`${pkg}/package.json`)), "bin", exe);
} catch {
  console.error(
    `byocpack: ${pkg} is not installed. byocpack has binaries for linux, darwin and win32 on x64 and arm64; ` +
      "reinstall without --no-optional / --omit=optional, or download a release binary from " +
      "https://github.com/byocpack/byocpack/releases"
  );
  process.exit(2);
}

const res = spawnSync(bin, process.argv.slice(2), { stdio: "inherit", windowsHide: true });
if (res.error) {
  console.error(`byocpack: cannot run ${bin}: ${res.error.message}`);
  process.exit(2);
}
if (res.signal) {
  // Die of the same signal, so a caller sees what the binary saw.
  process.kill(process.pid, res.signal);
}
process.exit(res.status === null ? 1 : res.status);

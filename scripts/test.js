#!/usr/bin/env node
// @ts-check
// `npm test`: builds the package (the end-to-end suite installs the packed build into real n8n),
// type-checks the tests too, lints it, runs every jest project, and ends with one plain summary line that any CI can read.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function run(command, args, env = process.env) {
	const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env });
	return result.status ?? 1;
}

if (run(npm, ['run', 'build']) !== 0) process.exit(1);
// jest only transpiles; the tests' own types are checked here.
if (run(npm, ['run', 'typecheck']) !== 0) process.exit(1);
// n8n's node rules are part of the contract with users: a lint failure fails the run.
if (run(npm, ['run', 'lint']) !== 0) process.exit(1);

const report = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cityfibre-jest-')), 'report.json');
const args = ['jest', '--ci', '--json', `--outputFile=${report}`, ...process.argv.slice(2)];
// CITYFIBRE_BUILT: the e2e project's globalSetup packs this build instead of building again.
const status = run('npx', args, { ...process.env, CITYFIBRE_BUILT: '1' });

let summary = 'jest did not write a report';
try {
	const r = JSON.parse(fs.readFileSync(report, 'utf8'));
	summary = `${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests} skipped`;
} catch {
	// the plain line below still tells CI the run failed
}
console.log(`\njest: ${summary}`);
process.exit(status);

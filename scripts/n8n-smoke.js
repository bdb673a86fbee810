#!/usr/bin/env node
// @ts-check
// `npm run n8n:smoke [-- --line 2.x] [-- --package file.tgz]`: proves the real-n8n runtime layer
// end to end on every pinned n8n line (or one): install (cached), start in a temp user folder,
// owner, API key, credential test, a webhook workflow activated through the public API, one POST,
// one stored execution, stop. With --package, the tarball is installed as a community package
// first and its node types must be loaded. Prints a timing line per step; exits non-zero on failure.
'use strict';

const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const rt = require('./n8n-runtime');

/** @param {string} name */
function arg(name) {
	const i = process.argv.indexOf(name);
	return i >= 0 ? process.argv[i + 1] : undefined;
}

/** @param {boolean} ok @param {string} message */
function check(ok, message) {
	if (!ok) throw new Error(`check failed: ${message}`);
}

/**
 * @param {import('./n8n-runtime').Line} line
 * @param {string | undefined} tarball
 */
async function smoke(line, tarball) {
	/** @type {Record<string, number>} */
	const timings = {};
	let t = Date.now();
	const lap = (/** @type {string} */ name) => {
		timings[name] = Date.now() - t;
		t = Date.now();
	};

	const install = await rt.ensureN8n(line);
	lap('ensureN8n');
	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), `cityfibre-smoke-${line}-`));
	let pkg;
	if (tarball) {
		pkg = await rt.installPackageInto(userFolder, tarball, { nodeBin: install.nodeBin });
		lap('installPackageInto');
	}
	const server = await rt.startN8n({ line, userFolder });
	lap('startN8n');
	let ok = false;
	try {
		const { baseUrl } = server;
		const cookie = await rt.setupOwner(baseUrl);
		const apiKey = await rt.createApiKey(baseUrl, cookie);
		lap('owner+apiKey');

		if (pkg) {
			const ours = (await rt.nodeTypeNames(baseUrl, cookie)).filter((n) => n.startsWith(`${pkg.name}.`));
			console.log(`[${line}] node types loaded from ${pkg.name}@${pkg.version}: ${ours.join(', ') || 'none'}`);
			check(ours.length > 0, `n8n loaded no node type of ${pkg.name}; see ${server.logFile}`);
		}

		// Credential test through the editor's endpoint, with n8n's own "n8n API" credential
		// (its test calls our server's public API, so both answers are known in advance).
		const credData = { apiKey, baseUrl: `${baseUrl}/api/v1` };
		const cred = await rt.createCredential(baseUrl, apiKey, { name: 'smoke n8n API', type: 'n8nApi', data: credData });
		const good = await rt.testCredential(baseUrl, cookie, { id: cred.id, name: cred.name, type: 'n8nApi', data: credData });
		const bad = await rt.testCredential(baseUrl, cookie, { id: cred.id, name: cred.name, type: 'n8nApi', data: { ...credData, apiKey: 'wrong' } });
		console.log(`[${line}] credential test: right key ${JSON.stringify(good)}; wrong key ${JSON.stringify(bad)}`);
		check(good.status === 'OK' && bad.status === 'Error', 'credential test answers');
		lap('credentialTest');

		// A webhook workflow. webhookId + a webhook description with isFullPath (the Webhook node
		// has it) makes the production URL simply /webhook/<path>.
		const webhookPath = `smoke-${crypto.randomUUID()}`;
		const workflow = await rt.createWorkflow(baseUrl, apiKey, {
			name: `smoke ${line}`,
			nodes: [{
				id: crypto.randomUUID(),
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: crypto.randomUUID(),
				parameters: { httpMethod: 'POST', path: webhookPath, responseMode: 'onReceived', options: {} },
			}],
			connections: {},
		});
		await rt.activateWorkflow(baseUrl, apiKey, workflow.id);
		lap('createWorkflow+activate');

		const res = await rt.callWebhook(baseUrl, webhookPath, { body: { hello: 'cityfibre' } });
		check(res.status === 200, `webhook answered ${res.status} ${res.text}`);
		const executions = await rt.waitForExecutions(baseUrl, apiKey, workflow.id, { count: 1 });
		const execution = await rt.getExecution(baseUrl, apiKey, executions[0].id);
		const body = execution.data?.resultData?.runData?.Webhook?.[0]?.data?.main?.[0]?.[0]?.json?.body;
		console.log(`[${line}] execution ${execution.id}: status ${execution.status}, body seen by the node ${JSON.stringify(body)}`);
		check(executions.length === 1 && execution.status === 'success' && body?.hello === 'cityfibre', 'one successful execution with our body');
		lap('webhook+execution');
		ok = true;
	} finally {
		await server.stop();
		lap('stop');
		if (ok) fs.rmSync(userFolder, { recursive: true, force: true });
		else console.error(`[${line}] kept ${userFolder} (n8n log: ${server.logFile})`);
	}
	const summary = Object.entries(timings).map(([k, v]) => `${k} ${(v / 1000).toFixed(1)}s`).join(', ');
	console.log(`[${line}] OK n8n ${install.version} on ${install.nodeBin}: ${summary}`);
}

async function main() {
	const only = arg('--line');
	const tarball = arg('--package');
	const lines = /** @type {import('./n8n-runtime').Line[]} */ (only ? [only] : Object.keys(rt.versions.lines));
	// Install every line first (sequentially: two installs at once fight for 2 cores).
	for (const line of lines) await rt.ensureN8n(line);
	for (const line of lines) await smoke(line, tarball);
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});

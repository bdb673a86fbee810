#!/usr/bin/env node
// @ts-check
// `npm run dev [-- --line 1.x] [-- --port 5678] [-- --sandbox-port 41223] [-- --reset]`
//
// A local n8n with this checkout installed as a community package, the CityFibre sandbox, a
// credential for it and the example workflows, ready to click through. Everything lives in
// `.dev/` (gitignored) and is reused by the next run: the owner login, the credential and the
// imported workflows are created once, never twice. Ctrl-C stops everything this script started.
'use strict';

const crypto = require('node:crypto');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const rt = require('./n8n-runtime');
const { startSandboxProcess } = require('./sandbox-process');

const repo = path.resolve(__dirname, '..');
const devDir = path.join(repo, '.dev');
const CREDENTIAL_NAME = 'CityFibre Sandbox (npm run dev)';
const CREDENTIAL_TYPE = 'cityFibreTicketingApi';
const TRIGGER_TYPE = 'n8n-nodes-cityfibre.cityFibreTicketingTrigger';
const FORM_TRIGGER_TYPE = 'n8n-nodes-base.formTrigger';
const BUYER = 'SPDEV1';

/** @param {string} message */
const say = (message) => console.log(message);
/** @param {string} message */
const step = (message) => console.log(`\n▸ ${message}`);
/** @param {string} message */
const log = (message) => console.log(`  ${message}`);

function parseArgs(argv = process.argv.slice(2)) {
	const options = { line: /** @type {'2.x' | '1.x'} */ ('2.x'), port: 5678, sandboxPort: 41223, reset: false };
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		const value = () => {
			const v = argv[++i];
			if (v === undefined) throw new Error(`${arg} needs a value`);
			return v;
		};
		if (arg === '--line') options.line = /** @type {any} */ (value());
		else if (arg === '--port') options.port = Number(value());
		else if (arg === '--sandbox-port') options.sandboxPort = Number(value());
		else if (arg === '--reset') options.reset = true;
		else if (arg === '--help' || arg === '-h') {
			say('npm run dev [-- --line 2.x|1.x] [-- --port 5678] [-- --sandbox-port 41223] [-- --reset]');
			say('  --line          which n8n to run (default 2.x; 1.x is the last 1.x release)');
			say('  --port          n8n editor and webhook port on 127.0.0.1 (default 5678)');
			say('  --sandbox-port  the CityFibre sandbox port on 127.0.0.1 (default 41223)');
			say("  --reset         forget this line's n8n data and the sandbox's tickets and certificates first");
			process.exit(0);
		} else throw new Error(`unknown option ${arg} (try --help)`);
	}
	if (!rt.versions.lines[options.line]) throw new Error(`--line must be one of ${Object.keys(rt.versions.lines).join(', ')}`);
	for (const [name, port] of [['--port', options.port], ['--sandbox-port', options.sandboxPort]]) {
		if (!Number.isInteger(port) || Number(port) < 1 || Number(port) > 65535) throw new Error(`${name} must be a port number`);
	}
	return options;
}

// ---------------------------------------------------------------------------------------------
// Processes: recorded in .dev/processes.json so a run that was killed hard (no Ctrl-C clean-up)
// has its servers stopped by the next run. Only pids whose working folder is inside .dev/ are
// touched: a recycled pid of somebody else's process is left alone.

const processesFile = path.join(devDir, 'processes.json');

/** @returns {{ pid: number, label: string }[]} */
function recordedProcesses() {
	try {
		return JSON.parse(fs.readFileSync(processesFile, 'utf8'));
	} catch {
		return [];
	}
}

/** @param {{ pid: number, label: string }[]} list */
function recordProcesses(list) {
	fs.writeFileSync(processesFile, JSON.stringify(list, null, 2));
}

/** @param {number} pid */
function worksInDevDir(pid) {
	try {
		return fs.readlinkSync(`/proc/${pid}/cwd`).startsWith(devDir + path.sep);
	} catch {
		return false;
	}
}

async function stopLeftoversOfEarlierRun() {
	for (const { pid, label } of recordedProcesses()) {
		if (!worksInDevDir(pid)) continue;
		log(`stopping ${label} (pid ${pid}) left running by an earlier run`);
		try {
			process.kill(-pid, 'SIGTERM');
		} catch {
			continue;
		}
		for (let i = 0; i < 100 && worksInDevDir(pid); i++) await new Promise((r) => setTimeout(r, 100));
		try {
			process.kill(-pid, 'SIGKILL');
		} catch {
			// stopped
		}
	}
	recordProcesses([]);
}

/** @param {number} port */
function portIsFree(port) {
	return new Promise((resolve) => {
		const server = net.createServer();
		server.once('error', () => resolve(false));
		server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
	});
}

// ---------------------------------------------------------------------------------------------
// Build and pack, exactly what `npm publish` would ship.

function buildAndPack() {
	step('Building the package');
	const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: repo, stdio: 'inherit' });
	if (build.status !== 0) throw new Error('the build failed (see above)');
	const packDir = path.join(devDir, 'pack');
	fs.rmSync(packDir, { recursive: true, force: true });
	fs.mkdirSync(packDir, { recursive: true });
	const packed = spawnSync('npm', ['pack', '--silent', '--pack-destination', packDir], { cwd: repo, encoding: 'utf8' });
	if (packed.status !== 0) throw new Error(`npm pack failed: ${packed.stderr}`);
	const tarball = path.join(packDir, packed.stdout.trim().split('\n').pop() || '');
	log(`packed ${path.relative(repo, tarball)}`);
	return tarball;
}

// ---------------------------------------------------------------------------------------------
// The owner login: generated once, kept in .dev/login.json (readable by this user only).

/** @returns {{ email: string, firstName: string, lastName: string, password: string }} */
function devOwner() {
	const file = path.join(devDir, 'login.json');
	try {
		return JSON.parse(fs.readFileSync(file, 'utf8'));
	} catch {
		// n8n wants 8+ characters with a digit and an upper-case letter.
		const password = `Dev-${crypto.randomBytes(9).toString('base64url')}-7A`;
		const owner = { email: 'dev@cityfibre.local', firstName: 'Dev', lastName: 'Owner', password };
		fs.writeFileSync(file, JSON.stringify(owner, null, 2), { mode: 0o600 });
		return owner;
	}
}

/**
 * The public-API key of this user folder, created once and checked on every run.
 * @param {string} baseUrl @param {string} cookie @param {string} userFolder
 */
async function devApiKey(baseUrl, cookie, userFolder) {
	const file = path.join(userFolder, 'dev-api-key');
	if (fs.existsSync(file)) {
		const key = fs.readFileSync(file, 'utf8').trim();
		const probe = await rt.request(baseUrl, 'GET', '/api/v1/workflows?limit=1', { headers: { 'X-N8N-API-KEY': key } });
		if (probe.status === 200) return key;
	}
	const key = await rt.createApiKey(baseUrl, cookie, { label: `npm run dev ${new Date().toISOString()}` });
	fs.writeFileSync(file, key, { mode: 0o600 });
	return key;
}

// ---------------------------------------------------------------------------------------------
// The credential: one, named CREDENTIAL_NAME; updated in place when the sandbox's certificates
// changed (e.g. after --reset), never created twice.

/**
 * @param {string} baseUrl @param {string} cookie
 * @param {Record<string, unknown>} data
 * @returns {Promise<{ id: string, name: string }>}
 */
async function ensureCredential(baseUrl, cookie, data) {
	const list = await rt.rest(baseUrl, cookie, 'GET', '/credentials');
	if (list.status !== 200) throw new Error(`listing credentials: HTTP ${list.status} ${list.text.slice(0, 300)}`);
	/** @type {{ id: string, name: string, type: string }[]} */
	const credentials = list.json.data;
	const existing = credentials.find((c) => c.name === CREDENTIAL_NAME && c.type === CREDENTIAL_TYPE);
	if (existing) {
		const res = await rt.rest(baseUrl, cookie, 'PATCH', `/credentials/${existing.id}`, { name: CREDENTIAL_NAME, type: CREDENTIAL_TYPE, data });
		if (res.status !== 200) throw new Error(`updating the credential: HTTP ${res.status} ${res.text.slice(0, 300)}`);
		log(`credential "${CREDENTIAL_NAME}" found; pointed at the sandbox's current address and certificates`);
		return { id: existing.id, name: CREDENTIAL_NAME };
	}
	// The editor's endpoint, as a user would: n8n 1.x's public API wrongly requires `pkcs12` here.
	const created = await rt.rest(baseUrl, cookie, 'POST', '/credentials', { name: CREDENTIAL_NAME, type: CREDENTIAL_TYPE, data });
	if (created.status !== 200) throw new Error(`creating the credential: HTTP ${created.status} ${created.text.slice(0, 300)}`);
	log(`credential "${CREDENTIAL_NAME}" created`);
	return { id: String(created.json.data.id), name: CREDENTIAL_NAME };
}

// ---------------------------------------------------------------------------------------------
// The example workflows, read from the installed package (so a file missing from the package
// shows up here too). Imported once by name: a workflow the user has since edited is kept as it
// is (--reset starts over); each is activated.

/** @param {string} packageDir */
function exampleWorkflows(packageDir) {
	const dir = path.join(packageDir, 'dist', 'examples');
	if (!fs.existsSync(dir)) return [];
	return fs
		.readdirSync(dir)
		.filter((f) => f.endsWith('.json'))
		.sort()
		.map((file) => ({ file, workflow: JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) }));
}

/**
 * Points every CityFibre node of a workflow at our credential.
 * @param {any} workflow @param {{ id: string, name: string }} credential
 */
function withCredential(workflow, credential) {
	const nodes = workflow.nodes.map((/** @type {any} */ node) =>
		node.credentials?.[CREDENTIAL_TYPE] ? { ...node, credentials: { ...node.credentials, [CREDENTIAL_TYPE]: credential } } : node,
	);
	return { ...workflow, nodes };
}

/** The notification trigger's path in the example workflows: the sandbox's notification URL. */
function notificationPath(/** @type {{ workflow: any }[]} */ examples) {
	for (const { workflow } of examples) {
		const trigger = workflow.nodes.find((/** @type {any} */ n) => n.type === TRIGGER_TYPE);
		if (trigger) return { path: String(trigger.parameters.path), workflowName: String(workflow.name) };
	}
	return undefined;
}

/**
 * @param {string} baseUrl @param {string} apiKey
 * @param {{ file: string, workflow: any }[]} examples @param {{ id: string, name: string }} credential
 */
async function ensureExamples(baseUrl, apiKey, examples, credential) {
	const existing = /** @type {any[]} */ ((await rt.publicApi(baseUrl, apiKey, 'GET', '/workflows?limit=250')).data);
	const imported = [];
	for (const { file, workflow } of examples) {
		let found = existing.find((w) => w.name === workflow.name && !w.isArchived);
		if (found) log(`"${workflow.name}" is already imported (${file}); kept as it is`);
		else {
			found = await rt.createWorkflow(baseUrl, apiKey, withCredential(workflow, credential));
			log(`"${workflow.name}" imported from ${file}`);
		}
		let problem;
		if (!found.active) {
			try {
				await rt.activateWorkflow(baseUrl, apiKey, found.id);
			} catch (error) {
				problem = /** @type {Error} */ (error).message;
				log(`!! "${workflow.name}" could not be activated: ${problem}`);
			}
		}
		imported.push({ id: String(found.id), name: String(workflow.name), workflow, active: !problem });
	}
	return imported;
}

// ---------------------------------------------------------------------------------------------

async function main() {
	const options = parseArgs();
	const started = Date.now();
	fs.mkdirSync(devDir, { recursive: true });
	say(`CityFibre dev environment: n8n ${rt.versions.lines[options.line].version} (${options.line}) with this checkout, the sandbox and the examples`);
	await stopLeftoversOfEarlierRun();
	for (const [flag, port] of [['--port', options.port], ['--sandbox-port', options.sandboxPort]]) {
		if (!(await portIsFree(Number(port)))) throw new Error(`port ${port} on 127.0.0.1 is in use; stop what uses it or pass ${flag} <another port>`);
	}

	const userFolder = path.join(devDir, `n8n-${options.line}`);
	const sandboxDir = path.join(devDir, 'sandbox');
	if (options.reset) {
		step('Resetting');
		fs.rmSync(userFolder, { recursive: true, force: true });
		fs.rmSync(sandboxDir, { recursive: true, force: true });
		log(`removed ${path.relative(repo, userFolder)} and ${path.relative(repo, sandboxDir)}`);
	}

	const tarball = buildAndPack();

	step(`Node.js and n8n ${options.line} (downloaded once into ${rt.cacheDir()}, reused afterwards)`);
	const install = await rt.ensureN8n(options.line, { log });
	log(`n8n ${install.version} on ${install.nodeBin}`);

	step('Installing the package into n8n, as Settings → Community Nodes does');
	const pkg = await rt.installPackageInto(userFolder, tarball, { nodeBin: install.nodeBin, log });
	const examples = exampleWorkflows(pkg.dir);
	const notifications = notificationPath(examples);

	/** @type {{ stop: () => Promise<void>, pid: number }[]} */
	const running = [];
	let stoppingSince = 0;
	const stopAll = async (/** @type {number} */ code) => {
		if (stoppingSince) return;
		stoppingSince = Date.now();
		say('\nStopping n8n and the sandbox… (Ctrl-C again to kill them at once)');
		for (const proc of [...running].reverse()) await proc.stop();
		recordProcesses([]);
		say('Stopped. Your data stays in .dev/ for the next `npm run dev`.');
		process.exit(code);
	};
	const onSignal = () => {
		// A terminal's Ctrl-C reaches npm and this script, and npm forwards it once more: only a
		// signal well after the first one means "hurry".
		if (!stoppingSince) return void stopAll(0);
		if (Date.now() - stoppingSince < 1500) return;
		for (const proc of running) {
			try {
				process.kill(-proc.pid, 'SIGKILL');
			} catch {
				// gone
			}
		}
		recordProcesses([]);
		process.exit(130);
	};
	process.on('SIGINT', onSignal);
	process.on('SIGTERM', onSignal);
	process.on('SIGHUP', onSignal);
	const track = (/** @type {{ stop: () => Promise<void>, pid: number }} */ proc, /** @type {string} */ label) => {
		running.push(proc);
		recordProcesses([...recordedProcesses(), { pid: proc.pid, label }]);
	};

	try {
		step('Starting the CityFibre sandbox');
		const n8nUrl = `http://127.0.0.1:${options.port}`;
		const notifyUrl = notifications ? `${n8nUrl}/webhook/${notifications.path.replace(/^\//, '')}` : undefined;
		const sandbox = await startSandboxProcess({
			dir: sandboxDir,
			port: options.sandboxPort,
			notifyUrl,
			buyers: [BUYER],
			nodeBin: process.execPath,
			log,
		});
		track(sandbox, 'CityFibre sandbox');
		void sandbox.exited.then(() => {
			if (stoppingSince) return;
			say(`\nThe sandbox stopped unexpectedly; its last lines:\n${sandbox.logs().split('\n').slice(-20).join('\n')}`);
			void stopAll(1);
		});
		log(`sandbox at ${sandbox.baseUrl}${notifyUrl ? `, notifying ${notifyUrl}` : ''}`);

		step(`Starting n8n ${install.version}`);
		const server = await rt.startN8n({ line: options.line, userFolder, port: options.port, log });
		track(server, `n8n ${options.line}`);
		void server.exited.then(() => {
			if (stoppingSince) return;
			say(`\nn8n stopped unexpectedly; its last lines:\n${server.logs().split('\n').slice(-20).join('\n')}`);
			void stopAll(1);
		});

		step('Owner, credential and example workflows');
		const owner = devOwner();
		const cookie = await rt.setupOwner(server.baseUrl, owner);
		const apiKey = await devApiKey(server.baseUrl, cookie, userFolder);
		const credentialData = sandbox.credentialData(BUYER);
		const credential = await ensureCredential(server.baseUrl, cookie, credentialData);
		const check = await rt.testCredential(server.baseUrl, cookie, { ...credential, type: CREDENTIAL_TYPE, data: credentialData });
		log(`credential test: ${check.status} — ${check.message}`);
		// The examples' data table (their list of open tickets), created once and linked by id.
		const linked = await rt.withDataTables(server.baseUrl, cookie, examples.map(({ workflow }) => workflow));
		const workflows = await ensureExamples(server.baseUrl, apiKey, examples.map((example, i) => ({ ...example, workflow: linked[i] })), credential);

		const forms = workflows.flatMap(({ name, workflow }) =>
			workflow.nodes
				.filter((/** @type {any} */ n) => n.type === FORM_TRIGGER_TYPE && !n.disabled)
				// Form Trigger 2.2+ keeps its path under options; without one n8n uses the webhookId.
				.map((/** @type {any} */ n) => `${name} → ${n.name}: ${n8nUrl}/form/${n.parameters.options?.path ?? n.parameters.path ?? n.webhookId}`),
		);
		say(`\n✔ Ready in ${Math.round((Date.now() - started) / 1000)} s\n`);
		say(`  n8n editor      ${n8nUrl}`);
		say(`  login           ${owner.email}  /  ${owner.password}`);
		say(`  sandbox         ${sandbox.baseUrl}  (buyer ${BUYER}; certificates in ${path.relative(repo, sandbox.certsDir)}/)`);
		if (notifyUrl) say(`  notifications   ${notifyUrl}  (workflow "${notifications?.workflowName}")`);
		for (const form of forms) say(`  form            ${form}`);
		for (const w of workflows.filter((x) => !x.active)) say(`  !! not active    "${w.name}" (see above)`);
		say(`  logs            ${path.relative(repo, server.logFile)}, ${path.relative(repo, sandbox.logFile)}`);
		say('\nPress Ctrl-C to stop n8n and the sandbox.');
	} catch (error) {
		console.error(`\n✖ ${/** @type {Error} */ (error).message}`);
		await stopAll(1);
	}
}

main().catch((error) => {
	console.error(`\n✖ ${error instanceof Error ? error.message : error}`);
	process.exit(1);
});

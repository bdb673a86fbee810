// @ts-check
// The built sandbox (dist/sandbox/cli.js) as a separate process, for `npm run dev` and the
// end-to-end suite: started in its own process group, ready when it prints its ready line, driven
// through its control interface (HTTPS with the Buyer's client certificate), stopped by pid.
// Plain CommonJS with Node's built-ins only, so both can require it unbuilt.
'use strict';

const fs = require('node:fs');
const https = require('node:https');
const path = require('node:path');
const { spawn } = require('node:child_process');

const repo = path.resolve(__dirname, '..');
/** Must match sandbox/readyLine.ts; checked at start-up by finding the line at all. */
const READY_PREFIX = 'CityFibre sandbox ready ';

/**
 * @typedef {object} ReadyInfo   what the sandbox prints when ready (sandbox/readyLine.ts)
 * @property {string} baseUrl
 * @property {string} rootUrl
 * @property {string} controlUrl
 * @property {number} port
 * @property {string[]} buyers
 * @property {string} ca
 * @property {string} cert
 * @property {string} key
 * @property {string} encryptedKey
 * @property {string} pkcs12
 * @property {string} passphraseFile
 * @property {string} certsDir
 * @property {string} [notifyUrl]
 * @property {string} [stateFile]
 */
/**
 * @typedef {object} SandboxProcess
 * @property {number} pid        also its process group id
 * @property {ReadyInfo} info
 * @property {string} baseUrl
 * @property {string} certsDir
 * @property {string} logFile
 * @property {() => string} logs
 * @property {(method: string, args?: object) => Promise<any>} control   POST <root>/_sandbox/<method>
 * @property {(buyerIdentifier: string) => Record<string, unknown>} credentialData  a cityFibreTicketingApi credential for it
 * @property {() => Promise<void>} stop
 * @property {Promise<{ code: number | null, signal: string | null }>} exited
 */

/**
 * The ready line's content in `text` (the log of this run), or undefined while it has not been
 * written in full: only a line ended by its newline counts, so a read that catches the write
 * half-way waits for the rest instead of failing on half a JSON object.
 * @param {string} text
 * @returns {ReadyInfo | undefined}
 */
function findReadyInfo(text) {
	const complete = text.slice(0, text.lastIndexOf('\n') + 1);
	const line = complete.split('\n').find((l) => l.startsWith(READY_PREFIX));
	return line === undefined ? undefined : JSON.parse(line.slice(READY_PREFIX.length));
}

/** @param {number} ms */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** @param {number} pgid @param {NodeJS.Signals | 0} signal  0 only asks whether the group is alive */
function signalGroup(pgid, signal) {
	try {
		process.kill(-pgid, signal);
		return true;
	} catch {
		return false;
	}
}

/**
 * Starts dist/sandbox/cli.js (build first) and waits for its ready line.
 * @param {{ dir: string, port?: number, notifyUrl?: string, buyers?: string[], clockSpeed?: number,
 *   autoProgress?: boolean, seed?: number, holdProbability?: number, serviceIds?: string[],
 *   nodeBin?: string, log?: (m: string) => void, timeoutMs?: number }} options
 *   dir holds certs/, state.json and sandbox.log
 * @returns {Promise<SandboxProcess>}
 */
async function startSandboxProcess(options) {
	const { dir, port = 0, notifyUrl, buyers = [], clockSpeed, autoProgress = true, seed, holdProbability, serviceIds = [] } = options;
	const { nodeBin = process.execPath, log = () => undefined, timeoutMs = 30_000 } = options;
	const cli = path.join(repo, 'dist', 'sandbox', 'cli.js');
	if (!fs.existsSync(cli)) throw new Error(`${cli} is missing: run \`npm run build\` first`);
	fs.mkdirSync(dir, { recursive: true });
	const args = [cli, '--host', '127.0.0.1', '--port', String(port), '--certs', path.join(dir, 'certs'), '--state', path.join(dir, 'state.json')];
	if (notifyUrl) args.push('--notify', notifyUrl);
	if (buyers.length) args.push('--buyer', buyers.join(','));
	if (serviceIds.length) args.push('--service', serviceIds.join(','));
	if (clockSpeed !== undefined) args.push('--clock-speed', String(clockSpeed));
	if (seed !== undefined) args.push('--seed', String(seed));
	if (holdProbability !== undefined) args.push('--hold-probability', String(holdProbability));
	if (!autoProgress) args.push('--no-auto-progress');

	const logFile = path.join(dir, 'sandbox.log');
	const out = fs.openSync(logFile, 'a');
	// The log is appended across runs (npm run dev): this run's part starts at this byte.
	const startOffset = fs.fstatSync(out).size;
	const child = spawn(nodeBin, args, { cwd: dir, detached: true, stdio: ['ignore', out, out] });
	fs.closeSync(out);
	const pid = /** @type {number} */ (child.pid);
	/** @type {{ code: number | null, signal: string | null } | undefined} */
	let ended;
	const exited = new Promise((resolve) => {
		child.on('exit', (code, signal) => resolve((ended = { code, signal })));
		child.on('error', (error) => resolve((ended = { code: null, signal: String(error) })));
	});
	const killOnExit = () => signalGroup(pid, 'SIGKILL');
	process.on('exit', killOnExit);
	// Bytes, not characters: the log holds multi-byte text (→), so a character offset would land
	// past the start of this run and miss its ready line.
	const logs = () => {
		try {
			return fs.readFileSync(logFile).subarray(startOffset).toString('utf8');
		} catch {
			return '';
		}
	};
	const stop = async () => {
		process.off('exit', killOnExit);
		if (!ended) {
			signalGroup(pid, 'SIGTERM'); // the sandbox saves its state file on SIGTERM
			const forced = setTimeout(killOnExit, 10_000);
			await exited;
			clearTimeout(forced);
		}
		for (let i = 0; i < 50 && signalGroup(pid, 0); i++) await sleep(100);
	};

	/** @type {ReadyInfo | undefined} */
	let info;
	const started = Date.now();
	while (!info) {
		info = findReadyInfo(logs());
		if (info) break;
		if (ended) throw new Error(`the sandbox exited (${JSON.stringify(ended)}) before it was ready:\n${logs().slice(-3000)}`);
		else if (Date.now() - started > timeoutMs) {
			await stop();
			throw new Error(`the sandbox was not ready within ${timeoutMs} ms:\n${logs().slice(-3000)}`);
		} else await sleep(100);
	}
	const ready = /** @type {ReadyInfo} */ (info);
	log(`sandbox ready at ${ready.baseUrl} (pid ${pid}) in ${((Date.now() - started) / 1000).toFixed(1)} s`);

	const tls = { cert: fs.readFileSync(ready.cert, 'utf8'), key: fs.readFileSync(ready.key, 'utf8'), ca: fs.readFileSync(ready.ca, 'utf8') };
	const agent = new https.Agent({ ...tls, keepAlive: true, maxSockets: 4 });

	/** @param {string} method @param {object} [args] */
	const control = (method, args = {}) =>
		new Promise((resolve, reject) => {
			const body = Buffer.from(JSON.stringify(args));
			const url = new URL(`${ready.controlUrl.replace(/\/$/, '')}/${method}`);
			const req = https.request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': body.length }, timeout: 120_000 }, (res) => {
				/** @type {Buffer[]} */
				const chunks = [];
				res.on('data', (c) => chunks.push(c));
				res.on('end', () => {
					const text = Buffer.concat(chunks).toString('utf8');
					if ((res.statusCode || 0) >= 300) return reject(new Error(`sandbox control ${method}: HTTP ${res.statusCode} ${text.slice(0, 500)}`));
					try {
						resolve(JSON.parse(text));
					} catch {
						resolve(text);
					}
				});
			});
			req.on('timeout', () => req.destroy(new Error(`sandbox control ${method} timed out`)));
			req.on('error', reject);
			req.end(body);
		});

	/** @param {string} buyerIdentifier */
	const credentialData = (buyerIdentifier) => ({
		environment: 'sandbox',
		baseUrl: ready.baseUrl,
		buyerIdentifier,
		certificateFormat: 'pem',
		certificate: tls.cert,
		privateKey: tls.key,
		caBundle: tls.ca,
		passphrase: '',
		timeoutSeconds: 30,
	});

	return {
		pid,
		info: ready,
		baseUrl: ready.baseUrl,
		certsDir: ready.certsDir,
		logFile,
		logs,
		control,
		credentialData,
		stop: async () => {
			agent.destroy();
			await stop();
		},
		exited: /** @type {Promise<any>} */ (exited),
	};
}

module.exports = { startSandboxProcess, findReadyInfo, READY_PREFIX };

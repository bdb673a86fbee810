/**
 * The sandbox as users run it: `node dist/sandbox/cli.js` in its own process, found through its
 * one ready line, called over mutual TLS with the certificate files it names, driven through its
 * control interface, stopped with SIGTERM, and started again on the same state file.
 */
import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import type { ReadyInfo } from '../../sandbox';
import { READY_PREFIX, formatReadyLine, parseReadyLine } from '../../sandbox';
import type { ClientTls } from '../support/https';
import { callOperation, request } from '../support/https';
import type { Receiver } from '../support/receiver';
import { startReceiver } from '../support/receiver';
import { faultReportValues } from '../support/sandbox';

const repo = path.resolve(__dirname, '../..');

// The same script `npm run dev` and the end-to-end suite start the sandbox with.
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { findReadyInfo } = require('../../scripts/sandbox-process') as { findReadyInfo: (text: string) => ReadyInfo | undefined };

/** Newest modification time of the files the sandbox is built from. */
function newestSource(): number {
	const dirs = ['sandbox', 'nodes/CityFibre/catalogue', 'nodes/CityFibre/codec'].map((d) => path.join(repo, d));
	return Math.max(...dirs.flatMap((d) => fs.readdirSync(d).filter((f) => f.endsWith('.ts')).map((f) => fs.statSync(path.join(d, f)).mtimeMs)));
}

/**
 * dist/sandbox/cli.js when `npm run build` made it from the current sources; otherwise the
 * sandbox is compiled on its own into .tmp (inside the repository, so node_modules resolve).
 */
function builtCli(): string {
	const dist = path.join(repo, 'dist', 'sandbox', 'cli.js');
	if (fs.existsSync(dist) && fs.statSync(dist).mtimeMs >= newestSource()) return dist;
	const out = path.join(repo, '.tmp', `sandbox-cli-${process.pid}`);
	const tsc = path.join(repo, 'node_modules', 'typescript', 'bin', 'tsc');
	execFileSync(process.execPath, [tsc, '--outDir', out, '--module', 'commonjs', '--target', 'es2022', '--esModuleInterop', '--resolveJsonModule', '--skipLibCheck', '--strict', path.join(repo, 'sandbox', 'cli.ts')], {
		stdio: 'pipe',
	});
	return path.join(out, 'sandbox', 'cli.js');
}

interface Running {
	child: ChildProcess;
	info: ReadyInfo;
	output: () => string;
	/** What it wrote to stdout alone, and to stderr alone. */
	printedOut: () => string;
	errors: () => string;
	exited: Promise<number | null>;
}

/** Every process a test started, so none outlives the suite even when a test fails half-way. */
const children = new Set<ChildProcess>();

function run(cli: string, args: string[], cwd?: string): Promise<Running> {
	const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'], cwd });
	children.add(child);
	child.on('exit', () => children.delete(child));
	let output = '';
	let errors = '';
	let printedOut = '';
	child.stdout?.on('data', (d: Buffer) => {
		output += d.toString('utf8');
		printedOut += d.toString('utf8');
	});
	child.stderr?.on('data', (d: Buffer) => {
		output += d.toString('utf8');
		errors += d.toString('utf8');
	});
	const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => {
			child.kill('SIGKILL');
			reject(new Error(`no ready line within 20 s:\n${output}`));
		}, 20_000);
		const check = () => {
			const line = output.split('\n').find((l) => l.startsWith(READY_PREFIX));
			const info = line && parseReadyLine(line);
			if (!info) return;
			clearTimeout(timer);
			child.stdout?.off('data', check);
			resolve({ child, info, output: () => output, printedOut: () => printedOut, errors: () => errors, exited });
		};
		child.stdout?.on('data', check);
		void exited.then((code) => {
			clearTimeout(timer);
			reject(new Error(`exited with ${code} before it was ready:\n${output}`));
		});
	});
}

async function stop(running: Running): Promise<number | null> {
	running.child.kill('SIGTERM');
	return running.exited;
}

function tlsFrom(info: ReadyInfo): ClientTls {
	return { cert: fs.readFileSync(info.cert, 'utf8'), key: fs.readFileSync(info.key, 'utf8'), ca: fs.readFileSync(info.ca, 'utf8') };
}

/** Resolves once the process has printed `text` (its output arrives through a pipe, a little later). */
async function printed(running: Running, text: string): Promise<string> {
	for (let i = 0; i < 200 && !running.output().includes(text); i++) await new Promise((r) => setTimeout(r, 10));
	return running.output();
}

async function control(info: ReadyInfo, tls: ClientTls, method: string, args: Record<string, unknown> = {}) {
	const answer = await request(`${info.controlUrl}/${method}`, JSON.stringify(args), tls, { headers: { 'Content-Type': 'application/json' } });
	return JSON.parse(answer.body) as Record<string, unknown>;
}

let cli: string;
let dir: string;
let receiver: Receiver;

beforeAll(async () => {
	cli = builtCli();
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cityfibre-cli-'));
	receiver = await startReceiver();
}, 60_000);
afterAll(async () => {
	for (const child of children) child.kill('SIGKILL');
	await receiver?.close();
	fs.rmSync(dir, { recursive: true, force: true });
	if (cli && !cli.startsWith(path.join(repo, 'dist'))) fs.rmSync(path.resolve(cli, '../..'), { recursive: true, force: true });
});

describe('cityfibre-sandbox, as a separate process', () => {
	it('starts, serves over mutual TLS, notifies, stops on SIGTERM and resumes from its state file', async () => {
		const args = [
			'--port', '0',
			'--certs', path.join(dir, 'certs'),
			'--state', path.join(dir, 'state.json'),
			'--buyer', 'SPDEV1,SPOTHER2',
			'--service', 'CLI-SVC-1',
			'--notify', receiver.url,
			'--no-auto-progress',
			'--passphrase', 'cli-test-passphrase',
		];
		const first = await run(cli, args);
		const { info } = first;
		expect(new URL(info.baseUrl).pathname).toBe('/cfsit/api2');
		expect(info.buyers).toEqual(['SPDEV1', 'SPOTHER2']);
		for (const file of [info.ca, info.cert, info.key, info.encryptedKey, info.pkcs12, info.passphraseFile]) expect(fs.existsSync(file)).toBe(true);
		expect(first.output().startsWith(READY_PREFIX)).toBe(true);
		expect(first.output().split('\n').filter((l) => l.startsWith(READY_PREFIX))).toHaveLength(1);
		expect(info).toMatchObject({ autoProgress: false, clockSpeed: 60, seed: expect.any(Number) });

		const tls = tlsFrom(info);
		const values = faultReportValues({ serviceAffected: 'CLI-SVC-1' });
		const raised = await callOperation(info.baseUrl, 'addFaultReport', values, tls, { buyerIdentifier: 'SPOTHER2' });
		expect(raised.message.body).toMatchObject({ status: 'Pending', buyerIdentifier: 'SPOTHER2' });
		const viaBundle = await callOperation(info.baseUrl, 'requestServiceDiagnostics', { serviceId: 'CLI-SVC-1' }, {
			pfx: fs.readFileSync(info.pkcs12),
			passphrase: fs.readFileSync(info.passphraseFile, 'utf8').trim(),
			ca: tls.ca,
		});
		expect(viaBundle.status).toBe(200);
		const accepted = await control(info, tls, 'setStatus', { ref: values.buyerFaultReference, status: 'Accepted' });
		expect(accepted).toMatchObject({ status: 'Accepted', maintainerFaultReference: 'CF-000001' });
		await control(info, tls, 'idle');
		expect(receiver.acknowledged().map((r) => [r.buyerFaultReference, r.events[0]])).toEqual([[values.buyerFaultReference, 'accepted']]);

		const log = await printed(first, 'acknowledged');
		expect(log).toMatch(/addFaultReport messageId=\S+ ref=ISP-FLT-\S+ → 200 ok: Pending/);
		expect(log).toContain('acknowledged');
		expect(log).not.toContain('cli-test-passphrase');
		expect(log).not.toContain('PRIVATE KEY');
		expect(await stop(first)).toBe(0);

		const second = await run(cli, args);
		try {
			expect(await printed(second, 'restored from')).toContain(`1 ticket restored from ${path.join(dir, 'state.json')}`);
			expect(fs.readFileSync(second.info.cert, 'utf8')).toBe(tls.cert);
			const ticket = await control(second.info, tls, 'ticket', { ref: values.buyerFaultReference });
			expect(ticket).toMatchObject({ status: 'Accepted', maintainerFaultReference: 'CF-000001', buyerIdentifier: 'SPOTHER2' });
			const again = await callOperation(second.info.baseUrl, 'addFaultReport', values, tls, { buyerIdentifier: 'SPOTHER2' });
			expect(again.message.body).toMatchObject({ status: 'Rejected', responseCode: '409' });
		} finally {
			expect(await stop(second)).toBe(0);
		}
	}, 40_000);

	it('prints errors on stderr even when quiet: a state file it can no longer write, named by its full path', async () => {
		const stateDir = path.join(dir, 'quiet');
		fs.mkdirSync(stateDir);
		const running = await run(cli, ['--port', '0', '--certs', path.join(dir, 'certs'), '--state', 'quiet/state.json', '--quiet'], dir);
		try {
			expect(running.info.stateFile).toBe(path.join(stateDir, 'state.json'));
			fs.rmSync(stateDir, { recursive: true, force: true });
			fs.writeFileSync(stateDir, 'a file where the state folder was');
			await control(running.info, tlsFrom(running.info), 'addServices', { serviceIds: ['QUIET-SVC-1'] });
			await printed(running, 'state not saved');
			expect(running.errors()).toContain(`state not saved to ${path.join(stateDir, 'state.json')}`);
			expect(running.printedOut().trim().split('\n')).toEqual([expect.stringMatching(/^CityFibre sandbox ready /)]);
		} finally {
			await stop(running);
		}
	});

	it('refuses an unknown flag with the usage text and exit code 2', () => {
		let failure: { status?: number; stderr?: Buffer } = {};
		try {
			execFileSync(process.execPath, [cli, '--colour', 'blue'], { stdio: 'pipe' });
		} catch (error) {
			failure = error as typeof failure;
		}
		expect(failure.status).toBe(2);
		expect(String(failure.stderr)).toContain("Unknown option '--colour'");
		expect(String(failure.stderr)).toContain('Usage: cityfibre-sandbox');
	});

	it('says which port is taken when it cannot listen', async () => {
		const first = await run(cli, ['--port', '0', '--certs', path.join(dir, 'certs'), '--quiet']);
		try {
			let failure: { status?: number; stderr?: Buffer } = {};
			try {
				execFileSync(process.execPath, [cli, '--port', String(first.info.port), '--certs', path.join(dir, 'certs')], { stdio: 'pipe' });
			} catch (error) {
				failure = error as typeof failure;
			}
			expect(failure.status).toBe(1);
			expect(String(failure.stderr)).toContain(`port ${first.info.port} is in use`);
			expect(first.output().trim().split('\n')).toHaveLength(1);
		} finally {
			await stop(first);
		}
	});
});

describe('the ready line, as scripts/sandbox-process.js finds it in the log', () => {
	const info = { baseUrl: 'https://127.0.0.1:41223/cfsit/api2', port: 41223, buyers: ['SPDEV1'], ca: '/certs/ca.crt' } as unknown as ReadyInfo;
	const line = formatReadyLine(info);

	it('is not read while it is still being written, and is read once its newline arrives', () => {
		const earlier = '12:00:00.000 an earlier run\n';
		expect(findReadyInfo(`${earlier}${line.slice(0, line.length - 20)}`)).toBeUndefined();
		expect(findReadyInfo(`${earlier}${line}`)).toBeUndefined();
		expect(findReadyInfo(`${earlier}${line}\n12:00:01.000 addFaultReport`)).toEqual(info);
	});
});

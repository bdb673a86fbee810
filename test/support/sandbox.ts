/**
 * The sandbox for test suites: a real in-process sandbox on 127.0.0.1 with its own temporary
 * folder (state file, logs), and one certificate set per test process, made once and reused
 * (RSA key generation is the slow part). Defaults suit tests: no automatic progress (tests drive
 * tickets through the control interface), a fast notification retry, a fixed seed, a clock at
 * real speed.
 *
 *   const sandbox = useSandbox({ notifyUrl: receiver.url });  // beforeAll/afterAll registered
 *   it('...', async () => { const sb = sandbox(); await callOperation(sb.baseUrl, ...); });
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import type { WritableObject } from '../../nodes/CityFibre/codec';
import type { Sandbox, SandboxOptions } from '../../sandbox';
import { ensureSandboxCertificates, startSandbox } from '../../sandbox';
import type { ClientTls } from './https';
import { buyerTls, callOperation } from './https';
import type { ReceivedNotification, Receiver } from './receiver';
import { startReceiver } from './receiver';

/** Quick retries, so retry tests take milliseconds. */
export const TEST_DELIVERY = { attempts: 6, baseDelayMs: 25, maxDelayMs: 200, timeoutMs: 2_000 };

/** The passphrase of the test certificate set (test-only material, made per process). */
export const TEST_PASSPHRASE = 'sandbox-test-passphrase';

let certsDir: string | undefined;
const CERTS_PREFIX = 'cityfibre-sandbox-certs-';

function alive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

/**
 * Removes the certificate folders of test processes that have ended. (Jest's sandboxed `process`
 * does not reliably run exit hooks, so each process sweeps up after the ones before it.)
 */
function sweepStaleCertsDirs(): void {
	for (const name of fs.readdirSync(os.tmpdir())) {
		const pid = Number(name.slice(CERTS_PREFIX.length));
		if (name.startsWith(CERTS_PREFIX) && Number.isInteger(pid) && pid !== process.pid && !alive(pid)) {
			fs.rmSync(path.join(os.tmpdir(), name), { recursive: true, force: true });
		}
	}
}

/** This process's certificate folder: made on first use, then reused by every suite it runs. */
export function testCertsDir(): string {
	if (certsDir && fs.existsSync(certsDir)) return certsDir;
	sweepStaleCertsDirs();
	certsDir = path.join(os.tmpdir(), `${CERTS_PREFIX}${process.pid}`);
	ensureSandboxCertificates(certsDir, { passphrase: TEST_PASSPHRASE });
	return certsDir;
}

export interface TestSandbox extends Sandbox {
	/** A private temporary folder (removed by `stop`). */
	dir: string;
	/** The Buyer's certificate and the sandbox's CA, ready for `postXml`/`callOperation`. */
	tls: ClientTls;
	/** Every log line the sandbox wrote. */
	logs: string[];
	/** Closes the sandbox and removes its folder (unless `keepDir`). */
	stop(options?: { keepDir?: boolean }): Promise<void>;
}

export async function startTestSandbox(options: SandboxOptions = {}): Promise<TestSandbox> {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cityfibre-sandbox-'));
	const logs: string[] = [];
	const sandbox = await startSandbox({
		certsDir: testCertsDir(),
		passphrase: TEST_PASSPHRASE,
		autoProgress: false,
		seed: 1,
		// Real time unless a test speeds it up: dates computed by a test and by the sandbox agree.
		clockSpeed: 1,
		...options,
		delivery: { ...TEST_DELIVERY, ...options.delivery },
		log: (line, level) => {
			logs.push(line);
			options.log?.(line, level);
		},
	});
	return {
		...sandbox,
		dir,
		tls: buyerTls(sandbox),
		logs,
		async stop(stopOptions = {}) {
			await sandbox.close();
			if (!stopOptions.keepDir) fs.rmSync(dir, { recursive: true, force: true });
		},
	};
}

/**
 * One sandbox for a describe block: started in beforeAll, stopped in afterAll. Options may be a
 * function, evaluated in beforeAll (e.g. to use a receiver's URL started in an earlier hook).
 */
export function useSandbox(options: SandboxOptions | (() => SandboxOptions) = {}): () => TestSandbox {
	let sandbox: TestSandbox | undefined;
	beforeAll(async () => {
		sandbox = await startTestSandbox(typeof options === 'function' ? options() : options);
	});
	afterAll(async () => {
		await sandbox?.stop();
	});
	return () => {
		if (!sandbox) throw new Error('the sandbox is not started yet (use it inside a test or a later hook)');
		return sandbox;
	};
}

let references = 0;

/** A buyerFaultReference no other test in this run uses. */
export function uniqueReference(prefix = 'ISP-FLT'): string {
	return `${prefix}-${process.pid}-${++references}`;
}

/** A valid addFaultReport (header left to `callOperation`): an Impaired Service fault on SERVICE-0001. */
export function faultReportValues(overrides: WritableObject = {}): WritableObject {
	return {
		reportDateTime: '2025-06-02T08:40:00Z',
		reporterContactDetails: { phone: '01632960001', email: 'noc@isp.example', name: 'Alex Reporter' },
		endUserContactDetails: { phone: '07700900123', name: 'Sam Customer' },
		serviceAffected: 'SERVICE-0001',
		buyerFaultReference: uniqueReference(),
		faultDetails: {
			description: 'No connectivity since 07:30; ONT PON light off',
			type: 'Impaired Service',
			faultStartTime: '2025-06-02T07:30:00Z',
			faultLocation: 'End-user premises',
			triageComplete: true,
			triageFindings: 'ONT Service Up; CFM Up',
		},
		...overrides,
	};
}

/** Raises a fault report on `sandbox` and expects it Pending; returns its reference. */
export async function raiseFaultReport(sandbox: TestSandbox, overrides: WritableObject = {}): Promise<string> {
	const result = await callOperation(sandbox.baseUrl, 'addFaultReport', faultReportValues(overrides), sandbox.tls);
	if (result.status !== 200 || result.message.body.status !== 'Pending') {
		throw new Error(`addFaultReport was not Pending: HTTP ${result.status} ${result.body}`);
	}
	return String(result.sent.buyerFaultReference);
}

export interface NotifiedSandbox {
	sandbox: () => TestSandbox;
	/** The Buyer's endpoint the sandbox notifies (started first, stopped last). */
	receiver: () => Receiver;
	/** What the receiver acknowledged for one ticket, in arrival order. */
	acknowledgedFor: (ref: string) => ReceivedNotification[];
}

/** A sandbox for a describe block that notifies a test receiver (see receiver.ts). */
export function useNotifiedSandbox(options: SandboxOptions = {}): NotifiedSandbox {
	let receiver: Receiver | undefined;
	beforeAll(async () => {
		receiver = await startReceiver();
	});
	const sandbox = useSandbox(() => ({ notifyUrl: current().url, ...options }));
	afterAll(async () => {
		await receiver?.close();
	});
	const current = () => {
		if (!receiver) throw new Error('the receiver is not started yet (use it inside a test or a later hook)');
		return receiver;
	};
	return {
		sandbox,
		receiver: current,
		acknowledgedFor: (ref) => current().acknowledged().filter((r) => r.buyerFaultReference === ref),
	};
}

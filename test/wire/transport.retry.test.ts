/**
 * The retry rule over the wire, with the sandbox's fault injection: a call is repeated only where
 * a repeat cannot create a second ticket. Never reached CityFibre (refused, reset before the
 * request went out) → every operation; may have reached it (timeout, 5xx, cut after sending) →
 * read-like operations only; 4xx → never. A repeat carries the same messageId.
 */
import type { OperationName } from '../../nodes/CityFibre/catalogue';
import { readMessage } from '../../nodes/CityFibre/codec';
import type { CityFibreCredentials, CityFibreResult } from '../../nodes/CityFibre/transport';
import { CityFibreError, callCityFibre, closeAllAgents } from '../../nodes/CityFibre/transport';
import { sandboxCredentials } from '../support/badCerts';
import { closedPort, startResettingFront, startSilentServer, until } from '../support/network';
import { SecretCollector } from '../support/secrets';
import { faultReportValues, useSandbox } from '../support/sandbox';

const sandbox = useSandbox();
const secrets = new SecretCollector();
const FAST = { retry: { baseDelayMs: 5, maxDelayMs: 20 } };
const diagnostics = { serviceId: 'SERVICE-0001' };

beforeAll(() => {
	secrets.addBuyerMaterial(sandbox().certs.buyer);
	secrets.captureConsole();
});

afterAll(() => {
	secrets.stopCapture();
	closeAllAgents();
});

afterEach(() => sandbox().control.clearFaults());

function credentials(overrides: Partial<CityFibreCredentials> = {}): CityFibreCredentials {
	return sandboxCredentials(sandbox(), overrides);
}

async function call(operation: OperationName, values: Record<string, unknown>, overrides: Partial<CityFibreCredentials> = {}, options = {}): Promise<CityFibreResult> {
	return secrets.observe(`callCityFibre ${operation}`, callCityFibre(credentials(overrides), operation, values as never, { ...FAST, ...options }));
}

async function failure(operation: OperationName, values: Record<string, unknown>, overrides: Partial<CityFibreCredentials> = {}, options = {}): Promise<CityFibreError> {
	const error = await call(operation, values, overrides, options).then(
		() => undefined,
		(e: unknown) => e,
	);
	if (!(error instanceof CityFibreError)) throw new Error(`expected a CityFibreError, got ${String(error)}`);
	return error;
}

/** The calls of `operation` the sandbox received since `from` (an exchange count). */
function received(operation: string, from: number) {
	return sandbox().control.exchanges({ operation }).slice(from);
}

function count(operation: string): number {
	return sandbox().control.exchanges({ operation }).length;
}

/** The messageId inside each received request, read from the XML the sandbox recorded. */
function messageIdsOf(exchanges: Array<{ requestXml?: string }>): string[] {
	return exchanges.map((e) => String(readMessage(e.requestXml ?? '').body.messageId));
}

describe('never reached CityFibre: every operation is repeated', () => {
	it('a connection reset before the request was written: addFaultReport is repeated and raises one ticket', async () => {
		const front = await startResettingFront(sandbox().port, 2);
		try {
			const before = count('addFaultReport');
			const values = faultReportValues();
			const result = await call('addFaultReport', values, { baseUrl: `https://127.0.0.1:${front.port}/cfsit/api2` });
			expect(result.attempts).toBe(3);
			expect(front.resets).toBe(2);
			expect(received('addFaultReport', before).map((e) => e.messageId)).toEqual([result.messageId]);
			expect(sandbox().control.tickets().filter((t) => t.buyerFaultReference === values.buyerFaultReference)).toHaveLength(1);
		} finally {
			await front.close();
		}
	});

	it('connection refused: amendFaultReport is tried three times, then reported unreachable', async () => {
		const port = await closedPort();
		const error = await failure('amendFaultReport', { buyerFaultReference: 'X' }, { baseUrl: `https://127.0.0.1:${port}/cfsit/api2` });
		expect(error).toMatchObject({ kind: 'network', outcome: 'unreachable', attempts: 3 });
	});
});

describe('may have reached CityFibre: only read-like operations are repeated', () => {
	it('HTTP 500: requestServiceDiagnostics is repeated with the same messageId until it succeeds', async () => {
		const before = count('requestServiceDiagnostics');
		sandbox().control.injectFault({ kind: 'status', status: 500, count: 2, operation: 'requestServiceDiagnostics' });
		const result = await call('requestServiceDiagnostics', diagnostics);
		expect(result).toMatchObject({ httpStatus: 200, attempts: 3 });
		expect(messageIdsOf(received('requestServiceDiagnostics', before))).toEqual([result.messageId, result.messageId, result.messageId]);
	});

	it('HTTP 500 every time: requestServiceDiagnostics gives up after three attempts with the fault', async () => {
		sandbox().control.injectFault({ kind: 'status', status: 500, count: 5, operation: 'requestServiceDiagnostics' });
		const error = await failure('requestServiceDiagnostics', diagnostics);
		expect(error).toMatchObject({ kind: 'fault', code: '500', httpStatus: 500, attempts: 3, message: 'Service unavailable' });
	});

	it('HTTP 503: amendFaultReport is not repeated', async () => {
		const before = count('amendFaultReport');
		sandbox().control.injectFault({ kind: 'status', status: 503, count: 2, operation: 'amendFaultReport' });
		const error = await failure('amendFaultReport', { buyerFaultReference: 'X' });
		expect(error).toMatchObject({ kind: 'fault', httpStatus: 503, attempts: 1 });
		expect(received('amendFaultReport', before)).toHaveLength(1);
	});

	it('a timeout: requestServiceDiagnostics is repeated with the same messageId', async () => {
		const before = count('requestServiceDiagnostics');
		sandbox().control.injectFault({ kind: 'delay', ms: 1_500, operation: 'requestServiceDiagnostics' });
		const result = await call('requestServiceDiagnostics', diagnostics, { timeoutSeconds: 0.4 });
		expect(result.attempts).toBe(2);
		// The sandbox records the delayed call when its late answer goes out.
		await until(() => received('requestServiceDiagnostics', before).length === 2);
		expect(messageIdsOf(received('requestServiceDiagnostics', before))).toEqual([result.messageId, result.messageId]);
	});

	it('a timeout: addFaultReport is not repeated — the sandbox raised the ticket anyway, which is why', async () => {
		const before = count('addFaultReport');
		const values = faultReportValues();
		sandbox().control.injectFault({ kind: 'delay', ms: 1_500, operation: 'addFaultReport' });
		const error = await failure('addFaultReport', values, { timeoutSeconds: 0.4 });
		expect(error).toMatchObject({ kind: 'timeout', outcome: 'timeout', attempts: 1, message: `127.0.0.1:${sandbox().port} did not answer in time.` });
		await until(() => received('addFaultReport', before).length > 0);
		expect(received('addFaultReport', before)).toHaveLength(1);
		expect(sandbox().control.tickets().filter((t) => t.buyerFaultReference === values.buyerFaultReference)).toHaveLength(1);
	});

	it('a timeout before the TLS session was up: requestServiceDiagnostics is repeated, then reported as a timeout', async () => {
		const silent = await startSilentServer();
		try {
			const error = await failure('requestServiceDiagnostics', diagnostics, { baseUrl: `https://127.0.0.1:${silent.port}/cfsit/api2`, timeoutSeconds: 0.3 });
			expect(error).toMatchObject({ kind: 'timeout', outcome: 'timeout', attempts: 3 });
			expect(silent.connections).toBe(3);
		} finally {
			await silent.close();
		}
	});

	it('a timeout before the TLS session was up: addFaultReport is not repeated, as the rule says of every timeout', async () => {
		const silent = await startSilentServer();
		try {
			const error = await failure('addFaultReport', faultReportValues(), { baseUrl: `https://127.0.0.1:${silent.port}/cfsit/api2`, timeoutSeconds: 0.3 });
			expect(error).toMatchObject({ kind: 'timeout', outcome: 'timeout', attempts: 1, message: `127.0.0.1:${silent.port} did not answer in time.` });
			expect(silent.connections).toBe(1);
		} finally {
			await silent.close();
		}
	});

	it('a connection cut after the request was read: requestServiceDiagnostics is repeated', async () => {
		sandbox().control.injectFault({ kind: 'drop', at: 'afterRead', operation: 'requestServiceDiagnostics' });
		expect((await call('requestServiceDiagnostics', diagnostics)).attempts).toBe(2);
	});

	it('a connection cut after the request was read: addFaultReport is not repeated, and its ticket exists', async () => {
		const values = faultReportValues();
		sandbox().control.injectFault({ kind: 'drop', at: 'afterRead', operation: 'addFaultReport' });
		const error = await failure('addFaultReport', values);
		expect(error).toMatchObject({ kind: 'network', attempts: 1 });
		expect(sandbox().control.tickets().filter((t) => t.buyerFaultReference === values.buyerFaultReference)).toHaveLength(1);
	});

	it('a connection cut right after the handshake: requestServiceDiagnostics is repeated on a new connection', async () => {
		sandbox().control.injectFault({ kind: 'drop', at: 'handshake' });
		expect((await call('requestServiceDiagnostics', diagnostics)).attempts).toBe(2);
	});

	// Over TLS 1.3 the client sends its request before the server has finished the handshake, so
	// a cut at the handshake looks, to the client, exactly like a cut after sending.
	it('a connection cut right after the handshake is not repeated for amendFaultReport: the client had sent its request', async () => {
		const before = count('amendFaultReport');
		sandbox().control.injectFault({ kind: 'drop', at: 'handshake' });
		const error = await failure('amendFaultReport', { buyerFaultReference: 'X' });
		expect(error).toMatchObject({ kind: 'network', attempts: 1 });
		expect(received('amendFaultReport', before)).toHaveLength(0);
	});

	it('a connection cut as the request arrives is not repeated for amendFaultReport: the client cannot know it was not read', async () => {
		const before = count('amendFaultReport');
		sandbox().control.injectFault({ kind: 'drop', at: 'beforeRead', operation: 'amendFaultReport' });
		const error = await failure('amendFaultReport', { buyerFaultReference: 'X' });
		expect(error).toMatchObject({ kind: 'network', attempts: 1 });
		expect(received('amendFaultReport', before).map((e) => e.outcome)).toEqual(['injected']);
	});
});

describe('an answer in the 4xx range is never repeated', () => {
	it.each([400, 401, 403, 404, 429])('HTTP %i for requestServiceDiagnostics: one attempt', async (status) => {
		const before = count('requestServiceDiagnostics');
		sandbox().control.injectFault({ kind: 'status', status, count: 3, operation: 'requestServiceDiagnostics' });
		const error = await failure('requestServiceDiagnostics', diagnostics);
		expect(error).toMatchObject({ httpStatus: status, attempts: 1 });
		expect(received('requestServiceDiagnostics', before)).toHaveLength(1);
	});
});

describe('cancelling', () => {
	it('stops a call waiting for its answer, without a repeat', async () => {
		sandbox().control.injectFault({ kind: 'delay', ms: 1_000, operation: 'requestServiceDiagnostics' });
		const controller = new AbortController();
		setTimeout(() => controller.abort(), 100);
		const error = await failure('requestServiceDiagnostics', diagnostics, {}, { signal: controller.signal });
		expect(error).toMatchObject({ kind: 'network', outcome: 'aborted', attempts: 1, message: 'The call was cancelled.' });
	});
});

describe('secrets', () => {
	it('appear in no result, error or console output of this suite', () => {
		expect(secrets.recordedCount).toBeGreaterThan(15);
		expect(secrets.leaks()).toEqual([]);
	});
});

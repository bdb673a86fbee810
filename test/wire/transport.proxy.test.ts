/**
 * Calls through an HTTPS proxy taken from the environment (HTTPS_PROXY / NO_PROXY), as an ISP's
 * allow-listed egress requires: a CONNECT tunnel with mutual TLS end to end inside it, still one
 * handshake for many calls, and the proxy's failures explained without its password.
 */
import type { CityFibreCredentials } from '../../nodes/CityFibre/transport';
import { CityFibreError, callCityFibre, closeAllAgents, testConnection } from '../../nodes/CityFibre/transport';
import { sandboxCredentials } from '../support/badCerts';
import type { ConnectProxy } from '../support/network';
import { closedPort, startConnectProxy, startResettingFront } from '../support/network';
import { SecretCollector } from '../support/secrets';
import { faultReportValues, useSandbox } from '../support/sandbox';

const sandbox = useSandbox();
const secrets = new SecretCollector();
const diagnostics = { serviceId: 'SERVICE-0001' };
const PROXY_VARIABLES = ['HTTPS_PROXY', 'https_proxy', 'ALL_PROXY', 'all_proxy', 'NO_PROXY', 'no_proxy'];
const saved: Record<string, string | undefined> = {};
let proxy: ConnectProxy;

beforeAll(async () => {
	for (const name of PROXY_VARIABLES) {
		saved[name] = process.env[name];
		delete process.env[name];
	}
	proxy = await startConnectProxy();
	secrets.addBuyerMaterial(sandbox().certs.buyer).addSecret('proxy password', 'pr0xy-s3cret-word');
	secrets.captureConsole();
});

afterEach(() => {
	for (const name of PROXY_VARIABLES) delete process.env[name];
	closeAllAgents();
});

afterAll(async () => {
	secrets.stopCapture();
	await proxy.close();
	for (const name of PROXY_VARIABLES) if (saved[name] !== undefined) process.env[name] = saved[name];
});

function credentials(overrides: Partial<CityFibreCredentials> = {}): CityFibreCredentials {
	return sandboxCredentials(sandbox(), overrides);
}

function call(creds = credentials(), options = {}) {
	return secrets.observe('callCityFibre', callCityFibre(creds, 'requestServiceDiagnostics', diagnostics, options));
}

async function failure(creds = credentials(), options = {}): Promise<CityFibreError> {
	const error = await call(creds, options).then(
		() => undefined,
		(e: unknown) => e,
	);
	if (!(error instanceof CityFibreError)) throw new Error(`expected a CityFibreError, got ${String(error)}`);
	return error;
}

describe('HTTPS_PROXY', () => {
	it('sends calls through one CONNECT tunnel, with one TLS handshake for many calls', async () => {
		process.env.HTTPS_PROXY = proxy.url;
		const tunnels = proxy.tunnels.length;
		const handshakes = sandbox().control.stats().handshakes;
		for (let i = 0; i < 10; i++) expect((await call()).httpStatus).toBe(200);
		expect(proxy.tunnels.slice(tunnels)).toEqual([`127.0.0.1:${sandbox().port}`]);
		expect(sandbox().control.stats().handshakes - handshakes).toBe(1);
	});

	it('is honoured by the credential test, which says it went through the proxy', async () => {
		process.env.https_proxy = proxy.url;
		const result = await secrets.observe('testConnection', testConnection(credentials()));
		expect(result.ok).toBe(true);
		expect(result.message).toContain(` through the proxy ${proxy.url} with mutual TLS`);
	});

	it('is skipped for hosts NO_PROXY lists', async () => {
		process.env.HTTPS_PROXY = proxy.url;
		process.env.NO_PROXY = 'localhost,127.0.0.1';
		const tunnels = proxy.tunnels.length;
		expect((await call()).httpStatus).toBe(200);
		expect(proxy.tunnels.length).toBe(tunnels);
	});
});

describe('an IPv6 address as the base URL host', () => {
	let dialling: ConnectProxy;
	beforeAll(async () => {
		dialling = await startConnectProxy({ dial: { '::1': '127.0.0.1' } });
	});
	afterAll(() => dialling.close());

	it('is asked of the proxy in brackets, as authority form requires, and the call goes through', async () => {
		process.env.HTTPS_PROXY = dialling.url;
		const base = new URL(sandbox().baseUrl);
		base.hostname = '[::1]';
		expect((await call(credentials({ baseUrl: base.href }))).httpStatus).toBe(200);
		expect(dialling.tunnels).toEqual([`[::1]:${sandbox().port}`]);
		expect(dialling.hosts).toEqual([`[::1]:${sandbox().port}`]);
	});
});

describe('a proxy that wants a password', () => {
	let guarded: ConnectProxy;
	beforeAll(async () => {
		guarded = await startConnectProxy({ requireAuth: 'isp-user:pr0xy-s3cret-word' });
	});
	afterAll(() => guarded.close());

	it('gets it from the user:password in the proxy URL, as Basic proxy authentication', async () => {
		process.env.HTTPS_PROXY = `http://isp-user:pr0xy-s3cret-word@127.0.0.1:${guarded.port}`;
		expect((await call()).httpStatus).toBe(200);
		expect(guarded.authorizations.at(-1)).toBe(`Basic ${Buffer.from('isp-user:pr0xy-s3cret-word').toString('base64')}`);
	});

	it('refusing the tunnel is a "network" error naming the proxy and its answer, without the password, not repeated', async () => {
		process.env.HTTPS_PROXY = `http://isp-user:wrong-word@127.0.0.1:${guarded.port}`;
		const error = await failure(credentials(), { retry: { baseDelayMs: 5, maxDelayMs: 10 } });
		expect(error).toMatchObject({
			kind: 'network',
			outcome: 'proxyFailed',
			attempts: 1,
			message: `The proxy http://127.0.0.1:${guarded.port} refused the tunnel: HTTP 407 Proxy Authentication Required.`,
		});
		expect(JSON.stringify({ ...error, message: error.message })).not.toContain('wrong-word');
	});
});

describe('a proxy that is down', () => {
	it('is a "network" error naming the proxy, repeated like any refused connection', async () => {
		const port = await closedPort();
		process.env.HTTPS_PROXY = `http://127.0.0.1:${port}`;
		const error = await failure(credentials(), { retry: { baseDelayMs: 5, maxDelayMs: 10 } });
		expect(error).toMatchObject({
			kind: 'network',
			outcome: 'proxyFailed',
			attempts: 3,
			message: `The proxy http://127.0.0.1:${port} cannot be reached (ECONNREFUSED).`,
		});
	});
});

describe('a proxy that resets the connection', () => {
	it('is repeated like a refused connection, for addFaultReport too: nothing reached CityFibre', async () => {
		const front = await startResettingFront(proxy.port, 2);
		try {
			process.env.HTTPS_PROXY = `http://127.0.0.1:${front.port}`;
			const values = faultReportValues();
			const result = await secrets.observe(
				'callCityFibre addFaultReport',
				callCityFibre(credentials(), 'addFaultReport', values, { retry: { baseDelayMs: 5, maxDelayMs: 10 } }),
			);
			expect(result).toMatchObject({ httpStatus: 200, attempts: 3 });
			expect(front.resets).toBe(2);
			expect(sandbox().control.tickets().filter((t) => t.buyerFaultReference === values.buyerFaultReference)).toHaveLength(1);
		} finally {
			await front.close();
		}
	});
});

describe('secrets', () => {
	it('appear in no result, error or console output of this suite', () => {
		expect(secrets.recordedCount).toBeGreaterThan(10);
		expect(secrets.leaks()).toEqual([]);
	});
});

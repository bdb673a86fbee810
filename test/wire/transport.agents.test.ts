/**
 * Connection reuse, counted on the sandbox: one keep-alive agent per distinct credential, so many
 * calls cost one TLS handshake; the pool is keyed by a hash of the material, never the material;
 * an agent is retired when its credential is saved with new material.
 */
import type { CityFibreCredentials } from '../../nodes/CityFibre/transport';
import { agentPoolStats, callCityFibre, closeAllAgents } from '../../nodes/CityFibre/transport';
import { sandboxCredentials } from '../support/badCerts';
import { until } from '../support/network';
import { SecretCollector } from '../support/secrets';
import { useSandbox } from '../support/sandbox';

const sandbox = useSandbox();
const secrets = new SecretCollector();
const diagnostics = { serviceId: 'SERVICE-0001' };

beforeAll(() => {
	secrets.addBuyerMaterial(sandbox().certs.buyer);
	secrets.captureConsole();
});

beforeEach(() => closeAllAgents());

afterAll(() => {
	secrets.stopCapture();
	closeAllAgents();
});

function credentials(overrides: Partial<CityFibreCredentials> = {}): CityFibreCredentials {
	return sandboxCredentials(sandbox(), overrides);
}

function pkcs12Credentials(overrides: Partial<CityFibreCredentials> = {}): CityFibreCredentials {
	const { buyer } = sandbox().certs;
	return credentials({ certificateFormat: 'pkcs12', pkcs12: buyer.pkcs12Base64, passphrase: buyer.passphrase, ...overrides });
}

async function callMany(creds: CityFibreCredentials, times: number): Promise<void> {
	for (let i = 0; i < times; i++) {
		const result = await secrets.observe('callCityFibre', callCityFibre(creds, 'requestServiceDiagnostics', diagnostics));
		expect(result.httpStatus).toBe(200);
	}
}

const handshakes = () => sandbox().control.stats().handshakes;

describe('connection reuse', () => {
	it('makes 50 calls with one credential over one TLS handshake', async () => {
		const before = handshakes();
		await callMany(credentials(), 50);
		expect(handshakes() - before).toBe(1);
		expect(agentPoolStats().agents).toBe(1);
	});

	it('gives each distinct credential its own agent: one handshake each', async () => {
		const before = handshakes();
		await callMany(credentials(), 20);
		await callMany(pkcs12Credentials(), 20);
		await callMany(credentials(), 5);
		expect(handshakes() - before).toBe(2);
		expect(agentPoolStats().agents).toBe(2);
	});

	it('treats the same material pasted differently (Windows line endings) as the same credential', async () => {
		const { buyer } = sandbox().certs;
		const before = handshakes();
		await callMany(credentials(), 3);
		await callMany(credentials({ certificate: buyer.cert.replace(/\n/g, '\r\n'), privateKey: `  ${buyer.key.trim()}` }), 3);
		expect(handshakes() - before).toBe(1);
	});

	it('keys the pool by a SHA-256 of the material, never the material itself', async () => {
		await callMany(credentials(), 1);
		await callMany(pkcs12Credentials(), 1);
		const { keys } = agentPoolStats();
		expect(keys).toHaveLength(2);
		for (const key of keys) expect(key).toMatch(/^[0-9a-f]{64}$/);
		secrets.record('pool keys', keys);
	});
});

describe('a credential that changes', () => {
	it('retires the old agent and its idle connection when the same credential is saved with new material', async () => {
		const { buyer } = sandbox().certs;
		const before = handshakes();
		await callMany(credentials({ credentialId: 'cred-1' }), 3);
		const oldKey = agentPoolStats().keys[0];
		await callMany(credentials({ credentialId: 'cred-1', privateKey: buyer.encryptedKey, passphrase: buyer.passphrase }), 3);
		expect(agentPoolStats().agents).toBe(1);
		expect(agentPoolStats().keys).not.toContain(oldKey);
		expect(handshakes() - before).toBe(2);
		await until(() => sandbox().control.stats().openConnections === 1);
		expect(sandbox().control.stats().openConnections).toBe(1);
	});

	it('keeps both agents when two stored credentials differ', async () => {
		await callMany(credentials({ credentialId: 'cred-a' }), 1);
		await callMany(pkcs12Credentials({ credentialId: 'cred-b' }), 1);
		expect(agentPoolStats().agents).toBe(2);
	});
});

describe('secrets', () => {
	it('appear in no result, pool key or console output of this suite', () => {
		expect(secrets.recordedCount).toBeGreaterThan(50);
		expect(secrets.leaks()).toEqual([]);
	});
});

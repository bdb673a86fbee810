/**
 * The credential test, over real mutual TLS against the sandbox: each outcome a user can meet,
 * in the words the n8n editor shows. Bad certificates are made per run, signed by the sandbox's
 * own CA where only one thing is to be wrong with them.
 */
import type { ICredentialTestFunctions } from 'n8n-workflow';

import { cityFibreTicketingApiTest, credentialTest, CREDENTIAL_TEST_NAME } from '../../nodes/CityFibre/methods/credentialTest';
import type { CityFibreCredentials } from '../../nodes/CityFibre/transport';
import { testConnection } from '../../nodes/CityFibre/transport';
import type { BadCertificates } from '../support/badCerts';
import { createBadCertificates, sandboxCredentials } from '../support/badCerts';
import { closedPort } from '../support/network';
import { SecretCollector } from '../support/secrets';
import { useSandbox } from '../support/sandbox';

const sandbox = useSandbox();
const secrets = new SecretCollector();
let bad: BadCertificates;
let host: string;

beforeAll(() => {
	bad = createBadCertificates(sandbox().certs.ca);
	host = `127.0.0.1:${sandbox().port}`;
	secrets.addBuyerMaterial(sandbox().certs.buyer);
	for (const [name, pair] of Object.entries(bad)) secrets.addSecret(`${name} key`, pair.key);
	secrets.addSecret('encrypted passphrase', bad.encrypted.passphrase).addSecret('wrong passphrase', bad.encrypted.wrongPassphrase);
	secrets.captureConsole();
});

afterAll(() => secrets.stopCapture());

afterEach(() => sandbox().control.clearFaults());

/** PEM credentials for the sandbox: the Buyer's own certificate unless told otherwise. */
function pem(overrides: Partial<CityFibreCredentials> = {}): CityFibreCredentials {
	return sandboxCredentials(sandbox(), overrides);
}

function check(credentials: CityFibreCredentials) {
	return secrets.observe('testConnection', testConnection(credentials));
}

describe('the credential test reports success', () => {
	it('for the PEM certificate and key, naming the certificate and its end date', async () => {
		const result = await check(pem());
		expect(result.ok).toBe(true);
		expect(result.outcome).toBe('connected');
		const validTo = new Date(result.certificate!.validTo).toISOString().slice(0, 10);
		expect(result.message).toBe(
			`Connected to ${host} with mutual TLS: the server accepted the client certificate (CN=SPDEV1, O=CityFibre Sandbox Buyer, valid until ${validTo}).`,
		);
	});

	it('for the PKCS#12 bundle with its passphrase', async () => {
		const { buyer } = sandbox().certs;
		const result = await check(pem({ certificateFormat: 'pkcs12', pkcs12: buyer.pkcs12Base64, passphrase: buyer.passphrase }));
		expect(result).toMatchObject({ ok: true, outcome: 'connected' });
	});

	it('for an encrypted key with its passphrase', async () => {
		const { buyer } = sandbox().certs;
		expect(await check(pem({ privateKey: buyer.encryptedKey, passphrase: buyer.passphrase }))).toMatchObject({ ok: true });
	});

	it('for PEM text mangled by copy-paste (Windows line endings, indentation, no final newline)', async () => {
		const { buyer } = sandbox().certs;
		const mangle = (text: string) => `  ${text.trimEnd().replace(/\n/g, '\r\n  ')}`;
		expect(await check(pem({ certificate: mangle(buyer.cert), privateKey: mangle(buyer.key) }))).toMatchObject({ ok: true });
	});

	it('through the n8n credential-test function the node lists as testedBy', async () => {
		const { buyer, ca } = sandbox().certs;
		const data = { environment: 'sandbox', baseUrl: sandbox().baseUrl, buyerIdentifier: 'SPDEV1', certificateFormat: 'pem', certificate: buyer.cert, privateKey: buyer.key, caBundle: ca.cert };
		expect(credentialTest[CREDENTIAL_TEST_NAME]).toBe(cityFibreTicketingApiTest);
		const answer = await secrets.observe(
			'credentialTest',
			cityFibreTicketingApiTest.call({} as ICredentialTestFunctions, { id: '1', name: 'CityFibre sandbox', type: 'cityFibreTicketingApi', data }),
		);
		expect(answer.status).toBe('OK');
		expect(answer.message).toMatch(/^Connected to 127\.0\.0\.1:\d+ with mutual TLS/);
	});
});

describe('the credential test explains each failure in plain words', () => {
	it('certificate and key do not match', async () => {
		const result = await check(pem({ certificate: bad.mismatchedKey.cert, privateKey: bad.mismatchedKey.key }));
		expect(result).toMatchObject({ ok: false, outcome: 'keyMismatch' });
		expect(result.message).toMatch(/^The private key does not belong to the client certificate\. Paste the private key that belongs/);
	});

	it('wrong passphrase for an encrypted key', async () => {
		const result = await check(pem({ certificate: bad.encrypted.cert, privateKey: bad.encrypted.key, passphrase: bad.encrypted.wrongPassphrase }));
		expect(result).toMatchObject({ ok: false, outcome: 'wrongPassphrase' });
		expect(result.message).toMatch(/^The passphrase does not open the private key\./);
	});

	it('wrong passphrase for a PKCS#12 bundle', async () => {
		const result = await check(pem({ certificateFormat: 'pkcs12', pkcs12: sandbox().certs.buyer.pkcs12Base64, passphrase: 'not the passphrase' }));
		expect(result).toMatchObject({ ok: false, outcome: 'wrongPassphrase' });
		expect(result.message).toMatch(/^The passphrase does not open the PKCS#12 bundle\./);
	});

	it('certificate expired, with the date', async () => {
		const result = await check(pem({ certificate: bad.expired.cert, privateKey: bad.expired.key }));
		expect(result).toMatchObject({ ok: false, outcome: 'certificateExpired' });
		expect(result.message).toMatch(/^The client certificate expired on \d{4}-\d{2}-\d{2}\. Ask CityFibre for a renewed client certificate/);
	});

	it('certificate not yet valid, with the date', async () => {
		const result = await check(pem({ certificate: bad.notYetValid.cert, privateKey: bad.notYetValid.key }));
		expect(result).toMatchObject({ ok: false, outcome: 'certificateNotYetValid' });
		expect(result.message).toMatch(/^The client certificate is not valid yet: it becomes valid on \d{4}-\d{2}-\d{2}\./);
	});

	it('server not trusted: the sandbox CA is not in the CA bundle', async () => {
		const result = await check(pem({ caBundle: undefined }));
		expect(result).toMatchObject({ ok: false, outcome: 'serverNotTrusted' });
		expect(result.message).toMatch(
			new RegExp(`^The server at ${host.replace(/\./g, '\\.')} is not trusted: its certificate is signed by an unknown certificate authority\\. If the server uses a private CA`),
		);
	});

	it('certificate refused by the server: signed by a CA the server does not know', async () => {
		const result = await check(pem({ certificate: bad.otherCa.cert, privateKey: bad.otherCa.key }));
		expect(result).toMatchObject({ ok: false, outcome: 'certificateRefused' });
		expect(result.message).toMatch(/refused the client certificate\. The server does not accept this client certificate/);
	});

	it('certificate refused by the server: HTTP 401 with a CityFibre fault', async () => {
		sandbox().control.injectFault({ kind: 'status', status: 401 });
		const result = await check(pem());
		expect(result).toMatchObject({ ok: false, outcome: 'certificateRefused', httpStatus: 401 });
		expect(result.message).toMatch(new RegExp(`^The server at ${host.replace(/\./g, '\\.')} refused the client certificate \\(HTTP 401: Service unavailable — Fault injected by the CityFibre sandbox\\)\\.`));
	});

	it('accepted but not permitted: HTTP 403', async () => {
		sandbox().control.injectFault({ kind: 'status', status: 403 });
		const result = await check(pem());
		expect(result).toMatchObject({ ok: false, outcome: 'notPermitted', httpStatus: 403 });
		expect(result.message).toContain("egress IP address is on CityFibre's allow-list");
	});

	it('host unreachable: nothing listens on the port', async () => {
		const port = await closedPort();
		const result = await check(pem({ baseUrl: `https://127.0.0.1:${port}/cfsit/api2` }));
		expect(result).toMatchObject({ ok: false, outcome: 'unreachable' });
		expect(result.message).toMatch(new RegExp(`^127\\.0\\.0\\.1:${port} is unreachable: the connection was refused\\.`));
	});

	it('timed out: the server answers later than the request timeout', async () => {
		sandbox().control.injectFault({ kind: 'delay', ms: 2_000 });
		const result = await check(pem({ timeoutSeconds: 0.3 }));
		expect(result).toMatchObject({ ok: false, outcome: 'timeout' });
		expect(result.message).toMatch(new RegExp(`^${host.replace(/\./g, '\\.')} did not answer within 0\\.3 seconds\\.`));
	});

	it('base URL malformed', async () => {
		const result = await check(pem({ environment: 'custom', baseUrl: 'http://127.0.0.1:41223/cfsit/api2' }));
		expect(result).toMatchObject({ ok: false, outcome: 'badUrl' });
		expect(result.message).toMatch(/^The base URL must start with https:\/\//);
	});

	it('reports a failure to n8n as an Error status with the same words', async () => {
		const answer = await secrets.observe(
			'credentialTest',
			cityFibreTicketingApiTest.call({} as ICredentialTestFunctions, {
				id: '1',
				name: 'broken',
				type: 'cityFibreTicketingApi',
				data: { environment: 'sandbox', baseUrl: sandbox().baseUrl, buyerIdentifier: 'SPDEV1', certificateFormat: 'pem', certificate: bad.expired.cert, privateKey: bad.expired.key },
			}),
		);
		expect(answer.status).toBe('Error');
		expect(answer.message).toMatch(/^The client certificate expired on /);
	});
});

describe('secrets', () => {
	it('appear in no result, message or console output of this suite', () => {
		expect(secrets.recordedCount).toBeGreaterThan(15);
		expect(secrets.leaks()).toEqual([]);
	});
});

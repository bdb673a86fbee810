/**
 * `callCityFibre` against the sandbox over real mutual TLS: what a result holds, what each kind of
 * refusal becomes, both certificate forms, and TLS problems in the credential test's words.
 */
import { readMessage } from '../../nodes/CityFibre/codec';
import type { CityFibreCredentials } from '../../nodes/CityFibre/transport';
import { CityFibreError, callCityFibre, closeAllAgents } from '../../nodes/CityFibre/transport';
import type { BadCertificates } from '../support/badCerts';
import { createBadCertificates, sandboxCredentials } from '../support/badCerts';
import { closedPort } from '../support/network';
import { SecretCollector } from '../support/secrets';
import { faultReportValues, useSandbox } from '../support/sandbox';

const sandbox = useSandbox();
const secrets = new SecretCollector();
let bad: BadCertificates;

beforeAll(() => {
	bad = createBadCertificates(sandbox().certs.ca);
	secrets.addBuyerMaterial(sandbox().certs.buyer);
	for (const [name, pair] of Object.entries(bad)) secrets.addSecret(`${name} key`, pair.key);
	secrets.addSecret('encrypted passphrase', bad.encrypted.passphrase);
	secrets.captureConsole();
});

afterAll(() => {
	secrets.stopCapture();
	closeAllAgents();
});

function credentials(overrides: Partial<CityFibreCredentials> = {}): CityFibreCredentials {
	return sandboxCredentials(sandbox(), overrides);
}

/** Calls and records the outcome for the leak check. */
function call(...args: Parameters<typeof callCityFibre>) {
	return secrets.observe(`callCityFibre ${args[1]}`, callCityFibre(...args));
}

/** The CityFibreError a call fails with. */
async function failure(...args: Parameters<typeof callCityFibre>): Promise<CityFibreError> {
	const error = await call(...args).then(
		() => undefined,
		(e: unknown) => e,
	);
	if (!(error instanceof CityFibreError)) throw new Error(`expected a CityFibreError, got ${String(error)}`);
	return error;
}

function lastExchange(operation: string) {
	return sandbox().control.exchanges({ operation }).at(-1);
}

describe('a successful call', () => {
	it('returns the parsed answer with the request as sent, its XML and one attempt', async () => {
		const values = faultReportValues();
		const result = await call(credentials(), 'addFaultReport', values);
		expect(result).toMatchObject({ operation: 'addFaultReport', httpStatus: 200, attempts: 1, url: `${sandbox().baseUrl}/addFaultReport` });
		expect(result.response.name).toBe('addFaultReportResponse');
		expect(result.response.body).toMatchObject({ status: 'Pending', responseCode: '0', buyerFaultReference: values.buyerFaultReference });
		expect(result.request).toMatchObject({ buyerIdentifier: 'SPDEV1', apiVersion: '1.1', messageId: result.messageId });
		expect(readMessage(result.requestXml).body.buyerFaultReference).toBe(values.buyerFaultReference);
		expect(lastExchange('addFaultReport')).toMatchObject({ messageId: result.messageId, httpStatus: 200, requestXml: result.requestXml });
	});

	it('keeps the messageId it is given', async () => {
		const result = await call(credentials(), 'requestServiceDiagnostics', { serviceId: 'SERVICE-0001' }, { messageId: 'msg-fixed-0001' });
		expect(result.messageId).toBe('msg-fixed-0001');
		expect(lastExchange('requestServiceDiagnostics')?.messageId).toBe('msg-fixed-0001');
	});

	it('works with the PKCS#12 bundle', async () => {
		const { buyer } = sandbox().certs;
		const result = await call(credentials({ certificateFormat: 'pkcs12', pkcs12: buyer.pkcs12Base64, passphrase: buyer.passphrase }), 'requestServiceDiagnostics', {
			serviceId: 'SERVICE-0001',
		});
		expect(result.httpStatus).toBe(200);
	});

	it('works with an encrypted PEM key and its passphrase', async () => {
		const { buyer } = sandbox().certs;
		const result = await call(credentials({ privateKey: buyer.encryptedKey, passphrase: buyer.passphrase }), 'requestServiceDiagnostics', {
			serviceId: 'SERVICE-0001',
		});
		expect(result.httpStatus).toBe(200);
	});
});

describe("CityFibre's refusals", () => {
	it('a Rejected status is a "rejected" error with the response code and error message', async () => {
		const error = await failure(credentials(), 'addFaultReport', faultReportValues({ serviceAffected: 'SERVICE-NOPE' }));
		expect(error).toMatchObject({ kind: 'rejected', code: '404', httpStatus: 200, message: 'serviceAffected: unknown service ID "SERVICE-NOPE"' });
		expect(error.response?.body.status).toBe('Rejected');
		expect(error.messageId).toBe(lastExchange('addFaultReport')?.messageId);
	});

	it('a response code outside the success codes is a "business" error', async () => {
		const error = await failure(credentials(), 'amendFaultReport', { buyerFaultReference: 'NO-SUCH-TICKET' });
		expect(error).toMatchObject({ kind: 'business', code: '404', message: 'buyerFaultReference: no fault report "NO-SUCH-TICKET"' });
	});

	it('HTTP 403 with a CityFibre fault is a "fault" error with code, message and detail', async () => {
		const error = await failure(credentials({ buyerIdentifier: 'NOT-A-BUYER' }), 'requestServiceDiagnostics', { serviceId: 'SERVICE-0001' });
		expect(error).toMatchObject({
			kind: 'fault',
			code: '403',
			httpStatus: 403,
			message: 'Forbidden',
			detail: 'buyerIdentifier "NOT-A-BUYER" is not registered with this sandbox (start it with --buyer NOT-A-BUYER)',
		});
		expect(error.responseXml).toContain('<faultcode>403</faultcode>');
	});

	it('invalid values are a "validation" error naming each field, and nothing is sent', async () => {
		const before = sandbox().control.stats().requests;
		const error = await failure(credentials(), 'addFaultReport', faultReportValues({ faultDetails: { type: 'Broken' } }));
		expect(error.kind).toBe('validation');
		expect(error.issues?.map((i) => i.path)).toEqual(expect.arrayContaining(['faultDetails.type', 'faultDetails.description']));
		expect(sandbox().control.stats().requests).toBe(before);
	});

	it('an empty buyer identifier is a "validation" error naming the credential field', async () => {
		const error = await failure(credentials({ buyerIdentifier: '' }), 'requestServiceDiagnostics', { serviceId: 'SERVICE-0001' });
		expect(error).toMatchObject({ kind: 'validation', issues: [{ path: 'credential.buyerIdentifier', message: 'enter the buyer identifier CityFibre assigned you' }] });
	});

	it('a malformed base URL is a "validation" error naming the credential field', async () => {
		const error = await failure(credentials({ environment: 'custom', baseUrl: 'ftp://127.0.0.1/x' }), 'requestServiceDiagnostics', { serviceId: 'SERVICE-0001' });
		expect(error).toMatchObject({ kind: 'validation', outcome: 'badUrl' });
		expect(error.issues?.[0].path).toBe('credential.baseUrl');
	});
});

describe('TLS and network problems, in the credential test\'s words', () => {
	it('an expired certificate fails before anything is sent', async () => {
		const before = sandbox().control.stats().handshakes;
		const error = await failure(credentials({ certificate: bad.expired.cert, privateKey: bad.expired.key }), 'requestServiceDiagnostics', { serviceId: 'SERVICE-0001' });
		expect(error).toMatchObject({ kind: 'tls', outcome: 'certificateExpired', code: 'certificateExpired', attempts: 0 });
		expect(error.message).toMatch(/^The client certificate expired on \d{4}-\d{2}-\d{2}\.$/);
		expect(error.hint).toBe('Ask CityFibre for a renewed client certificate and paste it with its key.');
		expect(sandbox().control.stats().handshakes).toBe(before);
	});

	it('a wrong passphrase fails before anything is sent', async () => {
		const error = await failure(credentials({ certificate: bad.encrypted.cert, privateKey: bad.encrypted.key, passphrase: 'nope' }), 'requestServiceDiagnostics', {
			serviceId: 'SERVICE-0001',
		});
		expect(error).toMatchObject({ kind: 'tls', outcome: 'wrongPassphrase', message: 'The passphrase does not open the private key.' });
	});

	it('a certificate and key that do not match fail before anything is sent', async () => {
		const error = await failure(credentials({ certificate: bad.mismatchedKey.cert, privateKey: bad.mismatchedKey.key }), 'requestServiceDiagnostics', {
			serviceId: 'SERVICE-0001',
		});
		expect(error).toMatchObject({ kind: 'tls', outcome: 'keyMismatch' });
	});

	it('an untrusted server is a "tls" error and is not repeated', async () => {
		const error = await failure(credentials({ caBundle: undefined }), 'requestServiceDiagnostics', { serviceId: 'SERVICE-0001' });
		expect(error).toMatchObject({ kind: 'tls', outcome: 'serverNotTrusted', attempts: 1 });
		expect(error.detail).toBe('SELF_SIGNED_CERT_IN_CHAIN: self-signed certificate in certificate chain');
	});

	it('a certificate the server refuses ends without an answer, and the message says it may be the certificate', async () => {
		const error = await failure(credentials({ certificate: bad.otherCa.cert, privateKey: bad.otherCa.key }), 'amendFaultReport', { buyerFaultReference: 'X' });
		expect(error).toMatchObject({ kind: 'network', attempts: 1 });
		expect(error.message).toContain('the server may be refusing the client certificate: run the credential test');
	});

	it('an unreachable host is a "network" error after the bounded repeats', async () => {
		const port = await closedPort();
		const error = await failure(credentials({ baseUrl: `https://127.0.0.1:${port}/cfsit/api2` }), 'addFaultReport', faultReportValues(), {
			retry: { baseDelayMs: 5, maxDelayMs: 10 },
		});
		expect(error).toMatchObject({ kind: 'network', outcome: 'unreachable', attempts: 3, message: `127.0.0.1:${port} is unreachable: the connection was refused.` });
	});
});

describe('secrets', () => {
	it('appear in no result, error or console output of this suite', () => {
		expect(secrets.recordedCount).toBeGreaterThan(20);
		expect(secrets.leaks()).toEqual([]);
	});
});

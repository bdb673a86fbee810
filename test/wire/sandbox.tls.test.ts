/**
 * The sandbox's mutual TLS, over real sockets: the Buyer's certificate in each form is accepted;
 * a client with no certificate, one from another CA, or an expired one is refused at the
 * handshake; a keep-alive client pays one handshake for many calls; certificates are made once.
 */
import * as fs from 'node:fs';
import * as https from 'node:https';
import * as os from 'node:os';
import * as path from 'node:path';

import { GATEWAY_PATH_PREFIXES } from '../../nodes/CityFibre/catalogue';
import { CERT_FILES, createCertificateAuthority, ensureSandboxCertificates, issueCertificate } from '../../sandbox';
import type { ClientTls } from '../support/https';
import { callOperation, keepAliveAgent, postXml, request } from '../support/https';
import { faultReportValues, useSandbox } from '../support/sandbox';

const sandbox = useSandbox();

const DAY = 24 * 60 * 60 * 1000;

async function diagnostics(tls: ClientTls, options: { agent?: https.Agent } = {}) {
	return callOperation(sandbox().baseUrl, 'requestServiceDiagnostics', { serviceId: 'SERVICE-0001' }, tls, options);
}

describe('mutual TLS', () => {
	it('accepts the Buyer certificate with its plain key', async () => {
		const result = await diagnostics(sandbox().tls);
		expect(result.status).toBe(200);
		expect(result.message.name).toBe('requestServiceDiagnosticsResponse');
	});

	it('accepts the Buyer key encrypted with the passphrase', async () => {
		const { buyer, ca } = sandbox().certs;
		const result = await diagnostics({ cert: buyer.cert, key: buyer.encryptedKey, passphrase: buyer.passphrase, ca: ca.cert });
		expect(result.status).toBe(200);
	});

	it('accepts the PKCS#12 bundle with the passphrase', async () => {
		const { buyer, ca } = sandbox().certs;
		const result = await diagnostics({ pfx: Buffer.from(buyer.pkcs12Base64, 'base64'), passphrase: buyer.passphrase, ca: ca.cert });
		expect(result.status).toBe(200);
	});

	it('refuses a client without a certificate at the handshake, and counts the refusal', async () => {
		const before = sandbox().control.stats().refusedHandshakes;
		await expect(diagnostics({ ca: sandbox().certs.ca.cert })).rejects.toMatchObject({ code: expect.stringMatching(/CERTIFICATE_REQUIRED|ECONNRESET|EPIPE/) });
		expect(sandbox().control.stats().refusedHandshakes).toBe(before + 1);
	});

	it('refuses a certificate signed by another CA', async () => {
		const otherCa = createCertificateAuthority({ commonName: 'Not CityFibre' });
		const stranger = issueCertificate({ ca: otherCa, subject: 'SPDEV1', usage: 'client' });
		await expect(diagnostics({ ...stranger, ca: sandbox().certs.ca.cert })).rejects.toMatchObject({
			code: expect.stringMatching(/UNKNOWN_CA|ECONNRESET|EPIPE/),
		});
	});

	it("refuses an expired certificate even from the sandbox's own CA", async () => {
		const { ca } = sandbox().certs;
		const expired = issueCertificate({ ca, subject: 'SPDEV1', usage: 'client', notBefore: new Date(Date.now() - 30 * DAY), notAfter: new Date(Date.now() - DAY) });
		await expect(diagnostics({ ...expired, ca: ca.cert })).rejects.toMatchObject({ code: expect.stringMatching(/EXPIRED|ECONNRESET|EPIPE/) });
	});

	it('presents a server certificate valid for 127.0.0.1 and localhost', async () => {
		const tls = sandbox().tls;
		const viaLocalhost = sandbox().baseUrl.replace('127.0.0.1', 'localhost');
		expect((await callOperation(viaLocalhost, 'requestServiceDiagnostics', { serviceId: 'SERVICE-0001' }, tls)).status).toBe(200);
	});

	it('counts one handshake for three calls over a kept-alive connection, and three without', async () => {
		const agent = keepAliveAgent(sandbox().tls);
		try {
			const before = sandbox().control.handshakes();
			for (let i = 0; i < 3; i++) expect((await diagnostics(sandbox().tls, { agent })).status).toBe(200);
			expect(sandbox().control.handshakes()).toBe(before + 1);
			for (let i = 0; i < 3; i++) expect((await diagnostics(sandbox().tls)).status).toBe(200);
			expect(sandbox().control.handshakes()).toBe(before + 4);
		} finally {
			agent.destroy();
		}
	});
});

describe('paths', () => {
	it.each(['', ...GATEWAY_PATH_PREFIXES])('serves the operations under "%s"', async (prefix) => {
		const result = await callOperation(`${sandbox().rootUrl}${prefix}`, 'requestServiceDiagnostics', { serviceId: 'SERVICE-0002' }, sandbox().tls);
		expect(result.status).toBe(200);
		expect(result.message.body.serviceId).toBe('SERVICE-0002');
	});

	it('reports the catalogue sandbox environment path as its base URL', () => {
		expect(new URL(sandbox().baseUrl).pathname).toBe('/cfsit/api2');
	});

	it('answers an unknown operation with a 404 CityFibre fault', async () => {
		const answer = await postXml(`${sandbox().baseUrl}/deleteEverything`, '<x/>', sandbox().tls);
		expect(answer.status).toBe(404);
		expect(answer.body).toContain('<faultcode>404</faultcode>');
	});

	it('answers GET on an operation with 405 and Allow: POST', async () => {
		const answer = await request(`${sandbox().baseUrl}/addFaultReport`, undefined, sandbox().tls, { method: 'GET' });
		expect(answer.status).toBe(405);
		expect(answer.headers.allow).toBe('POST');
	});
});

describe('certificate files', () => {
	it('creates them once and reuses them on the next start', () => {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cityfibre-certs-'));
		try {
			const first = ensureSandboxCertificates(dir, { passphrase: 'first-pass' });
			const second = ensureSandboxCertificates(dir, { passphrase: 'first-pass' });
			expect(first.created).toBe(true);
			expect(second.created).toBe(false);
			expect(second.buyer.cert).toBe(first.buyer.cert);
			expect(second.server.cert).toBe(first.server.cert);
			expect(fs.readdirSync(dir).sort()).toEqual(Object.values(CERT_FILES).sort());
			expect(fs.statSync(path.join(dir, CERT_FILES.buyerKey)).mode & 0o077).toBe(0);
		} finally {
			fs.rmSync(dir, { recursive: true, force: true });
		}
	});

	it('re-protects the key and bundle when the passphrase changes, keeping the certificate', () => {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cityfibre-certs-'));
		try {
			const first = ensureSandboxCertificates(dir, { passphrase: 'first-pass' });
			const second = ensureSandboxCertificates(dir, { passphrase: 'second-pass' });
			expect(second.buyer.cert).toBe(first.buyer.cert);
			expect(second.buyer.encryptedKey).not.toBe(first.buyer.encryptedKey);
			expect(second.buyer.passphrase).toBe('second-pass');
			expect(ensureSandboxCertificates(dir).buyer.passphrase).toBe('second-pass');
		} finally {
			fs.rmSync(dir, { recursive: true, force: true });
		}
	});
});

describe('buyer identity', () => {
	it('refuses an unregistered buyerIdentifier with a 403 CityFibre fault', async () => {
		const result = await callOperation(sandbox().baseUrl, 'addFaultReport', faultReportValues(), sandbox().tls, { buyerIdentifier: 'INTRUDER' });
		expect(result.status).toBe(403);
		expect(result.message.fault).toMatchObject({ form: 'cityfibre', code: '403' });
		expect(result.message.fault?.detail).toContain('INTRUDER');
	});
});

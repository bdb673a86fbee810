import { X509Certificate, createPrivateKey } from 'node:crypto';

import { decodeBase64Bundle, normalisePem, pemBlocks } from '../../nodes/CityFibre/transport/pem';
import { clientCertificate, createTestCa, encryptKeyLegacy } from '../support/badCerts';

const pair = clientCertificate(createTestCa('PEM Test CA'), 'SPDEV1');

function canonical(pem: string): string {
	return pem.replace(/\r\n/g, '\n').trim() + '\n';
}

describe('normalisePem', () => {
	it('leaves a canonical certificate unchanged', () => {
		expect(normalisePem(pair.cert)).toBe(canonical(pair.cert));
	});

	it('repairs Windows line endings', () => {
		expect(normalisePem(pair.cert.replace(/\n/g, '\r\n'))).toBe(canonical(pair.cert));
	});

	it('repairs lines indented by a text box or an e-mail', () => {
		const indented = pair.cert
			.split('\n')
			.map((line) => `    ${line}`)
			.join('\n');
		expect(normalisePem(indented)).toBe(canonical(pair.cert));
	});

	it('repairs a certificate whose newlines were lost', () => {
		expect(normalisePem(pair.cert.replace(/\n/g, ''))).toBe(canonical(pair.cert));
	});

	it('repairs a certificate whose newlines became spaces', () => {
		expect(normalisePem(pair.cert.replace(/\n/g, ' '))).toBe(canonical(pair.cert));
	});

	it('repairs newlines written out as \\n, as in a JSON file', () => {
		expect(normalisePem(pair.cert.replace(/\n/g, '\\n'))).toBe(canonical(pair.cert));
	});

	it('adds a missing final newline', () => {
		expect(normalisePem(pair.cert.trimEnd())).toBe(canonical(pair.cert));
	});

	it('ignores text around the blocks, such as openssl\'s "Bag Attributes"', () => {
		expect(normalisePem(`Bag Attributes\n    friendlyName: client\nsubject=/CN=SPDEV1\n${pair.cert}\ntrailing words`)).toBe(canonical(pair.cert));
	});

	it('keeps the encryption headers of a legacy encrypted key, even when its newlines were lost', () => {
		const legacy = encryptKeyLegacy(pair.key, 'secret passphrase');
		const repaired = normalisePem(legacy.replace(/\n/g, ' '));
		expect(repaired).toBe(canonical(legacy));
		expect(createPrivateKey({ key: repaired, passphrase: 'secret passphrase' }).asymmetricKeyType).toBe('rsa');
	});

	it('produces text that OpenSSL reads after the worst paste', () => {
		const mangled = `  ${pair.cert.replace(/\n/g, '\r\n   ').trimEnd()}`;
		expect(new X509Certificate(normalisePem(mangled)).subject).toContain('CN=SPDEV1');
	});

	it('keeps every block of a chain, in order', () => {
		const ca = createTestCa('Chain CA');
		const blocks = pemBlocks(normalisePem(`${pair.cert}${ca.cert}`));
		expect(blocks.map((b) => b.label)).toEqual(['CERTIFICATE', 'CERTIFICATE']);
		expect(new X509Certificate(`-----BEGIN CERTIFICATE-----\n${blocks[1].body}\n-----END CERTIFICATE-----\n`).subject).toContain('CN=Chain CA');
	});

	it('returns an empty string for text with no PEM block', () => {
		expect(normalisePem('MIIB not a pem file')).toBe('');
		expect(normalisePem(undefined)).toBe('');
	});
});

describe('decodeBase64Bundle', () => {
	const bytes = Buffer.from([0x30, 0x82, 0x01, 0xff, 0xfb, 0xef]);

	it('decodes base64 wrapped over several lines', () => {
		const text = bytes.toString('base64');
		expect(decodeBase64Bundle(`${text.slice(0, 4)}\r\n  ${text.slice(4)}\n`)).toEqual(bytes);
	});

	it('accepts base64url and a data: URL prefix', () => {
		expect(decodeBase64Bundle(bytes.toString('base64url'))).toEqual(bytes);
		expect(decodeBase64Bundle(`data:application/x-pkcs12;base64,${bytes.toString('base64')}`)).toEqual(bytes);
	});

	it('refuses text that is not base64', () => {
		expect(decodeBase64Bundle('-----BEGIN CERTIFICATE-----')).toBeUndefined();
		expect(decodeBase64Bundle('')).toBeUndefined();
	});
});

/**
 * Repairs PEM text that went through a browser text box, an e-mail or a JSON file: Windows line
 * endings, indented lines, newlines lost or turned into literal `\n`, a missing final newline.
 * Every block is rebuilt from its label, its (legacy encryption) headers and its base64 body, so
 * OpenSSL gets the canonical form whatever the paste looked like. Pure: no I/O, no secrets kept.
 */

export interface PemBlock {
	/** The label between `BEGIN` and the dashes, e.g. `CERTIFICATE`, `ENCRYPTED PRIVATE KEY`. */
	label: string;
	/** RFC 1421 headers of a legacy encrypted key (`Proc-Type`, `DEK-Info`), in their order. */
	headers: Array<[string, string]>;
	/** The base64 body without any whitespace. */
	body: string;
}

const BLOCK = /-----\s*BEGIN ([A-Z0-9 ]+?)\s*-----([\s\S]*?)-----\s*END \1\s*-----/g;
// Header values are matched by their exact shape so that a header that lost its line break
// does not swallow the base64 after it (an AES IV is 32 hex digits, a DES IV 16).
const HEADER = /(Proc-Type)\s*:\s*(\d+,(?:ENCRYPTED|MIC-ONLY|MIC-CLEAR))|(DEK-Info)\s*:\s*((?:AES[A-Z0-9-]*,[0-9A-Fa-f]{32})|(?:[A-Z0-9-]+,[0-9A-Fa-f]{16}))/g;

/** Undoes what copy-paste does to line breaks, including `\n` written out as two characters. */
function unescapeLineBreaks(text: string): string {
	return text.replace(/\\r\\n|\\n|\\r/g, '\n').replace(/\r\n?/g, '\n');
}

/** The PEM blocks found in the text, in order; anything between blocks is ignored. */
export function pemBlocks(text: string | undefined): PemBlock[] {
	if (!text) return [];
	const blocks: PemBlock[] = [];
	for (const match of unescapeLineBreaks(text).matchAll(BLOCK)) {
		const label = match[1].trim();
		let inner = match[2];
		const headers: Array<[string, string]> = [];
		for (const header of inner.matchAll(HEADER)) headers.push([header[1] ?? header[3], header[2] ?? header[4]]);
		inner = inner.replace(HEADER, '');
		blocks.push({ label, headers, body: inner.replace(/\s+/g, '') });
	}
	return blocks;
}

/** One block in canonical form: 64-character lines and a final newline. */
export function formatPemBlock(block: PemBlock): string {
	const lines = [`-----BEGIN ${block.label}-----`];
	if (block.headers.length) {
		for (const [name, value] of block.headers) lines.push(`${name}: ${value}`);
		lines.push('');
	}
	for (let i = 0; i < block.body.length; i += 64) lines.push(block.body.slice(i, i + 64));
	lines.push(`-----END ${block.label}-----`);
	return `${lines.join('\n')}\n`;
}

/** The text with every PEM block rebuilt canonically; an empty string when it holds none. */
export function normalisePem(text: string | undefined): string {
	return pemBlocks(text).map(formatPemBlock).join('');
}

export function isCertificateBlock(block: PemBlock): boolean {
	return block.label === 'CERTIFICATE' || block.label === 'TRUSTED CERTIFICATE' || block.label === 'X509 CERTIFICATE';
}

export function isPrivateKeyBlock(block: PemBlock): boolean {
	return block.label.endsWith('PRIVATE KEY');
}

/** Encrypted in either form: PKCS#8 `ENCRYPTED PRIVATE KEY` or a legacy `Proc-Type: 4,ENCRYPTED` key. */
export function isEncryptedKeyBlock(block: PemBlock): boolean {
	return block.label === 'ENCRYPTED PRIVATE KEY' || block.headers.some(([name, value]) => name === 'Proc-Type' && value.includes('ENCRYPTED'));
}

/**
 * A PKCS#12 bundle pasted as base64: whitespace and a `data:` URL prefix removed, base64url
 * accepted. Returns undefined when the text is not base64 at all.
 */
export function decodeBase64Bundle(text: string | undefined): Buffer | undefined {
	if (!text || text.includes('-----')) return undefined;
	let compact = unescapeLineBreaks(text)
		.replace(/^\s*data:[^,]*,/, '')
		.replace(/\s+/g, '');
	if (!/[+/]/.test(compact)) compact = compact.replace(/-/g, '+').replace(/_/g, '/');
	if (!compact || !/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) return undefined;
	const bytes = Buffer.from(compact, 'base64');
	return bytes.length ? bytes : undefined;
}

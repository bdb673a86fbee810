/**
 * The secrets-leak check. A suite registers the key material it uses (private keys, passphrases,
 * PKCS#12 bundles), records every output and error it produces (and, while capturing, everything
 * written to the console), and at the end asks for leaks. A leak is any recorded text holding a
 * passphrase, a 40-character stretch of a key's or bundle's base64 (with or without its line
 * breaks), or a PEM private key block of any kind. Leaks are reported by label, never by value.
 */
import { inspect } from 'node:util';

export interface Leak {
	/** Where the text came from, as recorded. */
	where: string;
	/** Which secret it holds, by its label. */
	secret: string;
}

interface Secret {
	label: string;
	needles: string[];
}

const WINDOW = 40;
const STEP = 20;

function base64Body(text: string): string {
	return text
		.replace(/-----[^-]+-----/g, '')
		.replace(/^(Proc-Type|DEK-Info):.*$/gm, '')
		.replace(/\\[rn]|\s+/g, '');
}

/** Every WINDOW-long slice at STEP offsets: any leaked 64-character PEM line contains one. */
function windows(body: string): string[] {
	const out: string[] = [];
	for (let i = 0; i + WINDOW <= body.length; i += STEP) out.push(body.slice(i, i + WINDOW));
	if (body.length >= 16 && body.length < WINDOW) out.push(body);
	return out;
}

function serialise(value: unknown): string[] {
	if (typeof value === 'string') return [value];
	const texts = [inspect(value, { depth: 12, maxStringLength: Infinity, maxArrayLength: Infinity, breakLength: Infinity })];
	try {
		texts.push(
			JSON.stringify(value, (_key, v: unknown) => {
				if (Buffer.isBuffer(v)) return v.toString('base64');
				if (v && typeof v === 'object' && (v as { type?: string }).type === 'Buffer' && Array.isArray((v as { data?: unknown }).data)) {
					return Buffer.from((v as { data: number[] }).data).toString('base64');
				}
				if (v instanceof Error) return { ...v, name: v.name, message: v.message, stack: v.stack };
				return v;
			}) ?? '',
		);
	} catch {
		// circular: inspect above still shows it
	}
	if (value instanceof Error) texts.push(`${value.name}: ${value.message}\n${value.stack ?? ''}`);
	return texts;
}

export class SecretCollector {
	private readonly secrets: Secret[] = [];
	private readonly texts: Array<{ where: string; text: string }> = [];
	private restoreConsole?: () => void;

	/** A secret to look for: PEM or base64 material is matched by slices, anything else verbatim. */
	addSecret(label: string, value: string | undefined): this {
		if (!value) return this;
		const body = base64Body(value);
		const isMaterial = /-----BEGIN|^[A-Za-z0-9+/=\s]{64,}$/.test(value);
		this.secrets.push({ label, needles: isMaterial ? windows(body) : value.length >= 4 ? [value] : [] });
		return this;
	}

	/** Every secret of a sandbox's Buyer certificate set: plain and encrypted key, PKCS#12, passphrase. */
	addBuyerMaterial(buyer: { key: string; encryptedKey: string; pkcs12Base64: string; passphrase: string }): this {
		return this.addSecret('buyer key', buyer.key)
			.addSecret('buyer encrypted key', buyer.encryptedKey)
			.addSecret('buyer PKCS#12', buyer.pkcs12Base64)
			.addSecret('buyer passphrase', buyer.passphrase);
	}

	/** Records a produced value (a result, an error, n8n output items, a log line). */
	record(where: string, value: unknown): void {
		for (const text of serialise(value)) this.texts.push({ where, text });
	}

	/** Records what a promise settles with, and passes it on unchanged. */
	async observe<T>(where: string, promise: Promise<T>): Promise<T> {
		try {
			const value = await promise;
			this.record(where, value);
			return value;
		} catch (error) {
			this.record(`${where} (error)`, error);
			throw error;
		}
	}

	/** Records everything written to console.* and process.stdout/stderr until stopCapture(). */
	captureConsole(): void {
		if (this.restoreConsole) return;
		const methods = ['log', 'info', 'warn', 'error', 'debug'] as const;
		const originals = methods.map((m) => console[m]);
		methods.forEach((m, i) => {
			console[m] = (...args: unknown[]) => {
				this.record(`console.${m}`, args.map((a) => (typeof a === 'string' ? a : inspect(a, { depth: 12 }))).join(' '));
				originals[i].apply(console, args);
			};
		});
		const streams = [process.stdout, process.stderr];
		const writes = streams.map((s) => s.write);
		streams.forEach((stream, i) => {
			stream.write = ((chunk: unknown, ...rest: unknown[]) => {
				this.record(i ? 'stderr' : 'stdout', Buffer.isBuffer(chunk) ? chunk.toString('utf8') : String(chunk));
				return (writes[i] as (...a: unknown[]) => boolean).call(stream, chunk, ...rest);
			}) as typeof stream.write;
		});
		this.restoreConsole = () => {
			methods.forEach((m, i) => (console[m] = originals[i]));
			streams.forEach((s, i) => (s.write = writes[i]));
		};
	}

	stopCapture(): void {
		this.restoreConsole?.();
		this.restoreConsole = undefined;
	}

	/** How many texts were recorded: a check that finds nothing must also have looked at something. */
	get recordedCount(): number {
		return this.texts.length;
	}

	leaks(): Leak[] {
		const found: Leak[] = [];
		for (const { where, text } of this.texts) {
			const compact = text.replace(/\\[rn]|\s+/g, '');
			// A BEGIN line alone is a placeholder; followed by base64 it is a key.
			if (/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]{0,200}?[A-Za-z0-9+/]{32}/.test(text)) found.push({ where, secret: 'a PEM private key block' });
			for (const secret of this.secrets) {
				if (secret.needles.some((n) => text.includes(n) || compact.includes(n))) found.push({ where, secret: secret.label });
			}
		}
		return found;
	}
}

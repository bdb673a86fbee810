/**
 * The exact bytes CityFibre sent. n8n reads a webhook's body before the node runs and keeps the
 * bytes in `req.rawBody` (already un-gzipped); its pre-parsed `req.body` lower-cases XML tag names
 * and must not be used. Where n8n did not read the body, `req.readRawBody()` reads it the same way.
 * The bytes are then read as text in the character encoding the sender declared.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { TextDecoder } from 'node:util';

import type { Refusal } from './refusals';
import { quote, refusal } from './refusals';

/** What the trigger needs of n8n's request object (an Express request in n8n). */
export interface WebhookRequestLike {
	headers: IncomingHttpHeaders;
	rawBody?: Buffer;
	readRawBody?: () => Promise<void>;
	socket?: { remoteAddress?: string };
}

/** The media type without parameters, lower-cased: `text/xml; charset=utf-8` → `text/xml`. */
export function mediaType(headers: IncomingHttpHeaders): string | undefined {
	const value = headers['content-type'];
	if (!value) return undefined;
	return value.split(';')[0].trim().toLowerCase() || undefined;
}

/**
 * SOAP 1.1 uses text/xml, CityFibre's docs say application/xml, SOAP 1.2 uses
 * application/soap+xml: any XML type is accepted. A request without a Content-Type is read
 * too (its bytes decide); a non-XML type is refused before the body is looked at.
 */
export function checkContentType(headers: IncomingHttpHeaders): Refusal | undefined {
	const type = mediaType(headers);
	if (type === undefined || type.endsWith('/xml') || type.endsWith('+xml')) return undefined;
	return refusal(
		'contentType',
		415,
		`Unsupported Content-Type ${quote(type)}: send the SOAP message as text/xml or application/xml`,
		`Content-Type ${quote(type)} is not an XML media type`,
	);
}

/** n8n gave the node no way to the body: the receiver's problem, not the sender's. */
export class BodyUnavailableError extends Error {
	readonly name = 'BodyUnavailableError';
}

export async function readRequestBytes(req: WebhookRequestLike): Promise<Buffer> {
	if (!Buffer.isBuffer(req.rawBody) && typeof req.readRawBody === 'function') await req.readRawBody();
	// Reading it as empty would tell CityFibre its message was malformed, and it would not resend.
	if (!Buffer.isBuffer(req.rawBody)) throw new BodyUnavailableError('n8n passed the node neither req.rawBody nor req.readRawBody()');
	return req.rawBody;
}

/** The `charset` parameter of the Content-Type, lower-cased, quotes removed. */
export function declaredCharset(headers: IncomingHttpHeaders): string | undefined {
	const match = /;\s*charset\s*=\s*(?:"([^"]*)"|([^;\s]*))/i.exec(headers['content-type'] ?? '');
	const charset = (match?.[1] ?? match?.[2] ?? '').trim().toLowerCase();
	return charset || undefined;
}

/** The encoding named by the document's XML declaration (`<?xml … encoding="ISO-8859-1"?>`). */
function declarationEncoding(bytes: Buffer): string | undefined {
	const start = bytes.subarray(0, 256).toString('latin1');
	return /^\s*<\?xml\s[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/.exec(start)?.[1].toLowerCase();
}

function byteOrderMark(bytes: Buffer): string | undefined {
	if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
	if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
	if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
	return undefined;
}

const UTF8 = new Set(['utf-8', 'utf8', 'unicode-1-1-utf-8']);

/**
 * The body as text, in the encoding its sender declared (RFC 7303: a byte-order mark, then the
 * Content-Type's charset, then the XML declaration, else UTF-8); a byte-order mark is not kept.
 * UTF-8, by far the most common, stays bytes for the codec. An encoding this receiver cannot
 * decode is refused rather than read as UTF-8, which would garble every accented letter.
 */
export function decodeBody(bytes: Buffer, headers: IncomingHttpHeaders): Buffer | string | Refusal {
	const bom = byteOrderMark(bytes);
	const fromHeader = bom ? undefined : declaredCharset(headers);
	const encoding = bom ?? fromHeader ?? declarationEncoding(bytes) ?? 'utf-8';
	if (UTF8.has(encoding)) return bom ? bytes.subarray(3) : bytes;
	let decoder: TextDecoder;
	try {
		decoder = new TextDecoder(encoding);
	} catch {
		return fromHeader
			? refusal('contentType', 415, `Unsupported charset ${quote(encoding)}: send the SOAP message as UTF-8`, `Content-Type charset ${quote(encoding)} is not one this receiver can decode`)
			: refusal('malformedXml', 400, `Message refused: unsupported encoding ${quote(encoding)}: send the SOAP message as UTF-8`, `XML declaration names encoding ${quote(encoding)}, which this receiver cannot decode`);
	}
	return decoder.decode(bytes);
}

/**
 * The exact bytes CityFibre sent. n8n reads a webhook's body before the node runs and keeps the
 * bytes in `req.rawBody` (already un-gzipped); its pre-parsed `req.body` lower-cases XML tag names
 * and must not be used. Where n8n did not read the body, `req.readRawBody()` reads it the same way.
 */
import type { IncomingHttpHeaders } from 'node:http';

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

export async function readRequestBytes(req: WebhookRequestLike): Promise<Buffer> {
	if (!Buffer.isBuffer(req.rawBody) && typeof req.readRawBody === 'function') await req.readRawBody();
	return Buffer.isBuffer(req.rawBody) ? req.rawBody : Buffer.alloc(0);
}

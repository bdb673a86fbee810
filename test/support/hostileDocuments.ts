/**
 * Documents a hostile or broken peer could POST to the notification endpoint, one builder each.
 * The unit tests check that each gets its specific error; `scripts/bench.js` times the refusals.
 *
 * No runtime imports: `scripts/bench.js` loads this file by transpiling it.
 */

export const SOAP11_NS = 'http://schemas.xmlsoap.org/soap/envelope/';
export const SOAP12_NS = 'http://www.w3.org/2003/05/soap-envelope';

export function envelope(body: string, prefix = 'soap', namespace = SOAP11_NS): string {
	return (
		`<?xml version="1.0" encoding="UTF-8"?><${prefix}:Envelope xmlns:${prefix}="${namespace}">` +
		`<${prefix}:Body>${body}</${prefix}:Body></${prefix}:Envelope>`
	);
}

const NOTIFICATION_START = '<notifyFaultReportUpdate><apiVersion>1.0</apiVersion><buyerIdentifier>SPDEV1</buyerIdentifier>';
const NOTIFICATION_END = '</notifyFaultReportUpdate>';

/** A plain DOCTYPE, no entities: refused anyway, since a DTD is never needed. */
export function doctype(): string {
	return `<?xml version="1.0"?><!DOCTYPE notifyFaultReportUpdate>${NOTIFICATION_START}${NOTIFICATION_END}`;
}

/** "Billion laughs": ten levels of ten references expand to 10^9 copies of `lol`. */
export function entityBomb(): string {
	const levels = ['<!ENTITY lol0 "lol">'];
	for (let n = 1; n <= 9; n++) levels.push(`<!ENTITY lol${n} "${`&lol${n - 1};`.repeat(10)}">`);
	return `<?xml version="1.0"?><!DOCTYPE lolz [${levels.join('')}]>${NOTIFICATION_START}<messageId>&lol9;</messageId>${NOTIFICATION_END}`;
}

/** XXE: an external entity that would read a local file into the message. */
export function externalEntity(): string {
	return (
		'<?xml version="1.0"?><!DOCTYPE notifyFaultReportUpdate [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>' +
		`${NOTIFICATION_START}<messageId>&xxe;</messageId>${NOTIFICATION_END}`
	);
}

/** A well-formed notification padded to `bytes` (50 MB by default) with one huge description. */
export function oversized(bytes = 50 * 1024 * 1024): string {
	const shell = envelope(`${NOTIFICATION_START}<faultDetails><description></description></faultDetails>${NOTIFICATION_END}`);
	const padding = 'x'.repeat(Math.max(0, bytes - shell.length));
	return shell.replace('<description></description>', `<description>${padding}</description>`);
}

/** Elements nested `depth` levels (10,000 by default) inside the notification. */
export function deepNesting(depth = 10_000): string {
	return envelope(`${NOTIFICATION_START}${'<update>'.repeat(depth)}${'</update>'.repeat(depth)}${NOTIFICATION_END}`);
}

/** A small document (about 90 kB) with `count` sibling elements (20,000 by default). */
export function manyElements(count = 20_000): string {
	return envelope(`${NOTIFICATION_START}<updates>${'<update/>'.repeat(count)}</updates>${NOTIFICATION_END}`);
}

/** An `Envelope` in a namespace that is neither SOAP 1.1 nor 1.2. */
export function wrongEnvelopeNamespace(): string {
	return envelope(`${NOTIFICATION_START}${NOTIFICATION_END}`, 'soap', 'http://example.com/not-soap/');
}

export function envelopeWithoutBody(): string {
	return `<soap:Envelope xmlns:soap="${SOAP11_NS}"><soap:Header/></soap:Envelope>`;
}

/** Two elements in one Body: SOAP document/literal allows exactly one. */
export function twoBodyElements(): string {
	return envelope(`${NOTIFICATION_START}${NOTIFICATION_END}${NOTIFICATION_START}${NOTIFICATION_END}`);
}

/** What a proxy might send instead: JSON. */
export function notXml(): string {
	return '{"notifyFaultReportUpdate":{"buyerIdentifier":"SPDEV1"}}';
}

/** A notification cut off before its closing tags. */
export function unclosedTag(): string {
	return `<soap:Envelope xmlns:soap="${SOAP11_NS}"><soap:Body>${NOTIFICATION_START}<messageId>CF-1</messageId>`;
}

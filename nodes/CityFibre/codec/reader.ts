/**
 * Reads SOAP (1.1 or 1.2, any prefix) or bare CityFibre XML into plain JSON, guided by the
 * catalogue but never limited by it: unknown elements are kept, values stay strings (`000123`
 * stays `000123`), booleans and lists are normalised where the catalogue says so, and statuses
 * are mapped to one spelling with the original recorded.
 */
import { XMLParser } from 'fast-xml-parser';

import type { Field, MessageDefinition } from '../catalogue';
import { messageByName, normaliseStatus } from '../catalogue';
import { XmlFormatError } from './errors';
import type { XmlLimits } from './scan';
import { DEFAULT_LIMITS, scanXml } from './scan';

export type JsonValue = string | boolean | JsonValue[] | JsonObject;
export interface JsonObject {
	[key: string]: JsonValue;
}

export const SOAP11_NS = 'http://schemas.xmlsoap.org/soap/envelope/';
export const SOAP12_NS = 'http://www.w3.org/2003/05/soap-envelope';

export interface FaultInfo {
	/** `soap` for a standard SOAP Fault, `cityfibre` for CityFibre's own `fault` element. */
	form: 'soap' | 'cityfibre';
	code: string;
	message: string;
	detail?: string;
}

export interface ReadMessage {
	/** Local name of the body element. */
	name: string;
	/** SOAP version of the envelope, or null for a bare message element. */
	soapVersion: '1.1' | '1.2' | null;
	body: JsonObject;
	/** The catalogue's definition of the element, when it has one. */
	definition?: MessageDefinition;
	fault?: FaultInfo;
	/** Original spellings of normalised values, by path (e.g. `faultDetails.status`). */
	originals: Record<string, string>;
	/** What the reader had to mend to read the document. */
	repairs: string[];
}

const PREDEFINED_ENTITIES: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const REFERENCE = /&(?:#(\d+)|#x([0-9a-fA-F]+)|(lt|gt|amp|quot|apos));/g;

/** A code point XML 1.0 allows in a document (its `Char` production). */
function isXmlChar(cp: number): boolean {
	return (
		cp === 0x9 ||
		cp === 0xa ||
		cp === 0xd ||
		(cp >= 0x20 && cp <= 0xd7ff) ||
		(cp >= 0xe000 && cp <= 0xfffd) ||
		(cp >= 0x10000 && cp <= 0x10ffff)
	);
}

/**
 * Expands exactly XML's five predefined entities and numeric character references, in one pass
 * (so `&amp;#65;` stays `&#65;`). Any other reference is left as literal text: no DOCTYPE reaches
 * the parser, so no other entity can be declared, and nothing is ever fetched or multiplied.
 */
export function decodeReferences(text: string): string {
	if (!text.includes('&')) return text;
	return text.replace(REFERENCE, (whole, dec: string | undefined, hex: string | undefined, named: string | undefined) => {
		if (named) return PREDEFINED_ENTITIES[named];
		const cp = dec !== undefined ? Number(dec) : parseInt(hex ?? '', 16);
		return isXmlChar(cp) ? String.fromCodePoint(cp) : whole;
	});
}

const parser = new XMLParser({
	ignoreAttributes: false,
	attributeNamePrefix: '@_',
	parseTagValue: false,
	parseAttributeValue: false,
	trimValues: true,
	processEntities: true,
	// The parser's own decoder leaves numeric references alone unless HTML entities are enabled too.
	entityDecoder: {
		decode: decodeReferences,
		reset: () => undefined,
		setXmlVersion: () => undefined,
		addInputEntities: () => undefined,
		setExternalEntities: () => undefined,
	},
	ignoreDeclaration: true,
	ignorePiTags: true,
	commentPropName: false,
	cdataPropName: false,
});

type Raw = string | Raw[] | { [key: string]: Raw };

function localName(qualified: string): string {
	const colon = qualified.indexOf(':');
	return colon < 0 ? qualified : qualified.slice(colon + 1);
}

function isNamespaceAttribute(attr: string): boolean {
	return attr === 'xmlns' || attr.startsWith('xmlns:') || attr.startsWith('xsi:');
}

function elementEntries(node: Raw): Array<[string, Raw]> {
	if (typeof node !== 'object' || Array.isArray(node)) return [];
	return Object.entries(node).filter(([k]) => !k.startsWith('@_') && k !== '#text');
}

function attributesOf(node: Raw): Array<[string, string]> {
	if (typeof node !== 'object' || Array.isArray(node)) return [];
	return Object.entries(node)
		.filter(([k]) => k.startsWith('@_') && !isNamespaceAttribute(k.slice(2)))
		.map(([k, v]) => [localName(k.slice(2)), String(v)]);
}

/** Namespace URI of an element's own prefix, from the declarations on that element. */
function namespaceOf(qualified: string, node: Raw): string | undefined {
	if (typeof node !== 'object' || Array.isArray(node)) return undefined;
	const colon = qualified.indexOf(':');
	const attr = colon < 0 ? '@_xmlns' : `@_xmlns:${qualified.slice(0, colon)}`;
	const value = (node as Record<string, Raw>)[attr];
	return typeof value === 'string' ? value : undefined;
}

class Converter {
	readonly originals: Record<string, string> = {};

	node(raw: Raw, fields: readonly Field[] | undefined, path: string): JsonValue {
		if (typeof raw === 'string') return raw;
		if (Array.isArray(raw)) return raw.map((r, i) => this.node(r, fields, `${path}[${i}]`));
		const out: JsonObject = {};
		for (const [key, value] of elementEntries(raw)) {
			const name = localName(key);
			const field = fields?.find((f) => f.name === name);
			const converted = this.field(value, field, path ? `${path}.${name}` : name);
			const existing = out[name];
			// Two elements whose names differ only by prefix: keep both.
			out[name] = existing === undefined ? converted : ([] as JsonValue[]).concat(existing, converted);
		}
		// CityFibre's cfh:* items may arrive as attributes rather than elements (reference §7).
		for (const [name, value] of attributesOf(raw)) {
			if (out[name] === undefined) {
				const field = fields?.find((f) => f.name === name);
				out[name] = this.field(value, field, path ? `${path}.${name}` : name);
			}
		}
		const text = (raw as Record<string, Raw>)['#text'];
		if (text !== undefined) {
			if (!Object.keys(out).length) return String(text);
			out['#text'] = String(text);
		}
		return out;
	}

	field(raw: Raw, field: Field | undefined, path: string): JsonValue {
		if (!field) return this.node(raw, undefined, path);
		if (field.kind === 'group') return this.node(raw === '' ? {} : raw, field.fields, path);
		if (field.kind === 'list') {
			// Items by local name (`ns1:update` too), from every wrapper if the wrapper repeats.
			const wrappers = Array.isArray(raw) ? raw : [raw];
			const items = wrappers.flatMap((wrapper) =>
				elementEntries(wrapper)
					.filter(([key]) => localName(key) === field.itemName)
					.flatMap(([, item]) => (Array.isArray(item) ? item : [item])),
			);
			const list = items.map((item, i) => this.node(item === '' ? {} : item, field.itemFields, `${path}[${i}]`));
			// Anything else inside the wrapper is kept, not dropped: the wrapper then reads as an
			// object holding the item list under the item's name beside those elements.
			const others = wrappers.flatMap((wrapper) => elementEntries(wrapper).filter(([key]) => localName(key) !== field.itemName));
			if (!others.length) return list;
			const extra = this.node(Object.fromEntries(others) as Raw, undefined, path);
			return { [field.itemName]: list, ...(typeof extra === 'object' && !Array.isArray(extra) ? extra : {}) };
		}
		if (Array.isArray(raw)) return raw.map((r, i) => this.field(r, field, `${path}[${i}]`));
		const value = this.node(raw, undefined, path);
		if (typeof value !== 'string') return value;
		if (field.type === 'boolean') {
			const lower = value.toLowerCase();
			if (lower === 'true' || lower === '1') return true;
			if (lower === 'false' || lower === '0') return false;
		}
		if (field.normalise === 'status') {
			const canonical = normaliseStatus(value);
			if (canonical) {
				this.originals[path] = value;
				return canonical;
			}
		}
		return value;
	}
}

function text(value: JsonValue | undefined): string {
	if (value === undefined) return '';
	if (typeof value === 'object') return JSON.stringify(value);
	return String(value);
}

/**
 * The words of a fault element that may carry attributes (`<Text xml:lang="en">`) or repeat
 * (SOAP 1.2 gives one Reason Text per language; the first is taken). Structured content stays JSON.
 */
function faultText(value: JsonValue | undefined): string {
	if (Array.isArray(value)) return faultText(value[0]);
	if (value && typeof value === 'object' && typeof value['#text'] === 'string') return value['#text'];
	return text(value);
}

function faultOf(name: string, body: JsonObject): FaultInfo | undefined {
	if (name === 'Fault') {
		// SOAP 1.1: faultcode/faultstring/detail. SOAP 1.2: Code/Value, Reason/Text, Detail.
		const code = body.faultcode ?? (body.Code as JsonObject | undefined)?.Value;
		const message = body.faultstring ?? (body.Reason as JsonObject | undefined)?.Text;
		const detail = body.detail ?? body.Detail;
		// CityFibre's own fault may travel inside a SOAP Fault's detail (reference §10.7): its code
		// and message are the ones a user needs, so prefer them.
		const inner = detail && typeof detail === 'object' && !Array.isArray(detail) ? detail.fault : undefined;
		if (inner && typeof inner === 'object' && !Array.isArray(inner) && inner.faultcode !== undefined) {
			return { ...(faultOf('fault', inner) as FaultInfo), form: 'soap' };
		}
		return {
			form: 'soap',
			code: faultText(code),
			message: faultText(message),
			detail: detail === undefined ? undefined : faultText(detail),
		};
	}
	if (name === 'fault') {
		const detail = body.detail;
		return {
			form: 'cityfibre',
			code: faultText(body.faultcode),
			message: faultText(body.faultmessage),
			detail: detail === undefined ? undefined : faultText(detail),
		};
	}
	return undefined;
}

export interface ReadOptions {
	limits?: Partial<XmlLimits>;
	/** Read the body with this definition even when the element name differs (e.g. an undocumented response name). */
	definition?: MessageDefinition;
}

/** Reads a CityFibre XML document. Throws `XmlSafetyError` or `XmlFormatError` naming the problem. */
export function readMessage(input: string | Buffer, options: ReadOptions = {}): ReadMessage {
	const { xml, repairs } = scanXml(input, { ...DEFAULT_LIMITS, ...options.limits });
	let tree: Record<string, Raw>;
	try {
		tree = parser.parse(xml) as Record<string, Raw>;
	} catch (error) {
		throw new XmlFormatError('malformed', `Malformed XML: ${(error as Error).message}`);
	}
	const roots = elementEntries(tree);
	// Two roots of the same name arrive as one key holding an array.
	if (roots.length !== 1 || Array.isArray(roots[0][1])) {
		throw new XmlFormatError('malformed', 'Malformed XML: expected one root element');
	}
	let rootName: string = roots[0][0];
	let root: Raw = roots[0][1];
	let soapVersion: ReadMessage['soapVersion'] = null;

	if (localName(rootName) === 'Envelope') {
		const ns = namespaceOf(rootName, root);
		if (ns === SOAP11_NS) soapVersion = '1.1';
		else if (ns === SOAP12_NS) soapVersion = '1.2';
		else throw new XmlFormatError('envelope', `Not a SOAP envelope: namespace ${ns ?? '(none)'} is neither SOAP 1.1 nor 1.2`);
		const bodies = elementEntries(root).filter(([k]) => localName(k) === 'Body');
		if (bodies.length !== 1 || Array.isArray(bodies[0][1])) {
			throw new XmlFormatError('envelope', 'The SOAP envelope must hold exactly one Body');
		}
		const content = elementEntries(bodies[0][1]);
		const count = content.reduce((n, [, v]) => n + (Array.isArray(v) ? v.length : 1), 0);
		if (count !== 1) throw new XmlFormatError('body', `The SOAP Body must hold exactly one element, found ${count}`);
		[[rootName, root]] = content;
	}

	const name = localName(rootName);
	const definition = options.definition ?? messageByName(name);
	const converter = new Converter();
	const converted = converter.node(root, definition?.fields, '');
	const body: JsonObject =
		typeof converted === 'object' && !Array.isArray(converted)
			? converted
			: converted === ''
				? {}
				: { '#text': text(converted) };
	return {
		name,
		soapVersion,
		body,
		definition,
		fault: faultOf(name, body),
		originals: converter.originals,
		repairs,
	};
}

/**
 * A linear pre-scan of a document before it reaches the parser. It refuses what could be hostile
 * (DOCTYPE and entity declarations, oversized, too deep, too many elements) with the limit named,
 * so the parser never sees an entity bomb or recurses 10,000 levels. It also mends one known
 * fault of CityFibre's own examples: a closing tag whose name does not match its opening tag.
 */
import { XmlFormatError, XmlSafetyError } from './errors';

export interface XmlLimits {
	/** Largest document in bytes. Notifications are a few KiB. */
	maxBytes: number;
	/** Deepest element nesting. CityFibre's messages nest about six levels. */
	maxDepth: number;
	/** Most elements in one document. */
	maxElements: number;
}

export const DEFAULT_LIMITS: XmlLimits = { maxBytes: 1024 * 1024, maxDepth: 64, maxElements: 10_000 };

export interface ScanResult {
	/** The document, with mismatched closing tags mended. */
	xml: string;
	/** What was mended, for the record. */
	repairs: string[];
}

const NAME = /^[^\s/>]+/;
const ENTITY_DECLARATION = /<!ENTITY/gi;

/** Index just past the `>` that ends the tag starting at `start`, honouring quoted attributes. */
function endOfTag(xml: string, start: number): number {
	let quote = '';
	for (let k = start + 1; k < xml.length; k++) {
		const c = xml[k];
		if (quote) {
			if (c === quote) quote = '';
		} else if (c === '"' || c === "'") {
			quote = c;
		} else if (c === '>') {
			return k + 1;
		}
	}
	throw new XmlFormatError('malformed', 'Malformed XML: a tag is not closed');
}

function skipPast(xml: string, from: number, terminator: string, what: string): number {
	const at = xml.indexOf(terminator, from);
	if (at < 0) throw new XmlFormatError('malformed', `Malformed XML: unterminated ${what}`);
	return at + terminator.length;
}

export function scanXml(input: string | Buffer, limits: XmlLimits = DEFAULT_LIMITS): ScanResult {
	const bytes = typeof input === 'string' ? Buffer.byteLength(input, 'utf8') : input.length;
	if (bytes > limits.maxBytes) {
		throw new XmlSafetyError('size', `Document too large: ${bytes} bytes, the limit is ${limits.maxBytes}`);
	}
	const xml = typeof input === 'string' ? input : input.toString('utf8');
	const stack: string[] = [];
	const mends: Array<{ start: number; end: number; name: string }> = [];
	let elements = 0;
	let i = xml.indexOf('<');
	while (i >= 0) {
		if (xml.startsWith('<?', i)) {
			i = skipPast(xml, i, '?>', 'processing instruction');
		} else if (xml.startsWith('<!--', i)) {
			i = skipPast(xml, i + 4, '-->', 'comment');
		} else if (xml.startsWith('<![CDATA[', i)) {
			i = skipPast(xml, i, ']]>', 'CDATA section');
		} else if (xml.startsWith('<!', i)) {
			const word = xml.slice(i + 2, i + 9).toUpperCase();
			if (word.startsWith('DOCTYPE')) {
				// A DOCTYPE that declares entities is an expansion bomb or an external-entity (XXE) probe:
				// say so, rather than only that a DOCTYPE was present.
				ENTITY_DECLARATION.lastIndex = i;
				if (ENTITY_DECLARATION.test(xml)) {
					throw new XmlSafetyError('entity', 'Entity declarations are refused (a DOCTYPE declaring entities)');
				}
				throw new XmlSafetyError('doctype', 'Documents with a DOCTYPE are refused');
			}
			if (word.startsWith('ENTITY')) throw new XmlSafetyError('entity', 'Entity declarations are refused');
			throw new XmlFormatError('malformed', 'Malformed XML: unexpected markup declaration');
		} else if (xml.startsWith('</', i)) {
			const end = endOfTag(xml, i);
			const name = xml.slice(i + 2, end - 1).trim();
			const open = stack.pop();
			if (open === undefined) throw new XmlFormatError('malformed', `Malformed XML: unexpected closing tag </${name}>`);
			if (open !== name) mends.push({ start: i, end, name: open });
			i = end;
		} else {
			const end = endOfTag(xml, i);
			const name = NAME.exec(xml.slice(i + 1, end))?.[0];
			if (!name) throw new XmlFormatError('malformed', 'Malformed XML: a tag has no name');
			if (++elements > limits.maxElements) {
				throw new XmlSafetyError('elements', `Too many elements: more than ${limits.maxElements}`);
			}
			if (xml[end - 2] !== '/') {
				stack.push(name);
				if (stack.length > limits.maxDepth) {
					throw new XmlSafetyError('depth', `Nesting too deep: more than ${limits.maxDepth} levels`);
				}
			}
			i = end;
		}
		i = xml.indexOf('<', i);
	}
	if (stack.length) throw new XmlFormatError('malformed', `Malformed XML: <${stack[stack.length - 1]}> is not closed`);
	if (elements === 0) throw new XmlFormatError('malformed', 'Malformed XML: no element found');
	if (!mends.length) return { xml, repairs: [] };
	let mended = '';
	let from = 0;
	for (const m of mends) {
		mended += `${xml.slice(from, m.start)}</${m.name}>`;
		from = m.end;
	}
	mended += xml.slice(from);
	return {
		xml: mended,
		repairs: mends.map((m) => `closing tag ${xml.slice(m.start, m.end)} read as </${m.name}>`),
	};
}

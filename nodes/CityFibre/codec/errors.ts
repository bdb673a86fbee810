/**
 * Typed codec errors. Each says which rule was broken so that a rejection answer, a log line and
 * an n8n error can all name it; none of them ever quotes the offending document.
 */

export type XmlLimit = 'size' | 'depth' | 'elements' | 'doctype' | 'entity';

/** The document was refused before parsing because it could be hostile. */
export class XmlSafetyError extends Error {
	readonly name = 'XmlSafetyError';
	constructor(
		readonly limit: XmlLimit,
		message: string,
	) {
		super(message);
	}
}

export type XmlFormatProblem = 'malformed' | 'envelope' | 'body';

/** The document is not XML we can read, or not a SOAP message of the expected shape. */
export class XmlFormatError extends Error {
	readonly name = 'XmlFormatError';
	constructor(
		readonly problem: XmlFormatProblem,
		message: string,
	) {
		super(message);
	}
}

export interface ValidationIssue {
	/** Dot-separated path from the message element, e.g. `faultDetails.type`. */
	path: string;
	message: string;
}

/** A message broke the catalogue's rules; every issue names its field. */
export class MessageValidationError extends Error {
	readonly name = 'MessageValidationError';
	constructor(
		readonly messageName: string,
		readonly issues: readonly ValidationIssue[],
	) {
		super(`Invalid ${messageName}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
	}
}

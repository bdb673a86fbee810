/**
 * The shape of the message catalogue. The catalogue is the one place that says what CityFibre's
 * messages contain; the node's fields, the XML writer, the validator, the reader and the sandbox
 * are all derived from it.
 */

/** How sure the reference is of a fact (see `cityfibre-ticketing-api.md` §0). */
export type Confidence = 'DOC' | 'EXCERPT' | 'ANALOG' | 'INF';

export type LeafType = 'string' | 'dateTime' | 'date' | 'time' | 'boolean' | 'integer' | 'any';

/**
 * Values the sender fills in by itself. The node never asks for them (some may be overridden
 * under Options); the transport and the sandbox fill them in.
 */
export type AutoValue =
	| 'apiVersion'
	| 'buyerIdentifier'
	| 'sentAt'
	| 'messageId'
	| 'correlationId'
	| 'sellerIdentifier';

interface FieldBase {
	/** XML local name, also the JSON key. */
	name: string;
	/** Namespace prefix on the wire (`cfh` for CityFibre's ALA extensions), if any. */
	prefix?: 'cfh';
	/** Label shown in the n8n editor. */
	displayName: string;
	/** What a non-expert needs to know to fill it in. */
	description: string;
	required: boolean;
	confidence: Confidence;
}

export interface LeafField extends FieldBase {
	kind: 'leaf';
	type: LeafType;
	/** Allowed values, written exactly as sent. Inbound values are compared leniently. */
	options?: readonly string[];
	/** Inbound values are mapped onto the canonical status vocabulary (original kept too). */
	normalise?: 'status';
	auto?: AutoValue;
	/** A placeholder shown in the editor. */
	placeholder?: string;
}

export interface GroupField extends FieldBase {
	kind: 'group';
	fields: readonly Field[];
}

/** A wrapper element holding repeated items, e.g. `updates/update`. Read as a JSON array. */
export interface ListField extends FieldBase {
	kind: 'list';
	itemName: string;
	itemFields: readonly Field[];
}

export type Field = LeafField | GroupField | ListField;

/**
 * A rule that spans fields. Paths are dot-separated JSON paths from the message element.
 * Declarative so that the validator, the node's hints and the sandbox all apply the same rule.
 */
export type CrossFieldRule =
	| {
			kind: 'requiredWhen';
			field: string;
			when: { field: string; equals: string };
			message: string;
			confidence: Confidence;
	  }
	| {
			kind: 'forbiddenUnless';
			field: string;
			unless: { field: string; equals: string };
			message: string;
			confidence: Confidence;
	  }
	| {
			/** A field that must hold exactly one identifier (one service per ticket). */
			kind: 'singleValue';
			field: string;
			message: string;
			confidence: Confidence;
	  };

export type MessageRole = 'request' | 'response' | 'error' | 'notification' | 'acknowledgement';

export interface MessageDefinition {
	/** Body element local name. */
	name: string;
	role: MessageRole;
	description: string;
	confidence: Confidence;
	fields: readonly Field[];
	rules?: readonly CrossFieldRule[];
	/** Namespace declarations the writer puts on the body element. */
	namespaces?: Readonly<Record<string, string>>;
}

export type Resource = 'faultReport' | 'appointment' | 'serviceDiagnostics';

export interface OperationDefinition {
	/** Operation name = URL path segment = request element name. */
	name: string;
	resource: Resource;
	request: MessageDefinition;
	response: MessageDefinition;
	/**
	 * Read-like operations change nothing at CityFibre, so a timeout or a 5xx may be retried.
	 * Anything else is retried only when the request provably never left.
	 */
	readOnly: boolean;
	/** Header style (reference §2.6): flat ticketing fields or the ALA message/buyer/seller blocks. */
	headerStyle: 'ticketing' | 'ala';
}

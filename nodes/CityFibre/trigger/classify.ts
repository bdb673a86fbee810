/**
 * Reads the body with the codec and decides whether it is a notification this Buyer must
 * acknowledge as valid. What it is about (its events) is decided by the catalogue's
 * `eventsOf`, shared with the sandbox, so sender and receiver agree by construction.
 */
import type { ReadMessage, XmlLimits } from '../codec';
import { XmlFormatError, XmlSafetyError, readMessage, xmlCharacterProblem } from '../codec';
import { eventsOf, notifyFaultReportUpdate } from '../catalogue';
import type { Refusal } from './refusals';
import { quote, refusal } from './refusals';

export interface AcceptedNotification {
	kind: 'notification';
	message: ReadMessage;
	messageId: string;
	/** Most significant first; at least `other`. */
	events: string[];
}

function text(value: unknown): string {
	return typeof value === 'string' ? value.trim() : '';
}

/** The codec's typed errors, as refusals that name the broken rule. */
function unreadable(error: unknown): Refusal {
	if (error instanceof XmlSafetyError) {
		if (error.limit === 'size') {
			return refusal('tooLarge', 413, `Message refused: ${error.message}`, error.message);
		}
		return refusal('unsafeXml', 400, `Message refused: ${error.message}`, `Unsafe XML (${error.limit}): ${error.message}`);
	}
	if (error instanceof XmlFormatError) {
		return refusal('malformedXml', 400, `Message refused: ${error.message}`, `Unreadable XML (${error.problem}): ${error.message}`);
	}
	throw error;
}

/**
 * A valid notification, or the reason to reject it: not XML we can read, not a
 * `notifyFaultReportUpdate`, no `messageId`, or addressed to another Buyer.
 */
export function classifyNotification(
	body: Buffer | string,
	buyerIdentifier: string,
	limits?: Partial<XmlLimits>,
): AcceptedNotification | Refusal {
	let message: ReadMessage;
	try {
		message = readMessage(body, { limits });
	} catch (error) {
		return unreadable(error);
	}
	const sentMessageId = text(message.body.messageId) || undefined;
	// A messageId holding a character XML cannot carry cannot be echoed in any acknowledgement.
	const unwritable = sentMessageId !== undefined && xmlCharacterProblem(sentMessageId) !== undefined;
	const messageId = unwritable ? undefined : sentMessageId;
	if (message.name !== notifyFaultReportUpdate.name) {
		return refusal(
			'notNotification',
			400,
			`Not a CityFibre notification: expected ${notifyFaultReportUpdate.name}, got ${quote(message.name)}`,
			`Body element is ${quote(message.name)}, not ${notifyFaultReportUpdate.name}`,
			messageId,
		);
	}
	if (unwritable) {
		return refusal(
			'malformedXml',
			400,
			'Message refused: the messageId contains a character XML does not allow',
			'The messageId contains a character XML does not allow (a control character)',
		);
	}
	if (!messageId) {
		return refusal('messageIdMissing', 400, 'The notification has no messageId', 'No messageId in the notification');
	}
	const sentBuyer = text(message.body.buyerIdentifier);
	if (!sentBuyer) {
		return refusal(
			'buyerIdentifierMissing',
			400,
			'The notification has no buyerIdentifier',
			'No buyerIdentifier in the notification',
			messageId,
		);
	}
	// Identifiers are compared ignoring case: a spelling difference must not lose a notification.
	if (sentBuyer.toLowerCase() !== buyerIdentifier.trim().toLowerCase()) {
		return refusal(
			'buyerIdentifierWrong',
			400,
			`buyerIdentifier ${quote(sentBuyer)} is not this Buyer's identifier`,
			`buyerIdentifier ${quote(sentBuyer)} does not match the configured one`,
			messageId,
		);
	}
	return { kind: 'notification', message, messageId, events: eventsOf(message.body) };
}

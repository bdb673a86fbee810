/**
 * The item a workflow receives: flat fields a low-code user maps with one click, then the whole
 * parsed notification for anything else. Missing text is '' (never undefined), so expressions
 * and IF nodes behave the same whether CityFibre sent an element empty or left it out.
 */
import type { IDataObject } from 'n8n-workflow';

import { appointmentsOf, latestUpdate } from '../catalogue';
import type { AcceptedNotification } from './classify';

type Json = Record<string, unknown>;

function record(value: unknown): Json {
	return value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {};
}

function text(value: unknown): string {
	if (typeof value === 'string') return value.trim();
	if (typeof value === 'boolean') return String(value);
	return '';
}

function flag(value: unknown): boolean | null {
	if (typeof value === 'boolean') return value;
	const lower = text(value).toLowerCase();
	if (lower === 'true' || lower === '1') return true;
	if (lower === 'false' || lower === '0') return false;
	return null;
}

/**
 * Stable across CityFibre's retries of one message, and distinct between Buyers sharing an n8n:
 * the key for n8n's Remove Duplicates node ("across executions").
 */
export function dedupeKey(buyerIdentifier: string, messageId: string): string {
	return `${buyerIdentifier.trim()}:${messageId}`;
}

export interface SummaryOptions {
	buyerIdentifier: string;
	/** The request bytes as text, when the user asked for them. */
	rawXml?: string;
}

export function summarise(accepted: AcceptedNotification, options: SummaryOptions): IDataObject {
	const body = accepted.message.body as Json;
	const faultDetails = record(body.faultDetails);
	const update = latestUpdate(body) ?? {};
	// Appointments are listed oldest first: the last one is the one this notification is about.
	const appointment = appointmentsOf(body).slice(-1)[0] ?? {};
	const start = text(appointment.appointmentStartTime);
	const end = text(appointment.appointmentEndTime);
	const status = text(faultDetails.status);
	const summary: IDataObject = {
		event: accepted.events[0],
		events: accepted.events,
		status,
		statusOriginal: accepted.message.originals['faultDetails.status'] ?? status,
		buyerFaultReference: text(body.buyerFaultReference),
		maintainerFaultReference: text(body.maintainerFaultReference),
		serviceAffected: text(body.serviceAffected),
		latestUpdateText: text(update.description),
		latestUpdateTime: text(update.updatedTime),
		latestUpdateBy: text(update.updatedBy),
		appointmentDate: text(appointment.appointmentDate),
		appointmentSlot: start && end ? `${start}-${end}` : start || end,
		appointmentStartTime: start,
		appointmentEndTime: end,
		appointmentStatus: text(appointment.appointmentConfirmationStatus),
		appointmentClosureCode: text(appointment.appointmentClosureCode),
		appointmentCancelled: flag(appointment.appointmentCancelled),
		sentAt: text(body.sentAt),
		messageId: accepted.messageId,
		buyerIdentifier: text(body.buyerIdentifier),
		dedupeKey: dedupeKey(options.buyerIdentifier, accepted.messageId),
		notification: body as IDataObject,
	};
	if (options.rawXml !== undefined) summary.rawXml = options.rawXml;
	return summary;
}

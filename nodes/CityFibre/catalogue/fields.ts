/**
 * Building blocks shared by several CityFibre messages (reference §2.6 and §4).
 * Each entry carries the confidence tag of the reference, so a correction is a one-line change.
 */
import type { Field, GroupField, LeafField, ListField } from './types';

type LeafSpec = Omit<LeafField, 'kind' | 'name' | 'type'> & { type?: LeafField['type'] };

function leaf(name: string, spec: LeafSpec): LeafField {
	return { kind: 'leaf', name, type: 'string', ...spec };
}

export function group(
	name: string,
	spec: Omit<GroupField, 'kind' | 'name' | 'fields'>,
	fields: readonly Field[],
): GroupField {
	return { kind: 'group', name, ...spec, fields };
}

export function list(
	name: string,
	itemName: string,
	spec: Omit<ListField, 'kind' | 'name' | 'itemName' | 'itemFields'>,
	itemFields: readonly Field[],
): ListField {
	return { kind: 'list', name, itemName, ...spec, itemFields };
}

/** Marks a copy of a field as required or optional: the same element differs between messages. */
export function withRequired<T extends Field>(field: T, required: boolean): T {
	return { ...field, required };
}

export const FAULT_TYPES = ['Impaired Service', 'Service Outage', 'Performance Issue'] as const;
export const SERVICE_OUTAGE = 'Service Outage';

/** The canonical ticket statuses (reference §3.1). Inbound spellings vary; see `statuses.ts`. */
export const TICKET_STATUSES = [
	'Pending',
	'Rejected',
	'Accepted',
	'In Progress',
	'On Hold',
	'Resolved',
	'Re-Opened',
	'Closed',
] as const;

// --- Ticketing-style header (§2.6) ---------------------------------------------------------------

export const apiVersion = leaf('apiVersion', {
	displayName: 'API Version',
	description: 'Interface version the sender implements',
	required: true,
	confidence: 'DOC',
	auto: 'apiVersion',
});
export const buyerIdentifier = leaf('buyerIdentifier', {
	displayName: 'Buyer Identifier',
	description: 'Your CityFibre-assigned buyer ID (taken from the credential)',
	required: true,
	confidence: 'DOC',
	auto: 'buyerIdentifier',
});
export const sentAt = leaf('sentAt', {
	displayName: 'Sent At',
	description: 'When this message left the sender (ISO 8601)',
	type: 'dateTime',
	required: true,
	confidence: 'DOC',
	auto: 'sentAt',
});
export const messageId = leaf('messageId', {
	displayName: 'Message ID',
	description: 'Unique ID of this message, used to match a request with its response',
	required: true,
	confidence: 'DOC',
	auto: 'messageId',
});

export const ticketingHeader: readonly Field[] = [apiVersion, buyerIdentifier, sentAt, messageId];

// --- ALA-style header (§2.6, §7) ------------------------------------------------------------------

export const alaHeader: readonly Field[] = [
	group(
		'message',
		{ displayName: 'Message', description: 'Request metadata', required: true, confidence: 'DOC' },
		[
			messageId,
			leaf('correlationId', {
				displayName: 'Correlation ID',
				description: 'Ties related messages (an availability query and its reservation) into one transaction',
				required: true,
				confidence: 'DOC',
				auto: 'correlationId',
			}),
			sentAt,
		],
	),
	group('buyer', { displayName: 'Buyer', description: 'Who is asking', required: true, confidence: 'DOC' }, [
		buyerIdentifier,
		leaf('resellerId', {
			prefix: 'cfh',
			displayName: 'Reseller ID',
			description: "Reseller code from Ofcom's reseller identification list, e.g. BAQ",
			required: false,
			confidence: 'DOC',
		}),
	]),
	group('seller', { displayName: 'Seller', description: 'Always CityFibre', required: true, confidence: 'DOC' }, [
		leaf('sellerIdentifier', {
			displayName: 'Seller Identifier',
			description: 'Always CITYFIBRE',
			required: true,
			confidence: 'DOC',
			auto: 'sellerIdentifier',
		}),
	]),
];

// --- Shared data structures (§4) ------------------------------------------------------------------

const contactFields: readonly Field[] = [
	leaf('phone', { displayName: 'Phone', description: 'Telephone number', required: false, confidence: 'DOC' }),
	leaf('email', {
		displayName: 'Email',
		description: 'E-mail address',
		required: false,
		confidence: 'DOC',
		placeholder: 'name@email.com',
	}),
	leaf('name', { displayName: 'Name', description: "Person's name", required: false, confidence: 'DOC' }),
];

/**
 * A contact block. The docs list `phone`, `email`, `name` only for `reporterContactDetails`; the
 * other blocks are assumed to hold the same children, so pass `childConfidence: 'INF'` for them.
 */
export function contactDetails(
	name: string,
	displayName: string,
	description: string,
	required: boolean,
	confidence: GroupField['confidence'],
	childConfidence: GroupField['confidence'] = 'DOC',
): GroupField {
	const children = contactFields.map((f) => ({ ...f, confidence: childConfidence }));
	return group(name, { displayName, description, required, confidence }, children);
}

export const reportDateTime = leaf('reportDateTime', {
	displayName: 'Report Date Time',
	description: 'When the reporter logged the fault (ISO 8601)',
	type: 'dateTime',
	required: true,
	confidence: 'INF',
});
export const reporterContactDetails = contactDetails(
	'reporterContactDetails',
	'Reporter Contact Details',
	'Who at your organisation CityFibre should contact about this fault',
	true,
	'INF',
);
export const endUserContactDetails = contactDetails(
	'endUserContactDetails',
	'End User Contact Details',
	'The end customer whose service is affected',
	true,
	'INF',
	'INF',
);
export const serviceAffected = leaf('serviceAffected', {
	displayName: 'Service ID',
	description: 'The CityFibre service ID of the one service that is faulty (one service per ticket)',
	required: true,
	confidence: 'DOC',
});
export const buyerFaultReference = leaf('buyerFaultReference', {
	displayName: 'Buyer Fault Reference',
	description: 'Your own unique reference for this ticket, used in every later call',
	required: true,
	confidence: 'DOC',
});
export const maintainerFaultReference = leaf('maintainerFaultReference', {
	displayName: 'CityFibre Fault Reference',
	description: "CityFibre's reference for the ticket (maintainerFaultReference), sent once the ticket is Accepted",
	required: false,
	confidence: 'DOC',
});
export const parentFaultReference = leaf('parentFaultReference', {
	displayName: 'Parent Fault Reference',
	description: 'Your reference of an earlier related ticket, if there is one',
	required: false,
	confidence: 'DOC',
});

const faultDetailLeaves = {
	description: leaf('description', {
		displayName: 'Description',
		description: 'What is wrong, in plain words',
		required: true,
		confidence: 'DOC',
	}),
	type: leaf('type', {
		displayName: 'Fault Type',
		description: 'Service Outage means total loss of service and needs an appointment reservation key',
		required: true,
		options: FAULT_TYPES,
		confidence: 'DOC',
	}),
	status: leaf('status', {
		displayName: 'Status',
		description: 'Ticket status',
		required: false,
		options: TICKET_STATUSES,
		normalise: 'status',
		confidence: 'EXCERPT',
	}),
	faultStartTime: leaf('faultStartTime', {
		displayName: 'Fault Start Time',
		description: 'When the fault began (ISO 8601)',
		type: 'dateTime',
		required: false,
		confidence: 'DOC',
	}),
	faultLocation: leaf('faultLocation', {
		displayName: 'Fault Location',
		description: 'Where the fault is, e.g. End-user premises',
		required: false,
		confidence: 'DOC',
	}),
	siteAccessDetails: leaf('siteAccessDetails', {
		displayName: 'Site Access Details',
		description: 'Whether the site is accessible and anything the engineer needs to get in',
		required: false,
		confidence: 'DOC',
	}),
	siteAccessContactDetails: contactDetails(
		'siteAccessContactDetails',
		'Site Access Contact Details',
		'Who to call for access to the site',
		false,
		'DOC',
		'INF',
	),
	triageComplete: leaf('triageComplete', {
		displayName: 'Triage Complete',
		description: 'Whether you ran Service Diagnostics (triage) before raising the ticket',
		type: 'boolean',
		required: false,
		confidence: 'DOC',
	}),
	triageFindings: leaf('triageFindings', {
		displayName: 'Triage Findings',
		description: 'What the earlier Service Diagnostics run found',
		required: false,
		confidence: 'DOC',
	}),
};

/** `faultDetails` as the Buyer sends it in addFaultReport: no status. */
export const faultDetailsForRaise = group(
	'faultDetails',
	{ displayName: 'Fault Details', description: 'What is wrong and where', required: true, confidence: 'DOC' },
	[
		faultDetailLeaves.description,
		faultDetailLeaves.type,
		faultDetailLeaves.faultStartTime,
		faultDetailLeaves.faultLocation,
		faultDetailLeaves.siteAccessDetails,
		faultDetailLeaves.siteAccessContactDetails,
		faultDetailLeaves.triageComplete,
		faultDetailLeaves.triageFindings,
	],
);

/** In an amendment every fault detail is optional: send only what changed. */
export const faultDetailsForAmend = group(
	'faultDetails',
	{ displayName: 'Fault Details', description: 'Fault details that changed', required: false, confidence: 'DOC' },
	faultDetailsForRaise.fields.map((f) => withRequired(f, false)),
);

/** `faultDetails` as CityFibre sends it in notifications: with status, all lenient. */
export const faultDetailsInNotification = group(
	'faultDetails',
	{ displayName: 'Fault Details', description: 'Fault details and status', required: true, confidence: 'DOC' },
	[
		withRequired(faultDetailLeaves.description, false),
		withRequired(faultDetailLeaves.type, false),
		faultDetailLeaves.status,
		faultDetailLeaves.faultStartTime,
		faultDetailLeaves.faultLocation,
		faultDetailLeaves.siteAccessDetails,
		faultDetailLeaves.siteAccessContactDetails,
		faultDetailLeaves.triageComplete,
		faultDetailLeaves.triageFindings,
		leaf('missedAppointment', {
			displayName: 'Missed Appointment',
			description: 'Missed-appointment information in the Amended variant (name cut off in the docs)',
			required: false,
			confidence: 'INF',
		}),
	],
);

export const appointmentLeaves = {
	appointmentReservationKey: leaf('appointmentReservationKey', {
		displayName: 'Appointment Reservation Key',
		description: 'The key returned by Appointment > Reserve. On Raise it is required for a Service Outage and not allowed for other fault types',
		required: false,
		confidence: 'EXCERPT',
	}),
	appointmentDate: leaf('appointmentDate', {
		displayName: 'Appointment Date',
		description: 'Day of the visit (YYYY-MM-DD)',
		type: 'date',
		required: false,
		confidence: 'DOC',
	}),
	appointmentStartTime: leaf('appointmentStartTime', {
		displayName: 'Appointment Start Time',
		description: 'Slot start (HH:MM)',
		type: 'time',
		required: false,
		confidence: 'DOC',
	}),
	appointmentEndTime: leaf('appointmentEndTime', {
		displayName: 'Appointment End Time',
		description: 'Slot end (HH:MM)',
		type: 'time',
		required: false,
		confidence: 'DOC',
	}),
	appointmentConfirmationStatus: leaf('appointmentConfirmationStatus', {
		displayName: 'Confirmation Status',
		description: 'Whether CityFibre confirmed the booking (Confirmed or Failed)',
		required: false,
		confidence: 'EXCERPT',
	}),
	appointmentClosureCode: leaf('appointmentClosureCode', {
		displayName: 'Closure Code',
		description: 'Outcome code after the visit',
		required: false,
		confidence: 'EXCERPT',
	}),
	appointmentCancelled: leaf('appointmentCancelled', {
		displayName: 'Cancelled',
		description: 'Whether the appointment was cancelled',
		type: 'boolean',
		required: false,
		confidence: 'EXCERPT',
	}),
};

/**
 * The single `appointment` block the Buyer sends in addFaultReport / amendFaultReport. The
 * amendFaultReport page lists appointmentDate and appointmentStartTime first, then is cut off;
 * the end time and the reservation key follow [INF] (notifications order them differently).
 */
export const appointmentForRequest = group(
	'appointment',
	{
		displayName: 'Appointment',
		description: 'Engineer appointment: only for Service Outage tickets',
		required: false,
		confidence: 'DOC',
	},
	[
		appointmentLeaves.appointmentDate,
		appointmentLeaves.appointmentStartTime,
		appointmentLeaves.appointmentEndTime,
		appointmentLeaves.appointmentReservationKey,
	],
);

/** `appointments/appointment` as CityFibre sends it in notifications. */
export const appointmentsInNotification = list(
	'appointments',
	'appointment',
	{
		displayName: 'Appointments',
		description: 'Booked or changed engineer visits',
		required: false,
		confidence: 'EXCERPT',
	},
	Object.values(appointmentLeaves),
);

export const updatesInNotification = list(
	'updates',
	'update',
	{ displayName: 'Updates', description: 'Progress notes, oldest first', required: false, confidence: 'EXCERPT' },
	[
		leaf('description', { displayName: 'Description', description: 'The note', required: false, confidence: 'EXCERPT' }),
		leaf('updatedBy', { displayName: 'Updated By', description: 'Who wrote it', required: false, confidence: 'EXCERPT' }),
		leaf('updatedTime', {
			displayName: 'Updated Time',
			description: 'When it was written (ISO 8601)',
			type: 'dateTime',
			required: false,
			confidence: 'EXCERPT',
		}),
	],
);

export const responseCode = leaf('responseCode', {
	displayName: 'Response Code',
	description: "CityFibre's result code (the code list is not documented)",
	type: 'integer',
	required: true,
	confidence: 'DOC',
});
export const errorMessage = leaf('errorMessage', {
	displayName: 'Error Message',
	description: 'Why CityFibre refused or could not process the request',
	type: 'any',
	required: false,
	confidence: 'DOC',
});
export const status = leaf('status', {
	displayName: 'Status',
	description: 'Ticket status: Pending or Rejected straight after raising',
	required: false,
	options: TICKET_STATUSES,
	normalise: 'status',
	confidence: 'DOC',
});

export { leaf };

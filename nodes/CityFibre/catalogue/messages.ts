/**
 * Every CityFibre Ticketing message, in the docs' element order (reference §5–§8).
 * Names and required flags tagged INF are inferences: correct them here and everything follows.
 */
import {
	SERVICE_OUTAGE,
	alaHeader,
	appointmentForRequest,
	appointmentLeaves,
	appointmentsInNotification,
	buyerFaultReference,
	endUserContactDetails,
	errorMessage,
	faultDetailsForAmend,
	faultDetailsForRaise,
	faultDetailsInNotification,
	group,
	leaf,
	list,
	maintainerFaultReference,
	parentFaultReference,
	reportDateTime,
	reporterContactDetails,
	responseCode,
	serviceAffected,
	status,
	ticketingHeader,
	updatesInNotification,
	withRequired,
} from './fields';
import type { CrossFieldRule, Field, MessageDefinition } from './types';

/** CityFibre's ALA extension namespace, used by the appointment operations [ANALOG]. */
export const CFH_NAMESPACE = 'http://www.cityfibre.com/ala/ext1';

const serviceOutageRules: readonly CrossFieldRule[] = [
	{
		kind: 'requiredWhen',
		field: 'appointment.appointmentReservationKey',
		when: { field: 'faultDetails.type', equals: SERVICE_OUTAGE },
		message: 'A Service Outage fault needs an appointment reservation key (reserve an appointment first)',
		confidence: 'EXCERPT',
	},
	{
		kind: 'forbiddenUnless',
		field: 'appointment.appointmentReservationKey',
		unless: { field: 'faultDetails.type', equals: SERVICE_OUTAGE },
		message: 'Only Service Outage faults may carry an appointment reservation key',
		confidence: 'EXCERPT',
	},
];

const oneServicePerTicket: CrossFieldRule = {
	kind: 'singleValue',
	field: 'serviceAffected',
	message: 'A ticket covers exactly one service: raise one ticket per service ID',
	confidence: 'DOC',
};

// --- Requests -------------------------------------------------------------------------------------

export const addFaultReport: MessageDefinition = {
	name: 'addFaultReport',
	role: 'request',
	description: 'Raise a fault ticket for one service',
	confidence: 'INF',
	fields: [
		...ticketingHeader,
		reportDateTime,
		reporterContactDetails,
		endUserContactDetails,
		serviceAffected,
		buyerFaultReference,
		parentFaultReference,
		faultDetailsForRaise,
		appointmentForRequest,
	],
	rules: [...serviceOutageRules, oneServicePerTicket],
};

export const amendFaultReport: MessageDefinition = {
	name: 'amendFaultReport',
	role: 'request',
	description: 'Add or change information on an open ticket',
	confidence: 'DOC',
	fields: [
		...ticketingHeader,
		withRequired(reportDateTime, false),
		withRequired(reporterContactDetails, false),
		withRequired(endUserContactDetails, false),
		withRequired(serviceAffected, false),
		buyerFaultReference,
		maintainerFaultReference,
		parentFaultReference,
		faultDetailsForAmend,
		appointmentForRequest,
	],
	rules: [oneServicePerTicket],
};

export const requestFaultReportUpdate: MessageDefinition = {
	name: 'requestFaultReportUpdate',
	role: 'request',
	description: 'Ask CityFibre to send the current state of a ticket as a notification',
	confidence: 'DOC',
	fields: [...ticketingHeader, withRequired(maintainerFaultReference, true), buyerFaultReference],
};

const resolveAccepted = leaf('resolveAccepted', {
	displayName: 'Resolution Accepted',
	description: 'True to accept the resolution (closes the ticket), false to reject it (re-opens it)',
	type: 'boolean',
	required: true,
	confidence: 'INF',
});

export const resolveResponse: MessageDefinition = {
	name: 'resolveResponse',
	role: 'request',
	description: "Accept or reject CityFibre's resolution of a ticket",
	confidence: 'DOC',
	fields: [
		...ticketingHeader,
		resolveAccepted,
		maintainerFaultReference,
		buyerFaultReference,
		leaf('rejectedReason', {
			displayName: 'Rejected Reason',
			description: 'Why the fix is not accepted (required when rejecting)',
			required: false,
			confidence: 'DOC',
		}),
	],
	rules: [
		{
			kind: 'requiredWhen',
			field: 'rejectedReason',
			when: { field: 'resolveAccepted', equals: 'false' },
			message: 'Rejecting a resolution needs a reason',
			confidence: 'INF',
		},
	],
};

const productName = leaf('productName', {
	prefix: 'cfh',
	displayName: 'Product Name',
	description: 'CityFibre product code of the service, e.g. ftthl2r',
	required: true,
	confidence: 'DOC',
	placeholder: 'ftthl2r',
});
const appointmentType = leaf('appointmentType', {
	displayName: 'Appointment Type',
	description: 'Kind of visit, e.g. REPAIR (the value list is not documented)',
	type: 'any',
	required: true,
	confidence: 'DOC',
	placeholder: 'REPAIR',
});
const reappointment = leaf('reappointment', {
	prefix: 'cfh',
	displayName: 'Reappointment',
	description: 'Set to true when re-booking a cancelled or missed appointment',
	required: false,
	options: ['true', 'false'],
	confidence: 'DOC',
});
const uprnHelp = 'UPRN (Unique Property Reference Number) of the premises';

export const queryAppointmentAvailability: MessageDefinition = {
	name: 'queryAppointmentAvailability',
	role: 'request',
	description: 'List the engineer appointment slots available at a property',
	confidence: 'DOC',
	namespaces: { cfh: CFH_NAMESPACE },
	fields: [
		...alaHeader,
		leaf('addressKey', { displayName: 'Address Key', description: uprnHelp, required: true, confidence: 'DOC' }),
		leaf('appointmentsFrom', {
			displayName: 'Appointments From',
			description: 'Earliest date to look from (YYYY-MM-DD)',
			type: 'date',
			required: true,
			confidence: 'DOC',
		}),
		appointmentType,
		productName,
		reappointment,
		leaf('projectReference', {
			prefix: 'cfh',
			displayName: 'Project Reference',
			description: 'Project reference, if CityFibre gave you one',
			required: false,
			confidence: 'DOC',
		}),
	],
};

const appointmentSlot = group(
	'appointmentSlot',
	{ displayName: 'Appointment Slot', description: 'The chosen slot', required: true, confidence: 'DOC' },
	[
		withRequired(appointmentLeaves.appointmentDate, true),
		withRequired(appointmentLeaves.appointmentStartTime, true),
		withRequired(appointmentLeaves.appointmentEndTime, true),
	],
);

export const reserveAppointment: MessageDefinition = {
	name: 'reserveAppointment',
	role: 'request',
	description: 'Hold an engineer slot and get the reservation key a Service Outage ticket needs',
	confidence: 'DOC',
	namespaces: { cfh: CFH_NAMESPACE },
	fields: [
		...alaHeader,
		appointmentSlot,
		appointmentType,
		productName,
		leaf('addressKey', { prefix: 'cfh', displayName: 'Address Key', description: uprnHelp, required: true, confidence: 'DOC' }),
		// Presumed: its name is cut off on the reserveAppointment page (reference §7.2).
		{ ...reappointment, confidence: 'INF' },
	],
};

const serviceId = leaf('serviceId', {
	displayName: 'Service ID',
	description: 'The CityFibre service ID to diagnose',
	required: true,
	confidence: 'DOC',
});

export const requestServiceDiagnostics: MessageDefinition = {
	name: 'requestServiceDiagnostics',
	role: 'request',
	description: "Check a service's line and network before raising a ticket",
	confidence: 'INF',
	fields: [...ticketingHeader, serviceId],
};

// --- Responses (element names are `<operation>Response` [INF]) -----------------------------------

const responseTail: readonly Field[] = [responseCode, errorMessage];

/**
 * `responseCode` values that mean success. The code list is not documented (reference §2.7, §10.6):
 * the constructed examples use 0 and the acknowledgement example uses 200 [INF].
 */
export const SUCCESS_RESPONSE_CODES: readonly string[] = ['0', '200'];

export const addFaultReportResponse: MessageDefinition = {
	name: 'addFaultReportResponse',
	role: 'response',
	description: 'Pending, or Rejected with a reason',
	confidence: 'INF',
	fields: [...ticketingHeader, buyerFaultReference, status, ...responseTail],
};

/** The acknowledgement-style reply of the operations whose result arrives as a notification. */
function ticketAck(name: string, description: string, extra: readonly Field[] = []): MessageDefinition {
	return {
		name,
		role: 'response',
		description,
		confidence: 'INF',
		fields: [...ticketingHeader, ...extra, withRequired(buyerFaultReference, false), ...responseTail],
	};
}

export const amendFaultReportResponse = ticketAck(
	'amendFaultReportResponse',
	'Amendment received; CityFibre confirms it with a notification',
);
export const requestFaultReportUpdateResponse = ticketAck(
	'requestFaultReportUpdateResponse',
	'Request received; the ticket state follows as a notification',
);
export const resolveResponseResponse = ticketAck('resolveResponseResponse', 'Resolution answer received', [
	withRequired(resolveAccepted, false),
]);

const slotFields: readonly Field[] = [
	appointmentLeaves.appointmentDate,
	appointmentLeaves.appointmentStartTime,
	appointmentLeaves.appointmentEndTime,
];

export const queryAppointmentAvailabilityResponse: MessageDefinition = {
	name: 'queryAppointmentAvailabilityResponse',
	role: 'response',
	description: 'The available slots',
	confidence: 'INF',
	namespaces: { cfh: CFH_NAMESPACE },
	fields: [
		...alaHeader,
		list(
			'appointmentSlots',
			'appointmentSlot',
			{ displayName: 'Appointment Slots', description: 'Available slots', required: false, confidence: 'INF' },
			slotFields,
		),
		...responseTail,
	],
};

export const reserveAppointmentResponse: MessageDefinition = {
	name: 'reserveAppointmentResponse',
	role: 'response',
	description: 'The reservation key for the held slot',
	confidence: 'INF',
	namespaces: { cfh: CFH_NAMESPACE },
	fields: [
		...alaHeader,
		withRequired(appointmentLeaves.appointmentReservationKey, false),
		withRequired(appointmentSlot, false),
		...responseTail,
	],
};

// The Diagnostics docs describe what the response says, not its element names: every name below
// `supplierDiagnostics` is invented [INF] (reference §8), while the values listed are [DOC].
function diagnosticStatus(name: string, displayName: string, values: readonly string[]): Field {
	return group(
		name,
		{ displayName, description: `${displayName}: ${values.join(', ')}`, required: false, confidence: 'INF' },
		[
			leaf('status', { displayName: 'Status', description: values.join(', '), required: false, confidence: 'INF' }),
			leaf('lastEventTime', {
				displayName: 'Last Event Time',
				description: 'Time of the last event',
				type: 'dateTime',
				required: false,
				confidence: 'INF',
			}),
			leaf('changeFromPrevious', {
				displayName: 'Change From Previous',
				description: 'Change from the previous state',
				required: false,
				confidence: 'INF',
			}),
		],
	);
}

export const requestServiceDiagnosticsResponse: MessageDefinition = {
	name: 'requestServiceDiagnosticsResponse',
	role: 'response',
	description: 'ONT, CFM and UNI port status, node health and utilisation',
	confidence: 'INF',
	fields: [
		...ticketingHeader,
		withRequired(serviceId, false),
		group(
			'supplierDiagnostics',
			{ displayName: 'Supplier Diagnostics', description: 'The results', required: false, confidence: 'DOC' },
			[
				diagnosticStatus('ontStatus', 'ONT Status', ['Service Up', 'Service Down', 'Dying Gasp']),
				diagnosticStatus('cfmStatus', 'CFM Status', ['Up', 'Down CF', 'Down ISP']),
				diagnosticStatus('uniPortStatus', 'UNI Port Status', ['Up', 'Down']),
				list(
					'nodes',
					'node',
					{ displayName: 'Nodes', description: 'Network path, each rated Red, Orange or Green', required: false, confidence: 'INF' },
					[
						leaf('name', { displayName: 'Name', description: 'Node name', required: false, confidence: 'INF' }),
						leaf('role', { displayName: 'Role', description: 'ENNI, Interconnect, Handoff or PON', required: false, confidence: 'INF' }),
						leaf('rag', { displayName: 'RAG', description: 'Red, Orange or Green', required: false, confidence: 'INF' }),
					],
				),
				leaf('utilisation', {
					displayName: 'Utilisation',
					description: 'State of the path during the last busy period',
					required: false,
					confidence: 'INF',
				}),
			],
		),
		...responseTail,
	],
};

// --- Error bodies (§2.7) -------------------------------------------------------------------------

/** HTTP 400: a business body; its element name is not documented, so it is read by shape. */
export const businessError: MessageDefinition = {
	name: 'errorResponse',
	role: 'error',
	description: 'HTTP 400: the request failed validation',
	confidence: 'DOC',
	fields: [...ticketingHeader, responseCode, withRequired(errorMessage, true)],
};

/** HTTP 401/403/500: CityFibre's own `fault`, not SOAP's `soap:Fault`. */
export const cityFibreFault: MessageDefinition = {
	name: 'fault',
	role: 'error',
	description: 'HTTP 401/403/500: authentication, permission or supplier failure',
	confidence: 'DOC',
	fields: [
		leaf('faultcode', { displayName: 'Fault Code', description: 'Fault code', required: true, confidence: 'DOC' }),
		leaf('faultmessage', { displayName: 'Fault Message', description: 'What went wrong', required: true, confidence: 'DOC' }),
		leaf('detail', { displayName: 'Detail', description: 'More detail', required: false, confidence: 'DOC' }),
	],
};

// --- Notifications and the acknowledgement (§6) --------------------------------------------------

export const notifyFaultReportUpdate: MessageDefinition = {
	name: 'notifyFaultReportUpdate',
	role: 'notification',
	description: 'CityFibre tells the Buyer that a ticket changed (every variant uses this element)',
	confidence: 'EXCERPT',
	fields: [
		...ticketingHeader,
		withRequired(reportDateTime, false),
		withRequired(reporterContactDetails, false),
		withRequired(endUserContactDetails, false),
		serviceAffected,
		buyerFaultReference,
		maintainerFaultReference,
		parentFaultReference,
		faultDetailsInNotification,
		updatesInNotification,
		appointmentsInNotification,
	],
};

/** `responseCode` values of the acknowledgement: the excerpt's ValidResponse uses 200. */
export const ACK_VALID = '200';
/** The excerpt names a Rejected variant without showing its code; 400 matches the API's errors [INF]. */
export const ACK_REJECTED = '400';

export const receivedNotifyFaultReportUpdate: MessageDefinition = {
	name: 'receivedNotifyFaultReportUpdate',
	role: 'acknowledgement',
	description: "The Buyer's answer to a notification: ValidResponse (200) or Rejected with a reason",
	confidence: 'EXCERPT',
	fields: [
		...ticketingHeader,
		responseCode,
		// Not in the excerpt's acknowledgement: where a Rejected answer would give its reason [INF].
		withRequired({ ...errorMessage, type: 'string', confidence: 'INF' }, false),
	],
};

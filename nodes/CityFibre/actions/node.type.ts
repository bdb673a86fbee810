import type { AllEntities } from 'n8n-workflow';

/** Every resource and its operations: the router's table must cover exactly these. */
export type CityFibreTicketingMap = {
	faultReport: 'raise' | 'amend' | 'requestUpdate' | 'acceptResolution' | 'rejectResolution';
	appointment: 'queryAvailability' | 'reserve';
	serviceDiagnostics: 'run';
};

export type CityFibreTicketingType = AllEntities<CityFibreTicketingMap>;

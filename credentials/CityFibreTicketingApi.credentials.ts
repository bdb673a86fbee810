import type { ICredentialType, INodeProperties } from 'n8n-workflow';

// Skeleton: the full credential (environments, certificate forms, test) is built in issue 4.
export class CityFibreTicketingApi implements ICredentialType {
	name = 'cityFibreTicketingApi';

	displayName = 'CityFibre Ticketing API';

	documentationUrl = 'https://ticketing.docs.cityfibre.com';

	properties: INodeProperties[] = [
		{
			displayName: 'Buyer Identifier',
			name: 'buyerIdentifier',
			type: 'string',
			default: '',
		},
	];
}

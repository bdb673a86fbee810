import type { INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

// Skeleton: the operations are built in issue 5.
export class CityFibreTicketing implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'CityFibre Ticketing',
		name: 'cityFibreTicketing',
		icon: 'file:cityfibre.svg',
		group: ['output'],
		version: 1,
		description: "Raise and manage fault tickets with CityFibre's Ticketing API",
		defaults: { name: 'CityFibre Ticketing' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'cityFibreTicketingApi', required: true }],
		properties: [],
	};
}

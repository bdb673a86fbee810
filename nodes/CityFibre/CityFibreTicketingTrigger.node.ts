import type { INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

// Skeleton: the webhook is built in issue 6.
export class CityFibreTicketingTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'CityFibre Ticketing Trigger',
		name: 'cityFibreTicketingTrigger',
		icon: 'file:cityfibre.svg',
		group: ['trigger'],
		version: 1,
		description: "Starts the workflow when CityFibre sends a ticket notification",
		defaults: { name: 'CityFibre Ticketing Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
	};
}
